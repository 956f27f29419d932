"""Physics and units: average speed over a trip made of legs at different speeds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from .._text import bullet, dec, fence, frac, lines, md_table, pick, plus, say
from .._types import Family, Method

_WHO = (
    "A courier van",
    "A cyclist",
    "A delivery drone",
    "A ferry",
    "A regional train",
    "A tractor",
)
_SPEEDS = (12, 15, 18, 20, 24, 30, 36, 40, 45, 48, 50, 54, 60, 72, 75, 80, 90)
_MINUTES = (10, 12, 15, 20, 24, 30, 36, 40, 45, 50, 60, 75, 90)


@dataclass(frozen=True)
class Trip:
    who: str
    d: tuple[int, ...]  # km
    v: tuple[int, ...]  # km/h
    t: tuple[int, ...]  # minutes
    avg: Fraction
    answer: str
    decoys: tuple[str, ...]


def make(rng: random.Random) -> Trip:
    """Two or three legs whose distances are whole kilometres."""
    legs: list[tuple[int, int]] = []
    n = rng.choice((2, 2, 3))
    while len(legs) < n:
        v, t = rng.choice(_SPEEDS), rng.choice(_MINUTES)
        if v * t % 60 == 0 and (not legs or v != legs[-1][0]):
            legs.append((v, t))
    v = tuple(x[0] for x in legs)
    t = tuple(x[1] for x in legs)
    d = tuple(a * b // 60 for a, b in legs)
    avg = Fraction(sum(d) * 60, sum(t))
    mean = Fraction(sum(v), len(v))
    decoys = tuple(
        dict.fromkeys(f"{dec(x)} km/h" for x in (mean, avg + 2, avg - 3) if dec(x) != dec(avg))
    )
    return Trip(rng.choice(_WHO), d, v, t, avg, f"{dec(avg)} km/h", decoys)


def describe(tr: Trip) -> str:
    legs = ", then ".join(f"{d} km at {v} km/h" for d, v in zip(tr.d, tr.v, strict=True))
    return (
        f"{tr.who} covers {legs}. What is its average speed over the whole trip, "
        "in km/h (to two decimals)?"
    )


def _leg_table(tr: Trip, rng: random.Random) -> list[str]:
    rows = [
        [k + 1, d, v, frac(Fraction(d, v)), t]
        for k, (d, v, t) in enumerate(zip(tr.d, tr.v, tr.t, strict=True))
    ]
    hours = Fraction(sum(tr.t), 60)
    rows.append(["total", sum(tr.d), "", frac(hours), sum(tr.t)])
    return [
        pick(rng, ("Time per leg is distance over speed:", "Tabulate the legs:")),
        md_table(["leg", "km", "km/h", "hours", "minutes"], rows),
        f"Average = total distance / total time = {sum(tr.d)} / {frac(hours)} "
        f"= {dec(tr.avg, 2)} km/h.",
    ]


def _harmonic_prose(tr: Trip, rng: random.Random) -> list[str]:
    total = sum(tr.d)
    shares = [Fraction(d, total) for d in tr.d]
    terms = [frac(s / v) for s, v in zip(shares, tr.v, strict=True)]
    inv = sum(s / v for s, v in zip(shares, tr.v, strict=True))
    mean = Fraction(sum(tr.v), len(tr.v))
    return [
        pick(
            rng,
            (
                "Average speed is a distance-weighted harmonic mean, not the plain mean.",
                "Careful: averaging the speeds directly is wrong here.",
            ),
        ),
        say(
            f"The plain mean would be {dec(mean)}, but the slow legs take longer.",
            "Each leg's share of the distance is "
            + ", ".join(f"{d}/{total} = {frac(s)}" for d, s in zip(tr.d, shares, strict=True))
            + ".",
            f"Then 1/avg = sum of share/speed = {' + '.join(terms)} = {frac(inv)} h per km,",
            f"so the average is {frac(1 / inv)} = {dec(tr.avg, 2)} km/h.",
        ),
    ]


def _si_list(tr: Trip, rng: random.Random) -> list[str]:
    b, rows = bullet(rng), []
    for k, (d, v, t) in enumerate(zip(tr.d, tr.v, tr.t, strict=True)):
        ms = Fraction(v * 1000, 3600)
        rows.append(
            f"{b}leg {k + 1}: {d} km = {d * 1000} m; {v} km/h = {dec(ms)} m/s; "
            f"time = {d * 1000} / {dec(ms)} = {t * 60} s"
        )
    m, s = sum(tr.d) * 1000, sum(tr.t) * 60
    rows.append(f"{b}total: {m} m in {s} s -> {dec(Fraction(m, s))} m/s")
    rows.append(f"{b}back to km/h: {dec(Fraction(m, s))} x 3.6 = {dec(tr.avg, 2)}")
    return [
        pick(rng, ("Convert everything to SI units first:", "In metres and seconds:")),
        lines(rows),
    ]


def _sheet_code(tr: Trip, rng: random.Random) -> list[str]:
    n = len(tr.d)
    cells = ["A1: leg   B1: km   C1: km/h   D1: hours"]
    for k, (d, v) in enumerate(zip(tr.d, tr.v, strict=True)):
        r = k + 2
        cells.append(
            f"A{r}: {k + 1}   B{r}: {d}   C{r}: {v}   D{r}: =B{r}/C{r}"
            f"   -> {dec(Fraction(d, v), 4)}"
        )
    cells.append(f"F1: avg   F2: =SUM(B2:B{n + 1})/SUM(D2:D{n + 1})   -> {dec(tr.avg, 4)}")
    return [
        pick(rng, ("In a spreadsheet:", "Set it up as sheet formulas:")),
        fence(rng, "", "\n".join(cells), p_fence=0.5),
        f"F2 shows {dec(tr.avg, 2)}.",
    ]


def _awk_code(tr: Trip, rng: random.Random) -> list[str]:
    data = "\\n".join(f"{d} {v}" for d, v in zip(tr.d, tr.v, strict=True))
    code = (
        f"printf '{data}\\n' | awk '{{ d += $1; t += $1 / $2 }} "
        'END { printf "%.2f\\n", d / t }\''
    )
    return [
        pick(rng, ("One line of shell (distance and speed per leg):", "With awk:")),
        fence(rng, "sh", code),
        say(f"prints {float(tr.avg):.2f}.", pick(rng, ("", "d is km, t is hours."))),
    ]


def checks(tr: Trip, rng: random.Random) -> list[str]:
    return [
        f"total distance {plus(tr.d)} = {sum(tr.d)} km, total time {plus(tr.t)} = {sum(tr.t)} min.",
        f"{sum(tr.d)} km in {sum(tr.t)} min is {sum(tr.d)} x 60 / {sum(tr.t)} = "
        f"{dec(tr.avg, 2)} km/h.",
        f"it lies between the slowest and fastest speeds ({min(tr.v)} and {max(tr.v)}).",
    ]


FAMILY = Family(
    key="avg_speed",
    domain="physics",
    goal="the average speed",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "1 km/h is 1000 m per 3600 s, i.e. divide by 3.6 to get m/s.",
        "The slow leg dominates because more time is spent on it.",
        "Units: distances in km, speeds in km/h, so times come out in hours.",
    ),
    methods=(
        Method("leg_table", "table", _leg_table),
        Method("harmonic_prose", "prose", _harmonic_prose),
        Method("si_list", "list", _si_list),
        Method("sheet_code", "code", _sheet_code),
        Method("awk_code", "code", _awk_code),
    ),
)
