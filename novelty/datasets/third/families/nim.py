"""Take-away (subtraction) games: a pile, take 1..k per turn, last take wins (domain: games)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, sentence

PLAYERS = (("Alice", "Bob"), ("Maya", "Theo"), ("Rosa", "Sam"), ("Uma", "Victor"))
OBJECTS = ("stones", "matches", "coins", "counters", "tokens")


@dataclass(frozen=True)
class Nim:
    n: int  # stones in the pile
    k: int  # most stones one move may take
    first: str
    second: str
    obj: str


def make(rng: Random) -> Nim:
    first, second = rng.choice(PLAYERS)
    k = rng.randint(2, 6)
    n = rng.randint(13, 42)
    if rng.random() < 0.25:  # some losing positions, so "second player wins" occurs
        n -= n % (k + 1)
    return Nim(n, k, first, second, rng.choice(OBJECTS))


def solve(g: Nim) -> int:
    """Stones the first player should take; 0 means the second player wins."""
    return g.n % (g.k + 1)


def perturb(g: Nim, rng: Random) -> Nim:
    """Misread the pile size or the move limit."""
    if rng.random() < 0.5:
        return replace(g, k=max(2, g.k + rng.choice((-1, 1))))
    return replace(g, n=g.n + rng.choice((-2, -1, 1, 2)))


def show(g: Nim, r: int) -> str:
    if r == 0:
        return f"{g.second} (the second player) wins"
    return f"{g.first} wins by taking {r}"


def restate(g: Nim, ph: Ph) -> str:
    return sentence(
        ph.pick(
            f"There is a pile of {g.n} {g.obj}.",
            f"A single pile holds {g.n} {g.obj}.",
            f"We start with {g.n} {g.obj} on the table.",
        ),
        ph.pick(
            f"{g.first} and {g.second} alternate turns, {g.first} first, and each turn "
            f"removes between 1 and {g.k} {g.obj}.",
            f"Players take turns ({g.first} starts); a move takes 1 to {g.k} {g.obj}.",
            f"On each turn a player must remove at least 1 and at most {g.k}; "
            f"{g.first} moves first, then {g.second}.",
        ),
        ph.pick(
            "Whoever takes the last one wins.",
            "The player who removes the final object wins.",
            "Taking the last item wins the game.",
        ),
        ph.pick(
            f"Who wins with perfect play, and what should {g.first} take first?",
            "We must decide the winner and the winning first move, if any.",
            f"Does {g.first} have a winning strategy, and how many should be taken first?",
        ),
    )


def _verdict(g: Nim, r: int, ph: Ph) -> str:
    if r == 0:
        return ph.pick(
            f"So {g.n} is a losing position and {g.second} wins.",
            f"Hence {g.first} is lost against best play; {g.second} wins.",
            f"Thus the first player cannot win: {g.second} does.",
        )
    return ph.pick(
        f"So {g.first} should take {r}, leaving {g.n - r}.",
        f"Hence {g.first} wins by removing {r} {g.obj} first.",
        f"Therefore the winning first move is to take {r}.",
    )


def render_pattern(g: Nim, ph: Ph) -> tuple[list[str], object]:
    """Find the losing positions from small cases, then extrapolate."""
    m = g.k + 1
    r = g.n % m
    lines = [
        sentence(
            ph.pick(
                "Let's look at small piles first.",
                "We start with tiny cases and look for a pattern.",
                "The trick is to find which pile sizes are losing for the player to move.",
            ),
            ph.pick(
                f"With 1 to {g.k} {g.obj} the player to move takes everything and wins.",
                f"Any pile of size 1..{g.k} is an immediate win.",
            ),
            ph.pick(
                f"With {m}, every move leaves between 1 and {g.k}, so the opponent wins: "
                f"{m} is losing.",
                f"A pile of {m} is lost, since whatever we take the other player can finish.",
            ),
            ph.pick(
                f"From {m + 1} to {2 * m - 1} we can move to {m} and win, "
                f"and {2 * m} is losing again.",
                f"Sizes {m + 1}..{2 * m - 1} win by moving to {m}; then {2 * m} loses.",
            ),
        ),
        sentence(
            ph.pick(
                f"The pattern repeats: the losing sizes are exactly the multiples of {m}.",
                f"So the losing positions are 0, {m}, {2 * m}, {3 * m}, and so on.",
            ),
            ph.filler(),
            ph.pick(
                f"Now {g.n} = {g.n // m} x {m} + {r}.",
                f"Dividing, {g.n} leaves remainder {r} on division by {m}.",
                f"{g.n} is {r} more than the multiple {g.n - r}.",
            ),
        ),
        _verdict(g, r, ph),
    ]
    return lines, r


def render_backward(g: Nim, ph: Ph) -> tuple[list[str], object]:
    """Backward induction, one line per pile size."""
    win = [False] * (g.n + 1)
    rows = ["0: L (no move left, previous player won)"]
    for s in range(1, g.n + 1):
        good = [t for t in range(1, min(g.k, s) + 1) if not win[s - t]]
        win[s] = bool(good)
        rows.append(f"{s}: W (take {good[0]} -> {s - good[0]})" if good else f"{s}: L")
    r = next((t for t in range(1, min(g.k, g.n) + 1) if not win[g.n - t]), 0)
    lines = [
        ph.pick(
            "We label every pile size W (player to move wins) or L, from 0 upward.",
            "Backward induction: a size is W if some move reaches an L size.",
            "Let's classify each position from the end of the game backward.",
        ),
        "\n".join(rows),
        _verdict(g, r, ph),
    ]
    return lines, r


def render_python(g: Nim, ph: Ph) -> tuple[list[str], object]:
    """Dynamic programming over pile sizes in Python."""
    src = f"""
n, k = {g.n}, {g.k}
win = [False] * (n + 1)
for s in range(1, n + 1):
    win[s] = any(not win[s - t] for t in range(1, min(k, s) + 1))

best = next((t for t in range(1, min(k, n) + 1) if not win[n - t]), 0)
print(win[n], best)
"""
    r = solve(g)
    lines = [
        ph.pick(
            "A short DP over pile sizes answers this directly.",
            "Let me just compute winning positions with a table in code.",
            "This is easy to brute-force with dynamic programming.",
        ),
        code_block("python", src),
        ph.pick(
            f"It prints `{r > 0} {r}`.",
            f"The output is `{r > 0} {r}`.",
            f"Running it gives `{r > 0} {r}` (0 means no winning move).",
        ),
        _verdict(g, r, ph),
    ]
    return lines, r


def render_playout(g: Nim, ph: Ph) -> tuple[list[str], object]:
    """Play the complement strategy against a sample opponent, step by step."""
    m = g.k + 1
    r = g.n % m
    rng = ph.rng
    steps: list[str] = []
    left = g.n
    i = 1
    if r:
        left -= r
        steps.append(f"{i}. {g.first} takes {r}, leaving {left}.")
        me, you = g.first, g.second
    else:
        t = rng.randint(1, g.k)
        left -= t
        steps.append(f"{i}. {g.first} takes {t} (any move), leaving {left}.")
        i += 1
        left -= m - t
        steps.append(f"{i}. {g.second} answers with {m - t}, leaving {left}.")
        me, you = g.second, g.first
    while left > 0:
        t = rng.randint(1, g.k)
        i += 1
        steps.append(f"{i}. {you} takes {t}, leaving {left - t}.")
        left -= t
        i += 1
        steps.append(f"{i}. {me} takes {m - t} to make the pair sum {m}, leaving {left - (m - t)}.")
        left -= m - t
    lines = [
        ph.pick(
            f"The idea: always leave a multiple of {m}, answering a take of t with {m} - t.",
            f"Strategy: keep the pile at a multiple of {m} after your own move.",
            f"Whoever can hand over a multiple of {m} can mirror every move to total {m}.",
        ),
        ph.pick(
            "Playing it out against some sample moves:",
            "Here is one full game following that strategy:",
            "Let's simulate a game:",
        ),
        "\n".join(steps),
        _verdict(g, r, ph),
    ]
    return lines, r


def render_induction(g: Nim, ph: Ph) -> tuple[list[str], object]:
    """A formal induction proof of the losing positions, in LaTeX."""
    m = g.k + 1
    q, r = divmod(g.n, m)
    lines = [
        ph.pick(
            rf"Claim: the position $n$ is losing for the "
            rf"player to move iff $n \equiv 0 \pmod{{{m}}}$.",
            rf"Let $L = \{{n : {m} \mid n\}}$. We show $L$ is exactly the set of losing positions.",
        ),
        ph.pick(
            r"Base: $n = 0$ is losing (no move remains).",
            r"For $n=0$ the player to move has already lost.",
        ),
        ph.pick(
            rf"Step: if $n \in L$, any move $t \in \{{1,\dots,{g.k}\}}$ gives $n - t \notin L$. "
            rf"If $n \notin L$, taking $t = n \bmod {m}$ lands in $L$.",
            rf"Inductively, from $n = {m}j$ every move leaves $n-t$ with $1 \le (n-t) \bmod {m} "
            rf"\le {g.k}$, while from any other $n$ the move $t = n \bmod {m}$ reaches a multiple "
            rf"of ${m}$.",
        ),
        ph.filler(0.3),
        rf"$${g.n} = {q} \cdot {m} + {r}$$",
        rf"$$\boxed{{t = {r}}}$$" if r else rf"$$\boxed{{{g.n} \in L}}$$",
        _verdict(g, r, ph),
    ]
    return [x for x in lines if x], r


FAMILY = Family(
    key="nim",
    domain="games",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("small_case_pattern", "prose", 0.10, render_pattern),
        Method("backward_induction", "table", 0.05, render_backward),
        Method("python_dp", "code", 0.04, render_python),
        Method("strategy_playout", "list", 0.12, render_playout),
        Method("induction_proof", "mixed", 0.08, render_induction),
    ),
)
