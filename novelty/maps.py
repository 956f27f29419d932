"""The report's 2-D maps: every trace's place overall, and within its problem.

A map is a picture, never evidence. The overall map projects the unit vectors; each problem's
own map (drawn beside its statistics by :func:`novelty.pool.problem_phase`, in the pool when
there is one, issue 13) projects the problem's centred vectors, and is placed here at its
traces' rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from novelty.problem import ProblemStats
from novelty.projection import project_2d, resolve_projection


@dataclass(frozen=True, slots=True)
class Maps:
    """2-D coordinates: ``overall`` of every trace (unit vectors), ``within`` each problem
    (centred vectors), the projection that drew the overall map and each problem's own (a
    problem too small for UMAP is drawn with PCA)."""

    used: str | None
    overall: np.ndarray | None = None
    within: np.ndarray | None = None
    per_problem: tuple[str, ...] = ()


def scan_maps(
    vectors: np.ndarray,
    stats: Sequence[ProblemStats],
    problem_maps: Sequence[tuple[np.ndarray, str]],
    projection: str,
    seed: int,
) -> Maps:
    """The overall map of ``vectors`` and the problems' maps (one per ``stats``, in order)
    placed at their traces' rows; no maps with ``projection="none"`` or no traces."""
    method = resolve_projection(projection)
    if method == "none" or not len(vectors):
        return Maps(None)
    if len(problem_maps) != len(stats):
        raise ValueError(f"{len(problem_maps)} problem maps for {len(stats)} problems")
    xy, used = project_2d(vectors, method, seed=seed)
    within = np.zeros((len(vectors), 2))
    for s, (pxy, _) in zip(stats, problem_maps, strict=True):
        within[s.order] = pxy
    return Maps(used, np.asarray(xy), within, tuple(how for _, how in problem_maps))
