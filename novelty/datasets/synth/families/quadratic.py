"""The larger root of a quadratic equation, solved five ways (factoring, formula, completing
the square, vertex, Vieta)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from novelty.datasets.synth.family import Ctx, Family, Method, S, uniform_int, wrong_answers
from novelty.datasets.synth.notation import paren, plain, poly, shift, signed_sum


def _make_quadratic(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    while True:
        r1, r2 = sorted(int(v) for v in rng.choice(np.arange(-9, 13), size=2, replace=False))
        if r1 != 0 and r2 != 0 and r1 + r2 != 0:
            break
    a = int(rng.choice([1, 1, 1, 2, 3]))
    s, p = r1 + r2, r1 * r2
    h, m = Fraction(s, 2), Fraction(r2 - r1, 2)
    k = m * m

    def ev(x: int) -> str:
        return signed_sum([x * x, -s * x, p])

    divs = [d for d in range(1, abs(p) + 1) if abs(p) % d == 0]
    fails = sorted((d for d in divs + [-d for d in divs] if d not in (r1, r2)), key=abs)
    t = int(fails[uniform_int(rng, 0, min(2, len(fails) - 1))])
    ctx = {
        "poly": poly(a, -a * s, a * p),
        "monic": poly(1, -s, p),
        "a": str(a),
        "divide": "" if a == 1 else f"First divide both sides by {a}: {poly(1, -s, p)} = 0.",
        "s": str(s),
        "p": str(p),
        "b1": str(-s),
        "u": str(-r1),
        "v": str(-r2),
        "r1": str(r1),
        "r2": str(r2),
        "fact": f"({shift(r1)})({shift(r2)})",
        "D": str((r2 - r1) ** 2),
        "sq": str(r2 - r1),
        "s2": str(s * s),
        "fourp": str(4 * p),
        "disc_expr": signed_sum([s * s, -4 * p]),
        "negp": str(-p),
        "xx_lin": poly(1, -s, 0),
        "half_b": plain(Fraction(-s, 2)),
        "hb2": plain(h * h),
        "h": plain(h),
        "m": plain(m),
        "k": plain(k),
        "k_expr": signed_sum([h * h, -p]),
        "xsh": shift(h),
        "yv": plain(-k),
        "sign0": "positive" if p > 0 else "negative",
        "divs": ", ".join(map(str, divs)),
        "absp": str(abs(p)),
        "t1": str(t),
        "t1_eval": f"{ev(t)} = {t * t - s * t + p}",
        "r2_eval": ev(r2),
        "r1_eval": ev(r1),
        "v_p": paren(-r2),
        "r1_p": paren(r1),
        "uv_sum": signed_sum([-r1, -r2]),
        "ans": str(r2),
        "B": str(-a * s),
        "C": str(a * p),
    }
    return ctx, wrong_answers(str(r2), [str(r1), str(-r2), str(-r1), str(r2 + 1)])


_QUAD_FINAL = S(
    "The larger of the two roots is {ans}.",
    "Comparing the two, the larger root is {ans}.",
    "So the larger root is {ans}.",
)

QUADRATIC = Family(
    name="quadratic",
    domain="algebra",
    make=_make_quadratic,
    restate=(
        "We need to find the larger root of \\( {poly} = 0 \\).",
        "The problem asks for the larger solution of the equation {poly} = 0.",
        "We are given the quadratic equation \\( {poly} = 0 \\) and want its larger root.",
        "To find the larger root of {poly} = 0, we first need both roots.",
    ),
    methods=(
        Method(
            "factoring",
            "factoring",
            0.85,
            (
                S(
                    "Let's try factoring.",
                    "I'll solve this by factoring the quadratic.",
                    "This quadratic should factor nicely over the integers.",
                    p=0.85,
                ),
                S("{divide}"),
                S(
                    "We need two numbers whose product is {p} and whose sum is {b1}.",
                    "Look for two integers that multiply to {p} and add up to {b1}.",
                    "We want a pair of numbers with product {p} and sum {b1}.",
                ),
                S(
                    "The pair {u} and {v} works, since {u} \\cdot {v_p} = {p} and {uv_sum} = {b1}.",
                    "Going through the factor pairs of {p}, the pair {u}, {v} has the right sum {b1}.",
                    "Those numbers are {u} and {v}.",
                ),
                S(
                    "So the equation factors as \\( {fact} = 0 \\).",
                    "This gives the factorization {monic} = {fact}.",
                    "Hence \\[ {fact} = 0. \\]",
                ),
                S(
                    "Setting each factor equal to zero gives x = {r1} or x = {r2}.",
                    "By the zero product property, \\( x = {r1} \\) or \\( x = {r2} \\).",
                    "Each factor gives a root: {r1} and {r2}.",
                ),
                _QUAD_FINAL,
            ),
        ),
        Method(
            "quadratic_formula",
            "the quadratic formula",
            0.85,
            (
                S(
                    "I'll use the quadratic formula.",
                    "Let's apply the quadratic formula \\( x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a} "
                    "\\).",
                    "The quadratic formula will work directly here.",
                    p=0.85,
                ),
                S("{divide}", p=0.6),
                S(
                    "Here a = 1, b = {b1}, and c = {p}.",
                    "Reading off the coefficients: \\( a = 1, b = {b1}, c = {p} \\).",
                    "The coefficients are a = 1, b = {b1}, c = {p}.",
                ),
                S(
                    "The discriminant is \\( b^2 - 4ac = {disc_expr} = {D} \\).",
                    "Compute the discriminant: ({b1})^2 - 4(1)({p}) = {disc_expr} = {D}.",
                    "First the discriminant: {disc_expr} = {D}.",
                ),
                S(
                    "Its square root is \\( \\sqrt{{D}} = {sq} \\).",
                    "Since {D} = {sq}^2, the square root of the discriminant is {sq}.",
                    "\\( \\sqrt{{D}} = {sq} \\), a perfect square, so the roots are rational.",
                ),
                S(
                    "So \\[ x = \\frac{{s} \\pm {sq}}{2}. \\]",
                    "Plugging in: x = ({s} ± {sq}) / 2.",
                    "Then x = (-({b1}) ± {sq})/2 = ({s} ± {sq})/2.",
                ),
                S(
                    "This gives x = ({s} + {sq})/2 = {r2} and x = ({s} - {sq})/2 = {r1}.",
                    "The plus sign gives {r2} and the minus sign gives {r1}.",
                    "So the two solutions are \\( x = {r2} \\) and \\( x = {r1} \\).",
                ),
                _QUAD_FINAL,
            ),
        ),
        Method(
            "completing_square",
            "completing the square",
            0.7,
            (
                S(
                    "Let's complete the square.",
                    "I'll solve it by completing the square.",
                    "Completing the square should make the roots easy to read off.",
                    p=0.85,
                ),
                S("{divide}", p=0.7),
                S(
                    "Move the constant term to the right side: \\( {xx_lin} = {negp} \\).",
                    "First isolate the x terms: {xx_lin} = {negp}.",
                    "Rewrite the equation as {xx_lin} = {negp}.",
                ),
                S(
                    "Half of the coefficient of x is {half_b}, and its square is {hb2}.",
                    "Take half of {b1}, which is {half_b}, and square it to get {hb2}.",
                    "To complete the square we add ({half_b})^2 = {hb2} to both sides.",
                ),
                S(
                    "Adding {hb2} to both sides gives \\( ({xsh})^2 = {k_expr} = {k} \\).",
                    "The left side becomes a perfect square: ({xsh})^2 = {k_expr} = {k}.",
                    "So \\[ ({xsh})^2 = {k}. \\]",
                ),
                S(
                    "Taking square roots: {xsh} = ±{m}.",
                    "Taking the square root of both sides, \\( {xsh} = \\pm {m} \\).",
                    "Hence {xsh} is either {m} or -{m}.",
                ),
                S(
                    "So x = {h} ± {m}, which gives x = {r2} or x = {r1}.",
                    "Adding {h} to both sides: x = {h} + {m} = {r2} or x = {h} - {m} = {r1}.",
                    "Therefore the solutions are {r2} and {r1}.",
                ),
                _QUAD_FINAL,
            ),
        ),
        Method(
            "vertex_graph",
            "the graph of the parabola",
            0.65,
            (
                S(
                    "Let's think about the graph of \\( y = {monic} \\).",
                    "I'll use the vertex of the parabola to locate the roots.",
                    "Think of this graphically: the roots are where the parabola crosses the x-axis.",
                ),
                S("{divide}", p=0.5),
                S(
                    "The parabola opens upward, and its axis of symmetry is x = -b/(2a) = {h}.",
                    "The vertex has x-coordinate -b/(2a) = {h}.",
                    "Its axis of symmetry is the vertical line x = {h}.",
                ),
                S(
                    "At the vertex, y = {yv}, so the vertex is ({h}, {yv}), below the x-axis.",
                    "Evaluating at x = {h} gives y = {yv}, so the minimum value is {yv}.",
                    "The minimum of the parabola is {yv}, reached at x = {h}.",
                ),
                S(
                    "In vertex form, y = ({xsh})^2 - {k}, so y = 0 exactly when ({xsh})^2 = {k}.",
                    "The curve rises from its minimum like (x - {h})^2, so it reaches zero at a "
                    "horizontal distance of \\( \\sqrt{{k}} = {m} \\) from the axis.",
                    "So the two x-intercepts sit {m} units to either side of x = {h}.",
                ),
                S(
                    "A quick sketch: y(0) = {p}, which is {sign0}, consistent with the picture.",
                    "Checking the sign pattern, y is negative between the intercepts and positive "
                    "outside.",
                    p=0.5,
                ),
                S(
                    "The crossings are at x = {h} + {m} = {r2} and x = {h} - {m} = {r1}.",
                    "So the parabola crosses the x-axis at {r1} and {r2}.",
                    "The x-intercepts are therefore {r1} and {r2}.",
                ),
                _QUAD_FINAL,
            ),
        ),
        Method(
            "vieta_guess",
            "Vieta's formulas",
            0.75,
            (
                S(
                    "By Vieta's formulas, the roots add up to {s} and multiply to {p}.",
                    "Let's use Vieta's formulas and guess integer roots.",
                    "The sum of the roots is {s} and the product is {p}, so look for integers that fit.",
                ),
                S("{divide}", p=0.6),
                S(
                    "Any integer root must divide {p}; the divisors of {absp} are {divs}.",
                    "Integer candidates are the divisors of {p}, up to sign: {divs}.",
                    "Rational root theorem: try divisors of the constant term, {divs}, with either "
                    "sign.",
                ),
                S(
                    "Try x = {t1}: {t1_eval}, not zero.",
                    "Testing x = {t1} gives {t1_eval}, so that is not a root.",
                    p=0.7,
                ),
                S(
                    "Try x = {r2}: {r2_eval} = 0. So {r2} is a root.",
                    "Testing x = {r2}: {r2_eval} = 0, it works.",
                    "x = {r2} gives {r2_eval} = 0, so it is a root.",
                ),
                S(
                    "Then the other root is {s} - {r2} = {r1}, and indeed {r2} \\cdot {r1_p} = {p}.",
                    "Since the roots sum to {s}, the other one is {r1}; the product {r2} \\cdot "
                    "{r1_p} = {p} "
                    "confirms it.",
                    "The second root is {p} / {r2} = {r1}, from the product.",
                ),
                _QUAD_FINAL,
            ),
        ),
    ),
    checks=(
        "Plugging x = {r2} back in: {r2_eval} = 0.",
        "Substituting x = {r1}: {r1_eval} = 0, and x = {r2}: {r2_eval} = 0. Both work.",
        "The roots {r1} and {r2} sum to {s} and multiply to {p}, matching the coefficients.",
    ),
    digressions=(
        "Note that the discriminant is positive, so there are two distinct real roots.",
        "Since the leading coefficient is positive, the parabola opens upward.",
        "Both roots turn out to be integers, which is typical for problems like this.",
        "The problem asks only for the larger root, but it is easiest to find both.",
    ),
    setup=(
        "This is a quadratic in x with leading coefficient {a}, linear coefficient {B} and "
        "constant term {C}.",
        "We need both solutions of this quadratic and then the larger of the two.",
        "The equation is already in standard form, with everything on one side.",
    ),
)
