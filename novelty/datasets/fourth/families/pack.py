"""Resource allocation: pack the most valuable kit within a weight limit (0/1 knapsack)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations

from .._text import bullet, fence, lines, pick, plain_table, plus, say
from .._types import Family, Method

_ITEMS = (
    "tent",
    "stove",
    "rope",
    "lantern",
    "first-aid kit",
    "water filter",
    "camera",
    "map case",
    "sleeping mat",
    "radio",
    "tarp",
    "solar panel",
)


@dataclass(frozen=True)
class Kit:
    names: tuple[str, ...]
    w: tuple[int, ...]
    v: tuple[int, ...]
    cap: int
    answer: str
    decoys: tuple[str, ...]


def best_subset(k: Kit, idx: tuple[int, ...], cap: int) -> tuple[int, tuple[int, ...]]:
    """(value, items) of the best subset of ``idx`` within ``cap``; ties keep the first."""
    best: tuple[int, tuple[int, ...]] = (0, ())
    for r in range(1, len(idx) + 1):
        for sub in combinations(idx, r):
            if sum(k.w[i] for i in sub) <= cap and sum(k.v[i] for i in sub) > best[0]:
                best = (sum(k.v[i] for i in sub), sub)
    return best


def make(rng: random.Random) -> Kit:
    """Four or five items; the limit sits between 40% and 70% of the total weight."""
    n = rng.randint(4, 5)
    w = tuple(rng.randint(1, 7) for _ in range(n))
    v = tuple(rng.randint(2, 18) for _ in range(n))
    cap = max(min(w), rng.randint(int(0.4 * sum(w)), int(0.7 * sum(w))))
    k = Kit(tuple(rng.sample(_ITEMS, n)), w, v, cap, "", ())
    val, _ = best_subset(k, tuple(range(n)), cap)
    greedy = _greedy(k)
    decoys = tuple(dict.fromkeys(f"{c} points" for c in (greedy, val - 1, val + 2) if c != val))
    return Kit(k.names, w, v, cap, f"{val} points", decoys)


def _greedy(k: Kit) -> int:
    room, val = k.cap, 0
    for i in sorted(range(len(k.w)), key=lambda i: -k.v[i] / k.w[i]):
        if k.w[i] <= room:
            room -= k.w[i]
            val += k.v[i]
    return val


def describe(k: Kit) -> str:
    its = ", ".join(f"{n} ({w} kg, {v} points)" for n, w, v in zip(k.names, k.w, k.v, strict=True))
    return (
        f"A trip pack holds at most {k.cap} kg. Candidate items: {its}. Each item is "
        "taken whole or left behind. What is the largest total value that fits?"
    )


def _subset_list(k: Kit, rng: random.Random) -> list[str]:
    b, rows = bullet(rng), []
    n = len(k.w)
    for mask in range(1, 2**n):
        sub = [i for i in range(n) if mask >> i & 1]
        w, v = sum(k.w[i] for i in sub), sum(k.v[i] for i in sub)
        tag = " | too heavy" if w > k.cap else ""
        rows.append(f"{b}{' + '.join(k.names[i] for i in sub)} | w={w} | v={v}{tag}")
    val, sub = best_subset(k, tuple(range(n)), k.cap)
    return [
        pick(
            rng,
            (
                f"Only {2**n - 1} non-empty subsets, so list them all:",
                "Enumerate every combination with its weight and value:",
            ),
        ),
        lines(rows),
        f"Best that fits: {' + '.join(k.names[i] for i in sub)}, value {val}.",
    ]


def _dp_plain(k: Kit, rng: random.Random) -> list[str]:
    best = [0] * (k.cap + 1)
    rows = [["none", *best]]
    for i, name in enumerate(k.names):
        for c in range(k.cap, k.w[i] - 1, -1):
            best[c] = max(best[c], best[c - k.w[i]] + k.v[i])
        rows.append([f"+{name}", *best])
    return [
        pick(
            rng,
            (
                "Dynamic programming over capacity: row = items considered so far, "
                "column = kg available, cell = best value.",
                "DP table, best value per capacity as items are added:",
            ),
        ),
        plain_table(["items", *(str(c) for c in range(k.cap + 1))], rows, rule=False),
        f"Bottom-right cell: {best[k.cap]}.",
    ]


def _branch_prose(k: Kit, rng: random.Random) -> list[str]:
    n = len(k.w)
    p = max(range(n), key=lambda i: k.v[i])
    rest = tuple(i for i in range(n) if i != p)
    name = k.names[p]

    def show(sub: tuple[int, ...]) -> str:
        return " + ".join(k.names[i] for i in sub) if sub else "nothing"

    sents = [
        pick(
            rng,
            (
                f"The {name} is the most valuable item ({k.v[p]} points, "
                f"{k.w[p]} kg), so split on it.",
                f"Branch on the {name}, the priciest thing at {k.v[p]} points.",
            ),
        )
    ]
    with_val = -1
    if k.w[p] <= k.cap:
        room = k.cap - k.w[p]
        rv, rs = best_subset(k, rest, room)
        with_val = k.v[p] + rv
        sents.append(
            f"Taking it leaves {room} kg; the best use of that is {show(rs)} worth "
            f"{rv}, so this branch gives {k.v[p]} + {rv} = {with_val}."
        )
    else:
        sents.append(f"It weighs more than the {k.cap} kg limit, so that branch is empty.")
    wv, ws = best_subset(k, rest, k.cap)
    sents.append(
        f"Leaving it behind, the full {k.cap} kg go to the others and the best is "
        f"{show(ws)} for {wv}."
    )
    sents.append(f"The better branch is worth {max(with_val, wv)}.")
    return [pick(rng, ("Let's think in two cases.", "Case analysis.")), " ".join(sents)]


def _dp_py(k: Kit, rng: random.Random) -> list[str]:
    its = ",\n    ".join(f'("{n}", {w}, {v})' for n, w, v in zip(k.names, k.w, k.v, strict=True))
    code = (
        f"cap = {k.cap}\nitems = [\n    {its},\n]\nbest = [0] * (cap + 1)\n"
        "for name, w, v in items:\n"
        "    for c in range(cap, w - 1, -1):  # backwards: each item once\n"
        "        best[c] = max(best[c], best[c - w] + v)\n"
        "print(best[cap])"
    )
    val, _ = best_subset(k, tuple(range(len(k.w))), k.cap)
    return [
        pick(rng, ("Standard 0/1 knapsack in Python:", "A one-dimensional DP does it:")),
        fence(rng, "python", code),
        say(f"It prints {val}.", pick(rng, ("", "Same as packing by hand would give."))),
    ]


def checks(k: Kit, rng: random.Random) -> list[str]:
    n = len(k.w)
    val, sub = best_subset(k, tuple(range(n)), k.cap)
    out = [
        f"{' + '.join(k.names[i] for i in sub)} weighs {plus([k.w[i] for i in sub])} = "
        f"{sum(k.w[i] for i in sub)} kg (limit {k.cap}) and is worth "
        f"{plus([k.v[i] for i in sub])} = {val}."
    ]
    g = _greedy(k)
    out.append(
        f"packing by value per kg would give {g}, "
        + ("the same." if g == val else f"less than {val}.")
    )
    out.append(
        f"all {n} items together weigh {sum(k.w)} kg, over the limit, so something has to stay."
        if sum(k.w) > k.cap
        else "everything fits."
    )
    return out


FAMILY = Family(
    key="pack",
    domain="allocation",
    goal="the best total value",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "Items cannot be split, so the value-per-kg shortcut is not guaranteed to work.",
        "Weights are whole kilograms.",
        "Leftover capacity is allowed; it just earns nothing.",
    ),
    methods=(
        Method("subset_list", "list", _subset_list),
        Method("dp_plain", "table", _dp_plain),
        Method("branch_prose", "prose", _branch_prose),
        Method("dp_py", "code", _dp_py),
    ),
)
