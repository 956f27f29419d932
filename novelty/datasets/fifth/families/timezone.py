"""Flight arrival time across time zones (fixed UTC offsets, including half-hour ones).

Methods: convert via UTC, shift by the offset difference first, a timeline table, minutes
arithmetic in code, and a clock-counting step log that adds the flight in local time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from ..core import Family, Instance, Method, Pen, wrong_answers

CITIES = (
    ("Lisbon", 0),
    ("Berlin", 60),
    ("Athens", 120),
    ("Dubai", 240),
    ("Mumbai", 330),
    ("Kathmandu", 345),
    ("Singapore", 480),
    ("Tokyo", 540),
    ("Adelaide", 570),
    ("Auckland", 720),
    ("Honolulu", -600),
    ("Los Angeles", -420),
    ("Denver", -360),
    ("Chicago", -300),
    ("New York", -240),
    ("Sao Paulo", -180),
    ("St. John's", -150),
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def fmt_off(m: int) -> str:
    """UTC offset in minutes as 'UTC+5:30' / 'UTC-7'."""
    sign = "+" if m >= 0 else "-"
    h, mm = divmod(abs(m), 60)
    return f"UTC{sign}{h}" + (f":{mm:02d}" if mm else "")


def clock(week_min: int) -> str:
    """Minutes since Monday 00:00 as 'Tuesday 07:45'."""
    day, rest = divmod(week_min % (7 * 1440), 1440)
    return f"{DAYS[day]} {rest // 60:02d}:{rest % 60:02d}"


def hm(m: int) -> str:
    """Signed minutes as '+3h30m'."""
    sign = "+" if m >= 0 else "-"
    h, mm = divmod(abs(m), 60)
    return f"{sign}{h}h" + (f"{mm:02d}m" if mm else "")


def make(rng: random.Random) -> Instance:
    """Draw two cities, a departure and a flight time."""
    (src, a), (dst, b) = rng.sample(CITIES, 2)
    day = rng.randrange(7)
    dep = day * 1440 + rng.randrange(0, 24 * 12) * 5
    dur = rng.randint(1, 16) * 60 + rng.randrange(0, 12) * 5
    arr = dep + dur + (b - a)
    ans = clock(arr)
    prompt = (
        f"A flight leaves {src} ({fmt_off(a)}) on {clock(dep)} local time and is in the air "
        f"for {dur // 60} h {dur % 60:02d} min. What are the local day and time in {dst} "
        f"({fmt_off(b)}) when it lands? Use the fixed offsets given."
    )
    cands = [
        clock(dep + dur - (b - a)),
        clock(dep + dur),
        clock(arr + 60),
        clock(arr - 1440),
        clock(arr + 1440),
    ]
    data = {"src": src, "dst": dst, "a": a, "b": b, "dep": dep, "dur": dur, "arr": arr}
    return Instance(prompt, ans, wrong_answers(ans, cands), data)


def verify(inst: Instance) -> str:
    """Recompute with timezone-aware datetimes (1 January 2024 was a Monday)."""
    d = inst.data
    base = datetime(2024, 1, 1, tzinfo=timezone(timedelta(minutes=d["a"])))
    leave = base + timedelta(minutes=d["dep"])
    land = (leave + timedelta(minutes=d["dur"])).astimezone(timezone(timedelta(minutes=d["b"])))
    return f"{DAYS[land.weekday()]} {land:%H:%M}"


def _parts(inst: Instance) -> tuple[str, str, int, int, int, int]:
    d = inst.data
    return d["src"], d["dst"], d["a"], d["b"], d["dep"], d["dur"]


def via_utc(inst: Instance, pen: Pen, ans: str) -> None:
    """Departure to UTC, add the flight, UTC to destination."""
    src, dst, a, b, dep, dur = _parts(inst)
    utc_dep = dep - a
    steps = [
        f"depart {clock(dep)} {src} = {clock(utc_dep)} UTC ({hm(-a)})",
        f"+ flight {dur // 60}h{dur % 60:02d}m -> lands {clock(utc_dep + dur)} UTC",
        f"UTC -> {dst}: {hm(b)} -> {ans}",
    ]
    pen.say(pen.pick("Go through UTC.", "Convert everything to UTC first.", "Via UTC:"))
    pen.lines(steps, ("1.", "-", "", "1)"))
    pen.say(pen.pick(f"Landing: {ans} local.", f"So it lands {ans} {dst} time."))


def offset_first(inst: Instance, pen: Pen, ans: str) -> None:
    """Combine the zone difference with the flight time, then add once."""
    src, dst, a, b, dep, dur = _parts(inst)
    diff = b - a
    eff = dur + diff
    ahead = "ahead of" if diff > 0 else "behind"
    pen.say(
        f"{dst} is {abs(diff) // 60} h"
        + (f" {abs(diff) % 60} min" if abs(diff) % 60 else "")
        + f" {ahead} {src}.",
        pen.pick(
            "So the clocks jump by that amount on top of the flight time.",
            "I can fold that into the duration.",
        ),
        f"Effective change on the clock: {dur // 60}h{dur % 60:02d}m {hm(diff)} = {hm(eff)}.",
    )
    pen.say(
        f"Starting from {clock(dep)} and moving the clock {hm(eff)} gives {ans}.",
        pen.pick(
            "The day changes only if we cross midnight, which I accounted for.",
            "",
            "Watch the weekday when crossing midnight.",
        ),
    )


def timeline(inst: Instance, pen: Pen, ans: str) -> None:
    """A table with each event read on three clocks."""
    src, dst, a, b, dep, dur = _parts(inst)
    land = dep + dur
    rows = [
        ["departure", clock(dep), clock(dep - a), clock(dep - a + b)],
        ["arrival", clock(land), clock(land - a), ans],
    ]
    pen.say(pen.pick("Timeline on all three clocks:", "Put both events on each clock."))
    pen.table(["event", src, "UTC", dst], rows, ("md", "aligned", "csv", "yaml"))
    pen.say(pen.pick(f"The {dst} column gives {ans}.", f"Arrival, {dst} clock: {ans}."))


def minutes_code(inst: Instance, pen: Pen, ans: str) -> None:
    """Minutes-of-week arithmetic in a short program."""
    _src, _dst, a, b, dep, dur = _parts(inst)
    day, rest = divmod(dep, 1440)
    lang = pen.pick("python", "c", "javascript", "bash")
    v = pen.pick("t", "mins", "m")
    out = inst.answer
    if lang == "python":
        code = f"""DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
{v} = {day} * 1440 + {rest // 60} * 60 + {rest % 60}   # departure, minutes into the week
{v} += {dur}                 # flight
{v} += ({b}) - ({a})        # zone difference in minutes
{v} %= 7 * 1440
d, r = divmod({v}, 1440)
print(DAYS[d], f"{{r // 60:02d}}:{{r % 60:02d}}")"""
        out = f"{inst.answer[:3]} {inst.answer.split()[1]}"
    elif lang == "c":
        code = f"""int {v} = {day}*1440 + {rest // 60}*60 + {rest % 60};
{v} += {dur};            /* flight time  */
{v} += {b} - ({a});      /* offset shift */
{v} = (({v} % 10080) + 10080) % 10080;
printf("day %d %02d:%02d\\n", {v} / 1440, ({v} % 1440) / 60, {v} % 60);"""
        arr = inst.data["arr"] % 10080
        out = f"day {arr // 1440} {arr % 1440 // 60:02d}:{arr % 60:02d}"
    elif lang == "javascript":
        code = f"""const dep = {day} * 1440 + {rest};   // minutes since Monday 00:00
const arr = dep + {dur} + ({b - a});
const w = ((arr % 10080) + 10080) % 10080;
console.log(Math.floor(w / 1440), Math.floor((w % 1440) / 60), w % 60);"""
        arr = inst.data["arr"] % 10080
        out = f"{arr // 1440} {arr % 1440 // 60} {arr % 60}"
    else:
        code = f"""{v}=$(( {day}*1440 + {rest} + {dur} + ({b - a}) ))
{v}=$(( ({v} % 10080 + 10080) % 10080 ))
echo "day=$(({v}/1440)) hh=$(({v}%1440/60)) mm=$(({v}%60))\""""
        arr = inst.data["arr"] % 10080
        out = f"day={arr // 1440} hh={arr % 1440 // 60} mm={arr % 60}"
    pen.say(pen.pick("Minutes since Monday 00:00:", "Do it in minutes (day 0 = Monday)."))
    pen.code(lang, code, out)
    pen.say(pen.pick(f"That is {ans}.", f"Decoding: {ans}.", f"-> {ans}"))


def clock_count(inst: Instance, pen: Pen, ans: str) -> None:
    """Step log: add the flight in departure-local time, then jump the clock."""
    src, dst, a, b, dep, dur = _parts(inst)
    h, m = divmod(dur, 60)
    log = [pen.pick("t=0", "start", "dep").ljust(8) + f" {clock(dep)} ({src} clock)"]
    t = dep
    chunk = pen.choice([c for c in (1, 2, 3, 4, 5, 6, 8) if c <= max(1, h)])
    done = 0
    while done + chunk <= h:
        done += chunk
        t += chunk * 60
        log.append(f"+{done}h".ljust(8) + f" {clock(t)}")
    if done < h:
        t += (h - done) * 60
        log.append(f"+{h}h".ljust(8) + f" {clock(t)}")
    if m:
        t += m
        log.append(f"+{m}min".ljust(8) + f" {clock(t)}  (landing, {src} clock)")
    log.append(f"{hm(b - a)} zone".ljust(8) + f" {ans}  ({dst} clock)")
    pen.say(
        pen.pick(
            "Count forward on the departure clock:",
            "Step by step on the clock:",
            f"Keep {src} time during the flight, switch zones at the end:",
            "Add the flight in chunks:",
        )
    )
    pen.raw("\n".join(log))
    pen.say(pen.pick(f"Lands at {ans}.", f"Answer: {ans} local time.", ""))


def checks(inst: Instance) -> list[str]:
    """Independent re-checks of the landing time."""
    src, dst, a, b, dep, dur = _parts(inst)
    arr = inst.data["arr"]
    return [
        f"Backwards: {inst.answer} in {dst} is {clock(arr - b)} UTC; minus the flight gives "
        f"{clock(arr - b - dur)} UTC, which is {clock(dep)} in {src}. Matches.",
        f"Offset difference {fmt_off(b)} vs {fmt_off(a)}: {hm(b - a)}.",
        f"Total clock change {hm(dur + b - a)} from {clock(dep)} -> {inst.answer}.",
    ]


FAMILY = Family(
    key="timezone",
    domain="calendar",
    make=make,
    verify=verify,
    methods=(
        Method("convert_via_utc", "list", via_utc),
        Method("offset_difference_first", "prose", offset_first),
        Method("three_clock_timeline", "table", timeline),
        Method("minutes_of_week_code", "code", minutes_code),
        Method("local_clock_stepping", "list", clock_count),
    ),
    checks=checks,
    asides=(
        "Daylight saving is ignored; the offsets are fixed.",
        "Half-hour offsets are where people usually slip.",
        "The weekday matters as much as the time here.",
    ),
)
