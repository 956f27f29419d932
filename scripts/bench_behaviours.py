"""What the behaviour analysis and the negative control add to a cached rescan (issue 12).

In one process, on the same traces and embedding cache:
  rescan           - ``scan`` with every vector from the cache (behaviours included, as always)
  behaviours       - the behaviour stage alone (space, tests, rows) on the same vectors
  negative control - ``negative_control`` alone on the same vectors
  rescan + control - ``scan(..., negative_control=True)``, as a cross-check
The ratio is (behaviours + negative control) / (rescan - behaviours), the issue's budget being
at most 0.30, in wall time and in CPU time of this process (steadier on a shared machine; run
with OMP_NUM_THREADS=1 for a CPU time free of thread spin-waits). A first scan fills the cache
when it is empty (slow: the model embeds every text). Nothing is asserted; best of ``--reps``.

    python scripts/bench_behaviours.py --traces synth10k.jsonl --cache /tmp/cache [--reps 2]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from novelty import scan
from novelty.behaviours import behaviour_rows, behaviour_space, behaviour_tests, roles
from novelty.config import ScanConfig
from novelty.decide import decide_scan
from novelty.embedding import embed_views
from novelty.ingest import ingest
from novelty.negative_control import negative_control
from novelty.problem import problem_stats
from novelty.views import apply_view


def _timed(fn) -> tuple[tuple[float, float], object]:
    """(wall, CPU) seconds of ``fn()``, and what it returned."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - t0, time.process_time() - c0), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--traces", type=Path, default=Path("fixtures/demo.jsonl"))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--reps", type=int, default=2)
    args = ap.parse_args()

    config = ScanConfig()
    traces = ingest(args.traces).traces
    scan(traces, config, cache=args.cache)  # fills the cache if it is empty
    vectors = embed_views(apply_view(traces, config.view), None, cache=args.cache).vectors
    groups: dict = defaultdict(list)
    for i, t in enumerate(traces):
        groups[t.problem_id].append(i)
    stats = [problem_stats(k, idx, traces, vectors, config) for k, idx in groups.items()]

    def behaviours():
        space = behaviour_space(
            traces, vectors, min_cluster_size=config.min_cluster_size, seed=config.seed
        )
        found = behaviour_tests(space, roles(traces), config)
        q = decide_scan(stats, config, behaviour_p=[b.test.p_value for b in found]).behaviour_q
        return behaviour_rows(found, q, space, traces, config)

    rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(args.reps):
        rows["rescan"].append(_timed(lambda: scan(traces, config, cache=args.cache))[0])
        t_beh, found = _timed(behaviours)
        # decide_scan ran inside the timer too, and runs in every scan: take it out.
        t_dec = _timed(lambda: decide_scan(stats, config))[0]
        rows["behaviours"].append((t_beh[0] - t_dec[0], t_beh[1] - t_dec[1]))
        rows["negative control"].append(
            _timed(lambda: negative_control(traces, vectors, dict(groups), config))[0]
        )
        rows["rescan + control"].append(
            _timed(lambda: scan(traces, config, cache=args.cache, negative_control=True))[0]
        )
    print(
        f"{len(traces)} traces in {len(groups)} problems, {len(found)} behaviours, best of "
        f"{args.reps}"
    )
    for j, clock in enumerate(("wall", "CPU")):
        best = {k: min(v[j] for v in vs) for k, vs in rows.items()}
        print(f"{clock} time:")
        for k, v in best.items():
            print(f"  {k:<18} {v:8.2f} s")
        added = best["behaviours"] + best["negative control"]
        base = best["rescan"] - best["behaviours"]
        print(
            f"  (behaviours + negative control) / rescan without them: {added / base:.3f}x"
            f"  (target <= 0.30x); behaviours alone {best['behaviours'] / base:.3f}x, "
            f"negative control alone {best['negative control'] / base:.3f}x"
        )


if __name__ == "__main__":
    main()
