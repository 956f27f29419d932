"""What every synthetic generator owes the evaluation, whoever wrote it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GENERATORS = ("synth", "blind", "third", "fourth", "fifth")


@pytest.mark.parametrize("name", GENERATORS)
def test_output_does_not_depend_on_hash_seed(name: str) -> None:
    """``scripts/evaluate_synth.py`` caches embeddings across processes: a trace must be the
    same text whatever Python's string hashing (a set iterated while writing it is not)."""
    code = (
        "import hashlib, json, importlib\n"
        f"gen = importlib.import_module('novelty.datasets.{name}').generate\n"
        "out = gen(n_problems=9, n_base=6, n_rl=6, seed=2)\n"
        "print(hashlib.sha256(json.dumps(out).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": h},
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for h in ("1", "2")
    }
    assert len(digests) == 1
