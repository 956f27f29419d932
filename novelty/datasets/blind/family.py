"""The family/method/instance contract every problem module implements.

A family is a kind of problem (shortest route, modular powers, ...); a method is one genuinely
different way of solving it, written in a characteristic format; an instance is one problem with
fresh numbers and entities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .writer import Writer

FORMATS = ("prose", "code", "table", "list", "mixed")


class Instance(Protocol):
    """One problem: restates itself, knows its answer, and lends text for long traces."""

    def restate(self, w: Writer) -> None:
        """Write the problem statement with all its numbers/entities (every trace does this)."""

    def keys(self) -> list[str]:
        """Entity strings every restatement contains (what the shared-content test checks)."""

    def asides(self) -> list[str]:
        """Problem-aware digressions for long traces."""

    def verify(self) -> list[str]:
        """True 'plug it back in' facts about the correct answer."""

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        """The bare answer (or a wrong one), for degenerate shortcut traces."""


@dataclass(frozen=True)
class Method:
    """A solution strategy; `write` adds the body to the writer and returns the final answer."""

    name: str
    fmt: str
    accuracy: float
    write: Callable[[Writer, Any], str]

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise ValueError(f"method {self.name!r}: unknown format {self.fmt!r}")


@dataclass(frozen=True)
class Family:
    """A problem family: how to draw an instance and the 4-6 methods that solve it."""

    name: str
    domain: str
    make: Callable[[np.random.Generator], Any]
    methods: tuple[Method, ...]

    def __post_init__(self) -> None:
        if not 4 <= len(self.methods) <= 6:
            raise ValueError(f"family {self.name!r} needs 4-6 methods, has {len(self.methods)}")

    def method(self, name: str) -> Method:
        """Look a method up by name."""
        for m in self.methods:
            if m.name == name:
                return m
        raise KeyError(name)


def pick(rng: np.random.Generator, options: list[Any] | tuple[Any, ...]) -> Any:
    """Uniform choice that keeps the element's own type (rng.choice would make numpy scalars)."""
    return options[int(rng.integers(len(options)))]
