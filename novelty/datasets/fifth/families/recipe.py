"""Recipe scaling with a unit conversion and whole packs to buy (rounding up).

Methods: per-serving rate, scale-factor chain, a ratio table, a short program, and a
dimensional-analysis chain written as a LaTeX align block.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

from ..core import Family, Instance, Method, Pen, wrong_answers

# ingredient, measure, grams or ml per measure, base unit, pack sizes
INGREDIENTS = (
    ("flour", "cup", 125, "g", (500, 1000, 1500)),
    ("sugar", "cup", 200, "g", (500, 1000)),
    ("butter", "tbsp", 15, "g", (250, 500)),
    ("milk", "cup", 250, "ml", (500, 1000)),
    ("rice", "cup", 185, "g", (1000, 2000)),
    ("rolled oats", "cup", 90, "g", (500, 750)),
)
DISHES = ("pancakes", "flapjacks", "risotto", "shortbread", "porridge", "crumble", "muffins")


def qty(x: Fraction) -> str:
    """A kitchen-style mixed number: 1 1/2, 3/4, 2."""
    whole, frac = divmod(x, 1)
    if frac == 0:
        return str(whole)
    if whole == 0:
        return f"{frac.numerator}/{frac.denominator}"
    return f"{whole} {frac.numerator}/{frac.denominator}"


def num(x: Fraction) -> str:
    """A decimal with at most two places, trailing zeros dropped."""
    s = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return s


def make(rng: random.Random) -> Instance:
    """Draw a recipe line, a target headcount and a pack size."""
    while True:
        name, measure, conv, unit, packs = rng.choice(INGREDIENTS)
        q = Fraction(rng.randint(2, 16), 4) if measure == "cup" else Fraction(rng.randint(2, 12))
        s = rng.choice([4, 6, 8, 10, 12])
        t = rng.randint(3, 15) * s + rng.choice([0, 0, s // 2, 1, 3])
        pack = rng.choice(packs)
        total = q * t / s * conv
        ans = math.ceil(total / pack)
        if ans >= 2:
            break
    dish = rng.choice(DISHES)
    plural = measure + ("s" if q != 1 and measure == "cup" else "")
    prompt = (
        f"A {dish} recipe for {s} people needs {qty(q)} {plural} of {name} "
        f"(1 {measure} of {name} = {conv} {unit}). You are cooking for {t} people and {name} "
        f"comes in {pack} {unit} packs. How many packs must you buy?"
    )
    cands = [
        math.floor(total / pack),
        ans + 1,
        math.ceil(q * t / s),
        math.ceil(q * t * conv / pack),
    ]
    data = {"name": name, "measure": measure, "conv": conv, "unit": unit, "q": q, "s": s}
    data.update({"t": t, "pack": pack, "total": total})
    return Instance(prompt, str(ans), wrong_answers(ans, cands), data, unit="packs")


def verify(inst: Instance) -> str:
    """Integer arithmetic: smallest k with k·pack·s >= q·t·conv."""
    d = inst.data
    need = d["q"] * d["t"] * d["conv"]
    k = 0
    while k * d["pack"] * d["s"] < need:
        k += 1
    return str(k)


def _u(d: dict) -> tuple[str, str, int, str, Fraction, int, int, int, Fraction]:
    return (
        d["name"],
        d["measure"],
        d["conv"],
        d["unit"],
        d["q"],
        d["s"],
        d["t"],
        d["pack"],
        d["total"],
    )


def per_serving(inst: Instance, pen: Pen, ans: str) -> None:
    """Amount per person first, then multiply."""
    name, meas, conv, unit, q, s, t, pack, total = _u(inst.data)
    per = q * conv / s
    pen.say(
        pen.pick("Work out one portion.", "Per person first.", "Start from a single serving."),
        f"{qty(q)} {meas} is {num(q * conv)} {unit} of {name}, shared by {s} people, "
        f"so each person gets {num(per)} {unit}.",
    )
    pen.say(
        f"For {t} people that is {t} × {num(per)} = {num(total)} {unit}.",
        f"Dividing by the {pack} {unit} pack gives {num(total / pack)}, and since you can't buy "
        f"part of a pack you round up to {ans}.",
    )


def scale_chain(inst: Instance, pen: Pen, ans: str) -> None:
    """Scale factor, scaled measure, convert, pack count."""
    name, meas, conv, unit, q, s, t, pack, total = _u(inst.data)
    f = Fraction(t, s)
    steps = [
        f"scale factor = {t}/{s} = {num(f)}",
        f"{name}: {qty(q)} {meas} × {num(f)} = {num(q * f)} {meas}",
        f"in {unit}: {num(q * f)} × {conv} = {num(total)} {unit}",
        f"packs: {num(total)} / {pack} = {num(total / pack)} -> round up -> {ans}",
    ]
    pen.say(pen.pick("Scale the recipe:", "Scale factor approach.", ""))
    pen.lines(steps, ("-", "1.", "", "*"))


def ratio_table(inst: Instance, pen: Pen, ans: str) -> None:
    """A ratio table from the recipe size to the target headcount."""
    _name, meas, conv, unit, q, s, t, pack, total = _u(inst.data)
    rows = [[s, qty(q), num(q * conv)], [1, num(q / s), num(q * conv / s)]]
    if t % s == 0:
        rows.insert(1, [s * 2, qty(q * 2), num(q * 2 * conv)])
    rows.append([t, num(q * t / s), num(total)])
    pen.say(pen.pick("Ratio table:", "Build a small ratio table.", "Table of amounts:"))
    pen.table(["people", meas + "s", unit], rows, ("md", "aligned", "csv", "json"))
    pen.say(
        f"{num(total)} {unit} ÷ {pack} = {num(total / pack)} packs",
        pen.pick(f"-> need {ans}.", f"so buy {ans} (round up).", f"=> {ans} packs."),
    )


def program(inst: Instance, pen: Pen, ans: str) -> None:
    """The same quantities pushed through a few lines of code."""
    name, _meas, conv, unit, q, s, t, pack, total = _u(inst.data)
    lang = pen.pick("r", "python", "bash")
    qv = num(q)
    if lang == "r":
        src = f"""per_batch <- {qv} * {conv}      # {unit} of {name} for {s} people
needed    <- per_batch * {t} / {s}
packs     <- ceiling(needed / {pack})
cat(needed, packs, "\\n")"""
        out = f"{num(total)} {inst.answer}"
    elif lang == "python":
        src = f"""import math
grams = {qv} * {conv} * {t} / {s}
print(round(grams, 2), math.ceil(grams / {pack}))"""
        out = f"{num(total)} {inst.answer}"
    else:
        src = f"""need=$(echo "{qv} * {conv} * {t} / {s}" | bc -l)
echo "$need"
python3 -c "import math; print(math.ceil($need / {pack}))\""""
        out = f"{float(total):.10f}\n{inst.answer}"
    pen.code(lang, src, out)
    pen.say(pen.pick(f"So {ans} packs.", f"Answer {ans}.", f"Need {ans}."))


def dimensional(inst: Instance, pen: Pen, ans: str) -> None:
    """One chained unit conversion in a LaTeX align block."""
    _name, meas, conv, unit, q, s, t, pack, total = _u(inst.data)
    qv = num(q)
    u = unit
    src = (
        "\\begin{align*}\n"
        f"{t}\\,\\text{{people}} \\times \\frac{{{qv}\\,\\text{{{meas}}}}}"
        f"{{{s}\\,\\text{{people}}}}\n"
        f"  &= {num(q * t / s)}\\,\\text{{{meas}}} \\\\\n"
        f"  &= {num(q * t / s)} \\times {conv}\\,\\text{{{u}}}"
        f" = {num(total)}\\,\\text{{{u}}} \\\\\n"
        f"  &= \\frac{{{num(total)}}}{{{pack}}}\\,\\text{{packs}} = {num(total / pack)}"
        "\\,\\text{packs}\n"
        "\\end{align*}"
    )
    pen.say(pen.pick("Dimensional analysis:", "Chain the units so they cancel:", ""))
    pen.raw(src)
    pen.say(pen.pick(f"Round up: {ans}.", f"Whole packs only, so {ans}.", f"⌈…⌉ = {ans}."))


def checks(inst: Instance) -> list[str]:
    """Re-checks of the pack count."""
    _name, meas, conv, unit, q, s, t, pack, total = _u(inst.data)
    k = int(inst.answer)
    return [
        f"{k} packs hold {k * pack} {unit} ≥ {num(total)} {unit}, and {k - 1} would hold only "
        f"{(k - 1) * pack} {unit}.",
        f"Per person {num(q * conv / s)} {unit}; times {t} is {num(total)}.",
        f"{num(Fraction(t, s))} batches of {qty(q)} {meas} each, {num(total)} {unit} overall.",
    ]


FAMILY = Family(
    key="recipe",
    domain="units",
    make=make,
    verify=verify,
    methods=(
        Method("per_serving_rate", "prose", per_serving),
        Method("scale_factor_chain", "list", scale_chain),
        Method("ratio_table", "table", ratio_table),
        Method("scaling_program", "code", program),
        Method("dimensional_analysis", "list", dimensional),
    ),
    checks=checks,
    asides=(
        "Leftover in the last pack is fine; running short is not.",
        "The conversion is given, so no need to guess cup weights.",
        "Rounding only happens at the very end.",
    ),
)
