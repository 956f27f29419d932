"""The scan end to end on planted geometry (fast): verdicts, null control, determinism."""

from __future__ import annotations

import random

import numpy as np
import pytest

from conftest import PlantedEmbedder, planted_records
from novelty import ConfigError, ScanConfig, scan


def _scan(records, **kw):
    kw.setdefault("view", "whole")
    return scan(records, embedder=PlantedEmbedder(), cache=None, **kw)


def test_planted_novel_strategy_is_flagged_with_its_members():
    recs = planted_records(rl_mix={"a": 0.3, "b": 0.3, "new": 0.4}, seed=1)
    report = _scan(recs)
    truth = {r["id"] for r in recs if "_new]" in r["text"]}
    flagged = set(report.novel_trace_ids)
    assert flagged, report.summary
    assert flagged <= truth
    assert len(flagged) >= 0.9 * len(truth)
    for c in report.novel_clusters:
        assert c["n_base"] == 0 and c["m"] == 0
        assert c["q_value"] <= 0.05
        assert c["n_rl"] >= 5
    assert report.summary["novel"] is True


def test_reweighting_only_flags_nothing():
    recs = planted_records(rl_mix={"a": 0.8, "b": 0.15, "c": 0.05}, seed=2)
    report = _scan(recs)
    assert report.summary["n_novel_clusters"] == 0
    assert not report.novel_trace_ids


def test_strategy_in_one_base_sample_is_not_novel():
    recs = planted_records(rl_mix={"a": 0.5, "rare": 0.5}, seed=3)
    # one base sample of every problem uses the 'rare' strategy
    for p in range(4):
        row = next(r for r in recs if r["problem_id"] == f"p{p}" and r["model"] == "base")
        row["text"] = row["text"].replace(row["text"].split("[")[1].split("]")[0], f"p{p}_rare")
    report = _scan(recs)
    assert report.summary["n_novel_clusters"] == 0


def test_false_novel_rate_under_null_is_at_most_alpha():
    """Over many seeds of null data (RL from the base strategies), P(any novel call) <= alpha."""
    hits = 0
    n_runs = 40
    for seed in range(n_runs):
        recs = planted_records(n_problems=3, n_base=30, n_rl=30, seed=100 + seed)
        hits += _scan(recs).summary["n_novel_clusters"] > 0
    assert hits / n_runs <= 0.05


def test_line_order_does_not_change_the_report():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=4)
    shuffled = recs[:]
    random.Random(0).shuffle(shuffled)
    a, b = _scan(recs), _scan(shuffled)
    assert a.to_json() == b.to_json()


def test_report_follows_the_output_contract():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=5)
    d = _scan(recs).to_dict()
    assert {"schema_version", "config", "summary", "traces", "clusters"} <= set(d)
    for key in ("id", "problem_id", "model", "cluster", "base_nn_distance", "p_value", "novel"):
        assert all(key in t for t in d["traces"])
    for key in (
        "id",
        "problem_id",
        "n_base",
        "n_rl",
        "trace_ids",
        "novel",
        "p_value",
        "q_value",
        "correct_rate",
    ):
        assert all(key in c for c in d["clusters"])
    assert d["config"]["embedder"] == "planted-test"
    assert d["summary"]["n_traces"] == len(recs)
    ids = {t["id"] for t in d["traces"]}
    assert all(set(c["trace_ids"]) <= ids for c in d["clusters"])
    rl = [t for t in d["traces"] if t["model"] == "rl"]
    assert all(0 < t["p_value"] <= 1 for t in rl)


def test_radius_and_p_values_are_consistent():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=6)
    report = _scan(recs)
    radius = {p["problem_id"]: p["radius"] for p in report.problems}
    for t in report.traces:
        if t["novel"]:
            assert t["base_nn_distance"] > radius[t["problem_id"]]
            assert t["p_value"] <= 0.05 + 1e-9


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"alpha": 0}, "alpha"),
        ({"min_cluster_size": 1}, "min_cluster_size"),
        ({"scope": "world"}, "scope"),
        ({"view": "nope"}, "unknown view"),
    ],
)
def test_bad_settings_raise(kw, match):
    with pytest.raises(ConfigError, match=match):
        _scan(planted_records(n_problems=1, seed=0), **kw)


def test_config_object_and_overrides():
    recs = planted_records(n_problems=1, seed=7)
    r = scan(recs, ScanConfig(alpha=0.1), embedder=PlantedEmbedder(), cache=None, view="whole")
    assert r.config["alpha"] == 0.1 and r.config["view"] == "whole"


def test_global_scope_pools_problems():
    recs = planted_records(n_problems=2, seed=8)
    r = _scan(recs, scope="global")
    assert len(r.problems) == 1 and r.problems[0]["n_base"] == 80
    assert np.isfinite(r.summary["radius"])
