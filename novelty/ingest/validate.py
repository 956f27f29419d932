"""Canonical records to ``Trace`` records: the one place input is judged.

Every problem with a record (a missing or mistyped field, a duplicate id, an unknown model name)
becomes an ``InputError`` naming the file and 1-based line, so the CLI can print one line and
exit instead of a traceback, and later stages can trust what they get. Adapters only reshape;
they never judge a value, so every format meets the same checks here.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from novelty.errors import ConfigError, InputError
from novelty.ingest.read import json_type_name
from novelty.ingest.roles import check_roles, role_map
from novelty.ingest.runs import DEFAULT_RUN
from novelty.types import BASE, RL, Trace

__all__ = ["PROBLEM_ID_FIELDS", "Validator"]

# Accepted names for the problem id, in priority order: the first one present wins.
PROBLEM_ID_FIELDS = ("problem_id", "prompt_id", "qid", "doc_id", "idx")

_MAX_SHOWN = 40  # characters of a bad value quoted in an error message
_MAPPING_HINT = "map model names with --base-model NAME --rl-model NAME"
# For input that holds one model's samples (issue 14): the other side comes from elsewhere.
_ONE_MODEL = (
    "a file of one model's samples: give two files, --base BASE --rl RL, "
    "or split one run by step with --base-steps/--rl-steps"
)


class Validator:
    """Validates rows from one or two sources; ``finish`` then derives ids and checks the whole.

    A record's ``model`` gives its role: ``"base"``/``"rl"``, or the names given as
    ``base_model``/``rl_model`` (:func:`~novelty.ingest.roles.role_map`). When ``add`` fixes the
    role (one file of a ``--base``/``--rl`` pair), ``model`` is only kept, and one naming the
    other role is an error, since the files were most likely swapped. Without ``correct``, a
    finite ``reward`` counts as correct when ``reward >= threshold``. A missing ``id`` becomes
    ``{model or role}-{problem_id}-{sha1(text)[:10]}`` (``-k`` for the k-th identical text), so
    shuffled lines get the same ids. Ids are derived after every line is read, so they are checked
    against given ids that come later in the file.

    Several RL runs (issue 15; ``add(..., run=NAME)``): an RL trace's ``run`` is the name it was
    added under (None when no file named it: the one run ``"rl"``). Runs may reuse each other's
    ids (each run's file numbers its own lines); then every RL id becomes ``{run}:{id}`` and
    ``n_run_prefixed`` says how many. Derived ids of several runs start with the run's name.
    """

    def __init__(
        self, base_model: str | None, rl_model: str | Sequence[str] | None, threshold: float
    ):
        self.roles = role_map(base_model, rl_model)
        if not _is_finite_number(threshold) or isinstance(threshold, bool):
            raise ConfigError(f"reward_threshold must be a finite number, got {threshold!r}")
        self.threshold = float(threshold)
        # (id or None, problem_id, role, text, model, correct, step, domain, source, line,
        #  base_logprob, run)
        self.rows: list[tuple] = []
        self.id_at: dict[str, tuple[str, int]] = {}
        # issue 15: the run each given id was first seen in, and ids two runs share
        self.id_run: dict[str, str | None] = {}
        self.run_ids: set[tuple[str, str]] = set()
        self.shared_ids: set[str] = set()
        self.n_run_prefixed = 0

    def add(
        self,
        records: Iterable[tuple[int, Mapping]],
        source: str,
        role: str | None,
        on_error: Callable[[InputError], None] | None = None,
        run: str | None = None,
    ) -> None:
        """Validate each record; ``role`` fixes the role (pair mode) instead of ``model``.

        With ``on_error`` a bad record is handed to it and left out instead of raising.
        ``run`` names the RL run these records belong to (RL records only).
        """
        for line, rec in records:
            try:
                self.rows.append(self._row(rec, source, line, role, run))
            except InputError as err:
                if on_error is None:
                    raise
                on_error(err)

    def _row(
        self, rec: Mapping, source: str, line: int, fixed_role: str | None, run: str | None
    ) -> tuple:
        def fail(message: str) -> InputError:
            return InputError(message, path=source, line=line)

        text = rec.get("text")
        if text is None:
            if "text" in rec:
                raise fail("field 'text' is null")
            raise fail(f"missing field 'text'{_fields_hint(rec)}")
        if not isinstance(text, str):
            raise fail(_wrong_type("text", "a string", text))
        if not text or text.isspace():
            raise fail("field 'text' is empty")

        problem_id = _problem_id(rec, fail)

        model = rec.get("model")
        if model is not None and not isinstance(model, str):
            raise fail(_wrong_type("model", "a string", model))
        if fixed_role is None:
            if model is None:
                raise fail(
                    f"missing field 'model' ('base', 'rl', or {_MAPPING_HINT}; {_ONE_MODEL})"
                )
            role = self.roles.get(model)
            if role is None:
                raise fail(self._unknown_model(model))
        else:
            role = fixed_role
            if model is not None and self.roles.get(model, role) != role:
                raise fail(
                    f"model {model!r} means {self.roles[model]} but this is the {role} file; "
                    "were --base and --rl swapped?"
                )

        run = run if role == RL else None
        trace_id = rec.get("id")
        if trace_id is not None:
            key = (run or DEFAULT_RUN) if role == RL else None
            trace_id = self._given_id(trace_id, source, line, fail, key)

        correct = rec.get("correct")
        if correct is not None:
            if isinstance(correct, np.bool_):
                correct = bool(correct)
            elif not isinstance(correct, bool):
                raise fail(_wrong_type("correct", "a boolean", correct))
        else:
            reward = rec.get("reward")
            if reward is not None:
                if not _is_finite_number(reward):
                    raise fail(_wrong_type("reward", "a finite number", reward))
                correct = bool(reward >= self.threshold)

        step = rec.get("step")
        if step is not None:
            if type(step) is not int and not _is_int(step):
                raise fail(_wrong_type("step", "an integer", step))
            step = int(step)

        domain = rec.get("domain")
        if domain is not None and not isinstance(domain, str):
            raise fail(_wrong_type("domain", "a string", domain))

        logprob = rec.get("base_logprob")
        if logprob is not None:
            if not _is_finite_number(logprob) or isinstance(logprob, bool):
                raise fail(_wrong_type("base_logprob", "a finite number", logprob))
            logprob = float(logprob)

        row = (trace_id, problem_id, role, text, model, correct, step, domain, source, line)
        return (*row, logprob, run)

    def _given_id(self, value, source: str, line: int, fail, run: str | None) -> str:
        if not isinstance(value, str) and not _is_int(value):
            raise fail(_wrong_type("id", "a string or integer", value))
        trace_id = str(value) if isinstance(value, str) else str(int(value))
        if not trace_id or trace_id.isspace():
            raise fail("field 'id' is empty")
        if trace_id in self.id_at:
            other = self.id_run[trace_id]
            if run is None or other is None or (run, trace_id) in self.run_ids:
                raise fail(
                    f"duplicate id {trace_id!r} (also at {_where(self.id_at[trace_id], source)})"
                )
            self.shared_ids.add(trace_id)  # two RL runs number their traces alike
        else:
            self.id_at[trace_id] = (source, line)
            self.id_run[trace_id] = run
        if run is not None:
            self.run_ids.add((run, trace_id))
        return trace_id

    def _unknown_model(self, model: str) -> str:
        if self.roles != {BASE: BASE, RL: RL}:  # --base-model/--rl-model were given
            known = ", ".join(repr(name) for name in sorted(self.roles))
            return f"model {model!r} is not one of {known}; check --base-model/--rl-model"
        hint = " (names are case-sensitive)" if model.lower() in (BASE, RL) else ""
        neither = f"model {model!r} is neither 'base' nor 'rl'{hint}"
        return f"{neither}; {_MAPPING_HINT}, or for {_ONE_MODEL}"

    def finish(
        self, base_source: str, rl_source: str, *, per_problem: bool = True, check: bool = True
    ) -> list[Trace]:
        """Derive missing ids, build the traces and check the collection as a whole.

        ``per_problem=False`` (the global scope) lets RL traces answer problems no base trace
        answers, since they are then compared with every base trace. ``check=False`` leaves
        the checks of the whole (both roles present) to the caller.
        """
        counts: dict[tuple[str, str], int] = {}
        traces = []
        several = len({row[-1] for row in self.rows if row[-1] is not None}) > 1
        for row in self.rows:
            *head, run = row
            trace_id, problem_id, role, text, model, correct, step, domain, source, line, lp = head
            if trace_id is not None and self.shared_ids and run is not None:
                trace_id = self._prefixed(trace_id, run, source, line)
            if trace_id is None:
                # From model, problem and the text itself (order only among identical texts),
                # so shuffling the lines gives every trace the same id and the same report.
                prefix = run if several and run is not None else role if model is None else model
                digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
                key = (prefix, str(problem_id), digest)
                counts[key] = k = counts.get(key, -1) + 1
                trace_id = f"{prefix}-{problem_id}-{digest}" + (f"-{k}" if k else "")
                if trace_id in self.id_at:
                    raise InputError(
                        f"derived id {trace_id!r} for this line (it has no 'id') collides with "
                        f"the id at {_where(self.id_at[trace_id], source)}; give every line an id",
                        path=source,
                        line=line,
                    )
                self.id_at[trace_id] = (source, line)
            traces.append(
                Trace(
                    trace_id,
                    problem_id,
                    role,
                    text,
                    model,
                    correct,
                    step,
                    domain,
                    source,
                    line,
                    lp,
                    run,
                )
            )
        if check:
            check_roles(traces, base_source, rl_source, per_problem)
        return traces

    def _prefixed(self, trace_id: str, run: str, source: str, line: int) -> str:
        """``{run}:{id}``, when runs reuse ids; checked against every id given or derived."""
        new = f"{run}:{trace_id}"
        if new in self.id_at:
            raise InputError(
                f"RL runs reuse ids, so id {trace_id!r} of run {run!r} becomes {new!r}, which "
                f"the line at {_where(self.id_at[new], source)} already uses; give unique ids",
                path=source,
                line=line,
            )
        self.id_at[new] = (source, line)
        self.n_run_prefixed += 1
        return new


def _problem_id(rec: Mapping, fail) -> str | int:
    for name in PROBLEM_ID_FIELDS:
        value = rec.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            if not value or value.isspace():
                raise fail(f"field {name!r} is empty")
            return str(value)
        if not _is_int(value):
            raise fail(_wrong_type(name, "a string or integer", value))
        return int(value)
    aliases = ", ".join(PROBLEM_ID_FIELDS[1:])
    raise fail(f"missing field 'problem_id' (or one of {aliases}){_fields_hint(rec)}")


def _is_finite_number(value) -> bool:
    return (type(value) is float or isinstance(value, numbers.Real)) and math.isfinite(value)


def _is_int(value) -> bool:
    """An integer that is not a bool (numpy integers from Python records count)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _wrong_type(field: str, expected: str, value) -> str:
    try:
        shown = json.dumps(value, default=repr, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    if len(shown) > _MAX_SHOWN:
        shown = shown[: _MAX_SHOWN - 3] + "..."
    return f"field {field!r} must be {expected}, found {json_type_name(value)} {shown}"


def _fields_hint(rec: Mapping) -> str:
    keys = [str(k) for k in rec]
    shown = ", ".join(keys[:10]) + (", ..." if len(keys) > 10 else "")
    return f" (fields present: {shown})" if keys else " (the record is empty)"


def _where(at: tuple[str, int], source: str) -> str:
    """'line N' within the same source, 'FILE:N' across the two files of a pair."""
    return f"line {at[1]}" if at[0] == source else f"{at[0]}:{at[1]}"
