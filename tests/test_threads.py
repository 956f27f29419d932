"""``one_thread`` (issue 13): one BLAS and FAISS thread inside the block, restored after."""

from __future__ import annotations

import faiss
import numpy as np
from threadpoolctl import threadpool_info

from novelty.projection import project_2d
from novelty.threads import one_thread


def test_one_thread_inside_and_restored_after():
    faiss.omp_set_num_threads(2)
    before = [p["num_threads"] for p in threadpool_info()]
    with one_thread():
        assert faiss.omp_get_max_threads() == 1
        assert all(p["num_threads"] == 1 for p in threadpool_info())
    assert faiss.omp_get_max_threads() == 2
    assert [p["num_threads"] for p in threadpool_info()] == before


def test_pca_matches_scikit_learn_signs_included():
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(0)
    for n, d in [(128, 384), (500, 20), (3, 8)]:
        X = rng.standard_normal((n, d)).astype(np.float32)
        X[:, :2] *= 4
        want = PCA(n_components=2, svd_solver="covariance_eigh").fit_transform(X.astype(float))
        np.testing.assert_allclose(project_2d(X, "pca")[0], want, atol=1e-9)
