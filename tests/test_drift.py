"""The MMD permutation test: valid under the null, powerful under a shift, stratified."""

from __future__ import annotations

import numpy as np
import pytest

from novelty.drift import mmd_test, permute_within_groups, scan_drift, start_scan_drift


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_shift_is_detected_and_null_is_not():
    rng = np.random.default_rng(0)
    base = _unit(rng.normal(size=(150, 16)))
    same = _unit(rng.normal(size=(150, 16)))
    moved = _unit(rng.normal(size=(150, 16)) + 0.8 * np.eye(16)[0])
    labels = np.r_[np.zeros(150, bool), np.ones(150, bool)]
    shifted = mmd_test(np.vstack([base, moved]), labels, seed=1)
    assert shifted["p_value"] == 1 / (1 + shifted["n_permutations"])
    assert shifted["mmd2"] > 2 * shifted["null_mean"]
    null = mmd_test(np.vstack([base, same]), labels, seed=1)
    assert null["p_value"] > 0.05


def test_p_values_under_the_null_are_not_small_too_often():
    hits = 0
    for seed in range(30):
        x = _unit(np.random.default_rng(seed).normal(size=(60, 8)))
        labels = np.random.default_rng(seed + 100).random(60) < 0.5
        hits += mmd_test(x, labels, n_permutations=99, seed=seed)["p_value"] <= 0.1
    assert hits <= 7  # expected 3 of 30 at level 0.1


def test_permutation_within_problems_ignores_a_different_problem_mix():
    # Two problems far apart; RL sampled mostly from the second one. Within each problem the
    # two sides are identically distributed, so the stratified test must not call it drift.
    rng = np.random.default_rng(3)
    a = _unit(rng.normal(size=(100, 8)) * 0.3 + 3 * np.eye(8)[0])
    b = _unit(rng.normal(size=(100, 8)) * 0.3 + 3 * np.eye(8)[1])
    x = np.vstack([a, b])
    groups = np.r_[np.zeros(100, int), np.ones(100, int)]
    labels = np.r_[rng.random(100) < 0.2, rng.random(100) < 0.8]
    assert mmd_test(x, labels, seed=0)["p_value"] < 0.01  # pooled: the mix looks like drift
    assert mmd_test(x, labels, groups, seed=0)["p_value"] > 0.05


def test_stratified_permutations_keep_each_group_label_count():
    labels = np.array([1, 0, 0, 1, 1, 0, 0, 0], bool)
    groups = np.array([2, 2, 2, 5, 5, 5, 5, 7])
    perms = permute_within_groups(labels, groups, 50, np.random.default_rng(0))
    for g in np.unique(groups):
        assert (perms[:, groups == g].sum(axis=1) == labels[groups == g].sum()).all()
    assert len({p.tobytes() for p in perms}) > 1


def test_deterministic_for_a_seed_and_empty_side():
    x = _unit(np.random.default_rng(0).normal(size=(40, 6)))
    labels = np.arange(40) % 2 == 0
    assert mmd_test(x, labels, seed=4) == mmd_test(x, labels, seed=4)
    assert mmd_test(x, np.zeros(40, bool)) is None


def test_equal_groups_shuffle_within_each_group():
    """Issue 13: equal groups are shuffled row-wise (numpy's ``permuted``), uneven ones by one
    lexsort; either way every group keeps its labels, draws are seeded, and they vary."""
    rng = np.random.default_rng(5)
    groups = np.repeat(rng.permutation(12), 10)  # equal groups, not contiguous labels
    labels = rng.random(120) < 0.4
    uneven = np.append(groups, [99])  # one group of one: the lexsort path
    for g, lab in ((groups, labels), (uneven, np.append(labels, True))):
        got = permute_within_groups(lab, g, 7, np.random.default_rng(1))
        again = permute_within_groups(lab, g, 7, np.random.default_rng(1))
        np.testing.assert_array_equal(got, again)
        assert got.shape == (7, len(lab))
        for row in got:
            for k in np.unique(g):
                assert row[g == k].sum() == lab[g == k].sum()
        assert len({row.tobytes() for row in got}) > 1


class _Side:
    def __init__(self, role: str):
        self.role = role


class _Problem:
    def __init__(self, problem_id, order):
        self.problem_id, self.order = problem_id, np.asarray(order)


def _scan_parts():
    rng = np.random.default_rng(4)
    local = rng.standard_normal((40, 8)).astype(np.float32)
    traces = [_Side("rl" if i % 3 else "base") for i in range(40)]
    stats = [_Problem("b", range(20, 40)), _Problem("a", range(20))]
    return local, traces, stats


def test_scan_drift_permutes_within_problems():
    local, traces, stats = _scan_parts()
    is_rl = np.array([t.role == "rl" for t in traces])
    groups = np.array([0] * 20 + [1] * 20)  # problem ids sorted as text: "a" then "b"
    assert scan_drift(local, traces, stats, 3) == mmd_test(local, is_rl, groups, seed=3)


def test_drift_in_a_thread_is_the_same_and_hands_back_errors():
    local, traces, stats = _scan_parts()
    assert start_scan_drift(local, traces, stats, 3).result() == scan_drift(local, traces, stats, 3)
    with pytest.raises(AttributeError):
        start_scan_drift(local, [object()] * 40, stats, 3).result()
