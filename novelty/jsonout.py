"""report.json's text, written piece by piece (issue 13).

``json.dumps(..., indent=2)`` runs Python's pure-Python encoder over a copy of the whole report:
at a million traces 80 s and a 629 MB string beside the report. :func:`json_chunks` gives the
same bytes (what ``json.dumps(finite(plain(obj)), indent=2, ensure_ascii=False)`` gives) in
pieces, reading the report's rows where they are, so a file is written without either copy.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from json.encoder import encode_basestring
from typing import Any

from novelty.rows import Row

INDENT = 2
# Characters gathered before a piece is handed out.
CHUNK_CHARS = 1 << 20


def _float(value: float) -> str:
    """A finite float as ``json`` writes it; non-finite values become null (``finite``)."""
    return float.__repr__(value) if math.isfinite(value) else "null"


_SCALARS = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float,
    bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null",
}


def _key(key: Any) -> str:
    """A mapping key as ``json`` writes it (keys are not made finite)."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        if math.isfinite(key):
            return encode_basestring(float.__repr__(key))
        return encode_basestring("NaN" if key != key else "Infinity" if key > 0 else "-Infinity")
    if key is True or key is False or key is None:
        return encode_basestring({True: "true", False: "false", None: "null"}[key])
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _scalar(value: Any) -> str:
    """A value that is neither a mapping nor a list, by ``json``'s rules for subclasses."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or value is True or value is False:
        return _SCALARS[type(value)](value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _items(value: Mapping) -> Any:
    return value.pairs() if isinstance(value, Row) else value.items()


def _encode(value: Any, level: int, out: list[str]) -> None:
    """Append ``value``'s text at nesting ``level`` to ``out``."""
    fast = _SCALARS.get(type(value))
    if fast is not None:
        out.append(fast(value))
    elif isinstance(value, Mapping):
        items = _items(value)
        if not items:
            out.append("{}")
            return
        inner = "\n" + " " * (INDENT * (level + 1))
        sep = "{"
        for k, v in items:
            out.append(sep + inner + _key(k) + ": ")
            _encode(v, level + 1, out)
            sep = ","
        out.append("\n" + " " * (INDENT * level) + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (INDENT * (level + 1))
        sep = "["
        for v in value:
            out.append(sep + inner)
            _encode(v, level + 1, out)
            sep = ","
        out.append("\n" + " " * (INDENT * level) + "]")
    else:
        out.append(_scalar(value))


def json_chunks(obj: Any, chunk_chars: int = CHUNK_CHARS) -> Iterator[str]:
    """The JSON text of ``obj`` (indent 2, non-ASCII kept, non-finite floats as null), in
    pieces of about ``chunk_chars``: a top-level mapping's lists are handed out element by
    element, so no piece holds more than one row's worth beyond ``chunk_chars``."""
    if not isinstance(obj, Mapping) or not _items(obj):
        out: list[str] = []
        _encode(obj, 0, out)
        yield "".join(out)
        return
    out, size, sep = [], 0, "{"
    for k, v in _items(obj):
        out.append(sep + "\n  " + _key(k) + ": ")
        sep = ","
        if not isinstance(v, list | tuple) or not v:
            _encode(v, 1, out)
            continue
        lead = "["
        for item in v:
            out.append(lead + "\n    ")
            lead = ","
            _encode(item, 2, out)
            size += 1
            if size >= 256:  # cheap check of the gathered length now and then
                size = 0
                if sum(map(len, out)) >= chunk_chars:
                    yield "".join(out)
                    out = []
        out.append("\n  ]")
    out.append("\n}")
    yield "".join(out)
