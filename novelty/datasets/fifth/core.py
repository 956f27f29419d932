"""Shared building blocks for the fifth generator.

A family makes an `Instance` (numbers drawn per problem, the right answer and a few
plausible wrong ones) and owns several `Method`s, each a different procedure written in
one fixed format.  A method writes into a `Pen`, which keeps sentences ("say") apart from
verbatim blocks ("raw": code, tables, lists) so that voices can reword sentences without
breaking code or tables.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

FORMATS: tuple[str, ...] = ("code", "table", "list", "prose")


@dataclass(frozen=True)
class Instance:
    """One concrete problem: statement, canonical answer, slips, and the raw numbers."""

    prompt: str
    answer: str
    wrong: tuple[str, ...]
    data: dict[str, object] = field(default_factory=dict)
    unit: str = ""


class Pen:
    """Collects the pieces of one trace; `say` parts may be restyled, `raw` parts never."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[tuple[str, str]] = []

    # -- choice helpers -------------------------------------------------------------
    def pick(self, *options: str) -> str:
        """One of the options, uniformly."""
        return self.rng.choice(options)

    def choice(self, seq: Sequence[Any]) -> Any:
        """One element of a sequence."""
        return self.rng.choice(list(seq))

    def maybe(self, p: float = 0.5) -> bool:
        """True with probability p."""
        return self.rng.random() < p

    def shuffled(self, seq: Sequence) -> list:
        """A shuffled copy, for independent steps whose order does not matter."""
        out = list(seq)
        self.rng.shuffle(out)
        return out

    # -- writing --------------------------------------------------------------------
    def say(self, *sentences: str) -> None:
        """Add one paragraph made of the given sentences (empty ones are skipped)."""
        text = " ".join(s for s in sentences if s)
        if text:
            self.parts.append(("say", text))

    def raw(self, text: str) -> None:
        """Add a verbatim block (code, table, list) that voices must not reword."""
        self.parts.append(("raw", text.rstrip("\n")))

    def code(self, lang: str, src: str, output: str | None = None) -> None:
        """A program, fenced or not, sometimes followed by what it printed."""
        src = src.strip("\n")
        style = self.rng.random()
        if style < 0.55:
            block = f"```{lang}\n{src}\n```"
        elif style < 0.75:
            block = f"```\n{src}\n```"
        elif style < 0.88:
            block = "\n".join("    " + ln if ln else "" for ln in src.split("\n"))
        else:
            block = src
        self.raw(block)
        if output is None or self.maybe(0.15):
            return
        how = self.rng.random()
        if how < 0.4:
            self.raw(f"Output:\n```\n{output}\n```")
        elif how < 0.7:
            self.raw(f"$ run\n{output}")
        else:
            first = output.strip().split("\n")[-1]
            self.say(self.pick("Running it prints", "It prints", "The output is") + f" `{first}`.")

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        styles: Sequence[str] = ("md", "csv", "aligned"),
    ) -> None:
        """A grid of values in one of several table notations."""
        self.raw(render_table(headers, rows, self.rng.choice(list(styles))))

    def lines(self, items: Sequence[str], styles: Sequence[str] = ("-", "*", "1.", "")) -> None:
        """One line per step or case, with a bullet style drawn per trace."""
        bullet = self.rng.choice(list(styles))
        out = []
        for k, item in enumerate(items, 1):
            if bullet == "1.":
                out.append(f"{k}. {item}")
            elif bullet == "1)":
                out.append(f"{k}) {item}")
            elif bullet == "[x]":
                out.append(f"- [x] {item}")
            elif bullet:
                out.append(f"{bullet} {item}")
            else:
                out.append(item)
        self.raw("\n".join(out))


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]], style: str) -> str:
    """Render rows as a markdown table, CSV block, aligned columns, JSON or YAML records."""
    cells = [[str(c) for c in r] for r in rows]
    heads = [str(h) for h in headers]
    if style == "md":
        out = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in cells]
        return "\n".join(out)
    if style == "csv":
        body = "\n".join([",".join(heads)] + [",".join(r) for r in cells])
        return f"```csv\n{body}\n```"
    if style == "json":
        recs = []
        for r in cells:
            fields = ", ".join(f'"{h}": {_json_value(v)}' for h, v in zip(heads, r, strict=False))
            recs.append("  {" + fields + "}")
        return "```json\n[\n" + ",\n".join(recs) + "\n]\n```"
    if style == "yaml":
        out = []
        for r in cells:
            for j, (h, v) in enumerate(zip(heads, r, strict=False)):
                out.append(("- " if j == 0 else "  ") + f"{h}: {v}")
        return "```yaml\n" + "\n".join(out) + "\n```"
    widths = [max(len(h), *(len(r[j]) for r in cells)) for j, h in enumerate(heads)]
    out = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=False)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in cells]
    return "\n".join(out)


def _json_value(v: str) -> str:
    """A JSON literal for a cell: numbers and booleans bare, everything else quoted."""
    if v in ("true", "false", "null"):
        return v
    try:
        float(v)
    except ValueError:
        return '"' + v.replace('"', "'") + '"'
    return v


Render = Callable[[Instance, Pen, str], None]
Checks = Callable[[Instance], list[str]]


@dataclass(frozen=True)
class Method:
    """A genuinely different procedure for a family, always written in one format."""

    name: str
    fmt: str
    render: Render


@dataclass(frozen=True)
class Family:
    """A task family: how to draw an instance, recompute its answer, and solve it."""

    key: str
    domain: str
    make: Callable[[random.Random], Instance]
    verify: Callable[[Instance], str]
    methods: tuple[Method, ...]
    checks: Checks
    asides: tuple[str, ...] = ()

    def of_format(self, fmt: str) -> list[int]:
        """Indices of the methods written in the given format."""
        return [j for j, m in enumerate(self.methods) if m.fmt == fmt]


def wrong_answers(right: object, candidates: Sequence[object], k: int = 4) -> tuple[str, ...]:
    """Distinct plausible wrong answers, none equal to the right one."""
    out: list[str] = []
    for c in candidates:
        s = str(c)
        if s != str(right) and s not in out:
            out.append(s)
    return tuple(out[:k])
