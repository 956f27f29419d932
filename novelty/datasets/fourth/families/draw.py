"""Probability: draw two marbles without replacement; chance they share a colour."""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from math import comb

from .._text import bullet, fence, frac, lines, md_table, pick, plus, say
from .._types import Family, Method

_COLOURS = ("red", "blue", "green", "yellow", "white", "black")
_BAGS = ("a bag", "a jar", "a box", "an urn")


@dataclass(frozen=True)
class Bag:
    holder: str
    colours: tuple[str, ...]
    counts: tuple[int, ...]
    p: Fraction
    answer: str
    decoys: tuple[str, ...]


def make(rng: random.Random) -> Bag:
    """Two or three colours with two to six marbles each."""
    k = rng.randint(2, 3)
    colours = tuple(rng.sample(_COLOURS, k))
    counts = tuple(rng.randint(2, 6) for _ in range(k))
    n = sum(counts)
    p = Fraction(sum(comb(c, 2) for c in counts), comb(n, 2))
    with_repl = Fraction(sum(c * c for c in counts), n * n)
    decoys = tuple(dict.fromkeys(frac(x) for x in (with_repl, 1 - p, Fraction(1, k)) if x != p))
    return Bag(pick(rng, _BAGS), colours, counts, p, frac(p), decoys)


def describe(b: Bag) -> str:
    mix = ", ".join(f"{c} {col}" for c, col in zip(b.counts, b.colours, strict=True))
    return (
        f"{b.holder.capitalize()} holds {mix} marbles. Two are drawn at random without "
        "putting the first back. What is the probability that both have the same "
        "colour?"
    )


def _combo_prose(b: Bag, rng: random.Random) -> list[str]:
    n = sum(b.counts)
    same = [comb(c, 2) for c in b.counts]
    parts = ", ".join(
        f"C({c},2) = {s} {col} pairs" for c, s, col in zip(b.counts, same, b.colours, strict=True)
    )
    return [
        pick(rng, ("Count unordered pairs.", "Think of the draw as picking a pair at once.")),
        say(
            f"There are {n} marbles, so C({n},2) = {comb(n, 2)} equally likely pairs.",
            f"Same-colour pairs: {parts}, together {plus(same)} = {sum(same)}.",
            f"The probability is {sum(same)}/{comb(n, 2)} = {b.answer}.",
        ),
    ]


def _tree_list(b: Bag, rng: random.Random) -> list[str]:
    n, bt, rows, terms = sum(b.counts), bullet(rng), [], []
    for c, col in zip(b.counts, b.colours, strict=True):
        t = Fraction(c * (c - 1), n * (n - 1))
        terms.append(c * (c - 1))
        rows.append(
            f"{bt}{col} then {col}: {c}/{n} x {c - 1}/{n - 1} = "
            f"{c * (c - 1)}/{n * (n - 1)}" + (f" = {frac(t)}" if rng.random() < 0.4 else "")
        )
    rows.append(f"{bt}total: {plus(terms)} = {sum(terms)} out of {n * (n - 1)} -> {b.answer}")
    return [
        pick(rng, ("Draw one after the other, branch by colour:", "Probability tree:")),
        lines(rows),
    ]


def _grid_table(b: Bag, rng: random.Random) -> list[str]:
    n = sum(b.counts)
    rows = []
    for c1, col1 in zip(b.counts, b.colours, strict=True):
        rows.append(
            [
                f"1st {col1}",
                *(c1 * (c2 - (col1 == col2)) for c2, col2 in zip(b.counts, b.colours, strict=True)),
            ]
        )
    diag = [c * (c - 1) for c in b.counts]
    return [
        pick(
            rng, ("Ordered outcomes (first, second), counted by colour:", "Table of ordered draws:")
        ),
        md_table(["", *(f"2nd {c}" for c in b.colours)], rows),
        f"Diagonal: {plus(diag)} = {sum(diag)}; all cells: {n} x {n - 1} = {n * (n - 1)}. "
        f"Ratio {sum(diag)}/{n * (n - 1)} = {b.answer}.",
    ]


def _enum_py(b: Bag, rng: random.Random) -> list[str]:
    bag = " + ".join(f'["{col}"] * {c}' for c, col in zip(b.counts, b.colours, strict=True))
    n = sum(b.counts)
    same = sum(comb(c, 2) for c in b.counts)
    code = (
        "from fractions import Fraction\nfrom itertools import combinations\n\n"
        f"bag = {bag}\npairs = list(combinations(bag, 2))\n"
        "same = sum(a == b for a, b in pairs)\n"
        "print(same, len(pairs), Fraction(same, len(pairs)))"
    )
    return [
        pick(rng, ("Exact enumeration in Python:", "Let the computer list every pair:")),
        fence(rng, "python", code),
        f"Output: {same} {comb(n, 2)} {b.answer}",
    ]


def _complement_prose(b: Bag, rng: random.Random) -> list[str]:
    n, k = sum(b.counts), len(b.counts)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    prods = [b.counts[i] * b.counts[j] for i, j in pairs]
    what = ", ".join(
        f"{b.colours[i]}-{b.colours[j]} {b.counts[i]} x {b.counts[j]} = {b.counts[i] * b.counts[j]}"
        for i, j in pairs
    )
    diff = Fraction(sum(prods), comb(n, 2))
    return [
        pick(
            rng,
            ("Easier to count the opposite: two different colours.", "Go through the complement."),
        ),
        say(
            f"Mixed pairs: {what}, total {sum(prods)} of the {comb(n, 2)} possible pairs.",
            f"So P(different) = {sum(prods)}/{comb(n, 2)} = {frac(diff)}, and "
            f"P(same) = 1 - {frac(diff)} = {b.answer}.",
        ),
    ]


def checks(b: Bag, rng: random.Random) -> list[str]:
    n = sum(b.counts)
    same = [comb(c, 2) for c in b.counts]
    diff = comb(n, 2) - sum(same)
    return [
        f"same-colour pairs {plus(same)} = {sum(same)} out of C({n},2) = {comb(n, 2)}.",
        f"same {sum(same)} + mixed {diff} = {comb(n, 2)}, so nothing is missing.",
        f"{sum(same)}/{comb(n, 2)} reduces to {b.answer}.",
    ]


FAMILY = Family(
    key="draw",
    domain="probability",
    goal="the probability",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "Without replacement matters: the second draw sees one marble fewer.",
        "Every marble is equally likely, so counting works.",
        "Ordered and unordered counting must give the same ratio.",
    ),
    methods=(
        Method("combo_prose", "prose", _combo_prose),
        Method("tree_list", "list", _tree_list),
        Method("ordered_table", "table", _grid_table),
        Method("enum_py", "code", _enum_py),
        Method("complement_prose", "prose", _complement_prose),
    ),
)
