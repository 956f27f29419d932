"""How varied one side's traces are: strategy counts, entropy, and the Vendi score.

RL that sharpens concentrates its samples on fewer strategies ("entropy collapse"); the RL/base
ratios of these figures show it whether or not anything novel appears.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np


def cluster_entropy(labels: Iterable[int], noise: int = -1) -> float | None:
    """Shannon entropy (nats) of the cluster distribution of the clustered traces.

    Noise traces belong to no strategy and are left out; ``None`` when nothing is clustered.

    Examples
    --------
    >>> round(cluster_entropy([0, 0, 1, 1]), 4)
    0.6931
    """
    counts = np.array([c for k, c in Counter(labels).items() if k != noise], dtype=np.float64)
    if counts.sum() == 0:
        return None
    p = counts / counts.sum()
    return float(max(0.0, -(p * np.log(p)).sum()))  # one cluster: 0, not -0


def vendi_score(vectors: np.ndarray) -> float | None:
    """Vendi score (order q = 1) of unit vectors under the cosine-similarity kernel.

    Parameters
    ----------
    vectors : ndarray of shape (n, d)
        Unit-norm rows, so the kernel ``K = X X^T`` has ones on its diagonal.

    Returns
    -------
    float or None
        ``exp(-sum_i lambda_i log lambda_i)`` over the eigenvalues of ``K / n`` [1]_: the
        effective number of distinct samples, 1 when all coincide and n when all are
        orthogonal. ``None`` for no vectors.

    Notes
    -----
    ``K / n = X X^T / n`` and ``X^T X / n`` share their non-zero eigenvalues, so the smaller of
    the two (n x n or d x d) is decomposed; thousands of traces stay cheap.

    References
    ----------
    .. [1] Friedman & Dieng, "The Vendi Score: A Diversity Evaluation Metric for Machine
       Learning", TMLR 2023, Def. 3.1.

    Examples
    --------
    >>> round(vendi_score(np.eye(3)), 6)
    3.0
    """
    x = np.asarray(vectors, dtype=np.float64)
    n = len(x)
    if n == 0:
        return None
    gram = x @ x.T if n <= x.shape[1] else x.T @ x
    lam = np.clip(np.linalg.eigvalsh(gram / n), 0.0, None)
    lam = lam[lam > 1e-12]
    return float(np.exp(-(lam * np.log(lam)).sum()))


def side_diversity(labels: list[int], vectors: np.ndarray, noise: int = -1) -> dict[str, Any]:
    """Cluster count, entropy, noise share and Vendi score of one side of one problem."""
    return {
        "n": len(labels),
        "n_clusters": len({k for k in labels if k != noise}),
        "entropy": cluster_entropy(labels, noise),
        "noise_share": sum(k == noise for k in labels) / len(labels) if labels else None,
        "vendi": vendi_score(vectors),
    }


def matched_diversity(
    labels: list[int],
    vectors: np.ndarray,
    size: int,
    rng: np.random.Generator,
    *,
    repeats: int = 20,
    noise: int = -1,
) -> dict[str, Any]:
    """:func:`side_diversity` averaged over ``repeats`` random subsamples of ``size`` traces.

    Every figure here grows with the number of samples (a side with 8 traces cannot show 20
    clusters, and its Vendi score is at most 8), so comparing an 80-trace side with an 8-trace
    side reads sample size as collapse. Subsampling the larger side to the smaller one's size
    compares like with like.
    """
    n = len(labels)
    if size >= n:
        return side_diversity(labels, vectors, noise)
    lab = np.asarray(labels)
    runs = []
    for _ in range(repeats):
        pick = np.sort(rng.choice(n, size=size, replace=False))
        runs.append(side_diversity(lab[pick].tolist(), vectors[pick], noise))
    out: dict[str, Any] = {"n": size}
    for f in ("n_clusters", "entropy", "noise_share", "vendi"):
        vals = [r[f] for r in runs if r[f] is not None]
        out[f] = float(np.mean(vals)) if vals else None
    out["repeats"] = repeats
    return out


def ratio(rl: float | None, base: float | None) -> float | None:
    """RL / base, or ``None`` when either is missing or base is zero."""
    if rl is None or base is None or base == 0:
        return None
    return rl / base
