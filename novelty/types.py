"""Plain data passed between pipeline stages.

Every stage takes and returns these (or numpy arrays), so a user can stop after any stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BASE = "base"
RL = "rl"
ROLES = (BASE, RL)

# Label HDBSCAN gives points that belong to no cluster.
NOISE = -1


@dataclass(frozen=True, slots=True)
class Trace:
    """One reasoning trace, in the canonical form of DESIGN.md's input contract.

    ``role`` is ``"base"`` or ``"rl"``; ``model`` keeps the name the input used.
    ``problem_id`` keeps the input's value (str or int); grouping uses it as given.
    ``source``/``line`` say where the record came from, for error messages.
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


@dataclass(frozen=True, slots=True)
class ViewedTexts:
    """What is embedded for each trace, with how much of the original text the view kept.

    ``texts[i]`` belongs to ``trace_ids[i]``; ``kept_fraction[i]`` is len(view)/len(trace).
    """

    trace_ids: list[str]
    texts: list[str]
    kept_fraction: np.ndarray
    view: str


@dataclass(frozen=True, slots=True)
class Embeddings:
    """Unit-norm trace vectors.

    vectors : ndarray of shape (n_traces, dim), float32, rows L2-normalised.
    n_chunked : traces longer than the embedder window (split into windows and mean-pooled).
    """

    ids: list[str]
    vectors: np.ndarray
    model_name: str
    view: str
    n_chunked: int = 0
    n_cached: int = 0


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Distances from each RL trace to the base traces of its problem (per problem).

    base_loo : cosine distance of each base trace to its nearest *other* base trace.
    rl_to_base : ndarray (n_rl, n_base) of cosine distances, rows in RL order.
    """

    problem_id: str | int
    base_ids: list[str]
    rl_ids: list[str]
    base_loo: np.ndarray
    rl_to_base: np.ndarray


@dataclass(frozen=True, slots=True)
class Calibration:
    """Full-conformal p-values of RL traces and the radius that p <= alpha implies, per problem."""

    problem_id: str | int
    rl_ids: list[str]
    nn_distance: np.ndarray
    p_values: np.ndarray
    radius: float
    n_base: int


@dataclass(frozen=True, slots=True)
class Clustering:
    """HDBSCAN labels of one problem's base+RL traces (NOISE for unclustered points)."""

    problem_id: str | int
    ids: list[str]
    labels: np.ndarray
    params: dict = field(default_factory=dict)
