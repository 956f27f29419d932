"""Shortest makespan of a task graph with unlimited workers (critical path length).

Methods: forward-pass table of earliest start/finish, enumeration of every chain, a
topological DP program, a backward pass over remaining-work tails in prose, and an
event-driven simulation log.
"""

from __future__ import annotations

import random

from ..core import Family, Instance, Method, Pen, wrong_answers

JOBS = (
    ("fetch", "build", "test", "lint", "docs", "pack", "sign", "ship"),
    ("dig", "pour", "frame", "wire", "plumb", "roof", "paint", "clean"),
    ("A", "B", "C", "D", "E", "F", "G", "H"),
    ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"),
)


def make(rng: random.Random) -> Instance:
    """Draw a DAG on 5-7 tasks (edges only from earlier to later) with durations."""
    while True:
        n = rng.randint(5, 7)
        names = list(rng.choice(JOBS)[:n])
        dur = {t: rng.randint(1, 9) for t in names}
        preds: dict[str, list[str]] = {t: [] for t in names}
        for j in range(1, n):
            for i in range(j):
                if rng.random() < 0.35:
                    preds[names[j]].append(names[i])
        ef = _forward(names, dur, preds)
        chains = _chains(names, preds)
        if 3 <= len(chains) <= 10 and sum(dur.values()) > max(ef.values()):
            break
    ans = max(ef.values())
    lines = []
    for t in names:
        after = f", after {' and '.join(preds[t])}" if preds[t] else ", no prerequisites"
        lines.append(f"{t} ({dur[t]} h{after})")
    prompt = (
        "A job consists of these tasks: " + "; ".join(lines) + ". Any number of tasks can run "
        "in parallel once their prerequisites are finished. What is the shortest time in hours "
        "to finish everything?"
    )
    longest_single = max(dur.values())
    cands = [sum(dur.values()), ans + 1, ans - 1, longest_single, ans + dur[names[-1]]]
    data = {"names": names, "dur": dur, "preds": preds, "ef": ef, "chains": chains}
    return Instance(prompt, str(ans), wrong_answers(ans, cands), data, unit="hours")


def _forward(names: list[str], dur: dict[str, int], preds: dict[str, list[str]]) -> dict:
    ef: dict[str, int] = {}
    for t in names:
        ef[t] = max((ef[p] for p in preds[t]), default=0) + dur[t]
    return ef


def _chains(names: list[str], preds: dict[str, list[str]]) -> list[list[str]]:
    """All maximal chains from a task without prerequisites to a task nobody waits on."""
    succ = {t: [u for u in names if t in preds[u]] for t in names}
    out: list[list[str]] = []

    def walk(path: list[str]) -> None:
        nxt = succ[path[-1]]
        if not nxt:
            out.append(path)
        for u in nxt:
            walk([*path, u])

    for t in names:
        if not preds[t]:
            walk([t])
    return out


def verify(inst: Instance) -> str:
    """Simulate hour by hour with unlimited workers."""
    d = inst.data
    names, dur, preds = d["names"], d["dur"], d["preds"]
    done: dict[str, int] = {}
    running: dict[str, int] = {}
    t = 0
    while len(done) < len(names):
        for task in names:
            ready = all(p in done and done[p] <= t for p in preds[task])
            if task not in done and task not in running and ready:
                running[task] = t + dur[task]
        t = min(running.values())
        for task, end in list(running.items()):
            if end == t:
                done[task] = end
                del running[task]
    return str(max(done.values()))


def _d(inst: Instance) -> tuple[list[str], dict[str, int], dict[str, list[str]], dict]:
    d = inst.data
    return d["names"], d["dur"], d["preds"], d["ef"]


def forward_table(inst: Instance, pen: Pen, ans: str) -> None:
    """Earliest start = latest finish among prerequisites; earliest finish = start + duration."""
    names, dur, preds, ef = _d(inst)
    rows = []
    for t in names:
        es = ef[t] - dur[t]
        rows.append([t, dur[t], " ".join(preds[t]) or "-", es, ef[t]])
    pen.say(pen.pick("Forward pass:", "Earliest start/finish for each task:", "CPM forward pass."))
    pen.table(["task", "dur", "after", "ES", "EF"], rows, ("md", "aligned", "csv", "yaml"))
    pen.say(pen.pick(f"Largest EF = {ans}.", f"Everything is done at t = {ans}."))


def chains(inst: Instance, pen: Pen, ans: str) -> None:
    """List every chain of dependent tasks with its total length."""
    _names, dur, _preds, _ef = _d(inst)
    items = []
    for ch in inst.data["chains"]:
        total = sum(dur[t] for t in ch)
        expr = " + ".join(str(dur[t]) for t in ch)
        items.append(f"{' -> '.join(ch)}: {expr} = {total}")
    pen.say(pen.pick("Enumerate the chains:", "Every start-to-end chain:", "All paths:"))
    pen.lines(pen.shuffled(items) if pen.maybe(0.3) else items, ("-", "", "*"))
    pen.say(pen.pick(f"Longest chain: {ans}.", f"Max = {ans}, that's the critical path."))


def dp_code(inst: Instance, pen: Pen, ans: str) -> None:
    """Topological-order DP in a program."""
    names, dur, preds, ef = _d(inst)
    lang = pen.pick("python", "matlab", "pseudo")
    if lang == "python":
        dd = ", ".join(f'"{t}": {dur[t]}' for t in names)
        pp = ", ".join(f'"{t}": {preds[t]!r}'.replace("'", '"') for t in names)
        src = f"""dur = {{{dd}}}
after = {{{pp}}}
finish = {{}}
for t in dur:                       # already in topological order
    finish[t] = max((finish[p] for p in after[t]), default=0) + dur[t]
print(finish)
print(max(finish.values()))"""
        out = "{" + ", ".join(f"'{t}': {ef[t]}" for t in names) + "}\n" + inst.answer
    elif lang == "matlab":
        idx = {t: k + 1 for k, t in enumerate(names)}
        lines = [f"d = [{' '.join(str(dur[t]) for t in names)}];", f"f = zeros(1, {len(names)});"]
        for t in names:
            ps = " ".join(str(idx[p]) for p in preds[t])
            base = f"max(f([{ps}]))" if ps else "0"
            lines.append(f"f({idx[t]}) = {base} + d({idx[t]});   % {t}")
        lines.append("disp(max(f))")
        src = "\n".join(lines)
        out = inst.answer
    else:
        src = """for each task t in topological order:
    finish[t] = dur[t] + max(finish[p] for p in prereq[t], or 0 if none)
answer = max over t of finish[t]"""
        out = None
    pen.code("" if lang == "pseudo" else lang, src, out)
    pen.say(pen.pick(f"Makespan {ans}.", f"Result: {ans} hours.", f"So {ans}."))


def backward_prose(inst: Instance, pen: Pen, ans: str) -> None:
    """Remaining work after each task, computed from the end, in sentences."""
    names, dur, preds, _ef = _d(inst)
    succ = {t: [u for u in names if t in preds[u]] for t in names}
    tail: dict[str, int] = {}
    sents = []
    word = pen.pick("tail", "remaining time", "time-to-finish")
    follow = pen.choice(
        [
            "{t} takes {d} and is followed at worst by {n} ({tn}), so {w}({t}) = {v}.",
            "{t}: {d} + {w}({n}) = {d} + {tn} = {v}.",
            "After {t} ({d} h) the longest continuation is {n} with {tn}, giving {v}.",
        ]
    )
    end = pen.choice(
        [
            "Nothing waits on {t}, so its {w} is just {d}.",
            "{t} is a sink: {w}({t}) = {d}.",
            "{t} ends a chain, {w} = {d}.",
        ]
    )
    for t in reversed(names):
        tail[t] = dur[t] + max((tail[u] for u in succ[t]), default=0)
        if succ[t]:
            nxt = max(succ[t], key=lambda u: tail[u])
            sents.append(follow.format(t=t, d=dur[t], n=nxt, tn=tail[nxt], w=word, v=tail[t]))
        else:
            sents.append(end.format(t=t, d=dur[t], w=word))
    starts = [t for t in names if not preds[t]]
    pen.say(
        pen.pick("Work backwards from the end:", "Backward pass: how long from each task on?"),
        *sents,
    )
    pen.say(
        "The tasks that can start immediately are "
        + ", ".join(f"{t} ({tail[t]})" for t in starts)
        + pen.pick(
            f"; the largest is {ans}, and that is the finish time.",
            f". The maximum, {ans}, is the makespan.",
            f"; everything is done after the biggest of these, {ans}.",
        ),
    )


def simulation(inst: Instance, pen: Pen, ans: str) -> None:
    """Event log: start every ready task, advance to the next finish."""
    names, dur, _preds, ef = _d(inst)
    events: dict[int, list[str]] = {}
    for t in names:
        events.setdefault(ef[t] - dur[t], []).append(f"start {t}")
        events.setdefault(ef[t], []).append(f"{t} done")
    stamp = pen.choice(["t={}:", "[{}h]", "@{}", "time {} -"])
    log = []
    for time in sorted(events):
        acts = sorted(events[time], key=lambda s: not s.endswith("done"))
        log.append(stamp.format(time) + " " + ", ".join(acts))
    pen.say(pen.pick("Simulate with as many workers as needed:", "Event log:", "Timeline:"))
    pen.raw("\n".join(log))
    pen.say(pen.pick(f"Last task finishes at {ans}.", f"All done at t={ans}."))


def checks(inst: Instance) -> list[str]:
    """Re-checks of the makespan."""
    _names, dur, _preds, ef = _d(inst)
    best = max(inst.data["chains"], key=lambda ch: sum(dur[t] for t in ch))
    total = sum(dur.values())
    return [
        f"Critical chain {' -> '.join(best)} sums to {sum(dur[t] for t in best)}.",
        f"Sequential total would be {total}; parallelism brings it to {inst.answer}.",
        f"No task finishes after {inst.answer}: latest EF is {max(ef.values())}.",
    ]


FAMILY = Family(
    key="critpath",
    domain="scheduling",
    make=make,
    verify=verify,
    methods=(
        Method("forward_pass_table", "table", forward_table),
        Method("chain_enumeration", "list", chains),
        Method("topological_dp_code", "code", dp_code),
        Method("backward_tail_pass", "prose", backward_prose),
        Method("event_simulation", "list", simulation),
    ),
    checks=checks,
    asides=(
        "Workers are unlimited, so only dependencies constrain the schedule.",
        "Durations are whole hours, which keeps the bookkeeping simple.",
        "The tasks are listed in an order compatible with the dependencies.",
    ),
)
