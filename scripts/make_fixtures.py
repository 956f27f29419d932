"""Regenerate the synthetic fixtures in fixtures/ exactly (run from anywhere).

    python scripts/make_fixtures.py          # write them
    python scripts/make_fixtures.py --check  # exit 1 if a file on disk differs

``demo.jsonl`` is the bundled default input of ``novelty scan``; ``tiny.jsonl`` is for fast unit
tests. Each comes with ``*.truth.jsonl``, the planted strategies (see ``novelty.datasets.synth``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from novelty.datasets.synth import generate, write_jsonl

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# name -> arguments of novelty.datasets.synth.generate
SPECS: dict[str, dict] = {
    "demo": dict(
        n_problems=8, n_base=40, n_rl=40, scenarios=["novel", "reweight", "restyle", "rare"], seed=0
    ),
    # prevalence 0.5: six novel RL traces, enough for a cluster of the default minimum size
    "tiny": dict(
        n_problems=2, n_base=12, n_rl=12, scenarios=["novel", "reweight"], prevalence=0.5, seed=0
    ),
}


def build() -> dict[Path, list[dict]]:
    """Every fixture file and the records it should hold."""
    out: dict[Path, list[dict]] = {}
    for name, kwargs in SPECS.items():
        records, truth = generate(**kwargs)
        out[FIXTURES / f"{name}.jsonl"] = records
        out[FIXTURES / f"{name}.truth.jsonl"] = truth
    return out


def _encoded(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for path, records in build().items():
        if args.check:
            if not path.exists() or path.read_bytes() != _encoded(records):
                stale.append(path)
        else:
            write_jsonl(records, path)
            print(f"wrote {path} ({len(records)} lines, {path.stat().st_size:,} bytes)")
    for path in stale:
        print(f"stale: {path}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
