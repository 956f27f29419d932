"""Label-blind strategy clusters: HDBSCAN over one problem's base and RL traces together.

The clustering never sees which side a trace came from, which is what makes the base/RL
labels inside a cluster exchangeable under the null (see :mod:`novelty.decide`).
"""

from __future__ import annotations

import numpy as np

from novelty._optional import require
from novelty.types import NOISE


def cluster_problem(
    vectors: np.ndarray,
    *,
    min_cluster_size: int = 5,
    min_samples: int | None = None,
) -> np.ndarray:
    """HDBSCAN labels for the unit vectors of one problem (``NOISE`` = -1 for no cluster).

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
        Cluster index per trace, ``NOISE`` for unclustered traces.

    Notes
    -----
    Euclidean distance on unit vectors is a monotone function of cosine distance
    (``|a - b|^2 = 2 - 2 cos``), so the clusters are those of cosine geometry. HDBSCAN is
    deterministic for a given input order; the pipeline sorts traces before calling it.
    """
    n = len(vectors)
    if n < max(min_cluster_size, 2):
        return np.full(n, NOISE, dtype=np.int64)
    hdbscan = require("hdbscan")
    model = hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples if min_samples is not None else min_cluster_size,
        metric="euclidean",
        cluster_selection_method="eom",
        cluster_selection_epsilon=0.0,
        allow_single_cluster=False,
        core_dist_n_jobs=1,
    )
    labels = model.fit_predict(np.asarray(vectors, dtype=np.float64))
    return labels.astype(np.int64)
