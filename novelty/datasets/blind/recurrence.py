"""Sequences: the k-th term of a first-order linear recurrence a(n+1) = r·a(n) + d.

Methods: term-by-term table, fixed-point shift to a geometric sequence (prose), unrolling into a
geometric sum (numbered list), the differences form a geometric sequence (prose), and a loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .family import Family, Method, pick
from .writer import Writer


@dataclass
class Recurrence:
    """a_1 = first, a_{n+1} = r·a_n + d, asked for a_k."""

    first: int
    r: int
    d: int
    k: int

    def term(self, n: int) -> int:
        a = self.first
        for _ in range(n - 1):
            a = self.r * a + self.d
        return a

    @property
    def ans(self) -> int:
        return self.term(self.k)

    @property
    def shift(self) -> int:
        return self.d // (self.r - 1)

    def result(self, w: Writer) -> int:
        if w.ok:
            return self.ans
        return pick(w.rng, [self.term(self.k - 1), self.term(self.k + 1), self.ans + self.d])

    def rule(self) -> str:
        sign = "+" if self.d > 0 else "-"
        return f"a_(n+1) = {self.r}·a_n {sign} {abs(self.d)}"

    def op(self) -> str:
        """'+ 4' or '- 3': how the constant is written after the product."""
        return f"{'+' if self.d > 0 else '-'} {abs(self.d)}"

    def step(self, a: int) -> str:
        sign = "+" if self.d > 0 else "-"
        return (
            f"{self.r}·{a} {sign} {abs(self.d)}"
            if a >= 0
            else f"{self.r}·({a}) {sign} {abs(self.d)}"
        )

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        w.p(
            (
                f"A sequence has a_1 = {self.first} and {self.rule()} for n ≥ 1.",
                f"We're given a_1 = {self.first} and the rule {self.rule()}.",
                f"The sequence starts at {self.first} and each term is {self.r} times the "
                f"previous one {'plus' if self.d > 0 else 'minus'} {abs(self.d)}, i.e. "
                f"a_1 = {self.first}, {self.rule()}.",
            ),
            (
                f"Find a_{self.k}.",
                f"We need the {self.k}th term, a_{self.k}.",
                f"What is a_{self.k}?",
            ),
        )

    def keys(self) -> list[str]:
        return [str(self.first), str(abs(self.d)), f"a_{self.k}", f"{self.r}·a_n"]

    def asides(self) -> list[str]:
        return [
            f"Indexing starts at a_1, so a_{self.k} takes {self.k - 1} steps, not {self.k}; "
            "that off-by-one is the classic mistake here.",
            f"The terms grow roughly like {self.r}^n, so the answer should be large-ish.",
            "It's worth writing the first few terms anyway to have something to check against.",
        ]

    def verify(self) -> list[str]:
        prev = self.term(self.k - 1)
        return [f"a_{self.k - 1} = {prev} and {self.step(prev)} = {self.ans}"]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return str(self.ans if ok else self.term(self.k + 1))


def make(rng: np.random.Generator) -> Recurrence:
    """r in {2, 3}, d a nonzero multiple of r-1 (so the fixed point is an integer), k in 6-10."""
    while True:
        r = int(pick(rng, [2, 2, 3]))
        d = int(rng.integers(-6, 8)) * (r - 1)
        if d == 0:
            continue
        rec = Recurrence(int(rng.integers(1, 10)), r, d, int(rng.integers(6, 11)))
        if rec.first + rec.shift != 0 and abs(rec.ans) < 10**6:
            return rec


def _table(w: Writer, s: Recurrence) -> str:
    w.p(("Just compute term by term:", "Let me iterate.", f"Iterate up to a_{s.k}:"))
    rows, a = [f"a_1 = {s.first}"], s.first
    for n in range(2, s.k + 1):
        rows.append(f"a_{n} = {s.step(a)} = {s.r * a + s.d}")
        a = s.r * a + s.d
    w.lines(rows)
    c = s.result(w)
    w.check([f"{s.step(s.term(s.k - 1))} = {s.ans}"], f"a_{s.k} = {s.ans}")
    w.p(f"<so> a_{s.k} = {c}.")
    return str(c)


def _fixed(w: Writer, s: Recurrence) -> str:
    c0 = s.shift
    base = s.first + c0
    w.p(
        (
            "Shift by the fixed point to get a geometric sequence.",
            "Find the fixed point L with L = r·L + d, then a_n - L is geometric.",
        ),
        f"The fixed point solves L = {s.r}L {'+' if s.d > 0 else '-'} {abs(s.d)}, so L = {-c0}.",
        f"<then> b_n = a_n + {c0} satisfies b_(n+1) = {s.r}·b_n."
        if c0 >= 0
        else f"<then> b_n = a_n - {-c0} satisfies b_(n+1) = {s.r}·b_n.",
        f"b_1 = {s.first} {'+' if c0 >= 0 else '-'} {abs(c0)} = {base}, so "
        f"b_n = {base}·{s.r}^(n-1).",
    )
    c = s.result(w)
    w.p(
        f"For n = {s.k}: b_{s.k} = {base}·{s.r}^{s.k - 1} = {base * s.r ** (s.k - 1)},",
        f"and a_{s.k} = {base * s.r ** (s.k - 1)} {'-' if c0 >= 0 else '+'} {abs(c0)} = {c}.",
    )
    w.check(
        [
            f"{base}·{s.r ** (s.k - 1)} = {base * s.r ** (s.k - 1)}",
            f"{s.r}^{s.k - 1} is {s.r ** (s.k - 1)}",
        ],
        f"a_{s.k} = {s.ans}",
    )
    return str(c)


def _unroll(w: Writer, s: Recurrence) -> str:
    k, r, d = s.k, s.r, s.d
    geo = (r ** (k - 1) - 1) // (r - 1)
    c = s.result(w)
    w.p(("Unroll the recursion:", "Expand it back to a_1.", None))
    w.numbered(
        [
            f"a_{k} = {r}·a_{k - 1} + ({d}) = {r}^2·a_{k - 2} + ({d})({r} + 1).",
            f"Continuing down: a_{k} = {r}^{k - 1}·a_1 + ({d})({r}^{k - 2} + ... + {r} + 1).",
            f"The geometric sum is ({r}^{k - 1} - 1)/({r} - 1) = {geo}.",
            f"<so> a_{k} = {r ** (k - 1)}·{s.first} + ({d})·{geo}"
            f" = {r ** (k - 1) * s.first} + ({d * geo}) = {c}.",
        ]
    )
    w.check(
        [f"({r ** (k - 1)} - 1)/{r - 1} = {geo}", f"1 + {r} + ... + {r}^{k - 2} = {geo}"],
        f"the geometric sum is {geo}",
    )
    return str(c)


def _differences(w: Writer, s: Recurrence) -> str:
    b1 = s.term(2) - s.first
    geo = (s.r ** (s.k - 1) - 1) // (s.r - 1)
    c = s.result(w)
    w.p(
        (
            "Look at consecutive differences instead.",
            "Consider the differences between consecutive terms.",
        ),
        f"a_2 = {s.step(s.first)} = {s.term(2)}, so the first difference is {b1}.",
        f"Subtracting consecutive rules, a_(n+2) - a_(n+1) = {s.r}(a_(n+1) - a_n),",
        f"so the differences are {b1}, {b1 * s.r}, {b1 * s.r**2}, ... (ratio {s.r}).",
        f"<then> a_{s.k} = a_1 + sum of the first {s.k - 1} differences = "
        f"{s.first} + {b1}·{geo} = {c}.",
    )
    w.check(
        [f"{b1}·{geo} = {b1 * geo}", f"{s.first} + {b1 * geo} = {s.ans}"],
        f"a_{s.k} = {s.ans}",
    )
    return str(c)


def _code(w: Writer, s: Recurrence) -> str:
    c = s.result(w)
    v = pick(w.rng, ["a", "term", "x"])
    src = f"""{v} = {s.first}
for n in range(1, {s.k}):
    {v} = {s.r} * {v} {s.op()}
print({v})"""
    if w.chance(0.4):
        src = f"""def a(n):
    return {s.first} if n == 1 else {s.r} * a(n - 1) {s.op()}


print(a({s.k}))"""
    w.code(
        src,
        intro=("A short loop settles it:", "Let me just compute it:", "In Python:"),
        outro=(f"This prints {c}.", f"Output: {c}"),
    )
    w.check(
        [
            f"range(1, {s.k}) runs {s.k - 1} times, taking a_1 to a_{s.k}",
            f"{s.k - 1} applications of the rule starting from a_1 give a_{s.k}",
        ],
        "there is no off-by-one",
    )
    return str(c)


FAMILY = Family(
    name="recurrence",
    domain="math",
    make=make,
    methods=(
        Method("iterate_terms", "table", 0.85, _table),
        Method("fixed_point_shift", "prose", 0.75, _fixed),
        Method("unroll_geometric", "list", 0.7, _unroll),
        Method("difference_sequence", "prose", 0.65, _differences),
        Method("loop_program", "code", 0.93, _code),
    ),
)
