"""Day-of-week questions: given one date's weekday, find another's (domain: calendar)."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from dataclasses import dataclass, replace
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, md_table, sentence

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(cal.month_name)  # index 1..12
DOOMSDAY_DATES = {6: 6, 7: 11, 8: 8, 9: 5, 10: 10, 11: 7, 12: 12}


@dataclass(frozen=True)
class Dates:
    year: int
    start: dt.date  # its weekday is given
    target: dt.date


def make(rng: Random) -> Dates:
    year = rng.randint(2019, 2027)
    start = dt.date(year, rng.randint(1, 5), rng.randint(1, 28))
    target = dt.date(year, rng.randint(6, 12), rng.randint(1, 28))
    return Dates(year, start, target)


def solve(d: Dates) -> str:
    return DAYS[d.target.weekday()]


def perturb(d: Dates, rng: Random) -> Dates:
    """Misread the target day or month."""
    t = d.target
    if rng.random() < 0.6:
        return replace(d, target=t.replace(day=max(1, min(28, t.day + rng.choice((-2, -1, 1, 2))))))
    return replace(d, target=t.replace(month=min(12, max(6, t.month + rng.choice((-1, 1))))))


def show(d: Dates, day: str) -> str:
    return day


def nth(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt(x: dt.date) -> str:
    return f"{MONTHS[x.month]} {x.day}"


def restate(d: Dates, ph: Ph) -> str:
    wd = DAYS[d.start.weekday()]
    return sentence(
        ph.pick(
            f"In {d.year}, {fmt(d.start)} falls on a {wd}.",
            f"We are told that {fmt(d.start)}, {d.year} is a {wd}.",
            f"Given: {fmt(d.start)} {d.year} was a {wd}.",
        ),
        ph.pick(
            f"What day of the week is {fmt(d.target)} of the same year?",
            f"We need the weekday of {fmt(d.target)}, {d.year}.",
            f"On which day of the week does {fmt(d.target)} fall?",
        ),
    )


def _days_in(year: int, month: int) -> int:
    return cal.monthrange(year, month)[1]


def _shift(d: Dates, total: int) -> str:
    return DAYS[(d.start.weekday() + total) % 7]


def render_count(d: Dates, ph: Ph) -> tuple[list[str], object]:
    """Count the days between the dates month by month, then reduce mod 7."""
    s, t = d.start, d.target
    items = [
        f"- rest of {MONTHS[s.month]} after the {nth(s.day)}: {_days_in(d.year, s.month) - s.day}"
    ]
    total = _days_in(d.year, s.month) - s.day
    for m in range(s.month + 1, t.month):
        items.append(f"- {MONTHS[m]}: {_days_in(d.year, m)}")
        total += _days_in(d.year, m)
    items.append(f"- {MONTHS[t.month]} up to the {nth(t.day)}: {t.day}")
    total += t.day
    ans = _shift(d, total)
    lines = [
        ph.pick(
            "Count the days from the first date to the second:",
            "Let's add up the days in between, month by month:",
            "We tally the number of days elapsed:",
        ),
        "\n".join(items),
        sentence(
            ph.pick(
                f"Total: {total} days, and {total} = 7 x {total // 7} + {total % 7}.",
                f"That is {total} days in all, which leaves remainder {total % 7} mod 7.",
                f"So {total} days pass; {total} mod 7 = {total % 7}.",
            ),
            ph.pick(
                f"Moving {total % 7} days forward from {DAYS[s.weekday()]} gives {ans}.",
                f"{DAYS[s.weekday()]} plus {total % 7} is {ans}.",
            ),
        ),
    ]
    return lines, ans


def render_python(d: Dates, ph: Ph) -> tuple[list[str], object]:
    """Let the standard library do the date arithmetic."""
    src = f"""
import datetime as dt

start = dt.date({d.year}, {d.start.month}, {d.start.day})
target = dt.date({d.year}, {d.target.month}, {d.target.day})
names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
offset = (target - start).days
print(offset, names[(names.index("{DAYS[d.start.weekday()]}") + offset) % 7])
"""
    delta = (d.target - d.start).days
    ans = _shift(d, delta)
    lines = [
        ph.pick(
            "Python's datetime handles the month lengths for us.",
            "Easiest is to let code count the days.",
            "Here's a quick script using datetime:",
        ),
        code_block("python", src),
        ph.pick(f"Output: `{delta} {ans}`.", f"It prints `{delta} {ans}`.", f"We get {ans}."),
    ]
    return lines, ans


def render_shift(d: Dates, ph: Ph) -> tuple[list[str], object]:
    """Move the same day-of-month forward one month at a time, tracking the weekday drift."""
    s, t = d.start, d.target
    w = s.weekday()
    parts = [
        ph.pick(
            "A month of 31 days shifts a weekday by 3, a 30-day month by 2, "
            "and February (28 days) by 0.",
            "Each month moves the same date forward by (days in month) mod 7 weekdays.",
            "Key fact: the weekday of the same date advances by the month length modulo 7.",
        )
    ]
    for m in range(s.month, t.month):
        n = _days_in(d.year, m)
        w = (w + n) % 7
        parts.append(
            ph.pick(
                f"{MONTHS[m]} has {n} days, so {MONTHS[m + 1]} {s.day} is a {DAYS[w]}.",
                f"After {MONTHS[m]} ({n} days, shift {n % 7}), "
                f"{MONTHS[m + 1]} {s.day} is {DAYS[w]}.",
                f"Shift by {n % 7} for {MONTHS[m]}: {MONTHS[m + 1]} {s.day} lands on {DAYS[w]}.",
            )
        )
    gap = t.day - s.day
    w = (w + gap) % 7
    parts.append(
        ph.pick(
            f"Finally, going from the {nth(s.day)} to the "
            f"{nth(t.day)} moves {gap} days, giving {DAYS[w]}.",
            f"Then {gap:+d} days from {MONTHS[t.month]} {s.day} to {MONTHS[t.month]} {t.day} "
            f"gives {DAYS[w]}.",
        )
    )
    return [sentence(*parts[:3]), sentence(*parts[3:])], DAYS[w]


def render_ordinal(d: Dates, ph: Ph) -> tuple[list[str], object]:
    """Convert both dates to day-of-year numbers using a cumulative month table."""
    rows, before = [], 0
    cum = {}
    for m in range(1, d.target.month + 1):
        cum[m] = before
        rows.append([MONTHS[m], _days_in(d.year, m), before])
        before += _days_in(d.year, m)
    a = cum[d.start.month] + d.start.day
    b = cum[d.target.month] + d.target.day
    ans = _shift(d, b - a)
    lines = [
        ph.pick(
            f"Convert both dates to their day number within {d.year}.",
            "Use day-of-year ordinals; the cumulative month table helps:",
            "Let's compute ordinal dates from a table of month lengths.",
        ),
        md_table(["month", "days", "days before"], rows),
        ph.pick(
            f"{fmt(d.start)} is day {a} and {fmt(d.target)} is day {b}; "
            f"the difference {b - a} is {(b - a) % 7} mod 7, so the answer is {ans}.",
            f"Day {b} minus day {a} = {b - a} days, remainder {(b - a) % 7}, hence {ans}.",
            f"Ordinals {a} and {b} differ by {b - a}; shifting {DAYS[d.start.weekday()]} "
            f"by {(b - a) % 7} gives {ans}.",
        ),
    ]
    return lines, ans


def render_doomsday(d: Dates, ph: Ph) -> tuple[list[str], object]:
    """Conway's doomsday rule, computed from the year alone."""
    y = d.year % 100
    a, b = divmod(y, 12)
    c = b // 4
    dd = (2 + a + b + c) % 7  # 0 = Sunday; the 2000s anchor is Tuesday
    sun = ("Sunday", *DAYS[:6])
    ref = DOOMSDAY_DATES[d.target.month]
    w = (dd + d.target.day - ref) % 7
    ans = sun[w]
    lines = [
        ph.pick(
            "We can ignore the given date and use the doomsday rule directly.",
            "Conway's doomsday algorithm works from the year alone.",
            "Let me use the doomsday method (anchor day for 2000-2099 is Tuesday).",
        ),
        rf"$$y = {y},\quad \left\lfloor \frac{{{y}}}{{12}} \right\rfloor = {a},\quad "
        rf"{y} \bmod 12 = {b},\quad \left\lfloor \frac{{{b}}}{{4}} \right\rfloor = {c}$$",
        rf"$$\text{{doomsday}} = (2 + {a} + {b} + {c}) \bmod 7 = {dd} \;(\text{{{sun[dd]}}})$$",
        ph.pick(
            f"In {MONTHS[d.target.month]} the date {ref} is a doomsday, so "
            rf"${d.target.day} - {ref} \equiv {(d.target.day - ref) % 7} \pmod 7$.",
            f"{MONTHS[d.target.month]} {ref} is always a doomsday; the target is "
            f"{d.target.day - ref} days from it.",
        ),
        rf"$$\boxed{{\text{{{ans}}}}}$$",
    ]
    return lines, ans


FAMILY = Family(
    key="calendar",
    domain="calendar",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("day_count", "list", 0.10, render_count),
        Method("python_datetime", "code", 0.04, render_python),
        Method("month_shift", "prose", 0.12, render_shift),
        Method("ordinal_table", "table", 0.07, render_ordinal),
        Method("doomsday_rule", "mixed", 0.09, render_doomsday),
    ),
)
