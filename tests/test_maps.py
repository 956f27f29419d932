"""The scan's maps from the problems' maps (issue 13): placed at their traces' rows."""

from __future__ import annotations

import numpy as np
import pytest

from novelty.maps import scan_maps


class _Stats:
    def __init__(self, order):
        self.order = np.asarray(order)


def test_problem_maps_land_on_their_rows():
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((5, 4)).astype(np.float32)
    stats = [_Stats([3, 0]), _Stats([1, 2, 4])]
    maps_in = [(np.array([[1.0, 2.0], [3.0, 4.0]]), "pca"), (np.ones((3, 2)) * 7, "pca")]
    maps = scan_maps(vectors, stats, maps_in, "pca", 0)
    assert maps.used == "pca" and maps.per_problem == ("pca", "pca")
    np.testing.assert_array_equal(maps.within[3], [1.0, 2.0])
    np.testing.assert_array_equal(maps.within[0], [3.0, 4.0])
    assert (maps.within[[1, 2, 4]] == 7).all()
    assert maps.overall.shape == (5, 2)


def test_no_maps_without_a_projection_and_a_mismatch_fails():
    vectors = np.zeros((2, 3), dtype=np.float32)
    assert scan_maps(vectors, [_Stats([0, 1])], [], "none", 0).overall is None
    with pytest.raises(ValueError):
        scan_maps(vectors, [_Stats([0, 1])], [], "pca", 0)
