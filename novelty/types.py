"""Plain data passed between pipeline stages.

Every stage takes and returns these (or numpy arrays), so a user can stop after any stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BASE = "base"
RL = "rl"

# Label HDBSCAN gives points that belong to no cluster.
NOISE = -1


@dataclass(frozen=True, slots=True)
class Trace:
    """One reasoning trace, in the canonical form of DESIGN.md's input contract.

    ``role`` is ``"base"`` or ``"rl"``; ``model`` keeps the name the input used.
    ``problem_id`` keeps the input's value (str or int); grouping uses it as given.
    ``source``/``line`` say where the record came from, for error messages.
    ``base_logprob`` is the trace's mean token log-probability under the base model, when the
    user's pipeline computed it. ``run`` names the RL run an RL trace belongs to (None for base
    traces): several RL runs can be scanned against one base (issue 15).
    """

    id: str
    problem_id: str | int
    role: str
    text: str
    model: str | None = None
    correct: bool | None = None
    step: int | None = None
    domain: str | None = None
    source: str | None = None
    line: int | None = None
    base_logprob: float | None = None
    run: str | None = None  # issue 15: the RL run (None for base)


@dataclass(frozen=True, slots=True)
class ViewedTexts:
    """What is embedded for each trace, with how much of the original text the view kept.

    ``pieces[i]`` are the texts embedded for trace i (one per step for the ``steps`` view, else
    the one view text), ``kept_fraction[i]`` is len(view)/len(trace), and ``view`` names the
    view (part of the embedding cache key).
    """

    pieces: list[list[str]]
    kept_fraction: np.ndarray
    view: str
