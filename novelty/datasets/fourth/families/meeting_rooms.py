"""Meeting rooms: the fewest rooms that host a day of meetings without clashes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .._text import fence, lines, pick, plain_table, say
from .._types import Family, Method

_TEAMS = (
    "Design",
    "Sales",
    "Legal",
    "Ops",
    "Data",
    "HR",
    "Support",
    "Finance",
    "QA",
    "Infra",
    "Research",
    "Payroll",
)


@dataclass(frozen=True)
class Day:
    teams: tuple[str, ...]
    start: tuple[int, ...]  # minutes after midnight
    end: tuple[int, ...]
    answer: str
    decoys: tuple[str, ...]


def hm(m: int) -> str:
    """Minutes after midnight as ``9:30``."""
    return f"{m // 60}:{m % 60:02d}"


def _peak(d: Day) -> tuple[int, int]:
    """(rooms needed, a time at which that many meetings run)."""
    best, when = 0, 0
    for t in d.start:
        k = sum(1 for s, e in zip(d.start, d.end, strict=True) if s <= t < e)
        if k > best:
            best, when = k, t
    return best, when


def make(rng: random.Random) -> Day:
    """Five to seven meetings on half-hour boundaries between 8:00 and 18:00."""
    n = rng.randint(5, 7)
    rows = []
    for _ in range(n):
        s = 480 + 30 * rng.randint(0, 14)
        e = min(1080, s + 30 * rng.randint(1, 5))
        rows.append((s, e))
    rows.sort()
    teams = tuple(rng.sample(_TEAMS, n))
    tmp = Day(teams, tuple(r[0] for r in rows), tuple(r[1] for r in rows), "", ())
    k, _ = _peak(tmp)
    decoys = tuple(f"{c} room{'s' if c != 1 else ''}" for c in (k + 1, k - 1, n) if 0 < c != k)
    return Day(
        tmp.teams,
        tmp.start,
        tmp.end,
        f"{k} room{'s' if k != 1 else ''}",
        tuple(dict.fromkeys(decoys)),
    )


def describe(d: Day) -> str:
    ms = "; ".join(f"{t} {hm(s)}-{hm(e)}" for t, s, e in zip(d.teams, d.start, d.end, strict=True))
    return (
        f"Meetings today: {ms}. A room is free again the minute a meeting ends. "
        "What is the smallest number of rooms that hosts all of them?"
    )


def _sweep_list(d: Day, rng: random.Random) -> list[str]:
    ev = sorted(
        [(e, 0, t) for t, e in zip(d.teams, d.end, strict=True)]
        + [(s, 1, t) for t, s in zip(d.teams, d.start, strict=True)]
    )
    busy, rows = 0, []
    style = rng.randrange(2)
    for time, kind, team in ev:
        busy += 1 if kind else -1
        sign = "+" if kind else "-"
        rows.append(
            f"{hm(time):>5}  {sign} {team:<9} -> {busy} in use"
            if style == 0
            else f"{hm(time)} {'start' if kind else 'end'} {team} ({busy} busy)"
        )
    k, _ = _peak(d)
    return [
        pick(
            rng,
            (
                "Sweep through the day; ends before starts at the same minute:",
                "Sort all start and end events and keep a running count:",
            ),
        ),
        lines(rows),
        pick(rng, (f"The count never goes above {k}.", f"Peak = {k}.")),
    ]


def _heap_py(d: Day, rng: random.Random) -> list[str]:
    ms = ", ".join(f"({s}, {e})" for s, e in zip(d.start, d.end, strict=True))
    code = (
        "import heapq\n\n"
        f"meetings = [{ms}]  # minutes after midnight\n"
        "meetings.sort()\nends = []  # end time of each room's current meeting\n"
        "for start, end in meetings:\n"
        "    if ends and ends[0] <= start:\n"
        "        heapq.heapreplace(ends, end)  # reuse the room that frees first\n"
        "    else:\n        heapq.heappush(ends, end)  # open a new room\n"
        "print(len(ends))"
    )
    k, _ = _peak(d)
    return [
        pick(
            rng,
            (
                "Classic min-heap of end times; converting the times to minutes:",
                "Code it up with a heap keyed on when each room frees up:",
            ),
        ),
        fence(rng, "python", code),
        say(
            f"The heap ends with {k} entries, so it prints {k}.",
            pick(rng, ("", "Each push is a room that had to be opened.")),
        ),
    ]


def _slot_table(d: Day, rng: random.Random) -> list[str]:
    rows = []
    for t in range(min(d.start), max(d.end), 30):
        on = [tm for tm, s, e in zip(d.teams, d.start, d.end, strict=True) if s <= t < e]
        rows.append([f"{hm(t)}-{hm(t + 30)}", ", ".join(on) or "-", len(on)])
    k, _ = _peak(d)
    return [
        pick(
            rng,
            (
                "Chop the day into half-hour slots and count who is meeting in each:",
                "Slot-by-slot occupancy:",
            ),
        ),
        plain_table(["slot", "meetings", "n"], rows, rule=rng.random() < 0.5),
        f"The busiest slot has {k} meetings, so {k} rooms are needed and enough.",
    ]


def _assign_prose(d: Day, rng: random.Random) -> list[str]:
    free: list[int] = []  # time each room frees up
    sents = []
    for t, s, e in zip(d.teams, d.start, d.end, strict=True):
        ok = [r for r, f in enumerate(free) if f <= s]
        if ok:
            r = ok[0]
            sents.append(
                pick(
                    rng,
                    (
                        f"{t} starts at {hm(s)}; room {r + 1} is free by then "
                        f"(since {hm(free[r])}), so {t} goes there until {hm(e)}.",
                        f"At {hm(s)} {t} can reuse room {r + 1}, which emptied at {hm(free[r])}.",
                    ),
                )
            )
            free[r] = e
        else:
            free.append(e)
            busy = ", ".join(f"room {r + 1} until {hm(f)}" for r, f in enumerate(free[:-1]))
            why = f"every open room is busy ({busy})" if busy else "no room is open yet"
            sents.append(f"{t} starts at {hm(s)} and {why}, so it opens room {len(free)}.")
    return [
        pick(
            rng,
            (
                "Let's hand out rooms greedily in order of start time, always reusing a "
                "room that has freed up.",
                "Assign rooms in start order, opening a new room "
                "only when every existing one is occupied.",
            ),
        ),
        " ".join(sents),
        f"That uses {len(free)} rooms, and greedy assignment in start order is optimal.",
    ]


def _sql_count(d: Day, rng: random.Random) -> list[str]:
    q = (
        "SELECT a.team, COUNT(*) AS running\nFROM meetings a\nJOIN meetings b\n"
        "  ON b.start_min <= a.start_min AND a.start_min < b.end_min\n"
        "GROUP BY a.team\nORDER BY running DESC;"
    )
    res = sorted(
        (
            (t, sum(1 for s2, e2 in zip(d.start, d.end, strict=True) if s2 <= s < e2))
            for t, s in zip(d.teams, d.start, strict=True)
        ),
        key=lambda r: -r[1],
    )
    k, _ = _peak(d)
    return [
        pick(
            rng,
            (
                "With the meetings in a table (start_min, end_min), count how many are "
                "running at each meeting's start:",
                "The peak always happens at some meeting's start, so a self-join does it:",
            ),
        ),
        fence(rng, "sql", q, p_fence=0.6),
        plain_table(["team", "running"], res, rule=False),
        f"Top row: {k}.",
    ]


def checks(d: Day, rng: random.Random) -> list[str]:
    k, t = _peak(d)
    on = [
        f"{tm} ({hm(s)}-{hm(e)})"
        for tm, s, e in zip(d.teams, d.start, d.end, strict=True)
        if s <= t < e
    ]
    out = [
        f"at {hm(t)} these run together: {', '.join(on)}. That is {k}.",
        "meetings that merely touch (one ends as the next starts) can share a room.",
    ]
    later = [s for s in d.start if s > t]
    if later:
        s = rng.choice(later)
        n = sum(1 for s2, e2 in zip(d.start, d.end, strict=True) if s2 <= s < e2)
        out.append(f"at {hm(s)} only {n} are running, not more than {k}.")
    return out


FAMILY = Family(
    key="meeting_rooms",
    domain="scheduling",
    goal="the minimum number of rooms",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "The number of rooms equals the largest number of meetings that overlap at one time.",
        "All times are on half-hour boundaries, which keeps the bookkeeping simple.",
        "Back-to-back meetings are not a clash here.",
    ),
    methods=(
        Method("sweep_list", "list", _sweep_list),
        Method("heap_py", "code", _heap_py),
        Method("slot_table", "table", _slot_table),
        Method("assign_prose", "prose", _assign_prose),
        Method("sql_count", "code", _sql_count),
    ),
)
