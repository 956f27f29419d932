"""How much "absent from every base sample" is worth, given how many base samples were drawn.

A strategy the base model uses with probability pi is missed by all of n samples with chance
(1 - pi)^n, so a small n can miss common strategies. These figures let a reader judge whether
a "novel" call rests on enough base samples, and how much base strategy mass is still unseen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from novelty.passk import miss_at_k

# A novel call whose base prevalence bound exceeds this rests on few base samples (n <= 28).
FEW_BASE_UPPER = 0.10


def miss_probability(n: int, m: int, k: int) -> float:
    """Chance that k base samples, drawn without replacement from the n drawn, all miss a
    strategy that m of them use: ``C(n - m, k) / C(n, k)``, one minus pass@k with c = m.

    Examples
    --------
    >>> miss_probability(4, 1, 2)
    0.5
    >>> miss_probability(10, 0, 10)
    1.0
    """
    return miss_at_k(n, m, k)


def prevalence_upper(n: int, level: float = 0.95) -> float:
    """Exact one-sided upper bound on a prevalence seen 0 times in n independent draws.

    Notes
    -----
    Solves ``(1 - pi)^n = 1 - level`` for pi: the Clopper–Pearson bound for zero successes,
    about ``3 / n`` at 95% (the "rule of three"). With n = 0 nothing is bounded: 1.0.

    Examples
    --------
    >>> round(prevalence_upper(100), 4)
    0.0295
    """
    return float(1.0 - (1.0 - level) ** (1.0 / n)) if n else 1.0


def abundances(labels: Iterable[int], noise: int = -1) -> list[int]:
    """Members per strategy from cluster labels; each noise point is a strategy seen once.

    A trace the clustering left alone is a strategy observed a single time, which is what the
    unseen-mass estimators count as a singleton.
    """
    labels = list(labels)
    counts = Counter(x for x in labels if x != noise)
    return sorted(counts.values()) + [1] * sum(x == noise for x in labels)


def good_turing_unseen(counts: list[int]) -> float | None:
    """Good–Turing estimate of the probability that the next sample uses an unseen strategy.

    Notes
    -----
    ``f1 / n`` with f1 the strategies seen exactly once and n the samples [1]_.

    References
    ----------
    .. [1] Good, "The population frequencies of species and the estimation of population
       parameters", Biometrika 40 (1953).

    Examples
    --------
    >>> good_turing_unseen([1, 1, 2, 6])
    0.2
    """
    n = sum(counts)
    return sum(c == 1 for c in counts) / n if n else None


def chao1(counts: list[int]) -> dict[str, float] | None:
    """Chao1 lower-bound estimates of the number of strategies, seen and unseen.

    Returns
    -------
    dict or None
        ``chao1`` (bias-corrected, defined for every f2),
        ``S_obs + (n - 1) / n * f1 (f1 - 1) / (2 (f2 + 1))``, and ``chao1_classic``,
        ``S_obs + f1^2 / (2 f2)`` (null when f2 = 0) [1]_ [2]_; ``None`` without samples.

    References
    ----------
    .. [1] Chao, "Nonparametric estimation of the number of classes in a population",
       Scand. J. Statist. 11 (1984).
    .. [2] Chao, "Species estimation and applications", Encyclopedia of Statistical
       Sciences (2005), Eq. 2 (bias-corrected form).

    Examples
    --------
    >>> chao1([1, 1, 1, 2, 2, 3, 5])["chao1_classic"]
    9.25
    """
    n = sum(counts)
    if not n:
        return None
    s_obs = len(counts)
    f1 = sum(c == 1 for c in counts)
    f2 = sum(c == 2 for c in counts)
    return {
        "chao1": s_obs + (n - 1) / n * f1 * (f1 - 1) / (2 * (f2 + 1)),
        "chao1_classic": s_obs + f1 * f1 / (2 * f2) if f2 else None,
        "s_obs": s_obs,
        "f1": f1,
        "f2": f2,
    }


def cluster_budget(cluster: int, problem_id: Any, m: int, n_base: int) -> dict[str, Any]:
    """One RL cluster's budget row: miss probabilities for k = 1 … n_base, and the prevalence
    bound when no base trace uses the strategy (m = 0)."""
    ks = list(range(1, n_base + 1))
    return {
        "cluster": cluster,
        "problem_id": problem_id,
        "m": m,
        "n_base": n_base,
        "k": ks,
        "miss_probability": [miss_probability(n_base, m, k) for k in ks],
        "prevalence_upper_95": prevalence_upper(n_base) if m == 0 else None,
    }


def problem_budget(problem_id: Any, base_labels: list[int]) -> dict[str, Any]:
    """Unseen base strategy mass and Chao1 of one problem from its base traces' clusters."""
    counts = abundances(base_labels)
    est = chao1(counts) or {}
    return {
        "problem_id": problem_id,
        "n_base": len(base_labels),
        "good_turing_unseen": good_turing_unseen(counts),
        "chao1": est.get("chao1"),
        "chao1_classic": est.get("chao1_classic"),
        "observed_strategies": est.get("s_obs", 0),
        "singletons": est.get("f1", 0),
        "doubletons": est.get("f2", 0),
    }
