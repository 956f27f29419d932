"""Natural order for ids people read: ``p2`` before ``p10``, ``2`` before ``10``.

Problem ids are strings or integers, often a word and a number (``gsm8k-10``); sorted as plain
strings, ``p10`` comes before ``p2``. Tables sort with :func:`natural_key` instead. Only what is
shown is sorted this way: ``report.json`` keeps the scan's own order.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["natural_key"]

_DIGITS = re.compile(r"(\d+)")


def natural_key(value: Any) -> tuple:
    """A sort key: runs of digits compare as numbers, the rest without case; ties (``p01``
    and ``p1``, the integer 2 and the string "2") are broken by type and text, so the order
    is total and the same on every run."""
    text = str(value)
    parts = tuple(
        (0, int(part), "") if part.isdecimal() else (1, 0, part.casefold())
        for part in _DIGITS.split(text)
        if part
    )
    return (parts, type(value).__name__, text)
