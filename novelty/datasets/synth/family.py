"""The shape of a problem family: its methods, their steps, and helpers to write a ``make``.

Each family makes one concrete problem instance (``make``) as a context of strings, and each of its
methods is a list of steps whose paraphrase templates are filled from that context. Methods differ
in what they compute, not only in wording, so a clustering that recovers them is recovering
strategies.

Placeholders are ``{name}`` with ``name`` a key of the context. Any other braces are literal, so a
LaTeX group around a placeholder is written doubled: ``\\boxed{{ans}}`` renders ``\\boxed{12}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Ctx = dict[str, str]


@dataclass(frozen=True)
class Step:
    """One step of a method: paraphrases of the same move, written with probability ``p``."""

    templates: tuple[str, ...]
    p: float = 1.0


def S(*templates: str, p: float = 1.0) -> Step:
    """Shorthand for a step; ``p < 1`` marks an optional step."""
    return Step(tuple(templates), p)


@dataclass(frozen=True)
class Method:
    """A solution strategy: its name (the ground-truth label), how a trace names it in passing,
    its base success probability, and its steps."""

    name: str
    phrase: str
    p_correct: float
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Family:
    """A problem family. ``make(rng)`` returns (context, wrong answers); the context holds every
    placeholder of the family's templates, including ``ans`` (the boxed answer)."""

    name: str
    domain: str
    make: Callable[[np.random.Generator], tuple[Ctx, list[str]]]
    restate: tuple[str, ...]
    methods: tuple[Method, ...]
    checks: tuple[str, ...]
    digressions: tuple[str, ...]
    setup: tuple[str, ...] = ()  # method-neutral givens, written by traces of every method


def uniform_int(rng: np.random.Generator, lo: int, hi: int) -> int:
    """Uniform integer in [lo, hi]."""
    return int(rng.integers(lo, hi + 1))


def wrong_answers(ans: str, candidates: list[str]) -> list[str]:
    """Distinct wrong answers, in order, never equal to the right one."""
    out: list[str] = []
    for c in candidates:
        if c != ans and c not in out:
            out.append(c)
    return out
