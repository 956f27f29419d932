"""One problem's analysis: neighbours, conformal p-values, candidate strategies, and the rows of
the report once the decision across all problems is made.

:func:`analyse_problem` runs every stage that is local to a problem; the multiple-testing
decision needs all problems at once and lives in :mod:`novelty.decide`; :func:`emit_clusters`
then turns the decisions into the output contract's cluster rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from novelty.calibrate import (
    base_support,
    central_to_core,
    conformal_p_values,
    conformal_radius,
    near_core,
)
from novelty.cluster import cluster_hierarchy, ward_groups
from novelty.decide import ClusterTest
from novelty.neighbours import cosine_distances_to, leave_one_out_nn
from novelty.types import BASE, NOISE, RL, Trace
from novelty.views import center_within_problem

_EXCERPT_CHARS = 200
# Ward's tree needs O(n^2) memory: above this many traces in one scope only HDBSCAN's is used.
_WARD_MAX = 5000


@dataclass(slots=True)
class Candidate:
    """One node of the HDBSCAN or Ward tree, with what the decision needs (trace indices)."""

    rl: list[int]
    novel_members: list[int]  # RL members beyond the radius, and those nearer to them than base
    test: ClusterTest


@dataclass(slots=True)
class ProblemAnalysis:
    """Everything local to one problem, before the decision across problems."""

    problem_id: Any
    n_base: int
    n_rl: int
    radius: float
    candidates: list[Candidate]
    flat: list[tuple[list[int], int]]  # flat clusters: (members, index of their candidate)
    rows: dict[str, dict[str, Any]]
    local: dict[int, np.ndarray] = field(repr=False)
    n_noise: int = 0


def analyse_problem(
    key: Any, idx: list[int], traces: list[Trace], vectors: np.ndarray, config: Any
) -> ProblemAnalysis:
    """Neighbours, conformal p-values, clusters and cluster tests of one problem."""
    base_idx = [i for i in idx if traces[i].role == BASE]
    rl_idx = [i for i in idx if traces[i].role == RL]
    order = base_idx + rl_idx
    local = center_within_problem(vectors[order]) if config.center else vectors[order]
    nb = len(base_idx)
    B, R = local[:nb], local[nb:]
    base_loo = leave_one_out_nn(B)
    d_rl = cosine_distances_to(R, B)
    s_rl, p_rl = conformal_p_values(base_loo, d_rl)
    radius = conformal_radius(base_loo, config.alpha)

    labels, groups = cluster_hierarchy(
        local,
        min_cluster_size=config.hdbscan_min_cluster_size or config.min_cluster_size,
        min_samples=config.min_samples,
    )
    if config.ward and len(local) <= _WARD_MAX:
        seen = {tuple(g.tolist()) for g in groups}
        for g in ward_groups(local, min_size=config.min_cluster_size):
            if tuple(g.tolist()) not in seen:
                seen.add(tuple(g.tolist()))
                groups.append(g)
    rows: dict[str, dict[str, Any]] = {}
    for j, i in enumerate(base_idx):
        rows[traces[i].id] = _trace_row(traces[i], float(base_loo[j]), None)
    for j, i in enumerate(rl_idx):
        rows[traces[i].id] = _trace_row(traces[i], float(s_rl[j]), float(p_rl[j]))

    split = [(g[g < nb], g[g >= nb] - nb) for g in groups]
    cores = [r_mem[s_rl[r_mem] > radius] for _, r_mem in split]
    support = _support(groups, split, cores, B, R, d_rl, radius, config)
    candidates = []
    for (b_mem, r_mem), core, m in zip(split, cores, support, strict=True):
        candidates.append(
            Candidate(
                rl=[rl_idx[i] for i in r_mem],
                novel_members=[rl_idx[i] for i in _nearer_to_core(R, r_mem, core, s_rl)],
                test=ClusterTest(len(b_mem), len(r_mem), nb, len(rl_idx), m, len(core)),
            )
        )
    index_of = {tuple(g.tolist()): k for k, g in enumerate(groups)}
    flat = []
    for label in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == label)
        flat.append(([order[k] for k in members], index_of.get(tuple(members.tolist()), -1)))
    return ProblemAnalysis(
        problem_id=key,
        n_base=nb,
        n_rl=len(rl_idx),
        radius=float(radius),
        candidates=candidates,
        flat=flat,
        rows=rows,
        local=dict(zip(order, local, strict=True)),
        n_noise=int((labels == NOISE).sum()),
    )


def _support(groups, split, cores, B, R, d_rl, radius, config) -> list[int]:
    """``m`` of every candidate: the base traces that already use its strategy.

    A base trace counts when it is within the radius of a share of the RL members
    (:func:`base_support`), or would pass for one more member of the core
    (:func:`near_core`, :func:`central_to_core`). Centrality is inherited down the tree: a
    tight sub-cluster carved out of a strategy that a base sample supports is that strategy
    still. Carried down, it is judged against the median member, since an ancestor's core can
    mix in a minority of another strategy that must not widen the bar.
    """
    nb = len(B)
    off = config.support_centrality is None
    central_median = [
        np.zeros(nb, bool) if off else central_to_core(R[c], B, quantile=0.5) for c in cores
    ]
    member_sets = [set(g.tolist()) for g in groups]
    out = []
    for k, ((_, r_mem), core) in enumerate(zip(split, cores, strict=True)):
        near = near_core(R[core], B, config.support_spacing)
        if not off:
            near |= central_to_core(R[core], B, quantile=config.support_centrality)
        for j, other in enumerate(member_sets):
            if j != k and member_sets[k] < other:
                near |= central_median[j]
        out.append(
            base_support(
                d_rl[r_mem],
                radius,
                config.support_share,
                near_core=near,
                max_needed=config.support_count,
            )
        )
    return out


def _nearer_to_core(
    R: np.ndarray, r_mem: np.ndarray, core: np.ndarray, s_rl: np.ndarray
) -> np.ndarray:
    """The core (RL members beyond the radius) and the RL members nearer to it than to any
    base trace: a strategy's traces need not all clear the radius, only lean to the strategy."""
    if len(core) < 2:
        return core
    to_core = 1.0 - R[r_mem] @ R[core].T
    to_core[np.isin(r_mem, core)] = np.inf
    closer = to_core.min(axis=1) < s_rl[r_mem]
    return r_mem[closer | np.isin(r_mem, core)]


def emit_clusters(
    pa: ProblemAnalysis,
    p: np.ndarray,
    q: np.ndarray,
    novel: np.ndarray,
    traces: list[Trace],
    *,
    alpha: float,
) -> list[dict[str, Any]]:
    """Contract rows for one problem: each novel strategy, then the flat clusters without it.

    ``p``, ``q``, ``novel`` are this problem's slice of the decision, one per candidate.
    Candidates nest (a strategy and the tree nodes above or below it). Within a branch the
    significant candidate with the smallest p-value, the one that best isolates the RL
    excess, speaks for the branch. When it is an RL-dominated strategy that one or two base
    samples already use (a rare strategy RL amplified), a tighter sub-cluster carved out of it
    is not reported as novel either; a broad mixture of strategies speaks for nothing.
    """
    taken: set[int] = set()
    novel_claimed: set[int] = set()
    out = []
    significant = np.flatnonzero(q <= alpha)
    for k in sorted(significant, key=lambda k: (p[k], -len(pa.candidates[k].rl), k)):
        cand = pa.candidates[k]
        if taken.intersection(cand.rl):
            continue  # a more significant candidate of this branch already spoke
        if novel[k]:
            taken.update(cand.rl)
            novel_claimed.update(cand.novel_members)
            out.append(_row(pa, cand.novel_members, k, p, q, True, traces))
        elif 0 < cand.test.n_base <= max(2, 0.1 * (cand.test.n_base + cand.test.n_rl)):
            taken.update(cand.rl)  # amplified, not discovered: it speaks for its sub-clusters
    for members, k in pa.flat:
        rest = [i for i in members if i not in novel_claimed]
        if rest:
            out.append(_row(pa, rest, k, p, q, False, traces))
    return out


def _row(
    pa: ProblemAnalysis, members: list[int], k: int, p, q, is_novel: bool, traces: list[Trace]
) -> dict[str, Any]:
    member_traces = [traces[i] for i in members]
    n_base = sum(t.role == BASE for t in member_traces)
    known = [t.correct for t in member_traces if t.correct is not None]
    ex = member_traces[_medoid(np.stack([pa.local[i] for i in members]))]
    cand = pa.candidates[k] if k >= 0 else None
    rl_nn = [pa.rows[t.id]["base_nn_distance"] for t in member_traces if t.role == RL]
    return {
        "id": None,
        "problem_id": pa.problem_id,
        "n_base": n_base,
        "n_rl": len(members) - n_base,
        "trace_ids": [t.id for t in member_traces],
        "novel": is_novel,
        "p_value": float(p[k]) if cand else None,
        "q_value": float(q[k]) if cand else None,
        "m": cand.test.m if cand else None,
        "min_base_distance": min(rl_nn) if rl_nn and pa.n_base else None,
        "prevalence_upper_95": _zero_event_upper(pa.n_base) if is_novel else None,
        "correct_rate": float(np.mean(known)) if known else None,
        "exemplar_ids": [ex.id],
        "exemplar_excerpt": _excerpt(ex.text),
    }


def _trace_row(t: Trace, nn: float, p: float | None) -> dict[str, Any]:
    return {
        "id": t.id,
        "problem_id": t.problem_id,
        "model": t.role,
        "model_name": t.model,
        "cluster": NOISE,
        "base_nn_distance": nn,
        "p_value": p,
        "novel": False,
        "correct": t.correct,
    }


def _medoid(vectors: np.ndarray) -> int:
    """Index of the member with the highest mean cosine to the others."""
    return int(np.argmax((vectors @ vectors.T).sum(axis=1)))


def _zero_event_upper(n: int, level: float = 0.95) -> float:
    """Exact upper bound on a prevalence seen 0 times in n draws (about 3/n at 95%)."""
    return float(1.0 - (1.0 - level) ** (1.0 / n)) if n else 1.0


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"
