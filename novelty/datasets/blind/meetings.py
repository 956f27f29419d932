"""Schedule one-hour meetings into the fewest time slots without double-booking anyone.

Methods: conflict table, most-constrained-first placement, backtracking attempts as a numbered
list, person-by-person reasoning, and a brute-force program.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from .family import Family, Method, pick
from .writer import Writer, join_and

TOPICS = (
    "Budget review",
    "Design sync",
    "Hiring panel",
    "Roadmap",
    "Vendor call",
    "Retro",
    "Onboarding",
    "Security audit",
    "Launch prep",
    "Data review",
    "Sales pipeline",
    "Offsite plan",
    "Team lunch",
    "Board prep",
    "QA triage",
    "Brand workshop",
)
PEOPLE = (
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Eli",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jin",
    "Kofi",
    "Lena",
    "Mona",
    "Nils",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
)
Event = tuple[str, int, str]  # meeting, slot index, failure reason ("" when placed, "undo")


@dataclass
class Meetings:
    """Meetings with attendees, slot labels, optional unavailability and ordering constraints."""

    who: dict[str, list[str]]
    slots: list[str]
    away: tuple[str, int] | None
    after: tuple[str, str] | None
    k: int = 0
    plans: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.who)

    def clash(self, a: str, b: str) -> list[str]:
        return sorted(set(self.who[a]) & set(self.who[b]))

    def degree(self, m: str) -> int:
        return sum(1 for o in self.names if o != m and self.clash(m, o))

    def why_not(self, m: str, s: int, plan: dict[str, int]) -> str:
        """Why meeting m cannot take slot s given a partial plan ('' if it can)."""
        for o, t in plan.items():
            if t == s and o != m and self.clash(m, o):
                return f"{self.clash(m, o)[0]} is already in {o}"
        if self.away and self.away[1] == s and self.away[0] in self.who[m]:
            return f"{self.away[0]} is unavailable at {self.slots[s]}"
        if self.after:
            a, b = self.after
            if m == b and a in plan and plan[a] >= s:
                return f"{b} has to come after {a}"
            if m == a and b in plan and plan[b] <= s:
                return f"{a} has to come before {b}"
        return ""

    def solve(self, order: list[str], k: int) -> tuple[dict[str, int] | None, list[Event]]:
        """Backtracking in `order`, slots tried earliest first; logs every attempt."""
        log: list[Event] = []

        def go(i: int, plan: dict[str, int]) -> dict[str, int] | None:
            if i == len(order):
                return plan
            m = order[i]
            for s in range(k):
                why = self.why_not(m, s, plan)
                log.append((m, s, why))
                if not why:
                    done = go(i + 1, {**plan, m: s})
                    if done:
                        return done
                    log.append((m, s, "undo"))
            return None

        return go(0, {}), log

    def show(self, plan: dict[str, int]) -> str:
        used = sorted(set(plan.values()))
        parts = [f"{self.slots[s]}: " + ", ".join(m for m in plan if plan[m] == s) for s in used]
        return f"{len(used)} slots — " + "; ".join(parts)

    def answer(self, w: Writer, plan: dict[str, int]) -> dict[str, int]:
        """The plan this trace ends on: its own valid plan or a broken/wasteful variant."""
        if w.ok:
            return plan
        bad = dict(plan)
        if w.chance(0.5):
            bad[pick(w.rng, self.names)] = self.k
        else:
            for m, s in plan.items():
                bad[m] = 0 if s == self.k - 1 else s
        return bad

    def bound(self) -> tuple[int, str]:
        """Best simple lower bound and a sentence explaining it."""
        load = {p: [m for m in self.names if p in self.who[m]] for p in PEOPLE}
        p = max(load, key=lambda x: len(load[x]))
        best = max(
            (
                c
                for r in range(2, 6)
                for c in itertools.combinations(self.names, r)
                if all(self.clash(a, b) for a, b in itertools.combinations(c, 2))
            ),
            key=len,
        )
        if len(load[p]) >= len(best):
            return len(load[p]), f"{p} is in {join_and(load[p])}, which need different slots"
        return len(best), f"{join_and(list(best))} all clash pairwise"

    # -- Instance protocol ---------------------------------------------------------------------
    def constraints(self) -> list[str]:
        out = []
        if self.away:
            out.append(f"{self.away[0]} can't make the {self.slots[self.away[1]]} slot")
        if self.after:
            out.append(f"{self.after[1]} must be after {self.after[0]}")
        return out

    def restate(self, w: Writer) -> None:
        ms = self.names
        extra = "; ".join(self.constraints())
        extra = f" Also: {extra}." if extra else ""
        slots = ", ".join(self.slots)
        form = w.int(0, 2)
        if form == 0:
            att = "; ".join(f"{m} ({', '.join(self.who[m])})" for m in ms)
            w.p(
                f"We need to schedule {len(ms)} one-hour meetings so the day ends as early as "
                f"possible. Slots: {slots}. Attendees: {att}.",
                "Nobody can be in two meetings at the same time." + extra,
            )
        elif form == 1:
            w.p(
                (
                    f"So there are {len(ms)} meetings to fit into the earliest slots ({slots}):",
                    f"Task: place these {len(ms)} meetings into slots {slots}, finishing as early "
                    "as possible:",
                )
            )
            w.lines([f"- {m}: {', '.join(self.who[m])}" for m in ms])
            w.p("People can't be double-booked." + extra)
        else:
            att = ". ".join(f"{m} needs {join_and(self.who[m])}" for m in ms)
            w.p(
                f"The problem: {join_and(ms)} each take an hour, and the slots are {slots}.",
                f"{att}. No one can attend two meetings at once." + extra,
                f"Starting at {self.slots[0]}, how few consecutive slots suffice, and how?",
            )

    def keys(self) -> list[str]:
        return [*self.names, *sorted({p for ps in self.who.values() for p in ps})]

    def asides(self) -> list[str]:
        m = self.names[0]
        return [
            f"I have to remember that {m} involves {join_and(self.who[m])}; it's easy to forget "
            "one attendee and create a hidden clash.",
            "Using fewer slots is the goal, not finishing early, so an empty early slot is fine.",
            "In real life you'd also think about rooms, but rooms aren't a constraint here.",
        ]

    def verify(self) -> list[str]:
        rules = " and ".join(["no slot has two meetings sharing a person", *self.constraints()])
        return [f"going slot by slot, {rules}", f"each slot is clash-free and {self.k} is minimal"]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return f"{self.k if ok else self.k + 1} slots"


def make(rng: np.random.Generator) -> Meetings:
    """5-7 meetings needing 3-4 slots, with at most two extra constraints."""
    while True:
        n = int(rng.integers(5, 8))
        names = [str(x) for x in rng.choice(TOPICS, size=n, replace=False)]
        people = [str(x) for x in rng.choice(PEOPLE, size=int(rng.integers(5, 8)), replace=False)]
        who = {
            m: sorted(
                str(p) for p in rng.choice(people, size=int(rng.integers(2, 4)), replace=False)
            )
            for m in names
        }
        h = int(rng.integers(8, 11))
        slots = [f"{t}:00" for t in range(h, h + 6) if t != 12][:5]
        away = (pick(rng, who[names[1]]), int(rng.integers(0, 2))) if rng.random() < 0.7 else None
        after = (names[0], names[-1]) if rng.random() < 0.5 else None
        mt = Meetings(who, slots, away, after)
        for k in range(1, 6):
            plan, _ = mt.solve(names, k)
            if plan:
                mt.k = k
                break
        if mt.k in (3, 4):
            mt.plans["order"] = mt.solve(names, mt.k)[0] or {}
            return mt


def _slot_lines(mt: Meetings, plan: dict[str, int]) -> list[str]:
    """Rewordings of 'each slot is clash-free' for re-verification."""
    used = sorted(set(plan.values()))
    ms = [join_and([m for m in plan if plan[m] == s]) for s in used]
    return [
        "; ".join(f"{mt.slots[s]} has {m}" for s, m in zip(used, ms, strict=True))
        + ", and none of those share a person",
        "going through each slot's attendees, no name appears twice in one slot",
    ]


def _table(w: Writer, mt: Meetings) -> str:
    w.header(("Conflict table", "Who clashes with whom", "Clashes"))
    rows = []
    for m in mt.names:
        cl = [f"{o} ({'/'.join(mt.clash(m, o))})" for o in mt.names if o != m and mt.clash(m, o)]
        rows.append([m, ", ".join(mt.who[m]), ", ".join(cl) or "none"])
    intro = ("First, which meetings share someone?", "Let me tabulate the clashes.", None)
    if w.chance(0.5):
        w.table(["meeting", "people", "clashes with"], rows, intro=intro)
    else:
        w.lines([f"{a}: {b} → clashes with {c}" for a, b, c in rows], intro=intro)
    lb, why = mt.bound()
    a, b = next((a, b) for a in mt.names for b in mt.names if a < b and mt.clash(a, b))
    w.check(
        [f"{a} has {join_and(mt.who[a])} and {b} has {join_and(mt.who[b])}"],
        f"{a} and {b} clash through {mt.clash(a, b)[0]}",
    )
    w.p(
        f"Lower bound: {lb} slots, since {why}.",
        f"But {join_and(mt.constraints())}, which pushes it to {mt.k}." if lb < mt.k else None,
        w.maybe(0.5, "<then> fill slots in order."),
    )
    plan = mt.answer(w, mt.plans["order"])
    used = sorted(set(plan.values()))
    w.lines([f"{mt.slots[s]} | " + ", ".join(m for m in plan if plan[m] == s) for s in used])
    return mt.show(plan)


def _most_constrained(w: Writer, mt: Meetings) -> str:
    order = sorted(mt.names, key=lambda m: (-mt.degree(m), mt.names.index(m)))
    plan, _ = mt.solve(order, mt.k)
    plan = plan or {}
    w.p(
        (
            "I'll place the most constrained meetings first, each in the earliest slot that works.",
            "Strategy: handle the meeting with the most clashes first, then the next, and so on.",
            "Greedy by difficulty: sort meetings by how many others they clash with.",
        )
    )
    sents = []
    for i, m in enumerate(order):
        s, d = mt.slots[plan[m]], mt.degree(m)
        if i == 0:
            sents.append(f"{m} clashes with {d} others, so it goes first, at {s}.")
            continue
        form = pick(
            w.rng,
            [
                "{m} ({d} clashes) goes to {s}.",
                "<then> {m}: the earliest slot without a conflict is {s}.",
                "{m} fits at {s}.",
                "For {m}, {s} is free of clashes.",
            ],
        )
        sents.append(form.format(m=m, d=d, s=s))
    w.p(*sents)
    lb, why = mt.bound()
    w.check(
        [f"{why}, so {lb} is a floor", "scanning each slot for a shared person finds none"],
        f"{mt.k} slots is right",
    )
    plan = mt.answer(w, plan)
    w.p(f"<so> we need {len(set(plan.values()))} slots.", w.maybe(0.5, f"(Bound: {why}.)"))
    return mt.show(plan)


def _backtrack(w: Writer, mt: Meetings) -> str:
    order = list(mt.names)
    if w.chance(0.4):
        w.rng.shuffle(order)
    plan, log = mt.solve(order, mt.k)
    plan = plan or {}
    w.p(
        (
            f"Let me try to fit everything into {mt.k} slots, backtracking when stuck.",
            f"I'll try assigning slots one meeting at a time with {mt.k} slots, undoing bad picks.",
            f"Trial and error with {mt.k} slots:",
        )
    )
    items, cur = [], ""
    for m, s, why in log:
        slot = mt.slots[s]
        if why == "undo":
            items.append(f"Dead end later on, so take {m} out of {slot} again.")
        elif why:
            items.append(f"{m} at {slot}? No, {why}.")
        else:
            items.append(pick(w.rng, [f"{m} at {slot}: fine.", f"{m} → {slot}, no conflict."]))
        cur = m
    w.numbered(items[:14] + ([f"... continuing the same way through {cur}."] if items[14:] else []))
    lb, why = mt.bound()
    w.check(_slot_lines(mt, plan), "no slot has a double-booking")
    w.p(f"And {mt.k - 1} slots can't work: {why}." if lb == mt.k else None)
    return mt.show(mt.answer(w, plan))


def _person(w: Writer, mt: Meetings) -> str:
    load = {p: [m for m in mt.names if p in mt.who[m]] for p in PEOPLE}
    busy = sorted((p for p in load if len(load[p]) > 1), key=lambda p: -len(load[p]))
    w.p(
        (
            "Let me look at it person by person: whoever is in several meetings forces them apart.",
            "Think about each attendee's calendar.",
            "Consider the people rather than the meetings.",
        )
    )
    sents = [f"{p} is in {join_and(load[p])}." for p in busy[:4]]
    lb, why = mt.bound()
    w.p(
        *sents,
        f"<so> at least {lb} slots, because {why}.",
        f"With {join_and(mt.constraints())} it actually takes {mt.k}." if lb < mt.k else None,
    )
    order = []
    for p in busy:
        order += [m for m in load[p] if m not in order]
    order += [m for m in mt.names if m not in order]
    plan = mt.solve(order, mt.k)[0] or {}
    placed = [f"{m} at {mt.slots[plan[m]]}" for m in order]
    w.check(_slot_lines(mt, plan), "nobody is double-booked")
    w.p(
        f"Starting with {busy[0]}'s meetings and filling in the rest:",
        join_and(placed) + ".",
        "<hedge> no one is double-booked.",
    )
    return mt.show(mt.answer(w, plan))


def _code(w: Writer, mt: Meetings) -> str:
    v = pick(w.rng, ["meetings", "attendees", "mtgs"])
    body = ",\n".join(f'    "{m}": {{{", ".join(repr(p) for p in mt.who[m])}}}' for m in mt.names)
    checks = []
    if mt.away:
        p, s = mt.away
        checks.append(
            f"    if any({p!r} in {v}[n] and a == {s} for n, a in zip(names, assign)):\n"
            "        return False"
        )
    if mt.after:
        a, b = mt.after
        checks.append(
            f"    if assign[names.index({a!r})] >= assign[names.index({b!r})]:\n"
            "        return False"
        )
    extra = ("\n" + "\n".join(checks)) if checks else ""
    src = f"""from itertools import product

{v} = {{
{body},
}}
slots = {mt.slots!r}
names = list({v})


def ok(assign):
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if assign[i] == assign[j] and {v}[names[i]] & {v}[names[j]]:
                return False{extra}
    return True


for k in range(1, len(slots) + 1):
    sol = next((s for s in product(range(k), repeat=len(names)) if ok(s)), None)
    if sol:
        print(k, {{n: slots[s] for n, s in zip(names, sol)}})
        break"""
    plan = mt.answer(w, mt.plans["order"])
    w.code(
        src,
        intro=("Brute force is cheap here:", "Let me write a small solver.", "Code it up:"),
        outro=(
            f"It prints {len(set(plan.values()))} and the schedule below.",
            f"Output: {len(set(plan.values()))} slots, {mt.show(plan).split(' — ')[1]}.",
        ),
    )
    w.check(
        [
            "product(range(k), repeat=n) tries every assignment with k slots",
            "ok() compares every pair of meetings, plus the extra constraints",
        ],
        "the search is exhaustive, so the first k found is minimal",
    )
    return mt.show(plan)


FAMILY = Family(
    name="meetings",
    domain="planning",
    make=make,
    methods=(
        Method("conflict_table", "table", 0.85, _table),
        Method("most_constrained_first", "prose", 0.75, _most_constrained),
        Method("backtracking", "list", 0.8, _backtrack),
        Method("person_by_person", "prose", 0.7, _person),
        Method("brute_force_program", "code", 0.9, _code),
    ),
)
