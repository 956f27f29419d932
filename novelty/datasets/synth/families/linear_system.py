"""x + y for a system of two linear equations (substitution, elimination, Cramer, matrix inverse,
graphing)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from novelty.datasets.synth.family import Ctx, Family, Method, S, uniform_int, wrong_answers
from novelty.datasets.synth.notation import affine, linear_eq, paren, plain, signed_sum


def _make_linear(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    nz = [v for v in range(-5, 6) if v != 0]
    while True:
        x0, y0 = uniform_int(rng, -6, 8), uniform_int(rng, -6, 8)
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
        "eq1": linear_eq(1, b1, c1),
        "eq2": linear_eq(a2, b2, c2),
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
        "rhs_expr": signed_sum([c2, -a2 * c1]),
        "rhs": str(c2 - a2 * c1),
        "det": str(det),
        "det_p": paren(det),
        "negdet": str(-det),
        "eq1x": linear_eq(a2, a2 * b1, a2 * c1),
        "rhs2": str(a2 * c1 - c2),
        "back": f"x + {paren(b1)}({y0}) = {c1}",
        "dx": str(dx),
        "dy": str(dy),
        "D_expr": f"(1)({b2}) - ({a2})({b1})",
        "dx_expr": f"({c1})({b2}) - ({c2})({b1})",
        "dy_expr": f"(1)({c2}) - ({a2})({c1})",
        "negb1": str(-b1),
        "nega2": str(-a2),
        "m1": plain(m1),
        "k1": plain(k1),
        "m2": plain(m2),
        "k2": plain(k2),
        "dm": plain(m1 - m2),
        "dk": plain(k2 - k1),
        "line1": "y = " + affine(m1, k1),
        "line2": "y = " + affine(m2, k2),
        "meet": f"{affine(m1, k1)} = {affine(m2, k2)}",
        "yplug": affine(m1, k1).replace("x", f"({x0})", 1),
        "sum_expr": f"{x0} + {paren(y0)}",
        "ans": str(ans),
    }
    return ctx, wrong_answers(str(ans), [str(x0 - y0), str(ans + 1), str(-ans), str(x0)])


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
