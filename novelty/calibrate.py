"""Full-conformal p-values for "this RL trace is farther from the base traces than base traces
are from each other", and the radius that ``p <= alpha`` implies.

This module holds the per-trace null model only: p-values and the radius. Which base traces
count as using a cluster's strategy, the cluster tests and the multiple-testing decision live
in :mod:`novelty.decide`.
"""

from __future__ import annotations

import math

import numpy as np

# Distances are float32 cosines; a tie closer than this counts as a tie (conservative).
_TIE_TOL = 1e-6


def conformal_p_values(base_loo: np.ndarray, rl_nn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Full-conformal p-values of RL traces against the base traces of one problem.

    Parameters
    ----------
    base_loo : ndarray of shape (n_base,)
        Cosine distance of each base trace to its nearest other base trace.
    rl_nn : ndarray of shape (n_rl,) or (n_rl, n_base)
        Cosine distance of each RL trace to its nearest base trace (or to every base trace,
        of which the nearest is taken).

    Returns
    -------
    nn_distance : ndarray of shape (n_rl,)
        Score of each RL trace, ``s(x) = min_b d(x, b)``.
    p_values : ndarray of shape (n_rl,)
        ``p(x) = (1 + #{b : s_b >= s(x)}) / (n_base + 1)`` where ``s_b`` is the score of base
        trace ``b`` against ``(B \\ {b}) ∪ {x}``.

    Notes
    -----
    Null hypothesis: the RL trace ``x`` and the base traces are exchangeable (RL samples from
    the base distribution of this problem). Then the rank of ``s(x)`` among the ``n_base + 1``
    scores is uniform and ``P(p(x) <= a) <= a`` for every ``a`` [1]_ (Sec. 2). Exchangeability
    fails when base samples are not i.i.d. (e.g. deduplicated, or drawn at several
    temperatures), and the p-value is then only approximate. Ties count against novelty. With
    ``n_base`` samples no p-value is below ``1 / (n_base + 1)``.

    References
    ----------
    .. [1] Vovk, Gammerman & Shafer, "Algorithmic Learning in a Random World", Springer, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> base_loo = np.array([0.1, 0.1, 0.2])
    >>> rl = np.array([[0.9, 0.8, 0.95], [0.05, 0.3, 0.3]])
    >>> s, p = conformal_p_values(base_loo, rl)
    >>> s.round(2).tolist(), p.round(2).tolist()
    ([0.8, 0.05], [0.25, 1.0])
    """
    base_loo = np.asarray(base_loo, dtype=np.float64)
    d = np.asarray(rl_nn, dtype=np.float64)
    n_base = base_loo.shape[0]
    if d.shape[0] == 0 or n_base == 0:
        return np.zeros(d.shape[0]), np.ones(d.shape[0])
    s_x = d.min(axis=1) if d.ndim == 2 else d
    # s_b, the score of b with x added to its reference set, is min(d(b, B \ {b}), d(b, x)),
    # and d(b, x) >= s(x) for every b, so s_b >= s(x) exactly when d(b, B \ {b}) >= s(x):
    # the nearest base distance and the sorted leave-one-out distances are all it takes.
    ranked = np.sort(base_loo)
    n_ge = n_base - np.searchsorted(ranked, s_x - _TIE_TOL, side="left")
    return s_x, (1.0 + n_ge) / (n_base + 1.0)


def conformal_radius(base_loo: np.ndarray, alpha: float) -> float:
    """Distance beyond which an RL trace's conformal p-value is at most ``alpha``.

    Parameters
    ----------
    base_loo : ndarray of shape (n_base,)
        Leave-one-out nearest-base distances of the base traces.
    alpha : float
        Level in (0, 1).

    Returns
    -------
    float
        ``r`` such that ``s(x) > r`` gives ``p(x) <= alpha`` when ``x`` is farther than ``r``
        from every base trace: the ``(j + 1)``-th largest ``base_loo`` with
        ``j = floor(alpha (n + 1)) - 1``. When ``n + 1 < 1 / alpha`` no p-value can reach
        ``alpha``; the radius is then the largest leave-one-out distance (the loosest
        base-to-base gap), so the "no base trace within r" rule stays meaningful.

    Examples
    --------
    >>> import numpy as np
    >>> round(conformal_radius(np.linspace(0.01, 0.2, 20), 0.05), 3)
    0.2
    >>> round(conformal_radius(np.linspace(0.01, 0.4, 40), 0.05), 3)
    0.39
    """
    loo = np.asarray(base_loo, dtype=np.float64)
    loo = loo[np.isfinite(loo)]
    if loo.size == 0:
        return math.inf
    desc = np.sort(loo)[::-1]
    j = math.floor(alpha * (loo.size + 1) + 1e-9) - 1
    return float(desc[min(max(j, 0), desc.size - 1)])
