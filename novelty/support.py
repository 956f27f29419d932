"""What RL did to each strategy's support: expanded, preserved, amplified, shrunk.

The novel decision is made elsewhere (:mod:`novelty.decide`); this module only names what the
scan's clusters already say, so that losses (shrunk) are reported next to discoveries.

Labels
------
expanded
    The cluster is novel: no base sample uses its strategy.
amplified
    Base-supported (a base member, or base traces within the radius, ``m > 0``) and its
    hypergeometric q-value is at most alpha: RL samples it significantly more than base does.
preserved
    Used by both sides without a significant RL excess; also a base-only cluster that some RL
    trace still lies within the radius of.
shrunk
    Base members only, and no RL trace within the radius of any of them: what RL lost.
unconfirmed
    RL members only and no base support found, but too small or not significant to call
    novel: neither a discovery nor evidence against one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

LABELS = ("expanded", "amplified", "preserved", "shrunk", "unconfirmed")


def support_change(
    *,
    novel: bool,
    n_base: int,
    n_rl: int,
    q_value: float | None,
    m: int | None,
    alpha: float,
    rl_within_radius: bool,
) -> str:
    """The label of one cluster (see the module docstring)."""
    if novel:
        return "expanded"
    if n_rl == 0:
        return "preserved" if rl_within_radius else "shrunk"
    if n_base > 0 or (m or 0) > 0:
        return "amplified" if q_value is not None and q_value <= alpha else "preserved"
    return "unconfirmed"


def restricted_change(label: str, n_base: int, n_rl: int, rl_within_radius: bool) -> str | None:
    """The label again on a subset of the traces (the correct ones, or one RL checkpoint).

    ``n_base``/``n_rl`` count the cluster's members in the subset and ``rl_within_radius``
    says whether a subset RL trace lies within the radius of one of its base members. A
    cluster with no member in the subset is left out (``None``); one whose subset members are
    all base, with no subset RL trace near, is shrunk there; otherwise its label stands.
    """
    if n_base == 0 and n_rl == 0:
        return None
    if n_rl == 0:  # never a novel cluster: those have no base member
        return "preserved" if rl_within_radius else "shrunk"
    return label


def base_enrichment_p(n_base: int, n_rl: int, n_problem_base: int, n_problem_rl: int) -> float:
    """Hypergeometric p-value that a cluster holds this many base traces by chance.

    Notes
    -----
    The upper tail ``P(X >= n_base)`` of ``X ~ Hypergeom(N = n_problem_base + n_problem_rl,
    K = n_problem_base, draws = n_base + n_rl)``: the mirror of the scan's novelty test
    (:func:`novelty.decide.cluster_p_value`). The clustering never sees the labels, so under
    exchangeability it is exact. For a shrunk cluster (no RL member) it is
    ``C(n_problem_base, n_base) / C(N, n_base)``, the chance that RL, sampling the strategy as
    often as base does, would still have left all of its members to base: with few RL samples
    a "lost" strategy may only be unsampled.

    Examples
    --------
    >>> round(base_enrichment_p(3, 0, 8, 8), 4)  # C(8, 3) / C(16, 3) = 56 / 560
    0.1
    """
    from scipy import stats

    draws = n_base + n_rl
    total = n_problem_base + n_problem_rl
    return float(min(1.0, stats.hypergeom.sf(n_base - 1, total, n_problem_base, draws)))


def support_counts(labels: list[str | None], has_base: list[bool], has_rl: list[bool]) -> dict:
    """Counts of each label and the three rates.

    Notes
    -----
    ``retention``: of the base strategies (clusters with a base member), the share RL still
    uses (preserved or amplified). ``discovery``: of the RL strategies (clusters with an RL
    member), the share that is expanded. ``net_change``: (expanded - shrunk) / base
    strategies, positive when RL gained more strategies than it lost. Each is ``None`` when
    its denominator is zero. Clusters labelled ``None`` are left out.
    """
    keep = [i for i, lab in enumerate(labels) if lab is not None]
    counts = Counter(labels[i] for i in keep)
    base_strats = [i for i in keep if has_base[i]]
    rl_strats = [i for i in keep if has_rl[i]]
    retained = sum(labels[i] in ("preserved", "amplified") for i in base_strats)
    out: dict[str, Any] = {lab: counts.get(lab, 0) for lab in LABELS}
    out["n_base_strategies"] = len(base_strats)
    out["n_rl_strategies"] = len(rl_strats)
    out["retention"] = retained / len(base_strats) if base_strats else None
    out["discovery"] = counts.get("expanded", 0) / len(rl_strats) if rl_strats else None
    out["net_change"] = (
        (counts.get("expanded", 0) - counts.get("shrunk", 0)) / len(base_strats)
        if base_strats
        else None
    )
    return out
