"""Everything between "each problem's statistics are computed" and "these clusters are novel".

One package decides, in this order (each step in its own module):

1. :mod:`~novelty.decide.support` -- ``m`` of every candidate of every problem: the base
   traces that already use its strategy (heuristic rules that can only raise ``m``);
2. :mod:`~novelty.decide.pvalues` -- each candidate's exact hypergeometric p-value and one
   Benjamini–Hochberg (or Benjamini–Yekutieli) family across all candidates of all problems;
   novel = significant, ``m = 0`` and a core of at least ``min_cluster_size`` RL traces;
3. :mod:`~novelty.decide.nesting` -- which of nested candidates speaks for a strategy;
4. :mod:`~novelty.decide.labels` -- what RL did to each reported cluster (expanded,
   amplified, preserved, shrunk, unconfirmed);
5. :mod:`~novelty.decide.verdict` -- the sentence, with :mod:`~novelty.decide.power`: what
   the scan could have seen (the smallest RL-only cluster that can be called novel) and the
   conclusion (novel, not novel, inconclusive).

:func:`decide_scan` runs them on the per-problem statistics of :mod:`novelty.problem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from novelty.decide.labels import LABELS, restricted_change, support_change
from novelty.decide.nesting import Candidate, Chosen, choose
from novelty.decide.power import (
    DETECTABLE_PREVALENCE,
    ScanPower,
    conclusion,
    min_detectable_rl,
    samples_per_side,
    scan_power,
)
from novelty.decide.pvalues import (
    ClusterTest,
    base_enrichment_p,
    candidate_p_value,
    cluster_p_value,
    decide,
    q_values,
)
from novelty.decide.support import candidate_support, nearer_to_core
from novelty.decide.verdict import verdict, zero_event_upper
from novelty.problem import ProblemStats

__all__ = [
    "DETECTABLE_PREVALENCE",
    "LABELS",
    "Candidate",
    "ClusterTest",
    "DecidedCluster",
    "Decision",
    "ScanPower",
    "base_enrichment_p",
    "candidate_p_value",
    "candidates",
    "cluster_p_value",
    "conclusion",
    "decide",
    "decide_scan",
    "min_detectable_rl",
    "q_values",
    "restricted_change",
    "rl_within_radius",
    "samples_per_side",
    "scan_power",
    "support_change",
    "verdict",
    "zero_event_upper",
]


@dataclass(frozen=True, slots=True)
class DecidedCluster:
    """One cluster of the report as the decision left it (scan trace indices)."""

    problem: int  # position in the scan's list of problem statistics
    members: list[int]
    candidate: int  # index into Decision.candidates, -1 when no candidate tested it
    novel: bool
    n_base: int
    n_rl: int
    p_value: float | None
    q_value: float | None
    m: int | None
    support_change: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision over every problem: candidates with their tests, and reported clusters."""

    candidates: list[Candidate]
    p: np.ndarray
    q: np.ndarray
    novel: np.ndarray
    n_candidates: list[int]  # per problem, in the order of the statistics
    clusters: list[DecidedCluster]
    alpha: float
    method: str
    _cluster_of: dict[int, int] = field(default_factory=dict, repr=False)

    def cluster_of(self, trace: int) -> int:
        """Reported cluster of a scan trace index (-1: none)."""
        return self._cluster_of.get(trace, -1)


def candidates(stats: ProblemStats, config: Any, runs: np.ndarray | None = None) -> list[Candidate]:
    """Every candidate of one problem with its test counts, ``m`` and novel members.

    ``runs`` (issue 15) gives each scan trace's RL run index (-1: base); with several runs each
    test also counts every run's members (:func:`~novelty.decide.pvalues.candidate_p_value`).
    """
    nb = stats.n_base
    rl_idx = stats.order[nb:]
    run_of = None if runs is None else np.asarray(runs)[rl_idx]
    n_runs = 0 if run_of is None else int(run_of.max(initial=-1)) + 1
    cores = [(g[g >= nb] - nb)[stats.rl_nn[g[g >= nb] - nb] > stats.radius] for g in stats.groups]
    support = candidate_support(
        stats.groups, nb, stats.rl_to_base, stats.rl, stats.base, cores, stats.radius, config
    )
    out = []
    for g, core, m in zip(stats.groups, cores, support, strict=True):
        r_mem = g[g >= nb] - nb
        by_run: tuple[tuple[int, int], ...] = ()
        if n_runs > 1:
            mine = np.bincount(run_of[r_mem], minlength=n_runs)
            total = np.bincount(run_of, minlength=n_runs)
            by_run = tuple((int(k), int(n)) for k, n in zip(mine, total, strict=True))
        out.append(
            Candidate(
                rl=[int(rl_idx[i]) for i in r_mem],
                novel_members=[
                    int(rl_idx[i]) for i in nearer_to_core(stats.rl, r_mem, core, stats.rl_nn)
                ],
                test=ClusterTest(
                    int((g < nb).sum()), len(r_mem), nb, stats.n_rl, m, len(core), by_run
                ),
            )
        )
    return out


def rl_within_radius(stats: ProblemStats, base_positions: np.ndarray, rl_mask=None) -> bool:
    """Whether an RL trace of the problem (those ``rl_mask`` keeps) lies within the radius of
    one of the given base traces: a base-only cluster RL still reaches is preserved, not lost."""
    if not np.isfinite(stats.radius) or not len(base_positions) or not stats.n_rl:
        return False
    near = stats.rl_to_base[:, base_positions] <= stats.radius
    if rl_mask is not None:
        near = near[rl_mask]
    return bool(near.any())


def _flat(stats: ProblemStats) -> list[tuple[list[int], int]]:
    """The flat HDBSCAN clusters as scan trace indices, each with its candidate (or -1)."""
    index_of = {tuple(g.tolist()): k for k, g in enumerate(stats.groups)}
    out = []
    for label in sorted(set(stats.labels.tolist()) - {-1}):
        members = np.flatnonzero(stats.labels == label)
        out.append(
            ([int(stats.order[k]) for k in members], index_of.get(tuple(members.tolist()), -1))
        )
    return out


def decide_scan(
    stats: Sequence[ProblemStats],
    config: Any,
    runs: np.ndarray | None = None,
    *,
    shortcuts: frozenset[int] = frozenset(),
) -> Decision:
    """Decide every problem at once: one multiple-testing family across all candidates.

    Parameters
    ----------
    stats : sequence of ProblemStats
        Each problem's statistics (:func:`novelty.problem.problem_stats`).
    config : ScanConfig
        ``alpha``, ``min_cluster_size``, ``fdr_method`` and the support settings.
    runs : ndarray of int, optional
        Each scan trace's RL run (-1 for base; issue 15). Several runs are decided together,
        in this one family, each candidate tested pooled and per run.
    shortcuts : frozenset of int
        Scan indices of degenerate traces (:mod:`novelty.degenerate`): a novel candidate mixing
        them with other traces gives way to purer nested candidates (:func:`choose`).
    """
    per_problem = [candidates(s, config, runs) for s in stats]
    flat_cands = [c for cs in per_problem for c in cs]
    p, q, novel = decide(
        [c.test for c in flat_cands],
        alpha=config.alpha,
        min_cluster_size=config.min_cluster_size,
        method=config.fdr_method,
    )
    clusters: list[DecidedCluster] = []
    cluster_of: dict[int, int] = {}
    start = 0
    for j, (s, cs) in enumerate(zip(stats, per_problem, strict=True)):
        stop = start + len(cs)
        position = {int(t): k for k, t in enumerate(s.order)}
        for ch in choose(
            cs,
            p[start:stop],
            q[start:stop],
            novel[start:stop],
            _flat(s),
            alpha=config.alpha,
            shortcuts=shortcuts,
        ):
            row = _decided(j, s, ch, start, p, q, flat_cands, position, config.alpha)
            for t in row.members:
                cluster_of[t] = len(clusters)
            clusters.append(row)
        start = stop
    return Decision(
        candidates=flat_cands,
        p=p,
        q=q,
        novel=novel,
        n_candidates=[len(cs) for cs in per_problem],
        clusters=clusters,
        alpha=config.alpha,
        method=config.fdr_method,
        _cluster_of=cluster_of,
    )


def _decided(
    j: int,
    s: ProblemStats,
    ch: Chosen,
    start: int,
    p: np.ndarray,
    q: np.ndarray,
    cands: list[Candidate],
    position: dict[int, int],
    alpha: float,
) -> DecidedCluster:
    pos = np.array([position[t] for t in ch.members], dtype=np.int64)
    n_base = int((pos < s.n_base).sum())
    n_rl = len(pos) - n_base
    k = start + ch.candidate if ch.candidate >= 0 else -1
    pk = float(p[k]) if k >= 0 else None
    qk = float(q[k]) if k >= 0 else None
    m = cands[k].test.m if k >= 0 else None
    label = support_change(
        novel=ch.novel,
        n_base=n_base,
        n_rl=n_rl,
        q_value=qk,
        m=m,
        alpha=alpha,
        rl_within_radius=n_rl == 0 and rl_within_radius(s, pos[pos < s.n_base]),
    )
    return DecidedCluster(j, list(ch.members), k, ch.novel, n_base, n_rl, pk, qk, m, label)
