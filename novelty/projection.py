"""2-D coordinates of the traces for the report's maps: seeded UMAP when it can run, else PCA.

A map is a picture, never evidence: distances on it are not the distances the decision used.
UMAP (the optional ``umap-learn`` package, ``pip install 'novelty[umap]'``) keeps clusters
apart better, but costs 25-40 s per process on a small CPU, mostly numba compilation; PCA is
instant and always available. Which one drew a map is recorded beside its coordinates.
"""

from __future__ import annotations

import importlib.util
import logging
import warnings

import numpy as np

from novelty.errors import ConfigError

logger = logging.getLogger(__name__)

PROJECTIONS = ("auto", "umap", "pca", "none")
# UMAP's neighbour graph needs a few points; below this a map is drawn with PCA.
_UMAP_MIN_POINTS = 16


def umap_available() -> bool:
    """Whether ``umap-learn`` is installed (without importing it, which is slow)."""
    return importlib.util.find_spec("umap") is not None


def resolve_projection(method: str) -> str:
    """``"auto"`` becomes ``"umap"`` when umap-learn is installed and ``"pca"`` otherwise."""
    if method not in PROJECTIONS:
        raise ConfigError(f"projection must be one of {', '.join(PROJECTIONS)}, got {method!r}")
    if method == "auto":
        return "umap" if umap_available() else "pca"
    if method == "umap" and not umap_available():
        raise ConfigError("projection 'umap' needs umap-learn: pip install 'novelty[umap]'")
    return method


def project_2d(vectors: np.ndarray, method: str, *, seed: int = 0) -> tuple[np.ndarray, str]:
    """Coordinates of shape (n, 2), float64, and the method that made them.

    Parameters
    ----------
    vectors : ndarray of shape (n, dim)
        Unit vectors (cosine geometry).
    method : {"umap", "pca"}
        A resolved projection (see :func:`resolve_projection`). UMAP falls back to PCA for
        fewer than 16 points, where its neighbour graph is meaningless.
    seed : int
        UMAP's ``random_state``: the same vectors and seed give the same map.
    """
    X = np.asarray(vectors, dtype=np.float64)
    if method == "umap" and len(X) >= _UMAP_MIN_POINTS:
        return _umap(X, seed), "umap"
    return _pca(X), "pca"


def _pca(X: np.ndarray) -> np.ndarray:
    """First two principal components (zeros where the data has fewer dimensions)."""
    out = np.zeros((len(X), 2))
    k = min(2, len(X) - 1, X.shape[1]) if len(X) else 0
    if k >= 1:
        from sklearn.decomposition import PCA

        out[:, :k] = PCA(n_components=k, svd_solver="covariance_eigh").fit_transform(X)
    return out


def _umap(X: np.ndarray, seed: int) -> np.ndarray:
    import umap

    model = umap.UMAP(
        n_components=2,
        n_neighbors=min(15, len(X) - 1),
        min_dist=0.1,
        metric="cosine",
        random_state=seed,
    )
    with warnings.catch_warnings():
        # A fixed random_state makes UMAP single-threaded, and it says so on every call.
        warnings.filterwarnings("ignore", message=".*n_jobs.*", category=UserWarning)
        return np.asarray(model.fit_transform(X), dtype=np.float64)
