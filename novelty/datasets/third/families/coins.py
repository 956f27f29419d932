"""Making change with the fewest coins from a given set of denominations (domain: math)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, md_table, sentence

UNITS = (("coins", "cents"), ("stamps", "pence"), ("tokens", "credits"))


@dataclass(frozen=True)
class Change:
    coins: tuple[int, ...]  # ascending, always contains 1
    amount: int
    thing: str
    unit: str


def table(coins: tuple[int, ...], amount: int) -> tuple[list[int], list[int]]:
    """Fewest coins and the last coin used for every amount up to `amount`."""
    best = [0] + [10**9] * amount
    last = [0] * (amount + 1)
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and best[a - c] + 1 < best[a]:
                best[a], last[a] = best[a - c] + 1, c
    return best, last


def decompose(coins: tuple[int, ...], amount: int) -> list[int]:
    _, last = table(coins, amount)
    out = []
    while amount:
        out.append(last[amount])
        amount -= last[amount]
    return sorted(out, reverse=True)


def greedy(coins: tuple[int, ...], amount: int) -> list[int]:
    out = []
    for c in sorted(coins, reverse=True):
        while amount >= c:
            out.append(c)
            amount -= c
    return out


def make(rng: Random) -> Change:
    extra = rng.sample(range(2, 16), rng.randint(2, 3))
    thing, unit = rng.choice(UNITS)
    return Change(tuple(sorted({1, *extra})), rng.randint(13, 34), thing, unit)


def solve(p: Change) -> int:
    return table(p.coins, p.amount)[0][p.amount]


def perturb(p: Change, rng: Random) -> Change:
    """Misread the amount or drop a denomination."""
    if rng.random() < 0.5 and len(p.coins) > 2:
        drop = rng.choice(p.coins[1:])
        return replace(p, coins=tuple(c for c in p.coins if c != drop))
    return replace(p, amount=p.amount + rng.choice((-3, -1, 1, 2, 4)))


def show(p: Change, n: int) -> str:
    return f"{n} {p.thing}"


def _plus(xs: list[int]) -> str:
    return " + ".join(str(x) for x in xs)


def restate(p: Change, ph: Ph) -> str:
    cs = ", ".join(str(c) for c in p.coins)
    return sentence(
        ph.pick(
            f"We have unlimited {p.thing} worth {cs} {p.unit}.",
            f"The available {p.thing} have values {cs} (in {p.unit}), with unlimited supply.",
            f"Suppose {p.thing} come in denominations {cs} {p.unit}, as many as we like.",
        ),
        ph.pick(
            f"What is the smallest number of {p.thing} that add up to exactly {p.amount} {p.unit}?",
            f"We want to pay exactly {p.amount} {p.unit} using as few {p.thing} as possible.",
            f"Find the minimum count of {p.thing} summing to {p.amount}.",
        ),
    )


def render_table(p: Change, ph: Ph) -> tuple[list[str], object]:
    """Bottom-up DP table over all amounts."""
    best, last = table(p.coins, p.amount)
    rows = [[a, best[a], last[a] or "-"] for a in range(p.amount + 1)]
    lines = [
        ph.pick(
            f"We fill in the fewest {p.thing} for every amount from 0 to {p.amount}.",
            "Build the standard DP table: best(a) = 1 + min over coins c of best(a - c).",
            "Let's tabulate the optimum for each smaller amount first.",
        ),
        md_table(["amount", "fewest", "last coin"], rows),
        ph.pick(
            f"The last row gives {best[p.amount]}, e.g. {_plus(decompose(p.coins, p.amount))}.",
            f"So {p.amount} needs {best[p.amount]} {p.thing}, "
            f"namely {_plus(decompose(p.coins, p.amount))}.",
            f"Reading back the last coins: {_plus(decompose(p.coins, p.amount))}, "
            f"which is {best[p.amount]} {p.thing}.",
        ),
    ]
    return lines, best[p.amount]


def render_python(p: Change, ph: Ph) -> tuple[list[str], object]:
    """The same DP, written as Python."""
    name = ph.pick("min_coins", "fewest", "change")
    src = f"""
def {name}(coins, amount):
    best = [0] + [float("inf")] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a:
                best[a] = min(best[a], best[a - c] + 1)
    return best[amount]

print({name}({list(p.coins)}, {p.amount}))
"""
    ans = solve(p)
    lines = [
        ph.pick(
            "Greedy can fail for arbitrary denominations, so we use DP in code.",
            "A few lines of Python compute the optimum exactly.",
            "Let's write the classic coin-change DP.",
        ),
        code_block("python", src),
        ph.pick(f"It prints {ans}.", f"Output: `{ans}`.", f"This returns {ans}."),
    ]
    return lines, ans


def render_enumerate(p: Change, ph: Ph) -> tuple[list[str], object]:
    """Enumerate how many of the largest coin to use, solving each remainder."""
    top = p.coins[-1]
    rest = p.coins[:-1]
    items, totals = [], []
    for k in range(p.amount // top, -1, -1):
        rem = p.amount - k * top
        parts = decompose(rest, rem)
        totals.append(k + len(parts))
        items.append(
            f"- {k} x {top}: remainder {rem} -> {len(parts)} more"
            + (f" ({_plus(parts)})" if parts else "")
            + f", total {k + len(parts)}"
        )
    ans = min(totals)
    lines = [
        ph.pick(
            f"Split by how many {top}s we use, then cover the rest as cheaply as possible:",
            f"Case on the number of {top}-value {p.thing}:",
            f"Let's enumerate the count of the largest denomination ({top}):",
        ),
        "\n".join(items),
        ph.pick(
            f"The smallest total is {ans}.",
            f"Minimum over the cases: {ans}.",
            f"Best case uses {ans} {p.thing}.",
        ),
    ]
    return lines, ans


def render_greedy_check(p: Change, ph: Ph) -> tuple[list[str], object]:
    """Start from the greedy answer and argue about whether it can be beaten."""
    g = greedy(p.coins, p.amount)
    opt = decompose(p.coins, p.amount)
    lines = [
        sentence(
            ph.pick(
                "A natural first attempt is greedy: always take the largest coin that fits.",
                "Let's begin with the greedy choice and then see if it can be improved.",
                "Greedy gives a quick upper bound.",
            ),
            ph.pick(
                f"Greedy produces {_plus(g)}, which is {len(g)} {p.thing}.",
                f"That yields {_plus(g)}, so {len(g)} {p.thing}.",
            ),
            ph.filler(),
        )
    ]
    if len(opt) < len(g):
        lines.append(
            sentence(
                ph.pick(
                    "But greedy is not always optimal with these values.",
                    "These denominations are not canonical, so we should look harder.",
                    "However, taking fewer of the big coin might help.",
                ),
                ph.pick(
                    f"Indeed {_plus(opt)} also makes {p.amount} with only {len(opt)}.",
                    f"For instance {_plus(opt)} = {p.amount} uses {len(opt)} {p.thing}.",
                ),
                ph.pick(
                    f"Trying the other splits does not get below {len(opt)}.",
                    f"No combination of {len(opt) - 1} reaches {p.amount}, "
                    f"so {len(opt)} is optimal.",
                ),
            )
        )
    else:
        lines.append(
            sentence(
                ph.pick(
                    "We check whether swapping some large coins for smaller ones could help.",
                    "Could fewer coins work? Replacing a big coin always costs at least one more.",
                    "Trying to use one fewer of the largest coin never reduces the count here.",
                ),
                ph.pick(
                    f"With {len(g) - 1} {p.thing} the largest reachable sums miss "
                    f"{p.amount}, so greedy is optimal.",
                    f"No arrangement with {len(g) - 1} {p.thing} hits {p.amount} exactly.",
                    "So greedy is optimal in this case.",
                ),
            )
        )
    return lines, len(opt)


def render_js(p: Change, ph: Ph) -> tuple[list[str], object]:
    """Breadth-first search over amounts, in JavaScript."""
    src = f"""
const coins = [{", ".join(map(str, p.coins))}];
const target = {p.amount};
let frontier = [0], seen = new Set([0]), steps = 0;
while (!seen.has(target)) {{
  steps++;
  const next = [];
  for (const a of frontier)
    for (const c of coins)
      if (a + c <= target && !seen.has(a + c)) {{ seen.add(a + c); next.push(a + c); }}
  frontier = next;
}}
console.log(steps);
"""
    ans = solve(p)
    lines = [
        ph.pick(
            "Think of amounts as nodes and each coin as an edge; BFS from 0 finds the fewest.",
            "A breadth-first search over reachable sums gives the minimum count.",
            "Each BFS layer adds one coin, so the first layer containing the target is optimal.",
        ),
        code_block("javascript", src),
        ph.pick(
            f"The target first appears at layer {ans}.",
            f"It logs {ans}.",
            f"The search stops after {ans} layers.",
        ),
    ]
    return lines, ans


FAMILY = Family(
    key="coins",
    domain="math",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("dp_table", "table", 0.06, render_table),
        Method("python_dp", "code", 0.04, render_python),
        Method("largest_coin_cases", "list", 0.08, render_enumerate),
        Method("greedy_then_check", "prose", 0.15, render_greedy_check),
        Method("js_bfs", "code", 0.06, render_js),
    ),
)
