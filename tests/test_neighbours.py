import numpy as np

from novelty.neighbours import (
    cosine_distances,
    cosine_distances_to,
    leave_one_out_nn,
    nearest_distance,
    search,
)


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_distances_in_reference_order():
    rng = np.random.default_rng(0)
    q, ref = _unit(rng.normal(size=(7, 16))), _unit(rng.normal(size=(11, 16)))
    d = cosine_distances_to(q, ref, use_gpu=False)
    np.testing.assert_allclose(d, 1 - q @ ref.T, atol=1e-5)


def test_leave_one_out_excludes_self_but_keeps_duplicates():
    rng = np.random.default_rng(1)
    base = _unit(rng.normal(size=(5, 8)))
    base = np.vstack([base, base[:1]])  # trace 0 has an identical twin
    loo = leave_one_out_nn(base, use_gpu=False)
    assert loo[0] < 1e-6 and loo[5] < 1e-6
    full = 1 - base @ base.T
    np.fill_diagonal(full, np.inf)
    np.testing.assert_allclose(loo[1:5], full.min(1)[1:5], atol=1e-5)


def test_single_and_empty():
    one = _unit(np.ones((1, 4)))
    assert np.isinf(leave_one_out_nn(one, use_gpu=False)[0])
    assert cosine_distances_to(one, one[:0], use_gpu=False).shape == (1, 0)


def test_search_returns_nearest_first_and_nearest_distance_matches():
    rng = np.random.default_rng(2)
    q, ref = _unit(rng.normal(size=(9, 16))), _unit(rng.normal(size=(30, 16)))
    dist, idx = search(q, ref, 3, use_gpu=False)
    full = 1 - q @ ref.T
    np.testing.assert_array_equal(idx[:, 0], full.argmin(1))
    assert (np.diff(dist, axis=1) >= 0).all()
    np.testing.assert_allclose(nearest_distance(q, ref, use_gpu=False), full.min(1), atol=1e-5)
    np.testing.assert_allclose(cosine_distances(q, ref), full, atol=1e-6)
    assert np.isinf(nearest_distance(q, ref[:0], use_gpu=False)).all()
