"""Wall time per pipeline stage, by wrapping the stage functions ``novelty.pipeline`` calls.

For the benchmarks only (``bench_scan.py``, ``bench_scale.py``): :func:`timed_stages` patches
the names in the pipeline module for the duration of a ``with`` block and adds up each one's
seconds in the dict it yields. Nested stages (behaviour tests inside the negative control) are
counted where the pipeline calls them directly only.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from collections import defaultdict
from collections.abc import Iterator

STAGES = (
    "apply_view",
    "embed_views",
    "problem_stats",
    "problem_phase",
    "scan_reasons",
    "behaviour_space",
    "behaviour_tests",
    "decide_scan",
    "behaviour_rows",
    "negative_control",
    "scan_maps",
    "_cluster_rows",
    "find_checkpoints",
    "_trace_rows",
    "_problem_rows",
    "_summary",
    "compute_evidence",
    "run_rows",
)


class _Spent(defaultdict):
    """Wall seconds per stage, with CPU seconds per stage in ``cpu``."""

    def __init__(self, *args):
        super().__init__(*args)
        self.cpu: dict[str, float] = defaultdict(float)


@contextlib.contextmanager
def timed_stages(cpu: bool = False) -> Iterator[dict[str, float]]:
    """Seconds spent in each stage of every scan run inside the block (wall time; with
    ``cpu``, the yielded dict's ``cpu`` attribute holds the process's CPU seconds too)."""
    import novelty.pipeline  # noqa: F401  (the module, not the re-exported function)

    module = sys.modules["novelty.pipeline"]
    spent = _Spent(float)
    saved = {}
    for name in STAGES:
        fn = getattr(module, name, None)
        if fn is None:
            continue
        saved[name] = fn

        @functools.wraps(fn)
        def wrapper(*args, _fn=fn, _name=name, **kwargs):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                spent[_name] += time.perf_counter() - t0
                spent.cpu[_name] += time.process_time() - c0

        setattr(module, name, wrapper)
    try:
        yield spent
    finally:
        for name, fn in saved.items():
            setattr(module, name, fn)
