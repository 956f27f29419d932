"""Vendi score against the eigenvalues of K/n, and the cluster entropy by hand."""

from __future__ import annotations

import numpy as np
import pytest

from novelty.diversity import (
    cluster_entropy,
    matched_diversity,
    ratio,
    side_diversity,
    vendi_score,
)


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _vendi_direct(x):
    k = x @ x.T / len(x)
    lam = np.linalg.eigvalsh(k)
    lam = lam[lam > 1e-12]
    return float(np.exp(-(lam * np.log(lam)).sum()))


@pytest.mark.parametrize(("n", "d"), [(5, 16), (40, 8), (12, 12)])
def test_vendi_matches_eigenvalues_of_the_kernel(n, d):
    x = _unit(np.random.default_rng(n).normal(size=(n, d)))
    assert vendi_score(x) == pytest.approx(_vendi_direct(x), rel=1e-9)


def test_vendi_limits():
    assert vendi_score(np.tile([[1.0, 0.0, 0.0]], (6, 1))) == pytest.approx(1.0)
    assert vendi_score(np.eye(4)) == pytest.approx(4.0)
    # two well-separated groups of identical points: two effective samples
    x = np.vstack([np.tile([[1.0, 0.0]], (5, 1)), np.tile([[0.0, 1.0]], (5, 1))])
    assert vendi_score(x) == pytest.approx(2.0)
    assert vendi_score(np.zeros((0, 3))) is None


def test_cluster_entropy_by_hand():
    assert cluster_entropy([0, 0, 1, 1, 2, 2, 3, 3]) == pytest.approx(np.log(4))
    p = np.array([3, 1]) / 4
    assert cluster_entropy([5, 5, 5, 7, -1, -1]) == pytest.approx(-(p * np.log(p)).sum())
    assert cluster_entropy([4, 4]) == 0.0
    assert cluster_entropy([-1, -1]) is None


def test_side_diversity_and_ratio():
    x = _unit(np.random.default_rng(0).normal(size=(4, 3)))
    d = side_diversity([0, 0, 1, -1], x)
    assert d["n_clusters"] == 2 and d["noise_share"] == 0.25
    assert d["vendi"] == pytest.approx(_vendi_direct(x))
    assert ratio(1.0, 2.0) == 0.5 and ratio(1.0, 0.0) is None and ratio(None, 1.0) is None


def test_size_matching_removes_the_sample_size_effect():
    # Both sides use the same 20 equally likely strategies; base drew 400 samples, RL 20.
    rng = np.random.default_rng(0)
    centres = _unit(rng.normal(size=(20, 32)))

    def draw(n):
        lab = rng.integers(0, 20, size=n)
        return lab.tolist(), _unit(centres[lab] + 0.05 * rng.normal(size=(n, 32)))

    (lb, xb), (lr, xr) = draw(400), draw(20)
    raw = side_diversity(lr, xr)["n_clusters"] / side_diversity(lb, xb)["n_clusters"]
    gen = np.random.default_rng(1)
    mb, mr = matched_diversity(lb, xb, 20, gen), matched_diversity(lr, xr, 20, gen)
    assert mb["n"] == 20 and mb["repeats"] == 20
    assert mr == side_diversity(lr, xr)  # the smaller side is left as it is
    matched = mr["n_clusters"] / mb["n_clusters"]
    assert raw <= 0.75  # read naively: RL lost a quarter of the strategies
    assert abs(matched - 1) < abs(raw - 1) / 2  # a chance difference, not a collapse
    assert abs(mr["entropy"] / mb["entropy"] - 1) < 0.2
    assert mb["vendi"] <= 20
