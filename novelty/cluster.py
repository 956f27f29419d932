"""Label-blind strategy clusters: HDBSCAN over one problem's base and RL traces together.

The clustering never sees which side a trace came from, which is what makes the base/RL
labels inside a cluster exchangeable under the null (see :mod:`novelty.decide`). Besides the
flat clusters, every cluster of HDBSCAN's condensed tree is a candidate strategy: a strategy
can sit at a finer or a coarser level than the one the flat selection picks, and testing all
levels keeps the verdict from hinging on that choice.
"""

from __future__ import annotations

import numpy as np

from novelty._optional import require
from novelty.types import NOISE

# Above this many traces the dense distance matrix (n^2 floats) is too big: KD-tree HDBSCAN.
DENSE_MAX = 5000
# HDBSCAN's own search runs Prim's MST (what the dense path reproduces) above 60 dimensions
# only; at 60 or fewer it runs Boruvka, whose ties can fall otherwise, so that path stays.
_PRIMS_ABOVE_DIM = 60


def _hdbscan_tree(
    vectors: np.ndarray, min_cluster_size: int, min_samples: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Flat labels and condensed tree by HDBSCAN's own search (memory linear in traces)."""
    hdbscan = require("hdbscan")
    model = hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples if min_samples is not None else min_cluster_size,
        metric="euclidean",
        cluster_selection_method="eom",
        cluster_selection_epsilon=0.0,
        allow_single_cluster=False,
        core_dist_n_jobs=1,
    ).fit(np.asarray(vectors, dtype=np.float64))
    return model.labels_, model.condensed_tree_.to_numpy()


def pairwise(vectors: np.ndarray) -> np.ndarray:
    """Condensed Euclidean distances of the rows (float64), shared by HDBSCAN and Ward.

    Issue 13: from the rows' Gram matrix (one BLAS product; SciPy's ``pdist`` loops over the
    pairs and cost 10x more at 128 rows of 384 dimensions). The two agree to ~1e-15.
    """
    from scipy.spatial.distance import squareform

    X = np.asarray(vectors, dtype=np.float64)
    sq = np.einsum("ij,ij->i", X, X)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (X @ X.T)
    np.fill_diagonal(d2, 0.0)
    return squareform(np.sqrt(np.maximum(d2, 0.0, out=d2), out=d2), checks=False)


def _hdbscan(
    distances: np.ndarray, min_cluster_size: int, min_samples: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Flat labels and the condensed tree (a structured array) from condensed distances.

    Issue 13: HDBSCAN on the precomputed matrix (its generic Prim's MST) instead of the
    KD-tree variant: in 384 dimensions the tree prunes nothing and cost 4x more. Both take the
    MST of the same mutual-reachability values with the same tie rule (first minimum), and
    SciPy's distances equal the KD-tree's bit for bit, so labels and trees are identical
    (above 60 dimensions, where HDBSCAN's search is Prim's too).
    """
    from scipy.spatial.distance import squareform

    hdbscan = require("hdbscan")
    labels, _, _, tree, _, _ = hdbscan.hdbscan(
        squareform(distances),
        min_cluster_size=min_cluster_size,
        min_samples=min_samples if min_samples is not None else min_cluster_size,
        metric="precomputed",
        cluster_selection_method="eom",
        cluster_selection_epsilon=0.0,
        allow_single_cluster=False,
        core_dist_n_jobs=1,
    )
    return labels, tree


def cluster_hierarchy(
    vectors: np.ndarray,
    *,
    min_cluster_size: int = 5,
    min_samples: int | None = None,
    distances: np.ndarray | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Flat HDBSCAN labels and every cluster of the condensed tree below the root.

    Parameters
    ----------
    vectors : ndarray of shape (n_traces, dim), float32, unit rows
        Base and RL traces of one problem, in a fixed (sorted) order.
    min_cluster_size : int, default=5
        Smallest group HDBSCAN reports as a cluster.
    min_samples : int, optional
        Density smoothing; defaults to ``min_cluster_size``. Small values (1) leave fewer
        traces as noise.
    distances : ndarray, optional
        :func:`pairwise` of the vectors, when the caller already has them.

    Returns
    -------
    labels : ndarray of shape (n_traces,), int
        The flat (excess-of-mass) clusters, ``NOISE`` for unclustered traces.
    groups : list of ndarray of int
        Member indices of each cluster node of the condensed tree except the root, in a
        deterministic order (by tree node id). The flat clusters are among them.

    Notes
    -----
    Euclidean distance on unit vectors is a monotone function of cosine distance
    (``|a - b|^2 = 2 - 2 cos``), so the clusters are those of cosine geometry. HDBSCAN is
    deterministic for a given input order; the pipeline sorts traces before calling it.
    """
    n = len(vectors)
    if n < max(min_cluster_size, 2) + 1:
        return np.full(n, NOISE, dtype=np.int64), []
    if n > DENSE_MAX or vectors.shape[1] <= _PRIMS_ABOVE_DIM:
        flat, tree = _hdbscan_tree(vectors, min_cluster_size, min_samples)
    else:
        if distances is None:
            distances = pairwise(vectors)
        flat, tree = _hdbscan(distances, min_cluster_size, min_samples)
    labels = np.asarray(flat).astype(np.int64)
    children: dict[int, list[int]] = {}
    for parent, child in zip(tree["parent"].tolist(), tree["child"].tolist(), strict=True):
        children.setdefault(parent, []).append(child)
    root = int(tree["parent"].min()) if len(tree) else n
    members: dict[int, np.ndarray] = {}

    def collect(node: int) -> np.ndarray:
        if node < n:
            return np.array([node], dtype=np.int64)
        if node not in members:
            parts = [collect(c) for c in children.get(node, [])]
            members[node] = np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
        return members[node]

    collect(root)
    groups = [members[k] for k in sorted(members) if k != root and len(members[k])]
    return labels, groups


def ward_groups(
    vectors: np.ndarray, *, min_size: int = 5, distances: np.ndarray | None = None
) -> list[np.ndarray]:
    """Member indices of every node of a Ward tree over the vectors with at least ``min_size``
    members (the root excluded).

    A second, label-blind family of candidates: Ward merges compact groups, where HDBSCAN's
    density tree can chain a small strategy into a larger neighbour before it stands alone.
    The tree is SciPy's Ward linkage of the Euclidean distances (what scikit-learn's
    unconstrained Ward runs), on ``distances`` (:func:`pairwise`) when given.
    """
    n = len(vectors)
    if n < max(min_size, 2) + 1:
        return []
    from scipy.cluster.hierarchy import linkage

    if distances is None:
        distances = pairwise(vectors)
    children = linkage(distances, method="ward")[:, :2].astype(np.intp)
    members: list[np.ndarray] = []
    for a, b in children.tolist():
        left = np.array([a]) if a < n else members[a - n]
        right = np.array([b]) if b < n else members[b - n]
        members.append(np.sort(np.concatenate([left, right])))
    return [m for m in members[:-1] if len(m) >= min_size]
