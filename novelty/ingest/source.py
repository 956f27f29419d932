"""``ingest``: from the files researchers already have to validated ``Trace`` records.

A source is a file (``.jsonl``, ``.jsonl.gz``, ``.parquet``), a folder of them, a pair of those
(``--base A --rl B``) or records from Python. Each file's rows are read
(:mod:`~novelty.ingest.read`); its format is detected from its first record or forced with
``--format`` (:mod:`~novelty.ingest.formats`); the format's adapter turns every raw record into
canonical ones, keeping the file and line; ``--map``, ``--text`` and the step ranges apply; and
then every record goes through :mod:`~novelty.ingest.validate`, the one place input is judged.
With ``skip_invalid`` a bad line is set aside with its error instead of stopping the run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from novelty.errors import ConfigError, InputError
from novelty.ingest.adapters import Context
from novelty.ingest.formats import Format, adapt, detect, get_format
from novelty.ingest.read import (
    RECORDS_SOURCE,
    display_name,
    enumerate_records,
    is_stdin,
    list_files,
    read_rows,
    step_from_name,
)
from novelty.ingest.roles import place_by_step, step_value
from novelty.ingest.runs import rl_runs
from novelty.ingest.validate import PROBLEM_ID_FIELDS, Validator
from novelty.think import TEXT_CHOICES, select_text
from novelty.types import BASE, RL, Trace

__all__ = ["FileSummary", "IngestOptions", "Ingested", "canonical_rows", "ingest"]

logger = logging.getLogger(__name__)

_MAX_SKIPPED_SHOWN = 20  # skipped lines listed in the report (all are counted)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How raw input becomes canonical records; every field changes what is scanned.

    Parameters
    ----------
    format : str, optional
        Force a format of :data:`novelty.ingest.formats.FORMATS` instead of detecting it per file.
    field_map : tuple of (field, dotted path)
        ``--map`` pairs (see :func:`novelty.ingest.mapping.parse_field_map`).
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


@dataclass(slots=True)
class FileSummary:
    """What one file held and how it was read (``novelty inspect`` and ``report.config``)."""

    path: str
    role: str | None
    format: str | None = None
    detected: bool = True
    step_from_name: int | None = None
    # What chose the format: "keys" (detected), "--format" or "--map" (a mapped text, issue 14).
    decided_by: str = "keys"
    n_records: int = 0
    n_traces: int = 0
    n_no_think: int = 0
    n_outside_steps: int = 0
    run: str | None = None  # issue 15: the RL run a file of a (base, rl) source belongs to


@dataclass(slots=True)
class Ingested:
    """Validated traces, with what each file was and what was left out.

    ``n_run_prefixed`` counts RL ids prefixed with their run's name because two runs reused
    the same ids (issue 15).
    """

    traces: list[Trace]
    files: list[FileSummary]
    skipped: list[InputError] = field(default_factory=list)
    n_run_prefixed: int = 0

    @property
    def n_no_think(self) -> int:
        return sum(f.n_no_think for f in self.files)

    @property
    def n_outside_steps(self) -> int:
        return sum(f.n_outside_steps for f in self.files)

    def record(self, text_part: str) -> dict[str, Any]:
        """What ``report.json`` keeps of the ingestion: formats, skipped lines, fallbacks."""
        skipped = sorted(self.skipped, key=lambda e: (e.path or "", e.line or 0))
        return (
            {
                "input_files": [
                    {
                        "path": f.path,
                        "role": f.role,
                        "format": f.format,
                        "detected": f.detected,
                        "decided_by": f.decided_by,
                    }
                    | ({"run": f.run} if f.run is not None else {})  # issue 15: the RL run's name
                    for f in self.files
                ],
                "n_skipped": len(self.skipped),
                "skipped": [str(e) for e in skipped[:_MAX_SKIPPED_SHOWN]],
                "n_no_think": self.n_no_think if text_part != "full" else 0,
                "n_outside_steps": self.n_outside_steps,
            }
            | ({"n_ids_prefixed_with_run": self.n_run_prefixed} if self.n_run_prefixed else {})
        )


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
    paths (each a file or folder; ``rl`` may be several runs, :func:`~novelty.ingest.runs.rl_runs`),
    or an iterable of mappings (reported as ``<records>``, line =
    position + 1).
    Raises ``InputError`` (file and line) for bad data, unless ``options.skip_invalid`` sets
    the line aside; errors about the whole input (no base traces, an unreadable file) are
    always raised. ``per_problem=False`` (global scope) allows RL-only problems; ``check=False``
    skips the checks of the whole (``novelty inspect`` reports them instead).
    """
    options = options or IngestOptions()
    pair = isinstance(source, tuple)
    options.validate(pair=pair)
    validator = Validator(base_model, rl_model, reward_threshold)
    skipped: list[InputError] = []
    on_error = skipped.append if options.skip_invalid else None
    files: list[FileSummary] = []

    if pair:
        if len(source) != 2:
            raise ConfigError("a pair source is (base, rl)")
        # issue 15: the RL side may be several runs, each a file or folder with its name
        parts: tuple = (
            (source[0], BASE, None),
            *((src, RL, name) for name, src in rl_runs(source[1])),
        )
    elif _is_paths(source):
        parts = tuple((p, None, None) for p in source)
    else:
        parts = ((source, None, None),)
    listed = [
        list_files(src) if isinstance(src, str | os.PathLike) else None for src, _, _ in parts
    ]
    if pair:
        for rl_listed in listed[1:]:
            _refuse_shared_files(listed[0], rl_listed)
    for (src, role, run), paths in zip(parts, listed, strict=True):
        if paths is not None:
            for path in paths:
                name = display_name(path)
                summary = FileSummary(name, role, step_from_name=step_from_name(path), run=run)
                files.append(summary)
                rows = canonical_rows(read_rows(path, on_error), summary, options, on_error)
                validator.add(rows, name, role, on_error, run=run)
        else:
            summary = FileSummary(RECORDS_SOURCE, role, run=run)
            files.append(summary)
            rows = canonical_rows(enumerate_records(src), summary, options, on_error)
            validator.add(rows, RECORDS_SOURCE, role, on_error, run=run)
    names = [f.path for f in files]
    base_name = next((f.path for f in files if f.role == BASE), names[0])
    rl_name = next((f.path for f in files if f.role == RL), names[-1])
    traces = validator.finish(
        base_name if pair else _name(source),
        rl_name if pair else _name(source),
        per_problem=per_problem,
        check=check,
    )
    return Ingested(traces, files, skipped, validator.n_run_prefixed)


def _name(source: Any) -> str:
    if _is_paths(source):
        return ", ".join(display_name(p) for p in source)
    return display_name(source) if isinstance(source, str | os.PathLike) else RECORDS_SOURCE


def _refuse_shared_files(base: list | None, rl: list | None) -> None:
    """``--base`` and ``--rl`` must not read one file: every trace would be both base and RL.

    Standard input can only be read once; a folder that holds the other side's file (or the
    same file given twice) would compare traces with themselves.
    """
    if base is None or rl is None:
        return
    if any(is_stdin(p) for p in base) and any(is_stdin(p) for p in rl):
        raise ConfigError("--base and --rl are both standard input ('-'); give two sources")
    seen = {_identity(p): p for p in base if not is_stdin(p)}
    for p in rl:
        twin = None if is_stdin(p) else seen.get(_identity(p))
        if twin is not None:
            same = f"the same file, {p}" if str(twin) == str(p) else f"one file ({twin}, {p})"
            raise ConfigError(
                f"--base and --rl both read {same}: a trace cannot be both base and RL. "
                "Give the base traces and the RL traces as two files, or one file whose 'model' "
                "field says which is which (--base-model/--rl-model), or one run split by step "
                "(--base-steps/--rl-steps)"
            )


def _identity(path: Any) -> tuple:
    """What makes two paths the same file: device and inode where they exist."""
    try:
        st = os.stat(path)
    except OSError:
        return ("path", os.path.abspath(path))
    return ("inode", st.st_dev, st.st_ino)


def _is_paths(source: Any) -> bool:
    """A list of paths (several files read as one source), not a list of records."""
    return (
        isinstance(source, list)
        and bool(source)
        and all(isinstance(p, str | os.PathLike) for p in source)
    )


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
    summary.decided_by = "keys" if fmt is None else "--format"
    first_error: InputError | None = None
    state: dict = {}  # the adapter's memory across this file's records
    roles_known = summary.role is not None or options.base_steps is not None
    for line, rec in records:
        summary.n_records += 1
        ctx = Context(summary.path, line, state)
        try:
            if fmt is None:
                fmt = detect(rec, path=summary.path, line=line, field_map=options.field_map)
                if not fmt.match(rec):  # no format's keys: the mapped text made it canonical
                    summary.detected, summary.decided_by = False, "--map"
                logger.info("%s: format %s, detected from line %d", summary.path, fmt.name, line)
            summary.format = fmt.name
            rows = adapt(fmt, rec, ctx, options.field_map)
            for row in rows:
                _check_adapted(row, fmt, rec, ctx)
        except InputError as err:
            if on_error is None:
                raise
            first_error = first_error or err
            on_error(err)
            continue
        if not roles_known and rows and fmt.name != "canonical":
            # Checked once, on the first record read: the whole file is one model's.
            roles_known = True
            if all(row.get("model") is None for row in rows):
                raise InputError(_one_model_message(fmt.name), path=summary.path, line=line)
        for row in rows:
            if row.get("step") is None and summary.step_from_name is not None:
                row["step"] = summary.step_from_name  # a dump per step: 120.jsonl
            if isinstance(row.get("step"), str):
                row["step"] = step_value(row["step"])  # "0" is step 0
            try:
                keep = place_by_step(row, summary.role, options.base_steps, options.rl_steps, ctx)
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


def _check_adapted(row: dict, fmt: Format, rec: Mapping, ctx: Context) -> None:
    """A foreign record whose text or problem id the adapter found nowhere: say where it looked.

    The canonical checks that follow would name only the canonical field, which the raw record
    never had (a FastChat line read as chat used to fail with "missing field 'text' (fields
    present: text)").
    """
    if fmt.name == "canonical":
        return
    for name in ("text", "problem_id"):
        if name == "problem_id" and (row.get("prompt") is not None or _has_problem_id(row)):
            continue
        if row.get(name) is None:
            where = fmt.fields.get(name, name)
            keys = ", ".join(str(k) for k in list(rec)[:10]) or "none"
            raise ctx.fail(
                f"no {name} in this {fmt.name} record ({name} <- {where}; its keys: {keys})"
            )


def _has_problem_id(row: Mapping) -> bool:
    return any(row.get(name) is not None for name in PROBLEM_ID_FIELDS)


def _one_model_message(fmt: str) -> str:
    """A file whose format names no model: one model's samples, which cannot be both sides."""
    return (
        f"this {fmt} file names no model, so its traces cannot be told apart as base or RL "
        "(and --skip-invalid would drop them all): give the base and the RL samples as two "
        "files, --base BASE --rl RL, or split one run by step with --base-steps FIRST-LAST "
        "--rl-steps FIRST-LAST (or name the field that holds the model with --map model=PATH)"
    )
