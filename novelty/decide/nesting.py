"""Which of nested candidates speaks: one reported cluster per strategy, not one per tree node.

Candidates nest (a strategy and the tree nodes above or below it), so one strategy can be
tested several times. The report lists each novel strategy once and then the flat HDBSCAN
clusters without its members.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from novelty.decide.pvalues import ClusterTest
from novelty.degenerate import mixes_shortcuts


@dataclass(frozen=True, slots=True)
class Candidate:
    """One node of the HDBSCAN or Ward tree of a problem (scan trace indices)."""

    rl: list[int]
    novel_members: list[int]  # the core, and the RL members nearer to it than to base
    test: ClusterTest


@dataclass(frozen=True, slots=True)
class Chosen:
    """A cluster of the report: its traces, the candidate that tested it (-1: none), novel."""

    members: list[int]
    candidate: int
    novel: bool


def amplified_rare(test: ClusterTest) -> bool:
    """An RL-dominated candidate that one or two base samples (or up to a tenth) already use.

    Heuristic: such a candidate is a rare base strategy that RL amplified, and it speaks for
    its sub-clusters, so a tight sub-cluster carved out of it is not called novel. It only
    takes candidates away from the novel set, so it never adds a false novel call.
    """
    return 0 < test.n_base <= max(2, 0.1 * (test.n_base + test.n_rl))


def choose(
    candidates: Sequence[Candidate],
    p: np.ndarray,
    q: np.ndarray,
    novel: np.ndarray,
    flat: Sequence[tuple[list[int], int]],
    *,
    alpha: float,
    shortcuts: frozenset[int] = frozenset(),
) -> list[Chosen]:
    """The reported clusters of one problem: each novel strategy, then the flat clusters
    without its members.

    ``p``, ``q``, ``novel`` are this problem's slice of the decision, one per candidate;
    ``p`` is the members' count test alone (``cluster_p_values(tests, clear=False)``);
    ``flat`` the flat clusters as ``(trace indices, candidate index or -1)``. Within a branch
    the significant candidate with the smallest such p-value, the one that best isolates the
    RL excess by its own members, speaks for the branch (ties: the larger, then the first).
    Not the full test's p-value: that one also counts the RL traces between a candidate with
    no base member and its nearest base trace (:func:`~novelty.decide.pvalues.clear_count`),
    so a sub-cluster deep inside a new strategy would count the rest of it and speak for it
    (planted groups of 19 were reported as 8 + 6, and as 7 + 8, on the blind generator). When
    it is a rare base strategy that RL amplified (:func:`amplified_rare`), no sub-cluster of it
    is novel; a broad mixture of strategies that is not significant speaks for nothing. A
    novel candidate that mixes degenerate shortcuts (``shortcuts``: scan indices of traces
    that carry a reason of :mod:`novelty.degenerate`) with other traces speaks only after the
    candidates that do not (issue 15): purer novel nodes below it are reported instead, each
    already tested in the same family.
    """
    taken: set[int] = set()
    novel_claimed: set[int] = set()
    out = []
    significant = np.flatnonzero(q <= alpha)

    def mixed(k: int) -> bool:
        return bool(novel[k]) and mixes_shortcuts(candidates[k].novel_members, shortcuts)

    for k in sorted(significant, key=lambda k: (mixed(k), p[k], -len(candidates[k].rl), k)):
        cand = candidates[k]
        if taken.intersection(cand.rl):
            continue  # a more significant candidate of this branch already spoke
        if novel[k]:
            taken.update(cand.rl)
            novel_claimed.update(cand.novel_members)
            out.append(Chosen(list(cand.novel_members), int(k), True))
        elif amplified_rare(cand.test):
            taken.update(cand.rl)
    for members, k in flat:
        rest = [i for i in members if i not in novel_claimed]
        if rest:
            out.append(Chosen(rest, k, False))
    return out
