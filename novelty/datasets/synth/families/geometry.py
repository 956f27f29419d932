"""The altitude to the hypotenuse of a right triangle (area two ways, similar triangles,
coordinates, trigonometry, the geometric-mean relations)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from novelty.datasets.synth.family import Ctx, Family, Method, S, uniform_int, wrong_answers
from novelty.datasets.synth.notation import latex, plain, ratio

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
    a, b, c = _TRIPLES[uniform_int(rng, 0, len(_TRIPLES) - 1)]
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
        "area": plain(Fraction(a * b, 2)),
        "h": plain(h),
        "htex": latex(h),
        "hdec": f" = {float(h):g}" if dec else "",
        "hq": ratio(a * b, c),
        "hfrac": ratio(a * b, c, tex=True),
        "ppq": ratio(a * a, c),
        "qqq": ratio(b * b, c),
        "pp": plain(Fraction(a * a, c)),
        "qq": plain(Fraction(b * b, c)),
        "pq": plain(h * h),
        "ans": latex(h),
    }
    wrong = [Fraction(a * b, 2), Fraction(c, 2), Fraction(a * b), Fraction(a * b, a + b)]
    return ctx, wrong_answers(ctx["ans"], [latex(w) for w in wrong])


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
