"""What the scan could have seen: the smallest RL-only cluster that can be called novel.

"Not novel" is a claim only when a novel call was possible. A candidate is novel when its
hypergeometric p-value survives the scan's one FDR family (:mod:`novelty.decide.pvalues`), no
base trace uses its strategy (``m = 0``) and its core holds at least ``min_cluster_size`` RL
traces. The most favourable such candidate holds ``k`` RL traces and no base trace, with
``p = cluster_p_value(0, k, n_base, n_rl) = C(n_rl, k) / C(n_base + n_rl, k)``. This module
turns that into the size a problem needs (:func:`min_detectable_rl`), the samples per side a
strategy of a given prevalence needs (:func:`samples_per_side`) and the scan's
:func:`conclusion`.

The bar is the one a *lone* discovery meets in this scan's family of ``n_tests`` candidates:
``alpha / n_tests`` for Benjamini–Hochberg, ``alpha / (n_tests * H(n_tests))`` for
Benjamini–Yekutieli (``H`` the harmonic number). A p-value at or under it gets a q-value at or
under alpha whatever the other p-values are (a BH q-value is at most ``p * n_tests / rank``),
so the size is *sufficient*. It is conservative by at most the step-up's gain: with ``r``
other discoveries the bar rises to ``alpha (r + 1) / n_tests``, and never above ``alpha``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from novelty.decide.pvalues import cluster_p_value

# Prevalence (share of RL samples) of a strategy the verdict says how to make detectable.
DETECTABLE_PREVALENCE = 0.1
# Largest sample count per side :func:`samples_per_side` searches.
_N_MAX = 1_000_000
_EPS = 1e-9

CONCLUSIONS = ("novel", "not novel", "inconclusive")


def lone_discovery_bar(alpha: float, n_tests: int, method: str = "bh") -> float:
    """The p-value at or under which one candidate is significant whatever the other tests show.

    Parameters
    ----------
    alpha : float
        FDR level.
    n_tests : int
        Candidates in the family (every candidate of every problem); 0 counts as 1, since a
        cluster that formed would be tested.
    method : {"bh", "by"}
        The scan's FDR method.

    Examples
    --------
    >>> lone_discovery_bar(0.05, 40)
    0.00125
    >>> round(lone_discovery_bar(0.05, 2, "by"), 5)  # 0.05 / (2 * 1.5)
    0.01667
    """
    m = max(1, int(n_tests))
    if method == "by":
        return alpha / (m * math.fsum(1.0 / i for i in range(1, m + 1)))
    return alpha / m


@functools.lru_cache(maxsize=4096)  # issue 13: thousands of problems share a few sizes
def min_detectable_rl(
    n_base: int,
    n_rl: int,
    *,
    alpha: float,
    n_tests: int,
    min_cluster_size: int,
    method: str = "bh",
) -> int | None:
    """Smallest number of RL traces, with no base trace among them, a cluster of this problem
    needs to be called novel as a lone discovery in this scan; None when no ``k <= n_rl`` can.

    ``k`` must reach ``min_cluster_size`` (the core of a novel cluster) and
    ``cluster_p_value(0, k, n_base, n_rl)`` must be at or under :func:`lone_discovery_bar`.
    The p-value falls as ``k`` grows, so a bisection finds the first such ``k``. It assumes the
    best case for the strategy otherwise: every member beyond the radius, no base trace within
    it (``m = 0``) and a clustering that isolates it; see the module docstring for how
    conservative the bar is.

    Examples
    --------
    >>> min_detectable_rl(8, 8, alpha=0.05, n_tests=40, min_cluster_size=5)
    7
    >>> min_detectable_rl(4, 4, alpha=0.05, n_tests=1, min_cluster_size=5) is None
    True
    """
    if n_base < 1 or n_rl < max(1, min_cluster_size):
        return None
    bar = lone_discovery_bar(alpha, n_tests, method)
    lo, hi = max(1, min_cluster_size), n_rl
    if cluster_p_value(0, hi, n_base, n_rl) > bar:
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if cluster_p_value(0, mid, n_base, n_rl) <= bar:
            hi = mid
        else:
            lo = mid + 1
    return lo


def samples_per_side(
    prevalence: float,
    *,
    alpha: float,
    n_tests: int,
    min_cluster_size: int,
    method: str = "bh",
) -> int | None:
    """Fewest samples ``n`` per side (``n`` base and ``n`` RL per problem) from which on a
    strategy used by ``prevalence`` of RL samples and by no base sample is detectable.

    Detectable at ``n``: its expected count ``floor(prevalence * n)`` of RL traces, with no base
    trace among them, passes :func:`min_detectable_rl`'s test at ``n`` base and ``n`` RL
    samples. The answer is the smallest ``n`` from which every larger ``n`` passes (the
    p-value of a fixed count rises slowly with ``n``, so single ``n`` can pass and the next
    fail). The family size is held at this scan's ``n_tests``; more samples usually form more
    candidates, so read it as a lower bound. The count is the *expected* one: at that ``n``
    about half of such strategies fall short, by sampling alone.

    Returns None when ``prevalence * _N_MAX`` traces would not do (never for alpha and a
    family of a realistic size).

    Examples
    --------
    >>> samples_per_side(0.1, alpha=0.05, n_tests=40, min_cluster_size=5)
    100
    """
    if not 0 < prevalence <= 1:
        raise ValueError(f"prevalence must be in (0, 1], got {prevalence}")
    bar = lone_discovery_bar(alpha, n_tests, method)
    # C(n, k) / C(2n, k) < 2 ** -k for k >= 2 at every n, so from k_sure on every n passes.
    k_sure = max(2, min_cluster_size, math.ceil(-math.log2(bar)))
    n_sure = math.ceil(k_sure / prevalence - _EPS)
    if n_sure > _N_MAX:
        return None
    n = n_sure
    while n > 1 and _passes(n - 1, prevalence, bar, min_cluster_size):
        n -= 1
    return n


def _passes(n: int, prevalence: float, bar: float, min_cluster_size: int) -> bool:
    k = math.floor(prevalence * n + _EPS)
    return k >= max(1, min_cluster_size) and cluster_p_value(0, k, n, n) <= bar


def behaviour_powered(
    sizes: Sequence[tuple[int, int]],
    *,
    alpha: float,
    n_tests: int,
    min_cluster_size: int,
    min_problems: int,
    min_traces: int,
    method: str = "bh",
    prevalence: float = DETECTABLE_PREVALENCE,
) -> bool:
    """Whether a behaviour across problems used by ``prevalence`` of the RL samples and by no
    base sample could be called novel as a lone discovery in this scan.

    Its ``floor(prevalence * n_rl)`` RL traces (``n_rl`` over the problems a behaviour can
    use: at least ``min_traces`` traces, both sides present) are spread one problem at a time,
    most favourable problem first (the smallest RL share), and its exact stratified p-value
    with no base member is ``prod_j C(n_rl_j, k_j) / C(n_j, k_j)``
    (:mod:`novelty.decide.behaviours`). It must hold ``min_cluster_size`` RL traces in at least
    ``min_problems`` problems and pass :func:`lone_discovery_bar`. Like
    :func:`min_detectable_rl` it assumes the best case otherwise (a clustering that isolates
    it, no base trace within the radius), so it says what *could* have been seen.

    Examples
    --------
    >>> kw = dict(alpha=0.05, n_tests=40, min_cluster_size=5, min_problems=3, min_traces=3)
    >>> behaviour_powered([(8, 8)] * 30, **kw)  # 24 traces, one in each of 24 problems
    True
    >>> behaviour_powered([(4, 4)] * 6, **kw)  # 2 traces: fewer than a cluster
    False
    """
    usable = [(nb, nr) for nb, nr in sizes if nb >= 1 and nr >= 1 and nb + nr >= min_traces]
    k_total = math.floor(prevalence * sum(nr for _, nr in usable) + _EPS)
    if k_total < max(1, min_cluster_size) or not usable:
        return False
    usable.sort(key=lambda s: s[1] / (s[0] + s[1]))
    k = [0] * len(usable)
    left = k_total
    while left:
        placed = False
        for j, (_, nr) in enumerate(usable):
            if left and k[j] < nr:
                k[j] += 1
                left -= 1
                placed = True
        if not placed:
            return False
    if sum(kj > 0 for kj in k) < min_problems:
        return False
    log_p = sum(
        math.log(cluster_p_value(0, kj, nb, nr))
        for kj, (nb, nr) in zip(k, usable, strict=True)
        if kj
    )
    return log_p <= math.log(lone_discovery_bar(alpha, n_tests, method))


@dataclass(frozen=True, slots=True)
class ScanPower:
    """What the scan as a whole could have seen: the verdict's figures on power."""

    n_tests: int  # candidates in the FDR family
    method: str  # "bh" or "by"
    bar: float  # lone-discovery p-value bar (:func:`lone_discovery_bar`)
    min_cluster_size: int
    min_detectable_rl: int | None  # smallest over problems
    n_rl_there: int | None  # RL samples of a problem where that smallest size is attained
    n_problems_powered: int  # problems where some RL-only cluster could be called novel
    n_problems: int
    max_n_base: int  # largest sample counts of any problem
    max_n_rl: int
    prevalence: float
    samples_per_side: int | None  # :func:`samples_per_side` at ``prevalence``
    # a behaviour across problems at ``prevalence`` could be called novel (behaviour_powered)
    behaviours_powered: bool = False


def scan_power(
    sizes: Sequence[tuple[int, int]],
    detectable: Sequence[int | None],
    *,
    alpha: float,
    n_tests: int,
    min_cluster_size: int,
    method: str = "bh",
    prevalence: float = DETECTABLE_PREVALENCE,
    behaviour_limits: tuple[int, int] | None = None,
) -> ScanPower:
    """Each problem's ``(n_base, n_rl)`` and ``min_detectable_rl`` as one :class:`ScanPower`.

    ``behaviour_limits`` is ``(min_problems, min_traces)`` of the behaviour analysis
    (:func:`behaviour_powered`); None when behaviours are not analysed.
    """
    found = [(k, nr) for k, (_, nr) in zip(detectable, sizes, strict=True) if k is not None]
    best = min(found, default=None)
    return ScanPower(
        n_tests=n_tests,
        method=method,
        bar=lone_discovery_bar(alpha, n_tests, method),
        min_cluster_size=min_cluster_size,
        min_detectable_rl=best[0] if best else None,
        n_rl_there=best[1] if best else None,
        n_problems_powered=len(found),
        n_problems=len(sizes),
        max_n_base=max((nb for nb, _ in sizes), default=0),
        max_n_rl=max((nr for _, nr in sizes), default=0),
        prevalence=prevalence,
        samples_per_side=samples_per_side(
            prevalence,
            alpha=alpha,
            n_tests=n_tests,
            min_cluster_size=min_cluster_size,
            method=method,
        ),
        behaviours_powered=behaviour_limits is not None
        and behaviour_powered(
            sizes,
            alpha=alpha,
            n_tests=n_tests,
            min_cluster_size=min_cluster_size,
            min_problems=behaviour_limits[0],
            min_traces=behaviour_limits[1],
            method=method,
            prevalence=prevalence,
        ),
    )


def conclusion(
    *,
    n_novel: int,
    n_problems_powered: int,
    n_behaviour_tests_powered: int = 0,
) -> str:
    """``"novel"``, ``"not novel"`` or ``"inconclusive"``.

    Parameters
    ----------
    n_novel : int
        Novel calls (clusters, and behaviours once they are tested).
    n_problems_powered : int
        Problems whose ``min_detectable_rl`` is not None.
    n_behaviour_tests_powered : int, default=0
        Behaviour tests (across problems) that could reach significance at these sample
        sizes (:func:`behaviour_powered`: 1 or 0).

    Returns
    -------
    str
        "novel" when something was called novel; "not novel" when nothing was and something
        could have been; "inconclusive" when no problem and no behaviour could have produced a
        novel call, whatever RL did.
    """
    if n_novel:
        return "novel"
    if n_problems_powered or n_behaviour_tests_powered:
        return "not novel"
    return "inconclusive"
