"""``--map field=dotted.path``: take a canonical field from anywhere in a raw record.

A path is a dot-separated list of keys; a segment of digits (optionally negative) indexes a
list, so ``choices.0.message.content`` reads the first choice's message. Keys that contain a
dot cannot be named this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from novelty.errors import ConfigError

__all__ = ["MAP_TARGETS", "MISSING", "parse_field_map", "resolve_path"]

# Canonical fields a mapping may fill; ``prompt`` is hashed into a problem id when none is given.
MAP_TARGETS = ("text", "problem_id", "model", "id", "correct", "reward", "step", "domain", "prompt")

MISSING = object()  # what resolve_path returns when the path leads nowhere
_SEGMENT = re.compile(r"[^.]+")
_INDEX = re.compile(r"-?\d+")


def parse_field_map(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``FIELD=PATH`` strings as sorted ``(field, path)`` pairs; bad syntax is a ConfigError."""
    out: dict[str, str] = {}
    for item in items:
        field, sep, path = item.partition("=")
        field, path = field.strip(), path.strip()
        if not sep or not field or not path:
            raise ConfigError(
                f"--map {item!r}: expected FIELD=dotted.path, e.g. text=output.content"
            )
        if field not in MAP_TARGETS:
            raise ConfigError(
                f"--map {item!r}: unknown field {field!r}; one of {', '.join(MAP_TARGETS)}"
            )
        if any(seg == "" for seg in path.split(".")):
            raise ConfigError(f"--map {item!r}: empty segment in path {path!r}")
        if field in out and out[field] != path:
            raise ConfigError(f"--map gives {field!r} twice ({out[field]!r} and {path!r})")
        out[field] = path
    return tuple(sorted(out.items()))


def resolve_path(record: Any, path: str) -> Any:
    """The value at ``path`` inside ``record``, or :data:`MISSING`."""
    node = record
    for seg in path.split("."):
        if isinstance(node, Mapping):
            if seg not in node:
                return MISSING
            node = node[seg]
        elif isinstance(node, list | tuple) and _INDEX.fullmatch(seg):
            i = int(seg)
            if not -len(node) <= i < len(node):
                return MISSING
            node = node[i]
        else:
            return MISSING
    return node
