"""What RL did to each strategy's support: expanded, preserved, amplified, shrunk.

The label of a reported cluster follows from the decision (novel or not, ``m``, the q-value of
its candidate) and from whether an RL trace lies within the radius of a base-only cluster, so
that losses (shrunk) are reported next to discoveries.

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
