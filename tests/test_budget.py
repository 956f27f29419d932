"""Budget figures against enumeration, the zero-event bound, Good–Turing and Chao1 by hand."""

from __future__ import annotations

from itertools import combinations

import pytest

from novelty.budget import (
    abundances,
    chao1,
    cluster_budget,
    good_turing_unseen,
    miss_probability,
    prevalence_upper,
    problem_budget,
)
from novelty.passk import pass_at_k


@pytest.mark.parametrize(("n", "m"), [(6, 0), (6, 1), (6, 3), (7, 7)])
def test_miss_probability_matches_enumeration(n, m):
    for k in range(1, n + 1):
        subsets = list(combinations(range(n), k))
        missed = sum(all(i >= m for i in s) for s in subsets) / len(subsets)
        assert miss_probability(n, m, k) == pytest.approx(missed)
        assert miss_probability(n, m, k) == pytest.approx(1 - pass_at_k(n, m, k))


def test_prevalence_upper_solves_the_zero_event_equation():
    for n in (1, 10, 64, 1000):
        u = prevalence_upper(n)
        assert (1 - u) ** n == pytest.approx(0.05)
    assert prevalence_upper(1000) == pytest.approx(3 / 1000, rel=0.01)  # the rule of three
    assert prevalence_upper(0) == 1.0


def test_good_turing_is_singletons_over_samples():
    assert good_turing_unseen([1, 1, 2, 6]) == pytest.approx(2 / 10)
    assert good_turing_unseen([3, 4]) == 0.0
    assert good_turing_unseen([]) is None


def test_chao1_on_a_worked_example():
    # 7 strategies over 15 samples: f1 = 3 singletons, f2 = 2 doubletons.
    est = chao1([1, 1, 1, 2, 2, 3, 5])
    assert (est["s_obs"], est["f1"], est["f2"]) == (7, 3, 2)
    assert est["chao1_classic"] == pytest.approx(7 + 3**2 / (2 * 2))  # 9.25
    assert est["chao1"] == pytest.approx(7 + (14 / 15) * 3 * 2 / (2 * 3))  # 7.9333
    # no doubletons: the classic form is undefined, the bias-corrected one is not
    est = chao1([1, 1, 3])
    assert est["chao1_classic"] is None
    assert est["chao1"] == pytest.approx(3 + (4 / 5) * 2 * 1 / 2)
    assert chao1([4, 4])["chao1"] == 2  # nothing seen once: nothing unseen
    assert chao1([]) is None


def test_noise_points_count_as_strategies_seen_once():
    assert abundances([0, 0, 1, -1, -1, 2]) == [1, 1, 2, 1, 1]
    row = problem_budget("p", [0, 0, 0, 1, 1, -1])
    assert row["observed_strategies"] == 3 and row["singletons"] == 1 and row["doubletons"] == 1
    assert row["good_turing_unseen"] == pytest.approx(1 / 6)


def test_cluster_budget_row():
    row = cluster_budget(3, "p", 0, 20)
    assert row["k"] == list(range(1, 21))
    assert row["miss_probability"] == [1.0] * 20
    assert row["prevalence_upper_95"] == pytest.approx(prevalence_upper(20))
    row = cluster_budget(4, "p", 2, 20)
    assert row["prevalence_upper_95"] is None
    assert row["miss_probability"][-1] == 0.0
    assert row["miss_probability"][0] == pytest.approx(18 / 20)
