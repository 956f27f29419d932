"""Digest of every verdict, p-value and q-value of a scan, to show a refactor changed nothing.

Scans the bundled demo and the given JSONL files, and writes one JSON digest per input: the
summary's verdict fields, each trace's cluster membership, p-value and novel flag, and each
cluster's members, p, q, m, novelty and support change. Two digests written before and after a
change compare equal exactly when no decision moved.

    python scripts/same_verdicts.py --out /tmp/before synth0.jsonl synth1.jsonl
    python scripts/same_verdicts.py --out /tmp/after synth0.jsonl synth1.jsonl
    python scripts/same_verdicts.py --compare /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SUMMARY = ("novel", "verdict", "n_novel_clusters", "n_novel_traces", "n_clusters", "radius")
_CLUSTER = ("problem_id", "n_base", "n_rl", "novel", "p_value", "q_value", "m", "support_change")


def digest(report: dict) -> dict:
    """What a decision consists of, with cluster ids replaced by their sorted members."""
    clusters = {c["id"]: c for c in report["clusters"]}
    members = {cid: sorted(c["trace_ids"]) for cid, c in clusters.items()}
    return {
        "summary": {k: report["summary"].get(k) for k in _SUMMARY},
        "problems": [
            {k: p.get(k) for k in ("problem_id", "n_base", "n_rl", "radius")}
            for p in report["problems"]
        ],
        "clusters": sorted(
            (
                {**{k: c.get(k) for k in _CLUSTER}, "members": members[c["id"]]}
                for c in report["clusters"]
            ),
            key=lambda c: (str(c["problem_id"]), c["members"]),
        ),
        "traces": sorted(
            (
                {
                    "id": t["id"],
                    "cluster": members.get(t["cluster"], [])[:1],
                    "novel": t["novel"],
                    "p_value": t["p_value"],
                    "base_nn_distance": t["base_nn_distance"],
                }
                for t in report["traces"]
            ),
            key=lambda t: t["id"],
        ),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", type=Path, help="JSONL files besides the demo")
    ap.add_argument("--out", type=Path, help="folder for the digests")
    ap.add_argument("--cache", default="/tmp/novelty-same-cache")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args()
    if args.compare:
        before, after = args.compare
        bad = 0
        for f in sorted(before.glob("*.json")):
            same = json.loads(f.read_text()) == json.loads((after / f.name).read_text())
            bad += not same
            print(f"{f.stem}: {'identical' if same else 'DIFFERENT'}")
        return 1 if bad else 0
    from novelty import scan

    args.out.mkdir(parents=True, exist_ok=True)
    for path in [ROOT / "fixtures/demo.jsonl", *args.inputs]:
        report = json.loads(scan(str(path), cache=args.cache).to_json())
        (args.out / f"{path.stem}.json").write_text(json.dumps(digest(report), indent=1))
        print(f"{path.stem}: {report['summary']['verdict'][:80]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
