from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats
from scipy.special import comb

from novelty.decide import (
    Candidate,
    ClusterTest,
    cluster_p_value,
    decide,
    decide_scan,
    q_values,
    rl_within_radius,
)
from novelty.decide.nesting import amplified_rare, choose
from novelty.decide.support import candidate_support
from novelty.problem import problem_stats
from novelty.types import Trace


def test_p_value_zero_base_is_ratio_of_binomials():
    assert cluster_p_value(0, 8, 64, 64) == pytest.approx(comb(64, 8) / comb(128, 8))


def test_p_value_valid_under_label_permutation():
    """Permuting labels over fixed clusters: P(p <= a) <= a."""
    rng = np.random.default_rng(0)
    sizes = [5, 9, 20, 30, 36]
    labels = np.repeat(np.arange(len(sizes)), sizes)
    n = labels.size
    ps = []
    for _ in range(2000):
        is_base = rng.permutation(np.r_[np.ones(50, bool), np.zeros(n - 50, bool)])
        c = labels == 0
        ps.append(cluster_p_value(int(is_base[c].sum()), int((~is_base[c]).sum()), 50, n - 50))
    ps = np.array(ps)
    for a in (0.05, 0.1, 0.3):
        assert (ps <= a).mean() <= a + 0.02


def test_q_values_match_scipy():
    tests = [ClusterTest(0, k, 64, 64, 0, k) for k in (3, 5, 8, 12)] + [
        ClusterTest(10, 10, 64, 64, 3, 0)
    ]
    p, q, _ = decide(tests, alpha=0.05, min_cluster_size=5)
    np.testing.assert_allclose(q, stats.false_discovery_control(p, method="bh"))
    _, q_by, _ = decide(tests, alpha=0.05, method="by")
    np.testing.assert_allclose(q_by, stats.false_discovery_control(p, method="by"))


def test_rule_needs_all_conditions():
    tests = [
        ClusterTest(0, 20, 64, 64, 0, 20),  # novel
        ClusterTest(0, 20, 64, 64, 1, 20),  # a base trace supports the strategy
        ClusterTest(2, 20, 64, 64, 0, 18),  # base members far from the RL core: still novel
        ClusterTest(0, 20, 64, 64, 0, 4),  # too small a core beyond the radius
        ClusterTest(40, 20, 64, 64, 0, 20),  # not enriched in RL: BH rejects nothing
    ]
    _, _, novel = decide(tests, alpha=0.05, min_cluster_size=5)
    assert novel.tolist() == [True, False, True, False, False]


def test_empty():
    p, q, novel = decide([])
    assert p.size == q.size == novel.size == 0


# --- the decision on small hand-built inputs ------------------------------------------

CONFIG = SimpleNamespace(
    alpha=0.05,
    min_cluster_size=5,
    min_samples=1,
    hdbscan_min_cluster_size=None,
    support_share=0.25,
    support_spacing=1.5,
    support_near=2,
    support_company=2,
    support_count=5,
    support_centrality=0.9,
    support_inherit=None,
    scope="problem",
    ward=True,
    center=False,
    fdr_method="bh",
)


def _cand(rl, novel_members=None, n_base=0):
    n_rl = len(rl)
    return Candidate(
        list(rl),
        list(rl if novel_members is None else novel_members),
        ClusterTest(n_base, n_rl, 64, 64, 0, n_rl),
    )


def test_most_significant_of_a_branch_speaks_once():
    parent, child = _cand(range(10)), _cand(range(6))
    p, q = np.array([1e-4, 1e-3]), np.array([1e-3, 1e-2])
    chosen = choose([parent, child], p, q, np.array([True, True]), [], alpha=0.05)
    assert [(c.members, c.candidate, c.novel) for c in chosen] == [(list(range(10)), 0, True)]
    # the child is more significant: it speaks, and the parent, overlapping it, is skipped
    chosen = choose([parent, child], p[::-1], q[::-1], np.array([True, True]), [], alpha=0.05)
    assert [(c.candidate, c.novel) for c in chosen] == [(1, True)]


def test_rare_base_strategy_speaks_for_its_subclusters():
    rare = _cand(range(12), n_base=1)  # one base sample uses it: amplified, not novel
    assert amplified_rare(rare.test) and not amplified_rare(_cand(range(12), n_base=5).test)
    tight = _cand(range(6))
    chosen = choose(
        [rare, tight],
        np.array([1e-5, 1e-3]),
        np.array([1e-4, 1e-2]),
        np.array([False, True]),
        [],
        alpha=0.05,
    )
    assert chosen == []


def test_flat_clusters_lose_the_members_a_novel_cluster_claimed():
    novel = _cand(range(8), novel_members=range(6))
    flat = [(list(range(10)), -1), (list(range(20, 25)), -1)]
    chosen = choose([novel], np.array([1e-4]), np.array([1e-3]), np.array([True]), flat, alpha=0.05)
    assert [(c.members, c.novel) for c in chosen] == [
        (list(range(6)), True),
        ([6, 7, 8, 9], False),
        (list(range(20, 25)), False),
    ]


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _planted(n_base=40, n_rl=40, planted=12, base_uses=0, seed=0):
    """Three base strategies (directions) on both sides; RL adds a fourth in ``planted`` traces,
    which ``base_uses`` base traces also use."""
    rng = np.random.default_rng(seed)
    dirs = _unit(rng.normal(size=(4, 32)))

    def draw(k, n):
        return dirs[k] + 0.08 * rng.normal(size=(n, 32))

    base_k = np.r_[rng.integers(0, 3, n_base - base_uses), np.full(base_uses, 3)]
    rl_k = np.r_[rng.integers(0, 3, n_rl - planted), np.full(planted, 3)]
    vecs = _unit(np.vstack([draw(k, 1) for k in base_k] + [draw(k, 1) for k in rl_k]))
    traces = [Trace(f"b{i:03d}", "p", "base", "") for i in range(n_base)] + [
        Trace(f"r{i:03d}", "p", "rl", "") for i in range(n_rl)
    ]
    return traces, vecs, [f"r{i:03d}" for i in range(n_rl - planted, n_rl)]


def _decide(traces, vecs, **kw):
    config = SimpleNamespace(**{**vars(CONFIG), **kw})
    stats = [problem_stats("p", list(range(len(traces))), traces, vecs, config)]
    return stats, decide_scan(stats, config)


def test_planted_strategy_is_the_one_novel_cluster():
    traces, vecs, planted = _planted()
    _, d = _decide(traces, vecs)
    novel = [c for c in d.clusters if c.novel]
    assert len(novel) == 1 and novel[0].support_change == "expanded"
    assert sorted(traces[i].id for i in novel[0].members) == planted
    assert novel[0].m == 0 and novel[0].n_base == 0
    assert all(d.cluster_of(i) == d.clusters.index(novel[0]) for i in novel[0].members)


def test_one_base_sample_of_the_strategy_makes_it_amplified():
    traces, vecs, _ = _planted(base_uses=1)
    _, d = _decide(traces, vecs)
    assert not any(c.novel for c in d.clusters)
    hit = [c for c in d.clusters if c.n_rl >= 10 and (c.n_base or c.m)]
    assert hit, "the RL-enriched strategy is reported with its base support"


def test_null_has_no_novel_cluster_and_by_is_never_bolder_than_bh():
    traces, vecs, _ = _planted(planted=0)
    _, d = _decide(traces, vecs)
    assert not d.novel.any()
    traces, vecs, _ = _planted()
    _, bh = _decide(traces, vecs)
    _, by = _decide(traces, vecs, fdr_method="by")
    assert (by.q >= bh.q - 1e-12).all() and by.novel.sum() <= bh.novel.sum()
    np.testing.assert_allclose(bh.q, q_values(bh.p, "bh"))


def test_support_counts_a_base_trace_inside_the_core():
    traces, vecs, _ = _planted(base_uses=2)
    stats, _ = _decide(traces, vecs)
    s = stats[0]
    cores = [(g[g >= s.n_base] - s.n_base) for g in s.groups]
    cores = [c[s.rl_nn[c] > s.radius] for c in cores]
    m = candidate_support(s.groups, s.n_base, s.rl_to_base, s.rl, s.base, cores, s.radius, CONFIG)
    planted = {i for i, t in enumerate(traces) if t.id >= "r028"}
    best = max(range(len(s.groups)), key=lambda k: len(planted & set(s.order[s.groups[k]])))
    assert m[best] >= 1


def test_rl_within_radius_reads_the_problem_matrix():
    traces, vecs, _ = _planted()
    stats, _ = _decide(traces, vecs)
    s = stats[0]
    near = s.rl_to_base <= s.radius
    b = int(np.flatnonzero(near.any(axis=0))[0])
    assert rl_within_radius(s, np.array([b]))
    assert not rl_within_radius(s, np.array([b]), np.zeros(s.n_rl, bool))


def test_an_ancestor_that_joins_a_new_strategy_to_a_base_one_no_longer_vetoes_it():
    # Issue 11: RL traces 0-4 use a new strategy B, RL traces 5-9 and every base trace use A.
    # The tree's ancestor holds all of them; its base traces are central to its mixed core.
    rng = np.random.default_rng(0)
    a, b = _unit(rng.normal(size=(2, 16)))
    base = _unit(a + 0.05 * rng.normal(size=(10, 16)))
    rl = _unit(
        np.vstack([b + 0.05 * rng.normal(size=(5, 16)), a + 0.05 * rng.normal(size=(5, 16))])
    )
    groups = [np.arange(20), np.arange(10, 15)]  # positions: base 0-9, RL 10-19
    cores = [np.arange(10), np.arange(5)]  # every RL member beyond the radius
    rl_to_base = 1.0 - rl @ base.T
    args = (groups, 10, rl_to_base, rl, base, cores, 0.0)
    off = candidate_support(*args, CONFIG)  # the problem scope: not inherited
    on = candidate_support(*args, SimpleNamespace(**{**vars(CONFIG), "support_inherit": True}))
    glob = candidate_support(*args, SimpleNamespace(**{**vars(CONFIG), "scope": "global"}))
    assert glob == on  # the global scope inherits by default
    assert off[1] == 0 and on[1] > 0  # the new strategy keeps m = 0 unless inherited
    assert off[0] == on[0] > 0  # the ancestor itself is supported either way
