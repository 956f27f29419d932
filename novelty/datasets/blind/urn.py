"""Probability: draw two items without replacement from a bag of coloured items.

Methods: counting combinations (prose), sequential branch probabilities (prose, same format as
counting but different content), the complement as a numbered list, an ordered-outcome table,
and an exact enumeration program.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from math import comb

import numpy as np

from .family import Family, Method, pick
from .writer import Writer, join_and

COLOURS = ("red", "blue", "green", "white", "black", "yellow", "orange", "purple")
THINGS = (("bag", "marbles"), ("box", "balls"), ("drawer", "socks"), ("jar", "tokens"))
EVENTS = ("same", "different", "at_least", "exactly_one", "neither")


@dataclass
class Urn:
    """Colour counts, the container wording, and which event is asked about."""

    counts: dict[str, int]
    box: str
    things: str
    event: str
    x: str  # the colour the event refers to (for at_least / exactly_one / neither)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def fav(self, c1: str, c2: str, event: str | None = None) -> bool:
        ev = event or self.event
        return {
            "same": c1 == c2,
            "different": c1 != c2,
            "at_least": self.x in (c1, c2),
            "exactly_one": (c1 == self.x) != (c2 == self.x),
            "neither": self.x not in (c1, c2),
            "both_or_none": (c1 == self.x) == (c2 == self.x),
        }[ev]

    def complement(self) -> str:
        return {
            "same": "different",
            "different": "same",
            "at_least": "neither",
            "neither": "at_least",
            "exactly_one": "both_or_none",
        }[self.event]

    def ordered(self, event: str | None = None) -> int:
        """Favourable ordered draws (first, second)."""
        return sum(
            self.counts[a] * (self.counts[b] - (a == b))
            for a in self.counts
            for b in self.counts
            if self.fav(a, b, event)
        )

    @property
    def prob(self) -> Fraction:
        return Fraction(self.ordered(), self.total * (self.total - 1))

    def result(self, w: Writer) -> Fraction:
        if w.ok:
            return self.prob
        n = self.total
        repl = Fraction(
            sum(
                self.counts[a] * self.counts[b]
                for a in self.counts
                for b in self.counts
                if self.fav(a, b)
            ),
            n * n,
        )
        wrong = [repl, 1 - self.prob, Fraction(self.ordered(), 2 * comb(n, 2) * 2)]
        return pick(w.rng, [x for x in wrong if x != self.prob] or [self.prob / 2])

    def words(self, event: str | None = None) -> str:
        ev = event or self.event
        return {
            "same": "both are the same colour",
            "different": "the two have different colours",
            "at_least": f"at least one is {self.x}",
            "exactly_one": f"exactly one is {self.x}",
            "neither": f"neither is {self.x}",
            "both_or_none": f"both or neither are {self.x}",
        }[ev]

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        stock = join_and([f"{k} {c}" for c, k in self.counts.items()])
        w.p(
            (
                f"A {self.box} has {stock} {self.things}.",
                f"There are {stock} {self.things} in a {self.box}.",
                f"We have a {self.box} containing {stock} {self.things} ({self.total} in total).",
            ),
            (
                "Two are drawn at random without replacement.",
                "We pull out two at random, without putting the first back.",
            ),
            (
                f"What is the probability that {self.words()}?",
                f"Find P({self.words()}).",
            ),
        )

    def keys(self) -> list[str]:
        return [*self.counts, *(str(k) for k in self.counts.values()), self.things]

    def asides(self) -> list[str]:
        return [
            "Without replacement is the key detail: the second draw sees one fewer item.",
            f"Ordered versus unordered counting both work as long as I'm consistent; there are "
            f"{self.total * (self.total - 1)} ordered and {comb(self.total, 2)} unordered draws.",
            f"The colours of the {self.things} are the only thing that matters, not which "
            "particular one is drawn.",
        ]

    def verify(self) -> list[str]:
        comp = Fraction(self.ordered(self.complement()), self.total * (self.total - 1))
        return [f"the complement has probability {comp}, and {self.prob} + {comp} = 1"]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return str(self.prob if ok else 1 - self.prob)


def make(rng: np.random.Generator) -> Urn:
    """2-3 colours with 2-7 items each and an event that is neither certain nor impossible."""
    while True:
        cols = [str(c) for c in rng.choice(COLOURS, size=int(rng.integers(2, 4)), replace=False)]
        counts = {c: int(rng.integers(2, 8)) for c in cols}
        box, things = pick(rng, THINGS)
        u = Urn(counts, box, things, pick(rng, EVENTS), pick(rng, cols))
        if 0 < u.prob < 1:
            return u


def _combos(w: Writer, u: Urn) -> str:
    n, c = u.total, u.result(w)
    w.p(
        (
            f"Count unordered pairs: there are C({n}, 2) = {comb(n, 2)} ways to draw two.",
            f"Total ways to choose 2 of {n}: C({n},2) = {comb(n, 2)}.",
        )
    )
    fav = u.ordered() // 2
    k = u.counts
    expl = {
        "same": " + ".join(f"C({k[a]},2)" for a in k),
        "different": " + ".join(f"{k[a]}·{k[b]}" for a, b in itertools.combinations(k, 2)),
        "at_least": f"C({n},2) - C({n - k[u.x]},2)",
        "exactly_one": f"{k[u.x]}·{n - k[u.x]}",
        "neither": f"C({n - k[u.x]},2)",
    }[u.event]
    w.p(
        f"Favourable pairs ({u.words()}): {expl} = {fav}.",
        f"<so> the probability is {fav}/{comb(n, 2)} = {c}.",
    )
    w.check(
        [f"{fav} out of {comb(n, 2)} pairs", f"{fav}/{comb(n, 2)} reduces to {u.prob}"],
        f"it is {u.prob}",
    )
    return str(c)


def _sequential(w: Writer, u: Urn) -> str:
    n, c = u.total, u.result(w)
    w.p(
        (
            "Think of the draws one after the other and multiply along each branch.",
            "Sequentially: first draw, then second draw given the first.",
        )
    )
    parts, terms = [], []
    for a in u.counts:
        for b in u.counts:
            if not u.fav(a, b):
                continue
            num2 = u.counts[b] - (a == b)
            parts.append(f"{a} then {b}: {u.counts[a]}/{n} · {num2}/{n - 1}")
            terms.append(u.counts[a] * num2)
    w.p(
        "; ".join(parts) + ".",
        f"Adding: ({' + '.join(map(str, terms))})/{n * (n - 1)} = {sum(terms)}/{n * (n - 1)}.",
        f"<so> {c}.",
    )
    w.check(
        [
            f"{sum(terms)}/{n * (n - 1)} reduces to {u.prob}",
            f"{' + '.join(map(str, terms))} = {sum(terms)}",
        ],
        f"the branches total {sum(terms)}",
    )
    return str(c)


def _complement(w: Writer, u: Urn) -> str:
    n = u.total
    comp = u.complement()
    num = u.ordered(comp)
    c = u.result(w)
    w.p(("Easier via the complement.", "Let me use 1 minus the opposite event.", None))
    w.numbered(
        [
            f"The opposite of '{u.words()}' is '{u.words(comp)}'.",
            f"Ordered draws for the opposite: {num} out of {n}·{n - 1} = {n * (n - 1)}.",
            f"P(opposite) = {Fraction(num, n * (n - 1))}.",
            f"P = 1 - {Fraction(num, n * (n - 1))} = {c}.",
        ]
    )
    w.check(
        [
            f"{num} + {u.ordered()} = {n * (n - 1)}, all ordered draws",
            "the event and its opposite cover every draw exactly once",
        ],
        "the complement is right",
    )
    return str(c)


def _table(w: Writer, u: Urn) -> str:
    n, c = u.total, u.result(w)
    w.p(("All ordered colour outcomes:", "Let me tabulate ordered outcomes.", None))
    rows = []
    for a in u.counts:
        for b in u.counts:
            ways = u.counts[a] * (u.counts[b] - (a == b))
            mark = " ✓" if u.fav(a, b) else ""
            rows.append(f"{a}, {b}: {u.counts[a]}·{u.counts[b] - (a == b)} = {ways}{mark}")
    w.lines(rows)
    w.check(
        [f"the ways add to {n * (n - 1)} = {n}·{n - 1}", f"the ticked rows add to {u.ordered()}"],
        "the table is consistent",
    )
    w.p(
        f"Total {n * (n - 1)}, ticked {u.ordered()}.",
        f"<so> P = {u.ordered()}/{n * (n - 1)} = {c}.",
    )
    return str(c)


def _code(w: Writer, u: Urn) -> str:
    n, c = u.total, u.result(w)
    cond = {
        "same": "a == b",
        "different": "a != b",
        "at_least": f"{u.x!r} in (a, b)",
        "exactly_one": f"(a == {u.x!r}) != (b == {u.x!r})",
        "neither": f"{u.x!r} not in (a, b)",
    }[u.event]
    build = " + ".join(f"[{col!r}] * {k}" for col, k in u.counts.items())
    src = f"""from fractions import Fraction
from itertools import combinations

{u.things} = {build}
pairs = list(combinations({u.things}, 2))
good = sum(1 for a, b in pairs if {cond})
print(Fraction(good, len(pairs)))"""
    w.code(
        src,
        intro=("Exact enumeration in Python:", "Let me enumerate all pairs:", "In code:"),
        outro=(f"This prints {c}.", f"Output: {c}"),
    )
    w.check(
        [
            f"combinations gives C({n}, 2) = {comb(n, 2)} unordered pairs",
            f"the list has {n} {u.things}, matching the counts",
        ],
        "the enumeration is complete",
    )
    return str(c)


FAMILY = Family(
    name="urn",
    domain="math",
    make=make,
    methods=(
        Method("count_combinations", "prose", 0.8, _combos),
        Method("sequential_branches", "prose", 0.75, _sequential),
        Method("complement_rule", "list", 0.7, _complement),
        Method("outcome_table", "table", 0.85, _table),
        Method("enumerate_program", "code", 0.92, _code),
    ),
)
