"""Issue 11, power: which candidates join the FDR family (ScanConfig.tarone_share)."""

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats
from scipy.special import comb
from test_decide import CONFIG as DECIDE_CONFIG

from novelty.config import ScanConfig
from novelty.decide import (
    ClusterTest,
    candidate_p_value,
    cluster_p_value,
    decide_scan,
    in_family,
    min_attainable_p,
)
from novelty.errors import ConfigError
from novelty.problem import candidate_clusters, problem_stats
from novelty.types import Trace

CONFIG = SimpleNamespace(**{**vars(DECIDE_CONFIG), "tarone_share": 0.5})


def test_default_and_constraint():
    assert ScanConfig().tarone_share == 0.5
    ScanConfig(tarone_share=None).validate()
    with pytest.raises(ConfigError):
        ScanConfig(tarone_share=0.0).validate()


def test_min_attainable_p_is_the_all_rl_cluster():
    assert min_attainable_p(ClusterTest(5, 0, 64, 64, None, 0)) == pytest.approx(
        comb(64, 5) / comb(128, 5)
    )
    # more members than RL traces: at least s - n_rl of them are base
    assert min_attainable_p(ClusterTest(70, 0, 64, 64, None, 0)) == pytest.approx(
        cluster_p_value(6, 64, 64, 64)
    )


@pytest.mark.parametrize("margins", [(64, 64), (8, 8), (10, 3)])
def test_min_attainable_p_bounds_every_split_of_the_same_size(margins):
    """The exclusion reads the size only: no split of a cluster's members into base and RL
    (one run, or two runs) gives a p-value below it."""
    nb, nr = margins
    for size in range(1, nb + nr + 1):
        splits = [(b, size - b) for b in range(max(0, size - nr), min(size, nb) + 1)]
        lows = {min_attainable_p(ClusterTest(b, r, nb, nr, None, 0)) for b, r in splits}
        assert len(lows) == 1  # the same whatever the labels
        low = lows.pop()
        assert min(cluster_p_value(b, r, nb, nr) for b, r in splits) == pytest.approx(low)
    # two RL runs of 6 and 5 against 8 base: every assignment of the members
    for size in range(1, 12):
        for b, k1 in itertools.product(range(9), range(7)):
            k2 = size - b - k1
            if not 0 <= k2 <= 5:
                continue
            t = ClusterTest(b, k1 + k2, 8, 11, None, 0, by_run=((k1, 6), (k2, 5)))
            assert candidate_p_value(t) >= min_attainable_p(t) - 1e-12


def test_family_ignores_the_split():
    rng = np.random.default_rng(1)
    sizes = rng.integers(5, 40, 200)
    a = [ClusterTest(0, int(s), 64, 64, None, 0) for s in sizes]
    splits = [int(rng.integers(0, s + 1)) for s in sizes]
    b = [ClusterTest(k, int(s - k), 64, 64, None, 0) for s, k in zip(sizes, splits, strict=True)]
    assert in_family(a, 0.05, 0.5).tolist() == in_family(b, 0.05, 0.5).tolist()
    assert in_family(a, 0.05, 0.5).tolist() == (sizes >= 6).tolist()


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _isolated(n_base=64, n_rl=64, planted=8, seed=0, roles=None):
    """Three strategies on both sides; ``planted`` RL traces use a fourth, far from them."""
    rng = np.random.default_rng(seed)
    dirs = _unit(rng.normal(size=(4, 32)))
    n = n_base + n_rl
    kind = np.r_[rng.integers(0, 3, n - planted), np.full(planted, 3)]
    vecs = _unit(np.vstack([dirs[k] + 0.08 * rng.normal(size=32) for k in kind]))
    role = roles if roles is not None else ["base"] * n_base + ["rl"] * n_rl
    traces = [Trace(f"t{i:03d}", "p", r, "") for i, r in enumerate(role)]
    return traces, vecs, list(range(n - planted, n))


def _decide(traces, vecs, **kw):
    config = SimpleNamespace(**{**vars(CONFIG), **kw})
    st = [problem_stats("p", list(range(len(traces))), traces, vecs, config)]
    return st, decide_scan(st, config)


def test_isolated_group_of_8_is_found_among_hdbscan_candidates():
    """64 + 64 samples, one problem: 8 RL traces alone (p = 0.0031) meet BH's bar only in a
    small family. HDBSCAN's tree alone (6 candidates here) finds them; Ward's ~40 more nodes
    do not leave a lone group of 8 (q 0.11) or 9 (q 0.055) a chance in a problem of its own."""
    traces, vecs, planted = _isolated()
    _, d = _decide(traces, vecs, ward=False)
    novel = [c for c in d.clusters if c.novel]
    assert len(novel) == 1 and sorted(novel[0].members) == planted
    assert novel[0].p_value == pytest.approx(comb(64, 8) / comb(128, 8))


def test_isolated_group_of_10_is_found_and_clusters_of_5_are_left_out():
    traces, vecs, planted = _isolated(planted=10)
    _, d = _decide(traces, vecs)
    novel = [c for c in d.clusters if c.novel]
    assert len(novel) == 1 and sorted(novel[0].members) == planted
    sizes = np.array([t.n_base + t.n_rl for t in (c.test for c in d.candidates)])
    assert (sizes == 5).any(), "the fixture should have clusters of 5 to leave out"
    assert d.tested.tolist() == (sizes >= 6).tolist()
    assert d.n_candidates == [int(d.tested.sum())]
    assert (d.q[~d.tested] == 1).all()
    np.testing.assert_allclose(
        d.q[d.tested], stats.false_discovery_control(d.p[d.tested], method="bh")
    )
    np.testing.assert_allclose(d.family_p, d.p[d.tested])


def test_leaving_out_can_only_help_what_could_be_significant():
    """Every candidate whose p-value is below all of those left out has a q-value no larger
    than in the full family; the novel calls of the full family are kept."""
    traces, vecs, _ = _isolated(planted=7, seed=3)
    _, full = _decide(traces, vecs, tarone_share=None)
    _, less = _decide(traces, vecs)
    assert full.tested.all() and not less.tested.all()
    below = less.tested & (full.p < full.p[~less.tested].min())
    assert below.any()
    assert (less.q[below] <= full.q[below] + 1e-12).all()
    assert set(np.flatnonzero(full.novel)) <= set(np.flatnonzero(less.novel))


def test_family_is_the_same_under_permuted_labels():
    """The candidates (label-blind clustering) and which of them are tested do not move when
    the base/RL labels are shuffled: only their p-values do."""
    traces, _, _ = _isolated()
    rng = np.random.default_rng(7)
    shuffled = list(rng.permutation([t.role for t in traces]))
    tested = []
    for role in (None, shuffled):
        t, v, _ = _isolated(roles=role)
        st, d = _decide(t, v)
        groups = [frozenset(st[0].order[g].tolist()) for g in st[0].groups]
        tested.append({g for g, k in zip(groups, d.tested.tolist(), strict=True) if k})
    assert tested[0] == tested[1]


def test_no_candidate_is_tested_twice():
    _, vecs, _ = _isolated()
    _, groups = candidate_clusters(vecs, CONFIG)
    keys = [tuple(g.tolist()) for g in groups]
    assert len(keys) == len(set(keys))
