"""Full-conformal p-values for "this RL trace is farther from the base traces than base traces
are from each other", and the radius that ``p <= alpha`` implies.

This module holds the per-trace null model only; cluster-level tests and the multiple-testing
decision live in :mod:`novelty.decide`.
"""

from __future__ import annotations

import math

import numpy as np

# Distances are float32 cosines; a tie closer than this counts as a tie (conservative).
_TIE_TOL = 1e-6


def conformal_p_values(
    base_loo: np.ndarray, rl_to_base: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Full-conformal p-values of RL traces against the base traces of one problem.

    Parameters
    ----------
    base_loo : ndarray of shape (n_base,)
        Cosine distance of each base trace to its nearest other base trace.
    rl_to_base : ndarray of shape (n_rl, n_base)
        Cosine distance of each RL trace to each base trace.

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
    d = np.asarray(rl_to_base, dtype=np.float64)
    n_base = base_loo.shape[0]
    if d.shape[0] == 0 or n_base == 0:
        return np.zeros(d.shape[0]), np.ones(d.shape[0])
    s_x = d.min(axis=1)
    # s_b with x added to the reference set of b: min(d(b, B \ {b}), d(b, x)).
    s_b = np.minimum(base_loo[None, :], d)
    n_ge = (s_b >= s_x[:, None] - _TIE_TOL).sum(axis=1)
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


def base_support(
    rl_to_base: np.ndarray,
    radius: float,
    share: float = 0.25,
    *,
    near_core: np.ndarray | None = None,
    max_needed: int = 1_000_000,
) -> int:
    """Number of base traces that use a cluster's strategy: ``m`` of DESIGN.md's budget.

    Parameters
    ----------
    rl_to_base : ndarray of shape (n_members, n_base)
        Distances from the cluster's RL members to every base trace of the problem.
    radius : float
        The problem's conformal radius.
    share : float, default=0.25
        A base trace counts when it lies within ``radius`` of at least this share of the
        members (and of at least one). ``share=0`` counts any base trace within ``radius`` of
        any member.
    max_needed : int, optional
        Cap on the members needed: within ``radius`` of this many members is always enough,
        however large the cluster (the pipeline uses 5).
    near_core : ndarray of shape (n_base,), bool, optional
        Base traces that lie within the cluster's own spacing of its core (see
        :func:`near_core`). They count too: a strategy that one base sample uses can keep
        that sample beyond the radius of most RL members (restyled, say) while it still sits
        at the core's edge like one of its members.
    Returns
    -------
    int
        ``m``, the base traces within the radius of the cluster.

    Notes
    -----
    A base sample that uses the strategy sits among its members, within the radius of a good
    part of them; a base trace of a neighbouring strategy touches only the cluster's edge
    (one or two boundary members). Counting only the first kind keeps one boundary member
    from vetoing a whole cluster, while a strategy that even one base sample uses still
    gets ``m >= 1``; the cap keeps a large cluster from needing a base sample to sit near
    a quarter of it.

    Examples
    --------
    >>> import numpy as np
    >>> d = np.array([[0.1, 0.9], [0.2, 0.9], [0.9, 0.3], [0.9, 0.9]])
    >>> base_support(d, 0.5, 0.25), base_support(d, 0.5, 0.5), base_support(d, 0.5, 0.0)
    (2, 1, 2)
    """
    d = np.asarray(rl_to_base)
    if d.size == 0:
        return 0
    hits = (d <= radius).sum(axis=0)
    need = max(1, min(math.ceil(share * d.shape[0] - 1e-9), max_needed))
    support = hits >= need
    if near_core is not None:
        support |= np.asarray(near_core, dtype=bool)
    return int(support.sum())


def near_core(core: np.ndarray, base: np.ndarray, spacing: float = 1.5) -> np.ndarray:
    """Base traces as close to a cluster's core as its members are to each other.

    Parameters
    ----------
    core : ndarray of shape (n_core, dim), unit rows
        RL members of a cluster that lie beyond the radius.
    base : ndarray of shape (n_base, dim), unit rows
        The problem's base traces.
    spacing : float, default=1.5
        A base trace is near when its distance to the nearest core member is at most
        ``spacing`` times the median nearest-neighbour distance inside the core.

    Returns
    -------
    ndarray of shape (n_base,), bool

    Notes
    -----
    The radius is calibrated on nearest-neighbour distances among many base samples, but a
    strategy that only one base sample uses is seen by its RL traces through that single
    sample, at a typical within-strategy distance, often beyond the radius. Measuring the base
    trace against the core's own spacing asks instead whether it would pass for one more
    member of the strategy.
    """
    if len(core) < 2 or len(base) == 0:
        return np.zeros(len(base), dtype=bool)
    dk = 1.0 - core @ core.T
    np.fill_diagonal(dk, np.inf)
    return (1.0 - base @ core.T).min(axis=1) <= spacing * float(np.median(dk.min(axis=1)))


def central_to_core(core: np.ndarray, base: np.ndarray, quantile: float = 0.9) -> np.ndarray:
    """Base traces whose median distance to a core is no larger than most members' own.

    Parameters
    ----------
    core : ndarray of shape (n_core, dim), unit rows
    base : ndarray of shape (n_base, dim), unit rows
    quantile : float, default=0.9
        A base trace is central when its median distance to the core members is at most this
        quantile of the members' median distances to the other members.

    Returns
    -------
    ndarray of shape (n_base,), bool

    Notes
    -----
    A median over the whole core, unlike the nearest member, is not fooled by a core that
    mixes strategies: a base trace near a few members of another strategy stays peripheral.
    That makes it safe to carry down the cluster tree (see :mod:`novelty.problem`).
    """
    if len(core) < 2 or len(base) == 0:
        return np.zeros(len(base), dtype=bool)
    dk = 1.0 - core @ core.T
    np.fill_diagonal(dk, np.nan)
    typical = float(np.quantile(np.nanmedian(dk, axis=1), quantile))
    return np.median(1.0 - base @ core.T, axis=1) <= typical
