"""``runs[]``: what each RL run did against the base, and what it broke.

Every run is decided together with the others (one clustering, one multiple-testing family);
this module only reads that decision per run. For each run: its novel and amplified
strategies, pass@k against base, the support labels on the base traces and its own, and "what
RL broke": the problems base solved that the run never solves, and the base strategies of
correct traces that the run significantly stopped using. Labels and losses are read on the
problems both base and the run sampled: a question a run was never asked is not one it lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from novelty.decide import Decision, base_enrichment_p, q_values, restricted_change
from novelty.decide import rl_within_radius as _within
from novelty.passk import passk_from_traces
from novelty.problem import ProblemStats
from novelty.rows import RunRow
from novelty.runs import RunIndex
from novelty.support import support_counts
from novelty.types import RL, Trace

__all__ = ["run_rows"]

# Keywords of a lost strategy kept in ``strategies_lost`` (the cluster row has them all).
_LOST_KEYWORDS = 5


class _Positions:
    """Each scan trace's problem statistics and position within its problem's side."""

    def __init__(self, stats: Sequence[ProblemStats], n_traces: int):
        self.stats = list(stats)
        self.problem = np.full(n_traces, -1, dtype=np.int64)
        self.pos = np.zeros(n_traces, dtype=np.int64)
        for j, s in enumerate(stats):
            for k, i in enumerate(s.order.tolist()):
                self.problem[i] = j
                self.pos[i] = k if k < s.n_base else k - s.n_base

    def relabel(
        self, label: str, members: np.ndarray, is_rl: np.ndarray, mask: np.ndarray
    ) -> tuple[str | None, int, int]:
        """A cluster's label on the traces ``mask`` keeps (:func:`restricted_change`), with its
        base and RL member counts there."""
        kept = members[mask[members]]
        nb = int((~is_rl[kept]).sum())
        nr = len(kept) - nb
        near = False
        if nr == 0 and nb > 0:
            s = self.stats[self.problem[members[0]]]
            base = members[~is_rl[members]]
            near = _within(s, self.pos[base], mask[s.order[s.n_base :]])
        return restricted_change(label, nb, nr, near), nb, nr


def run_rows(
    runs: RunIndex,
    traces: list[Trace],
    stats: Sequence[ProblemStats],
    decision: Decision,
    clusters: Sequence[Mapping[str, Any]],
    config: Any,
) -> list[RunRow]:
    """One row per run, in the runs' order (see :class:`novelty.rows.RunRow`).

    Parameters
    ----------
    runs : RunIndex
        Each scan trace's run.
    traces, stats, decision :
        The scan's traces, per-problem statistics and decision.
    clusters : sequence of mapping
        The report's cluster rows (with ``n_rl_by_run`` and ``run_scope``), in the decision's
        order.
    config : ScanConfig
        ``alpha`` and ``fdr_method`` (the lost-strategy tests' family) are read.
    """
    at = _Positions(stats, len(traces))
    is_rl = np.array([t.role == RL for t in traces], dtype=bool)
    correct = np.array([t.correct is True for t in traces], dtype=bool)
    members = [np.array(c.members, dtype=np.int64) for c in decision.clusters]
    both = [_both_sampled(traces, is_rl, runs.mask(r)) for r in range(len(runs.names))]
    lost = _lost_strategies(runs, at, is_rl, correct, both, members, clusters, config)
    rows = []
    for r, name in enumerate(runs.names):
        mine = runs.mask(r)
        table = passk_from_traces([t for t, k in zip(traces, ~is_rl | mine, strict=True) if k])
        cov = table["coverage"] if table else {}
        keep = (~is_rl | mine) & both[r]
        labels, has_base, has_rl = [], [], []
        for c, m in zip(clusters, members, strict=True):
            lab, nb, nr = at.relabel(c["support_change"], m, is_rl, keep)
            labels.append(lab)
            has_base.append(nb > 0)
            has_rl.append(nr > 0)
        novel = [c for c in clusters if c["novel"] and c["n_rl_by_run"].get(name)]
        rows.append(
            RunRow(
                name=name,
                n_rl=int(mine.sum()),
                n_problems=len({traces[i].problem_id for i in np.flatnonzero(mine)}),
                n_novel_clusters=len(novel),
                n_novel_traces=sum(c["n_rl_by_run"][name] for c in novel),
                n_shared_novel_clusters=sum(c["run_scope"] == "shared" for c in novel),
                n_amplified_clusters=sum(
                    c["support_change"] == "amplified" and bool(c["n_rl_by_run"].get(name))
                    for c in clusters
                ),
                pass_at_1=table["rl"][0] if table else None,
                base_pass_at_1=table["base"][0] if table else None,
                passk=_short(table),
                support=support_counts(labels, has_base, has_rl),
                n_problems_base_solved=len(cov.get("base_only", [])) + len(cov.get("both", [])),
                problems_lost=list(cov.get("base_only", [])),
                strategies_lost=lost[r],
            )
        )
    return rows


def _lost_strategies(
    runs: RunIndex,
    at: _Positions,
    is_rl: np.ndarray,
    correct: np.ndarray,
    both: list[np.ndarray],
    members: list[np.ndarray],
    clusters: Sequence[Mapping[str, Any]],
    config: Any,
) -> list[list[dict[str, Any]]]:
    """Per run, the clusters shrunk on correct traces with a significant base excess there.

    On the correct traces of base and of the run, a cluster is lost when its correct members
    are all base, no correct trace of the run lies within the radius of its base members
    (:func:`~novelty.decide.restricted_change` says "shrunk"), and its base-enrichment p-value
    (:func:`~novelty.decide.base_enrichment_p`: correct base and correct run traces of the
    problem exchangeable) survives the scan's FDR method at alpha. The family is every
    (cluster, run) pair, not only the shrunk ones, so the q-values keep their meaning
    (:func:`~novelty.decide.q_values`, the one multiple-testing function). A problem the run
    never solves has no correct run trace to test against (p = 1): it is in ``problems_lost``.
    Only problems that both base and the run sampled take part (``both``), so in the global
    scope a question the run was never asked is not a strategy it lost.
    """
    tests = []  # (run, cluster, label, n_base correct, p)
    for r in range(len(runs.names)):
        keep = correct & (~is_rl | runs.mask(r)) & both[r]
        n_correct: dict[tuple[int, bool], int] = {}  # (problem, RL) -> correct traces kept
        for i in np.flatnonzero(keep):
            key = (int(at.problem[i]), bool(is_rl[i]))
            n_correct[key] = n_correct.get(key, 0) + 1
        for c, m in enumerate(members):
            lab, nb, nr = at.relabel(clusters[c]["support_change"], m, is_rl, keep)
            j = int(at.problem[m[0]])
            p = base_enrichment_p(nb, nr, n_correct.get((j, False), 0), n_correct.get((j, True), 0))
            tests.append((r, c, lab, nb, p))
    q = q_values(np.array([t[-1] for t in tests]), config.fdr_method)
    out: list[list[dict[str, Any]]] = [[] for _ in runs.names]
    for (r, c, lab, nb, p), qk in zip(tests, q, strict=True):
        if lab == "shrunk" and qk <= config.alpha:
            row = clusters[c]
            out[r].append(
                {
                    "cluster": row["id"],
                    "problem_id": row["problem_id"],
                    "n_base_correct": nb,
                    "p_value": float(p),
                    "q_value": float(qk),
                    "keywords": list(row.get("keywords") or [])[:_LOST_KEYWORDS],
                }
            )
    return out


def _both_sampled(traces: list[Trace], is_rl: np.ndarray, run: np.ndarray) -> np.ndarray:
    """Traces of the problems that both base and this run sampled (bool per scan trace).

    In the per-problem scope every problem a run sampled has base traces; in the global scope
    the sides may answer different questions, and a base-only question is not a strategy the
    run lost, only one it was never asked.
    """
    base = {t.problem_id for t, rl in zip(traces, is_rl, strict=True) if not rl}
    mine = {traces[i].problem_id for i in np.flatnonzero(run)}
    shared = base & mine
    return np.array([t.problem_id in shared for t in traces], dtype=bool)


def _short(table: dict[str, Any] | None) -> dict[str, Any] | None:
    if table is None:
        return None
    return {k: table[k] for k in ("k", "base", "rl", "problems_at_k", "crossover_k")}
