"""Behaviours across problems and the negative control (issue 12).

Planted data are built as vectors: each trace is its problem's direction, one of the
problem's own strategies, and, for the traces that carry it, one behaviour direction shared by
every problem, plus seeded noise. The embedder reads those tags from the text.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import re

import numpy as np
import pytest
from scipy import stats
from scipy.special import comb

from novelty import scan
from novelty.behaviours import behaviour_space, upper_95
from novelty.config import ScanConfig
from novelty.decide import (
    BehaviourTest,
    behaviour_change,
    behaviour_novel,
    decide,
    decide_scan,
    stratified_tails,
)
from novelty.decide.behaviours import subset_sum_pmf, two_sided
from novelty.errors import ConfigError
from novelty.negative_control import N_SPLITS, split_base
from novelty.problem import problem_stats
from novelty.report import Report
from novelty.types import Trace

_TAGS = re.compile(r"problem (\S+) uses (\S+) with (\S+)")
DIM = 128


def _direction(tag: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(tag.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).normal(size=DIM)
    return v / np.linalg.norm(v)


def embed(texts: list[str], behaviour: float = 0.8, noise: float = 0.35) -> np.ndarray:
    """problem + strategy + (behaviour) + noise, unit rows."""
    out = np.empty((len(texts), DIM), np.float32)
    for i, t in enumerate(texts):
        p, s, b = _TAGS.search(t).groups()
        v = _direction("p" + p) + 0.6 * _direction(p + s)
        if b != "none":
            v = v + behaviour * _direction("behaviour-" + b)
        v = v + noise * _direction("noise" + t)
        out[i] = v / np.linalg.norm(v)
    return out


def planted(
    *, n_problems=48, n_base=8, n_rl=8, rl_carriers=(2, 3), base_problems=0, seed=0
) -> list[dict]:
    """RL carries the behaviour in 2-3 of its samples of every problem; base in one sample of
    each of the first ``base_problems`` problems."""
    rng = np.random.default_rng(seed)
    recs = []
    for p in range(n_problems):
        for role, n in (("base", n_base), ("rl", n_rl)):
            k = int(rng.integers(rl_carriers[0], rl_carriers[1] + 1)) if role == "rl" else 0
            if role == "base" and p < base_problems:
                k = 1
            carriers = set(rng.choice(n, size=k, replace=False).tolist())
            for i in range(n):
                beh = "code" if i in carriers else "none"
                recs.append(
                    {
                        "id": f"{role}-{p}-{i}",
                        "problem_id": f"q{p:03d}",
                        "model": role,
                        "text": f"problem {p} uses {'abc'[rng.integers(3)]} with {beh} sample {i}",
                        "correct": bool(rng.random() < 0.5),
                    }
                )
    return recs


def _scan(recs, **kw):
    return scan(recs, embedder=embed, cache=None, view="whole", projection="none", **kw)


def _carriers(recs) -> set[str]:
    return {r["id"] for r in recs if "with code" in r["text"]}


# --- the stratified test ---------------------------------------------------------------------


def test_stratified_tails_match_enumerated_permutations():
    """Exact: the law of the RL members when labels are permuted within each problem."""
    strata = np.array([[5, 2, 2], [6, 3, 3], [4, 1, 2]])  # traces, RL traces, members
    laws = []
    for n, r, k in strata:
        hits = [len(set(rl) & set(range(k))) for rl in itertools.combinations(range(n), r)]
        laws.append(np.bincount(hits, minlength=k + 1) / comb(n, r))
    law = laws[0]
    for part in laws[1:]:
        law = np.convolve(law, part)
    for t in range(len(law)):
        up, down = stratified_tails(strata, t)
        assert up == pytest.approx(law[t:].sum())
        assert down == pytest.approx(law[: t + 1].sum())


def test_subset_sum_law_matches_enumeration():
    weights, n_units, n_chosen = np.array([3, 1, 2, 5, 1]), 9, 4
    w = np.zeros(n_units, int)
    w[: len(weights)] = weights
    sums = [w[list(s)].sum() for s in itertools.combinations(range(n_units), n_chosen)]
    law = subset_sum_pmf(weights, n_units, n_chosen)  # over 0 .. sum(weights)
    expected = np.bincount(sums, minlength=len(law)) / len(sums)
    np.testing.assert_allclose(law, expected, atol=1e-12)


def test_stratified_p_value_is_valid_under_within_problem_permutation():
    rng = np.random.default_rng(1)
    n, n_rl = 16, 8
    members = [rng.random(n) < 0.2 for _ in range(30)]  # a fixed behaviour in 30 problems
    strata = np.array([[n, n_rl, int(m.sum())] for m in members])
    ps = []
    for _ in range(1500):
        t = sum(int(m[rng.permutation(n) < n_rl].sum()) for m in members)
        ps.append(two_sided(*stratified_tails(strata, t))[0])
    ps = np.array(ps)
    for a in (0.05, 0.1, 0.3):
        assert (ps <= a).mean() <= a + 0.02


def test_pooled_one_sided_problems_are_units_not_traces():
    """Base and RL answer different problems (global scope): a behaviour that fills 5 of 8
    samples of 3 RL problems is weak evidence (3 of 20 problems), not 15 independent traces."""
    weights = np.array([5, 5, 5])  # the behaviour's members in its 3 problems (all RL)
    up, _ = stratified_tails(np.zeros((0, 3), int), 15, (weights, 40, 20))
    assert up == pytest.approx(comb(20, 3) / comb(40, 3))
    assert up > 0.1  # trace by trace it would be about 0.5 ** 15


def test_monte_carlo_fallback_is_seeded_and_close_to_exact(monkeypatch):
    beh = importlib.import_module("novelty.decide.behaviours")  # novelty.decide is a function too
    weights = np.array([2, 1, 3, 1, 2, 2])
    exact = stratified_tails(np.array([[16, 8, 3]]), 9, (weights, 30, 15))
    monkeypatch.setattr(beh, "_EXACT_MAX_CELLS", 0)
    mc = stratified_tails(np.array([[16, 8, 3]]), 9, (weights, 30, 15), seed=3)
    assert mc == stratified_tails(np.array([[16, 8, 3]]), 9, (weights, 30, 15), seed=3)
    assert mc[0] == pytest.approx(exact[0], abs=0.02)
    assert mc[1] == pytest.approx(exact[1], abs=0.02)


def test_novel_needs_every_condition():
    ok = BehaviourTest(n_base=0, n_rl=40, m=0, n_core=30, p_value=1e-9, rl_side=True)
    assert behaviour_novel(ok, 1e-7, alpha=0.05, min_rl=5)
    for bad in (
        BehaviourTest(1, 40, 0, 30, 1e-9, True),  # a base member
        BehaviourTest(0, 40, 1, 30, 1e-9, True),  # a base trace uses it
        BehaviourTest(0, 40, 0, 4, 1e-9, True),  # too few RL members beyond the radius
        BehaviourTest(0, 40, 0, 30, 1e-9, False),  # the excess is on the base side
    ):
        assert not behaviour_novel(bad, 1e-7, alpha=0.05, min_rl=5)
    assert not behaviour_novel(ok, 0.2, alpha=0.05, min_rl=5)


def test_support_change_labels():
    amp = BehaviourTest(3, 40, 2, 30, 1e-9, True)
    assert behaviour_change(amp, 1e-6, novel=False, alpha=0.05, rl_near=True) == "amplified"
    assert behaviour_change(amp, 0.5, novel=False, alpha=0.05, rl_near=True) == "preserved"
    fewer = BehaviourTest(30, 4, 30, 2, 1e-6, False)
    assert behaviour_change(fewer, 1e-4, novel=False, alpha=0.05, rl_near=True) == "shrunk"
    lost = BehaviourTest(6, 0, 0, 0, 0.2, False)
    assert behaviour_change(lost, 0.5, novel=False, alpha=0.05, rl_near=False) == "shrunk"
    assert behaviour_change(lost, 0.5, novel=False, alpha=0.05, rl_near=True) == "preserved"
    small = BehaviourTest(0, 6, 0, 3, 0.01, True)
    assert behaviour_change(small, 0.3, novel=False, alpha=0.05, rl_near=True) == "unconfirmed"


def test_upper_bound_is_clopper_pearson():
    assert upper_95(0, 100) == pytest.approx(1 - 0.05 ** (1 / 100))
    assert upper_95(7, 100) == pytest.approx(stats.beta.ppf(0.95, 8, 93))
    assert upper_95(5, 5) == 1.0


# --- behaviours in a scan ----------------------------------------------------------------------


def test_planted_behaviour_is_found_with_its_members_and_is_novel():
    recs = planted()
    d = _scan(recs).to_dict()
    carriers = _carriers(recs)
    best = max(d["behaviours"], key=lambda b: len(carriers & set(b["trace_ids"])))
    found = set(best["trace_ids"])
    assert len(found & carriers) >= 0.95 * len(carriers)
    assert len(found - carriers) <= 0.05 * len(found)
    assert best["novel"] and best["support_change"] == "expanded"
    assert best["n_base"] == 0 and best["m"] == 0 and best["n_problems"] >= 40
    assert best["q_value"] <= 0.05
    assert best["prevalence_upper_95"] == pytest.approx(1 - 0.05 ** (1 / 384))
    assert set(best["exemplar_ids"]) <= carriers
    assert d["summary"]["novel"] and d["summary"]["n_novel_behaviours"] == 1
    assert "behaviour" in d["summary"]["verdict"]
    # the same traces are too few in any one problem for a novel cluster
    assert d["summary"]["n_novel_clusters"] == 0
    assert not any(t["novel"] for t in d["traces"])


def test_behaviour_some_base_samples_use_is_amplified_not_novel():
    recs = planted(base_problems=12)
    d = _scan(recs).to_dict()
    carriers = _carriers(recs)
    best = max(d["behaviours"], key=lambda b: len(carriers & set(b["trace_ids"])))
    assert len(set(best["trace_ids"]) & carriers) >= 0.9 * len(carriers)
    assert not best["novel"]
    assert best["support_change"] == "amplified"
    assert best["n_base"] >= 10 and best["q_value"] <= 0.05
    assert not d["summary"]["novel"]


def test_nothing_planted_finds_no_significant_behaviour_and_control_is_quiet():
    recs = planted(rl_carriers=(0, 0))
    r = _scan(recs, negative_control=True)
    d = r.to_dict()
    assert not any(b["novel"] for b in d["behaviours"])
    assert not any(b["q_value"] <= 0.05 for b in d["behaviours"])
    nc = d["negative_control"]
    assert nc["n_splits"] == N_SPLITS and len(nc["per_split"]) == N_SPLITS
    assert nc["n_pseudo_rl_traces"] == N_SPLITS * 48 * 4
    assert nc["false_trace_rate"] <= 0.01
    assert nc["false_trace_rate"] == nc["n_false_novel_traces"] / nc["n_pseudo_rl_traces"]
    assert f"negative control ({N_SPLITS} splits" in d["summary"]["negative_control_finding"]


def test_control_on_planted_data_sees_only_base_traces():
    """The control never reads the RL traces: planting RL changes nothing in it."""
    a = _scan(planted(), negative_control=True).to_dict()["negative_control"]
    b = _scan(planted(rl_carriers=(0, 0)), negative_control=True).to_dict()["negative_control"]
    assert a == b


def test_behaviours_and_control_are_deterministic_whatever_the_line_order():
    recs = planted(n_problems=40)
    a = _scan(recs, negative_control=True, seed=3).to_dict()
    shuffled = [recs[i] for i in np.random.default_rng(9).permutation(len(recs))]
    b = _scan(shuffled, negative_control=True, seed=3).to_dict()
    assert a["behaviours"] == b["behaviours"]
    assert a["negative_control"] == b["negative_control"]


def test_split_is_half_of_each_problems_base_traces():
    traces = [Trace(f"b{p}-{i}", f"p{p}", "base", "x") for p in range(3) for i in range(7)]
    traces += [Trace(f"r{p}", f"p{p}", "rl", "x") for p in range(3)]
    pseudo = split_base(traces, np.random.default_rng(0))
    for p in range(3):
        moved = [t for t in pseudo if t.problem_id == f"p{p}" and t.id.startswith("b")]
        assert sum(t.role == "rl" for t in moved) == 3
    assert [t.role for t in pseudo if t.id.startswith("r")] == ["rl"] * 3


def test_behaviour_space_removes_each_problems_mean_and_leaves_out_pairs():
    traces = [
        Trace(f"t{p}-{i}", f"p{p}", "base" if i % 2 else "rl", "x")
        for p in range(4)
        for i in range(5)
    ]
    traces += [Trace("pair-b", "p8", "base", "x"), Trace("pair-r", "p8", "rl", "x")]
    traces.append(Trace("lone", "p9", "base", "x"))
    vectors = np.random.default_rng(0).normal(size=(len(traces), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    space = behaviour_space(traces, vectors)
    # the mean of two traces leaves only their difference (every behaviour would come with
    # its mirror image), and one trace has no content to remove
    np.testing.assert_array_equal(space.index, np.arange(20))
    np.testing.assert_allclose(np.linalg.norm(space.vectors, axis=1), 1.0, atol=1e-5)
    for p in range(4):
        rows = space.problem == space.problem[5 * p]
        centred = vectors[:20][rows] - vectors[:20][rows].mean(axis=0)
        centred /= np.linalg.norm(centred, axis=1, keepdims=True)
        np.testing.assert_allclose(space.vectors[rows], centred, atol=1e-5)


def test_clusters_and_behaviours_are_one_family():
    """Behaviour p-values join the candidates' Benjamini–Hochberg family; without them every
    cluster q-value is what it was."""
    recs = planted(n_problems=12)
    traces = [Trace(r["id"], r["problem_id"], r["model"], r["text"]) for r in recs]
    vectors = embed([t.text for t in traces])
    config = ScanConfig()
    by_problem: dict[str, list[int]] = {}
    for i, t in enumerate(traces):
        by_problem.setdefault(t.problem_id, []).append(i)
    per_problem = [problem_stats(k, idx, traces, vectors, config) for k, idx in by_problem.items()]
    alone = decide_scan(per_problem, config)
    p, q, _ = decide([c.test for c in alone.candidates])
    np.testing.assert_array_equal(alone.q, q)
    assert alone.behaviour_q.size == 0
    extra = [1e-9, 0.3]
    joint = decide_scan(per_problem, config, behaviour_p=extra)
    expected = stats.false_discovery_control(np.r_[p, extra], method="bh")
    np.testing.assert_allclose(joint.q, expected[: len(p)])
    np.testing.assert_allclose(joint.behaviour_q, expected[len(p) :])


def test_report_round_trip_and_order():
    r = _scan(planted(n_problems=40), negative_control=True)
    d = json.loads(r.to_json())
    keys = list(d)
    assert keys.index("clusters") < keys.index("runs") < keys.index("behaviours")
    assert keys.index("behaviours") < keys.index("evidence")
    assert "negative_control" in d
    back = Report.from_dict(d).to_dict()
    assert back["behaviours"] == d["behaviours"]
    assert back["negative_control"] == d["negative_control"]
    b = d["behaviours"][0]
    for field in (
        "id",
        "n_base",
        "n_rl",
        "n_problems",
        "trace_ids",
        "novel",
        "support_change",
        "p_value",
        "q_value",
        "keywords",
        "exemplar_ids",
        "prevalence_upper_95",
    ):
        assert field in b
    plain = _scan(planted(n_problems=40)).to_dict()
    assert "negative_control" not in plain
    assert plain["summary"]["negative_control_finding"] is None


def test_html_and_terminal_show_behaviours(tmp_path):
    from rich.console import Console

    from novelty.html_report import render_html
    from novelty.render import render_summary

    d = json.loads(_scan(planted(), negative_control=True).to_json())
    page = render_html(d)
    assert "Behaviours across problems" in page and 'id="behaviour-table"' in page
    assert "Negative control" in page
    console = Console(record=True, width=200)
    render_summary(d, console)
    text = console.export_text()
    assert "novel behaviour" in text and "(expanded)" in text
    assert f"negative control ({N_SPLITS} splits" in text


def test_negative_control_setting_is_declared():
    with pytest.raises(ConfigError):
        ScanConfig(negative_control="yes").validate()


@pytest.mark.slow
def test_real_model_finds_a_method_planted_across_problems(tmp_path):
    """The synthetic generator with the real MiniLM: in 48 problems of one family, RL uses the
    Chinese remainder theorem in 2 of 8 samples (the held-out method), base never does."""
    from collections import defaultdict

    from novelty.datasets.synth import generate

    recs, truth = generate(
        n_problems=260, n_base=8, n_rl=8, scenarios="novel", families=["modular"], seed=0
    )
    rows = defaultdict(list)
    for r, t in zip(recs, truth, strict=True):
        rows[r["problem_id"]].append((r, t))
    keep = [
        p for p, rs in rows.items() if any(t["novel"] and t["strategy"] == "crt" for _, t in rs)
    ]
    keep = keep[:48]
    records = [r for p in keep for r, _ in rows[p]]
    planted_ids = {t["id"] for p in keep for _, t in rows[p] if t["novel"]}
    assert len(keep) == 48 and len(planted_ids) == 96
    d = scan(records, cache=tmp_path / "cache", projection="none").to_dict()
    best = max(d["behaviours"], key=lambda b: len(planted_ids & set(b["trace_ids"])))
    found = set(best["trace_ids"])
    assert len(found & planted_ids) >= 0.6 * len(planted_ids)
    assert found <= planted_ids  # nothing but the planted method
    assert best["novel"] and best["support_change"] == "expanded"
    assert best["n_problems"] >= 30


def test_control_measures_support_only_where_it_can_change_a_call():
    """decide_scan(..., support_p_max=alpha) makes the same novel calls with the same m
    wherever it measures m (the negative control's shortcut)."""
    from conftest import PlantedEmbedder, planted_records

    recs = planted_records(n_problems=3, rl_mix={"a": 0.3, "b": 0.3, "new": 0.4}, seed=2)
    traces = [Trace(r["id"], r["problem_id"], r["model"], r["text"]) for r in recs]
    vectors = PlantedEmbedder().encode([t.text for t in traces])
    config = ScanConfig()
    by_problem: dict[str, list[int]] = {}
    for i, t in enumerate(traces):
        by_problem.setdefault(t.problem_id, []).append(i)
    per_problem = [problem_stats(k, idx, traces, vectors, config) for k, idx in by_problem.items()]
    full = decide_scan(per_problem, config)
    lazy = decide_scan(per_problem, config, support_p_max=config.alpha)
    assert full.novel.any()
    np.testing.assert_array_equal(full.novel, lazy.novel)
    np.testing.assert_array_equal(full.q, lazy.q)
    measured = [c.test.m is not None for c in lazy.candidates]
    assert 0 < sum(measured) < len(measured)
    for a, b in zip(full.candidates, lazy.candidates, strict=True):
        if b.test.m is not None:
            assert a.test.m == b.test.m and a.novel_members == b.novel_members


def _subset_sum_tails(weights: list[int], k: int, t: int) -> tuple[float, float]:
    """P(sum >= t), P(sum <= t) for the weights of a uniform k-subset, by exact counting."""
    ways = {(0, 0): 1}
    for w in weights:
        nxt: dict[tuple[int, int], int] = {}
        for (j, total), c in ways.items():
            nxt[(j, total)] = nxt.get((j, total), 0) + c
            if j < k:
                nxt[(j + 1, total + w)] = nxt.get((j + 1, total + w), 0) + c
        ways = nxt
    n = comb(len(weights), k, exact=True)
    up = sum(c for (j, total), c in ways.items() if j == k and total >= t)
    down = sum(c for (j, total), c in ways.items() if j == k and total <= t)
    return up / n, down / n


def test_global_scope_with_different_problems_tests_whole_problems():
    """Base answers problems 0-19 and RL problems 20-39 (as with early and late training
    steps): the behaviour's problems are permuted as whole units, so its p-value is the
    chance that its members' problems fall on the RL side, never a trace-by-trace figure."""
    recs = [
        r
        for r in planted(n_problems=40, n_base=8, n_rl=8, rl_carriers=(3, 3))
        if (r["model"] == "base") == (int(r["problem_id"][1:]) < 20)
    ]
    d = _scan(recs, scope="global").to_dict()
    carriers = _carriers(recs)
    best = max(d["behaviours"], key=lambda b: len(carriers & set(b["trace_ids"])))
    assert len(set(best["trace_ids"]) & carriers) >= 0.9 * len(carriers)
    per_problem = {f"q{p:03d}": 0 for p in range(40)}
    for i in best["trace_ids"]:
        per_problem[next(r["problem_id"] for r in recs if r["id"] == i)] += 1
    up, down = _subset_sum_tails(list(per_problem.values()), 20, best["n_rl"])
    assert best["p_value"] == pytest.approx(min(1.0, 2 * min(up, down)), rel=1e-6)
    assert best["p_value"] >= 2 / comb(40, 20)  # trace by trace it would be far smaller
