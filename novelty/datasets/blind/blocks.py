"""Blocks world: rearrange stacks of lettered blocks into a goal arrangement in fewest moves.

Methods: backward goal regression, a state-per-line move trace, a breadth-first search program,
a misplaced-block lower-bound checklist, and unstack-then-rebuild with shortcuts.
"""

from __future__ import annotations

import contextlib
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .family import Family, Method, pick
from .writer import Writer, join_and

LETTERS = tuple("ABCDEFGHJKLMNPRSTUVWXYZ")
State = tuple[tuple[str, ...], ...]
Move = tuple[str, str]


def canon(stacks: list[tuple[str, ...]] | State) -> State:
    """Order-free form of a set of stacks (bottom first)."""
    return tuple(sorted(s for s in stacks if s))


def successors(state: State) -> list[tuple[str, str, State]]:
    """Every legal move, in the same order the BFS program in the traces generates them."""
    out = []
    for i, src in enumerate(state):
        block = src[-1]
        rest = [tuple(s) for s in state]
        rest[i] = rest[i][:-1]
        if len(src) > 1:
            out.append((block, "table", canon([*rest, (block,)])))
        for j, dst in enumerate(state):
            if j != i:
                new = list(rest)
                new[j] = (*dst, block)
                out.append((block, dst[-1], canon(new)))
    return out


def bfs(start: State, goal: State) -> list[Move]:
    q, seen = deque([(start, [])]), {start}
    while q:
        state, plan = q.popleft()
        if state == goal:
            return plan
        for block, dst, nxt in successors(state):
            if nxt not in seen:
                seen.add(nxt)
                q.append((nxt, [*plan, (block, dst)]))
    return []


def apply(state: State, mv: Move) -> State:
    for block, dst, nxt in successors(state):
        if (block, dst) == mv:
            return nxt
    raise ValueError(f"illegal move {mv}")


@dataclass
class Blocks:
    """Start and goal arrangements with the optimal plan precomputed."""

    start: State
    goal: State
    plan: list[Move] = field(default_factory=list)

    @property
    def blocks(self) -> list[str]:
        return sorted(b for s in self.start for b in s)

    def support(self, state: State) -> dict[str, str]:
        return {b: (s[i - 1] if i else "table") for s in state for i, b in enumerate(s)}

    def misplaced(self) -> list[str]:
        """Blocks not already resting on a correctly built part of a goal stack."""
        now, want, good = self.support(self.start), self.support(self.goal), set()
        for s in self.start:
            for b in s:
                under = now[b]
                if now[b] == want[b] and (under == "table" or under in good):
                    good.add(b)
        return [b for b in self.blocks if b not in good]

    def naive(self) -> list[Move]:
        """Put every misplaced block on the table (top down), then build goal stacks up."""
        bad, now, want = set(self.misplaced()), self.support(self.start), self.support(self.goal)
        out = [
            (b, "table") for s in self.start for b in reversed(s) if b in bad and now[b] != "table"
        ]
        for s in self.goal:
            out += [(b, want[b]) for b in s if b in bad and want[b] != "table"]
        return out

    def show_move(self, mv: Move) -> str:
        return f"{mv[0]} → {mv[1]}"

    def show(self, plan: list[Move]) -> str:
        return f"{len(plan)} moves: " + ", ".join(self.show_move(m) for m in plan)

    def answer(self, w: Writer) -> list[Move]:
        if w.ok:
            return self.plan
        longer = self.naive() if len(self.naive()) > len(self.plan) else None
        b = self.plan[0][0]
        detour = [(b, "table"), *self.plan] if self.plan[0][1] != "table" else None
        opts = [p for p in (longer, detour, self.plan[:-1]) if p]
        return pick(w.rng, opts)

    # -- Instance protocol ---------------------------------------------------------------------
    @staticmethod
    def describe(state: State) -> str:
        parts = []
        for s in state:
            if len(s) == 1:
                parts.append(f"{s[0]} alone on the table")
            else:
                parts.append(" on ".join(reversed(s)) + " (on the table)")
        return join_and(parts)

    @staticmethod
    def brackets(state: State) -> str:
        return " ".join("[" + " ".join(s) + "]" for s in state)

    def restate(self, w: Writer) -> None:
        rule = (
            "Only a clear block (nothing on it) can move, onto the table or another clear block.",
            "One block at a time, and only a block with nothing on top of it.",
        )
        form = w.int(0, 2)
        if form == 0:
            w.p(
                f"We have blocks {join_and(self.blocks)}. Initially {self.describe(self.start)}.",
                f"The goal is {self.describe(self.goal)}.",
                rule,
                "Find the fewest moves.",
            )
        elif form == 1:
            w.p(
                "Blocks world.",
                f"Start (bottom to top): {self.brackets(self.start)}.",
                f"Goal: {self.brackets(self.goal)}.",
                rule,
                "What is a shortest plan?",
            )
        else:
            w.p("So the setup is:")
            w.lines(
                [
                    f"- start: {self.brackets(self.start)} (bottom first)",
                    f"- goal: {self.describe(self.goal)}",
                ]
            )
            w.p(rule, "We want the minimum number of moves.")

    def keys(self) -> list[str]:
        return self.blocks

    def asides(self) -> list[str]:
        b = self.blocks[0]
        return [
            f"It's tempting to move {b} first just because it's first alphabetically, but the "
            "order of moves matters more than anything here.",
            "The table has unlimited room, so parking a block there is always allowed.",
            "A move that parks a block and later brings it back is usually wasted.",
        ]

    def verify(self) -> list[str]:
        state = self.start
        for mv in self.plan:
            state = apply(state, mv)
        return [
            f"applying the moves from {self.brackets(self.start)} ends in "
            f"{self.brackets(state)}, exactly the goal"
        ]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return f"{len(self.plan) if ok else len(self.plan) + 1} moves"


def _split(rng: np.random.Generator, blocks: list[str], most: int) -> State:
    order = [blocks[int(i)] for i in rng.permutation(len(blocks))]
    k = int(rng.integers(1, most + 1))
    cuts = sorted(int(c) for c in rng.choice(np.arange(1, len(order)), size=k - 1, replace=False))
    return canon([tuple(order[a:b]) for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)])


def make(rng: np.random.Generator) -> Blocks:
    """4-5 blocks whose optimal plan takes 3-7 moves."""
    while True:
        n = int(rng.integers(4, 6))
        letters = sorted(str(x) for x in rng.choice(LETTERS, size=n, replace=False))
        bw = Blocks(_split(rng, letters, 3), _split(rng, letters, 2))
        if bw.start == bw.goal:
            continue
        bw.plan = bfs(bw.start, bw.goal)
        if 3 <= len(bw.plan) <= 7:
            return bw


def _legal(bw: Blocks) -> list[str]:
    """Rewordings of replaying the optimal plan, for re-verification."""
    state, steps = bw.start, []
    for mv in bw.plan:
        state = apply(state, mv)
        steps.append(f"{bw.show_move(mv)} gives {bw.brackets(state)}")
    return ["; ".join(steps), f"replaying the moves ends at {bw.brackets(state)}, the goal"]


def _backward(w: Writer, bw: Blocks) -> str:
    w.p(
        (
            "Let me reason backwards from the goal: what must the last move be?",
            "Working backwards: which block gets placed last, and what has to happen before it?",
            "Goal regression: start from the final arrangement and undo moves.",
        )
    )
    sents, rev = [], bw.plan[::-1]
    for i, (b, d) in enumerate(rev):
        where = "the table" if d == "table" else d
        if i == 0:
            sents.append(f"The last move can be putting {b} onto {where}.")
        else:
            form = pick(
                w.rng,
                [
                    "Before that, {b} has to go onto {d}.",
                    "That needs {b} moved onto {d} first.",
                    "Which requires {b} on {d} beforehand.",
                ],
            )
            sents.append(form.format(b=b, d=where))
    sents.append(f"And before all that, the start position {bw.brackets(bw.start)} allows it.")
    w.p(*sents)
    plan = bw.answer(w)
    w.check(_legal(bw), "the plan is legal")
    w.p(
        "Reading it forwards:",
        ", then ".join(f"{b} onto {'the table' if d == 'table' else d}" for b, d in plan) + ".",
    )
    return bw.show(plan)


def _trace(w: Writer, bw: Blocks) -> str:
    w.header(("Move trace", "States after each move", "Simulation"))
    w.p(("Let me track the state after each move.", "Move by move:", None))
    plan = bw.answer(w)
    state, note = bw.start, pick(w.rng, ["brackets", "slash", "table"])
    fmt = {
        "brackets": bw.brackets,
        "slash": lambda s: ", ".join("/".join(x) for x in s),
        "table": bw.brackets,
    }[note]
    rows, trows = [f"Start: {fmt(state)}"], []
    for k, mv in enumerate(plan, 1):
        with contextlib.suppress(ValueError):  # a wrong plan may contain an illegal move
            state = apply(state, mv)
        rows.append(f"Move {k}: {mv[0]} → {mv[1]} | {fmt(state)}")
        trows.append([str(k), mv[0], mv[1], fmt(state)])
    if note == "table":
        w.table(["#", "block", "onto", "state"], trows)
    else:
        w.lines(rows)
    w.check(_legal(bw), "every move is legal")
    w.p(f"<so> {len(plan)} moves reach the goal.")
    return bw.show(plan)


def _code(w: Writer, bw: Blocks) -> str:
    src = f"""from collections import deque

start = {bw.start!r}
goal = {bw.goal!r}


def canon(stacks):
    return tuple(sorted(s for s in stacks if s))


def moves(state):
    for i, src in enumerate(state):
        block = src[-1]
        rest = [tuple(s) for s in state]
        rest[i] = rest[i][:-1]
        if len(src) > 1:
            yield block, "table", canon(rest + [(block,)])
        for j, dst in enumerate(state):
            if j != i:
                new = list(rest)
                new[j] = dst + (block,)
                yield block, dst[-1], canon(new)


def solve():
    queue = deque([(canon(start), [])])
    seen = {{canon(start)}}
    while queue:
        state, plan = queue.popleft()
        if state == canon(goal):
            return plan
        for block, dst, nxt in moves(state):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, plan + [(block, dst)]))


plan = solve()
print(len(plan), plan)"""
    plan = bw.answer(w)
    w.code(
        src,
        intro=(
            "A breadth-first search over states gives a guaranteed shortest plan:",
            "BFS is the safe way to get the minimum:",
            "Let me just search it.",
        ),
        outro=(f"This prints {len(plan)} {plan}.", f"Output: {len(plan)} {plan}"),
    )
    w.check(
        [
            "BFS pops states in order of how many moves they took",
            "the queue is first-in first-out, so shorter plans are found first",
        ],
        "the first plan reaching the goal is a shortest one",
    )
    return bw.show(plan)


def _misplaced(w: Writer, bw: Blocks) -> str:
    now, want, bad = bw.support(bw.start), bw.support(bw.goal), set(bw.misplaced())
    w.p(
        (
            "Count the blocks that are not yet where they belong; each needs at least one move.",
            "Lower bound first: every misplaced block must move at least once.",
        )
    )
    items = []
    for b in bw.blocks:
        verdict = "misplaced" if b in bad else "fine"
        items.append(f"{b}: on {now[b]}, should be on {want[b]} → {verdict}")
    w.numbered(items)
    w.check(
        [f"{b} rests on {now[b]} but belongs on {want[b]}" for b in sorted(bad)[:2]],
        f"{len(bad)} blocks are misplaced",
    )
    plan = bw.answer(w)
    extra = len(bw.plan) - len(bad)
    w.p(
        f"<so> at least {len(bad)} moves.",
        "A plan achieving it:" if extra == 0 else f"We need {extra} extra move(s) to clear space:",
    )
    w.numbered([f"{b} onto {'the table' if d == 'table' else d}" for b, d in plan])
    return bw.show(plan)


def _unstack(w: Writer, bw: Blocks) -> str:
    naive = bw.naive()
    w.p(
        (
            "Simple strategy: put every misplaced block on the table, then build the goal.",
            "The safe plan is to unstack what's wrong onto the table and rebuild from the bottom.",
        ),
        f"That takes {len(naive)} moves: " + ", ".join(bw.show_move(m) for m in naive) + ".",
    )
    w.check(_legal(bw), "the shortened plan is legal")
    plan = bw.answer(w)
    if len(naive) > len(bw.plan):
        w.p(
            "But some blocks can go straight to their final spot instead of via the table,",
            f"which saves {len(naive) - len(bw.plan)}.",
            f"The shortened plan: {', '.join(bw.show_move(m) for m in plan)}.",
        )
    else:
        w.p(
            "No shortcut is possible: every move here is forced.",
            w.maybe(0.5, "<hedge> this is optimal."),
        )
    return bw.show(plan)


FAMILY = Family(
    name="blocks",
    domain="planning",
    make=make,
    methods=(
        Method("goal_regression", "prose", 0.7, _backward),
        Method("state_trace", "table", 0.85, _trace),
        Method("bfs_program", "code", 0.9, _code),
        Method("misplaced_bound", "list", 0.8, _misplaced),
        Method("unstack_rebuild", "prose", 0.65, _unstack),
    ),
)
