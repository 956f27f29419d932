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
# Rows projected at once (float64 blocks of bounded size).
_CHUNK = 65_536
# Above this many rows the components come from every k-th row (rows this many or fewer).
_FIT_MAX = 65_536


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
    if method == "umap" and len(vectors) >= _UMAP_MIN_POINTS:
        return _umap(np.asarray(vectors, dtype=np.float64), seed), "umap"
    return _pca(vectors), "pca"


def _pca(X: np.ndarray, chunk: int = _CHUNK) -> np.ndarray:
    """First two principal components (zeros where the data has fewer dimensions).

    The components of scikit-learn's ``PCA(svd_solver="covariance_eigh")``, signs included
    (each component's largest loading is positive), computed without its per-call overhead
    (thousands of per-problem maps) and in float64 blocks of ``chunk`` rows (a million
    traces never make a float64 copy). Issue 13: with fewer rows than dimensions the
    eigenvectors come from the rows' Gram matrix, a smaller problem with the same answer; above
    ``_FIT_MAX`` rows, from every k-th row's covariance about the mean of all rows.
    """
    n = len(X)
    out = np.zeros((n, 2))
    k = min(2, n - 1, X.shape[1]) if n else 0
    if k < 1:
        return out
    if n <= min(chunk, X.shape[1]):  # a problem's traces: one float64 copy, centred once
        Xc = np.asarray(X, dtype=np.float64)
        Xc = Xc - Xc.mean(axis=0)
        comps = Xc.T @ _top_eigenvectors(Xc @ Xc.T, k)  # the covariance's, scaled
        norms = np.linalg.norm(comps, axis=0)
        comps = np.divide(comps, norms, out=np.zeros_like(comps), where=norms > 1e-12)
        out[:, :k] = Xc @ _signed(comps)
        return out
    mean = np.zeros(X.shape[1])
    for start in range(0, n, chunk):
        mean += np.asarray(X[start : start + chunk], dtype=np.float64).sum(axis=0)
    mean /= n
    # Issue 13: the covariance of a million rows cost 20 s of a 2-minute budget; a picture's
    # two axes are as well drawn from every k-th row (the rows come sorted by problem, so the
    # stride reaches every problem alike). Deterministic, and exact up to _FIT_MAX rows.
    fit = X[:: -(-n // _FIT_MAX)]
    C = np.zeros((X.shape[1], X.shape[1]))
    for start in range(0, len(fit), chunk):
        block = np.asarray(fit[start : start + chunk], dtype=np.float64) - mean
        C += block.T @ block
    comps = _signed(_top_eigenvectors(C, k))
    if n > _FIT_MAX:  # a sampled picture already: projected in float32 (a million rows: 3 s less)
        comps32, shift = comps.astype(np.float32), mean @ comps
        for start in range(0, n, chunk):
            block = np.asarray(X[start : start + chunk], dtype=np.float32)
            out[start : start + len(block), :k] = block @ comps32 - shift
        return out
    for start in range(0, n, chunk):
        block = np.asarray(X[start : start + chunk], dtype=np.float64) - mean
        out[start : start + len(block), :k] = block @ comps
    return out


def _signed(comps: np.ndarray) -> np.ndarray:
    """Components with their largest loading positive (scikit-learn's sign rule)."""
    biggest = np.argmax(np.abs(comps), axis=0)
    return comps * np.sign(comps[biggest, np.arange(comps.shape[1])])


def _top_eigenvectors(sym: np.ndarray, k: int) -> np.ndarray:
    """The eigenvectors of the ``k`` largest eigenvalues of a symmetric matrix, largest first
    (LAPACK's subset solver: 3x faster than the full decomposition at 128 rows)."""
    from scipy.linalg import eigh

    n = len(sym)
    _, vecs = eigh(sym, subset_by_index=[n - k, n - 1])
    return vecs[:, ::-1]


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
