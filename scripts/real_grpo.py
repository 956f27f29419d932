"""Scan the real GRPO rollouts: early steps as base, late steps as RL (same three questions).

    python scripts/real_grpo.py [--data ../shared/data/real/grpo_rollouts_qwen25_math_1p5b]

The file's rows are converted to the canonical form here (question_index -> problem_id,
phase early/late -> base/rl, response -> text, reward -> correct); a real adapter is separate
work. Prints the scan summary, per-problem figures and each cluster's make-up.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console

from novelty import scan
from novelty.render import render_summary

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/real/grpo_rollouts_qwen25_math_1p5b"


def records(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [
        {
            "id": f"{r['run']}/{r['step']}/{r['rollout_index']}",
            "problem_id": r["question_index"],
            "model": "base" if r["phase"] == "early" else "rl",
            "text": r["response"],
            "reward": r["reward"],
            "step": r["step"],
        }
        for r in rows
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    args = ap.parse_args()
    recs = records(args.data / "paired_early_late_same_question.jsonl")
    report = scan(recs)
    console = Console(width=120)
    render_summary(report.to_dict(), console)
    by_id = {r["id"]: r for r in recs}
    for c in report.clusters:
        rl = [by_id[i] for i in c["trace_ids"] if by_id[i]["model"] == "rl"]
        console.print(
            f"cluster {c['id']} problem {c['problem_id']}: {c['n_base']} base / {c['n_rl']} RL, "
            f"q={c['q_value']:.2g}, correct {c['correct_rate']:.2f}, novel={c['novel']}, "
            f"RL mean length {sum(len(r['text']) for r in rl) / max(len(rl), 1):.0f} chars"
        )
    for pid in sorted({r["problem_id"] for r in recs}):
        for side in ("base", "rl"):
            mine = [r for r in recs if r["problem_id"] == pid and r["model"] == side]
            acc = sum(r["reward"] >= 0.5 for r in mine) / len(mine)
            console.print(f"problem {pid} {side}: n={len(mine)} accuracy={acc:.2f}")


if __name__ == "__main__":
    main()
