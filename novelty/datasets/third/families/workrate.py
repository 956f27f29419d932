"""Work-rate problems: pipes or workers together, possibly with a drain (domain: math)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from math import lcm
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, md_table, sentence


@dataclass(frozen=True)
class Work:
    a: int  # hours for A alone
    b: int  # hours for B alone
    c: int  # hours for the drain C to empty the full tank; 0 means no drain
    story: str  # "tank" or "painters"


def rate(w: Work) -> Fraction:
    r = Fraction(1, w.a) + Fraction(1, w.b)
    return r - Fraction(1, w.c) if w.c else r


def make(rng: Random) -> Work:
    a, b = rng.randint(2, 12), rng.randint(2, 15)
    if rng.random() < 0.5:
        t_ab = Fraction(a * b, a + b)
        c = rng.randint(int(t_ab) + 2, 30)
        return Work(a, b, c, "tank")
    return Work(a, b, 0, rng.choice(("tank", "painters")))


def solve(w: Work) -> Fraction:
    return 1 / rate(w)


def perturb(w: Work, rng: Random) -> Work:
    """Misread one of the times."""
    while True:
        field = rng.choice(("a", "b", "c") if w.c else ("a", "b"))
        v = replace(w, **{field: getattr(w, field) + rng.choice((-1, 1))})
        if min(v.a, v.b) >= 1 and (v.c == 0 or v.c >= 1) and rate(v) > 0:
            return v


def frac(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def tex(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else rf"\frac{{{x.numerator}}}{{{x.denominator}}}"


def hm(x: Fraction) -> str:
    """Hours and minutes, for readers who prefer clock time."""
    h = int(x)
    m = (x - h) * 60
    return f"{h} h {float(m):.1f} min" if m.denominator != 1 else f"{h} h {int(m)} min"


def show(w: Work, t: Fraction) -> str:
    return f"{frac(t)} hours"


def restate(w: Work, ph: Ph) -> str:
    if w.story == "painters":
        return sentence(
            ph.pick(
                f"One painter can paint a fence in {w.a} hours and another in {w.b} hours.",
                f"Painter A needs {w.a} hours for the fence alone; painter B needs {w.b}.",
                f"Working alone, A finishes the fence in {w.a} h and B in {w.b} h.",
            ),
            ph.pick(
                "How long does it take them working together?",
                "If they work together at their usual rates, how long will the job take?",
                "We want the time when both paint simultaneously.",
            ),
        )
    drain = (
        ph.pick(
            f" while a drain empties a full tank in {w.c} hours",
            f", but an open drain alone would empty it in {w.c} hours",
            f"; a leak at the bottom drains a full tank in {w.c} hours",
        )
        if w.c
        else ""
    )
    return sentence(
        ph.pick(
            f"Pipe A fills a tank in {w.a} hours and pipe B fills it in {w.b} hours{drain}.",
            f"A tank is filled by pipe A alone in {w.a} h, by pipe B alone in {w.b} h{drain}.",
            f"Two pipes fill the same tank in {w.a} and {w.b} hours respectively{drain}.",
        ),
        ph.pick(
            "Starting empty, with everything open, how long until the tank is full?",
            "If all are open at once, how long does it take to fill the empty tank?",
            "Find the time to fill the tank from empty with all of them running.",
        ),
    )


def render_rates(w: Work, ph: Ph) -> tuple[list[str], object]:
    """Add rates as fractions of the job per hour."""
    r = rate(w)
    expr = rf"\frac{{1}}{{{w.a}}} + \frac{{1}}{{{w.b}}}" + (
        rf" - \frac{{1}}{{{w.c}}}" if w.c else ""
    )
    t = 1 / r
    lines = [
        ph.pick(
            "Rates add: each one contributes its fraction of the job per hour"
            + (", and the drain subtracts." if w.c else "."),
            "Work in jobs per hour and sum the rates.",
            "Combined rate = sum of individual rates.",
        ),
        rf"$$r = {expr} = {tex(r)}$$",
        rf"$$T = \frac{{1}}{{r}} = \boxed{{{tex(t)}}} \text{{ hours}}$$",
        ph.maybe(f"That is about {hm(t)}.", 0.6),
    ]
    return [x for x in lines if x], t


def render_units(w: Work, ph: Ph) -> tuple[list[str], object]:
    """Pick a convenient job size (an LCM) so every rate is a whole number."""
    size = lcm(w.a, w.b, w.c) if w.c else lcm(w.a, w.b)
    ua, ub = size // w.a, size // w.b
    uc = size // w.c if w.c else 0
    net = ua + ub - uc
    t = Fraction(size, net)
    lines = [
        sentence(
            ph.pick(
                f"Imagine the job consists of {size} units, since {size} is divisible by every "
                "given time.",
                f"Let the whole job be {size} units (the least common multiple of the times).",
                f"Choose a job size of {size} units so that all hourly amounts are whole numbers.",
            ),
            ph.pick(
                f"Then A does {ua} units per hour and B does {ub}.",
                f"A manages {ua} units an hour, B {ub} units.",
            ),
            (
                ph.pick(f"The drain removes {uc} units per hour.", f"The leak undoes {uc} units/h.")
                if w.c
                else ""
            ),
        ),
        sentence(
            ph.pick(
                f"Together that is {net} units per hour.",
                f"Net progress is {net} units each hour.",
            ),
            ph.filler(),
            ph.pick(
                f"So the {size} units take {size}/{net} = {frac(t)} hours.",
                f"Dividing, {size} / {net} = {frac(t)} hours, i.e. {hm(t)}.",
            ),
        ),
    ]
    return lines, t


def render_hours(w: Work, ph: Ph) -> tuple[list[str], object]:
    """Track the filled fraction hour by hour, then finish the last partial hour."""
    r = rate(w)
    rows, done, h = [], Fraction(0), 0
    while done + r < 1:
        h += 1
        done += r
        rows.append([h, frac(r), frac(done)])
    rest = 1 - done
    part = rest / r
    t = h + part
    lines = [
        ph.pick(
            f"Each hour the net amount done is {frac(r)} of the job; track the running total.",
            "Hour-by-hour progress:",
            "Let's tabulate how much is done after each full hour.",
        ),
        md_table(["hour", "done this hour", "total done"], rows) if rows else "",
        ph.pick(
            f"After {h} full hours {frac(done)} is done; the remaining {frac(rest)} takes "
            f"{frac(rest)} / {frac(r)} = {frac(part)} h more, so {frac(t)} hours in total.",
            f"Remaining after hour {h}: {frac(rest)}, needing {frac(part)} of an hour. "
            f"Total {frac(t)} hours.",
        ),
    ]
    return [x for x in lines if x], t


def render_python(w: Work, ph: Ph) -> tuple[list[str], object]:
    """Exact fractions in Python."""
    drain = f" - Fraction(1, {w.c})" if w.c else ""
    src = f"""
from fractions import Fraction

rate = Fraction(1, {w.a}) + Fraction(1, {w.b}){drain}
time = 1 / rate
print(rate, time, float(time))
"""
    r = rate(w)
    t = 1 / r
    lines = [
        ph.pick(
            "Use exact fractions to avoid rounding:",
            "A couple of lines with the fractions module:",
            "Let me compute it exactly in Python.",
        ),
        code_block("python", src),
        ph.pick(
            f"This prints `{frac(r)} {frac(t)} {float(t):.4g}`.",
            f"Output: rate {frac(r)}, time {frac(t)} hours.",
            f"So the time is {frac(t)} h (about {float(t):.3g}).",
        ),
    ]
    return lines, t


def render_pairwise(w: Work, ph: Ph) -> tuple[list[str], object]:
    """Combine two at a time with the product-over-sum formula."""
    tab = Fraction(w.a * w.b, w.a + w.b)
    steps = [
        f"1. A and B together: {w.a} x {w.b} / ({w.a} + {w.b}) = {frac(tab)} hours "
        "(product over sum)."
    ]
    t = tab
    if w.c:
        t = tab * w.c / (w.c - tab)
        steps.append(
            f"2. Against the drain: T = T_AB x c / (c - T_AB) = {frac(tab)} x {w.c} / "
            f"({w.c} - {frac(tab)}) = {frac(t)} hours."
        )
    steps.append(f"{len(steps) + 1}. In clock time: {hm(t)}.")
    lines = [
        ph.pick(
            "Combine two at a time with the shortcut T = xy/(x+y):",
            "Use the pairwise formula step by step:",
            "Steps:",
        ),
        "\n".join(steps),
        ph.pick(f"So it takes {frac(t)} hours.", f"Result: {frac(t)} h.", f"T = {frac(t)} hours."),
    ]
    return lines, t


FAMILY = Family(
    key="workrate",
    domain="math",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("rate_sum", "mixed", 0.07, render_rates),
        Method("lcm_units", "prose", 0.10, render_units),
        Method("hourly_table", "table", 0.12, render_hours),
        Method("python_fractions", "code", 0.04, render_python),
        Method("pairwise_formula", "list", 0.09, render_pairwise),
    ),
)
