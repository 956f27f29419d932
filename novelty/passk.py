"""pass@k of base and RL from per-problem sample counts: the reasoning-boundary curve.

RL that only sharpens wins at k = 1 and loses at large k (the base model, sampled often enough,
solves problems the RL model no longer does); RL that expands the boundary stays ahead at every
k. This module computes the unbiased estimator per problem and the averages that show which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from math import comb
from typing import Any

from novelty.types import BASE, RL, Trace

AVERAGING = (
    "at each k, the mean over problems with at least k samples of known correctness on both "
    "sides (problems_at_k); a problem never enters with k above its own sample count"
)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimate of P(at least one of k samples is correct) from n samples, c correct.

    Parameters
    ----------
    n : int
        Samples drawn for the problem.
    c : int
        How many of them are correct, ``0 <= c <= n``.
    k : int
        Budget, ``1 <= k <= n``.

    Returns
    -------
    float
        ``1 - C(n - c, k) / C(n, k)`` [1]_: the chance that a k-subset drawn without
        replacement from the n samples holds a correct one, averaged over all subsets.

    Notes
    -----
    Computed with exact integer binomials, so it stays exact for the sample counts of RL
    evaluations (hundreds) where the floating product form loses digits near 1.

    References
    ----------
    .. [1] Chen et al., "Evaluating Large Language Models Trained on Code", 2021, Eq. 1.

    Examples
    --------
    >>> pass_at_k(4, 1, 2)
    0.5
    >>> pass_at_k(10, 0, 5)
    0.0
    """
    return 1.0 - miss_at_k(n, c, k)


def miss_at_k(n: int, c: int, k: int) -> float:
    """Chance that a k-subset of the n samples, drawn without replacement, holds none of the c
    marked ones: ``C(n - c, k) / C(n, k)``, as an exact ratio of integer binomials."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    return comb(n - c, k) / comb(n, k)


def k_grid(n: int) -> list[int]:
    """Powers of two up to ``n``, and ``n`` itself: 1, 2, 4, …, n."""
    ks = []
    k = 1
    while k <= n:
        ks.append(k)
        k *= 2
    if n >= 1 and ks[-1] != n:
        ks.append(n)
    return ks


def correct_counts(traces: Iterable[Trace]) -> dict[Any, dict[str, tuple[int, int]]]:
    """Per problem and side, ``(n, c)`` over the traces whose correctness is known."""
    counts: dict[Any, dict[str, list[int]]] = defaultdict(lambda: {BASE: [0, 0], RL: [0, 0]})
    for t in traces:
        if t.correct is None:
            continue
        cell = counts[t.problem_id][t.role]
        cell[0] += 1
        cell[1] += int(t.correct)
    return {pid: {side: (v[0], v[1]) for side, v in d.items()} for pid, d in counts.items()}


def passk_table(counts: dict[Any, dict[str, tuple[int, int]]]) -> dict[str, Any]:
    """Mean pass@k of both sides over a shared k grid, crossover, and coverage sets.

    Parameters
    ----------
    counts : dict
        ``{problem_id: {"base": (n, c), "rl": (n, c)}}`` as from :func:`correct_counts`.

    Returns
    -------
    dict
        ``k``, ``base``, ``rl`` (means), ``problems_at_k``, ``crossover_k`` (the first k at which
        base's mean exceeds RL's; null when it never does), ``rl_ahead_at_every_k`` (RL's mean
        strictly above base's at every k), ``per_problem`` rows, ``coverage`` (problems solved
        by at least one sample of base only, RL only, both, neither) and ``averaging``.

    Notes
    -----
    Unequal sample counts: a problem contributes at k only when both sides have at least k
    samples there (``AVERAGING``), so base and RL are always averaged over the same problems.
    The grid runs to the largest ``min(n_base, n_rl)`` of any problem; problems where a side
    has no known sample take part only in the coverage sets they can be placed in (none).
    """
    usable = {
        pid: d for pid, d in counts.items() if d.get(BASE, (0, 0))[0] and d.get(RL, (0, 0))[0]
    }
    pids = sorted(usable, key=lambda p: (type(p).__name__, str(p)))
    n_max = max((min(usable[p][BASE][0], usable[p][RL][0]) for p in pids), default=0)
    ks = k_grid(n_max)
    per_problem = []
    for pid in pids:
        (nb, cb), (nr, cr) = usable[pid][BASE], usable[pid][RL]
        per_problem.append(
            {
                "problem_id": pid,
                "n_base": nb,
                "c_base": cb,
                "n_rl": nr,
                "c_rl": cr,
                "base": [pass_at_k(nb, cb, k) if k <= nb else None for k in ks],
                "rl": [pass_at_k(nr, cr, k) if k <= nr else None for k in ks],
            }
        )
    base_mean, rl_mean, at_k = [], [], []
    for j, k in enumerate(ks):
        rows = [r for r in per_problem if r["n_base"] >= k and r["n_rl"] >= k]
        at_k.append(len(rows))
        base_mean.append(sum(r["base"][j] for r in rows) / len(rows))
        rl_mean.append(sum(r["rl"][j] for r in rows) / len(rows))
    pairs = list(zip(ks, base_mean, rl_mean, strict=True))
    crossover = next((k for k, b, r in pairs if b > r), None)
    coverage: dict[str, list] = {"base_only": [], "rl_only": [], "both": [], "neither": []}
    for r in per_problem:
        solved = (r["c_base"] > 0, r["c_rl"] > 0)
        key = {(True, False): "base_only", (False, True): "rl_only", (True, True): "both"}
        coverage[key.get(solved, "neither")].append(r["problem_id"])
    return {
        "k": ks,
        "base": base_mean,
        "rl": rl_mean,
        "problems_at_k": at_k,
        "crossover_k": crossover,
        "rl_ahead_at_every_k": bool(ks) and all(r > b for _, b, r in pairs),
        "per_problem": per_problem,
        "coverage": coverage,
        "n_problems": len(per_problem),
        "n_problems_without_correctness": len(counts) - len(usable),  # known on one side only
        "averaging": AVERAGING,
    }


def passk_from_traces(traces: list[Trace]) -> dict[str, Any] | None:
    """pass@k of a trace table, or ``None`` when no trace carries correctness on both sides."""
    counts = correct_counts(traces)
    if not any(d[BASE][0] and d[RL][0] for d in counts.values()):
        return None
    table = passk_table(counts)
    table["n_traces_unknown_correct"] = sum(t.correct is None for t in traces)
    table["n_problems_without_correctness"] = len({t.problem_id for t in traces}) - len(
        table["per_problem"]
    )
    return table
