"""Choosing k of n items, order irrelevant (factorial formula, ordered-then-divide, Pascal's
recursion and triangle, a running product)."""

from __future__ import annotations

import math

import numpy as np

from novelty.datasets.synth.family import Ctx, Family, Method, S, uniform_int, wrong_answers

_CONTEXTS = (
    ("people", "person", "committee"),
    ("books", "book", "reading list"),
    ("toppings", "topping", "pizza"),
    ("students", "student", "team"),
    ("songs", "song", "playlist"),
)


def _make_counting(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    n = uniform_int(rng, 7, 12)
    k = uniform_int(rng, 3, min(5, n - 3))
    items, item, sel = _CONTEXTS[uniform_int(rng, 0, len(_CONTEXTS) - 1)]
    falling = math.perm(n, k)
    ans = math.comb(n, k)
    rows = "\n".join(
        f"Row {i}: " + " ".join(str(math.comb(i, j)) for j in range(i + 1)) for i in range(n + 1)
    )
    chain, prev = [], 1
    for j in range(1, k + 1):
        cur = math.comb(n, j)
        chain.append(f"C({n},{j}) = {prev} \\cdot {n - j + 1}/{j} = {cur}")
        prev = cur
    ctx = {
        "n": str(n),
        "k": str(k),
        "items": items,
        "item": item,
        "sel": sel,
        "nk": str(n - k),
        "falling_prod": " \\cdot ".join(str(n - j) for j in range(k)),
        "falling": str(falling),
        "kfact": str(math.factorial(k)),
        "kfact_prod": " \\cdot ".join(str(j) for j in range(k, 0, -1)),
        "nm1": str(n - 1),
        "km1": str(k - 1),
        "A": str(math.comb(n - 1, k - 1)),
        "B": str(math.comb(n - 1, k)),
        "rows": rows,
        "row_n": " ".join(str(math.comb(n, j)) for j in range(n + 1)),
        "chain": "; ".join(chain),
        "ans": str(ans),
    }
    return ctx, wrong_answers(
        str(ans), [str(falling), str(math.comb(n, k - 1)), str(math.comb(n - 1, k)), str(2 * ans)]
    )


_COUNT_FINAL = S(
    "So there are {ans} possible {sel}s.",
    "Hence the number of ways is {ans}.",
    "That gives {ans} different {sel}s.",
)

COUNTING = Family(
    name="counting",
    domain="combinatorics",
    make=_make_counting,
    restate=(
        "We need to count the ways to choose {k} {items} out of {n}, where order does not matter.",
        "From {n} {items}, how many different {sel}s of {k} can be formed?",
        "There are {n} {items} and we pick a {sel} of {k}; we want the number of possible {sel}s.",
        "We are choosing {k} of {n} {items} for a {sel}, and the order of selection is irrelevant.",
    ),
    methods=(
        Method(
            "factorial_formula",
            "the combination formula",
            0.85,
            (
                S(
                    "This is a combination: \\( \\binom{{n}}{{k}} = \\frac{{n}!}{{k}!\\,{nk}!} \\).",
                    "Since order doesn't matter, the count is C({n}, {k}) = {n}! / ({k}! \\cdot {nk}!).",
                    "Use the formula for combinations, n! / (k!(n-k)!), with n = {n} and k = {k}.",
                ),
                S(
                    "Cancelling {nk}! from {n}! leaves {falling_prod} on top.",
                    "Most of {n}! cancels with {nk}!, leaving the numerator {falling_prod}.",
                    "Simplify: \\( \\frac{{n}!}{{nk}!} = {falling_prod} \\).",
                ),
                S(
                    "The numerator is {falling} and {k}! = {kfact_prod} = {kfact}.",
                    "That product is {falling}, and the denominator is {k}! = {kfact}.",
                    "Numerator: {falling}. Denominator: {kfact}.",
                ),
                S(
                    "So C({n}, {k}) = {falling} / {kfact} = {ans}.",
                    "\\( \\binom{{n}}{{k}} = \\frac{{falling}}{{kfact}} = {ans} \\).",
                    "Dividing gives {ans}.",
                ),
                _COUNT_FINAL,
            ),
        ),
        Method(
            "ordered_then_divide",
            "counting ordered selections and dividing",
            0.75,
            (
                S(
                    "First count ordered selections, then correct for the order.",
                    "Let's pick the {items} one at a time and then remove the overcounting.",
                    "Imagine choosing the {k} {items} in sequence.",
                ),
                S(
                    "There are {n} choices for the first, {nm1} for the second, and so on: "
                    "{falling_prod} = {falling} ordered ways.",
                    "If order mattered, there would be {falling_prod} = {falling} ways.",
                    "The number of ordered selections is {falling_prod} = {falling}.",
                ),
                S(
                    "But each {sel} of {k} is counted once for every ordering of its members, i.e. "
                    "{k}! = {kfact} times.",
                    "Each unordered group appears {kfact} times in that count, since {k} {items} can be "
                    "arranged in {k}! ways.",
                    "Every group was counted {k}! = {kfact} times.",
                ),
                S(
                    "So divide: {falling} / {kfact} = {ans}.",
                    "Dividing out the orderings: \\( {falling} / {kfact} = {ans} \\).",
                    "Hence {falling} / {kfact} = {ans} unordered selections.",
                ),
                _COUNT_FINAL,
            ),
        ),
        Method(
            "pascal_recursion",
            "Pascal's rule",
            0.7,
            (
                S(
                    "Fix one particular {item}. Every {sel} either includes it or doesn't.",
                    "Let's split into cases on whether a specific {item} is chosen.",
                    "Single out one {item}, call it X, and split into two cases.",
                ),
                S(
                    "If it is included, we choose the other {km1} from the remaining {nm1}: "
                    "C({nm1}, {km1}) = {A}.",
                    "Case 1, X is in: \\( \\binom{{nm1}}{{km1}} = {A} \\) ways.",
                    "With X included there are C({nm1},{km1}) = {A} choices for the rest.",
                ),
                S(
                    "If it is excluded, we choose all {k} from the other {nm1}: C({nm1}, {k}) = {B}.",
                    "Case 2, X is out: \\( \\binom{{nm1}}{{k}} = {B} \\) ways.",
                    "Without X there are C({nm1},{k}) = {B} choices.",
                ),
                S(
                    "The cases don't overlap, so the total is {A} + {B} = {ans}.",
                    "Adding the two cases: {A} + {B} = {ans}.",
                    "This is Pascal's rule: \\( \\binom{{nm1}}{{km1}} + \\binom{{nm1}}{{k}} = {ans} "
                    "\\).",
                ),
                _COUNT_FINAL,
            ),
        ),
        Method(
            "pascal_triangle",
            "Pascal's triangle",
            0.65,
            (
                S(
                    "Let's build Pascal's triangle down to row {n}.",
                    "I'll write out Pascal's triangle, since its entries are exactly these counts.",
                    "The answer is an entry of Pascal's triangle, so let's construct it row by row.",
                ),
                S("Each entry is the sum of the two entries above it.", p=0.7),
                S("{rows}"),
                S(
                    "Row {n} is {row_n}. Counting from position 0, entry {k} is {ans}.",
                    "In row {n}, the entry in position {k} (starting from 0) is {ans}.",
                    "Reading off row {n}, position {k}: {ans}.",
                ),
                _COUNT_FINAL,
            ),
        ),
        Method(
            "iterative_ratio",
            "building up one element at a time",
            0.7,
            (
                S(
                    "Build the count up one step at a time using C(n, j) = C(n, j-1) \\cdot (n-j+1)/j.",
                    "Start from C({n}, 0) = 1 and use the ratio between consecutive binomial "
                    "coefficients.",
                    "Each time we allow one more {item}, multiply by (n - j + 1)/j.",
                ),
                S("{chain}."),
                S(
                    "So after {k} steps we reach C({n}, {k}) = {ans}.",
                    "The last value in the chain is {ans}.",
                    "That gives \\( \\binom{{n}}{{k}} = {ans} \\).",
                ),
                _COUNT_FINAL,
            ),
        ),
    ),
    checks=(
        "Check with symmetry: C({n}, {k}) = C({n}, {nk}), and both give {ans}.",
        "As a check, {ans} \\cdot {kfact} = {falling}, the number of ordered selections.",
        "Pascal's rule confirms it: {A} + {B} = {ans}.",
    ),
    digressions=(
        "Order doesn't matter here, so this is a combination rather than a permutation.",
        "The {items} are distinct, so different choices really are different {sel}s.",
        "This kind of count shows up all the time in probability problems.",
    ),
    setup=(
        "We are selecting a subset: the order of the {items} in the {sel} does not matter.",
        "So n = {n} and k = {k}.",
        "Each {sel} is just a set of {k} distinct {items}.",
    ),
)
