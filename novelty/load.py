"""Read traces in the canonical JSONL form (DESIGN.md, "Input contract") into ``Trace`` records.

This is the one place raw input is checked. Every problem with the data becomes an
``InputError`` naming the file and 1-based line, so the CLI can print one line and exit
instead of a traceback, and later stages can trust what they get.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import numbers
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from novelty.errors import ConfigError, InputError
from novelty.types import BASE, RL, Trace

__all__ = [
    "PROBLEM_ID_FIELDS",
    "check_roles",
    "load_pair",
    "load_traces",
    "read_records",
    "rl_names",
]

# Accepted names for the problem id, in priority order: the first one present wins.
PROBLEM_ID_FIELDS = ("problem_id", "prompt_id", "qid", "doc_id", "idx")

# Source name of records handed over from Python rather than read from a file.
RECORDS_SOURCE = "<records>"

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_SHOWN = 40  # characters of a bad value quoted in an error message
_JSON_TYPES = (
    (type(None), "null"),
    ((bool, np.bool_), "boolean"),
    (str, "string"),
    (numbers.Integral, "integer"),
    (numbers.Real, "number"),
    ((list, tuple), "array"),
    (Mapping, "object"),
)
_MAPPING_HINT = "map model names with --base-model NAME --rl-model NAME"


def read_records(
    path: str | Path, *, on_error: Callable[[InputError], None] | None = None
) -> Iterator[tuple[int, dict]]:
    """Yield ``(line, record)`` for each non-blank line of a ``.jsonl`` or ``.jsonl.gz`` file.

    Lines are decoded and parsed one at a time so a bad line is reported with its number
    (gzip is detected from the file's first bytes, not its name). Blank lines are skipped
    but still counted, so numbers match what an editor shows. Raises ``InputError`` for a
    missing or unreadable file, bad gzip data, invalid UTF-8 or JSON, a line that is not an
    object, and a file with no records. With ``on_error`` (``--skip-invalid``), a bad line's
    error goes there instead and reading goes on; the file-level errors are still raised.
    """
    path = Path(path)
    fh = _open(path)
    lineno = n_records = n_bad = 0
    try:
        with fh:
            for lineno, raw in enumerate(fh, start=1):
                if raw.isspace():  # a blank line (lines are never b"")
                    continue
                try:
                    record = _parse_line(raw, path, lineno)
                except InputError as err:
                    if on_error is None:
                        raise
                    on_error(err)
                    n_bad += 1
                    continue
                yield lineno, record
                n_records += 1
    except (OSError, EOFError, zlib.error) as err:
        kind = "gzip data" if isinstance(fh, gzip.GzipFile) else "file"
        raise InputError(f"cannot read {kind} ({err})", path=path, line=lineno + 1) from err
    if n_records == 0:
        what = f"all {n_bad} non-blank lines are invalid" if n_bad else "file is empty"
        raise InputError(f"{what}: expected one JSON object per line", path=path)


def load_traces(
    source: str | Path | Iterable[Mapping],
    *,
    base_model: str | None = None,
    rl_model: str | Sequence[str] | None = None,
    reward_threshold: float = 0.5,
) -> list[Trace]:
    """Load and validate base and RL traces from one JSONL file, or from Python records.

    Each record's ``model`` gives its role: ``"base"``/``"rl"``, or the names passed as
    ``base_model``/``rl_model`` (``--base-model``/``--rl-model``; ``rl_model`` may be several
    names, RL checkpoints in training order, see :func:`rl_names`). Without ``correct``, a
    finite ``reward`` counts as correct when ``reward >= reward_threshold``. Records from
    Python are reported as ``<records>``, line = position + 1. Traces come back in input
    order; a missing ``id`` becomes ``f"{model}-{problem_id}-{k}"``, k counting in order.

    Raises ``InputError`` for a bad record (file and line), duplicate ids, no base or no RL
    traces, or a problem with RL traces but no base trace to compare them with.
    """
    loader = _Loader(base_model, rl_model, reward_threshold)
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
        loader.add(read_records(source), name, role=None)
    else:
        name = RECORDS_SOURCE
        loader.add(_enumerate_records(source), name, role=None)
    return loader.finish(name, name)


def load_pair(
    base: str | Path,
    rl: str | Path,
    *,
    base_model: str | None = None,
    rl_model: str | Sequence[str] | None = None,
    reward_threshold: float = 0.5,
) -> list[Trace]:
    """Load base traces from one file and RL traces from another (``--base FILE --rl FILE``).

    The file decides the role, so ``model`` is optional and only kept as ``Trace.model``;
    a line whose ``model`` names the other role ("rl" in the base file) is an error,
    since it usually means the files were swapped. Ids must be unique across both files.
    """
    loader = _Loader(base_model, rl_model, reward_threshold)
    loader.add(read_records(base), str(base), role=BASE)
    loader.add(read_records(rl), str(rl), role=RL)
    return loader.finish(str(base), str(rl))


def _open(path: Path):
    """Open ``path`` for binary line reading, through gzip when its first bytes say so."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed by read_records' ``with``)
        magic = fh.peek(2)[:2]
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a .jsonl file", path=path) from None
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror or err})", path=path) from None
    if magic == _GZIP_MAGIC:
        fh.close()
        return gzip.GzipFile(path, "rb")  # opened by name, so closing it closes the file
    if path.suffix == ".gz":
        fh.close()
        raise InputError("name ends in .gz but the file is not gzip-compressed", path=path)
    return fh


def _parse_line(raw: bytes, path: Path, lineno: int) -> dict:
    """Decode one line as UTF-8 JSON and insist that it is an object."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        msg = f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at byte offset {err.start})"
        raise InputError(msg, path=path, line=lineno) from None
    text = text.removeprefix("\ufeff") if lineno == 1 else text  # some editors write a BOM
    try:
        record = json.loads(text)
    except RecursionError:
        raise InputError("invalid JSON (nested too deeply)", path=path, line=lineno) from None
    except json.JSONDecodeError as err:
        array = lineno == 1 and text.lstrip().startswith("[")
        hint = "; expected JSON Lines (one object per line), not a JSON array" if array else ""
        raise InputError(
            f"invalid JSON ({err.msg} at column {err.colno}){hint}", path=path, line=lineno
        ) from None
    except ValueError as err:  # e.g. an integer literal longer than Python converts
        raise InputError(f"invalid JSON ({err})", path=path, line=lineno) from None
    if not isinstance(record, dict):
        raise InputError(
            f"expected a JSON object, found {_type_name(record)}", path=path, line=lineno
        )
    return record


def _enumerate_records(records: Iterable[Mapping]) -> Iterator[tuple[int, Mapping]]:
    """Number in-memory records from 1 and check that each is a mapping."""
    n = 0
    for n, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            raise InputError(
                f"expected a mapping, found {type(record).__name__}", path=RECORDS_SOURCE, line=n
            )
        yield n, record
    if n == 0:
        raise InputError("no records", path=RECORDS_SOURCE)


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


def _role_map(base_model: str | None, rl_model: str | Sequence[str] | None) -> dict[str, str]:
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


class _Loader:
    """Validates rows from one or two sources; ``finish`` then derives ids and checks the whole.

    Ids are derived after every line is read, so they are checked against given ids that come
    later in the file.
    """

    def __init__(
        self, base_model: str | None, rl_model: str | Sequence[str] | None, threshold: float
    ):
        self.roles = _role_map(base_model, rl_model)
        if not _is_finite_number(threshold) or isinstance(threshold, bool):
            raise ConfigError(f"reward_threshold must be a finite number, got {threshold!r}")
        self.threshold = float(threshold)
        # (id or None, problem_id, role, text, model, correct, step, domain, source, line,
        #  base_logprob)
        self.rows: list[tuple] = []
        self.id_at: dict[str, tuple[str, int]] = {}

    def add(
        self,
        records: Iterable[tuple[int, Mapping]],
        source: str,
        role: str | None,
        on_error: Callable[[InputError], None] | None = None,
    ) -> None:
        """Validate each record; ``role`` fixes the role (pair mode) instead of ``model``.

        With ``on_error`` a bad record is handed to it and left out instead of raising.
        """
        for line, rec in records:
            try:
                self.rows.append(self._row(rec, source, line, role))
            except InputError as err:
                if on_error is None:
                    raise
                on_error(err)

    def _row(self, rec: Mapping, source: str, line: int, fixed_role: str | None) -> tuple:
        def fail(message: str) -> InputError:
            return InputError(message, path=source, line=line)

        text = rec.get("text")
        if text is None:
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
                raise fail(f"missing field 'model' ('base', 'rl', or {_MAPPING_HINT})")
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

        trace_id = rec.get("id")
        if trace_id is not None:
            trace_id = self._given_id(trace_id, source, line, fail)

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
        return (*row, logprob)

    def _given_id(self, value, source: str, line: int, fail) -> str:
        if not isinstance(value, str) and not _is_int(value):
            raise fail(_wrong_type("id", "a string or integer", value))
        trace_id = str(value) if isinstance(value, str) else str(int(value))
        if not trace_id or trace_id.isspace():
            raise fail("field 'id' is empty")
        if trace_id in self.id_at:
            raise fail(
                f"duplicate id {trace_id!r} (also at {_where(self.id_at[trace_id], source)})"
            )
        self.id_at[trace_id] = (source, line)
        return trace_id

    def _unknown_model(self, model: str) -> str:
        if self.roles != {BASE: BASE, RL: RL}:  # --base-model/--rl-model were given
            known = ", ".join(repr(name) for name in sorted(self.roles))
            return f"model {model!r} is not one of {known}; check --base-model/--rl-model"
        hint = " (names are case-sensitive)" if model.lower() in (BASE, RL) else ""
        return f"model {model!r} is neither 'base' nor 'rl'{hint}; {_MAPPING_HINT}"

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
        for row in self.rows:
            trace_id, problem_id, role, text, model, correct, step, domain, source, line, lp = row
            if trace_id is None:
                # From model, problem and the text itself (order only among identical texts),
                # so shuffling the lines gives every trace the same id and the same report.
                prefix = role if model is None else model
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
                    trace_id, problem_id, role, text, model, correct, step, domain, source, line, lp
                )
            )
        if check:
            check_roles(traces, base_source, rl_source, per_problem)
        return traces


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


def _type_name(value) -> str:
    """JSON's name for a value's type, since most input is JSON."""
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _wrong_type(field: str, expected: str, value) -> str:
    try:
        shown = json.dumps(value, default=repr, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    if len(shown) > _MAX_SHOWN:
        shown = shown[: _MAX_SHOWN - 3] + "..."
    return f"field {field!r} must be {expected}, found {_type_name(value)} {shown}"


def _fields_hint(rec: Mapping) -> str:
    keys = [str(k) for k in rec]
    shown = ", ".join(keys[:10]) + (", ..." if len(keys) > 10 else "")
    return f" (fields present: {shown})" if keys else " (the record is empty)"


def _where(at: tuple[str, int], source: str) -> str:
    """'line N' within the same source, 'FILE:N' across the two files of a pair."""
    return f"line {at[1]}" if at[0] == source else f"{at[0]}:{at[1]}"
