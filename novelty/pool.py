"""Every problem's statistics, over a process pool when a scan has many problems (issue 13).

Per-problem work (centring, neighbours, conformal p-values, HDBSCAN) is independent across
problems and costs ~15 ms a problem: at a million traces (8,000 problems) that is minutes in
one process. :func:`all_problem_stats` hands chunks of problems to ``os.cpu_count()`` worker
processes and gathers the results in problem order, so the statistics are the same objects,
number for number, as the in-process loop gives (each problem is computed by the same code on
the same float32 rows). Small scans stay in-process: a worker costs seconds of imports.

Each problem's centred vectors are also kept once, as views into one scan-wide array (what the
report stages read as ``local``), instead of once per problem and again scan-wide.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Any

import numpy as np

from novelty.problem import ProblemStats, problem_stats
from novelty.threads import one_thread

# Fewer problems than this stay in-process: a worker spends ~3 s importing, and on two shared
# cores 800 problems (5 s of work) took longer pooled than alone.
POOL_MIN_PROBLEMS = 1000
# Problems per task: large enough that pickling is a small share, small enough to balance.
CHUNK_PROBLEMS = 64


@dataclass(frozen=True, slots=True)
class _Side:
    """What :func:`~novelty.problem.problem_stats` reads of a trace: its side."""

    role: str


def all_problem_stats(
    groups: Mapping[Any, Sequence[int]],
    traces: Sequence[Any],
    vectors: np.ndarray,
    config: Any,
    *,
    min_problems: int | None = None,
    workers: int | None = None,
) -> tuple[list[ProblemStats], np.ndarray]:
    """Each group's :func:`~novelty.problem.problem_stats`, in the groups' order, and every
    trace's vector in its problem's space (``local``, float32, indexed like ``traces``).

    ``min_problems`` and ``workers`` (default ``os.cpu_count()``) say when a pool is used:
    with at least ``min_problems`` groups (default :data:`POOL_MIN_PROBLEMS`, read at call
    time) and two workers or more.
    """
    items = list(groups.items())
    min_problems = POOL_MIN_PROBLEMS if min_problems is None else min_problems
    workers = workers or os.cpu_count() or 1
    if len(items) < min_problems or workers < 2:
        with one_thread():
            stats = [problem_stats(key, list(idx), traces, vectors, config) for key, idx in items]
    else:
        stats = _pooled(items, traces, vectors, config, workers)
    local = np.zeros(vectors.shape, dtype=np.float32)
    return [_into(s, local) for s in stats], local


def _into(s: ProblemStats, local: np.ndarray) -> ProblemStats:
    """Write the problem's vectors into ``local`` and keep a view of them (one copy in all)."""
    lo = int(s.order[0]) if len(s.order) else 0
    if len(s.order) and np.array_equal(s.order, np.arange(lo, lo + len(s.order))):
        local[lo : lo + len(s.order)] = s.local
        return replace(s, local=local[lo : lo + len(s.order)])
    local[s.order] = s.local
    return s


def _pooled(
    items: list[tuple[Any, Sequence[int]]],
    traces: Sequence[Any],
    vectors: np.ndarray,
    config: Any,
    workers: int,
) -> list[ProblemStats]:
    """The statistics computed by worker processes, chunk by chunk, in the items' order."""
    tasks = (
        _task(items[k : k + CHUNK_PROBLEMS], traces, vectors, config)
        for k in range(0, len(items), CHUNK_PROBLEMS)
    )
    out: list[ProblemStats] = []
    # spawn: a forked child of a process with live BLAS/OpenMP/torch threads can hang.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for rows, got in pool.map(_chunk_stats, tasks):
            out.extend(replace(s, order=rows[s.order]) for s in got)
    return out


def _task(chunk, traces, vectors, config) -> tuple:
    """One worker's input: the chunk's keys, positions, sides and rows (a view when the
    chunk's traces are contiguous, as the scan's sorted order makes them)."""
    rows = np.concatenate([np.asarray(idx, dtype=np.int64) for _, idx in chunk])
    lo = int(rows[0])
    contiguous = np.array_equal(rows, np.arange(lo, lo + len(rows)))
    block = vectors[lo : lo + len(rows)] if contiguous else vectors[rows]
    sides = [_Side(traces[int(i)].role) for i in rows]
    spans, start = [], 0
    for key, idx in chunk:
        spans.append((key, start, start + len(idx)))
        start += len(idx)
    return rows, spans, sides, block, config


def _chunk_stats(task: tuple) -> tuple[np.ndarray, list[ProblemStats]]:
    """Worker: the chunk's statistics, with ``order`` in the chunk's positions."""
    rows, spans, sides, block, config = task
    with one_thread():
        got = [problem_stats(key, list(range(a, b)), sides, block, config) for key, a, b in spans]
    return rows, got
