"""One BLAS/OpenMP thread for loops of small matrix work (issue 13).

Per-problem work multiplies matrices of a few hundred rows: a second thread saves nothing
there, and on a loaded machine its spin-waits cost several times the work itself (a
per-problem PCA took 1 s instead of 10 ms at a load of 9 on 2 cores). :func:`one_thread`
limits numpy's and scipy's BLAS (threadpoolctl) and FAISS's OpenMP pool to one thread for a
block and restores them after. Results do not change: the same kernels run, in one thread.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with one BLAS thread and one FAISS OpenMP thread."""
    from threadpoolctl import threadpool_limits

    # threadpoolctl limits the BLAS libraries loaded when the block starts: SciPy's own is
    # loaded with scipy.linalg (the per-problem maps' eigensolver), so load it first.
    importlib.import_module("scipy.linalg")
    try:  # the per-problem searches need it anyway (0.1 s to import)
        faiss = importlib.import_module("faiss")
    except ImportError:
        faiss = None
    saved = faiss.omp_get_max_threads() if faiss is not None else None
    if faiss is not None:
        faiss.omp_set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        if faiss is not None and saved is not None:
            faiss.omp_set_num_threads(saved)


def in_thread(name: str, fn: Callable[..., Any], *args: Any) -> Future:
    """``fn(*args)`` in a daemon thread of its own; its value or error in the future. For the
    stages whose work lets go of the GIL (matrix products, waiting on worker processes), so
    the report stages run beside them (issue 13)."""
    future: Future = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to whoever reads the result
                future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
