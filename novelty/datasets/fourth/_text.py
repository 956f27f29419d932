"""Small text helpers shared by the families and the voices."""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction


class Verbatim(str):
    """A block (code, table, line-per-case list) that voices must not rewrite."""


def pick(rng: random.Random, options: Sequence[str]) -> str:
    """One of ``options``, chosen by ``rng``."""
    return options[rng.randrange(len(options))]


def maybe(rng: random.Random, p: float, text: str) -> str:
    """``text`` with probability ``p``, else the empty string."""
    return text if rng.random() < p else ""


def say(*parts: str) -> str:
    """Join the non-empty sentence parts with single spaces."""
    return " ".join(p for p in parts if p)


def fence(rng: random.Random, lang: str, code: str, p_fence: float = 0.7) -> Verbatim:
    """Code fenced with ``` most of the time, otherwise bare or indented."""
    if rng.random() < p_fence:
        return Verbatim(f"```{lang}\n{code}\n```")
    if rng.random() < 0.5:
        return Verbatim("\n".join("    " + line for line in code.splitlines()))
    return Verbatim(code)


def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Verbatim:
    """A markdown pipe table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return Verbatim("\n".join(out))


def plain_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], rule: bool = True
) -> Verbatim:
    """Columns aligned with spaces, optionally with a dashed rule under the header."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[j]) for r in cells) for j in range(len(headers))]

    def line(r: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()

    out = [line(cells[0])]
    if rule:
        out.append("  ".join("-" * w for w in widths))
    out += [line(r) for r in cells[1:]]
    return Verbatim("\n".join(out))


def lines(items: Sequence[str]) -> Verbatim:
    """One line per case, kept verbatim."""
    return Verbatim("\n".join(items))


def bullet(rng: random.Random) -> str:
    """A list marker style for one trace: dash, star, or nothing."""
    return pick(rng, ("- ", "* ", "", "- "))


def dec(x: Fraction | float, places: int = 2) -> str:
    """A decimal without trailing zeros (``2.50`` -> ``2.5``, ``3.00`` -> ``3``)."""
    s = f"{float(x):.{places}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def frac(x: Fraction) -> str:
    """A fraction as ``a/b`` (or ``a`` when whole)."""
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def plus(values: Sequence[object]) -> str:
    """``3 + 4 + 2`` for a list of numbers."""
    return " + ".join(str(v) for v in values)
