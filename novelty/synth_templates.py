"""Problem families, solution methods and phrase pools for the synthetic trace generator.

This module is data: ``novelty.synth`` holds the logic. Each family makes one concrete problem
instance (``make``) as a context of strings, and each of its methods is a list of steps whose
paraphrase templates are filled from that context. Methods differ in what they compute, not only in
wording, so a clustering that recovers them is recovering strategies.

Placeholders are ``{name}`` with ``name`` a key of the context. Any other braces are literal, so a
LaTeX group around a placeholder is written doubled: ``\\boxed{{ans}}`` renders ``\\boxed{12}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

Ctx = dict[str, str]


@dataclass(frozen=True)
class Step:
    """One step of a method: paraphrases of the same move, written with probability ``p``."""

    templates: tuple[str, ...]
    p: float = 1.0


def S(*templates: str, p: float = 1.0) -> Step:
    """Shorthand for a step; ``p < 1`` marks an optional step."""
    return Step(tuple(templates), p)


@dataclass(frozen=True)
class Method:
    """A solution strategy: its name (the ground-truth label), how a trace names it in passing,
    its base success probability, and its steps."""

    name: str
    phrase: str
    p_correct: float
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Family:
    """A problem family. ``make(rng)`` returns (context, wrong answers); the context holds every
    placeholder of the family's templates, including ``ans`` (the boxed answer)."""

    name: str
    domain: str
    make: Callable[[np.random.Generator], tuple[Ctx, list[str]]]
    restate: tuple[str, ...]
    methods: tuple[Method, ...]
    checks: tuple[str, ...]
    digressions: tuple[str, ...]
    setup: tuple[str, ...] = ()  # method-neutral givens, written by traces of every method


# ---------------------------------------------------------------------------- number formatting


def _num(x: int | Fraction) -> str:
    """Plain form: 5, -3, 5/2."""
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _tex(x: int | Fraction) -> str:
    """LaTeX form: 5, -\\frac{5}{2}."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    sign = "-" if x < 0 else ""
    return f"{sign}\\frac{{{abs(x.numerator)}}}{{{x.denominator}}}"


def _par(x: int | Fraction) -> str:
    """Parenthesise negatives for products: (-3)."""
    return f"({_num(x)})" if x < 0 else _num(x)


def _sum(values: list[int | Fraction]) -> str:
    """Signed sum as written by hand: 9 - 15 + 6."""
    out = _num(values[0])
    for v in values[1:]:
        out += f" - {_num(-v)}" if v < 0 else f" + {_num(v)}"
    return out


def _poly(a: int, b: int, c: int) -> str:
    """ax^2 + bx + c with the usual omissions: x^2 - 5x + 6."""
    terms = []
    for coef, mono in ((a, "x^2"), (b, "x"), (c, "")):
        if coef == 0:
            continue
        mag = "" if abs(coef) == 1 and mono else str(abs(coef))
        sign = "-" if coef < 0 else "+"
        terms.append((sign, mag + mono))
    first_sign, first = terms[0]
    out = ("-" if first_sign == "-" else "") + first
    for sign, t in terms[1:]:
        out += f" {sign} {t}"
    return out


def _shift(h: int | Fraction, var: str = "x") -> str:
    """var - h: x - 5/2, x + 3."""
    if h == 0:
        return var
    return f"{var} - {_num(h)}" if h > 0 else f"{var} + {_num(-h)}"


def _lin(a: int, b: int, c: int) -> str:
    """ax + by = c: 2x - y = 4."""
    head = ("-" if a < 0 else "") + ("" if abs(a) == 1 else str(abs(a))) + "x"
    tail = ("" if abs(b) == 1 else str(abs(b))) + "y"
    return f"{head} {'-' if b < 0 else '+'} {tail} = {c}"


def _affine(m: Fraction, k: Fraction) -> str:
    """m x + k with readable signs: x - 9, -2x + 9, (1/5)x - 19/5."""
    if m in (1, -1):
        head = "-x" if m < 0 else "x"
    elif m.denominator == 1:
        head = f"{m}x"
    else:
        head = f"-({_num(-m)})x" if m < 0 else f"({_num(m)})x"
    if k == 0:
        return head
    return f"{head} - {_num(-k)}" if k < 0 else f"{head} + {_num(k)}"


def _ratio(num: int, den: int, *, tex: bool = False) -> str:
    """num/den as first written, then reduced when it reduces: 48/10 = 24/5, 420/37."""
    raw = f"\\frac{{{num}}}{{{den}}}" if tex else f"{num}/{den}"
    value = Fraction(num, den)
    if value.denominator == den:
        return raw
    return f"{raw} = {_tex(value) if tex else _num(value)}"


def _int(rng: np.random.Generator, lo: int, hi: int) -> int:
    """Uniform integer in [lo, hi]."""
    return int(rng.integers(lo, hi + 1))


def _wrongs(ans: str, candidates: list[str]) -> list[str]:
    """Distinct wrong answers, in order, never equal to the right one."""
    out: list[str] = []
    for c in candidates:
        if c != ans and c not in out:
            out.append(c)
    return out


# ---------------------------------------------------------------------------- quadratic equations


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
        return _sum([x * x, -s * x, p])

    divs = [d for d in range(1, abs(p) + 1) if abs(p) % d == 0]
    fails = sorted((d for d in divs + [-d for d in divs] if d not in (r1, r2)), key=abs)
    t = int(fails[_int(rng, 0, min(2, len(fails) - 1))])
    ctx = {
        "poly": _poly(a, -a * s, a * p),
        "monic": _poly(1, -s, p),
        "a": str(a),
        "divide": "" if a == 1 else f"First divide both sides by {a}: {_poly(1, -s, p)} = 0.",
        "s": str(s),
        "p": str(p),
        "b1": str(-s),
        "u": str(-r1),
        "v": str(-r2),
        "r1": str(r1),
        "r2": str(r2),
        "fact": f"({_shift(r1)})({_shift(r2)})",
        "D": str((r2 - r1) ** 2),
        "sq": str(r2 - r1),
        "s2": str(s * s),
        "fourp": str(4 * p),
        "disc_expr": _sum([s * s, -4 * p]),
        "negp": str(-p),
        "xx_lin": _poly(1, -s, 0),
        "half_b": _num(Fraction(-s, 2)),
        "hb2": _num(h * h),
        "h": _num(h),
        "m": _num(m),
        "k": _num(k),
        "k_expr": _sum([h * h, -p]),
        "xsh": _shift(h),
        "yv": _num(-k),
        "sign0": "positive" if p > 0 else "negative",
        "divs": ", ".join(map(str, divs)),
        "absp": str(abs(p)),
        "t1": str(t),
        "t1_eval": f"{ev(t)} = {t * t - s * t + p}",
        "r2_eval": ev(r2),
        "r1_eval": ev(r1),
        "v_p": _par(-r2),
        "r1_p": _par(r1),
        "uv_sum": _sum([-r1, -r2]),
        "ans": str(r2),
        "B": str(-a * s),
        "C": str(a * p),
    }
    return ctx, _wrongs(str(r2), [str(r1), str(-r2), str(-r1), str(r2 + 1)])


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


# ---------------------------------------------------------------------------- linear systems


def _make_linear(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    nz = [v for v in range(-5, 6) if v != 0]
    while True:
        x0, y0 = _int(rng, -6, 8), _int(rng, -6, 8)
        b1, a2, b2 = (int(v) for v in rng.choice(nz, size=3))
        det = b2 - a2 * b1
        if det != 0 and x0 + y0 != 0 and abs(a2) != 1:
            break
    c1, c2 = x0 + b1 * y0, a2 * x0 + b2 * y0
    dx, dy = c1 * b2 - c2 * b1, c2 - a2 * c1
    m1, k1 = Fraction(-1, b1), Fraction(c1, b1)
    m2, k2 = Fraction(-a2, b2), Fraction(c2, b2)
    ans = x0 + y0
    ctx = {
        "eq1": _lin(1, b1, c1),
        "eq2": _lin(a2, b2, c2),
        "x0": str(x0),
        "y0": str(y0),
        "b1": str(b1),
        "a2": str(a2),
        "b2": str(b2),
        "c1": str(c1),
        "c2": str(c2),
        "xexpr": f"x = {c1} {'-' if b1 > 0 else '+'} {'' if abs(b1) == 1 else abs(b1)}y",
        "sub_line": f"{a2}({c1} {'-' if b1 > 0 else '+'} {abs(b1)}y) "
        f"{'+' if b2 > 0 else '-'} {abs(b2)}y = {c2}",
        "a2c1": str(a2 * c1),
        "rhs_expr": _sum([c2, -a2 * c1]),
        "rhs": str(c2 - a2 * c1),
        "det": str(det),
        "det_p": _par(det),
        "negdet": str(-det),
        "eq1x": _lin(a2, a2 * b1, a2 * c1),
        "rhs2": str(a2 * c1 - c2),
        "back": f"x + {_par(b1)}({y0}) = {c1}",
        "dx": str(dx),
        "dy": str(dy),
        "D_expr": f"(1)({b2}) - ({a2})({b1})",
        "dx_expr": f"({c1})({b2}) - ({c2})({b1})",
        "dy_expr": f"(1)({c2}) - ({a2})({c1})",
        "negb1": str(-b1),
        "nega2": str(-a2),
        "m1": _num(m1),
        "k1": _num(k1),
        "m2": _num(m2),
        "k2": _num(k2),
        "dm": _num(m1 - m2),
        "dk": _num(k2 - k1),
        "line1": "y = " + _affine(m1, k1),
        "line2": "y = " + _affine(m2, k2),
        "meet": f"{_affine(m1, k1)} = {_affine(m2, k2)}",
        "yplug": _affine(m1, k1).replace("x", f"({x0})", 1),
        "sum_expr": f"{x0} + {_par(y0)}",
        "ans": str(ans),
    }
    return ctx, _wrongs(str(ans), [str(x0 - y0), str(ans + 1), str(-ans), str(x0)])


_LIN_FINAL = S(
    "Therefore x + y = {sum_expr} = {ans}.",
    "So x + y = {ans}.",
    "Adding, \\( x + y = {sum_expr} = {ans} \\).",
)

LINEAR = Family(
    name="linear_system",
    domain="algebra",
    make=_make_linear,
    restate=(
        "We have the system {eq1} and {eq2}, and we need x + y.",
        "We need to solve the system \\( {eq1} \\), \\( {eq2} \\) and report x + y.",
        "Given the two equations {eq1} and {eq2}, find the value of x + y.",
        "The system is:\n{eq1}\n{eq2}\nWe want x + y.",
    ),
    methods=(
        Method(
            "substitution",
            "substitution",
            0.85,
            (
                S(
                    "Let's use substitution.",
                    "I'll solve the first equation for x and substitute.",
                    "Substitution looks easiest since x has coefficient 1 in the first equation.",
                    p=0.8,
                ),
                S(
                    "From the first equation, {xexpr}.",
                    "Solving {eq1} for x: {xexpr}.",
                    "Isolate x in the first equation: \\( {xexpr} \\).",
                ),
                S(
                    "Substitute into the second equation: {sub_line}.",
                    "Plugging this into {eq2} gives \\( {sub_line} \\).",
                    "Now replace x in the second equation: {sub_line}.",
                ),
                S(
                    "Expanding and collecting y terms: {det}y = {rhs_expr} = {rhs}.",
                    "This simplifies to {a2c1} + ({det})y = {c2}, so ({det})y = {rhs}.",
                    "Collecting terms, the coefficient of y is {det} and the right side is {rhs}.",
                ),
                S(
                    "So y = {rhs} / {det_p} = {y0}.",
                    "Dividing, \\( y = {y0} \\).",
                    "Hence y = {y0}.",
                ),
                S(
                    "Then {xexpr} gives x = {x0}.",
                    "Back in the expression for x: x = {x0}.",
                    "Substituting y = {y0} back, x = {x0}.",
                ),
                _LIN_FINAL,
            ),
        ),
        Method(
            "elimination",
            "elimination",
            0.85,
            (
                S(
                    "Let's eliminate x.",
                    "I'll use elimination.",
                    "We can eliminate a variable by scaling and subtracting the equations.",
                    p=0.85,
                ),
                S(
                    "Multiply the first equation by {a2}: \\( {eq1x} \\).",
                    "Scaling the first equation by {a2} gives {eq1x}.",
                    "Multiplying {eq1} through by {a2}: {eq1x}.",
                ),
                S(
                    "Subtract the second equation from this: ({negdet})y = {rhs2}.",
                    "Subtracting {eq2} eliminates x and leaves \\( {negdet}y = {rhs2} \\).",
                    "Now subtract: the x terms cancel, leaving {negdet}y = {rhs2}.",
                ),
                S(
                    "So y = {y0}.",
                    "Thus \\( y = {rhs2} / ({negdet}) = {y0} \\).",
                    "Solving, y = {y0}.",
                ),
                S(
                    "Back-substituting into the first equation: {back}, so x = {x0}.",
                    "Put y = {y0} into {eq1}: {back}, which gives x = {x0}.",
                    "From the first equation, x = {c1} - ({b1})({y0}) = {x0}.",
                ),
                _LIN_FINAL,
            ),
        ),
        Method(
            "cramer",
            "Cramer's rule",
            0.75,
            (
                S(
                    "Let's use Cramer's rule.",
                    "I'll apply Cramer's rule with determinants.",
                    "Cramer's rule gives x and y directly as ratios of determinants.",
                ),
                S(
                    "The coefficient determinant is D = {D_expr} = {det}.",
                    "First, \\( D = \\begin{vmatrix} 1 & {b1} \\\\ {a2} & {b2} \\end{vmatrix} = "
                    "{det} \\).",
                    "Determinant of the coefficient matrix: {D_expr} = {det}.",
                ),
                S(
                    "Replacing the x column by the constants: D_x = {dx_expr} = {dx}.",
                    "\\( D_x = \\begin{vmatrix} {c1} & {b1} \\\\ {c2} & {b2} \\end{vmatrix} = {dx} \\).",
                    "For x, swap in the right-hand side: D_x = {dx}.",
                ),
                S(
                    "Replacing the y column: D_y = {dy_expr} = {dy}.",
                    "\\( D_y = \\begin{vmatrix} 1 & {c1} \\\\ {a2} & {c2} \\end{vmatrix} = {dy} \\).",
                    "For y: D_y = {dy}.",
                ),
                S(
                    "So x = D_x / D = {dx}/{det_p} = {x0} and y = D_y / D = {dy}/{det_p} = {y0}.",
                    "Then \\( x = \\frac{{dx}}{{det}} = {x0} \\) and \\( y = \\frac{{dy}}{{det}} = "
                    "{y0} \\).",
                    "Dividing by D: x = {x0}, y = {y0}.",
                ),
                _LIN_FINAL,
            ),
        ),
        Method(
            "matrix_inverse",
            "the inverse matrix",
            0.7,
            (
                S(
                    "Write the system in matrix form A v = c, with A = [[1, {b1}], [{a2}, {b2}]] and "
                    "c = ({c1}, {c2}).",
                    "In matrix form: \\( \\begin{pmatrix} 1 & {b1} \\\\ {a2} & {b2} \\end{pmatrix}"
                    "\\begin{pmatrix} x \\\\ y \\end{pmatrix} = \\begin{pmatrix} {c1} \\\\ {c2} "
                    "\\end{pmatrix} \\).",
                    "Let's treat it as a matrix equation and invert the coefficient matrix.",
                ),
                S(
                    "det A = {det}, which is nonzero, so A is invertible.",
                    "The determinant of A is {D_expr} = {det}.",
                    "Since det A = {det} ≠ 0, the inverse exists.",
                ),
                S(
                    "For a 2x2 matrix, A^(-1) = (1/{det}) [[{b2}, {negb1}], [{nega2}, 1]].",
                    "\\( A^{-1} = \\frac{1}{{det}} \\begin{pmatrix} {b2} & {negb1} \\\\ {nega2} & 1 "
                    "\\end{pmatrix} \\).",
                    "Swap the diagonal, negate the off-diagonal, divide by {det}: "
                    "A^(-1) = (1/{det})[[{b2}, {negb1}], [{nega2}, 1]].",
                ),
                S(
                    "Then (x, y) = A^(-1) c = (1/{det})({dx}, {dy}) = ({x0}, {y0}).",
                    "Multiplying A^(-1) by the constant vector gives ({dx}/{det_p}, {dy}/{det_p}) = "
                    "({x0}, {y0}).",
                    "So v = A^(-1) c, i.e. x = {x0} and y = {y0}.",
                ),
                _LIN_FINAL,
            ),
        ),
        Method(
            "graphing",
            "graphing the two lines",
            0.65,
            (
                S(
                    "Each equation is a line; the solution is where the lines intersect.",
                    "Let's think of this graphically, as two lines meeting at a point.",
                    "I'll put both lines in slope-intercept form and find the intersection.",
                ),
                S(
                    "The first line is \\( {line1} \\).",
                    "Solving the first equation for y: {line1}.",
                    "Line 1 has slope {m1} and intercept {k1}.",
                ),
                S(
                    "The second line is \\( {line2} \\).",
                    "From the second equation: {line2}.",
                    "Line 2 has slope {m2} and intercept {k2}.",
                ),
                S("The slopes differ, so the lines meet at exactly one point.", p=0.6),
                S(
                    "Setting them equal: ({dm})x = {dk}, so x = {x0}.",
                    "At the intersection {meet}, which gives x = {x0}.",
                    "Equating the right-hand sides, x = {x0}.",
                ),
                S(
                    "Then y = {yplug} = {y0}, so the lines cross at ({x0}, {y0}).",
                    "The intersection point is ({x0}, {y0}).",
                    "Plugging back in, y = {y0}.",
                ),
                _LIN_FINAL,
            ),
        ),
    ),
    checks=(
        "Check in the first equation: {x0} + ({b1})({y0}) = {c1}.",
        "Check in the second equation: {a2}({x0}) + ({b2})({y0}) = {c2}.",
        "Both equations hold with x = {x0}, y = {y0}.",
    ),
    digressions=(
        "The determinant is nonzero, so there is a unique solution.",
        "The question only asks for x + y, but we need both values anyway.",
        "I need to be careful with the negative coefficients.",
    ),
    setup=(
        "There are two unknowns, x and y, and two linear equations.",
        "Label them (1) {eq1} and (2) {eq2}.",
        "Once we know x and y, we just add them.",
    ),
)


# ---------------------------------------------------------------------------- counting


_CONTEXTS = (
    ("people", "person", "committee"),
    ("books", "book", "reading list"),
    ("toppings", "topping", "pizza"),
    ("students", "student", "team"),
    ("songs", "song", "playlist"),
)


def _make_counting(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    n = _int(rng, 7, 12)
    k = _int(rng, 3, min(5, n - 3))
    items, item, sel = _CONTEXTS[_int(rng, 0, len(_CONTEXTS) - 1)]
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
    return ctx, _wrongs(
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


# ---------------------------------------------------------------------------- geometry


_TRIPLES = (
    (3, 4, 5),
    (6, 8, 10),
    (5, 12, 13),
    (9, 12, 15),
    (8, 15, 17),
    (7, 24, 25),
    (20, 21, 29),
    (12, 16, 20),
    (15, 20, 25),
    (10, 24, 26),
    (12, 35, 37),
    (9, 40, 41),
)


def _make_geometry(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    a, b, c = _TRIPLES[_int(rng, 0, len(_TRIPLES) - 1)]
    if rng.random() < 0.5:
        a, b = b, a
    h = Fraction(a * b, c)
    dec = h.denominator in (1, 2, 4, 5, 10, 20, 25, 50)
    ctx = {
        "a": str(a),
        "b": str(b),
        "c": str(c),
        "a2": str(a * a),
        "b2": str(b * b),
        "c2": str(c * c),
        "ab": str(a * b),
        "area": _num(Fraction(a * b, 2)),
        "h": _num(h),
        "htex": _tex(h),
        "hdec": f" = {float(h):g}" if dec else "",
        "hq": _ratio(a * b, c),
        "hfrac": _ratio(a * b, c, tex=True),
        "ppq": _ratio(a * a, c),
        "qqq": _ratio(b * b, c),
        "pp": _num(Fraction(a * a, c)),
        "qq": _num(Fraction(b * b, c)),
        "pq": _num(h * h),
        "ans": _tex(h),
    }
    wrong = [Fraction(a * b, 2), Fraction(c, 2), Fraction(a * b), Fraction(a * b, a + b)]
    return ctx, _wrongs(ctx["ans"], [_tex(w) for w in wrong])


_HYP = S(
    "First, the hypotenuse: \\( c = \\sqrt{{a}^2 + {b}^2} = \\sqrt{{a2} + {b2}} = \\sqrt{{c2}} "
    "= {c} \\).",
    "By the Pythagorean theorem the hypotenuse is √({a2} + {b2}) = √{c2} = {c}.",
    "The hypotenuse is {c}, since {a}^2 + {b}^2 = {a2} + {b2} = {c2} = {c}^2.",
)
_GEO_FINAL = S(
    "So the altitude to the hypotenuse is {ans}.",
    "Therefore h = {ans}.",
    "The length of the altitude is \\( {ans} \\).",
)

GEOMETRY = Family(
    name="geometry",
    domain="geometry",
    make=_make_geometry,
    restate=(
        "A right triangle has legs {a} and {b}; we need the altitude from the right angle to the "
        "hypotenuse.",
        "We have a right triangle with legs of length {a} and {b}, and we want the length of the "
        "altitude to the hypotenuse.",
        "The legs of the right triangle are {a} and {b}. Find the height drawn to the hypotenuse.",
        "Let the right triangle have legs {a} and {b}; call the altitude to the hypotenuse h.",
    ),
    methods=(
        Method(
            "area_two_ways",
            "computing the area two ways",
            0.85,
            (
                S(
                    "I'll compute the area of the triangle in two different ways.",
                    "The key idea is that the area can be written using either leg pair or the "
                    "hypotenuse and its altitude.",
                    "Let's use the area.",
                    p=0.85,
                ),
                _HYP,
                S(
                    "Using the legs as base and height, the area is \\( \\frac{1}{2} \\cdot {a} "
                    "\\cdot {b} = {area} \\).",
                    "Area = (1/2)({a})({b}) = {area}.",
                    "The legs are perpendicular, so the area is {ab}/2 = {area}.",
                ),
                S(
                    "Using the hypotenuse as the base, the area is also (1/2) \\cdot {c} \\cdot h.",
                    "But the area also equals \\( \\frac{1}{2} \\cdot {c} \\cdot h \\), with h the "
                    "altitude.",
                    "Taking the hypotenuse as base instead, area = {c}h/2.",
                ),
                S(
                    "So {c}h/2 = {area}, which gives h = {hq}{hdec}.",
                    "Setting them equal: \\( h = {hfrac} \\).",
                    "Equating the two expressions, {c}h = {ab}, so h = {h}.",
                ),
                _GEO_FINAL,
            ),
        ),
        Method(
            "similar_triangles",
            "similar triangles",
            0.75,
            (
                S(
                    "The altitude to the hypotenuse splits the triangle into two smaller right "
                    "triangles, "
                    "each similar to the original.",
                    "Let's use similar triangles.",
                    "Drawing the altitude creates triangles similar to the whole one, by AA similarity.",
                ),
                _HYP,
                S(
                    "Take the small triangle that contains the leg of length {a} as its hypotenuse. It "
                    "shares an acute angle with the original triangle.",
                    "Compare the small triangle with hypotenuse {a} to the original triangle; they share "
                    "the angle at the end of that leg.",
                    "In the smaller triangle next to the leg {a}, the altitude h is the side opposite "
                    "the shared angle.",
                ),
                S(
                    "Matching corresponding sides, \\( h / {a} = {b} / {c} \\).",
                    "Corresponding sides are proportional: h / {a} = {b} / {c}.",
                    "So the ratio h : {a} equals {b} : {c}.",
                ),
                S(
                    "Therefore h = {a} \\cdot {b} / {c} = {h}{hdec}.",
                    "Solving, \\( h = \\frac{{a} \\cdot {b}}{{c}} = {htex} \\).",
                    "Cross-multiplying, {c}h = {ab}, so h = {h}.",
                ),
                _GEO_FINAL,
            ),
        ),
        Method(
            "coordinates",
            "coordinates",
            0.7,
            (
                S(
                    "Place the right angle at the origin with the legs along the axes: the vertices are "
                    "(0, 0), ({a}, 0) and (0, {b}).",
                    "Let's use coordinates. Put C = (0, 0), A = ({a}, 0), B = (0, {b}).",
                    "Set up coordinates with the right-angle vertex at the origin.",
                ),
                S(
                    "The hypotenuse lies on the line x/{a} + y/{b} = 1, i.e. {b}x + {a}y - {ab} = 0.",
                    "The line through ({a}, 0) and (0, {b}) is \\( {b}x + {a}y = {ab} \\).",
                    "Equation of the hypotenuse: {b}x + {a}y - {ab} = 0.",
                ),
                S(
                    "The altitude from the origin is the distance from (0, 0) to that line: "
                    "|{b} \\cdot 0 + {a} \\cdot 0 - {ab}| / √({b}^2 + {a}^2).",
                    "By the point-to-line distance formula, "
                    "\\( d = \\frac{|-{ab}|}{\\sqrt{{b2} + {a2}}} \\).",
                    "Distance from the origin to the line = {ab} / √({b2} + {a2}).",
                ),
                S(
                    "√({b2} + {a2}) = √{c2} = {c}, so the distance is {hq}{hdec}.",
                    "The denominator is \\( \\sqrt{{c2}} = {c} \\), giving \\( {htex} \\).",
                    "That is {hq}.",
                ),
                _GEO_FINAL,
            ),
        ),
        Method(
            "trigonometry",
            "trigonometry",
            0.7,
            (
                S(
                    "Let θ be the acute angle at the vertex where the leg {a} meets the hypotenuse.",
                    "I'll use trigonometry. Call θ the angle between the leg {a} and the hypotenuse.",
                    "Let's work with the angle θ between side {a} and the hypotenuse.",
                ),
                _HYP,
                S(
                    "Then sin θ = opposite/hypotenuse = {b}/{c}.",
                    "\\( \\sin\\theta = \\frac{{b}}{{c}} \\), since {b} is opposite θ.",
                    "In the big triangle, sin θ = {b}/{c}.",
                ),
                S(
                    "The altitude, the leg {a} and part of the hypotenuse form a right triangle with "
                    "angle "
                    "θ and hypotenuse {a}, so h = {a} sin θ.",
                    "In the small right triangle with hypotenuse {a}, the altitude is opposite θ, so "
                    "\\( h = {a}\\sin\\theta \\).",
                    "Dropping the altitude, h = {a} \\cdot sin θ.",
                ),
                S(
                    "Hence h = {a} \\cdot {b}/{c} = {h}{hdec}.",
                    "\\( h = {a} \\cdot \\frac{{b}}{{c}} = {htex} \\).",
                    "So h = {hq}.",
                ),
                _GEO_FINAL,
            ),
        ),
        Method(
            "projections",
            "the geometric mean relations",
            0.65,
            (
                S(
                    "The foot of the altitude divides the hypotenuse into two segments, the projections "
                    "of the legs.",
                    "Let's use the projections of the legs onto the hypotenuse.",
                    "The altitude to the hypotenuse is the geometric mean of the two segments it "
                    "creates.",
                ),
                _HYP,
                S(
                    "The projection of the leg {a} is {a}^2/{c} = {ppq}, and that of {b} is "
                    "{b}^2/{c} = {qqq}.",
                    "Segments: p = {ppq} and q = {qqq}.",
                    "Each leg squared equals the hypotenuse times its projection, so the segments are "
                    "{pp} and {qq}.",
                ),
                S(
                    "Check: {pp} + {qq} = {c}.",
                    "The two segments add up to the hypotenuse {c}.",
                    p=0.6,
                ),
                S(
                    "By the geometric mean relation, h^2 = p \\cdot q = {pq}.",
                    "\\( h^2 = pq = {pq} \\).",
                    "The altitude satisfies h^2 = {pp} \\cdot {qq} = {pq}.",
                ),
                S(
                    "So h = √({pq}) = {h}{hdec}.",
                    "Taking the square root, \\( h = {htex} \\).",
                    "Thus h = {h}.",
                ),
                _GEO_FINAL,
            ),
        ),
    ),
    checks=(
        "Check with the area: (1/2) \\cdot {c} \\cdot {h} = {area}, the same as (1/2) \\cdot "
        "{a} \\cdot {b}.",
        "The altitude {h} is shorter than both legs {a} and {b}, as it must be.",
        "Sanity check: h \\cdot {c} = {ab} = {a} \\cdot {b}.",
    ),
    digressions=(
        "This is a {a}-{b}-{c} right triangle.",
        "The altitude to the hypotenuse is always shorter than either leg.",
        "Drawing a quick sketch helps keep track of which segment is which.",
    ),
    setup=(
        "Let the legs be a = {a} and b = {b}, with the right angle between them.",
        "Call the hypotenuse c and the altitude to it h.",
        "The altitude goes from the right-angle vertex perpendicular to the hypotenuse.",
    ),
)


# ---------------------------------------------------------------------------- modular arithmetic


_MODULI = ((3, 5), (3, 7), (3, 11), (5, 7), (3, 13), (3, 17), (5, 11), (5, 13))


def _order(a: int, m: int) -> int:
    k, x = 1, a % m
    while x != 1:
        x, k = x * a % m, k + 1
    return k


def _make_modular(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    while True:
        p, q = _MODULI[_int(rng, 0, len(_MODULI) - 1)]
        m = p * q
        a = _int(rng, 2, m + 15)
        if math.gcd(a, m) == 1 and a % m not in (1, m - 1) and _order(a, m) <= 10:
            break
    n = _int(rng, 25, 150)
    ans = pow(a, n, m)
    order = _order(a, m)
    phi = (p - 1) * (q - 1)
    powers = ", ".join(f"{a}^{i} ≡ {pow(a, i, m)}" for i in range(1, order + 1))
    nr = n % order
    e = n % phi
    exact = a**e
    # a^e too big to write out: halve the exponent once, a^e ≡ (a^2 mod m)^(e/2) [· a].
    halved = f"{a}^{e} ≡ {a * a % m}^{e // 2}" + (f" \\cdot {a % m}" if e % 2 else "")
    bits = bin(n)[2:]
    sq, v, i = [], a % m, 0
    used = []
    while (1 << i) <= n:
        sq.append(f"{a}^{1 << i} ≡ {v}")
        if n >> i & 1:
            used.append((1 << i, v))
        v, i = v * v % m, i + 1
    kb = next(j for j in range(1, order + 1) if pow(a, j, m) in (1, m - 1))
    apk = a**kb
    plus = pow(a, kb, m) == 1
    t = (apk - 1) // m if plus else (apk + 1) // m
    sgn = 1 if plus or (n // kb) % 2 == 0 else -1
    rp, rq = ans % p, ans % q
    crt = [x for x in range(rp, m, p)]
    crt = crt[: crt.index(ans) + 1]
    ctx = {
        "a": str(a),
        "n": str(n),
        "m": str(m),
        "p": str(p),
        "q": str(q),
        "amod": str(a % m),
        "powers": powers,
        "order": str(order),
        "nq": str(n // order),
        "nr": str(nr),
        "pm1": str(p - 1),
        "qm1": str(q - 1),
        "phi": str(phi),
        "e": str(e),
        "apow_e": f"{a}^{e} = {exact}" if exact < 10**7 else halved,
        "bits": bits,
        "bin_sum": " + ".join(str(u) for u, _ in reversed(used)),
        "sq_chain": ", ".join(sq),
        "used_exps": " \\cdot ".join(f"{a}^{u}" for u, _ in reversed(used)),
        "used_vals": " \\cdot ".join(str(x) for _, x in reversed(used)),
        "kb": str(kb),
        "apk": str(apk),
        "t": str(t),
        "pm": "+" if plus else "-",
        "nq2": str(n // kb),
        "nr2": str(n % kb),
        "sgnval": str(sgn),
        "np_": str(n % (p - 1)),
        "nqq": str(n % (q - 1)),
        "amp": str(a % p),
        "amq": str(a % q),
        "rp": str(rp),
        "rq": str(rq),
        "crt_list": ", ".join(map(str, crt)),
        "ans": str(ans),
    }
    return ctx, _wrongs(
        str(ans),
        [
            str((ans + 1) % m),
            str(pow(a, n - 1, m)),
            str(m - ans),
            str(pow(a, nr + 1, m)),
            str((ans + 2) % m),
        ],
    )


_MOD_FINAL = S(
    "So the remainder when {a}^{n} is divided by {m} is {ans}.",
    "Therefore \\( {a}^{{n}} \\equiv {ans} \\pmod{{m}} \\).",
    "The remainder is {ans}.",
)

MODULAR = Family(
    name="modular",
    domain="number_theory",
    make=_make_modular,
    restate=(
        "We need the remainder when \\( {a}^{{n}} \\) is divided by {m}.",
        "Find {a}^{n} mod {m}.",
        "The problem asks for the remainder of {a}^{n} upon division by {m}.",
        "We want to compute \\( {a}^{{n}} \\bmod {m} \\), the remainder after dividing by {m}.",
    ),
    methods=(
        Method(
            "power_cycle",
            "the cycle of powers",
            0.8,
            (
                S(
                    "Let's look for a pattern in the powers of {a} modulo {m}.",
                    "Powers modulo {m} must eventually repeat, so let's find the cycle.",
                    "I'll compute successive powers of {a} mod {m} until they repeat.",
                ),
                S(
                    "Computing: {powers}.",
                    "The powers are: {powers}.",
                    "Working mod {m}: {powers}.",
                ),
                S(
                    "So {a}^{order} ≡ 1 and the powers repeat with period {order}.",
                    "The cycle length is {order}, since \\( {a}^{{order}} \\equiv 1 \\pmod{{m}} \\).",
                    "The pattern repeats every {order} steps.",
                ),
                S(
                    "Now {n} = {order} \\cdot {nq} + {nr}, so {a}^{n} ≡ {a}^{nr} (mod {m}).",
                    "Since {n} leaves remainder {nr} when divided by {order}, "
                    "\\( {a}^{{n}} \\equiv {a}^{{nr}} \\pmod{{m}} \\).",
                    "Reduce the exponent mod {order}: {n} mod {order} = {nr}.",
                ),
                S(
                    "From the list, that is {ans}.",
                    "Reading from the cycle gives {ans}.",
                    "So the power is congruent to {ans}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "euler_theorem",
            "Euler's theorem",
            0.8,
            (
                S(
                    "Since gcd({a}, {m}) = 1, Euler's theorem applies.",
                    "I'll use Euler's theorem: \\( a^{\\varphi(m)} \\equiv 1 \\pmod m \\) when "
                    "gcd(a, m) = 1.",
                    "The base is coprime to {m}, so we can reduce the exponent using Euler's theorem.",
                ),
                S(
                    "φ({m}) = φ({p}) \\cdot φ({q}) = {pm1} \\cdot {qm1} = {phi}.",
                    "Since {m} = {p} \\cdot {q}, \\( \\varphi({m}) = {pm1} \\cdot {qm1} = {phi} \\).",
                    "The totient is ({p} - 1)({q} - 1) = {phi}.",
                ),
                S(
                    "So {a}^{phi} ≡ 1 (mod {m}), and {n} mod {phi} = {e}.",
                    "Then \\( {a}^{{n}} \\equiv {a}^{{e}} \\pmod{{m}} \\) because {n} ≡ {e} (mod {phi}).",
                    "Reducing the exponent: {n} = {phi}k + {e}, so {a}^{n} ≡ {a}^{e}.",
                ),
                S(
                    "Computing {apow_e}, which leaves remainder {ans} mod {m}.",
                    "Now {apow_e}, and that is ≡ {ans} (mod {m}).",
                    "Finally, {apow_e} gives {ans} modulo {m}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "repeated_squaring",
            "repeated squaring",
            0.7,
            (
                S(
                    "Let's use repeated squaring.",
                    "I'll do binary exponentiation modulo {m}.",
                    "Fast exponentiation: write the exponent in binary and square repeatedly.",
                    p=0.85,
                ),
                S(
                    "In binary, {n} = {bits}_2, i.e. {n} = {bin_sum}.",
                    "The exponent is {n} = {bin_sum} (binary {bits}).",
                    "Write {n} as a sum of powers of 2: {bin_sum}.",
                ),
                S(
                    "Squaring repeatedly mod {m}: {sq_chain}.",
                    "Successive squares: {sq_chain}.",
                    "Now the squares modulo {m}: {sq_chain}.",
                ),
                S(
                    "Multiply the powers for the 1-bits: {used_exps} ≡ {used_vals} ≡ {ans} (mod {m}).",
                    "So \\( {a}^{{n}} = {used_exps} \\equiv {used_vals} \\equiv {ans} \\pmod{{m}} \\).",
                    "Combining the needed squares: {used_vals}, which reduces to {ans} mod {m}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "binomial",
            "the binomial theorem",
            0.75,
            (
                S(
                    "Notice that {a}^{kb} = {apk} = {t} \\cdot {m} {pm} 1.",
                    "A small power of {a} is close to a multiple of {m}: \\( {a}^{{kb}} = {apk} = "
                    "{t} \\cdot {m} {pm} 1 \\).",
                    "Let's find a power of {a} that is one away from a multiple of {m}: "
                    "{a}^{kb} = {apk} = {t}({m}) {pm} 1.",
                ),
                S(
                    "Then {a}^{n} = ({a}^{kb})^{nq2} \\cdot {a}^{nr2} = ({t} \\cdot {m} {pm} "
                    "1)^{nq2} \\cdot {a}^{nr2}.",
                    "Write \\( {a}^{{n}} = ({t} \\cdot {m} {pm} 1)^{{nq2}} \\cdot {a}^{{nr2}} \\).",
                    "So {a}^{n} = ({apk})^{nq2} \\cdot {a}^{nr2}.",
                ),
                S(
                    "Expanding with the binomial theorem, every term except the last contains a factor "
                    "of {m}, so ({t} \\cdot {m} {pm} 1)^{nq2} ≡ ({pm}1)^{nq2} = {sgnval} (mod {m}).",
                    "By the binomial theorem all terms but ({pm}1)^{nq2} are multiples of {m}, so that "
                    "factor is ≡ {sgnval}.",
                    "Binomial expansion: only the constant term survives mod {m}, giving {sgnval}.",
                ),
                S(
                    "Thus {a}^{n} ≡ {sgnval} \\cdot {a}^{nr2} ≡ {ans} (mod {m}).",
                    "Hence \\( {a}^{{n}} \\equiv {sgnval} \\cdot {a}^{{nr2}} \\equiv {ans} "
                    "\\pmod{{m}} \\).",
                    "Multiplying out, the result is {ans} mod {m}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "crt",
            "the Chinese remainder theorem",
            0.7,
            (
                S(
                    "Since {m} = {p} \\cdot {q} with coprime factors, work mod {p} and mod {q} "
                    "separately "
                    "and combine with the Chinese remainder theorem.",
                    "Let's split the modulus: {m} = {p} \\cdot {q}, then use CRT.",
                    "I'll compute the remainder modulo {p} and modulo {q} and glue them together.",
                ),
                S(
                    "Mod {p}: {a} ≡ {amp}, and by Fermat the exponent reduces mod {pm1}: {n} ≡ {np_}, "
                    "so {a}^{n} ≡ {amp}^{np_} ≡ {rp} (mod {p}).",
                    "Modulo {p}, Fermat's little theorem gives \\( {a}^{{n}} \\equiv {amp}^{{np_}} "
                    "\\equiv {rp} \\pmod{{p}} \\).",
                    "First mod {p}: the result is {rp}.",
                ),
                S(
                    "Mod {q}: {a} ≡ {amq}, the exponent reduces mod {qm1} to {nqq}, so "
                    "{a}^{n} ≡ {amq}^{nqq} ≡ {rq} (mod {q}).",
                    "Modulo {q}: \\( {a}^{{n}} \\equiv {amq}^{{nqq}} \\equiv {rq} \\pmod{{q}} \\).",
                    "Then mod {q}: the result is {rq}.",
                ),
                S(
                    "Now solve x ≡ {rp} (mod {p}), x ≡ {rq} (mod {q}). Candidates ≡ {rp} mod {p}: "
                    "{crt_list}; the last one is ≡ {rq} mod {q}.",
                    "We need x with x ≡ {rp} (mod {p}) and x ≡ {rq} (mod {q}); checking {crt_list} "
                    "gives x = {ans}.",
                    "Combining by CRT, the unique residue mod {m} is {ans}.",
                ),
                _MOD_FINAL,
            ),
        ),
    ),
    checks=(
        "Double-check via the cycle: {a}^{order} ≡ 1 (mod {m}), and {n} ≡ {nr} (mod {order}).",
        "Check: {ans} mod {p} = {rp} and {ans} mod {q} = {rq}, consistent with both moduli.",
        "Recomputing {a}^{nr} mod {m} directly gives the same remainder.",
    ),
    digressions=(
        "Computing {a}^{n} directly is hopeless, the number is enormous.",
        "Note that {a} and {m} are coprime, which is what makes this work.",
        "Remainders behave well under multiplication, so we can reduce at every step.",
    ),
    setup=(
        "The modulus is {m} = {p} \\cdot {q} and the base is {a}, which is coprime to {m}.",
        "We only care about the remainder, so we can reduce mod {m} at every step.",
        "The exponent {n} is large, so we need some structure.",
    ),
)


# ---------------------------------------------------------------------------- probability


def _make_probability(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    d = int(rng.choice([6, 6, 6, 8, 4]))
    s = _int(rng, d + 2, 2 * d - 1)
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
        "frac": _num(frac),
        "fractex": _tex(frac),
        "ans": _tex(frac),
    }
    wrong = [
        Fraction(cnt - ways(s), tot),
        Fraction(cnt + ways(s - 1), tot),
        Fraction(comp, tot),
        Fraction(cnt, tot - 1),
    ]
    return ctx, _wrongs(ctx["ans"], [_tex(w) for w in wrong])


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


# ---------------------------------------------------------------------------- arithmetic series


def _make_series(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    a, d, n = _int(rng, 1, 15), _int(rng, 2, 7), _int(rng, 8, 18)
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
        "avg": _num(Fraction(a + last, 2)),
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
    return ctx, _wrongs(str(total), [str(w) for w in wrong])


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


FAMILIES: dict[str, Family] = {
    f.name: f for f in (QUADRATIC, LINEAR, COUNTING, GEOMETRY, MODULAR, PROBABILITY, SERIES)
}


# ---------------------------------------------------------------------------- style pools
# Shared by every family. "RL" pools imitate what RL-trained reasoning models add: openers that
# talk to themselves, explicit re-checks, heavier connectives, a bolded final answer.

OPENERS_BASE = (
    "Let's solve this step by step.",
    "Let's work through this.",
    "Solution:",
    "Let's think step by step.",
)
OPENERS_RL = (
    "Okay, so I need to figure this out.",
    "Alright, let's tackle this step by step.",
    "Okay, let me think about this carefully.",
    "Let me start by understanding the problem.",
    "Okay, let's see.",
    "Hmm, okay.",
)
CONNECTIVES_BASE = ("So ", "Then ", "Now ", "Next, ")
CONNECTIVES_RL = (
    "So, ",
    "Now, ",
    "Alright, ",
    "Okay, so ",
    "Therefore, ",
    "Next, ",
    "Let me see. ",
    "Right, ",
    "Hmm, okay. ",
    "Then, ",
)
VERIFY = (
    "Wait, let me double-check that.",
    "Hmm, let me verify this step.",
    "Actually, let me re-examine that.",
    "Let me make sure that's right.",
    "Wait, is that right? Let me check again.",
    "Hold on, let me recompute this to be safe.",
)
CONFIRM = (
    "Yes, that's correct.",
    "Okay, that checks out.",
    "Good, that matches.",
    "Yes, same result.",
    "Okay, so that's consistent.",
)
AGAIN = (
    "Let me check that once more.",
    "Just to be extra careful, once more:",
    "And again, to be sure:",
)
CHECK_INTRO_BASE = ("",)  # the family check sentences already say "Check: ..."
CHECK_INTRO_RL = (
    "Let me verify the answer. ",
    "Let me double-check by plugging back in. ",
    "Just to be sure, let me verify. ",
    "Wait, let me make sure. ",
)
GENERIC_DIGRESSIONS = (
    "I should be careful with the signs here.",
    "It helps to write everything out explicitly.",
    "Let me keep the arithmetic organized.",
    "This is a fairly standard type of problem.",
)
ALT_MENTIONS = (
    "One could also use {alt} here, but this way is fine.",
    "(Alternatively, {alt} would work too.)",
    "I could try {alt} instead, but let's continue with this.",
)
FALSE_STARTS = (
    "Let me first try {alt}.",
    "My first thought is to use {alt}.",
    "Maybe {alt} works here.",
)
ABANDON = (
    "Hmm, that gets messy. Let me switch approaches.",
    "Actually, that's not the cleanest route. Let me do it differently.",
    "That seems harder than necessary, so let me try another way.",
)
LONG_RESTART = (
    "Let me go through the whole solution once more, more carefully.",
    "Let me redo this carefully to be sure nothing is off.",
    "To be thorough, let me write out each step again.",
    "Let me re-derive this from the start to make sure.",
)
ANSWER_BASE = (
    "The answer is \\boxed{{ans}}.",
    "The answer is \\boxed{{ans}}.",
    "Final answer: \\boxed{{ans}}",
    "So the answer is \\boxed{{ans}}.",
)
ANSWER_RL = (
    "The answer is \\boxed{{ans}}.",
    "**Final Answer**\n\\[\n\\boxed{{ans}}\n\\]",
    "So the final answer is \\boxed{{ans}}.",
)
