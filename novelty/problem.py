"""One problem's statistics: its space, neighbours, conformal p-values and candidate strategies.

Everything here is local to one problem (or to the single global scope) and blind to what the
decision will make of it: :func:`problem_stats` centres the problem's vectors, measures every
RL trace against the base traces, calibrates the radius and lists the label-blind candidate
clusters. What is novel is decided across all problems at once in :mod:`novelty.decide`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from novelty.calibrate import conformal_p_values, conformal_radius
from novelty.cluster import DENSE_MAX, cluster_hierarchy, pairwise, ward_groups
from novelty.neighbours import cosine_distances_to, leave_one_out_nn
from novelty.types import BASE, RL, Trace
from novelty.views import center_within_problem
from novelty.wordspace import WordWeights, joined

# Ward's tree needs O(n^2) memory: above this many traces in one scope only HDBSCAN's is used.
_WARD_MAX = 5000
# Issue 11, item 3: centred vectors nearer a problem's mean than this are not stretched to unit
# length (views.center_within_problem's anchor), so near-copies stay near each other.
CENTRE_ANCHOR = 0.1


@dataclass(frozen=True, slots=True)
class ProblemStats:
    """What the decision needs to know about one problem, in the problem's own positions.

    Positions ``0 .. n_base - 1`` are the base traces and the rest the RL traces (``order``
    maps a position to the scan's trace index). ``local`` holds the rows in the space every
    distance is read in (:func:`problem_space`: centred, joined with the words by default).
    ``groups`` are the candidate strategies (positions, sorted), ``labels`` the flat HDBSCAN
    clusters (``-1``: noise).
    """

    problem_id: Any
    order: np.ndarray
    n_base: int
    local: np.ndarray = field(repr=False)
    base_loo: np.ndarray = field(repr=False)
    rl_to_base: np.ndarray = field(repr=False)
    rl_nn: np.ndarray = field(repr=False)
    rl_p: np.ndarray = field(repr=False)
    radius: float
    groups: list[np.ndarray] = field(repr=False)
    labels: np.ndarray = field(repr=False)

    @property
    def n_rl(self) -> int:
        return len(self.order) - self.n_base

    @property
    def base(self) -> np.ndarray:
        """The base traces' vectors in the problem's space."""
        return self.local[: self.n_base]

    @property
    def rl(self) -> np.ndarray:
        """The RL traces' vectors in the problem's space."""
        return self.local[self.n_base :]


@dataclass(frozen=True, slots=True)
class Clustering:
    """Label-blind candidates of a set of traces, kept to be reused under other labels (the
    negative control, issue 12): flat labels and candidate groups as positions in ``index``
    (scan indices)."""

    index: np.ndarray
    labels: np.ndarray
    groups: list[np.ndarray]

    def reorder(self, order: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """The labels and groups in the positions of ``order`` (the same traces, reordered)."""
        where = {int(i): k for k, i in enumerate(order.tolist())}
        new = np.array([where[int(i)] for i in self.index.tolist()], dtype=np.int64)
        labels = np.empty_like(self.labels)
        labels[new] = self.labels
        return labels, [np.sort(new[g]) for g in self.groups]


def candidate_clusters(local: np.ndarray, config: Any) -> tuple[np.ndarray, list[np.ndarray]]:
    """HDBSCAN's flat labels and its tree's groups, with Ward's nodes added (label-blind)."""
    # Issue 13: the distances once, for both trees (a big global scope keeps its KD-tree).
    distances = pairwise(local) if len(local) <= min(DENSE_MAX, _WARD_MAX) else None
    labels, groups = cluster_hierarchy(
        local,
        min_cluster_size=config.hdbscan_min_cluster_size or config.min_cluster_size,
        min_samples=config.min_samples,
        distances=distances,
    )
    if config.ward and len(local) <= _WARD_MAX:
        seen = {tuple(g.tolist()) for g in groups}
        for g in ward_groups(local, min_size=config.min_cluster_size, distances=distances):
            if tuple(g.tolist()) not in seen:
                seen.add(tuple(g.tolist()))
                groups.append(g)
    return labels, groups


# In the global scope, fewest problems a candidate's traces must answer to be a strategy.
MIN_PROBLEMS = 3


def across_problems(groups: list[np.ndarray], problem_ids: list[Any]) -> list[np.ndarray]:
    """The candidates whose traces answer at least :data:`MIN_PROBLEMS` problems (issue 11).

    Why: in the global scope a group of one question's samples is that question, not a
    strategy. When the two sides answered different questions (early and late training steps,
    say) every late question's samples formed an RL-only cluster and were called novel. The
    filter reads problem ids, never the labels, so the tests stay exact.
    """
    codes = np.unique([str(p) for p in problem_ids], return_inverse=True)[1]
    return [g for g in groups if len(np.unique(codes[g])) >= MIN_PROBLEMS]


def problem_space(
    order: np.ndarray,
    traces: Any,
    vectors: np.ndarray,
    config: Any,
    words: WordWeights | None = None,
) -> np.ndarray:
    """The rows of ``order`` in their problem's space: centred on the problem's mean (with
    ``config.center``) and, with ``words`` and ``config.word_share``, joined with the traces'
    words (:mod:`novelty.wordspace`). Label-blind: only texts and vectors are read."""
    if config.center:
        local = center_within_problem(vectors[order], anchor=CENTRE_ANCHOR)
    else:
        local = vectors[order]
    if words is not None and config.word_share:
        texts = [traces[int(i)].text for i in order]
        local = joined(local, words.rows(texts), config.word_share)
    return local


def problem_stats(
    key: Any,
    idx: list[int],
    traces: list[Trace],
    vectors: np.ndarray,
    config: Any,
    clustering: Clustering | None = None,
    words: WordWeights | None = None,
) -> ProblemStats:
    """Centre, measure, calibrate and cluster one problem's traces.

    Parameters
    ----------
    key : problem id (``"*"`` in the global scope)
    idx : list of int
        The scan's indices of the problem's traces.
    traces, vectors : the scan's traces and their unit vectors.
    config : ScanConfig
        ``center``, ``alpha``, ``min_cluster_size``, ``hdbscan_min_cluster_size``,
        ``min_samples`` and ``ward`` are read.
    clustering : Clustering, optional
        The candidates of the same traces, already found (they never depend on the labels);
        by default they are found here by :func:`candidate_clusters`.
    words : WordWeights, optional
        The scan's cross-problem token weights: with ``config.word_share`` the problem's
        space joins the centred embedding and its traces' words
        (:mod:`novelty.wordspace`), and every distance below is read there.
    """
    base_idx = [i for i in idx if traces[i].role == BASE]
    rl_idx = [i for i in idx if traces[i].role == RL]
    order = np.array(base_idx + rl_idx, dtype=np.int64)
    local = problem_space(order, traces, vectors, config, words)
    nb = len(base_idx)
    base_loo = leave_one_out_nn(local[:nb])
    rl_to_base = cosine_distances_to(local[nb:], local[:nb])
    rl_nn, rl_p = conformal_p_values(base_loo, rl_to_base)
    if clustering is None:
        labels, groups = candidate_clusters(local, config)
    else:
        labels, groups = clustering.reorder(order)
    if config.scope == "global":
        groups = across_problems(groups, [traces[int(i)].problem_id for i in order])
    return ProblemStats(
        problem_id=key,
        order=order,
        n_base=nb,
        local=local,
        base_loo=base_loo,
        rl_to_base=rl_to_base,
        rl_nn=rl_nn,
        rl_p=rl_p,
        radius=float(conformal_radius(base_loo, config.alpha)),
        groups=groups,
        labels=labels,
    )


class SpaceRows:
    """Rows of the decision's space by scan index, read from each problem's own array.

    Why: where a problem's space joins the words (:mod:`novelty.wordspace`) it is wider than
    the scan-wide centred vectors, and what describes a cluster (its medoid, its nearest base
    trace and that distance) must read the space the decision read, or the report's
    ``nearest_base_distance`` and ``min_base_distance`` disagree. No scan-wide copy is made.
    """

    def __init__(self, stats: list[ProblemStats], n_traces: int) -> None:
        self._stats = stats
        self._problem = np.full(n_traces, -1, dtype=np.int64)
        self._position = np.full(n_traces, -1, dtype=np.int64)
        for k, s in enumerate(stats):
            self._problem[s.order] = k
            self._position[s.order] = np.arange(len(s.order))

    def __getitem__(self, index) -> np.ndarray:
        index = np.asarray(index, dtype=np.int64).reshape(-1)
        problems = self._problem[index]
        found = np.unique(problems).tolist()
        # problems' spaces differ in width (their words' dimensions): zeros pad, as cosines do
        dim = max((self._stats[k].local.shape[1] for k in found), default=0)
        out = np.zeros((len(index), dim), dtype=np.float32)
        for k in found:
            rows = np.flatnonzero(problems == k)
            local = self._stats[k].local
            out[rows, : local.shape[1]] = local[self._position[index[rows]]]
        return out


def decision_rows(stats: list[ProblemStats], local: np.ndarray):
    """The decision's space by scan index: ``local`` itself where every problem decided in it,
    else :class:`SpaceRows` over the problems' own (wider) arrays."""
    if all(s.local.shape[1] == local.shape[1] for s in stats):
        return local
    return SpaceRows(stats, len(local))
