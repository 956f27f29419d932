"""Which base traces already use a candidate's strategy: the support count ``m`` and its rules.

``m`` is what separates "amplified" from "discovered": a candidate is novel only when
``m = 0``. Every rule here is a heuristic about what "uses the strategy" means in an embedding
space, and every one of them can only raise ``m``. Raising ``m`` removes candidates from the
novel set after Benjamini–Hochberg has chosen its discoveries, so none of these rules can add
a false novel call: the false-discovery guarantee of :mod:`novelty.decide.pvalues` holds
whatever they do. What they cost is power: a rule that counts a base trace of a neighbouring
strategy hides a real discovery (a miss, never a false claim).
"""

from __future__ import annotations

import math

import numpy as np

from novelty.neighbours import cosine_distances, leave_one_out_nn


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

    Heuristic (the share, the cap and the near-core clause are choices, not theory); it only
    raises ``m``, so it can hide a discovery but never make a false one.

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


def near_core(
    core: np.ndarray, base: np.ndarray, spacing: float = 1.5, count: int = 2
) -> np.ndarray:
    """Base traces as close to a cluster's core as its members are to each other.

    Parameters
    ----------
    core : ndarray of shape (n_core, dim), unit rows
        RL members of a cluster that lie beyond the radius.
    base : ndarray of shape (n_base, dim), unit rows
        The problem's base traces.
    spacing : float, default=1.5
        A base trace is near when its distance to ``count`` core members is at most
        ``spacing`` times the median nearest-neighbour distance inside the core.
    count : int, default=2
        Core members the base trace must be that near to (all of them in a smaller core).
        A trace that would pass for one more member sits among the members, near several;
        a base trace of a neighbouring strategy touches one member at the core's edge. With
        ``count=1`` such a touch vetoed whole planted strategies (issue 11: 3 of 91 on the
        blind generator, 1 of 126 on ours, over 24 seeds each).

    Returns
    -------
    ndarray of shape (n_base,), bool

    Notes
    -----
    The radius is calibrated on nearest-neighbour distances among many base samples, but a
    strategy that only one base sample uses is seen by its RL traces through that single
    sample, at a typical within-strategy distance, often beyond the radius. Measuring the base
    trace against the core's own spacing asks instead whether it would pass for one more
    member of the strategy. Heuristic (``spacing`` was measured, not derived); it only adds
    base support, so it never adds a false novel call.
    """
    if len(core) < 2 or len(base) == 0:
        return np.zeros(len(base), dtype=bool)
    dk = cosine_distances(core, core)
    np.fill_diagonal(dk, np.inf)
    bar = spacing * float(np.median(dk.min(axis=1)))
    return (cosine_distances(base, core) <= bar).sum(axis=1) >= min(count, len(core))


def keeps_company(
    core: np.ndarray, base: np.ndarray, count: int = 2, *, base_loo: np.ndarray | None = None
) -> np.ndarray:
    """Base traces nearer to ``count`` members of a core than to any other base trace.

    Parameters
    ----------
    core : ndarray of shape (n_core, dim), unit rows
        RL members of a cluster that lie beyond the radius.
    base : ndarray of shape (n_base, dim), unit rows
        The problem's base traces.
    count : int, default=2
        Core members that must be nearer to the base trace than its nearest other base
        trace is (all of them in a smaller core).
    base_loo : ndarray of shape (n_base,), optional
        Each base trace's distance to its nearest other base trace, as the problem's
        calibration already holds it (``ProblemStats.base_loo``); found here when omitted.

    Returns
    -------
    ndarray of shape (n_base,), bool

    Notes
    -----
    A strategy that one base sample uses and RL writes in its own words sits far from that
    sample in the embedding space, often farther than the radius and than the core's own
    spacing, so neither :func:`base_support` nor :func:`near_core` sees it. But the sample
    may still keep the strategy's company: an outlier among the base samples whose nearest
    neighbours are that strategy's RL traces. The test is scale-free, so it does not depend
    on how far RL's phrasing moved the strategy. Alone it hid planted strategies (issue 11:
    an outlying base trace of a neighbouring method, a long or padded one, can lie nearest a
    new strategy; recall 0.639 -> 0.592 on the blind generator, rotated), so it counts only
    together with the words (:func:`company_support`). ``count=2`` rather than 1 keeps one
    stray member from deciding. Heuristic; it only adds base support.
    """
    if len(core) < 2 or len(base) < 2:
        return np.zeros(len(base), dtype=bool)
    own = leave_one_out_nn(base) if base_loo is None else base_loo
    k = min(count, len(core)) - 1
    to_core = np.partition(cosine_distances(base, core), k, axis=1)[:, k]
    return to_core < own


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
    That makes it safe to carry down the cluster tree (:func:`candidate_support`). Heuristic;
    it only adds base support, so it never adds a false novel call.
    """
    if len(core) < 2 or len(base) == 0:
        return np.zeros(len(base), dtype=bool)
    dk = cosine_distances(core, core)
    # Each member's median distance to the others: the row without its diagonal (the same
    # values as a NaN diagonal and nanmedian, at a fraction of the cost; issue 13).
    others = dk[~np.eye(len(core), dtype=bool)].reshape(len(core), len(core) - 1)
    typical = float(np.quantile(np.median(others, axis=1), quantile))
    return np.median(cosine_distances(base, core), axis=1) <= typical


def candidate_support(
    groups: list[np.ndarray],
    n_base: int,
    rl_to_base: np.ndarray,
    rl: np.ndarray,
    base: np.ndarray,
    cores: list[np.ndarray],
    radius: float,
    config,
) -> list[int]:
    """``m`` of every candidate of one problem: the base traces that already use its strategy.

    Heuristic. A base trace counts when it is within the radius of a share of the RL members
    (:func:`base_support`) or would pass for one more member of the core (:func:`near_core`,
    :func:`central_to_core`); :func:`company_support` is asked after the tests, of the
    would-be discoveries only. With ``support_inherit`` centrality is inherited down the tree: a
    tight sub-cluster carved out of a strategy that a base sample supports is that strategy
    still, judged against the ancestor's median member. By default (``None``) only in the
    global scope since issue 11. Within a problem an ancestor that joins a new strategy to
    base ones vetoed the new one (it hid 3 of 4 isolated planted strategies missed on the
    blind generator), and the restyled clusters it used to catch are caught by the lexical rule
    (:mod:`novelty.lexical`). In the global scope an ancestor joins questions: there it is what
    kept late-training questions on one topic, which no early sample answered, from being
    called a new strategy (real GRPO rollouts, steps 1-20 against 181-200). Only raises ``m``
    (see the module notes).

    Parameters
    ----------
    groups : list of ndarray
        Each candidate's members as problem positions (base first, then RL).
    n_base : int
        Base traces of the problem; positions ``>= n_base`` are RL.
    rl_to_base : ndarray of shape (n_rl, n_base)
    rl, base : ndarray
        The problem's RL and base vectors.
    cores : list of ndarray
        Each candidate's core as RL indices (members beyond the radius).
    config : ScanConfig
        ``support_share``, ``support_spacing``, ``support_near``, ``support_count``,
        ``support_centrality``, ``support_inherit``.
    """
    off = config.support_centrality is None
    inherit = not off and (
        config.support_inherit if config.support_inherit is not None else config.scope == "global"
    )
    central_median = [
        central_to_core(rl[c], base, quantile=0.5) if inherit else np.zeros(n_base, bool)
        for c in cores
    ]
    member_sets = [set(g.tolist()) for g in groups]
    out = []
    for k, (g, core) in enumerate(zip(groups, cores, strict=True)):
        near = near_core(rl[core], base, config.support_spacing, config.support_near)
        if not off:
            near |= central_to_core(rl[core], base, quantile=config.support_centrality)
        for j, other in enumerate(member_sets) if inherit else ():
            if j != k and member_sets[k] < other:
                near |= central_median[j]
        out.append(
            base_support(
                rl_to_base[g[g >= n_base] - n_base],
                radius,
                config.support_share,
                near_core=near,
                max_needed=config.support_count,
            )
        )
    return out


# Share of a rare sample's weighted content that members must hold beyond what any other base
# trace holds, for the words alone to say the sample keeps a candidate's company (issue 11:
# 0.15 and 0.25 gave the same calls on the blind generator, rotated; 0.4 let more through).
COMPANY_MARGIN = 0.25


def company_support(stats, members: np.ndarray, lexical, count: int = 2) -> int:
    """Base traces that keep a candidate's company: ``m`` of the company rule.

    Parameters
    ----------
    stats : ProblemStats
        The candidate's problem.
    members : ndarray of int
        The candidate's RL members as RL positions of the problem.
    lexical : LexicalSupport
        The lexical rule of the scan (:mod:`novelty.lexical`).
    count : int, default=2
        Members each condition needs (``ScanConfig.support_company``).

    Notes
    -----
    A strategy that one or two base samples use, written by RL in other words, lies beyond
    every distance rule, and most of its RL traces contain the sample only in part, below the
    lexical rule's bar (:mod:`novelty.lexical`). A base trace counts when it keeps the
    company of the candidate in two relative senses: it is nearer to ``count`` core members
    than to any other base trace (:func:`keeps_company`), and ``count`` members contain it
    more fully than any other base trace does (:meth:`~novelty.lexical.LexicalSupport.company`);
    or, in words alone, when ``count`` members contain it more fully than any other base
    trace by :data:`COMPANY_MARGIN` of its content. Each sense alone, without the margin,
    took planted strategies: an outlying base trace of a neighbouring method can be nearest
    to a new strategy in the embedding space, yet its words are its own method's; a base
    trace with words of its own shares a little more with a new strategy's traces than with
    anything else (0.03-0.15 of its content against 0.02-0.06 with any base trace), yet
    lies nearer to its own method. Measured (issue 11; README): the blind generator's
    rare-strategy false-novel rate fell from 0.080 to 0.016 (rotated) and 0.041 to 0.013,
    recall unchanged. Heuristic; it only adds base support, after the tests, so it never
    adds a false novel call.
    """
    words = lexical.company(stats.order, stats.n_base, members, count, COMPANY_MARGIN)
    core = members[stats.rl_nn[members] > stats.radius]
    near = keeps_company(stats.rl[core], stats.base, count, base_loo=stats.base_loo)
    if near.any():  # the words without the margin are read only where the space agrees
        words |= near & lexical.company(stats.order, stats.n_base, members, count)
    return int(words.sum())


def nearer_to_core(
    rl: np.ndarray, r_mem: np.ndarray, core: np.ndarray, rl_nn: np.ndarray
) -> np.ndarray:
    """The core (RL members beyond the radius) and the RL members nearer to it than to any
    base trace: a strategy's traces need not all clear the radius, only lean to the strategy.

    Heuristic, and it only decides which RL traces a novel cluster's row lists: the cluster's
    test and its ``m`` are those of the candidate, so the number of false novel clusters is
    unchanged; a listed trace is as near to the core as to anything the base model wrote.
    """
    if len(core) < 2:
        return core
    to_core = cosine_distances(rl[r_mem], rl[core])
    to_core[np.isin(r_mem, core)] = np.inf
    closer = to_core.min(axis=1) < rl_nn[r_mem]
    return r_mem[closer | np.isin(r_mem, core)]
