"""The evidence parts through the whole scan (planted geometry), and skipping without input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import PlantedEmbedder, planted_records
from novelty import Report, scan
from novelty.budget import prevalence_upper
from novelty.errors import InputError
from novelty.ingest import ingest
from novelty.passk import pass_at_k

PARTS = ("passk", "support", "budget", "diversity", "drift", "timeline", "domains")


def _scan(records, **kw):
    return scan(records, embedder=PlantedEmbedder(), cache=None, view="whole", **kw)


def _records(seed=1, **kw):
    recs = planted_records(rl_mix={"a": 0.4, "b": 0.3, "new": 0.3}, seed=seed, **kw)
    for i, r in enumerate(recs):
        r["domain"] = "algebra" if r["problem_id"] in ("p0", "p1") else "geometry"
        r["step"] = 0 if r["model"] == "base" else (100 if "_new]" in r["text"] else 50 + i % 2)
    return recs


_TEXT = {r["id"]: r["text"] for r in _records()}


def _texts(cluster):
    return [_TEXT[i] for i in cluster["trace_ids"]]


@pytest.fixture(scope="module")
def report():
    return _scan(_records())


def test_evidence_has_every_part_and_round_trips_json(report):
    d = report.to_dict()
    ev = d["evidence"]
    assert set(PARTS) <= set(ev)
    assert ev["skipped"] == [{"part": "base_likelihood", "reason": ev["skipped"][0]["reason"]}]
    back = Report.from_dict(json.loads(report.to_json()))
    assert back.evidence == json.loads(json.dumps(ev))
    assert list(d)[-1] == "traces"


def test_support_labels_follow_the_planted_truth(report):
    for c in report.clusters:
        if c["novel"]:
            assert c["support_change"] == "expanded"
        elif c["n_rl"] == 0:
            assert c["support_change"] == "shrunk"
            assert all("_c]" in t for t in _texts(c))  # the strategy RL dropped
        else:
            assert c["support_change"] in ("preserved", "amplified")
    overall = report.evidence["support"]["overall"]
    assert overall["expanded"] == report.summary["n_novel_clusters"] == 4
    # strategy 'c' is never sampled by RL: one shrunk cluster per problem
    assert overall["shrunk"] == 4
    assert overall["discovery"] == pytest.approx(4 / overall["n_rl_strategies"])
    shrunk = report.evidence["support"]["shrunk"]
    assert len(shrunk) == 4
    # 'c' holds about a third of 40 base traces and none of 40 RL: far beyond chance
    assert all(s["significant"] and s["p_value"] < 0.01 for s in shrunk)
    assert overall["shrunk_significant"] == 4
    per = {p["problem_id"]: p for p in report.evidence["support"]["per_problem"]}
    assert sum(p["shrunk"] for p in per.values()) == overall["shrunk"]


def test_passk_matches_the_correct_counts(report):
    recs = _records()
    t = report.evidence["passk"]
    for row in t["per_problem"]:
        mine = [r for r in recs if r["problem_id"] == row["problem_id"]]
        rl = [r["correct"] for r in mine if r["model"] == "rl"]
        assert (row["n_rl"], row["c_rl"]) == (len(rl), sum(rl))
        assert row["rl"][0] == pytest.approx(pass_at_k(len(rl), sum(rl), 1))
    assert t["base"][0] == pytest.approx(np.mean([r["base"][0] for r in t["per_problem"]]))


def test_budget_rows(report):
    b = report.evidence["budget"]
    by_id = {c["id"]: c for c in report.clusters}
    rl_clusters = [c for c in report.clusters if c["n_rl"] > 0]
    assert len(b["clusters"]) == len(rl_clusters)
    for row in b["clusters"]:
        c = by_id[row["cluster"]]
        assert row["m"] == c["m"] and row["n_base"] == 40
        if c["novel"]:
            assert row["miss_probability"] == [1.0] * 40
            assert row["prevalence_upper_95"] == pytest.approx(prevalence_upper(40))
    assert b["few_base_samples"] == []  # 40 base samples: bound 7.2%
    assert all(p["chao1"] >= p["observed_strategies"] for p in b["problems"])


def test_diversity_and_drift(report):
    div = report.evidence["diversity"]
    assert len(div["per_problem"]) == 4
    for row in div["per_problem"]:
        assert row["base"]["n_clusters"] == 3  # a, b, c
        assert row["ratio"]["entropy"] == pytest.approx(
            row["rl"]["entropy"] / row["base"]["entropy"]
        )
    drift = report.evidence["drift"]
    assert drift["p_value"] <= 0.05 and drift["stratified_by_problem"]


def test_timeline_first_seen_and_domains(report):
    tl = report.evidence["timeline"]
    assert [c["step"] for c in tl["checkpoints"]] == [50, 51, 100]
    assert {f["first_step"] for f in tl["novel_first_seen"]} == {100}
    by_step = {c["step"]: c for c in tl["checkpoints"]}
    assert by_step[50]["n_novel_clusters_present"] == 0
    assert by_step[100]["n_novel_clusters_present"] == 4
    assert by_step[100]["support"]["expanded"] == 4
    dom = {d["domain"]: d for d in report.evidence["domains"]["per_domain"]}
    assert set(dom) == {"algebra", "geometry"}
    assert dom["algebra"]["n_problems"] == 2 and dom["algebra"]["n_novel_clusters"] == 2
    assert dom["algebra"]["passk"]["problems_at_k"][0] == 2


def test_missing_inputs_skip_their_parts_with_a_reason():
    recs = planted_records(n_problems=2, rl_mix={"a": 0.5, "new": 0.5}, seed=2)
    for r in recs:
        del r["correct"]
    ev = _scan(recs).evidence
    skipped = {s["part"]: s["reason"] for s in ev["skipped"]}
    assert set(skipped) == {"passk", "support_correct", "timeline", "domains", "base_likelihood"}
    assert "correct" in skipped["passk"] and "step" in skipped["timeline"]
    assert "domain" in skipped["domains"] and "base_logprob" in skipped["base_likelihood"]
    assert "passk" not in ev and "timeline" not in ev and "correct" not in ev["support"]
    assert {"support", "budget", "diversity", "drift"} <= set(ev)


def test_base_likelihood_percentiles_by_hand():
    recs = planted_records(n_problems=1, rl_mix={"a": 0.5, "new": 0.5}, seed=3)
    base = [r for r in recs if r["model"] == "base"]
    for i, r in enumerate(base):
        r["base_logprob"] = -float(i)  # 0, -1, ..., -39
    for r in recs:
        if r["model"] == "rl":
            r["base_logprob"] = -9.5 if "_new]" in r["text"] else -0.5
    report = _scan(recs)
    rows = report.evidence["base_likelihood"]["clusters"]
    assert rows and len(rows) == len(report.novel_clusters)
    for row in rows:
        # -9.5 is above the 30 base values -10 … -39: percentile 30/40
        assert row["percentile_median"] == pytest.approx(30 / 40)
        assert row["likely_under_base"] is True


def test_base_logprob_is_loaded_and_checked(tmp_path):
    rows = [
        {"problem_id": 1, "model": "base", "text": "x", "base_logprob": -1.5},
        {"problem_id": 1, "model": "rl", "text": "y"},
    ]
    traces = ingest(rows).traces
    assert [t.base_logprob for t in traces] == [-1.5, None]
    path = tmp_path / "t.jsonl"
    rows[1]["base_logprob"] = "high"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError, match=r"t\.jsonl:2: field 'base_logprob' must be a finite"):
        ingest(path)
    path.write_text(path.read_text().replace('"high"', "NaN"))
    with pytest.raises(InputError, match=r"t\.jsonl:2: field 'base_logprob'"):
        ingest(path)


def test_a_checkpoint_counts_only_the_problems_it_sampled():
    recs = planted_records(n_problems=2, rl_mix={"a": 0.5, "b": 0.5}, seed=5)
    for r in recs:
        r["step"] = 7 if r["problem_id"] == "p0" else 8
    report = _scan(recs)
    tl = {c["step"]: c for c in report.evidence["timeline"]["checkpoints"]}
    for step, pid in ((7, "p0"), (8, "p1")):
        assert tl[step]["problems"] == [pid]
        mine = [c for c in report.clusters if c["problem_id"] == pid]
        assert tl[step]["support"]["n_base_strategies"] == sum(c["n_base"] > 0 for c in mine)
        # the strategy RL dropped ('c') is the only loss at this checkpoint
        per = {p["problem_id"]: p for p in report.evidence["support"]["per_problem"]}
        assert tl[step]["support"]["shrunk"] == per[pid]["shrunk"] >= 1


def _tagged(pid: int, role: str, tags: list[str]) -> list[dict]:
    return [
        {"id": f"{role}-{pid}-{i}", "problem_id": f"p{pid}", "model": role,
         "text": f"solve problem {pid} [p{pid}_{t}] sample {i}"}
        for i, t in enumerate(tags)
    ]  # fmt: skip


def test_mirror_image_clusters_get_one_answer_from_one_family():
    # Issue 12: a strategy only RL uses in 5 of 8 samples of p0, and its mirror image, one only
    # base uses in 5 of 8 samples of p1, have one p-value; their q-values come from one family.
    records = []
    for pid in range(6):
        base, rl = ["a", "b"] * 4, ["a", "b"] * 4
        if pid < 2:
            one, other = ["z"] * 5 + ["a"] * 3, ["a"] * 8
            base, rl = (other, one) if pid == 0 else (one, other)
        records += _tagged(pid, "base", base) + _tagged(pid, "rl", rl)
    report = scan(records, embedder=PlantedEmbedder(), cache=None)
    only_rl = [c for c in report.clusters if c["n_base"] == 0 and c["n_rl"] == 5]
    shrunk = report.evidence["support"]["shrunk"]
    mirror = [s for s in shrunk if s["n_base"] == 5 and s["problem_id"] == "p1"]
    assert len(only_rl) == 1 and len(mirror) == 1
    assert mirror[0]["p_value"] == pytest.approx(only_rl[0]["p_value"])
    assert mirror[0]["q_value"] == pytest.approx(only_rl[0]["q_value"])
    assert mirror[0]["significant"] == (only_rl[0]["q_value"] <= report.summary["alpha"])
