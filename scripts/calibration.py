"""Calibration and power of the scan on synthetic traces with the real embedder.

Null: RL only re-weights, restyles, or amplifies a strategy one or two base samples use; the
rate of false novel clusters must stay at or under alpha. Power: recall of a planted strategy
at several prevalences among 64 RL samples (64 base samples).

    python scripts/calibration.py --seeds 20 --problems 4

Embeddings are cached (``--cache``), so a rerun only redoes the statistics.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from novelty import scan
from novelty.datasets.synth import generate


def _novel_traces(report) -> set[str]:
    return set(report.novel_trace_ids)


def null_runs(seeds: int, problems: int, alpha: float, cache: str) -> dict:
    """Fraction of runs with any novel cluster, and false novel clusters / traces per problem."""
    any_novel, clusters, traces, n_rl, n_problems = 0, 0, 0, 0, 0
    for seed in range(seeds):
        recs, _ = generate(
            n_problems=problems,
            n_base=64,
            n_rl=64,
            seed=1000 + seed,
            scenarios=["reweight", "restyle", "rare"],
        )
        report = scan(recs, alpha=alpha, cache=cache)
        any_novel += report.summary["n_novel_clusters"] > 0
        clusters += report.summary["n_novel_clusters"]
        traces += report.summary["n_novel_traces"]
        n_rl += report.summary["n_rl"]
        n_problems += report.summary["n_problems"]
        print(
            f"  null seed {seed}: {report.summary['n_novel_clusters']} novel cluster(s)", flush=True
        )
    return {
        "runs": seeds,
        "runs_with_any_novel": any_novel / seeds,
        "false_clusters_per_problem": clusters / n_problems,
        "false_trace_rate": traces / n_rl,
    }


def power_runs(prevalence: float, seeds: int, problems: int, alpha: float, cache: str) -> dict:
    """Trace recall, precision and the share of planted strategies found (>= half their traces)."""
    tp = fp = fn = found = planted = 0
    for seed in range(seeds):
        recs, truth = generate(
            n_problems=problems,
            n_base=64,
            n_rl=64,
            seed=2000 + seed,
            scenarios=["novel"],
            prevalence=prevalence,
        )
        report = scan(recs, alpha=alpha, cache=cache)
        flagged = _novel_traces(report)
        true = {t["id"] for t in truth if t["novel"]}
        tp += len(flagged & true)
        fp += len(flagged - true)
        fn += len(true - flagged)
        for pid in {t["problem_id"] for t in truth}:
            mine = {t["id"] for t in truth if t["novel"] and t["problem_id"] == pid}
            if mine:
                planted += 1
                found += len(mine & flagged) >= len(mine) / 2
    return {
        "prevalence": prevalence,
        "recall": tp / max(tp + fn, 1),
        "precision": tp / max(tp + fp, 1) if tp + fp else float("nan"),
        "strategies_found": found / max(planted, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="null runs")
    ap.add_argument("--power-seeds", type=int, default=2)
    ap.add_argument("--problems", type=int, default=4)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--cache", default="default")
    args = ap.parse_args()

    t0 = time.perf_counter()
    null = null_runs(args.seeds, args.problems, args.alpha, args.cache)
    print("\nnull (reweight / restyle / rare, 64 base + 64 RL per problem)")
    print(
        f"  runs with any novel cluster : {null['runs_with_any_novel']:.3f}"
        f"  (alpha = {args.alpha}, {null['runs']} runs x {args.problems} problems)"
    )
    print(f"  false novel clusters/problem: {null['false_clusters_per_problem']:.3f}")
    print(f"  false novel trace rate      : {null['false_trace_rate']:.4f}")

    print("\npower (planted strategy, 64 base + 64 RL per problem)")
    print("  prevalence  recall  precision  strategies found")
    for prev in (0.05, 0.10, 0.25, 0.50):
        r = power_runs(prev, args.power_seeds, args.problems, args.alpha, args.cache)
        print(
            f"  {prev:>9.0%}  {r['recall']:>6.2f}  {r['precision']:>9.2f}"
            f"  {r['strategies_found']:>16.2f}",
            flush=True,
        )
    ok = null["runs_with_any_novel"] <= args.alpha + 2 * np.sqrt(
        args.alpha * (1 - args.alpha) / args.seeds
    )
    print(f"\nnull control {'holds' if ok else 'VIOLATED'}; {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
