"""Pick the part of a trace to embed: the reasoning inside ``<think>…</think>``, the answer, or all.

R1-style models write their reasoning between ``<think>`` and ``</think>`` and the answer after
it. Many RL prompts end with ``<think>`` themselves, so the completion holds only the closing tag:
the reasoning is then everything before ``</think>``. When a trace has no think block at all,
``think`` and ``answer`` keep the whole text (there is nothing to separate) and the caller counts
it, so a run can say how many traces fell back.
"""

from __future__ import annotations

import re

__all__ = ["TEXT_CHOICES", "select_text"]

# What ``--text`` accepts: the whole trace, the reasoning only, or what follows the reasoning.
TEXT_CHOICES = ("full", "think", "answer")

_OPEN = re.compile(r"<think>", re.IGNORECASE)
_CLOSE = re.compile(r"</think>", re.IGNORECASE)
_BLOCK = re.compile(r"<think>(.*?)(?:</think>|\Z)", re.IGNORECASE | re.DOTALL)


def select_text(text: str, part: str) -> tuple[str, bool]:
    """Return ``(selected text, had a think block)`` for ``part`` in :data:`TEXT_CHOICES`.

    ``think``: the contents of every ``<think>`` block, joined by a blank line (an unclosed block
    runs to the end); with only a ``</think>``, the text before it. ``answer``: the text after
    the last ``</think>`` (an unclosed block has no answer). Without any think tag both return
    the whole text and ``False``. The result is stripped; it may be empty, which the loader
    reports as an empty text.
    """
    if part not in TEXT_CHOICES:
        raise ValueError(f"part must be one of {TEXT_CHOICES}, got {part!r}")
    if part == "full":
        return text, bool(_OPEN.search(text) or _CLOSE.search(text))
    opened, closes = _OPEN.search(text), list(_CLOSE.finditer(text))
    if not opened and not closes:
        return text, False
    if part == "think":
        if opened and (not closes or opened.start() < closes[0].start()):
            blocks = [m.group(1).strip() for m in _BLOCK.finditer(text)]
            return "\n\n".join(b for b in blocks if b), True
        return text[: closes[0].start()].strip(), True  # the prompt opened the block
    return (text[closes[-1].end() :].strip() if closes else ""), True  # answer
