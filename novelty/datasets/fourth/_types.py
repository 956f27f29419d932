"""The two shapes every family module fills in: methods and families."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

#: How a method writes its work.
FORMATS: tuple[str, ...] = ("code", "table", "list", "prose")


class Instance(Protocol):
    """One concrete problem: its correct answer and plausible wrong ones."""

    answer: str
    decoys: tuple[str, ...]


@dataclass(frozen=True)
class Method:
    """A way of solving a family's problems, always written in one format."""

    name: str
    fmt: str
    render: Callable[[Any, random.Random], list[str]]


@dataclass(frozen=True)
class Family:
    """A task family: instance maker, statement, checks and 4-6 methods."""

    key: str
    domain: str
    goal: str
    make: Callable[[random.Random], Any]
    describe: Callable[[Any], str]
    checks: Callable[[Any, random.Random], list[str]]
    asides: tuple[str, ...]
    methods: tuple[Method, ...]
