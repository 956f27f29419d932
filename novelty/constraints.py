"""Allowed values declared as data, and the one function that checks them.

Shaped like scikit-learn's ``_parameter_constraints``: each setting names the list of
constraints it may satisfy (any one will do), so a reader finds every allowed value in one
table, the check runs in one place, and the CLI builds its choices from the same data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal

from novelty.errors import ConfigError

__all__ = ["Constraint", "Interval", "Options", "check_params"]


@dataclass(frozen=True, slots=True)
class Interval:
    """A number of ``kind`` (``Integral`` or ``Real``) between ``left`` and ``right``.

    ``None`` leaves a side open-ended; ``closed`` says which ends belong to the interval.
    A bool is never a number here, even though Python counts it as an int.
    """

    kind: type[Integral] | type[Real]
    left: float | None
    right: float | None
    closed: Literal["left", "right", "both", "neither"] = "both"

    def allows(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        left_in = self.closed in ("left", "both")
        right_in = self.closed in ("right", "both")
        if self.left is not None and (value < self.left or (value == self.left and not left_in)):
            return False
        if self.right is not None and (
            value > self.right or (value == self.right and not right_in)
        ):
            return False
        return value == value  # NaN lies in no interval

    def __str__(self) -> str:
        what = "an int" if self.kind is Integral else "a number"
        left_in = self.closed in ("left", "both")
        right_in = self.closed in ("right", "both")
        if self.right is None and self.left is None:
            return what
        if self.right is None:
            return f"{what} {'at least' if left_in else 'greater than'} {self.left:g}"
        if self.left is None:
            return f"{what} {'at most' if right_in else 'less than'} {self.right:g}"
        return (
            f"{what} in {'[' if left_in else '('}{self.left:g}, {self.right:g}"
            f"{']' if right_in else ')'}"
        )


@dataclass(frozen=True, slots=True)
class Options:
    """One of a fixed set of strings (in the order help and messages list them)."""

    values: tuple[str, ...]

    def __init__(self, values: Iterable[str]) -> None:
        object.__setattr__(self, "values", tuple(values))

    def allows(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values

    def __str__(self) -> str:
        return f"one of {', '.join(self.values)}"


# A constraint: an Interval, Options, a type the value must be an instance of, or None
# (the value may be None).
Constraint = Interval | Options | type | None


def _allows(constraint: Constraint, value: Any) -> bool:
    if constraint is None:
        return value is None
    if isinstance(constraint, type):
        return isinstance(value, constraint)
    return constraint.allows(value)


def _describe(constraint: Constraint) -> str:
    if constraint is None:
        return "None"
    if isinstance(constraint, type):
        name = {bool: "bool", str: "str", int: "int", tuple: "tuple", list: "list"}.get(
            constraint, constraint.__name__
        )
        return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"
    return str(constraint)


def check_params(params: Mapping[str, Any], constraints: Mapping[str, list[Constraint]]) -> None:
    """Raise a ConfigError naming the first setting that meets none of its constraints.

    The message names the setting, what it may be and the value given; a setting that is one
    of a set of strings reads like every other unknown name in novelty ("unknown view 'x';
    choose one of steps, strategy, whole").
    """
    for name, value in params.items():
        allowed = constraints[name]
        if any(_allows(c, value) for c in allowed):
            continue
        if len(allowed) == 1 and isinstance(allowed[0], Options):
            raise ConfigError(
                f"unknown {name} {value!r}; choose one of {', '.join(allowed[0].values)}"
            )
        raise ConfigError(
            f"{name} must be {' or '.join(_describe(c) for c in allowed)}, got {value!r}"
        )
