"""Seconds and peak memory of the stages after embedding, at 25,600 to 1,024,000 traces.

Each size runs in a fresh subprocess, so its peak memory (``ru_maxrss``) is its own. The
traces get precomputed float32 vectors (``scan(traces, embeddings=...)``, issue 13) with a
structure like real ones: each problem has a shared direction (its statement) and a few
strategy directions the base samples mix; on every tenth problem a share of the RL samples use
a new strategy no base sample uses. Those planted strategies must be found: the run prints
their recall (planted problems with a novel cluster, and planted traces called novel) and the
false novel calls (novel clusters of other problems, non-planted traces called novel). Texts
are short. 128 traces a problem, 64 per side. Nothing is asserted; times vary with the load.
report.json is written as ``novelty scan --out`` writes it: ``peak GB`` covers that too,
``scan GB`` the scan alone.

    python scripts/bench_scale.py [--sizes 25600,102400,1024000] [--stages] [--control]
        [--baseline word_share=null]

With ``--baseline KEY=VALUE ...`` each size also runs with those settings (in its own fresh
process) and a line of ratios follows: scan time and peak memory against that baseline.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PER_PROBLEM = 128
DIM = 384
N_STRATEGIES = 4
PLANT_EVERY = 10  # every tenth problem gets an RL-only strategy
PLANT_SHARE = 0.25  # of its RL samples
_WORDS = ("expand", "factor", "table", "induction", "substitute", "graph", "bound", "program")


def make(n_traces: int, seed: int = 0):
    """(traces, vectors, planted trace ids, planted problems): structured synthetic data."""
    from novelty.types import BASE, RL, Trace

    rng = np.random.default_rng(seed)
    n_problems = n_traces // PER_PROBLEM
    half = PER_PROBLEM // 2
    vectors = np.empty((n_problems * PER_PROBLEM, DIM), dtype=np.float32)
    traces, planted, planted_problems = [], set(), set()
    for p in range(n_problems):
        basis = rng.standard_normal((N_STRATEGIES + 2, DIM)).astype(np.float32)
        basis /= np.linalg.norm(basis, axis=1, keepdims=True)
        shared, new, strategies = basis[0], basis[1], basis[2:]
        weights = rng.dirichlet(np.full(N_STRATEGIES, 2.0))
        base_k = rng.choice(N_STRATEGIES, size=half, p=weights)
        rl_k = rng.choice(N_STRATEGIES, size=half, p=weights)
        plant = p % PLANT_EVERY == 0
        if plant:
            planted_problems.add(f"p{p}")
            rl_k[: int(PLANT_SHARE * half)] = N_STRATEGIES  # the new strategy
        rows = slice(p * PER_PROBLEM, (p + 1) * PER_PROBLEM)
        dirs = np.vstack([strategies, new[None]])[np.concatenate([base_k, rl_k])]
        noise = rng.standard_normal((PER_PROBLEM, DIM)).astype(np.float32) / np.sqrt(DIM)
        v = 1.0 * shared + 0.6 * dirs + 0.35 * noise
        vectors[rows] = v / np.linalg.norm(v, axis=1, keepdims=True)
        for j, k in enumerate(np.concatenate([base_k, rl_k]).tolist()):
            role = BASE if j < half else RL
            tid = f"{role}-{p}-{j}"
            if k == N_STRATEGIES:
                planted.add(tid)
            traces.append(
                Trace(
                    id=tid,
                    problem_id=f"p{p}",
                    role=role,
                    text=f"Problem {p}: {_WORDS[k]} then {_WORDS[(k + 3) % 8]} gives {j % 7}.",
                    model=role,
                    correct=bool(j % 3),
                )
            )
    return traces, vectors, planted, planted_problems


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_one(n_traces: int, stages: bool, control: bool, settings: dict | None = None) -> dict:
    """Build the data, scan it once, and return the figures (in this process)."""
    settings = settings or {}
    from novelty import scan
    from novelty.report import write_report

    t0 = time.perf_counter()
    traces, vectors, planted, planted_problems = make(n_traces)
    t_make = time.perf_counter() - t0
    mb_data = _peak_mb()
    spent: dict[str, float] = {}
    t0 = time.perf_counter()
    if stages:
        sys.path.insert(0, str(Path(__file__).parent))
        from stage_times import timed_stages

        with timed_stages() as spent:
            report = scan(
                traces, embeddings=vectors, cache=None, negative_control=control, **settings
            )
    else:
        report = scan(traces, embeddings=vectors, cache=None, negative_control=control, **settings)
    t_scan = time.perf_counter() - t0
    mb_scan = _peak_mb()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:  # written as `novelty scan --out` writes it
        json_mb = write_report(report, out).stat().st_size / 1e6
    t_json = time.perf_counter() - t0
    novel_problems = {c.problem_id for c in report.clusters if c.novel}
    novel_traces = {t.id for t in report.traces if t.novel}
    return {
        "n_traces": len(traces),
        "make_s": t_make,
        "scan_s": t_scan,
        "to_json_s": t_json,
        "json_mb": json_mb,
        "scan_peak_mb": mb_scan,
        "peak_mb": _peak_mb(),
        "data_mb": mb_data,
        "problem_recall": len(novel_problems & planted_problems) / max(len(planted_problems), 1),
        "trace_recall": len(novel_traces & planted) / max(len(planted), 1),
        "false_novel_clusters": sum(
            c.novel and c.problem_id not in planted_problems for c in report.clusters
        ),
        "false_novel_traces": len(novel_traces - planted),
        "n_novel_behaviours": report.summary.n_novel_behaviours,
        "stages": dict(sorted(spent.items(), key=lambda kv: -kv[1])),
        "negative_control": (
            {k: report.negative_control[k] for k in ("n_false_novel_clusters", "false_trace_rate")}
            if report.negative_control is not None
            else None
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="25600,102400,1024000")
    ap.add_argument("--stages", action="store_true", help="time each pipeline stage")
    ap.add_argument("--control", action="store_true", help="add --negative-control")
    ap.add_argument(
        "--baseline", nargs="*", default=[], metavar="KEY=VALUE", help="settings to compare with"
    )
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    ap.add_argument("--settings", default="{}", help=argparse.SUPPRESS)  # a child's, as JSON
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.stages, args.control, json.loads(args.settings))))
        return
    baseline = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.baseline)}
    print(
        f"{'traces':>10} {'scan s':>8} {'peak GB':>8} {'scan GB':>8} {'data GB':>8} "
        f"{'recall p/t':>11} {'false cl/tr':>11}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        r = _child(size, args, {})
        if r is None:
            continue
        _print(r)
        if baseline:
            b = _child(size, args, baseline)
            if b is not None:
                _print(b)
                print(
                    f"{'':>10} default / {' '.join(args.baseline)}: scan time "
                    f"{r['scan_s'] / b['scan_s']:.2f}x, peak memory "
                    f"{r['peak_mb'] / b['peak_mb']:.2f}x",
                    flush=True,
                )


def _child(size: int, args, settings: dict) -> dict | None:
    """One size in a fresh process (its peak memory is its own); None when it failed."""
    cmd = [sys.executable, __file__, "--one", str(size), "--settings", json.dumps(settings)]
    cmd += ["--stages"] * args.stages + ["--control"] * args.control
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        print(f"{size:>10} failed:\n{out.stderr[-3000:]}")
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def _print(r: dict) -> None:
    print(
        f"{r['n_traces']:>10} {r['scan_s']:8.1f} {r['peak_mb'] / 1024:8.2f} "
        f"{r['scan_peak_mb'] / 1024:8.2f} "
        f"{r['data_mb'] / 1024:8.2f} {r['problem_recall']:5.2f}/{r['trace_recall']:.2f} "
        f"{r['false_novel_clusters']:>5}/{r['false_novel_traces']:<5}"
        f"  (report.json {r['to_json_s']:.1f} s, {r['json_mb']:.0f} MB; "
        f"{r['n_novel_behaviours']} novel behaviours)",
        flush=True,
    )
    if r["stages"]:
        print("           " + ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items()))
    if r["negative_control"]:
        print(f"           negative control: {r['negative_control']}")


if __name__ == "__main__":
    main()
