"""Project scheduling with precedence: the shortest time to finish every task."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .._text import bullet, fence, lines, md_table, pick, plus, say
from .._types import Family, Method

_WORDS = (
    "survey",
    "design",
    "order parts",
    "build frame",
    "wiring",
    "painting",
    "testing",
    "shipping",
    "audit",
    "staff training",
    "pour base",
    "install",
    "permits",
    "clean-up",
)
_THEMES = (
    "a kitchen refit",
    "a product launch",
    "a server migration",
    "a garden build",
    "a conference setup",
    "a shop opening",
)


@dataclass(frozen=True)
class Project:
    theme: str
    names: tuple[str, ...]
    labels: tuple[str, ...]
    dur: tuple[int, ...]
    deps: tuple[tuple[int, ...], ...]
    start: tuple[int, ...]
    finish: tuple[int, ...]
    answer: str
    decoys: tuple[str, ...]


def make(rng: random.Random) -> Project:
    """Five or six tasks, each after up to two earlier ones."""
    n = rng.randint(5, 6)
    dur = tuple(rng.randint(1, 8) for _ in range(n))
    deps: list[tuple[int, ...]] = [()]
    for j in range(1, n):
        k = min(j, rng.choice((0, 1, 1, 2, 2)))
        deps.append(tuple(sorted(rng.sample(range(j), k))))
    start: list[int] = []
    finish: list[int] = []
    for j in range(n):
        s = max((finish[d] for d in deps[j]), default=0)
        start.append(s)
        finish.append(s + dur[j])
    total = max(finish)
    cands = [sum(dur), total - 1, total + 1, total + dur[-1], total - 2]
    decoys = tuple(dict.fromkeys(f"{c} days" for c in cands if c > 0 and c != total))
    return Project(
        pick(rng, _THEMES),
        tuple("ABCDEF"[:n]),
        tuple(rng.sample(_WORDS, n)),
        dur,
        tuple(deps),
        tuple(start),
        tuple(finish),
        f"{total} days",
        decoys,
    )


def _succ(p: Project) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in p.names]
    for j, ds in enumerate(p.deps):
        for d in ds:
            out[d].append(j)
    return out


def _chains(p: Project) -> list[list[int]]:
    """Every maximal chain from a task with no prerequisite to one nothing waits on."""
    succ = _succ(p)
    out: list[list[int]] = []

    def walk(path: list[int]) -> None:
        nxt = succ[path[-1]]
        if not nxt:
            out.append(path)
        for s in nxt:
            walk([*path, s])

    for j, ds in enumerate(p.deps):
        if not ds:
            walk([j])
    return out


def _critical(p: Project) -> list[int]:
    return max(_chains(p), key=lambda c: sum(p.dur[j] for j in c))


def _after(p: Project, j: int) -> str:
    return ", ".join(p.names[d] for d in p.deps[j]) or "-"


def describe(p: Project) -> str:
    parts = []
    for j, n in enumerate(p.names):
        cond = f", after {' and '.join(p.names[d] for d in p.deps[j])}" if p.deps[j] else ""
        parts.append(f"{n} ({p.labels[j]}, {p.dur[j]} days{cond})")
    return (
        f"The plan for {p.theme} has tasks {'; '.join(parts)}. Any number of tasks may run "
        "at once as long as their prerequisites are finished. How many days does the "
        "whole project take at minimum?"
    )


def _es_table(p: Project, rng: random.Random) -> list[str]:
    rows = [[n, p.dur[j], _after(p, j), p.start[j], p.finish[j]] for j, n in enumerate(p.names)]
    total = max(p.finish)
    return [
        pick(
            rng,
            (
                "Forward pass, one row per task (ES = earliest start, EF = ES + duration):",
                "I'll fill in earliest start and finish for each task in order.",
                "Work out the earliest start (ES) and finish (EF) task by task:",
            ),
        ),
        md_table(["task", "days", "after", "ES", "EF"], rows),
        pick(
            rng,
            (
                f"The largest EF is {total}, so that is the project length.",
                f"Everything is done when the last task ends: max EF = {total}.",
            ),
        ),
    ]


def _py_longest(p: Project, rng: random.Random) -> list[str]:
    dur = ", ".join(f'"{n}": {d}' for n, d in zip(p.names, p.dur, strict=True))
    quoted = [", ".join(f'"{p.names[d]}"' for d in ds) for ds in p.deps]
    after = ", ".join(f'"{n}": [{q}]' for n, q in zip(p.names, quoted, strict=True))
    if rng.random() < 0.5:
        body = (
            "from functools import cache\n\n"
            f"dur = {{{dur}}}\nafter = {{{after}}}\n\n@cache\ndef finish(t):\n"
            "    return dur[t] + max((finish(p) for p in after[t]), default=0)\n\n"
            "print(max(finish(t) for t in dur))"
        )
    else:
        body = (
            f"dur = {{{dur}}}\nafter = {{{after}}}\nef = {{}}\n"
            "for t in dur:  # keys are already in dependency order\n"
            "    ef[t] = dur[t] + max((ef[p] for p in after[t]), default=0)\n"
            "print(ef)\nprint(max(ef.values()))"
        )
    efs = ", ".join(f"{n}={f}" for n, f in zip(p.names, p.finish, strict=True))
    return [
        pick(
            rng,
            (
                "This is a longest-path computation, so a few lines of Python do it:",
                "Let me just write the recursion down as code:",
                "Quick script:",
            ),
        ),
        fence(rng, "python", body),
        say(
            pick(rng, (f"Running it prints {max(p.finish)}.", f"Output: {max(p.finish)}.")),
            f"(Finish times: {efs}.)",
        ),
    ]


def _chain_list(p: Project, rng: random.Random) -> list[str]:
    b = bullet(rng)
    arrow = pick(rng, (" -> ", " → ", "-"))
    rows = []
    for c in _chains(p):
        durs = [p.dur[j] for j in c]
        rows.append(f"{b}{arrow.join(p.names[j] for j in c)}: {plus(durs)} = {sum(durs)}")
    crit = _critical(p)
    return [
        pick(
            rng,
            (
                "List every chain of dependent tasks, start to end:",
                "The project can't be shorter than any chain of tasks that must run in "
                "sequence. Chains:",
            ),
        ),
        lines(rows),
        f"Longest chain: {arrow.join(p.names[j] for j in crit)} with {max(p.finish)} days.",
    ]


def _event_list(p: Project, rng: random.Random) -> list[str]:
    rows = []
    for t in sorted(set(p.start) | set(p.finish)):
        done = [p.names[j] for j, f in enumerate(p.finish) if f == t]
        go = [p.names[j] for j, s in enumerate(p.start) if s == t]
        bits = ([f"{', '.join(done)} done"] if done else []) + (
            [f"start {', '.join(go)}"] if go else []
        )
        rows.append(f"day {t}: {'; '.join(bits)}")
    return [
        pick(
            rng,
            (
                "Simulate the calendar, starting each task the moment it is allowed:",
                "Walk through time event by event:",
            ),
        ),
        lines(rows),
        f"Nothing is left after day {max(p.finish)}.",
    ]


def _backward_prose(p: Project, rng: random.Random) -> list[str]:
    succ = _succ(p)
    tail = [0] * len(p.names)
    sents = []
    for j in reversed(range(len(p.names))):
        n, d = p.names[j], p.dur[j]
        if not succ[j]:
            tail[j] = d
            sents.append(
                pick(
                    rng,
                    (
                        f"Nothing waits on {n}, so from its start only its own {d} days remain.",
                        f"{n} is an end task: {d} days.",
                    ),
                )
            )
        else:
            m = max(tail[s] for s in succ[j])
            tail[j] = d + m
            who = " and ".join(p.names[s] for s in succ[j])
            sents.append(
                pick(
                    rng,
                    (
                        f"{n} takes {d} days and is followed by {who}; the longest remainder after "
                        f"it is {m}, so from the start of {n} we need {d} + {m} = {tail[j]} days.",
                        f"After {n} comes {who}, whose longest tail is {m}. That makes {n}'s tail "
                        f"{d} + {m} = {tail[j]}.",
                    ),
                )
            )
    firsts = [j for j, ds in enumerate(p.deps) if not ds]
    return [
        pick(
            rng,
            (
                "Let's reason backwards from the end: for each task, how much time is "
                "still needed once it starts?",
                "I'll go from the last tasks back to the "
                "first, tracking the remaining time from each task's start.",
            ),
        ),
        " ".join(sents),
        f"The tasks with no prerequisites are {', '.join(p.names[j] for j in firsts)}; the "
        f"largest tail among them is {max(tail[j] for j in firsts)}, which is the length.",
    ]


def checks(p: Project, rng: random.Random) -> list[str]:
    crit = _critical(p)
    out = [
        f"adding the critical chain again, {'-'.join(p.names[j] for j in crit)}: "
        f"{plus([p.dur[j] for j in crit])} = {max(p.finish)}."
    ]
    dep = [j for j, ds in enumerate(p.deps) if ds]
    if dep:
        j = rng.choice(dep)
        ends = ", ".join(f"{p.names[d]} ends on day {p.finish[d]}" for d in p.deps[j])
        out.append(f"{p.names[j]} cannot start before day {p.start[j]}: {ends}.")
    out.append(
        f"doing everything one after another would take {sum(p.dur)} days, and "
        f"the overlap brings it down to {max(p.finish)}."
    )
    return out


FAMILY = Family(
    key="critical_path",
    domain="scheduling",
    goal="the shortest time to finish the project",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "Tasks that do not depend on each other can overlap, which is the whole point.",
        "Durations are whole days and there is no limit on workers.",
        "The easy mistake here is to add up every duration as if the work were serial.",
    ),
    methods=(
        Method("es_table", "table", _es_table),
        Method("py_longest", "code", _py_longest),
        Method("chain_list", "list", _chain_list),
        Method("event_list", "list", _event_list),
        Method("backward_prose", "prose", _backward_prose),
    ),
)
