"""Which RL run each trace belongs to, and which runs a group of traces spans.

Several RL runs are scanned against one base in one decision (issue 15); afterwards every group
the report names (a cluster, a behaviour) says which runs it holds and how many of each run's
traces. :class:`RunIndex` is that membership, built once from the scan's traces; anything that
reports groups of traces asks it for per-run counts (:meth:`RunIndex.counts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from novelty.ingest.runs import DEFAULT_RUN
from novelty.types import RL, Trace

__all__ = ["SCOPES", "RunIndex"]

# ``run_scope`` of a strategy: in every run, in one run only, or in more than one but not all.
SCOPES = ("shared", "run-specific", "some")


@dataclass(frozen=True, slots=True)
class RunIndex:
    """Run names in the order given, and each scan trace's run (-1 for base traces).

    ``names[of[i]]`` is the run of trace ``i``. An RL trace that carries no run (a list of
    ``Trace`` built by hand) belongs to the default run ``"rl"``.
    """

    names: tuple[str, ...]
    of: np.ndarray

    @classmethod
    def from_traces(cls, traces: Sequence[Trace], order: Iterable[Trace] = ()) -> RunIndex:
        """The runs of ``traces``, named in the order their first trace appears in ``order``
        (the input's order, so ``--rl A --rl B`` lists A first), then in ``traces``."""
        names: dict[str, None] = {}
        for t in (*order, *traces):
            if t.role == RL:
                names.setdefault(t.run or DEFAULT_RUN, None)
        position = {name: k for k, name in enumerate(names)}
        of = np.array(
            [position[t.run or DEFAULT_RUN] if t.role == RL else -1 for t in traces],
            dtype=np.int64,
        )
        return cls(tuple(names), of)

    @property
    def several(self) -> bool:
        return len(self.names) > 1

    def name_of(self, trace: int) -> str | None:
        """The run of one scan trace (None for base)."""
        k = int(self.of[trace])
        return self.names[k] if k >= 0 else None

    def counts(self, traces: Iterable[int]) -> dict[str, int]:
        """RL traces of each run among the given scan trace indices, every run listed (0s too),
        in the runs' order: the per-run member counts of a cluster or a behaviour."""
        idx = np.fromiter(traces, dtype=np.int64)
        runs = self.of[idx] if len(idx) else np.zeros(0, np.int64)
        n = np.bincount(runs[runs >= 0], minlength=len(self.names))
        return {name: int(n[k]) for k, name in enumerate(self.names)}

    def present(self, traces: Iterable[int]) -> list[str]:
        """Names of the runs with at least one RL trace among the given ones, in the runs' order."""
        return [name for name, n in self.counts(traces).items() if n > 0]

    def scope(self, traces: Iterable[int]) -> str | None:
        """``"shared"`` (every run), ``"run-specific"`` (one run) or ``"some"``; None with a
        single run or no RL trace."""
        k = len(self.present(traces))
        if not self.several or k == 0:
            return None
        return "shared" if k == len(self.names) else "run-specific" if k == 1 else "some"

    def mask(self, run: int) -> np.ndarray:
        """Scan traces of run ``run`` (bool)."""
        return self.of == run
