"""Packing: load named items into the fewest boxes of a fixed weight limit (planning).

Methods: first-fit decreasing as a numbered list, a lower-bound argument then a construction
(prose), heavy-item/filler pairings line by line, an exhaustive search program, and best-fit in
the given order (prose).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .family import Family, Method, pick
from .writer import Writer, join_and

ITEMS = (
    "tent",
    "stove",
    "cooler",
    "lantern",
    "rope",
    "tarp",
    "kettle",
    "chairs",
    "axe",
    "water jug",
    "first-aid kit",
    "sleeping bag",
    "radio",
    "toolbox",
    "blanket",
    "firewood",
    "cookware",
    "map case",
)
BOXES = (("crates", "crate"), ("bins", "bin"), ("trunks", "trunk"), ("boxes", "box"))
Packing_ = list[list[str]]


@dataclass
class Packing:
    """Item weights, the box limit, and the optimal box count."""

    weight: dict[str, int]
    cap: int
    noun: tuple[str, str]
    best: int = 0
    ffd: Packing_ = field(default_factory=list)

    def first_fit(self, order: list[str], best_fit: bool = False) -> Packing_:
        boxes: Packing_ = []
        for it in order:
            room = [(self.cap - self.load(b), i) for i, b in enumerate(boxes)]
            fits = [(r, i) for r, i in room if r >= self.weight[it]]
            if not fits:
                boxes.append([it])
            else:
                boxes[min(fits)[1] if best_fit else fits[0][1]].append(it)
        return boxes

    def load(self, box: list[str]) -> int:
        return sum(self.weight[i] for i in box)

    def decreasing(self) -> list[str]:
        return sorted(self.weight, key=lambda i: (-self.weight[i], i))

    def show(self, boxes: Packing_) -> str:
        parts = [f"[{', '.join(b)}] ({self.load(b)})" for b in boxes]
        return f"{len(boxes)} {self.noun[0]}: " + "; ".join(parts)

    def answer(self, w: Writer, boxes: Packing_) -> Packing_:
        if w.ok:
            return boxes
        bad = [list(b) for b in boxes]
        if w.chance(0.5):  # a wasteful split
            big = max(range(len(bad)), key=lambda i: len(bad[i]))
            bad.append([bad[big].pop()])
        else:  # one box too many items: overloaded
            bad[0] += bad.pop()
        return bad

    def lower(self) -> int:
        return math.ceil(sum(self.weight.values()) / self.cap)

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        many, one = self.noun
        stuff = join_and([f"{i} ({k} kg)" for i, k in self.weight.items()])
        form = w.int(0, 2)
        if form == 0:
            w.p(
                f"We need to pack {stuff} into {many} that hold at most {self.cap} kg each.",
                ("What's the fewest number of " + many + "?", f"Use as few {many} as possible."),
            )
        elif form == 1:
            w.p(f"Packing problem: each {one} takes at most {self.cap} kg. Items:")
            w.lines([f"- {i}: {k} kg" for i, k in self.weight.items()])
            w.p(f"Minimise the number of {many}.")
        else:
            w.p(
                f"So there are {len(self.weight)} items — {stuff} — and {many} with a "
                f"{self.cap} kg limit.",
                f"How few {many} can carry everything?",
            )

    def keys(self) -> list[str]:
        return [*self.weight, f"{self.cap} kg"]

    def asides(self) -> list[str]:
        heavy = max(self.weight, key=lambda i: self.weight[i])
        return [
            f"The {heavy} is the awkward one; whatever goes with it has to be light.",
            "Items can't be split between boxes, which is what makes this harder than dividing.",
            f"Total weight is {sum(self.weight.values())} kg, worth keeping in mind as a check.",
        ]

    def verify(self) -> list[str]:
        loads = ", ".join(str(self.load(b)) for b in self.ffd)
        return [f"the loads are {loads}, all at most {self.cap}, and every item is packed once"]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return f"{self.best if ok else self.best + 1} {self.noun[0]}"


def _optimal(p: Packing) -> int:
    """Fewest boxes, by trying k = lower bound upwards with a small backtracking search."""
    items = p.decreasing()
    for k in range(p.lower(), len(items) + 1):
        loads = [0] * k

        def place(i: int, k: int = k, loads: list[int] = loads) -> bool:
            if i == len(items):
                return True
            seen = set()
            for b in range(k):
                if loads[b] in seen or loads[b] + p.weight[items[i]] > p.cap:
                    continue
                seen.add(loads[b])
                loads[b] += p.weight[items[i]]
                if place(i + 1):
                    return True
                loads[b] -= p.weight[items[i]]
            return False

        if place(0):
            return k
    return len(items)


def make(rng: np.random.Generator) -> Packing:
    """6-9 items, 3+ boxes needed, first-fit decreasing optimal (methods agree on the count)."""
    while True:
        cap = int(rng.integers(10, 16))
        names = [str(x) for x in rng.choice(ITEMS, size=int(rng.integers(6, 10)), replace=False)]
        weight = {n: int(rng.integers(2, cap * 2 // 3 + 1)) for n in names}
        p = Packing(weight, cap, pick(rng, BOXES))
        p.best, p.ffd = _optimal(p), p.first_fit(p.decreasing())
        if p.best >= 3 and len(p.ffd) == p.best:
            return p


def _ffd(w: Writer, p: Packing) -> str:
    order = p.decreasing()
    w.p(
        (
            "First-fit decreasing: sort heaviest first, put each item in the first box it fits.",
            "Sort by weight (descending), then place greedily into the first box with room.",
        )
    )
    boxes: Packing_ = []
    items = []
    for it in order:
        k = next((i for i, b in enumerate(boxes) if p.load(b) + p.weight[it] <= p.cap), None)
        if k is None:
            boxes.append([it])
            items.append(f"{it} ({p.weight[it]}): new {p.noun[1]} {len(boxes)}")
        else:
            boxes[k].append(it)
            items.append(f"{it} ({p.weight[it]}): {p.noun[1]} {k + 1}, now {p.load(boxes[k])}")
    w.numbered(items)
    w.check(
        [f"{p.noun[1]} {i + 1} holds {p.load(b)}" for i, b in enumerate(boxes)][:2],
        "no box is over the limit",
    )
    return p.show(p.answer(w, boxes))


def _bound(w: Writer, p: Packing) -> str:
    tot = sum(p.weight.values())
    w.p(
        (
            "Lower bound first: total weight over capacity.",
            "Think about how many boxes are forced before trying to pack.",
        ),
        f"The total is {tot} kg and each {p.noun[1]} takes {p.cap}, so at least "
        f"⌈{tot}/{p.cap}⌉ = {p.lower()}.",
        f"That bound isn't reachable here, so {p.best} is the target."
        if p.best > p.lower()
        else "<then> try to hit exactly that.",
    )
    w.check(
        [f"{tot}/{p.cap} = {tot / p.cap:.2f}, rounded up {p.lower()}"], f"the floor is {p.lower()}"
    )
    boxes = p.answer(w, p.ffd)
    desc = [f"{join_and(b)} ({p.load(b)} kg)" for b in boxes]
    w.p("Building it:", "; ".join(desc) + ".", "<hedge> that matches the bound.")
    return p.show(boxes)


def _pairs(w: Writer, p: Packing) -> str:
    w.p(("Pair heavy items with fillers:", "Match each heavy item with what fits beside it.", None))
    rows = []
    for b in p.ffd:
        parts = " + ".join(f"{i} {p.weight[i]}" for i in b)
        rows.append(f"{parts} = {p.load(b)} / {p.cap}" + (" ✓" if p.load(b) == p.cap else ""))
    w.lines(rows)
    w.check([f"the rows use all {len(p.weight)} items exactly once"], "nothing is left out")
    boxes = p.answer(w, p.ffd)
    w.p(f"<so> {len(boxes)} {p.noun[0]}.")
    return p.show(boxes)


def _code(w: Writer, p: Packing) -> str:
    src = f"""weights = {p.weight!r}
cap = {p.cap}
items = sorted(weights, key=weights.get, reverse=True)


def fits(k):
    loads = [0] * k

    def place(i):
        if i == len(items):
            return True
        for b in range(k):
            if loads[b] + weights[items[i]] <= cap:
                loads[b] += weights[items[i]]
                if place(i + 1):
                    return True
                loads[b] -= weights[items[i]]
        return False

    return place(0)


print(next(k for k in range(1, len(items) + 1) if fits(k)))"""
    boxes = p.answer(w, p.ffd)
    w.code(
        src,
        intro=("Exhaustive search settles the minimum:", "Let me brute-force it:", "In code:"),
        outro=(f"It prints {len(boxes)}.", f"Output: {len(boxes)}"),
    )
    w.check(
        ["the search tries every assignment for each k", "k counts up from 1"],
        "the first k that works is minimal",
    )
    return p.show(boxes)


def _best_fit(w: Writer, p: Packing) -> str:
    order = list(p.weight)
    w.p(
        (
            "Take the items in the order given and put each where it leaves the least room.",
            "Best fit, in the listed order: choose the fullest box that still has space.",
        )
    )
    boxes = p.first_fit(order, best_fit=True)
    sents = []
    for b_i, b in enumerate(boxes, 1):
        sents.append(f"{p.noun[1].capitalize()} {b_i} ends up with {join_and(b)}: {p.load(b)} kg.")
    w.p(*sents)
    if len(boxes) > p.best:
        w.p(f"That's {len(boxes)}, but sorting heaviest-first packs tighter:", p.show(p.ffd) + ".")
        boxes = p.ffd
    w.check(
        [f"{' + '.join(str(p.load(b)) for b in boxes)} = {sum(p.weight.values())}"],
        "all weight is accounted for",
    )
    return p.show(p.answer(w, boxes))


FAMILY = Family(
    name="packing",
    domain="planning",
    make=make,
    methods=(
        Method("first_fit_decreasing", "list", 0.85, _ffd),
        Method("bound_then_build", "prose", 0.7, _bound),
        Method("filler_pairs", "table", 0.75, _pairs),
        Method("search_program", "code", 0.9, _code),
        Method("best_fit_in_order", "prose", 0.65, _best_fit),
    ),
)
