"""Cluster-level tests and multiple testing: the only place false-discovery control is applied.

A candidate is novel when (DESIGN.md, Method): its label-exchangeability p-value survives
Benjamini–Hochberg across every candidate tested, no base trace uses its strategy (``m = 0``,
counted by :mod:`novelty.decide.support`), and its core -- the RL members farther than the
radius from every base trace -- holds at least ``min_cluster_size`` traces. Which of nested
novel candidates is reported is settled in :mod:`novelty.decide.nesting`. Every other q-value
of the report (shrunk clusters) comes from :func:`q_values` too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True, slots=True)
class ClusterTest:
    """What the decision needs to know about one cluster of one problem."""

    n_base: int
    n_rl: int
    n_problem_base: int
    n_problem_rl: int
    m: int | None  # None: not measured (it could not change the call; issue 12's control)
    n_core: int
    # issue 15: with several RL runs, (RL members from run r, RL traces of the problem from run r)
    by_run: tuple[tuple[int, int], ...] = ()
    # issue 11: with no base member, the problem's traces nearer to the members than their
    # nearest base trace is, members included (:func:`clear_count`); 0: not measured
    n_clear: int = 0


def cluster_p_value(n_base: int, n_rl: int, n_problem_base: int, n_problem_rl: int) -> float:
    """Hypergeometric p-value that a cluster holds this few base traces by chance.

    Parameters
    ----------
    n_base, n_rl : int
        Base and RL members of the cluster.
    n_problem_base, n_problem_rl : int
        Base and RL traces of the cluster's problem (noise points included).

    Returns
    -------
    float
        ``P(X <= n_base)`` for ``X ~ Hypergeom(N = n_problem_base + n_problem_rl,
        K = n_problem_base, draws = n_base + n_rl)``.

    Notes
    -----
    Null hypothesis: given the clusters, the base/RL labels of the problem's traces are
    exchangeable (RL samples from the base distribution). HDBSCAN never sees the labels, so
    under the null every assignment of the labels to the fixed clusters is equally likely and
    the count of base members of a cluster is hypergeometric; the lower tail is an exact,
    valid p-value. A cluster with no base member among ``k`` traces has
    ``p = C(n_rl, k) / C(n, k)``, about ``(n_rl / n)^k``.

    Examples
    --------
    >>> round(cluster_p_value(0, 8, 64, 64), 5)
    0.0031
    >>> cluster_p_value(5, 0, 64, 64)
    1.0
    """
    from scipy import stats  # imported here: scipy.stats costs ~1 s at `import novelty`

    draws = n_base + n_rl
    total = n_problem_base + n_problem_rl
    return float(min(1.0, stats.hypergeom.cdf(n_base, total, n_problem_base, draws)))


def candidate_p_value(test: ClusterTest) -> float:
    """The p-value of a candidate: :func:`cluster_p_value`, and with several RL runs the
    smallest of the pooled and the per-run tests, Bonferroni-corrected.

    Notes
    -----
    With one run (or one run sampling the problem) this is the pooled test, unchanged. With
    ``R`` runs sampling the problem, each run is tested against the base traces alone (its RL
    members among base and that run's traces, the other runs set aside) beside the pooled test,
    and ``p = min(1, (R + 1) * min(p_pooled, p_1, ..., p_R))``. Under the null that no run
    differs from base the labels are exchangeable within base and any one run, so each test is
    exact and the Bonferroni minimum is a valid p-value under any dependence among them. A
    strategy of one run keeps that run's power (pooled alone, the other runs' traces dilute
    it: 8 of 8 RL samples against 8 base give ``p = 1/12870`` alone but ``0.0175`` pooled
    with a second run of 8); one that every run uses keeps the pooled test's power.

    Examples
    --------
    >>> t = ClusterTest(0, 8, 8, 16, 0, 8, by_run=((8, 8), (0, 8)))
    >>> round(candidate_p_value(t), 6)  # 3 * C(8, 8) / C(16, 8)
    0.000233
    >>> t = ClusterTest(0, 6, 64, 64, 0, 6, n_clear=9)  # 3 RL traces nearer than any base
    >>> round(candidate_p_value(t), 5)  # C(64, 9) / C(128, 9)
    0.00144
    """
    pooled = cluster_p_value(test.n_base, _reach(test), test.n_problem_base, test.n_problem_rl)
    runs = [(k, n) for k, n in test.by_run if n > 0]
    if len(runs) < 2:
        return pooled
    per_run = [cluster_p_value(test.n_base, k, test.n_problem_base, n) for k, n in runs]
    return float(min(1.0, (len(runs) + 1) * min(pooled, *per_run)))


def min_attainable_p(test: ClusterTest) -> float:
    """The smallest p-value :func:`candidate_p_value` can give this candidate under any labels.

    Notes
    -----
    A function of the cluster's size and the problem's margins only, never of its base/RL
    split: with ``s`` members, ``n_b`` base and ``n_r`` RL traces in the problem, the lower
    tail is smallest when as few members as possible are base, ``P(X <= max(0, s - n_r))``.
    With several RL runs (issue 15) it is the Bonferroni minimum of the pooled and per-run
    tests' own minima (each run's with no base member and as many of its traces as fit), a
    lower bound that keeps any candidate in doubt. Because the labels are never
    read, leaving out the candidates whose minimum is too large to matter (Tarone, 1990) keeps
    the family label-blind: every remaining p-value stays exact.

    Examples
    --------
    >>> round(min_attainable_p(ClusterTest(3, 2, 64, 64, None, 0)), 4)  # C(64,5)/C(128,5)
    0.0288
    >>> min_attainable_p(ClusterTest(0, 5, 8, 8, None, 0)) < 0.02  # C(8,5)/C(16,5)
    True
    """
    runs = tuple(n for _, n in test.by_run if n > 0)
    return _min_attainable(
        test.n_base + test.n_rl,
        test.n_problem_base,
        test.n_problem_rl,
        runs if len(runs) > 1 else (),
    )


@functools.lru_cache(maxsize=65536)  # issue 13: a million traces' candidates share few sizes
def _min_attainable(size: int, n_b: int, n_r: int, runs: tuple[int, ...]) -> float:
    """:func:`min_attainable_p` of a candidate of ``size`` members (``runs``: each RL run's
    traces in the problem, empty with one run)."""
    pooled = cluster_p_value(max(0, size - n_r), min(size, n_r), n_b, n_r)
    if not runs:
        return pooled
    # each run's test at its smallest: no base member, as many of the run's traces as fit
    per_run = [cluster_p_value(0, min(size, n), n_b, n) for n in runs]
    return float(min(1.0, (len(runs) + 1) * min(pooled, *per_run)))


def in_family(tests: list[ClusterTest], alpha: float, share: float | None) -> np.ndarray:
    """Which candidates join the multiple-testing family (Tarone-style, issue 11).

    A candidate whose :func:`min_attainable_p` exceeds ``share * alpha`` is left out: BH at
    level ``alpha`` rejects a p-value only below ``alpha * R / m``, so such a candidate could be
    a discovery only if more than ``share`` of the whole family were too. In 64 + 64 samples
    that is a cluster of 5 (at best ``p = 0.029``), about a sixth of a scan's candidates;
    without them every other test meets a smaller ``m``. The rule reads sizes and margins,
    never the labels, so the family is fixed before the labels are looked at and BH's
    guarantee over it is unchanged. ``share=None`` keeps every candidate.

    Examples
    --------
    >>> t5, t6 = ClusterTest(0, 5, 64, 64, None, 0), ClusterTest(6, 0, 64, 64, None, 0)
    >>> in_family([t5, t6], 0.05, 0.5).tolist(), in_family([t5, t6], 0.05, None).tolist()
    ([False, True], [True, True])
    """
    if share is None:
        return np.ones(len(tests), dtype=bool)
    limit = share * alpha
    return np.array([min_attainable_p(t) <= limit for t in tests], dtype=bool)


@functools.lru_cache(maxsize=65536)  # issue 13: thousands of clusters share few counts
def base_enrichment_p(n_base: int, n_rl: int, n_problem_base: int, n_problem_rl: int) -> float:
    """Hypergeometric p-value that a cluster holds this many base traces by chance.

    Notes
    -----
    The upper tail ``P(X >= n_base)`` of ``X ~ Hypergeom(N = n_problem_base + n_problem_rl,
    K = n_problem_base, draws = n_base + n_rl)``: the mirror of :func:`cluster_p_value`. The
    clustering never sees the labels, so under exchangeability it is exact. For a shrunk
    cluster (no RL member) it is ``C(n_problem_base, n_base) / C(N, n_base)``, the chance that
    RL, sampling the strategy as often as base does, would still have left all of its members
    to base: with few RL samples a "lost" strategy may only be unsampled.

    Examples
    --------
    >>> round(base_enrichment_p(3, 0, 8, 8), 4)  # C(8, 3) / C(16, 3) = 56 / 560
    0.1
    """
    from scipy import stats

    draws = n_base + n_rl
    total = n_problem_base + n_problem_rl
    return float(min(1.0, stats.hypergeom.sf(n_base - 1, total, n_problem_base, draws)))


def q_values(p_values: np.ndarray, method: str = "bh") -> np.ndarray:
    """Adjusted p-values of one family of tests (``"bh"`` or ``"by"``), via
    :func:`scipy.stats.false_discovery_control`; empty in, empty out."""
    p = np.asarray(p_values, dtype=np.float64)
    if p.size == 0:
        return p
    from scipy import stats

    return stats.false_discovery_control(p, method=method)


def q_in_family(p_new: np.ndarray, family_p: np.ndarray, method: str = "bh") -> np.ndarray:
    """The q-value each of ``p_new`` has in the family ``family_p``, the family left as it is.

    Why: a secondary call (a shrunk cluster, issue 12) must be judged by the same step-up as
    the family's own tests, so that two mirror-image clusters with one p-value get one answer,
    without the secondary p-values (picked by their outcome) changing the family's calls. A
    value equal to a family p-value gets exactly that test's q-value; otherwise BH's step-up at
    its rank, ``p * n * c / rank`` (``c = H(n)`` for BY), capped by the q-values above it.

    Examples
    --------
    >>> fam = np.array([0.001, 0.01, 0.04, 0.5])
    >>> q_in_family(np.array([0.01, 0.02]), fam).round(4).tolist()
    [0.02, 0.04]
    """
    p_new = np.asarray(p_new, dtype=np.float64)
    fam = np.sort(np.asarray(family_p, dtype=np.float64))
    if fam.size == 0:
        return q_values(p_new, method)
    n = fam.size
    c = float(np.sum(1.0 / np.arange(1, n + 1))) if method == "by" else 1.0
    q_fam = q_values(fam, method)  # sorted p in, non-decreasing q out
    rank = np.searchsorted(fam, p_new, side="right")
    raw = p_new * n * c / np.maximum(rank, 1)
    above = np.append(q_fam, 1.0)[np.minimum(rank, n)]  # q of the next family p above
    return np.minimum(1.0, np.minimum(raw, above))


def decide(
    tests: list[ClusterTest], *, alpha: float = 0.05, min_cluster_size: int = 5, method: str = "bh"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p-values, BH q-values and novel flags for every cluster tested.

    Parameters
    ----------
    tests : list of ClusterTest
        Every cluster of every problem (the clusters are chosen without the labels, so the
        family tested does not depend on them).
    alpha : float, default=0.05
        False discovery rate level.
    min_cluster_size : int, default=5
        Fewest traces a novel core may have: a lone trace is not a strategy.
    method : {"bh", "by"}, default="bh"
        Benjamini–Hochberg [1]_ (valid under independence or PRDS) or Benjamini–Yekutieli [2]_
        (any dependence), through :func:`scipy.stats.false_discovery_control`.

    Returns
    -------
    p_values, q_values : ndarray of shape (n_clusters,)
    novel : ndarray of shape (n_clusters,), bool

    Notes
    -----
    Clusters of different problems are independent given the base and RL samples; clusters of
    one problem are negatively dependent through the fixed label totals, a case where BH is
    known to hold in practice but is not covered by the PRDS theorem; ``method="by"`` is the
    guarantee under any dependence. The ``m = 0`` and size conditions only remove clusters
    from BH's discoveries, so the number of false novel clusters never exceeds BH's; when
    no RL strategy is new (the global null) the chance of any novel call stays <= alpha.
    With several RL runs each candidate is still one test (:func:`candidate_p_value`), so the family
    is the same size.

    References
    ----------
    .. [1] Benjamini & Hochberg (1995), JRSS B 57(1), 289–300.
    .. [2] Benjamini & Yekutieli (2001), Ann. Statist. 29(4), 1165–1188.
    """
    p = cluster_p_values(tests)
    q = q_values(p, method)
    return p, q, novel_flags(tests, q, alpha=alpha, min_cluster_size=min_cluster_size)


def _reach(test: ClusterTest) -> int:
    """The RL count the pooled test reads: the members, or with no base member the traces the
    nearest base trace leaves clear (:func:`clear_count`), which can only be more."""
    return max(test.n_rl, test.n_clear) if test.n_base == 0 else test.n_rl


def clear_count(
    local: np.ndarray, n_base: int, members: np.ndarray, *, max_work: float = 2e9
) -> int:
    """How many of a problem's traces lie nearer to a candidate than any base trace does.

    Parameters
    ----------
    local : ndarray of shape (n, d)
        The problem's unit rows, base traces first (every distance of the scan is read in this
        space).
    n_base : int
        How many of the rows are base traces.
    members : ndarray of int
        The candidate's positions in ``local``; it has no base member.
    max_work : float
        Above ``len(members) * n * d`` of this (about a third of a second) the count is not
        measured (0 is returned, so the test stays the members' count alone): a global
        scope's large candidates. A problem of 64 + 64 traces is far below it.

    Returns
    -------
    int
        With ``d`` the smallest cosine distance from a member to a base trace,
        ``|{x : min over members c of dist(x, c) < d}|``, the members included.

    Notes
    -----
    Why (issue 11, "tests that also use the members' conformal distances"): the candidate's
    statistic is its base count and, when that is 0, how far its nearest base trace is. With
    the labels permuted among the problem's traces (the clusters never saw them), no base
    member and a nearest base trace at least ``d`` away means that every trace nearer than
    ``d`` is RL: for these ``b`` traces that has probability ``C(n_rl, b) / C(n, b)``, the
    hypergeometric p-value of ``b`` RL traces and no base one. So the test stays exact, and a
    group whose surroundings are RL as well (RL traces of other methods between it and the
    base ones) is rarer under the null than its members' count says. A candidate with a base
    member is tested on its count alone, as before.

    Examples
    --------
    >>> local = np.eye(3)[[2, 0, 0, 1]]  # a base trace at e2, two members at e0, RL at e1
    >>> clear_count(local, 1, np.array([1, 2]))  # nothing else is nearer than distance 1
    2
    >>> local = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [0.8, 0.6]])
    >>> clear_count(local, 1, np.array([1, 2]))  # the RL trace at distance 0.2 is nearer
    3
    """
    members = np.asarray(members, dtype=np.int64)
    if not len(members) or not n_base or len(members) * local.size > max_work:
        return 0
    near = 1.0 - np.max(local @ local[members].T, axis=1)  # distance to the nearest member
    bar = float(near[:n_base].min()) - _TIE
    return int(np.count_nonzero(near[n_base:] < bar))


_TIE = 1e-6  # a trace as far as the nearest base trace (up to rounding) is not counted nearer


def cluster_p_values(tests: list[ClusterTest], *, clear: bool = True) -> np.ndarray:
    """:func:`candidate_p_value` of every cluster tested: the pooled tests in one vectorised
    call, the candidates of several RL runs (issue 15) one by one. ``clear=False`` reads the
    members' count alone (``n_clear`` set aside): how well a candidate isolates the RL excess
    by itself, which :func:`~novelty.decide.nesting.choose` orders nested candidates by."""
    if not tests:
        return np.zeros(0)
    from scipy import stats

    if not clear:
        tests = [replace(t, n_clear=0) for t in tests]
    n_base, n_rl, n_pb, n_pr = np.array(
        [(t.n_base, _reach(t), t.n_problem_base, t.n_problem_rl) for t in tests], dtype=np.int64
    ).T
    p = np.minimum(1.0, stats.hypergeom.cdf(n_base, n_pb + n_pr, n_pb, n_base + n_rl))
    for i, t in enumerate(tests):
        if sum(1 for _, n in t.by_run if n > 0) >= 2:
            p[i] = candidate_p_value(t)
    return p


def novel_flags(
    tests: list[ClusterTest], q: np.ndarray, *, alpha: float, min_cluster_size: int
) -> np.ndarray:
    """Novel: q at most alpha, ``m = 0`` and a core of at least ``min_cluster_size``."""
    eligible = np.array([t.m == 0 and t.n_core >= min_cluster_size for t in tests], dtype=bool)
    return eligible & (np.asarray(q) <= alpha)
