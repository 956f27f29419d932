"""What every synthetic generator owes the evaluation, whoever wrote it."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from novelty.ingest import ingest

GENERATORS = ("synth", "blind", "third", "fourth", "fifth")
# What ``scripts/evaluate_synth.py`` reads of a truth row (``format`` and ``degenerate`` are
# read with defaults: our generator has neither).
READ = {"id", "problem_id", "model", "novel", "strategy", "scenario"}


def _generate(name: str, **kw):
    module = importlib.import_module(f"novelty.datasets.{name}")
    return module.generate(n_problems=12, n_base=8, n_rl=8, seed=3, prevalence=0.5, **kw)


@pytest.mark.parametrize("name", GENERATORS)
def test_records_pass_the_scanners_own_reader(name: str) -> None:
    """A generator's records are scanned as a user's would be: through ``ingest``, every
    problem with both sides."""
    records, _ = _generate(name)
    traces = ingest(records).traces
    assert len(traces) == len(records)
    sides = Counter((str(t.problem_id), t.role) for t in traces)
    assert {role for _, role in sides} == {"base", "rl"}
    assert all(sides[pid, "base"] == 8 and sides[pid, "rl"] == 8 for pid, _ in sides)


@pytest.mark.parametrize("name", GENERATORS)
def test_truth_is_what_the_evaluation_reads(name: str) -> None:
    """Truth rows align with the records and carry the fields the evaluation reads; only RL
    traces of a "novel" problem are planted, and a problem id is ``family-NNN`` (recall by
    family is read off it)."""
    records, truth = _generate(name)
    assert len(truth) == len(records)
    for r, t in zip(records, truth, strict=True):
        assert set(t) >= READ
        assert (r["id"], r["problem_id"], r["model"]) == (t["id"], t["problem_id"], t["model"])
        assert re.fullmatch(r"[a-z0-9_]+-\d{3}", str(t["problem_id"]))
        if t["novel"]:
            assert t["model"] == "rl" and t["scenario"] == "novel"
    assert any(t["novel"] for t in truth)


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
