"""P(sum of two dice at least s) (enumerate pairs, sum distribution, complement, condition on the
first die, generating function)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from novelty.datasets.synth.family import Ctx, Family, Method, S, uniform_int, wrong_answers
from novelty.datasets.synth.notation import latex, plain


def _make_probability(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    d = int(rng.choice([6, 6, 6, 8, 4]))
    s = uniform_int(rng, d + 2, 2 * d - 1)
    tot = d * d

    def ways(t: int) -> int:
        return d - abs(t - (d + 1))

    cnt = sum(ways(t) for t in range(s, 2 * d + 1))
    comp = tot - cnt
    pairs = [(i, j) for i in range(1, d + 1) for j in range(1, d + 1) if i + j >= s]
    cond = [max(0, d - max(1, s - i) + 1) for i in range(1, d + 1)]
    frac = Fraction(cnt, tot)
    ctx = {
        "d": str(d),
        "s": str(s),
        "sm1": str(s - 1),
        "tot": str(tot),
        "cnt": str(cnt),
        "comp": str(comp),
        "dp1": str(d + 1),
        "twod": str(2 * d),
        "pairs": ", ".join(f"({i}, {j})" for i, j in pairs),
        "ways_list": ", ".join(f"sum {t}: {ways(t)}" for t in range(s, 2 * d + 1)),
        "ways_sum": " + ".join(str(ways(t)) for t in range(s, 2 * d + 1)),
        "comp_list": ", ".join(f"sum {t}: {ways(t)}" for t in range(2, s)),
        "comp_sum": " + ".join(str(ways(t)) for t in range(2, s)),
        "cond_list": ", ".join(f"first = {i}: {c}" for i, c in enumerate(cond, 1)),
        "cond_sum": " + ".join(map(str, cond)),
        "coefs": ", ".join(str(ways(t)) for t in range(s, 2 * d + 1)),
        "frac": plain(frac),
        "fractex": latex(frac),
        "ans": latex(frac),
    }
    wrong = [
        Fraction(cnt - ways(s), tot),
        Fraction(cnt + ways(s - 1), tot),
        Fraction(comp, tot),
        Fraction(cnt, tot - 1),
    ]
    return ctx, wrong_answers(ctx["ans"], [latex(w) for w in wrong])


_PROB_FINAL = S(
    "So the probability is {ans}.",
    "Therefore the probability is \\( {ans} \\), with {cnt} favorable outcomes out of {tot}.",
    "The probability that the sum is at least {s} is {ans}.",
)

PROBABILITY = Family(
    name="probability",
    domain="probability",
    make=_make_probability,
    restate=(
        "Two fair {d}-sided dice are rolled; we need the probability that the sum is at least {s}.",
        "We roll two fair dice with faces 1 to {d} and want P(sum ≥ {s}).",
        "The question asks for the probability that two fair {d}-sided dice show a total of {s} "
        "or more.",
        "Rolling two fair {d}-sided dice, find the probability of a sum of at least {s}.",
    ),
    methods=(
        Method(
            "enumerate_pairs",
            "listing the outcomes",
            0.7,
            (
                S(
                    "There are {d} \\cdot {d} = {tot} equally likely outcomes. Let's list the ones with "
                    "sum at least {s}.",
                    "I'll just enumerate the favorable ordered pairs (first die, second die).",
                    "Let's list all outcomes that work; there are {tot} outcomes in total.",
                ),
                S(
                    "They are: {pairs}.",
                    "Favorable pairs: {pairs}.",
                    "The pairs with sum ≥ {s} are {pairs}.",
                ),
                S(
                    "Counting them gives {cnt} outcomes.",
                    "That is {cnt} pairs.",
                    "So there are {cnt} favorable outcomes.",
                ),
                _PROB_FINAL,
            ),
        ),
        Method(
            "sum_distribution",
            "the distribution of the sum",
            0.8,
            (
                S(
                    "The number of ways to roll a sum t with two {d}-sided dice is {d} - |t - {dp1}|.",
                    "Let's use the triangular distribution of the sum: ways(t) = {d} - |t - {dp1}|.",
                    "For two dice, the counts for each total rise to a peak at {dp1} and then fall.",
                ),
                S(
                    "For the totals from {s} to {twod}: {ways_list}.",
                    "Counts: {ways_list}.",
                    "So the relevant counts are {ways_list}.",
                ),
                S(
                    "Adding: {ways_sum} = {cnt}.",
                    "The total is {ways_sum} = {cnt}.",
                    "Summing these gives {cnt}.",
                ),
                S("Out of {tot} outcomes, that is {cnt}/{tot}.", p=0.6),
                _PROB_FINAL,
            ),
        ),
        Method(
            "complement",
            "the complement",
            0.75,
            (
                S(
                    "It's easier to count the complement: sums of at most {sm1}.",
                    "Let's use complementary counting: P(sum ≥ {s}) = 1 - P(sum ≤ {sm1}).",
                    "I'll count the outcomes that fail, then subtract from {tot}.",
                ),
                S(
                    "Ways to get each small sum: {comp_list}.",
                    "The failing totals have counts {comp_list}.",
                    "For sums 2 through {sm1}: {comp_list}.",
                ),
                S(
                    "That is {comp_sum} = {comp} outcomes.",
                    "Total failing: {comp}.",
                    "These add to {comp}.",
                ),
                S(
                    "So the favorable count is {tot} - {comp} = {cnt}, and the probability is "
                    "1 - {comp}/{tot}.",
                    "Hence \\( P = 1 - \\frac{{comp}}{{tot}} = \\frac{{cnt}}{{tot}} \\).",
                    "Subtracting from {tot}: {cnt} favorable outcomes.",
                ),
                _PROB_FINAL,
            ),
        ),
        Method(
            "condition_first_die",
            "conditioning on the first die",
            0.7,
            (
                S(
                    "Condition on the value of the first die.",
                    "Let's fix the first die and count what the second die needs.",
                    "By the law of total probability, sum over the first die's value.",
                ),
                S(
                    "If the first die shows i, the second must be at least {s} - i. Number of good "
                    "values "
                    "for each i: {cond_list}.",
                    "Given first = i, the second die needs ≥ {s} - i: {cond_list}.",
                    "Case by case: {cond_list}.",
                ),
                S(
                    "Each case has probability 1/{d}, so P = (1/{d}) \\cdot ({cond_sum})/{d} = "
                    "{cnt}/{tot}.",
                    "Summing, \\( P = \\frac{1}{{d}} \\cdot \\frac{{cond_sum}}{{d}} = "
                    "\\frac{{cnt}}{{tot}} \\).",
                    "Total good outcomes: {cond_sum} = {cnt}, out of {tot}.",
                ),
                _PROB_FINAL,
            ),
        ),
        Method(
            "generating_function",
            "a generating function",
            0.75,
            (
                S(
                    "Use the generating function of one die, \\( x + x^2 + \\dots + x^{{d}} \\).",
                    "Let's use generating functions: one die is (x + x^2 + ... + x^{d}).",
                    "I'll encode each die as a polynomial and square it.",
                ),
                S(
                    "For the sum of two dice, square it: the coefficient of x^t in "
                    "(x + ... + x^{d})^2 counts the ways to get total t.",
                    "Squaring the polynomial, coefficients count the ways to reach each sum.",
                    "\\( (x + \\dots + x^{{d}})^2 \\) has coefficient of \\( x^t \\) equal to the number "
                    "of ways to roll t.",
                ),
                S(
                    "The coefficients of x^{s} through x^{twod} are {coefs}.",
                    "Reading off the coefficients from x^{s} up to x^{twod}: {coefs}.",
                    "Those coefficients are {coefs}.",
                ),
                S(
                    "Their sum is {cnt}, and the sum of all coefficients is {d}^2 = {tot}.",
                    "Adding them gives {cnt}; setting x = 1 gives the total {tot}.",
                    "Sum: {cnt}. Total: {tot}.",
                ),
                _PROB_FINAL,
            ),
        ),
    ),
    checks=(
        "Check: favorable plus unfavorable = {cnt} + {comp} = {tot}.",
        "The probability {frac} is between 0 and 1/2, reasonable for a sum above the mean {dp1}.",
        "Recounting from the top total down gives {ways_sum} = {cnt} again.",
    ),
    digressions=(
        "The dice are fair and independent, so all {tot} ordered outcomes are equally likely.",
        "It matters that we count ordered pairs; (1, 2) and (2, 1) are different outcomes.",
        "The sum is symmetric around {dp1}.",
    ),
    setup=(
        "Each die shows 1 through {d}, so there are {tot} equally likely ordered outcomes.",
        "We want the totals {s} through {twod}, the largest possible sum.",
        "The smallest possible sum is 2 and the largest is {twod}.",
    ),
)
