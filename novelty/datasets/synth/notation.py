"""How numbers and expressions are written in traces: fractions, signed sums, polynomials."""

from __future__ import annotations

from fractions import Fraction


def plain(x: int | Fraction) -> str:
    """Plain form: 5, -3, 5/2."""
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def latex(x: int | Fraction) -> str:
    """LaTeX form: 5, -\\frac{5}{2}."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    sign = "-" if x < 0 else ""
    return f"{sign}\\frac{{{abs(x.numerator)}}}{{{x.denominator}}}"


def paren(x: int | Fraction) -> str:
    """Parenthesise negatives for products: (-3)."""
    return f"({plain(x)})" if x < 0 else plain(x)


def signed_sum(values: list[int | Fraction]) -> str:
    """Signed sum as written by hand: 9 - 15 + 6."""
    out = plain(values[0])
    for v in values[1:]:
        out += f" - {plain(-v)}" if v < 0 else f" + {plain(v)}"
    return out


def poly(a: int, b: int, c: int) -> str:
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


def shift(h: int | Fraction, var: str = "x") -> str:
    """var - h: x - 5/2, x + 3."""
    if h == 0:
        return var
    return f"{var} - {plain(h)}" if h > 0 else f"{var} + {plain(-h)}"


def linear_eq(a: int, b: int, c: int) -> str:
    """ax + by = c: 2x - y = 4."""
    head = ("-" if a < 0 else "") + ("" if abs(a) == 1 else str(abs(a))) + "x"
    tail = ("" if abs(b) == 1 else str(abs(b))) + "y"
    return f"{head} {'-' if b < 0 else '+'} {tail} = {c}"


def affine(m: Fraction, k: Fraction) -> str:
    """m x + k with readable signs: x - 9, -2x + 9, (1/5)x - 19/5."""
    if m in (1, -1):
        head = "-x" if m < 0 else "x"
    elif m.denominator == 1:
        head = f"{m}x"
    else:
        head = f"-({plain(-m)})x" if m < 0 else f"({plain(m)})x"
    if k == 0:
        return head
    return f"{head} - {plain(-k)}" if k < 0 else f"{head} + {plain(k)}"


def ratio(num: int, den: int, *, tex: bool = False) -> str:
    """num/den as first written, then reduced when it reduces: 48/10 = 24/5, 420/37."""
    raw = f"\\frac{{{num}}}{{{den}}}" if tex else f"{num}/{den}"
    value = Fraction(num, den)
    if value.denominator == den:
        return raw
    return f"{raw} = {latex(value) if tex else plain(value)}"
