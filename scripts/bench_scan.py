"""Wall time of a full ``novelty scan`` against bare ``SentenceTransformer.encode``.

All in one process, on the same traces (the bundled demo by default):
  cold scan     - load, view, embed (empty cache), FAISS, conformal, HDBSCAN, decide
  bare encode   - SentenceTransformer.encode of the same view texts, windows included
                  (our split of long texts, done outside the timer), i.e. the same model work
  bare, raw     - SentenceTransformer.encode of the raw trace texts (long ones truncated)
  cached rescan - the same scan again, every vector from the cache (issue 13: <= 0.05x cold)
  fresh process - the cached rescan as ``novelty scan`` starts it: a new Python process that
                  imports novelty and scans (imports included; torch must not be imported)
With ``--control-traces`` (10,000 traces, issue 12's cost bar), a cached rescan of those
traces with ``--negative-control``, timed stage by stage: what the behaviour analysis and the
negative control add, as a share of the rest of the rescan (bar <= 0.30), in wall and CPU time.
Ratios are printed; nothing is asserted (machines here are noisy).

    python scripts/bench_scan.py [--traces fixtures/demo.jsonl] [--reps 2]
        [--control-traces synth10k.jsonl --control-cache DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from novelty import scan
from novelty.config import ScanConfig
from novelty.embedding import SentenceTransformerEmbedder
from novelty.ingest import ingest
from novelty.views import apply_view


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--traces", type=Path, default=Path("fixtures/demo.jsonl"))
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--control-traces", type=Path, help="10,000 traces for issue 12's cost bar")
    ap.add_argument("--control-cache", type=Path, help="embedding cache for --control-traces")
    args = ap.parse_args()

    traces = ingest(args.traces).traces
    # What the scan embeds: each distinct piece of the view (a sentence of the strategy view).
    pieces = apply_view(traces, ScanConfig().view).pieces
    texts = list(dict.fromkeys(p for trace_pieces in pieces for p in trace_pieces))
    emb = SentenceTransformerEmbedder()
    emb.encode(texts[:8])  # load the model once, outside every timer
    st = emb.load()
    windows = emb.windows(texts).pieces
    raw = [t.text for t in traces]

    rows: dict[str, list[float]] = {
        "cold scan": [],
        "bare encode": [],
        "bare, raw": [],
        "cached rescan": [],
        "fresh process": [],
    }
    for _ in range(args.reps):
        with tempfile.TemporaryDirectory() as cache:
            rows["bare encode"].append(
                _timed(
                    lambda: st.encode(
                        windows, batch_size=32, normalize_embeddings=True, show_progress_bar=False
                    )
                )
            )
            rows["cold scan"].append(_timed(lambda c=cache: scan(traces, embedder=emb, cache=c)))
            rows["cached rescan"].append(
                _timed(lambda c=cache: scan(traces, embedder=emb, cache=c))
            )
            rows["fresh process"].append(_fresh_process(args.traces, cache))
            rows["bare, raw"].append(
                _timed(
                    lambda: st.encode(
                        raw, batch_size=32, normalize_embeddings=True, show_progress_bar=False
                    )
                )
            )
    best = {k: min(v) for k, v in rows.items()}
    print(f"{len(traces)} traces, {len(windows)} windows, best of {args.reps}")
    for k, v in best.items():
        print(f"  {k:<14} {v:8.2f} s")
    print(
        f"cold scan / bare encode (same windows) : {best['cold scan'] / best['bare encode']:.2f}x"
        "  (target <= 1.15x)"
    )
    print(f"cold scan / bare encode (raw, truncated): {best['cold scan'] / best['bare, raw']:.2f}x")
    print(
        f"cached rescan / cold scan              : {best['cached rescan'] / best['cold scan']:.3f}x"
        "  (target <= 0.05x)"
    )
    print(
        f"fresh-process rescan / cold scan       : {best['fresh process'] / best['cold scan']:.3f}x"
        "  (imports included)"
    )
    if args.control_traces:
        control_cost(args.control_traces, args.control_cache, args.reps)


_FRESH = """
import sys, time
t0 = time.perf_counter()
from novelty import scan
scan(sys.argv[1], cache=sys.argv[2])
print(time.perf_counter() - t0, "torch" in sys.modules)
"""


def _fresh_process(traces: Path, cache: str) -> float:
    """Seconds a new process takes to import novelty and rescan (and whether torch came in)."""
    out = subprocess.run(
        [sys.executable, "-c", _FRESH, str(traces), cache], capture_output=True, text=True
    )
    seconds, torch = out.stdout.split()
    if torch == "True":
        print("  note: the fresh-process rescan imported torch")
    return float(seconds)


# The stages issue 12 added to every scan (behaviours) and to --negative-control.
_ADDED = ("behaviour_space", "behaviour_tests", "behaviour_rows", "negative_control")


def control_cost(traces_path: Path, cache: Path | None, reps: int) -> None:
    """What behaviours + the negative control add to a cached rescan (issue 12's cost bar)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from stage_times import timed_stages

    traces = ingest(traces_path).traces
    scan(traces, cache=cache, negative_control=True)  # fills the cache if it is empty
    best: dict[str, tuple[float, float]] = {}
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        with timed_stages(cpu=True) as spent:
            scan(traces, cache=cache, negative_control=True)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        for clock, total, times in (("wall", wall, spent), ("CPU", cpu, spent.cpu)):
            added = sum(times.get(k, 0.0) for k in _ADDED)
            if clock not in best or total < best[clock][0]:
                best[clock] = (total, added)
    print(f"{len(traces)} traces, cached rescan with --negative-control, best of {reps}:")
    for clock, (total, added) in best.items():
        print(
            f"  {clock:<4} {total:7.2f} s, of which behaviours + negative control {added:6.2f} s:"
            f" {added / (total - added):.3f}x the rest  (target <= 0.30x)"
        )


if __name__ == "__main__":
    main()
