"""The per-problem phase of a scan, over a process pool when it has many problems (issue 13).

Before the one decision across problems, each problem is worked on alone: its statistics
(centring, neighbours, conformal p-values, HDBSCAN), its candidates' tests and support, and
its RL traces' degenerate reasons. That is ~15 ms a problem: at a million traces (8,000
problems) minutes in one process. :func:`problem_phase` hands chunks of problems to
``os.cpu_count()`` worker processes and gathers the results in problem order, so they are the
same, number for number, as the in-process loop gives (each problem is computed by the same
code on the same float32 rows). Small scans stay in-process: a worker costs seconds of imports.

Each problem's centred vectors are also kept once, as views into one scan-wide array (what the
report stages read as ``local``), instead of once per problem and again scan-wide. Each
problem's own 2-D map (a picture, never evidence) is drawn here too, beside its statistics.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Any

import numpy as np

from novelty.decide import Candidate, candidates
from novelty.degenerate import scan_reasons
from novelty.problem import ProblemStats, problem_stats
from novelty.projection import project_2d, resolve_projection
from novelty.threads import one_thread

logger = logging.getLogger(__name__)

# Fewer problems than this stay in-process: a worker spends ~3 s importing, and on two shared
# cores 800 problems (5 s of work) took longer pooled than alone.
POOL_MIN_PROBLEMS = 1000
# Problems per task: large enough that pickling is a small share, small enough to balance.
CHUNK_PROBLEMS = 64


@dataclass(frozen=True, slots=True)
class _Trace:
    """What the per-problem phase reads of a trace: its side and text."""

    role: str
    text: str


@dataclass(frozen=True, slots=True)
class ProblemPhase:
    """The per-problem phase's results: each problem's statistics and candidates (in the
    groups' order), every trace's vector in its problem's space (``local``, float32) and its
    degenerate reasons (both indexed like the scan's traces), and each problem's map (its
    coordinates, float64 in the problem's order, and the projection that drew them; empty with
    ``projection="none"``)."""

    stats: list[ProblemStats]
    local: np.ndarray
    candidates: list[list[Candidate]]
    reasons: list[tuple[str, ...]]
    maps: list[tuple[np.ndarray, str]]


def problem_phase(
    groups: Mapping[Any, Sequence[int]],
    traces: Sequence[Any],
    vectors: np.ndarray,
    config: Any,
    runs: np.ndarray | None = None,
    *,
    min_problems: int | None = None,
    workers: int | None = None,
) -> ProblemPhase:
    """:func:`~novelty.problem.problem_stats`, :func:`~novelty.decide.candidates` (with
    ``runs``, each trace's RL run or -1, issue 15) and :func:`~novelty.degenerate.scan_reasons`
    of every group.

    ``min_problems`` and ``workers`` (default ``os.cpu_count()``) say when a pool is used:
    with at least ``min_problems`` groups (default :data:`POOL_MIN_PROBLEMS`, read at call
    time) and two workers or more.
    """
    items = list(groups.items())
    min_problems = POOL_MIN_PROBLEMS if min_problems is None else min_problems
    workers = workers or os.cpu_count() or 1
    local = np.zeros(vectors.shape, dtype=np.float32)
    if len(items) < min_problems or workers < 2:
        stats, cands, reasons, maps = _work(items, traces, vectors, config, runs)
        stats = [_into(s, local) for s in stats]
    else:
        try:
            stats, cands, reasons, maps = _pooled(
                items, traces, vectors, config, runs, workers, local
            )
        except BrokenProcessPool:  # e.g. a script without ``if __name__ == "__main__":``
            logger.warning("the process pool failed; each problem is analysed in this process")
            stats, cands, reasons, maps = _work(items, traces, vectors, config, runs)
            stats = [_into(s, local) for s in stats]
    return ProblemPhase(stats, local, cands, reasons, maps)


def _work(items, traces, vectors, config, runs) -> tuple[list, list, list, list]:
    """The phase in this process, for ``items`` (key, scan indices) of these traces."""
    method = resolve_projection(config.projection)
    with one_thread():
        stats = [problem_stats(key, list(idx), traces, vectors, config) for key, idx in items]
        cands = [candidates(s, config, runs) for s in stats]
        reasons = scan_reasons(traces, [(s.order[: s.n_base], s.order[s.n_base :]) for s in stats])
        maps = (
            []
            if method == "none"
            else [project_2d(s.local, method, seed=config.seed) for s in stats]
        )
    return stats, cands, reasons, maps


def _into(s: ProblemStats, local: np.ndarray) -> ProblemStats:
    """Write the problem's vectors into ``local`` and keep a view of them (one copy in all)."""
    lo = int(s.order[0]) if len(s.order) else 0
    if len(s.order) and np.array_equal(s.order, np.arange(lo, lo + len(s.order))):
        local[lo : lo + len(s.order)] = s.local
        return replace(s, local=local[lo : lo + len(s.order)])
    local[s.order] = s.local
    return s


def _pooled(items, traces, vectors, config, runs, workers, local) -> tuple[list, list, list, list]:
    """The phase computed by worker processes, chunk by chunk, in the items' order; each
    chunk's vectors go into ``local`` as it arrives (never all problems' copies at once)."""
    tasks = (
        _task(items[k : k + CHUNK_PROBLEMS], traces, vectors, config, runs)
        for k in range(0, len(items), CHUNK_PROBLEMS)
    )
    stats: list[ProblemStats] = []
    cands: list[list[Candidate]] = []
    reasons: list[tuple[str, ...]] = [()] * len(traces)
    maps: list[tuple[np.ndarray, str]] = []
    # spawn: a forked child of a process with live BLAS/OpenMP/torch threads can hang.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for rows, got, got_cands, got_reasons, got_maps in pool.map(_chunk, tasks):
            stats.extend(_into(replace(s, order=rows[s.order]), local) for s in got)
            cands.extend(got_cands)
            maps.extend(got_maps)
            for i, r in zip(rows.tolist(), got_reasons, strict=True):
                reasons[i] = r
    return stats, cands, reasons, maps


def _task(chunk, traces, vectors, config, runs) -> tuple:
    """One worker's input: the chunk's scan indices, problem spans, traces' sides and texts,
    rows (a view when the chunk's traces are contiguous, as the scan's sorted order makes
    them) and RL runs."""
    rows = np.concatenate([np.asarray(idx, dtype=np.int64) for _, idx in chunk])
    lo = int(rows[0])
    contiguous = np.array_equal(rows, np.arange(lo, lo + len(rows)))
    block = vectors[lo : lo + len(rows)] if contiguous else vectors[rows]
    sides = [_Trace(traces[i].role, traces[i].text) for i in rows.tolist()]
    spans, start = [], 0
    for key, idx in chunk:
        spans.append((key, start, start + len(idx)))
        start += len(idx)
    return rows, spans, sides, block, config, None if runs is None else runs[rows]


def _chunk(task: tuple) -> tuple:
    """Worker: the chunk's phase; statistics keep chunk positions in ``order`` (the caller
    maps them back), candidates name scan indices."""
    rows, spans, sides, block, config, runs = task
    items = [(key, range(a, b)) for key, a, b in spans]
    stats, cands, reasons, maps = _work(items, sides, block, config, runs)
    cands = [[_shifted(c, rows) for c in cs] for cs in cands]
    return rows, stats, cands, reasons, maps


def _shifted(c: Candidate, rows: np.ndarray) -> Candidate:
    """A candidate found on chunk positions, naming scan indices."""
    return replace(c, rl=rows[c.rl].tolist(), novel_members=rows[c.novel_members].tolist())
