"""Counts of the support-change labels and the rates a reader compares runs by.

The labels themselves are decided in :mod:`novelty.decide.labels`; this module only counts
them (overall, per problem, on a subset of the traces).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from novelty.decide.labels import LABELS


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
