"""Traces are built as typed segments so styling can treat prose, code and tables differently."""

from __future__ import annotations

import re

# A segment is (kind, text); kinds: opener, restate, body, aside, filler, note, answer.
Segment = tuple[str, str]

_LIST_ITEM = re.compile(r"^\s*(\d+\.|[-*])\s")


def shape(text: str) -> str:
    """What a body line looks like: code, table, math, list, lines (one case per line), prose."""
    if text.startswith("```"):
        return "code"
    if text.startswith("|"):
        return "table"
    if text.startswith("$$"):
        return "math"
    if _LIST_ITEM.match(text):
        return "list"
    if "\n" in text:
        return "lines"
    return "prose"


def join(segments: list[Segment]) -> str:
    """Paragraphs separated by blank lines; empty segments vanish."""
    return "\n\n".join(t.strip() for _, t in segments if t.strip())
