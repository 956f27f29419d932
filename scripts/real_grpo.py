"""Scan the real GRPO rollouts: early steps as base, late steps as RL (same three questions).

    python scripts/real_grpo.py [--data ../shared/data/real/grpo_rollouts_qwen25_math_1p5b]

The file is read by the ``grpo`` input format (question_index -> problem_id, phase early/late ->
base/rl, response -> text, reward -> correct), as ``novelty scan --format grpo`` reads it.
Prints the scan summary, per-problem figures and each cluster's make-up.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from novelty import IngestOptions, ingest, scan
from novelty.render import render_summary
from novelty.types import BASE, RL

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/real/grpo_rollouts_qwen25_math_1p5b"
FORMAT = "grpo"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    args = ap.parse_args()
    path = args.data / "paired_early_late_same_question.jsonl"
    report = scan(path, format=FORMAT)
    traces = ingest(path, IngestOptions(format=FORMAT)).traces
    console = Console(width=120)
    render_summary(report.to_dict(), console)
    by_id = {t.id: t for t in traces}
    for c in report.clusters:
        rl = [by_id[i] for i in c["trace_ids"] if by_id[i].role == RL]
        console.print(
            f"cluster {c['id']} problem {c['problem_id']}: {c['n_base']} base / {c['n_rl']} RL, "
            f"q={c['q_value']:.2g}, correct {c['correct_rate']:.2f}, novel={c['novel']}, "
            f"RL mean length {sum(len(t.text) for t in rl) / max(len(rl), 1):.0f} chars"
        )
    for pid in sorted({t.problem_id for t in traces}):
        for side in (BASE, RL):
            mine = [t for t in traces if t.problem_id == pid and t.role == side]
            acc = sum(bool(t.correct) for t in mine) / len(mine)
            console.print(f"problem {pid} {side}: n={len(mine)} accuracy={acc:.2f}")


if __name__ == "__main__":
    main()
