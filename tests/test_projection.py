"""Map coordinates: PCA always, seeded UMAP when installed, recorded per map."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import PlantedEmbedder, planted_records
from novelty import ConfigError, scan
from novelty.projection import project_2d, resolve_projection, umap_available


def _unit(n, d=8, seed=0):
    x = np.random.default_rng(seed).normal(size=(n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_pca_separates_two_groups_and_handles_tiny_inputs():
    e = np.eye(8)[0]
    x = np.vstack([_unit(20, seed=1) * 0.1 + e, _unit(20, seed=2) * 0.1 - e])
    xy, used = project_2d(x, "pca")
    assert used == "pca" and xy.shape == (40, 2)
    assert (np.sign(xy[:20, 0]) != np.sign(xy[20:, 0])).all()
    assert project_2d(_unit(1), "pca")[0].tolist() == [[0.0, 0.0]]
    assert project_2d(_unit(2), "pca")[0].shape == (2, 2)
    # Too few points for a neighbour graph: drawn with PCA whatever was asked.
    assert project_2d(_unit(5), "umap")[1] == "pca"


def test_resolve_projection():
    assert resolve_projection("pca") == "pca"
    assert resolve_projection("auto") == ("umap" if umap_available() else "pca")
    with pytest.raises(ConfigError, match="projection must be one of"):
        resolve_projection("tsne")


def test_scan_stores_maps_and_says_which_projection():
    recs = planted_records(n_problems=2, seed=3)
    a = scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole", projection="pca")
    b = scan(recs[::-1], embedder=PlantedEmbedder(), cache=None, view="whole", projection="pca")
    assert a.summary["projection"] == "pca"
    assert all(p["projection"] == "pca" for p in a.problems)
    keys = ("map_x", "map_y", "problem_map_x", "problem_map_y")
    assert all(all(isinstance(t[k], float) for k in keys) for t in a.traces)
    assert a.to_json() == b.to_json()  # line order does not move a point
    off = scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole", projection="none")
    assert off.summary["projection"] is None and "map_x" not in off.traces[0]
    with pytest.raises(ConfigError, match="projection"):
        scan(recs, embedder=PlantedEmbedder(), cache=None, projection="tsne")


@pytest.mark.slow
@pytest.mark.skipif(not umap_available(), reason="umap-learn is not installed")
def test_umap_is_seeded():
    x = np.vstack([_unit(30, seed=1) + 2 * np.eye(8)[0], _unit(30, seed=2) - 2 * np.eye(8)[0]])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    a, used = project_2d(x, "umap", seed=1)
    b, _ = project_2d(x, "umap", seed=1)
    assert used == "umap" and np.array_equal(a, b)
    # The two groups land apart: every point is nearer its own group's centre.
    ca, cb = a[:30].mean(0), a[30:].mean(0)
    near_a = np.linalg.norm(a - ca, axis=1) < np.linalg.norm(a - cb, axis=1)
    assert near_a[:30].all() and not near_a[30:].any()
