"""Everything between "each problem's statistics are computed" and "these clusters are novel".

One package decides, in this order (each step in its own module):

1. :mod:`~novelty.decide.support` -- ``m`` of every candidate of every problem: the base
   traces that already use its strategy (heuristic rules that can only raise ``m``);
2. :mod:`~novelty.decide.pvalues` -- each candidate's exact hypergeometric p-value and one
   Benjamini–Hochberg (or Benjamini–Yekutieli) family across all candidates of all problems
   (less those whose smallest attainable p-value, read from their size, is too large to
   matter: ``ScanConfig.tarone_share``);
   novel = significant, ``m = 0`` and a core of at least ``min_cluster_size`` RL traces;
   would-be discoveries are then asked, after BH, the rules that read their words and their
   sentences (:mod:`novelty.lexical`, :func:`~novelty.decide.support.company_support`,
   :mod:`novelty.sentence_support`), which can only take a discovery away;
3. :mod:`~novelty.decide.nesting` -- which of nested candidates speaks for a strategy;
4. :mod:`~novelty.decide.labels` -- what RL did to each reported cluster (expanded,
   amplified, preserved, shrunk, unconfirmed);
5. :mod:`~novelty.decide.verdict` -- the sentence, with :mod:`~novelty.decide.power`: what
   the scan could have seen (the smallest RL-only cluster that can be called novel) and the
   conclusion (novel, not novel, inconclusive).

:mod:`~novelty.decide.behaviours` tests the behaviours that recur across problems (issue 12);
their p-values join step 2's family through ``decide_scan(..., behaviour_p=...)``.

:func:`decide_scan` runs them on the per-problem statistics of :mod:`novelty.problem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from novelty.decide.behaviours import (
    BehaviourTest,
    behaviour_change,
    behaviour_novel,
    stratified_tails,
)
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
    clear_count,
    cluster_p_value,
    cluster_p_values,
    decide,
    in_family,
    min_attainable_p,
    novel_flags,
    q_in_family,
    q_values,
)
from novelty.decide.support import candidate_support, company_support, nearer_to_core
from novelty.decide.verdict import verdict, zero_event_upper
from novelty.degenerate import MIX_SHARE
from novelty.lexical import covered_support
from novelty.problem import ProblemStats

__all__ = [
    "DETECTABLE_PREVALENCE",
    "LABELS",
    "BehaviourTest",
    "Candidate",
    "ClusterTest",
    "DecidedCluster",
    "Decision",
    "ScanPower",
    "base_enrichment_p",
    "behaviour_change",
    "behaviour_novel",
    "candidate_p_value",
    "candidates",
    "clear_count",
    "cluster_p_value",
    "cluster_p_values",
    "conclusion",
    "decide",
    "decide_scan",
    "in_family",
    "min_attainable_p",
    "min_detectable_rl",
    "novel_flags",
    "q_values",
    "restricted_change",
    "rl_within_radius",
    "samples_per_side",
    "scan_power",
    "stratified_tails",
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
    n_candidates: list[int]  # per problem (in the order of the statistics): those tested
    clusters: list[DecidedCluster]
    alpha: float
    method: str
    _cluster_of: dict[int, int] = field(default_factory=dict, repr=False)
    # Issue 12: the q-values of the behaviours tested in the same family (in their order).
    behaviour_q: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    # Issue 12: every p-value of the family (candidates, then behaviours), for secondary calls.
    family_p: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    # Issue 11: which candidates joined the family (ScanConfig.tarone_share); the others have
    # their p-value but q = 1.
    tested: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool), repr=False)

    def family_q(self, p: np.ndarray) -> np.ndarray:
        """q-values of further p-values judged in this decision's family, which they leave as
        it is (:func:`~novelty.decide.pvalues.q_in_family`): shrunk clusters use it."""
        return q_in_family(p, self.family_p, self.method)

    def cluster_of(self, trace: int) -> int:
        """Reported cluster of a scan trace index (-1: none)."""
        return self._cluster_of.get(trace, -1)


def candidates(
    stats: ProblemStats, config: Any, runs: np.ndarray | None = None, p_max: float | None = None
) -> list[Candidate]:
    """Every candidate of one problem with its test counts, ``m`` and novel members.

    ``runs`` (issue 15) gives each scan trace's RL run index (-1: base); with several runs each
    test also counts every run's members (:func:`~novelty.decide.pvalues.candidate_p_value`).

    With ``p_max`` (the negative control, issue 12), ``m`` and the novel members are measured
    only for candidates whose p-value is at most ``p_max`` (and for the candidates that contain
    them, whose support they inherit, so their ``m`` is exactly what it would be); the others,
    which no multiple-testing correction can make significant, get ``m = None``.
    """
    nb = stats.n_base
    rl_idx = stats.order[nb:]
    run_of = None if runs is None else np.asarray(runs)[rl_idx]
    n_runs = 0 if run_of is None else int(run_of.max(initial=-1)) + 1
    cores = [(g[g >= nb] - nb)[stats.rl_nn[g[g >= nb] - nb] > stats.radius] for g in stats.groups]
    clear = [_clear(stats, g) for g in stats.groups]
    keep = list(range(len(stats.groups)))
    if p_max is not None:
        keep = _measured(stats, p_max, clear, run_of, n_runs)
    support: list[int | None] = [None] * len(stats.groups)
    measured = candidate_support(
        [stats.groups[k] for k in keep],
        nb,
        stats.rl_to_base,
        stats.rl,
        stats.base,
        [cores[k] for k in keep],
        stats.radius,
        config,
    )
    for k, m in zip(keep, measured, strict=True):
        support[k] = m
    out = []
    for g, core, m, n_clear in zip(stats.groups, cores, support, clear, strict=True):
        r_mem = g[g >= nb] - nb
        by_run = _by_run(run_of, r_mem, n_runs)
        novel_members = [] if m is None else nearer_to_core(stats.rl, r_mem, core, stats.rl_nn)
        out.append(
            Candidate(
                rl=[int(rl_idx[i]) for i in r_mem],
                novel_members=[int(rl_idx[i]) for i in novel_members],
                test=ClusterTest(
                    int((g < nb).sum()),
                    len(r_mem),
                    nb,
                    stats.n_rl,
                    m,
                    len(core),
                    by_run,
                    n_clear,
                ),
            )
        )
    return out


def _clear(stats: ProblemStats, group: np.ndarray) -> int:
    """:func:`~novelty.decide.pvalues.clear_count` of a candidate with no base member (0:
    one with a base member, whose test reads its count alone)."""
    if (group < stats.n_base).any():
        return 0
    return clear_count(stats.local, stats.n_base, group)


def _by_run(
    run_of: np.ndarray | None, r_mem: np.ndarray, n_runs: int
) -> tuple[tuple[int, int], ...]:
    """(RL members from run r, RL traces of the problem from run r) for every run (issue 15);
    empty with one run."""
    if run_of is None or n_runs < 2:
        return ()
    mine = np.bincount(run_of[r_mem], minlength=n_runs)
    total = np.bincount(run_of, minlength=n_runs)
    return tuple((int(k), int(n)) for k, n in zip(mine, total, strict=True))


def _measured(
    stats: ProblemStats,
    p_max: float,
    clear: list[int],
    run_of: np.ndarray | None = None,
    n_runs: int = 0,
) -> list[int]:
    """Candidates with a p-value at most ``p_max`` (per run too, issue 15), and every candidate
    containing one; ``clear``: each candidate's :func:`_clear`."""
    nb = stats.n_base
    tests = [
        ClusterTest(
            int((g < nb).sum()),
            int((g >= nb).sum()),
            nb,
            stats.n_rl,
            0,
            0,
            _by_run(run_of, g[g >= nb] - nb, n_runs),
            n_clear,
        )
        for g, n_clear in zip(stats.groups, clear, strict=True)
    ]
    small = np.flatnonzero(cluster_p_values(tests) <= p_max) if tests else np.zeros(0, int)
    sets = [set(g.tolist()) for g in stats.groups]
    keep = set(small.tolist())
    for k in small.tolist():
        keep.update(j for j, other in enumerate(sets) if sets[k] < other)
    return sorted(keep)


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
    behaviour_p: Sequence[float] = (),
    *,
    shortcuts: frozenset[int] = frozenset(),
    support_p_max: float | None = None,
    lexical: Any = None,
    per_problem: Sequence[list[Candidate]] | None = None,
    sentences: Any = None,
) -> Decision:
    """Decide every problem at once: one multiple-testing family across all candidates.

    Parameters
    ----------
    stats : sequence of ProblemStats
        Each problem's statistics (:func:`novelty.problem.problem_stats`).
    config : ScanConfig
        ``alpha``, ``min_cluster_size``, ``fdr_method``, ``tarone_share`` and the support
        settings. With ``tarone_share`` the candidates that could not be discoveries unless
        that share of the family were (:func:`~novelty.decide.pvalues.in_family`, read from
        sizes and margins only) are left out of the family: their q-value is 1.
    runs : ndarray of int, optional
        Each scan trace's RL run (-1 for base; issue 15). Several runs are decided together,
        in this one family, each candidate tested pooled and per run.
    behaviour_p : sequence of float, optional
        p-values of the behaviours across problems (:mod:`novelty.behaviours`). They join
        the candidates' family, so that cluster and behaviour calls are corrected together;
        their q-values are ``Decision.behaviour_q``. Without them every q-value is what
        :func:`~novelty.decide.pvalues.decide` gives.
    shortcuts : frozenset of int
        Scan indices of degenerate traces (:mod:`novelty.degenerate`): a novel candidate mixing
        them with other traces gives way to purer nested candidates (:func:`choose`).
    support_p_max : float, optional
        Measure ``m`` only where it can matter (:func:`candidates`): for the negative control,
        which counts novel calls and reads no label, with ``alpha``. The novel calls are the
        same; the other candidates' ``m`` is None.
    lexical : LexicalSupport, optional
        The lexical support rule (:mod:`novelty.lexical`, issue 11), asked only of the
        candidates that would otherwise be novel; where it finds base support their ``m``
        becomes its count and they are not novel. It only removes discoveries after BH.
    per_problem : sequence of list of Candidate, optional
        Each problem's :func:`candidates`, already computed (issue 13: by the per-problem
        phase, :mod:`novelty.pool`); ``runs`` and ``support_p_max`` are then not read.
    sentences : SentenceSupport, optional
        The sentence rule (:mod:`novelty.sentence_support`), asked after the lexical rule of
        the candidates it leaves novel. It only removes discoveries after BH.
    """
    if per_problem is None:
        per_problem = [candidates(s, config, runs, support_p_max) for s in stats]
    flat_cands = [c for cs in per_problem for c in cs]
    tests = [c.test for c in flat_cands]
    p = cluster_p_values(tests)
    # which nested candidate speaks is read off the members' count alone (nesting.choose)
    isolation = cluster_p_values(tests, clear=False)
    tested = in_family(tests, config.alpha, getattr(config, "tarone_share", None))
    family_p = np.concatenate([p[tested], np.asarray(behaviour_p, dtype=np.float64)])
    q_all = q_values(family_p, config.fdr_method)
    q = np.ones(len(p))
    q[tested] = q_all[: int(tested.sum())]
    sizes = [len(cs) for cs in per_problem]
    behaviour_q = q_all[int(tested.sum()) :]
    novel = novel_flags(tests, q, alpha=config.alpha, min_cluster_size=config.min_cluster_size)
    reworded: frozenset[int] = frozenset()
    if lexical is not None or sentences is not None:
        bar = float(p[tested][q[tested] <= config.alpha].max(initial=-1.0))
        per_problem, novel, reworded = _lexical_recheck(
            stats,
            per_problem,
            novel,
            lexical,
            getattr(config, "support_company", None),
            sentences,
            isolation <= bar,
            shortcuts,
        )
        flat_cands = [c for cs in per_problem for c in cs]
    clusters: list[DecidedCluster] = []
    cluster_of: dict[int, int] = {}
    start = 0
    for j, (s, cs) in enumerate(zip(stats, per_problem, strict=True)):
        stop = start + len(cs)
        position = {int(t): k for k, t in enumerate(s.order)}
        for ch in choose(
            cs,
            isolation[start:stop],
            q[start:stop],
            novel[start:stop],
            _flat(s),
            alpha=config.alpha,
            shortcuts=shortcuts | reworded,
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
        n_candidates=[int(t.sum()) for t in np.split(tested, np.cumsum(sizes)[:-1])]
        if sizes
        else [],
        clusters=clusters,
        alpha=config.alpha,
        method=config.fdr_method,
        _cluster_of=cluster_of,
        behaviour_q=behaviour_q,
        family_p=family_p,
        tested=tested,
    )


def _lexical_recheck(
    stats: Sequence[ProblemStats],
    per_problem: Sequence[list[Candidate]],
    novel: np.ndarray,
    lexical: Any,
    company: int | None = None,
    sentences: Any = None,
    own: np.ndarray | None = None,
    shortcuts: frozenset[int] = frozenset(),
) -> tuple[list[list[Candidate]], np.ndarray, frozenset[int]]:
    """Give every would-be novel candidate the lexical rule's ``m`` (issue 11): where base
    traces that its RL members contain are found, it is not novel. With ``company``, a base
    trace that keeps the core's company in the embedding space and in its words
    (:func:`~novelty.decide.support.company_support`) counts too, and with ``sentences``, base
    traces whose sentences the members say again (:mod:`novelty.sentence_support`): a member
    counts as covered by either rule. Only removes discoveries.

    Also returns the RL members (scan indices) of the candidates so supported whose members
    nearly all contain a base trace (all but ``MIX_SHARE``): a novel candidate that merged
    such a rewording of a base method with a new one gives way to purer nested candidates
    (:func:`~novelty.decide.nesting.choose`, as for shortcuts). With ``own`` (one flag per
    candidate: significant by its members' count alone), only such candidates mark a
    rewording: a piece of a new strategy significant only through the RL traces around it
    (:func:`~novelty.decide.pvalues.clear_count`) whose members hold a base trace's words
    (6 of a planted group of 19 on the blind generator) must not make that strategy give way
    to its other pieces. ``shortcuts`` (scan indices) are the members the lexical rule reads
    in one direction only (:meth:`~novelty.lexical.LexicalSupport.covering`).
    """
    out, novel, start, reworded = [], novel.copy(), 0, set()
    for s, cs in zip(stats, per_problem, strict=True):
        rl_pos = {int(t): k for k, t in enumerate(s.order[s.n_base :].tolist())}
        mine = list(cs)
        for k, c in enumerate(mine):
            if not novel[start + k]:
                continue
            members = np.array([rl_pos[t] for t in c.rl], dtype=np.int64)
            covered, hits = np.zeros(len(members), dtype=bool), set()
            if lexical is not None:
                shortcut = np.array([t in shortcuts for t in c.rl], dtype=bool)
                covered, hits = lexical.covering(s.order, s.n_base, members, shortcut)
            m = covered_support(covered, hits)
            if not m and company is not None and lexical is not None:
                m = company_support(s, members, lexical, company)
            if not m and sentences is not None:
                said, also = sentences.covering(s.order, s.n_base, members)
                covered, hits = covered | said, hits | also
                m = covered_support(covered, hits)
            if m:
                mine[k] = replace(c, test=replace(c.test, m=m))
                novel[start + k] = False
                mark = own is None or bool(own[start + k])
                if mark and covered.mean() >= 1.0 - MIX_SHARE:  # a rewording of base methods
                    reworded.update(c.rl)
        out.append(mine)
        start += len(cs)
    return out, novel, frozenset(reworded)


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
