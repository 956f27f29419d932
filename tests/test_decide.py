import numpy as np
import pytest
from scipy import stats
from scipy.special import comb

from novelty.decide import ClusterTest, cluster_p_value, decide


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
