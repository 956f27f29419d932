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

import contextlib
import importlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Any

import numpy as np

from novelty.decide import Candidate, candidates
from novelty.degenerate import scan_reasons
from novelty.problem import ProblemStats, problem_stats
from novelty.projection import project_2d, resolve_projection
from novelty.threads import in_thread, one_thread
from novelty.wordspace import WordWeights

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


@contextlib.contextmanager
def problem_pool(
    n_problems: int, *, min_problems: int | None = None, workers: int | None = None
) -> Iterator[Executor | None]:
    """Worker processes for a scan of ``n_problems`` problems, or None when it is small.

    ``min_problems`` and ``workers`` (default ``os.cpu_count()``) say when a pool is used:
    with at least ``min_problems`` problems (default :data:`POOL_MIN_PROBLEMS`, read at call
    time) and two workers or more. One pool serves the per-problem phase, the clusters'
    descriptions (:func:`novelty.describe.describe_clusters`) and the behaviours'
    nearest-sample assignment (:mod:`novelty.behaviours`): its workers import once.
    """
    min_problems = POOL_MIN_PROBLEMS if min_problems is None else min_problems
    workers = workers or os.cpu_count() or 1
    if n_problems < min_problems or workers < 2:
        yield None
        return
    # spawn: a forked child of a process with live BLAS/OpenMP/torch threads can hang.
    with ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=_one_thread_each
    ) as pool:
        # This process waits on the workers first: it imports what it needs after them then.
        in_thread("novelty-imports", _import_later_stages)
        yield pool


def _import_later_stages() -> None:
    """The packages the stages after the per-problem phase import (2 s at every scan that
    pools: the phase itself ran in the workers)."""
    for name in ("hdbscan", "sklearn.decomposition", "sklearn.feature_extraction.text"):
        importlib.import_module(name)


def bounded_map(pool: Executor, fn: Any, tasks: Iterable[Any], window: int = 0) -> Iterator[Any]:
    """``pool.map(fn, tasks)``, results in order, with at most ``window`` tasks in flight
    (default two per core): ``Executor.map`` submits every task at once, and a million
    traces' task inputs held together cost gigabytes (issue 13's 8 GB bound)."""
    window = window or 2 * (os.cpu_count() or 1)
    pending: deque = deque()
    for task in tasks:
        pending.append(pool.submit(fn, task))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def pooled_or_here(pool: Executor | None, fn: Any, tasks: Callable[[], Iterable[Any]]) -> list[Any]:
    """``fn`` of every task of ``tasks()``, in order: in ``pool``'s workers
    (:func:`bounded_map`), or in this process when there is no pool or it breaks (then the
    tasks are made again; they are built lazily, a few in flight)."""
    if pool is not None:
        try:
            return list(bounded_map(pool, fn, tasks()))
        except BrokenProcessPool:  # e.g. a script without ``if __name__ == "__main__":``
            logger.warning("the process pool failed; the work is done in this process")
    return [fn(task) for task in tasks()]


def _one_thread_each() -> None:
    """A worker's start: one BLAS and OpenMP thread for all its tasks (several workers share
    the cores; a second thread per worker would only spin-wait)."""
    one_thread().__enter__()  # for the worker's lifetime


def problem_phase(
    groups: Mapping[Any, Sequence[int]],
    traces: Sequence[Any],
    vectors: np.ndarray,
    config: Any,
    runs: np.ndarray | None = None,
    *,
    min_problems: int | None = None,
    workers: int | None = None,
    pool: Executor | None = None,
    words: WordWeights | None = None,
) -> ProblemPhase:
    """:func:`~novelty.problem.problem_stats`, :func:`~novelty.decide.candidates` (with
    ``runs``, each trace's RL run or -1, issue 15) and :func:`~novelty.degenerate.scan_reasons`
    of every group.

    In ``pool`` when one is given, else in a :func:`problem_pool` of its own (``min_problems``
    and ``workers`` as there) or, for a small scan, in this process. ``words``: the scan's
    token weights, for a problem space that joins the words (:mod:`novelty.wordspace`).
    """
    items = list(groups.items())
    local = np.zeros(vectors.shape, dtype=np.float32)
    if pool is None:
        with problem_pool(len(items), min_problems=min_problems, workers=workers) as own:
            return _phase(items, traces, vectors, config, runs, local, own, words)
    return _phase(items, traces, vectors, config, runs, local, pool, words)


def _phase(items, traces, vectors, config, runs, local, pool, words=None) -> ProblemPhase:
    """The phase in ``pool``, or in this process when there is none or it breaks."""
    if pool is not None:
        try:
            stats, cands, reasons, maps = _pooled(
                items, traces, vectors, config, runs, pool, local, words
            )
            return ProblemPhase(stats, local, cands, reasons, maps)
        except BrokenProcessPool:  # e.g. a script without ``if __name__ == "__main__":``
            logger.warning("the process pool failed; each problem is analysed in this process")
    stats, cands, reasons, maps = _work(items, traces, vectors, config, runs, words)
    stats = [_into(s, local) for s in stats]
    return ProblemPhase(stats, local, cands, reasons, maps)


def _work(items, traces, vectors, config, runs, words=None) -> tuple[list, list, list, list]:
    """The phase in this process, for ``items`` (key, scan indices) of these traces."""
    method = resolve_projection(config.projection)
    with one_thread():
        stats = [
            problem_stats(key, list(idx), traces, vectors, config, words=words)
            for key, idx in items
        ]
        cands = [candidates(s, config, runs) for s in stats]
        reasons = scan_reasons(
            traces,
            [(s.order[: s.n_base], s.order[s.n_base :]) for s in stats],
            None if words is None else (words.held, words.n_problems),
        )
        maps = (
            []
            if method == "none"
            else [project_2d(s.local, method, seed=config.seed) for s in stats]
        )
    return stats, cands, reasons, maps


def _into(s: ProblemStats, local: np.ndarray) -> ProblemStats:
    """Write the problem's vectors into ``local`` and keep a view of them (one copy in all).

    A space that joins the words (:mod:`novelty.wordspace`) or is centred with an anchor
    (:data:`~novelty.problem.CENTRE_ANCHOR`) is wider than ``local``: its embedding part,
    re-normalised (plainly centred: the behaviours were measured on it), goes into ``local``
    (the centred vectors the behaviours, maps and evidence read) and the problem keeps its
    own rows.
    """
    if s.local.shape[1] != local.shape[1]:
        part = s.local[:, : local.shape[1]].astype(np.float64)
        norms = np.linalg.norm(part, axis=1, keepdims=True)
        local[s.order] = np.divide(part, norms, out=np.zeros_like(part), where=norms > 1e-12)
        return s
    lo = int(s.order[0]) if len(s.order) else 0
    if len(s.order) and np.array_equal(s.order, np.arange(lo, lo + len(s.order))):
        local[lo : lo + len(s.order)] = s.local
        return replace(s, local=local[lo : lo + len(s.order)])
    local[s.order] = s.local
    return s


def _pooled(
    items, traces, vectors, config, runs, pool, local, words=None
) -> tuple[list, list, list, list]:
    """The phase computed by worker processes, chunk by chunk, in the items' order; each
    chunk's vectors go into ``local`` as it arrives (never all problems' copies at once)."""
    tasks = (
        _task(items[k : k + CHUNK_PROBLEMS], traces, vectors, config, runs, words)
        for k in range(0, len(items), CHUNK_PROBLEMS)
    )
    stats: list[ProblemStats] = []
    cands: list[list[Candidate]] = []
    reasons: list[tuple[str, ...]] = [()] * len(traces)
    maps: list[tuple[np.ndarray, str]] = []
    for rows, got, got_cands, got_reasons, got_maps in bounded_map(pool, _chunk, tasks):
        stats.extend(_into(replace(s, order=rows[s.order]), local) for s in got)
        cands.extend(got_cands)
        maps.extend(got_maps)
        for i, r in zip(rows.tolist(), got_reasons, strict=True):
            reasons[i] = r
    return stats, cands, reasons, maps


def _task(chunk, traces, vectors, config, runs, words=None) -> tuple:
    """One worker's input: the chunk's scan indices, problem spans, traces' sides and texts,
    rows (a view when the chunk's traces are contiguous, as the scan's sorted order makes
    them) and RL runs."""
    rows = np.concatenate([np.asarray(idx, dtype=np.int64) for _, idx in chunk])
    lo = int(rows[0])
    contiguous = np.array_equal(rows, np.arange(lo, lo + len(rows)))
    block = vectors[lo : lo + len(rows)] if contiguous else vectors[rows]
    # two plain lists pickle several times faster than one object per trace
    roles = [traces[i].role for i in rows.tolist()]
    texts = [traces[i].text for i in rows.tolist()]
    spans, start = [], 0
    for key, idx in chunk:
        spans.append((key, start, start + len(idx)))
        start += len(idx)
    return rows, spans, roles, texts, block, config, None if runs is None else runs[rows], words


def _chunk(task: tuple) -> tuple:
    """Worker: the chunk's phase; statistics keep chunk positions in ``order`` (the caller
    maps them back), candidates name scan indices."""
    rows, spans, roles, texts, block, config, runs, words = task
    sides = [_Trace(role, text) for role, text in zip(roles, texts, strict=True)]
    items = [(key, range(a, b)) for key, a, b in spans]
    stats, cands, reasons, maps = _work(items, sides, block, config, runs, words)
    cands = [[_shifted(c, rows) for c in cs] for cs in cands]
    return rows, stats, cands, reasons, maps


def _shifted(c: Candidate, rows: np.ndarray) -> Candidate:
    """A candidate found on chunk positions, naming scan indices."""
    return replace(c, rl=rows[c.rl].tolist(), novel_members=rows[c.novel_members].tolist())
