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


def _hdbscan(vectors: np.ndarray, min_cluster_size: int, min_samples: int | None):
    hdbscan = require("hdbscan")
    return hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples if min_samples is not None else min_cluster_size,
        metric="euclidean",
        cluster_selection_method="eom",
        cluster_selection_epsilon=0.0,
        allow_single_cluster=False,
        core_dist_n_jobs=1,
    ).fit(np.asarray(vectors, dtype=np.float64))


def cluster_hierarchy(
    vectors: np.ndarray,
    *,
    min_cluster_size: int = 5,
    min_samples: int | None = None,
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
    model = _hdbscan(vectors, min_cluster_size, min_samples)
    labels = model.labels_.astype(np.int64)
    tree = model.condensed_tree_.to_numpy()
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


def ward_groups(vectors: np.ndarray, *, min_size: int = 5) -> list[np.ndarray]:
    """Member indices of every node of a Ward tree over the vectors with at least ``min_size``
    members (the root excluded).

    A second, label-blind family of candidates: Ward merges compact groups, where HDBSCAN's
    density tree can chain a small strategy into a larger neighbour before it stands alone.
    """
    n = len(vectors)
    if n < max(min_size, 2) + 1:
        return []
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=1, linkage="ward", compute_full_tree=True).fit(
        np.asarray(vectors, dtype=np.float64)
    )
    members: list[np.ndarray] = []
    for a, b in model.children_:
        left = np.array([a]) if a < n else members[a - n]
        right = np.array([b]) if b < n else members[b - n]
        members.append(np.sort(np.concatenate([left, right])))
    return [m for m in members[:-1] if len(m) >= min_size]
