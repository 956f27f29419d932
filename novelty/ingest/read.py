"""Raw rows from files and folders: ``(line, record)`` pairs, before any format is applied.

A folder contributes its ``*.jsonl``, ``*.jsonl.gz`` and ``*.parquet`` files, its sub-folders'
included (TRL and verl write one folder per split or run), in sorted order; ``-`` is standard
input. JSON Lines are decoded one line at a time, so every error names the file and the 1-based
line an editor shows; parquet rows are numbered from 1 the same way. Nothing here judges a
record's fields: that is :mod:`novelty.ingest.validate`'s job.
"""

from __future__ import annotations

import gzip
import io
import json
import numbers
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from novelty.errors import InputError

__all__ = [
    "RECORDS_SOURCE",
    "STDIN",
    "STDIN_NAME",
    "SUFFIXES",
    "display_name",
    "enumerate_records",
    "is_stdin",
    "json_type_name",
    "list_files",
    "read_records",
    "read_rows",
    "step_from_name",
]

# Files a folder contributes, in sorted order.
SUFFIXES = (".jsonl", ".jsonl.gz", ".parquet")
# Source name of records handed over from Python rather than read from a file.
RECORDS_SOURCE = "<records>"
# The path that means standard input (``novelty scan -``), and how messages name it.
STDIN = "-"
STDIN_NAME = "<stdin>"
# novelty's own output beside its report.json: never read back as input from a folder.
_OWN_OUTPUT = "traces.parquet"

_STEP_NAME = re.compile(r"(?:step[_-]?)?(\d+)")
_GZIP_MAGIC = b"\x1f\x8b"
_JSON_TYPES = (
    (type(None), "null"),
    ((bool, np.bool_), "boolean"),
    (str, "string"),
    (numbers.Integral, "integer"),
    (numbers.Real, "number"),
    ((list, tuple), "array"),
    (Mapping, "object"),
)


def is_stdin(path: str | Path) -> bool:
    """``-``, the path that means standard input."""
    return str(path) == STDIN


def display_name(path: str | Path) -> str:
    """How messages and the report name a source: ``<stdin>`` for ``-``, else the path."""
    return STDIN_NAME if is_stdin(path) else str(path)


def list_files(path: str | Path) -> list[Path]:
    """A file as itself; a folder as every ``*.jsonl``, ``*.jsonl.gz`` and ``*.parquet`` below it.

    Sub-folders are searched too (``completions/train/…``, one folder per run), in the order of
    their relative paths; hidden files and folders (``.git``, ``.cache``) and a scan's own
    ``traces.parquet`` beside its ``report.json`` are left out. Symbolic links to folders are
    not followed, so a link loop cannot recurse forever.
    """
    path = Path(path)
    if is_stdin(path) or not path.is_dir():
        return [path]
    files = []
    for root, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        own = "report.json" in names
        for name in names:
            if name.startswith(".") or not name.endswith(SUFFIXES):
                continue
            if own and name == _OWN_OUTPUT:
                continue
            if os.path.isfile(os.path.join(root, name)):
                files.append(Path(root, name))
    files.sort(key=lambda p: p.relative_to(path).parts)
    if not files:
        raise InputError(
            f"folder holds no {', '.join('*' + s for s in SUFFIXES)} file (sub-folders included)",
            path=path,
        )
    return files


def step_from_name(path: Path) -> int | None:
    """The step a dump's name gives (``120.jsonl``, ``step_120.parquet``), else None."""
    stem = path.name
    for suffix in SUFFIXES:
        stem = stem.removesuffix(suffix)
    m = _STEP_NAME.fullmatch(stem)
    return int(m[1]) if m else None


def read_rows(
    path: Path, on_error: Callable[[InputError], None] | None = None
) -> Iterator[tuple[int, Mapping]]:
    """One file's rows as ``(line or row number, record)``: parquet by name, else JSON Lines."""
    if path.name.endswith(".parquet"):
        return _read_parquet(path)
    return read_records(path, on_error=on_error)


def read_records(
    path: str | Path, *, on_error: Callable[[InputError], None] | None = None
) -> Iterator[tuple[int, dict]]:
    """Yield ``(line, record)`` for each non-blank line of a ``.jsonl`` or ``.jsonl.gz`` file
    (or of standard input, for ``-``).

    Lines are decoded and parsed one at a time so a bad line is reported with its number
    (gzip is detected from the file's first bytes, not its name). Blank lines are skipped
    but still counted, so numbers match what an editor shows. Raises ``InputError`` for a
    missing or unreadable file, bad gzip data, invalid UTF-8 or JSON, a line that is not an
    object, and a file with no records. With ``on_error`` (``--skip-invalid``), a bad line's
    error goes there instead and reading goes on; the file-level errors are still raised.
    """
    stdin = is_stdin(path)
    path = Path(display_name(path))
    fh = _open_stdin() if stdin else _open(path)
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


def enumerate_records(records: Iterable[Mapping]) -> Iterator[tuple[int, Mapping]]:
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


def json_type_name(value: Any) -> str:
    """JSON's name for a value's type, since most input is JSON."""
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


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


def _open_stdin():
    """Standard input for binary line reading, through gzip when its first bytes say so.

    A duplicate of its descriptor is read, so closing what this returns leaves standard input
    open; a replaced ``sys.stdin`` without a descriptor (a test runner's) is read as it is.
    """
    try:
        raw = open(os.dup(sys.stdin.fileno()), "rb")  # noqa: SIM115 (closed by the caller)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        raw = io.BufferedReader(io.BytesIO(sys.stdin.buffer.read()))
    if raw.peek(2)[:2] == _GZIP_MAGIC:
        return _GzipStdin(raw)
    return raw


class _GzipStdin(gzip.GzipFile):
    """gzip over standard input that closes the duplicate descriptor it reads with."""

    def __init__(self, raw: io.BufferedReader) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


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
            f"expected a JSON object, found {json_type_name(record)}", path=path, line=lineno
        )
    return record
