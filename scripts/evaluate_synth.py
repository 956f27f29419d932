"""Trace-level verdict quality on synthetic traces with known answers (the held-out criteria).

For each seed: novel-trace F1 against the planted truth, and the rate of RL traces wrongly
called novel per scenario (reweight, restyle, rare, and the non-planted traces of novel
problems). Embeddings are cached, so reruns after a change to the statistics are fast.

    python scripts/evaluate_synth.py --seeds 0 1 2 3 4 [--demo] [--problems 12]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from novelty import scan
from novelty.datasets.synth import generate

ROOT = Path(__file__).resolve().parents[1]


def evaluate(report, truth: list[dict]) -> dict:
    """F1 of novel traces, and per-scenario false-novel rates among non-planted RL traces."""
    t = {g["id"]: g for g in truth}
    flagged = set(report.novel_trace_ids)
    planted = {i for i, g in t.items() if g["novel"]}
    tp = len(flagged & planted)
    f1 = 2 * tp / (len(flagged) + len(planted)) if flagged or planted else 1.0
    wrong, total = defaultdict(int), defaultdict(int)
    for row in report.traces:
        g = t[row["id"]]
        if row["model"] == "rl" and not g["novel"]:
            total[g["scenario"]] += 1
            wrong[g["scenario"]] += row["novel"]
    return {"f1": f1, "fpr": {s: wrong[s] / total[s] for s in sorted(total)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    ap.add_argument("--problems", type=int, default=12)
    ap.add_argument("--prevalence", type=float, default=0.3)
    ap.add_argument("--demo", action="store_true", help="also the bundled demo fixture")
    ap.add_argument("--cache", default="default")
    args = ap.parse_args()
    runs = []
    if args.demo:
        import json

        truth = [json.loads(x) for x in (ROOT / "fixtures/demo.truth.jsonl").open()]
        runs.append(("demo", ROOT / "fixtures/demo.jsonl", truth))
    for seed in args.seeds:
        recs, truth = generate(
            n_problems=args.problems, n_base=64, n_rl=64, seed=seed, prevalence=args.prevalence
        )
        runs.append((f"seed {seed}", recs, truth))
    f1s = []
    for name, source, truth in runs:
        r = evaluate(scan(source, cache=args.cache), truth)
        f1s.append(r["f1"])
        fpr = "  ".join(f"{k} {v:.3f}" for k, v in r["fpr"].items())
        print(f"{name:>8}: F1 {r['f1']:.3f}   false-novel rate  {fpr}", flush=True)
    print(f"mean F1 {sum(f1s) / len(f1s):.3f}")


if __name__ == "__main__":
    main()
