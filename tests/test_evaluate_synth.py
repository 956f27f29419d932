"""The evaluation script's tally: why each planted trace was missed, read off the report."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "evaluate_synth.py"


@pytest.fixture(scope="module")
def evaluate():
    spec = importlib.util.spec_from_file_location("evaluate_synth", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cluster(cid: int, *, novel=False, degenerate=False, q=0.01, m=0) -> dict:
    return {"id": cid, "novel": novel, "degenerate": degenerate, "q_value": q, "m": m}


def test_each_missed_planted_trace_gets_the_cause_its_cluster_shows(evaluate):
    clusters = [
        _cluster(0, novel=True),  # found
        _cluster(1, novel=True, degenerate=True),
        _cluster(2, q=0.2),  # a group at the multiple-testing floor
        _cluster(3, m=2),  # significant, but base traces use it
        _cluster(4),  # significant, m = 0, not novel
        _cluster(5, q=None),  # never tested
    ]
    where = [0, 0, 1, 2, 3, 4, 5, -1]
    traces = [{"id": f"t{i}", "novel": c in (0, 1), "cluster": c} for i, c in enumerate(where)]
    truth = [
        {"id": f"t{i}", "problem_id": "p-000", "novel": True, "model": "rl", "strategy": "new"}
        for i in range(len(where))
    ]
    report = SimpleNamespace(traces=traces, clusters=clusters, config={"alpha": 0.05})
    s = evaluate.summarise([evaluate.tally(report, truth)])
    assert s["strategy_recall"] == 2 / 8
    for cause in ("degenerate", "base-support", "unclustered", "other"):
        assert s["missed:" + cause] == 1 / 8
    assert s["missed:not-significant"] == 2 / 8  # over alpha, and never tested
    causes = sum(s["missed:" + c] for c in evaluate.MISS_CAUSES)
    assert causes == pytest.approx(1.0 - s["strategy_recall"])


def test_a_cluster_over_alpha_is_not_significant_whatever_its_m(evaluate):
    assert evaluate.miss_cause(_cluster(0, q=0.06, m=3), 0.05) == "not-significant"
    assert evaluate.miss_cause(_cluster(0, q=0.04, m=3), 0.05) == "base-support"
    assert evaluate.miss_cause(None, 0.05) == "unclustered"
