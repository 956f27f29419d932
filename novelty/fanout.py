"""Many small independent jobs, over a process pool when there are enough of them (issue 13).

The report stages after the decision do a little work per problem (cluster keywords: ~3 ms
each), minutes at a million traces in one process. :func:`fan_out` gives ``[fn(j) for j in
jobs]``, in order and the same values, computed by ``os.cpu_count()`` spawned workers when
there are at least ``min_jobs`` jobs; in this process otherwise, or when the pool cannot start.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from novelty.threads import one_thread

logger = logging.getLogger(__name__)

# Fewer jobs than this stay in-process: a worker spends seconds importing.
MIN_JOBS = 1000
# Jobs per task: pickling a small share, still balanced.
CHUNK_JOBS = 64


def fan_out(
    fn: Callable[[Any], Any],
    jobs: Sequence[Any],
    *,
    min_jobs: int | None = None,
    workers: int | None = None,
) -> list[Any]:
    """``[fn(j) for j in jobs]``; ``fn`` must be a module-level function (it is pickled)."""
    min_jobs = MIN_JOBS if min_jobs is None else min_jobs
    workers = workers or os.cpu_count() or 1
    if len(jobs) >= min_jobs and workers >= 2:
        try:
            # spawn: a forked child of a process with live BLAS/OpenMP threads can hang.
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                return list(
                    pool.map(_one_thread_call, [fn] * len(jobs), jobs, chunksize=CHUNK_JOBS)
                )
        except BrokenProcessPool:  # e.g. a script without ``if __name__ == "__main__":``
            logger.warning("the process pool failed; the jobs run in this process")
    with one_thread():
        return [fn(j) for j in jobs]


def _one_thread_call(fn: Callable[[Any], Any], job: Any) -> Any:
    with one_thread():
        return fn(job)
