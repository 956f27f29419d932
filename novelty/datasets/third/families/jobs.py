"""Job sequencing with deadlines: unit jobs, one machine, maximise profit (domain: planning)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import combinations
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, md_table, sentence

Job = tuple[str, int, int]  # (name, deadline, profit)
CONTEXTS = (
    ("a print shop", "order"),
    ("a repair technician", "repair"),
    ("a freelance translator", "task"),
    ("a lab with one machine", "experiment"),
)


@dataclass(frozen=True)
class Jobs:
    jobs: tuple[Job, ...]
    who: str
    noun: str


def feasible(jobs: tuple[Job, ...] | list[Job]) -> bool:
    """Unit jobs fit iff at most t of them have deadline <= t, for every t."""
    ds = sorted(j[1] for j in jobs)
    return all(d >= i + 1 for i, d in enumerate(ds))


def best_subset(jobs: tuple[Job, ...]) -> tuple[int, tuple[Job, ...]]:
    best: tuple[int, tuple[Job, ...]] = (0, ())
    for r in range(1, len(jobs) + 1):
        for sub in combinations(jobs, r):
            if feasible(sub) and sum(j[2] for j in sub) > best[0]:
                best = (sum(j[2] for j in sub), sub)
    return best


def make(rng: Random) -> Jobs:
    n = rng.randint(5, 7)
    profits = rng.sample(range(10, 100, 5), n)
    jobs = tuple((f"J{i + 1}", rng.randint(1, 4), p) for i, p in enumerate(profits))
    who, noun = rng.choice(CONTEXTS)
    return Jobs(jobs, who, noun)


def solve(p: Jobs) -> int:
    return best_subset(p.jobs)[0]


def perturb(p: Jobs, rng: Random) -> Jobs:
    """Misread one job's deadline or profit."""
    i = rng.randrange(len(p.jobs))
    name, d, pr = p.jobs[i]
    new = (name, max(1, d + rng.choice((-1, 1))), pr) if rng.random() < 0.6 else (name, d, pr + 10)
    jobs = list(p.jobs)
    jobs[i] = new
    return Jobs(tuple(jobs), p.who, p.noun)


def show(p: Jobs, total: int) -> str:
    return f"maximum profit {total}"


def restate(p: Jobs, ph: Ph) -> str:
    listing = "; ".join(f"{n}: deadline {d}, profit {pr}" for n, d, pr in p.jobs)
    return sentence(
        ph.pick(
            f"{p.who.capitalize()} can do one {p.noun} per day, each taking exactly one day.",
            f"Consider {p.who}: every {p.noun} takes one time unit and only one runs at a time.",
            f"We schedule unit-length jobs for {p.who}, one per time slot.",
        ),
        ph.pick(
            f"Each {p.noun} earns its profit only if finished by its deadline.",
            "A job pays only when completed no later than its deadline.",
            "Late jobs earn nothing.",
        ),
        f"The jobs are {listing}.",
        ph.pick(
            "What is the largest total profit achievable?",
            "We want the maximum total profit.",
            "Find the best possible total profit.",
        ),
    )


def render_greedy(p: Jobs, ph: Ph) -> tuple[list[str], object]:
    """Most profitable first, each into the latest free slot before its deadline."""
    order = sorted(p.jobs, key=lambda j: -j[2])
    slots: dict[int, str] = {}
    rows, total = [], 0
    for name, d, pr in order:
        t = next((s for s in range(d, 0, -1) if s not in slots), None)
        if t is None:
            rows.append([name, pr, d, "none (skip)"])
        else:
            slots[t] = name
            total += pr
            rows.append([name, pr, d, t])
    plan = ", ".join(f"slot {s}: {slots[s]}" for s in sorted(slots))
    lines = [
        ph.pick(
            "Greedy by profit: take jobs in decreasing profit, placing each in the latest "
            "free slot not after its deadline.",
            "Sort by profit and drop each job into the latest open slot it can use.",
            "Standard greedy: highest profit first, latest feasible slot.",
        ),
        md_table(["job", "profit", "deadline", "slot"], rows),
        ph.pick(
            f"Schedule: {plan}. Total profit {total}.",
            f"This gives {plan}, for a total of {total}.",
            f"Sum of scheduled profits: {total} ({plan}).",
        ),
    ]
    return lines, total


def render_python(p: Jobs, ph: Ph) -> tuple[list[str], object]:
    """Brute force over all subsets with a feasibility test."""
    src = f"""
from itertools import combinations

jobs = {[(d, pr) for _, d, pr in p.jobs]}  # (deadline, profit)

def feasible(sub):
    ds = sorted(d for d, _ in sub)
    return all(d >= i + 1 for i, d in enumerate(ds))

best = max(
    sum(pr for _, pr in sub)
    for r in range(len(jobs) + 1)
    for sub in combinations(jobs, r)
    if feasible(sub)
)
print(best)
"""
    ans = solve(p)
    lines = [
        ph.pick(
            f"With only {len(p.jobs)} jobs we can simply check every subset.",
            "Brute force: a subset is schedulable iff, sorted by deadline, the i-th deadline is "
            "at least i.",
            "Let me enumerate all subsets in code.",
        ),
        code_block("python", src),
        ph.pick(f"It prints {ans}.", f"Result: {ans}.", f"The maximum found is {ans}."),
    ]
    return lines, ans


def render_heap(p: Jobs, ph: Ph) -> tuple[list[str], object]:
    """Deadline order with a min-heap of kept profits (pseudo-code plus a trace)."""
    src = """
sort jobs by deadline ascending
heap = empty min-heap
for each job (d, p):
    push p onto heap
    if size(heap) > d:
        pop the smallest profit
answer = sum(heap)
"""
    heap: list[int] = []
    trace = []
    for name, d, pr in sorted(p.jobs, key=lambda j: (j[1], -j[2])):
        heapq.heappush(heap, pr)
        dropped = heapq.heappop(heap) if len(heap) > d else None
        trace.append(
            f"{name} (d={d}, p={pr}): keep {sorted(heap)}"
            + (f", drop {dropped}" if dropped is not None else "")
        )
    ans = sum(heap)
    lines = [
        ph.pick(
            "Here is the min-heap algorithm in pseudo-code:",
            "Process by deadline, keeping only the best profits that still fit:",
            "A heap-based approach works well:",
        ),
        code_block("text", src),
        "\n".join(trace),
        ph.pick(f"Kept profits sum to {ans}.", f"Sum of the heap: {ans}.", f"Total = {ans}."),
    ]
    return lines, ans


def render_backward(p: Jobs, ph: Ph) -> tuple[list[str], object]:
    """Fill slots from the last one backwards with the best job still available."""
    left = list(p.jobs)
    parts, total = [], 0
    for t in range(max(j[1] for j in p.jobs), 0, -1):
        cand = [j for j in left if j[1] >= t]
        if not cand:
            parts.append(
                ph.pick(f"Nothing can use slot {t}.", f"Slot {t} stays empty.", f"No job fits {t}.")
            )
            continue
        j = max(cand, key=lambda x: x[2])
        left.remove(j)
        total += j[2]
        parts.append(
            ph.pick(
                f"For slot {t}, the jobs with deadline at least {t} that remain are "
                f"{', '.join(c[0] for c in cand)}; the best is {j[0]} with {j[2]}.",
                f"Slot {t} can host {', '.join(c[0] for c in cand)}, and we pick {j[0]} ({j[2]}).",
                f"In slot {t} we put {j[0]}, the most profitable "
                f"of {', '.join(c[0] for c in cand)}.",
            )
        )
    lines = [
        ph.pick(
            "We fill the time slots from the last one backwards. A job can occupy slot t only if "
            "its deadline is at least t, and a later slot is harder to fill, so it should get "
            "the most valuable job that can still go there.",
            "Work backwards in time: the last slot has the fewest candidates, so decide it first "
            "and give it the best eligible job.",
            "An exchange argument shows it is safe to fill the latest slot with the most "
            "profitable job allowed there, then repeat.",
        ),
        sentence(*parts),
        ph.pick(
            f"Adding up the chosen profits gives {total}.",
            f"The total profit is therefore {total}.",
            f"So the best total is {total}.",
        ),
    ]
    return lines, total


def render_dp(p: Jobs, ph: Ph) -> tuple[list[str], object]:
    """DP over jobs in deadline order, indexed by how many jobs are scheduled."""
    order = sorted(p.jobs, key=lambda j: j[1])
    n = len(order)
    neg = float("-inf")
    f: list[float] = [0] + [neg] * n
    lines = [
        ph.pick(
            r"Sort by deadline and let $f_c$ be the best profit with $c$ jobs scheduled so far. "
            r"Job $(d, p)$ can be added when $c + 1 \le "
            r"d$: $f_{c+1} \gets \max(f_{c+1}, f_c + p)$.",
            r"DP: process jobs by deadline; $f[c]$ = max profit using $c$ slots. "
            r"Transition $f[c+1] = \max(f[c+1], f[c] + p)$ if $c < d$.",
        )
    ]
    updates = []
    for name, d, pr in order:
        for c in range(n - 1, -1, -1):
            if f[c] != neg and c + 1 <= d:
                f[c + 1] = max(f[c + 1], f[c] + pr)
        shown = ", ".join("-\\infty" if x == neg else str(int(x)) for x in f)
        updates.append(f"- {name} $(d={d}, p={pr})$: $f = [{shown}]$")
    lines.append("\n".join(updates))
    ans = int(max(x for x in f if x != neg))
    lines.append(rf"$$\max_c f_c = \boxed{{{ans}}}$$")
    return lines, ans


FAMILY = Family(
    key="jobs",
    domain="planning",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("profit_greedy", "table", 0.07, render_greedy),
        Method("python_subsets", "code", 0.04, render_python),
        Method("deadline_heap", "code", 0.06, render_heap),
        Method("backward_slots", "prose", 0.13, render_backward),
        Method("count_dp", "mixed", 0.09, render_dp),
    ),
)
