"""From the files researchers already have to validated ``Trace`` records.

A source is a file (``.jsonl``, ``.jsonl.gz``, ``.parquet``), a folder of them, a pair of those
(``--base A --rl B``) or records from Python. Each file's format is detected from its first
record (or forced with ``--format``); its adapter (:mod:`novelty.formats`) turns every raw record
into canonical ones, keeping the file and line; ``--map`` and ``--text`` apply; and then every
record goes through :mod:`novelty.load`'s validation, the one place input is judged. With
``skip_invalid`` a bad line is set aside with its error instead of stopping the run.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from novelty.errors import ConfigError, InputError
from novelty.formats import (
    FORMATS,
    Context,
    Format,
    adapt,
    detect,
    get_format,
)
from novelty.load import RECORDS_SOURCE, _enumerate_records, _Loader, read_records
from novelty.think import TEXT_CHOICES, select_text
from novelty.types import BASE, RL, Trace

__all__ = [
    "FileSummary",
    "IngestOptions",
    "Ingested",
    "canonical_rows",
    "check_base_samples",
    "ingest",
    "list_files",
    "parse_steps",
]

logger = logging.getLogger(__name__)

# Files a folder contributes, in sorted order.
SUFFIXES = (".jsonl", ".jsonl.gz", ".parquet")
_STEP_NAME = re.compile(r"(?:step[_-]?)?(\d+)")
_MAX_SKIPPED_SHOWN = 20  # skipped lines listed in the report (all are counted)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How raw input becomes canonical records; every field changes what is scanned.

    Parameters
    ----------
    format : str, optional
        Force a format of :data:`novelty.formats.FORMATS` instead of detecting it per file.
    field_map : tuple of (field, dotted path)
        ``--map`` pairs (see :func:`novelty.formats.parse_field_map`).
    text : {"full", "think", "answer"}
        Which part of each trace is kept (:func:`novelty.think.select_text`).
    skip_invalid : bool
        Leave bad lines out (counted and listed) instead of stopping at the first.
    base_steps, rl_steps : (first, last), optional
        Inclusive step ranges. For one source they decide the role of each trace by its
        ``step`` (traces outside both are left out); with ``--base``/``--rl`` they keep only
        the base file's traces in ``base_steps`` and the RL file's in ``rl_steps``.
    """

    format: str | None = None
    field_map: tuple[tuple[str, str], ...] = ()
    text: str = "full"
    skip_invalid: bool = False
    base_steps: tuple[int, int] | None = None
    rl_steps: tuple[int, int] | None = None

    def validate(self, *, pair: bool) -> None:
        if self.format is not None:
            get_format(self.format)
        if self.text not in TEXT_CHOICES:
            raise ConfigError(f"text must be one of {', '.join(TEXT_CHOICES)}, got {self.text!r}")
        for name, rng in (("base_steps", self.base_steps), ("rl_steps", self.rl_steps)):
            if rng is not None and not (len(rng) == 2 and rng[0] <= rng[1]):
                raise ConfigError(f"{name} must be (first, last) with first <= last, got {rng!r}")
        ranges = (self.base_steps, self.rl_steps)
        if not pair and (ranges[0] is None) != (ranges[1] is None):
            raise ConfigError("--base-steps and --rl-steps go together for a single source")
        if ranges[0] is not None and ranges[1] is not None and not pair:
            (a0, a1), (b0, b1) = ranges
            if a0 <= b1 and b0 <= a1:
                raise ConfigError(f"--base-steps {a0}-{a1} and --rl-steps {b0}-{b1} overlap")


def parse_steps(value: str | None) -> tuple[int, int] | None:
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


@dataclass(slots=True)
class FileSummary:
    """What one file held and how it was read (``novelty inspect`` and ``report.config``)."""

    path: str
    role: str | None
    format: str | None = None
    detected: bool = True
    step_from_name: int | None = None
    n_records: int = 0
    n_traces: int = 0
    n_no_think: int = 0
    n_outside_steps: int = 0


@dataclass(slots=True)
class Ingested:
    """Validated traces, with what each file was and what was left out."""

    traces: list[Trace]
    files: list[FileSummary]
    skipped: list[InputError] = field(default_factory=list)

    @property
    def n_no_think(self) -> int:
        return sum(f.n_no_think for f in self.files)

    @property
    def n_outside_steps(self) -> int:
        return sum(f.n_outside_steps for f in self.files)

    def record(self, text_part: str) -> dict[str, Any]:
        """What ``report.json`` keeps of the ingestion: formats, skipped lines, fallbacks."""
        skipped = sorted(self.skipped, key=lambda e: (e.path or "", e.line or 0))
        return {
            "input_files": [
                {"path": f.path, "role": f.role, "format": f.format, "detected": f.detected}
                for f in self.files
            ],
            "n_skipped": len(self.skipped),
            "skipped": [str(e) for e in skipped[:_MAX_SKIPPED_SHOWN]],
            "n_no_think": self.n_no_think if text_part != "full" else 0,
            "n_outside_steps": self.n_outside_steps,
        }


def list_files(path: str | Path) -> list[Path]:
    """A file as itself; a folder as its ``*.jsonl``, ``*.jsonl.gz`` and ``*.parquet``, sorted."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    files = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(SUFFIXES))
    if not files:
        raise InputError(f"folder holds no {', '.join('*' + s for s in SUFFIXES)} file", path=path)
    return files


def step_from_name(path: Path) -> int | None:
    """The step a dump's name gives (``120.jsonl``, ``step_120.parquet``), else None."""
    stem = path.name
    for suffix in SUFFIXES:
        stem = stem.removesuffix(suffix)
    m = _STEP_NAME.fullmatch(stem)
    return int(m[1]) if m else None


def ingest(
    source: Any,
    options: IngestOptions | None = None,
    *,
    base_model: str | None = None,
    rl_model: str | Sequence[str] | None = None,
    reward_threshold: float = 0.5,
    per_problem: bool = True,
    check: bool = True,
) -> Ingested:
    """Read, adapt and validate a source into traces.

    ``source`` is a path (file or folder), a list of paths read as one source, ``(base, rl)``
    paths (each a file or folder), or an iterable of mappings.
    Raises ``InputError`` (file and line) for bad data, unless ``options.skip_invalid`` sets
    the line aside; errors about the whole input (no base traces, an unreadable file) are
    always raised. ``per_problem=False`` (global scope) allows RL-only problems; ``check=False``
    skips the checks of the whole (``novelty inspect`` reports them instead).
    """
    options = options or IngestOptions()
    pair = isinstance(source, tuple)
    options.validate(pair=pair)
    loader = _Loader(base_model, rl_model, reward_threshold)
    skipped: list[InputError] = []
    on_error = skipped.append if options.skip_invalid else None
    files: list[FileSummary] = []

    if pair:
        if len(source) != 2:
            raise ConfigError("a pair source is (base, rl)")
        parts: tuple = ((source[0], BASE), (source[1], RL))
    elif _is_paths(source):
        parts = tuple((p, None) for p in source)
    else:
        parts = ((source, None),)
    for src, role in parts:
        if isinstance(src, str | os.PathLike):
            for path in list_files(src):
                summary = FileSummary(str(path), role, step_from_name=step_from_name(path))
                files.append(summary)
                rows = canonical_rows(_read_rows(path, on_error), summary, options, on_error)
                loader.add(rows, str(path), role, on_error)
        else:
            summary = FileSummary(RECORDS_SOURCE, role)
            files.append(summary)
            rows = canonical_rows(_enumerate_records(src), summary, options, on_error)
            loader.add(rows, RECORDS_SOURCE, role, on_error)
    names = [f.path for f in files]
    base_name = next((f.path for f in files if f.role == BASE), names[0])
    rl_name = next((f.path for f in files if f.role == RL), names[-1])
    traces = loader.finish(
        base_name if pair else _name(source),
        rl_name if pair else _name(source),
        per_problem=per_problem,
        check=check,
    )
    return Ingested(traces, files, skipped)


def _name(source: Any) -> str:
    if _is_paths(source):
        return ", ".join(str(p) for p in source)
    return str(source) if isinstance(source, str | os.PathLike) else RECORDS_SOURCE


def _is_paths(source: Any) -> bool:
    """A list of paths (several files read as one source), not a list of records."""
    return (
        isinstance(source, list)
        and bool(source)
        and all(isinstance(p, str | os.PathLike) for p in source)
    )


def _read_rows(
    path: Path, on_error: Callable[[InputError], None] | None
) -> Iterator[tuple[int, Mapping]]:
    if path.name.endswith(".parquet"):
        return _read_parquet(path)
    return read_records(path, on_error=on_error)


def _read_parquet(path: Path) -> Iterator[tuple[int, Mapping]]:
    """Rows of a parquet file as ``(row number from 1, dict)``; needs pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        msg = f"reading parquet needs pyarrow ({err}): pip install pyarrow"
        raise InputError(msg, path=path) from None
    row = 0
    try:
        reader = pq.ParquetFile(path)
        for batch in reader.iter_batches(batch_size=1024):
            for rec in batch.to_pylist():
                row += 1
                yield row, rec
    except (OSError, ValueError, pa.ArrowException) as err:
        where = f" after row {row}" if row else ""
        raise InputError(f"cannot read parquet{where} ({err})", path=path) from None
    if row == 0:
        raise InputError("parquet file has no rows", path=path)


def canonical_rows(
    records: Iterable[tuple[int, Mapping]],
    summary: FileSummary,
    options: IngestOptions,
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[tuple[int, dict]]:
    """Adapt one file's raw records into ``(line, canonical record)``, filling ``summary``.

    The format is forced or detected from the first record that any format matches (a line no
    format matches is an error; skipped under ``skip_invalid`` until one matches). Then the
    ``--map`` fields, the ``--text`` part and the step ranges apply.
    """
    fmt: Format | None = get_format(options.format) if options.format else None
    summary.detected = fmt is None
    first_error: InputError | None = None
    state: dict = {}  # the adapter's memory across this file's records
    for line, rec in records:
        summary.n_records += 1
        ctx = Context(summary.path, line, state)
        try:
            if fmt is None:
                fmt = detect(rec, path=summary.path, line=line, field_map=options.field_map)
                logger.info("%s: format %s, detected from line %d", summary.path, fmt.name, line)
            summary.format = fmt.name
            rows = adapt(fmt, rec, ctx, options.field_map)
        except InputError as err:
            if on_error is None:
                raise
            first_error = first_error or err
            on_error(err)
            continue
        for row in rows:
            if row.get("step") is None and summary.step_from_name is not None:
                row["step"] = summary.step_from_name  # a dump per step: 120.jsonl
            try:
                keep = _in_steps(row, summary, options, ctx)
            except InputError as err:
                if on_error is None:
                    raise
                on_error(err)
                continue
            if not keep:
                summary.n_outside_steps += 1
                continue
            if options.text != "full" and isinstance(row.get("text"), str):
                row["text"], had_think = select_text(row["text"], options.text)
                summary.n_no_think += not had_think
                if had_think and not row["text"]:
                    err = ctx.fail(f"the {options.text} part of the trace is empty (--text)")
                    if on_error is None:
                        raise err
                    on_error(err)
                    continue
            summary.n_traces += 1
            yield line, row
    if fmt is None and first_error is not None:
        raise first_error  # no line of the file is in a known format: not a line problem


def _in_steps(row: dict, summary: FileSummary, options: IngestOptions, ctx: Context) -> bool:
    """Apply the step ranges: set the role (one source) or filter the side's file (a pair)."""
    ranges = {BASE: options.base_steps, RL: options.rl_steps}
    wanted = ranges[summary.role] if summary.role is not None else options.base_steps
    if wanted is None:
        return True
    step = row.get("step")
    if not isinstance(step, int) or isinstance(step, bool):
        raise ctx.fail(
            f"no integer 'step' (found {step!r}) to place this trace with --base-steps/--rl-steps"
        )
    if summary.role is not None:
        return _step_in(step, wanted)
    for role, rng in ranges.items():
        if _step_in(step, rng):
            row["model"] = role
            return True
    return False


def _step_in(step: Any, rng: tuple[int, int] | None) -> bool:
    return (
        rng is not None
        and isinstance(step, int)
        and not isinstance(step, bool)
        and rng[0] <= step <= rng[1]
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


def format_names() -> list[str]:
    """Names ``--format`` accepts, in detection order."""
    return [f.name for f in FORMATS]
