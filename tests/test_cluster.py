import numpy as np
from sklearn.datasets import make_blobs

from novelty.cluster import cluster_problem
from novelty.types import NOISE


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_separated_groups_become_clusters():
    x, y = make_blobs(
        n_samples=[30, 30, 30], n_features=16, cluster_std=0.3, random_state=0, center_box=(-10, 10)
    )
    labels = cluster_problem(_unit(x), min_cluster_size=5)
    for g in range(3):
        found = labels[y == g]
        assert (found == np.bincount(found[found >= 0]).argmax()).mean() > 0.9
    assert len(set(labels.tolist()) - {NOISE}) == 3


def test_too_few_points_are_noise_and_order_is_deterministic():
    assert (cluster_problem(_unit(np.eye(4)), min_cluster_size=5) == NOISE).all()
    x, _ = make_blobs(n_samples=60, n_features=8, centers=3, random_state=1)
    a = cluster_problem(_unit(x), min_cluster_size=5)
    b = cluster_problem(_unit(x), min_cluster_size=5)
    assert (a == b).all()
