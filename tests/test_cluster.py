import numpy as np
from sklearn.datasets import make_blobs

from novelty.cluster import cluster_hierarchy
from novelty.types import NOISE


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_separated_groups_become_clusters():
    x, y = make_blobs(
        n_samples=[30, 30, 30], n_features=16, cluster_std=0.3, random_state=0, center_box=(-10, 10)
    )
    labels = cluster_hierarchy(_unit(x), min_cluster_size=5)[0]
    for g in range(3):
        found = labels[y == g]
        assert (found == np.bincount(found[found >= 0]).argmax()).mean() > 0.9
    assert len(set(labels.tolist()) - {NOISE}) == 3


def test_too_few_points_are_noise_and_order_is_deterministic():
    assert (cluster_hierarchy(_unit(np.eye(4)), min_cluster_size=5)[0] == NOISE).all()
    x, _ = make_blobs(n_samples=60, n_features=8, centers=3, random_state=1)
    a = cluster_hierarchy(_unit(x), min_cluster_size=5)[0]
    b = cluster_hierarchy(_unit(x), min_cluster_size=5)[0]
    assert (a == b).all()


def test_ward_groups_are_nested_and_hold_each_blob():
    from novelty.cluster import ward_groups

    x, y = make_blobs(
        n_samples=[12, 30], n_features=8, cluster_std=0.3, random_state=2, center_box=(-10, 10)
    )
    groups = ward_groups(_unit(x), min_size=5)
    assert all(len(g) >= 5 for g in groups) and all(len(g) < len(x) for g in groups)
    assert any(set(g.tolist()) == set(np.flatnonzero(y == 0).tolist()) for g in groups)
    sets = [set(g.tolist()) for g in groups]
    for a in sets:  # a tree: any two groups are nested or disjoint
        for b in sets:
            assert a <= b or b <= a or not (a & b)
    assert ward_groups(_unit(x[:4]), min_size=5) == []


def test_dense_hdbscan_equals_the_kd_tree_search(monkeypatch):
    """Issue 13: the precomputed-distance HDBSCAN gives the KD-tree variant's labels and tree."""
    import novelty.cluster as cluster

    rng = np.random.default_rng(7)
    centres = rng.standard_normal((4, 96))  # above 60: HDBSCAN's own search is Prim's
    x = _unit(np.repeat(centres, 30, axis=0) + 0.6 * rng.standard_normal((120, 96)))
    dense = cluster.cluster_hierarchy(x, min_cluster_size=5)
    monkeypatch.setattr(cluster, "DENSE_MAX", 10)
    tree = cluster.cluster_hierarchy(x, min_cluster_size=5)
    np.testing.assert_array_equal(dense[0], tree[0])
    assert len(dense[1]) > 2
    assert [g.tolist() for g in dense[1]] == [g.tolist() for g in tree[1]]
