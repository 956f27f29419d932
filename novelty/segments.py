"""Long texts cut before whitespace into segments a tokenizer can take in bounded memory.

A fast tokenizer keeps per-byte alignments and per-token records, many times a text's size:
one call on a 50 MB trace took 12 GB (issue 14). Cut just before whitespace, a BERT-style
tokenizer gives every segment exactly the word pieces the whole text has there, since it never
joins pieces across whitespace; counts add up and offsets shift by the segment's start.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["SEGMENT_CHARS", "segments"]

# Characters of one segment.
SEGMENT_CHARS = 20_000
_WHITESPACE = (" ", "\n", "\t", "\r")


def segments(text: str, size: int = SEGMENT_CHARS) -> Iterator[tuple[int, str]]:
    """``(start, piece)`` pairs covering ``text`` in order, each piece at most ``size``
    characters and cut just before whitespace.

    A run of ``size`` characters without whitespace is cut where it reaches ``size``: BERT's
    tokenizer reads such a run as one unknown word piece, so the pieces then differ from the
    whole text's by one per cut (no real trace has one).
    """
    start, n = 0, len(text)
    while n - start > size:
        cut = max(text.rfind(c, start + 1, start + size) for c in _WHITESPACE)
        if cut <= start:
            cut = start + size
        yield start, text[start:cut]
        start = cut
    if start < n or not text:
        yield start, text[start:]
