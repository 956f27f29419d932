"""Behaviours across problems: the stratified test of an RL excess, and what each call is.

A behaviour is a label-blind cluster of traces of many problems (:mod:`novelty.behaviours`
finds them). Whether RL uses it more (or less) than base is asked problem by problem and the
answers are summed, never by pooling problems as if they were one.

The test
--------
An exact permutation test of the labels within each problem, with the number of RL members
as the statistic: ``T = sum_s x_s``, where ``x_s`` counts the behaviour's RL members in
problem ``s``. The clustering never sees the labels, so under the null (within a problem the
base/RL labels are exchangeable) every assignment of a problem's labels to its fixed traces
is equally likely and ``x_s`` is hypergeometric, independently across problems; ``T``'s null
law is the convolution of those hypergeometric laws, computed exactly
(:func:`stratified_tails`). This is the exact conditional form of the one-sided
Cochran–Mantel–Haenszel test (the CMH statistic is a monotone function of ``T`` given the
margins), chosen over CMH's chi-square because a behaviour is often sparse (two or three
members per problem, none on one side) where the chi-square is not accurate, and over
Monte-Carlo permutations because the exact law costs less and gives the small p-values a
family of thousands of tests needs. Over Monte-Carlo it also needs no seed.

In the global scope (base and RL may answer different problems) a problem whose traces all
come from one side says nothing within itself; those problems are pooled as units instead:
their side labels are permuted among them, whole problems at a time (never trace by trace,
since the samples of one problem are not independent), which is the exchangeability the
global scope assumes. That stratum's law is exact too (:func:`subset_sum_pmf`), with a
seeded Monte-Carlo fallback when it would be too large to compute.

The two tails are combined into one two-sided p-value (twice the smaller tail), so that one
test per behaviour enters the scan's one multiple-testing family with the cluster candidates
(:func:`novelty.decide.decide_scan`); the side is kept to tell amplified from shrunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# The pooled one-sided stratum's exact law is computed when (units x chosen x sum) cells
# stay below this; above it a Monte-Carlo law with _N_PERMUTATIONS draws is used.
_EXACT_MAX_CELLS = 20_000_000
_N_PERMUTATIONS = 9_999


@dataclass(frozen=True, slots=True)
class BehaviourTest:
    """What the decision needs to know about one behaviour.

    ``p_value`` is two-sided (:func:`two_sided`); ``rl_side`` says whether RL holds more of
    the behaviour than exchangeable labels would give it. ``m`` counts the base traces (of
    any problem) that use it and ``n_core`` the RL members beyond the radius of every base
    trace (:mod:`novelty.behaviours`).
    """

    n_base: int
    n_rl: int
    m: int
    n_core: int
    p_value: float
    rl_side: bool


def hypergeom_pmf(n: int, n_rl: int, k: int) -> tuple[int, np.ndarray]:
    """Law of the RL members of ``k`` traces drawn from ``n`` of which ``n_rl`` are RL, as
    ``(lowest value, pmf)``."""
    from scipy import stats  # imported here: scipy.stats is slow to import

    lo, hi = max(0, k - (n - n_rl)), min(k, n_rl)
    x = np.arange(lo, hi + 1)
    return lo, stats.hypergeom.pmf(x, n, n_rl, k)


def subset_sum_pmf(weights: np.ndarray, n_units: int, n_chosen: int) -> np.ndarray | None:
    """Exact law of ``sum(weights[S])`` for ``S`` a uniform random ``n_chosen``-subset of
    ``n_units`` units, of which those not listed in ``weights`` weigh 0.

    A dynamic programme over the weighted units as a sequential draw without replacement
    (probabilities, never counts, so nothing overflows). Returns None when it would take
    more than ``_EXACT_MAX_CELLS`` cells.

    Examples
    --------
    >>> subset_sum_pmf(np.array([1, 1]), 4, 2).round(4).tolist()  # 2 of 4, two weigh 1
    [0.1667, 0.6667, 0.1667]
    """
    w = np.asarray(weights, dtype=np.int64)
    w = w[w > 0]
    total = int(w.sum())
    top = min(len(w), n_chosen)
    if len(w) * (top + 1) * (total + 1) > _EXACT_MAX_CELLS:
        return None
    f = np.zeros((top + 1, total + 1))
    f[0, 0] = 1.0
    j = np.arange(top + 1)[:, None]
    for i, wi in enumerate(w):
        take = np.clip((n_chosen - j) / (n_units - i), 0.0, 1.0)
        moved = f * take
        f = f - moved
        f[1:, wi:] += moved[:-1, : total + 1 - wi]
    return f.sum(axis=0)


def _convolve_all(parts: Sequence[tuple[int, np.ndarray]]) -> tuple[int, np.ndarray]:
    lo, pmf = 0, np.ones(1)
    for off, p in parts:
        lo, pmf = lo + off, np.convolve(pmf, p)
    return lo, pmf


def stratified_tails(
    strata: np.ndarray,
    observed: int,
    units: tuple[np.ndarray, int, int] | None = None,
    *,
    seed: int = 0,
) -> tuple[float, float]:
    """``P(T >= observed)`` and ``P(T <= observed)`` for the behaviour's RL members ``T``.

    Parameters
    ----------
    strata : ndarray of shape (n_strata, 3), int
        One row per problem tested within itself: its traces, its RL traces and the
        behaviour's members there.
    observed : int
        The behaviour's RL members, all strata and units together.
    units : (weights, n_units, n_rl_units), optional
        The pooled one-sided problems: the behaviour's members in each (zero-weight units may
        be left out), how many such problems there are and how many of them are RL.
    seed : int
        Seeds the Monte-Carlo law, used only when the pooled stratum is too large for the
        exact one.

    Returns
    -------
    p_up, p_down : float

    Examples
    --------
    Two members in each of 40 problems of 8 base and 8 RL traces, all of them RL:

    >>> s = np.tile([16, 8, 2], (40, 1))
    >>> up, down = stratified_tails(s, 80)
    >>> f"{up:.2e}", down  # (C(8, 2) / C(16, 2)) ** 40
    ('5.24e-26', 1.0)
    """
    parts = [hypergeom_pmf(int(n), int(r), int(k)) for n, r, k in np.asarray(strata) if k > 0]
    lo, pmf = _convolve_all(parts)
    if units is not None and np.asarray(units[0]).sum() > 0:
        weights, n_units, n_chosen = units
        pooled = subset_sum_pmf(weights, n_units, n_chosen)
        if pooled is None:
            return _monte_carlo_tails(lo, pmf, units, observed, seed)
        pmf = np.convolve(pmf, pooled)
    values = lo + np.arange(len(pmf))
    up = float(pmf[values >= observed].sum())
    down = float(pmf[values <= observed].sum())
    return min(1.0, up), min(1.0, down)


def _monte_carlo_tails(
    lo: int, pmf: np.ndarray, units: tuple[np.ndarray, int, int], observed: int, seed: int
) -> tuple[float, float]:
    """Both tails from seeded draws: the exact strata's law sampled, the pooled units'
    labels permuted; ``(1 + hits) / (1 + draws)`` keeps each tail a valid p-value."""
    weights, n_units, n_chosen = units
    rng = np.random.default_rng([seed, 12])
    w = np.zeros(n_units)
    w[: len(weights)] = weights
    chosen = rng.permuted(np.tile(np.arange(n_units) < n_chosen, (_N_PERMUTATIONS, 1)), axis=1)
    t = chosen @ w
    t += lo + rng.choice(len(pmf), size=_N_PERMUTATIONS, p=pmf / pmf.sum())
    up = (1 + int((t >= observed).sum())) / (_N_PERMUTATIONS + 1)
    down = (1 + int((t <= observed).sum())) / (_N_PERMUTATIONS + 1)
    return up, down


def two_sided(p_up: float, p_down: float) -> tuple[float, bool]:
    """Twice the smaller tail (at most 1), and whether the RL side is the one in excess."""
    return min(1.0, 2.0 * min(p_up, p_down)), p_up <= p_down


def behaviour_novel(test: BehaviourTest, q_value: float, *, alpha: float, min_rl: int) -> bool:
    """Novel: significant on the RL side, no base member, no base trace of any problem that
    uses it (``m = 0``), and at least ``min_rl`` RL members beyond the radius of every base
    trace (a lone trace is not a strategy)."""
    return (
        test.rl_side
        and q_value <= alpha
        and test.n_base == 0
        and test.m == 0
        and test.n_core >= min_rl
    )


def behaviour_change(
    test: BehaviourTest, q_value: float, *, novel: bool, alpha: float, rl_near: bool
) -> str:
    """What RL did to a behaviour, with the labels of :mod:`novelty.decide.labels`.

    ``expanded`` when novel; ``amplified`` / ``shrunk`` when significant on the RL / base
    side; a behaviour with no RL member is ``shrunk`` unless an RL trace lies within the
    radius of a member (``rl_near``: ``preserved``), as for clusters; one used by both sides
    without a significant difference is ``preserved``; an RL-only one without base support
    that is not novel is ``unconfirmed``.
    """
    significant = q_value <= alpha
    if novel:
        return "expanded"
    if significant and not test.rl_side:
        return "shrunk"
    if test.n_rl == 0:
        return "preserved" if rl_near else "shrunk"
    if test.n_base > 0 or test.m > 0:
        return "amplified" if significant else "preserved"
    return "unconfirmed"
