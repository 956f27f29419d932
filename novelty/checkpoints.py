"""RL checkpoints: which checkpoint of which run each RL trace was sampled at.

The evidence timeline (figures per checkpoint) and the trace rows (``checkpoint``) read the
same assignment, made here once. With several RL runs (issue 15) a checkpoint belongs to one
run: step 100 of one run and step 100 of another are two checkpoints.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from novelty.runs import RunIndex
from novelty.types import RL, Trace

__all__ = ["checkpoint_label", "find_checkpoints"]


def find_checkpoints(
    traces: list[Trace], names: tuple[str, ...], runs: RunIndex | None = None
) -> tuple[str, list[dict[str, Any]], np.ndarray] | None:
    """The RL checkpoints and each trace's position among them (-1: base, or no checkpoint).

    Several RL model names (``--rl-model`` repeated) are the checkpoints, in the order given,
    and they win over ``step``: a trace's ``step`` is then not read, because the names already
    order the run (a ``step`` may count within one checkpoint's dump). A checkpoint's ``step``
    is then its position in that order. With one name or none, checkpoints are the distinct
    ``step`` values of RL traces, ascending. Returns ``(source, checkpoints, position)``,
    ``source`` being ``"model"`` or ``"step"``, or None when there are no checkpoints.

    With several runs (``runs``), checkpoints are per run: the run's own names or steps, in the
    runs' order, each entry carrying its ``run``; a name no trace of a run carries is left out.
    """
    at = np.full(len(traces), -1, dtype=np.int64)
    rl = [i for i, t in enumerate(traces) if t.role == RL]
    several = runs is not None and runs.several
    listed: list[tuple[int, int]] = []
    if len(names) > 1:
        source, key = "model", {name: k for k, name in enumerate(names)}
        found = [(runs.of[i] if several else 0, key.get(traces[i].model, -1)) for i in rl]
        if not several:
            listed = [(0, k) for k in range(len(names))]  # one run: every name given is listed
    else:
        steps = sorted({traces[i].step for i in rl if traces[i].step is not None})
        if not steps:
            return None
        source, key = "step", {s: k for k, s in enumerate(steps)}
        found = [(runs.of[i] if several else 0, key.get(traces[i].step, -1)) for i in rl]
    cells = sorted({(int(r), k) for r, k in (*found, *listed) if k >= 0})
    position = {cell: j for j, cell in enumerate(cells)}
    for i, (r, k) in zip(rl, found, strict=True):
        at[i] = position.get((int(r), k), -1)
    checkpoints = []
    for r, k in cells:
        entry = (
            {"step": k, "name": names[k]} if source == "model" else {"step": steps[k], "name": None}
        )
        if several:
            entry["run"] = runs.names[r]
        checkpoints.append(entry)
    return source, checkpoints, at


def checkpoint_label(checkpoint: dict[str, Any]) -> str:
    """A checkpoint as a reader names it: its RL model name, else ``step N``."""
    name = checkpoint.get("name")
    return name if name is not None else f"step {checkpoint['step']}"
