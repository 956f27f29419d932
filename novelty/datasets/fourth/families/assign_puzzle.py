"""A small logic grid: four people, four items, clues; who has the target item?"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import permutations

from .._text import bullet, fence, lines, md_table, pick
from .._types import Family, Method

_PEOPLE = ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun")
_KINDS = {
    "pet": ("cat", "dog", "parrot", "turtle", "hamster", "rabbit"),
    "drink": ("tea", "coffee", "cocoa", "juice", "water", "lemonade"),
    "instrument": ("piano", "violin", "drums", "flute", "cello", "harp"),
}
Clue = tuple  # ("not", p, x) | ("is", p, x) | ("either", p, x, y)


@dataclass(frozen=True)
class Puzzle:
    kind: str
    people: tuple[str, ...]
    items: tuple[str, ...]
    clues: tuple[Clue, ...]
    truth: tuple[int, ...]  # truth[p] = item index
    target: int
    answer: str
    decoys: tuple[str, ...]


def _apply(cand: list[set[int]], c: Clue) -> None:
    if c[0] == "not":
        cand[c[1]].discard(c[2])
    elif c[0] == "is":
        cand[c[1]] &= {c[2]}
    else:
        cand[c[1]] &= {c[2], c[3]}


def propagate(
    people: tuple[str, ...], items: tuple[str, ...], clues: tuple[Clue, ...]
) -> tuple[list[set[int]] | None, list[tuple], str]:
    """Apply the clues, then naked and hidden singles; None on a contradiction."""
    n = len(people)
    cand = [set(range(n)) for _ in range(n)]
    events: list[tuple] = []
    for k, c in enumerate(clues):
        _apply(cand, c)
        events.append(("clue", k, c))
    changed = True
    while changed:
        changed = False
        for p in range(n):
            if not cand[p]:
                return None, events, f"{people[p]} is left with nothing"
        for x in range(n):
            if not any(x in cand[p] for p in range(n)):
                return None, events, f"nobody can have the {items[x]}"
        for p in range(n):
            if len(cand[p]) == 1:
                x = next(iter(cand[p]))
                hit = tuple(q for q in range(n) if q != p and x in cand[q])
                for q in hit:
                    cand[q].discard(x)
                if hit:
                    events.append(("naked", p, x, hit))
                    changed = True
        for x in range(n):
            owners = [p for p in range(n) if x in cand[p]]
            if len(owners) == 1 and len(cand[owners[0]]) > 1:
                cand[owners[0]] = {x}
                events.append(("hidden", owners[0], x))
                changed = True
    return cand, events, ""


def _solved(pz_people: tuple[str, ...], items: tuple[str, ...], clues: tuple) -> bool:
    cand, _, _ = propagate(pz_people, items, clues)
    return cand is not None and all(len(c) == 1 for c in cand)


def make(rng: random.Random) -> Puzzle:
    """A random truth, then clues until propagation alone pins it down."""
    kind = pick(rng, tuple(_KINDS))
    people = tuple(rng.sample(_PEOPLE, 4))
    items = tuple(rng.sample(_KINDS[kind], 4))
    truth = tuple(rng.sample(range(4), 4))
    pool: list[Clue] = [("not", p, x) for p in range(4) for x in range(4) if truth[p] != x]
    for p in rng.sample(range(4), 2):
        y = rng.choice([x for x in range(4) if x != truth[p]])
        pool.append(("either", p, *sorted((truth[p], y))))
    if rng.random() < 0.3:
        p = rng.randrange(4)
        pool.append(("is", p, truth[p]))
    rng.shuffle(pool)
    clues: list[Clue] = []
    for c in pool:
        clues.append(c)
        if _solved(people, items, tuple(clues)):
            break
    for c in list(clues):  # drop clues the solution does not need
        rest = tuple(x for x in clues if x != c)
        if _solved(people, items, rest):
            clues = list(rest)
    target = rng.randrange(4)
    owner = truth.index(target)
    return Puzzle(
        kind,
        people,
        items,
        tuple(clues),
        truth,
        target,
        people[owner],
        tuple(people[p] for p in range(4) if p != owner),
    )


def clue_text(pz: Puzzle, c: Clue) -> str:
    who = pz.people[c[1]]
    if c[0] == "not":
        return f"{who} does not have the {pz.items[c[2]]}"
    if c[0] == "is":
        return f"{who} has the {pz.items[c[2]]}"
    return f"{who} has either the {pz.items[c[2]]} or the {pz.items[c[3]]}"


def _holds(c: Clue, assign: tuple[int, ...]) -> bool:
    if c[0] == "not":
        return assign[c[1]] != c[2]
    if c[0] == "is":
        return assign[c[1]] == c[2]
    return assign[c[1]] in (c[2], c[3])


def describe(pz: Puzzle) -> str:
    cl = " ".join(f"({k + 1}) {clue_text(pz, c)}." for k, c in enumerate(pz.clues))
    return (
        f"{', '.join(pz.people)} each own a different {pz.kind}: "
        f"{', '.join(pz.items)}. Clues: {cl} Who has the {pz.items[pz.target]}?"
    )


def _perm_list(pz: Puzzle, rng: random.Random) -> list[str]:
    b, rows = pick(rng, ("", "case ")), []
    for k, assign in enumerate(permutations(range(4))):
        bad = next((i for i, c in enumerate(pz.clues) if not _holds(c, assign)), None)
        pairs = " ".join(f"{pz.people[p][0]}={pz.items[x]}" for p, x in enumerate(assign))
        verdict = f"clue {bad + 1} fails" if bad is not None else "all clues hold"
        rows.append(f"{b}{k + 1}{'.' if not b else ':'} {pairs} -> {verdict}")
    return [
        pick(
            rng,
            (
                "Only 24 ways to hand out the items, so check them all (initials for names):",
                "Brute force over all 24 assignments:",
            ),
        ),
        lines(rows),
        f"One row survives, and in it the {pz.items[pz.target]} is with {pz.answer}.",
    ]


def _grid(pz: Puzzle, cand: list[set[int]]) -> str:
    def cell(p: int, x: int) -> str:
        if x not in cand[p]:
            return "x"
        return "Y" if len(cand[p]) == 1 else "?"

    rows = [[pz.people[p], *(cell(p, x) for x in range(4))] for p in range(4)]
    return md_table(["", *pz.items], rows)


def _grid_table(pz: Puzzle, rng: random.Random) -> list[str]:
    n = len(pz.people)
    first = [set(range(n)) for _ in range(n)]
    for c in pz.clues:
        _apply(first, c)
    final, _, _ = propagate(pz.people, pz.items, pz.clues)
    assert final is not None
    return [
        pick(
            rng,
            (
                "Set up the elimination grid and cross out what the clues forbid:",
                "Grid first (x = ruled out, ? = open):",
            ),
        ),
        _grid(pz, first),
        pick(
            rng,
            (
                "Now fill in singles: a row or column with one open cell is fixed.",
                "Propagating the forced cells:",
            ),
        ),
        _grid(pz, final),
        f"The {pz.items[pz.target]} column has its Y in {pz.answer}'s row.",
    ]


def _deduce_prose(pz: Puzzle, rng: random.Random) -> list[str]:
    _, events, _ = propagate(pz.people, pz.items, pz.clues)
    sents = []
    for e in events:
        if e[0] == "clue":
            c = e[2]
            sents.append(f"Clue {e[1] + 1} tells us {clue_text(pz, c)}.")
        elif e[0] == "naked":
            who = " and ".join(pz.people[q] for q in e[3])
            sents.append(
                pick(
                    rng,
                    (
                        f"{pz.people[e[1]]} is down to the {pz.items[e[2]]}, "
                        f"so {who} cannot have it.",
                        f"Only the {pz.items[e[2]]} is left for {pz.people[e[1]]}, which takes it "
                        f"away from {who}.",
                    ),
                )
            )
        else:
            sents.append(f"The {pz.items[e[2]]} can now only be {pz.people[e[1]]}'s.")
    return [
        pick(rng, ("Let's deduce it clue by clue.", "Reasoning it out step by step:")),
        " ".join(sents),
        f"So the {pz.items[pz.target]} belongs to {pz.answer}.",
    ]


def _brute_py(pz: Puzzle, rng: random.Random) -> list[str]:
    conds = []
    for c in pz.clues:
        who = f'has["{pz.people[c[1]]}"]'
        if c[0] == "not":
            conds.append(f'{who} != "{pz.items[c[2]]}"')
        elif c[0] == "is":
            conds.append(f'{who} == "{pz.items[c[2]]}"')
        else:
            conds.append(f'{who} in ("{pz.items[c[2]]}", "{pz.items[c[3]]}")')
    ppl = ", ".join(f'"{p}"' for p in pz.people)
    its = ", ".join(f'"{x}"' for x in pz.items)
    code = (
        "from itertools import permutations\n\n"
        f"people = [{ppl}]\nfor combo in permutations([{its}]):\n"
        "    has = dict(zip(people, combo))\n    ok = [\n"
        + "".join(f"        {c},\n" for c in conds)
        + "    ]\n    if all(ok):\n        print(has)"
    )
    sol = ", ".join(f"'{p}': '{pz.items[x]}'" for p, x in zip(pz.people, pz.truth, strict=True))
    return [
        pick(
            rng,
            (
                "Encode each clue as a condition and let Python try every assignment:",
                "Small enough to brute-force in code:",
            ),
        ),
        fence(rng, "python", code),
        f"It prints exactly one line: {{{sol}}}.",
    ]


def _suppose_list(pz: Puzzle, rng: random.Random) -> list[str]:
    b, rows, item = bullet(rng), [], pz.items[pz.target]
    for p, who in enumerate(pz.people):
        clues = (*pz.clues, ("is", p, pz.target))
        direct = next(
            (k for k, c in enumerate(pz.clues) if c[1] == p and not _holds(c, _fake(p, pz.target))),
            None,
        )
        if direct is not None:
            rows.append(f"{b}{who} has the {item}? -> clue {direct + 1} forbids it")
            continue
        cand, _, why = propagate(pz.people, pz.items, clues)
        rows.append(
            f"{b}{who} has the {item}? -> " + (f"then {why}" if cand is None else "no conflict")
        )
    return [
        f"Try each person as the owner of the {item} and look for a contradiction:",
        lines(rows),
        f"Only {pz.answer} survives.",
    ]


def _fake(p: int, x: int) -> tuple[int, ...]:
    """An assignment where person ``p`` has item ``x`` (others irrelevant)."""
    out = [-1] * 4
    out[p] = x
    return tuple(out)


def checks(pz: Puzzle, rng: random.Random) -> list[str]:
    out = []
    for k, c in enumerate(pz.clues):
        out.append(
            f"clue {k + 1}, {clue_text(pz, c)}: with {pz.people[c[1]]} holding the "
            f"{pz.items[pz.truth[c[1]]]}, it holds."
        )
    rng.shuffle(out)
    full = ", ".join(f"{p} the {pz.items[x]}" for p, x in zip(pz.people, pz.truth, strict=True))
    return [f"the full assignment is {full}.", *out[:3]]


FAMILY = Family(
    key="assign_puzzle",
    domain="logic",
    goal="the owner of the asked-about item",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "Each person has exactly one item and no two share one, so it is a permutation.",
        "Negative clues are the useful ones here; they shrink the options fast.",
        "If a clue looks redundant, it is usually needed to break a tie later.",
    ),
    methods=(
        Method("perm_list", "list", _perm_list),
        Method("grid_table", "table", _grid_table),
        Method("deduce_prose", "prose", _deduce_prose),
        Method("brute_py", "code", _brute_py),
        Method("suppose_list", "list", _suppose_list),
    ),
)
