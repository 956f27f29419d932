"""The family and method records every problem family module fills in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from .phrasing import Ph

# A renderer works one instance and returns its body lines plus the answer it reached.
Render = Callable[[Any, Ph], tuple[list[str], Any]]

FORMATS = ("prose", "code", "table", "list", "mixed")


@dataclass(frozen=True)
class Method:
    """One genuinely distinct way of solving a family's problems."""

    name: str
    format: str
    error: float  # chance a base trace of this method slips (misreads the problem)
    render: Render


@dataclass(frozen=True)
class Family:
    """A problem family: how to draw an instance, solve it, state it and solve it per method."""

    key: str
    domain: str
    make: Callable[[Random], Any]
    solve: Callable[[Any], Any]
    perturb: Callable[[Any, Random], Any]
    restate: Callable[[Any, Ph], str]
    show: Callable[[Any, Any], str]  # (instance, answer) -> final answer text
    methods: tuple[Method, ...]

    def method(self, name: str) -> Method:
        for m in self.methods:
            if m.name == name:
                return m
        raise KeyError(name)
