"""The sum of an arithmetic series (the formula, Gauss pairing, average times count, split sum,
running total)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from novelty.datasets.synth.family import Ctx, Family, Method, S, uniform_int, wrong_answers
from novelty.datasets.synth.notation import plain


def _make_series(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    a, d, n = uniform_int(rng, 1, 15), uniform_int(rng, 2, 7), uniform_int(rng, 8, 18)
    terms = [a + i * d for i in range(n)]
    last = terms[-1]
    total = n * (a + last) // 2
    partials, run = [], 0
    for t in terms:
        run += t
        partials.append(str(run))
    tri = (n - 1) * n // 2
    ctx = {
        "a": str(a),
        "d": str(d),
        "n": str(n),
        "t1": str(terms[0]),
        "t2": str(terms[1]),
        "t3": str(terms[2]),
        "t4": str(terms[3]),
        "nm1": str(n - 1),
        "L": str(last),
        "aL": str(a + last),
        "twoS": str(n * (a + last)),
        "avg": plain(Fraction(a + last, 2)),
        "twoa": str(2 * a),
        "nm1d": str((n - 1) * d),
        "inner": str(2 * a + (n - 1) * d),
        "na": str(n * a),
        "tri": str(tri),
        "dtri": str(d * tri),
        "terms": ", ".join(map(str, terms)),
        "partials": ", ".join(partials),
        "ans": str(total),
    }
    wrong = [n * (2 * a + n * d) // 2, total - last, total + last + d, total - a]
    return ctx, wrong_answers(str(total), [str(w) for w in wrong])


_SER_FINAL = S(
    "So the sum of the first {n} terms is {ans}.",
    "Therefore the sum is {ans}.",
    "The requested sum is \\( {ans} \\).",
)

SERIES = Family(
    name="series",
    domain="sequences",
    make=_make_series,
    restate=(
        "We need the sum of the first {n} terms of the arithmetic sequence {t1}, {t2}, {t3}, "
        "{t4}, ...",
        "Find the sum of the first {n} terms of {t1}, {t2}, {t3}, {t4}, ...",
        "The sequence {t1}, {t2}, {t3}, {t4}, ... is arithmetic, and we want the total of its "
        "first "
        "{n} terms.",
        "We are asked to add up the first {n} terms of the arithmetic progression that starts "
        "{t1}, {t2}, {t3}.",
    ),
    methods=(
        Method(
            "series_formula",
            "the arithmetic series formula",
            0.85,
            (
                S(
                    "The sum of an arithmetic series is \\( S_n = \\tfrac{1}{2} n\\,(2a + (n-1)d) \\).",
                    "Use the formula S_n = n/2 \\cdot (2a + (n - 1)d).",
                    "I'll apply the standard formula for an arithmetic sum.",
                ),
                S(
                    "Here a = {a}, d = {d}, n = {n}.",
                    "First term {a}, common difference {d}, {n} terms.",
                    "The first term is {a} and the difference is {t2} - {t1} = {d}.",
                ),
                S(
                    "So S = {n}/2 \\cdot (2 \\cdot {a} + {nm1} \\cdot {d}) = {n}/2 \\cdot ({twoa} + "
                    "{nm1d}) "
                    "= {n}/2 \\cdot {inner}.",
                    "\\( S = \\frac{{n}}{2}({twoa} + {nm1d}) = \\frac{{n}}{2} \\cdot {inner} \\).",
                    "Plugging in: 2a + (n - 1)d = {twoa} + {nm1d} = {inner}.",
                ),
                S(
                    "That is {n} \\cdot {inner} / 2 = {ans}.",
                    "Multiplying out gives {ans}.",
                    "So S = {ans}.",
                ),
                _SER_FINAL,
            ),
        ),
        Method(
            "gauss_pairing",
            "pairing terms from both ends",
            0.8,
            (
                S(
                    "Let's pair terms from the two ends, like Gauss.",
                    "Write the sum forwards and backwards and add.",
                    "I'll use the pairing trick: first with last, second with second-to-last, and so "
                    "on.",
                ),
                S(
                    "The last term is a_{n} = {a} + {nm1} \\cdot {d} = {L}.",
                    "The {n}th term is {a} + ({nm1})({d}) = {L}.",
                    "Last term: \\( {a} + {nm1} \\cdot {d} = {L} \\).",
                ),
                S(
                    "Each pair sums to {a} + {L} = {aL}.",
                    "Adding the forward and backward sums column by column, every column is {aL}.",
                    "First plus last is {aL}, and every other pair gives the same.",
                ),
                S(
                    "There are {n} columns, so 2S = {n} \\cdot {aL} = {twoS}.",
                    "So twice the sum is {n} \\cdot {aL} = {twoS}.",
                    "\\( 2S = {n} \\times {aL} = {twoS} \\).",
                ),
                S("Thus S = {twoS}/2 = {ans}.", "Halving gives {ans}.", "So S = {ans}."),
                _SER_FINAL,
            ),
        ),
        Method(
            "average_times_count",
            "the average term",
            0.8,
            (
                S(
                    "For equally spaced numbers, the average is the average of the first and last terms.",
                    "The sum equals the number of terms times the average term.",
                    "Let's find the mean of the terms and multiply by how many there are.",
                ),
                S(
                    "The last term is {a} + {nm1} \\cdot {d} = {L}.",
                    "The {n}th term is {L}.",
                    "Last term: {L}.",
                ),
                S(
                    "The average term is ({a} + {L})/2 = {avg}.",
                    "The mean term is \\( \\frac{{a} + {L}}{2} = {avg} \\).",
                    "So the mean of the terms is {avg}.",
                ),
                S(
                    "Multiplying by the {n} terms: {avg} \\times {n} = {ans}.",
                    "Sum = average \\times count = {avg} \\cdot {n} = {ans}.",
                    "Then the total is {n} \\cdot {avg} = {ans}.",
                ),
                _SER_FINAL,
            ),
        ),
        Method(
            "split_sum",
            "splitting off the constant part",
            0.75,
            (
                S(
                    "Write the k-th term as {a} + {d}k for k = 0, 1, ..., {nm1}.",
                    "Each term is {a} plus a multiple of {d}, so split the sum into two parts.",
                    "Let's separate the constant part from the growing part.",
                ),
                S(
                    "Then S = {n} \\cdot {a} + {d}(0 + 1 + ... + {nm1}).",
                    "\\( S = \\sum_{k=0}^{{nm1}} ({a} + {d}k) = {n} \\cdot {a} + "
                    "{d}\\sum_{k=0}^{{nm1}} k \\).",
                    "So the sum is {n} copies of {a} plus {d} times (0 + 1 + ... + {nm1}).",
                ),
                S(
                    "The triangular number 0 + 1 + ... + {nm1} = {nm1} \\cdot {n}/2 = {tri}.",
                    "Using 1 + 2 + ... + m = m(m+1)/2 with m = {nm1}: {tri}.",
                    "\\( \\sum_{k=0}^{{nm1}} k = {tri} \\).",
                ),
                S(
                    "So S = {na} + {d} \\cdot {tri} = {na} + {dtri} = {ans}.",
                    "Hence \\( S = {na} + {dtri} = {ans} \\).",
                    "Adding the parts: {na} + {dtri} = {ans}.",
                ),
                _SER_FINAL,
            ),
        ),
        Method(
            "running_total",
            "adding the terms directly",
            0.6,
            (
                S(
                    "Let's just list the terms and keep a running total.",
                    "There are only {n} terms, so I'll add them directly.",
                    "I'll write out every term and accumulate.",
                ),
                S(
                    "The terms are {terms}.",
                    "All {n} terms: {terms}.",
                    "Listing with difference {d}: {terms}.",
                ),
                S(
                    "Running totals: {partials}.",
                    "Partial sums: {partials}.",
                    "Accumulating: {partials}.",
                ),
                S(
                    "After {n} terms the total is {ans}.",
                    "The final running total is {ans}.",
                    "So adding everything gives {ans}.",
                ),
                _SER_FINAL,
            ),
        ),
    ),
    checks=(
        "Check with the formula: {n}({a} + {L})/2 = {ans}.",
        "Check: the average term {avg} times {n} terms is {ans}.",
        "The last term {L} = {a} + {nm1} \\cdot {d} is right, so the count of terms is {n}.",
    ),
    digressions=(
        "The common difference is {d}, so consecutive terms go up by {d}.",
        "It's easy to be off by one with the number of terms, so let me be careful.",
        "Arithmetic series sums are always the number of terms times the middle value.",
    ),
    setup=(
        "The first term is {a} and the common difference is {t2} - {t1} = {d}.",
        "We need {n} terms in total.",
        "The terms increase by {d} each time.",
    ),
)
