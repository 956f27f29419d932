"""Which traces are base and which are RL, and whether the whole can support a scan.

A trace's role comes from its ``model`` name (``base``/``rl``, or the names of ``--base-model`` and
``--rl-model``), from the file it is in (``--base A --rl B``), or from its ``step``
(``--base-steps``/``--rl-steps`` on one source). The checks of the whole (both roles present, a
base sample for every problem RL answered, more than one base sample per problem) run once all
traces are read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from novelty.errors import ConfigError, InputError
from novelty.types import BASE, RL, Trace

if TYPE_CHECKING:
    from novelty.ingest.adapters import Context

__all__ = [
    "check_base_samples",
    "check_roles",
    "parse_steps",
    "place_by_step",
    "rl_names",
    "role_map",
    "step_in",
    "step_value",
]

StepRange = tuple[int, int]


def rl_names(rl_model: str | Sequence[str] | None) -> tuple[str, ...]:
    """The RL model names as a tuple, in the order given (training order when several).

    One name (a str) is the plain mapping of ``--rl-model NAME``; several name checkpoints,
    which the evidence timeline then reads in this order. Raises ``ConfigError`` for an empty
    or non-string name, and for a name given twice (the checkpoint order would be ambiguous).
    """
    if rl_model is None:
        return ()
    names = (rl_model,) if isinstance(rl_model, str) else tuple(rl_model)
    for name in names:
        if not isinstance(name, str) or not name:
            raise ConfigError(f"rl_model must be a non-empty model name, got {name!r}")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"rl_model names {', '.join(map(repr, twice))} more than once")
    return names


def role_map(base_model: str | None, rl_model: str | Sequence[str] | None) -> dict[str, str]:
    """Model name -> role; given names override the literals "base"/"rl" they collide with."""
    roles = {BASE: BASE, RL: RL}
    if base_model is not None:
        if not isinstance(base_model, str) or not base_model:
            raise ConfigError(f"base_model must be a non-empty model name, got {base_model!r}")
        roles[base_model] = BASE
    for name in rl_names(rl_model):
        if name == base_model:
            raise ConfigError(f"base_model and rl_model are both {name!r}; they must differ")
        roles[name] = RL
    return roles


def parse_steps(value: str | None) -> StepRange | None:
    """``"181-200"`` or ``"5"`` -> inclusive (first, last); a bad range is a ConfigError."""
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", value)
    if m is None:
        raise ConfigError(f"bad step range {value!r}: use FIRST-LAST (e.g. 181-200) or one step")
    first, last = int(m[1]), int(m[2] if m[2] is not None else m[1])
    if first > last:
        raise ConfigError(f"bad step range {value!r}: first step after last")
    return first, last


_INT_TEXT = re.compile(r"\s*[+-]?\d+\s*")


def step_value(value: Any) -> Any:
    """A step written as text (``"0"``, ``" 120 "``, as some loggers write it) as its integer;
    any other value unchanged, for the validator to judge."""
    if isinstance(value, str) and _INT_TEXT.fullmatch(value):
        return int(value)
    return value


def step_in(step: Any, rng: StepRange | None) -> bool:
    """``step`` is an integer (not a bool) inside the inclusive range ``rng``."""
    return (
        rng is not None
        and isinstance(step, int)
        and not isinstance(step, bool)
        and rng[0] <= step <= rng[1]
    )


def place_by_step(
    row: dict,
    role: str | None,
    base_steps: StepRange | None,
    rl_steps: StepRange | None,
    ctx: Context,
) -> bool:
    """Apply the step ranges to one canonical row; False leaves it out.

    For one source (``role`` None) the range the row's ``step`` falls in sets its ``model`` to
    that role; for a side of a pair (``role`` given) only that side's range filters. A row
    without an integer step cannot be placed: an InputError at its line.
    """
    ranges = {BASE: base_steps, RL: rl_steps}
    wanted = ranges[role] if role is not None else base_steps
    if wanted is None:
        return True
    step = row.get("step")
    if not isinstance(step, int) or isinstance(step, bool):
        raise ctx.fail(
            f"no integer 'step' (found {step!r}) to place this trace with --base-steps/--rl-steps"
        )
    if role is not None:
        return step_in(step, wanted)
    for side, rng in ranges.items():
        if step_in(step, rng):
            row["model"] = side
            return True
    return False


def check_roles(
    traces: list[Trace], base_source: str, rl_source: str, per_problem: bool = True
) -> None:
    """Both roles present, and every problem with RL traces has base traces to compare with."""
    base_problems = {t.problem_id for t in traces if t.role == BASE}
    if not base_problems:
        raise InputError(
            "no base traces: add base samples (model 'base' or --base-model NAME)",
            path=base_source,
        )
    rl_traces = [t for t in traces if t.role == RL]
    if not rl_traces:
        raise InputError(
            "no RL traces: add RL samples (model 'rl' or --rl-model NAME)", path=rl_source
        )
    if not per_problem:
        return
    orphans: dict[str | int, Trace] = {}
    for t in rl_traces:
        if t.problem_id not in base_problems:
            orphans.setdefault(t.problem_id, t)
    if orphans:
        pid, first = next(iter(orphans.items()))
        more = f" ({len(orphans) - 1} more such problems)" if len(orphans) > 1 else ""
        twin = {str(p): p for p in base_problems}.get(str(pid))
        hint = "" if twin is None else f"; base traces use {twin!r}, a different type"
        raise InputError(
            f"problem {pid!r} has RL traces but no base traces{more}{hint} "
            "(--scope global compares RL traces with the base traces of every problem)",
            path=first.source,
            line=first.line,
        )


def check_base_samples(traces: list[Trace], scope: str) -> None:
    """Per-problem scope with one base sample per problem cannot find anything: say so.

    An InputError (exit 1), since it is the data that cannot support the default scope.
    """
    if scope != "problem":
        return
    n_base: dict[Any, int] = {}
    for t in traces:
        if t.role == BASE:
            n_base[t.problem_id] = n_base.get(t.problem_id, 0) + 1
    if n_base and max(n_base.values()) < 2:
        first = next(t for t in traces if t.role == BASE)
        raise InputError(
            "every problem has a single base sample, so no RL trace can be judged against its "
            "problem's base samples (the smallest possible p-value would be 1/2); "
            "draw more base samples per problem or use --scope global",
            path=first.source,
        )
