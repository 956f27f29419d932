"""Power (issue 12): the smallest RL-only cluster that can be called novel, the samples a
strategy of 10% prevalence needs, and the scan's conclusion (novel / not novel / inconclusive).

``min_detectable_rl`` is checked against the decision itself: a family of ``n_tests``
candidates goes through :func:`novelty.decide.decide` with one RL-only candidate of growing
size, and the first size called novel must be the one power predicts.
"""

from __future__ import annotations

import numpy as np
import pytest

from novelty import scan
from novelty.datasets.synth import generate
from novelty.decide import (
    ClusterTest,
    ScanPower,
    cluster_p_value,
    conclusion,
    decide,
    min_detectable_rl,
    samples_per_side,
    verdict,
)
from novelty.decide.power import behaviour_powered, lone_discovery_bar


def _null_tests(n: int, nb: int, nr: int) -> list[ClusterTest]:
    """Candidates with p = 1: a cluster of base traces only."""
    return [ClusterTest(nb, 0, nb, nr, 1, 0)] * n


def _brute_force(nb, nr, *, alpha, n_tests, min_cluster_size, method):
    """The first k at which one RL-only candidate of k traces is called novel by decide()."""
    for k in range(1, nr + 1):
        tests = [ClusterTest(0, k, nb, nr, 0, k), *_null_tests(n_tests - 1, nb, nr)]
        _, _, novel = decide(tests, alpha=alpha, min_cluster_size=min_cluster_size, method=method)
        if novel[0]:
            return k
    return None


@pytest.mark.parametrize("method", ["bh", "by"])
@pytest.mark.parametrize("sizes", [(4, 4), (8, 8), (6, 10), (10, 6), (16, 16), (3, 20), (0, 8)])
@pytest.mark.parametrize("n_tests", [1, 3, 40])
@pytest.mark.parametrize("min_cluster_size", [2, 5])
def test_min_detectable_rl_matches_the_decision_on_a_lone_discovery(
    sizes, n_tests, min_cluster_size, method
):
    nb, nr = sizes
    kw = {"alpha": 0.05, "n_tests": n_tests, "min_cluster_size": min_cluster_size}
    got = min_detectable_rl(nb, nr, method=method, **kw)
    assert got == _brute_force(nb, nr, method=method, **kw)
    if got is not None:  # the bar is what the hypergeometric p-value of that size passes
        assert cluster_p_value(0, got, nb, nr) <= lone_discovery_bar(0.05, n_tests, method)
        assert got == min_cluster_size or cluster_p_value(0, got - 1, nb, nr) > (
            lone_discovery_bar(0.05, n_tests, method)
        )


def test_min_detectable_rl_suffices_whatever_the_other_tests_show():
    rng = np.random.default_rng(0)
    nb = nr = 16
    k = min_detectable_rl(nb, nr, alpha=0.05, n_tests=40, min_cluster_size=5)
    assert k is not None
    for _ in range(50):
        others = [
            ClusterTest(int(b), int(r), nb, nr, int(rng.integers(0, 2)), int(r))
            for b, r in rng.integers(0, 9, size=(39, 2))
        ]
        tests = [ClusterTest(0, k, nb, nr, 0, k), *others]
        _, _, novel = decide(tests, alpha=0.05, min_cluster_size=5)
        assert novel[0]


def test_none_when_no_cluster_can_be_called_novel():
    # 4 + 4 samples: an all-RL cluster of 4 has p = 1/70 and the core needs 5 traces.
    assert min_detectable_rl(4, 4, alpha=0.05, n_tests=1, min_cluster_size=5) is None
    assert min_detectable_rl(4, 4, alpha=0.05, n_tests=1, min_cluster_size=2) == 4
    assert min_detectable_rl(4, 4, alpha=0.05, n_tests=40, min_cluster_size=2) is None
    assert min_detectable_rl(0, 50, alpha=0.05, n_tests=1, min_cluster_size=5) is None


def test_the_figures_for_equal_samples_per_side():
    got = {
        (n, t): min_detectable_rl(n, n, alpha=0.05, n_tests=t, min_cluster_size=5)
        for n in (8, 16, 64)
        for t in (1, 40, 400)
    }
    # More tests need more traces; more samples never make a fixed share easier to miss.
    for n in (8, 16, 64):
        assert got[n, 1] <= got[n, 40] <= got[n, 400]
    assert got[8, 40] == 7  # a strategy in 7 of 8 RL samples, as the issue found by hand


@pytest.mark.parametrize("n_tests", [1, 5, 40, 400])
@pytest.mark.parametrize("min_cluster_size", [2, 5, 8])
def test_samples_per_side_is_the_first_n_from_which_the_expected_count_always_passes(
    n_tests, min_cluster_size
):
    kw = {"alpha": 0.05, "n_tests": n_tests, "min_cluster_size": min_cluster_size}
    n = samples_per_side(0.1, **kw)
    bar = lone_discovery_bar(0.05, n_tests)

    def passes(m: int) -> bool:
        k = int(0.1 * m + 1e-9)
        return k >= min_cluster_size and cluster_p_value(0, k, m, m) <= bar

    assert not passes(n - 1)
    assert all(passes(m) for m in range(n, n + 300))
    # and the per-problem figure agrees: at n per side an RL-only cluster of 0.1 n suffices
    assert min_detectable_rl(n, n, **kw) <= int(0.1 * n + 1e-9)


def test_conclusion():
    assert conclusion(n_novel=2, n_problems_powered=0) == "novel"
    assert conclusion(n_novel=0, n_problems_powered=3) == "not novel"
    assert conclusion(n_novel=0, n_problems_powered=0) == "inconclusive"
    assert conclusion(n_novel=0, n_problems_powered=0, n_behaviour_tests_powered=1) == ("not novel")


def test_behaviour_power_needs_enough_rl_traces_across_enough_problems():
    kw = {"alpha": 0.05, "n_tests": 40, "min_cluster_size": 5, "min_problems": 3}
    # 10% of 4 RL samples in each of 40 problems: 16 traces, one per problem, p = 2 ** -16
    assert behaviour_powered([(4, 4)] * 40, min_traces=3, **kw)
    # 10% of 4 RL samples in each of 6 problems: 2 traces, fewer than a cluster
    assert not behaviour_powered([(4, 4)] * 6, min_traces=3, **kw)
    # 50 problems of 1 + 1 traces: none can take part (min_traces), so nothing could be seen
    assert not behaviour_powered([(1, 1)] * 50, min_traces=3, **kw)
    # the bar decides: 5 traces in 5 of 7 problems of 8 + 8 give p = 2 ** -5 = 0.031 > 0.05 / 40
    assert not behaviour_powered([(8, 8)] * 7, min_traces=3, **kw)
    assert behaviour_powered([(8, 8)] * 7, min_traces=3, **{**kw, "n_tests": 1})


def test_many_problems_of_four_samples_can_show_a_behaviour_so_not_novel():
    records, _ = generate(n_problems=40, n_base=4, n_rl=4, scenarios="reweight", seed=1)
    report = _scan(records)
    s = report.summary
    assert all(p["min_detectable_rl"] is None for p in report.problems)
    assert s["behaviours_powered"] and s["conclusion"] == "not novel" and not s["novel"]
    assert "no single problem has the samples" in s["verdict"]
    _consistent(report)


def _power(**kw) -> ScanPower:
    base = {
        "n_tests": 40,
        "method": "bh",
        "bar": 0.05 / 40,
        "min_cluster_size": 5,
        "min_detectable_rl": 7,
        "n_rl_there": 8,
        "n_problems_powered": 30,
        "n_problems": 30,
        "max_n_base": 8,
        "max_n_rl": 8,
        "prevalence": 0.1,
        "samples_per_side": 100,
    }
    return ScanPower(**{**base, **kw})


def test_the_verdict_names_unconfirmed_clusters_and_what_could_have_been_seen():
    common = {
        "n_novel_clusters": 0,
        "n_problems_with_novel": 0,
        "n_problems": 30,
        "min_base_behind_novel": None,
        "alpha": 0.05,
    }
    said = verdict(
        **common, conclusion="not novel", power=_power(), n_supported=10, n_unconfirmed=5
    )
    assert said.startswith("not novel:")
    assert "every RL strategy cluster has base support" not in said
    assert "5 RL-only cluster(s) are unconfirmed" in said
    assert "at least 7 of 8 RL traces" in said and "about 100 base and 100 RL samples" in said
    said = verdict(**common, conclusion="not novel", power=_power(), n_supported=10)
    assert "every RL strategy cluster has base support" in said
    none = _power(min_detectable_rl=None, n_rl_there=None, n_problems_powered=0)
    said = verdict(**common, conclusion="inconclusive", power=none, n_supported=0)
    assert said.startswith("inconclusive:") and "no RL strategy cluster formed" in said
    assert "about 100 base and 100 RL samples" in said
    # without power figures (schema 1.0's sentence) unconfirmed clusters are still named
    said = verdict(**common, n_supported=2, n_unconfirmed=1)
    assert "1 RL-only cluster(s) are unconfirmed" in said and "every RL" not in said


def _scan(records):
    return scan(records, embedder="hashing", cache=None)


def _consistent(report) -> None:
    """Every power figure of the summary agrees with the rows and with the sentence."""
    s = report.summary
    n_tests = sum(p["n_candidates_tested"] for p in report.problems)
    assert s["n_candidates_tested"] == n_tests
    n_tests += s["n_behaviours"]  # one family: candidates and behaviours (issue 12)
    assert s["n_tests"] == n_tests
    for p in report.problems:
        assert p["min_detectable_rl"] == min_detectable_rl(
            p["n_base"], p["n_rl"], alpha=s["alpha"], n_tests=n_tests, min_cluster_size=5
        )
    found = [p["min_detectable_rl"] for p in report.problems if p["min_detectable_rl"]]
    assert s["min_detectable_rl"] == min(found, default=None)
    assert s["verdict"].startswith(f"{s['conclusion']}:")
    assert s["novel"] == (s["conclusion"] == "novel")
    unconfirmed = sum(
        c["support_change"] == "unconfirmed" for c in report.clusters if not c["novel"]
    )
    assert s["n_unconfirmed_clusters"] == unconfirmed
    if unconfirmed and not s["novel"]:
        assert f"{unconfirmed} RL-only cluster(s) are unconfirmed" in s["verdict"]
        assert "every RL strategy cluster has base support" not in s["verdict"]


def test_four_samples_per_side_and_nothing_planted_is_inconclusive():
    records, _ = generate(n_problems=6, n_base=4, n_rl=4, scenarios="reweight", seed=1)
    report = _scan(records)
    s = report.summary
    assert s["conclusion"] == "inconclusive" and not s["novel"]
    assert all(p["min_detectable_rl"] is None for p in report.problems)
    assert not s["behaviours_powered"]
    assert s["samples_per_side_to_detect"] == samples_per_side(
        0.1, alpha=0.05, n_tests=s["n_tests"], min_cluster_size=5
    )
    assert f"about {s['samples_per_side_to_detect']} base" in s["verdict"]
    _consistent(report)


def test_sixty_four_samples_per_side_and_nothing_planted_is_not_novel():
    records, _ = generate(n_problems=3, n_base=64, n_rl=64, scenarios="reweight", seed=1)
    report = _scan(records)
    s = report.summary
    assert s["conclusion"] == "not novel" and not s["novel"]
    assert all(p["min_detectable_rl"] is not None for p in report.problems)
    assert f"at least {s['min_detectable_rl']} of 64 RL traces" in s["verdict"]
    _consistent(report)


def test_a_planted_strategy_is_novel():
    records, truth = generate(n_problems=3, n_base=64, n_rl=64, scenarios="novel", seed=1)
    report = _scan(records)
    s = report.summary
    assert s["conclusion"] == "novel" and s["novel"]
    planted = {t["id"] for t in truth if t["novel"]}
    assert set(report.novel_trace_ids) & planted
    _consistent(report)


def _tagged(pid: int, role: str, tags: list[str]) -> list[dict]:
    return [
        {"id": f"{role}-{pid}-{i}", "problem_id": f"p{pid}", "model": role,
         "text": f"solve problem {pid} [p{pid}_{t}] sample {i}"}
        for i, t in enumerate(tags)
    ]  # fmt: skip


def test_an_rl_only_cluster_too_small_to_call_is_named_unconfirmed(planted_embedder):
    # 8 + 8 samples: a strategy no base sample uses in 5 of 8 RL samples of one problem
    # clusters but cannot pass (p = C(8, 5) / C(16, 5) = 0.0128 > alpha / tests).
    records = []
    for pid in range(5):
        records += _tagged(pid, "base", ["a", "b"] * 4)
        records += _tagged(pid, "rl", ["z"] * 5 + ["a"] * 3 if pid == 0 else ["a", "b"] * 4)
    report = scan(records, embedder=planted_embedder, cache=None)
    s = report.summary
    assert s["conclusion"] == "not novel" and s["n_candidates_tested"] > 4
    assert s["n_unconfirmed_clusters"] == 1
    assert "1 RL-only cluster(s) are unconfirmed" in s["verdict"]
    _consistent(report)


@pytest.mark.slow
def test_conclusions_with_the_real_embedder(tmp_path):
    cache = tmp_path / "cache"
    few, _ = generate(n_problems=4, n_base=4, n_rl=4, scenarios="reweight", seed=2)
    assert scan(few, cache=cache).summary["conclusion"] == "inconclusive"
    many, truth = generate(
        n_problems=2, n_base=64, n_rl=64, scenarios=["novel", "reweight"], seed=2
    )
    report = scan(many, cache=cache)
    assert report.summary["conclusion"] == "novel"
    planted = {t["id"] for t in truth if t["novel"]}
    assert set(report.novel_trace_ids) <= planted and report.novel_trace_ids
    _consistent(report)
