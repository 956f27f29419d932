"""Random phrasing helpers, so no two traces of one method read the same."""

from __future__ import annotations

from random import Random

BASE_FILLERS = (
    "It pays to be careful with the bookkeeping here.",
    "This is a fairly standard setup, so we can be systematic.",
    "Nothing tricky so far.",
    "We keep every intermediate value written down.",
    "The numbers are small enough to handle by hand.",
    "It is worth being explicit about each step.",
    "We should not skip any case.",
)

DIGRESSIONS = (
    "As an aside, puzzles of this kind show up in many textbooks and contests.",
    "A first idea is to just guess the answer, but that is too error-prone, "
    "so we work it out properly instead.",
    "At first glance this looks harder than it is; most of the work is bookkeeping.",
    "One could try a cleverer shortcut, but the direct route is safer here.",
    "Hmm, we started writing the wrong thing above, so we restart this part cleanly.",
)


class Ph:
    """A seeded source of phrasing choices shared by all renderers of one trace."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def pick(self, *options: str) -> str:
        """One of several equivalent phrasings."""
        return self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def maybe(self, text: str, p: float = 0.5) -> str:
        """The text with probability p, else the empty string."""
        return text if self.chance(p) else ""

    def filler(self, p: float = 0.35) -> str:
        """An optional content-free sentence, as real traces often have."""
        return self.maybe(self.rng.choice(BASE_FILLERS), p)


def sentence(*parts: str) -> str:
    """Join the non-empty parts with single spaces."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def md_table(header: list[str], rows: list[list[object]]) -> str:
    """A markdown pipe table as one multi-line string."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def code_block(lang: str, source: str) -> str:
    """A fenced code block."""
    return f"```{lang}\n{source.strip()}\n```"


def word_count(text: str) -> int:
    return len(text.split())
