"""Water-jug puzzles: fewest fill/empty/pour steps to measure a target (domain: puzzles)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import gcd
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, md_table, sentence

State = tuple[int, int]


@dataclass(frozen=True)
class Jugs:
    a: int  # small jug capacity
    b: int  # large jug capacity
    t: int  # target amount, in either jug
    liquid: str


def moves(s: State, a: int, b: int) -> list[tuple[str, State]]:
    x, y = s
    pab = min(x, b - y)
    pba = min(y, a - x)
    return [
        ("fill A", (a, y)),
        ("fill B", (x, b)),
        ("empty A", (0, y)),
        ("empty B", (x, 0)),
        ("pour A->B", (x - pab, y + pab)),
        ("pour B->A", (x + pba, y - pba)),
    ]


def levels(j: Jugs) -> list[list[State]]:
    """BFS layers from (0, 0) until a layer contains the target."""
    seen = {(0, 0)}
    layers = [[(0, 0)]]
    while not any(j.t in s for s in layers[-1]):
        nxt = []
        for s in layers[-1]:
            for _, n in moves(s, j.a, j.b):
                if n not in seen:
                    seen.add(n)
                    nxt.append(n)
        if not nxt:
            raise ValueError("unreachable target")
        layers.append(nxt)
    return layers


def simulate(j: Jugs, small_first: bool) -> list[tuple[str, State]]:
    """Repeatedly fill one jug and pour it into the other, emptying that one when full."""
    p_cap, q_cap = (j.a, j.b) if small_first else (j.b, j.a)
    p = q = 0
    names = ("A", "B") if small_first else ("B", "A")
    out: list[tuple[str, State]] = []

    def record(op: str) -> bool:
        s = (p, q) if small_first else (q, p)
        out.append((op, s))
        return j.t in s

    while True:
        if p == 0:
            p = p_cap
            if record(f"fill {names[0]}"):
                return out
        w = min(p, q_cap - q)
        p, q = p - w, q + w
        if record(f"pour {names[0]}->{names[1]}"):
            return out
        if q == q_cap:
            q = 0
            if record(f"empty {names[1]}"):
                return out


def solve(j: Jugs) -> int:
    return len(levels(j)) - 1


def make(rng: Random) -> Jugs:
    while True:
        a = rng.randint(2, 9)
        b = rng.randint(a + 1, 15)
        g = gcd(a, b)
        opts = [t for t in range(g, b, g) if t != a]
        if not opts:
            continue
        j = Jugs(a, b, rng.choice(opts), rng.choice(("water", "juice", "oil")))
        if solve(j) == min(len(simulate(j, True)), len(simulate(j, False))) and solve(j) <= 14:
            return j


def perturb(j: Jugs, rng: Random) -> Jugs:
    """Misread the target or a capacity (keeping the puzzle solvable)."""
    near = [
        replace(j, a=j.a + da, b=j.b + db, t=j.t + dt)
        for da, db, dt in ((0, 0, -1), (0, 0, 1), (0, -1, 0), (0, 1, 0), (-1, 0, 0), (1, 0, 0))
    ]
    ok = [k for k in near if 0 < k.a < k.b and 0 < k.t < k.b and k.t % gcd(k.a, k.b) == 0]
    return rng.choice(ok) if ok else j


def show(j: Jugs, n: int) -> str:
    return f"{n} steps"


def restate(j: Jugs, ph: Ph) -> str:
    return sentence(
        ph.pick(
            f"We have two unmarked jugs holding {j.a} and {j.b} litres, and plenty of {j.liquid}.",
            f"Jug A holds {j.a} L and jug B holds {j.b} L; neither has markings.",
            f"There are two jugs, of capacity {j.a} and {j.b} litres, and an unlimited tap.",
        ),
        ph.pick(
            "A step is filling a jug, emptying a jug, or pouring one into the other until "
            "the source is empty or the destination is full.",
            "Allowed moves: fill one jug completely, empty one jug, or pour between them.",
            "Each fill, empty or pour counts as one step.",
        ),
        ph.pick(
            f"What is the fewest number of steps to get exactly {j.t} litres in one of the jugs?",
            f"We want exactly {j.t} L in either jug using as few steps as possible.",
            f"How many steps at minimum are needed to measure {j.t} litres?",
        ),
    )


def _st(s: State) -> str:
    return f"({s[0]},{s[1]})"


def render_bfs_table(j: Jugs, ph: Ph) -> tuple[list[str], object]:
    """Breadth-first search by hand, one table row per layer."""
    layers = levels(j)
    rows = [[d, " ".join(_st(s) for s in layer)] for d, layer in enumerate(layers)]
    hit = next(s for s in layers[-1] if j.t in s)
    d = len(layers) - 1
    lines = [
        ph.pick(
            "Explore the states (A, B) breadth-first; each row lists states first reached "
            "after that many steps.",
            "BFS over jug states, starting from (0,0):",
            "We list the new states layer by layer:",
        ),
        md_table(["steps", "new states"], rows),
        ph.pick(
            f"State {_st(hit)} contains {j.t} L and first appears at depth {d}.",
            f"The first layer with {j.t} in it is layer {d} (state {_st(hit)}).",
            f"So the target shows up after {d} steps, at {_st(hit)}.",
        ),
    ]
    return lines, d


def render_python(j: Jugs, ph: Ph) -> tuple[list[str], object]:
    """BFS in Python."""
    src = f"""
from collections import deque

A, B, T = {j.a}, {j.b}, {j.t}
dist = {{(0, 0): 0}}
queue = deque([(0, 0)])
while queue:
    x, y = queue.popleft()
    if T in (x, y):
        print(dist[(x, y)])
        break
    pab, pba = min(x, B - y), min(y, A - x)
    for nxt in [(A, y), (x, B), (0, y), (x, 0), (x - pab, y + pab), (x + pba, y - pba)]:
        if nxt not in dist:
            dist[nxt] = dist[(x, y)] + 1
            queue.append(nxt)
"""
    d = solve(j)
    lines = [
        ph.pick(
            "Shortest sequence of moves = BFS over states. In code:",
            "The state space is tiny, so a BFS script settles it.",
            "Let's run a breadth-first search:",
        ),
        code_block("python", src),
        ph.pick(f"It prints {d}.", f"Output: {d}.", f"The search reports {d} steps."),
    ]
    return lines, d


def render_simulate(j: Jugs, ph: Ph) -> tuple[list[str], object]:
    """Simulate the two pouring directions and keep the shorter."""
    runs = [simulate(j, True), simulate(j, False)]
    lines = [
        ph.pick(
            "Two natural procedures: keep filling A and pouring into B, or keep filling B and "
            "pouring into A. The better of the two is optimal.",
            "Simulate both pouring directions and count steps:",
            "Try each direction of the fill-and-pour routine:",
        )
    ]
    for label, run in zip(("A into B", "B into A"), runs, strict=True):
        lines.append(f"Pouring {label}:")
        lines.append("\n".join(f"{i}. {op} -> {_st(s)}" for i, (op, s) in enumerate(run, 1)))
    d = min(len(r) for r in runs)
    lines.append(
        ph.pick(
            f"The runs take {len(runs[0])} and {len(runs[1])} steps, so the minimum is {d}.",
            f"min({len(runs[0])}, {len(runs[1])}) = {d}.",
            f"The shorter routine needs {d} steps.",
        )
    )
    return lines, d


def render_backward(j: Jugs, ph: Ph) -> tuple[list[str], object]:
    """Search backwards from the goal states until the empty start is reached."""
    states = [(x, y) for x in range(j.a + 1) for y in range(j.b + 1)]
    frontier = {s for s in states if j.t in s}
    seen = set(frontier)
    depth = 0
    parts = [
        ph.pick(
            f"Work backwards: call a state good if it already contains {j.t} L; then find which "
            "states reach good ones in one move, and so on until (0,0) shows up.",
            "Instead of searching forward, we go backwards from every state holding the target.",
            "Backward reasoning: which states lead to the goal, and how far is the start?",
        )
    ]
    while (0, 0) not in frontier:
        depth += 1
        frontier = {
            s for s in states if s not in seen and any(n in frontier for _, n in moves(s, j.a, j.b))
        }
        seen |= frontier
        ex = ", ".join(_st(s) for s in sorted(frontier)[:3])
        parts.append(
            ph.pick(
                f"{depth} move(s) away: {len(frontier)} states, e.g. {ex}.",
                f"At distance {depth} we find {ex}" + (" and more." if len(frontier) > 3 else "."),
                f"Layer {depth} adds {ex}" + (" among others." if len(frontier) > 3 else "."),
            )
        )
    parts.append(
        ph.pick(
            f"The start (0,0) appears at distance {depth}, so {depth} steps are needed.",
            f"(0,0) is reached at depth {depth}, hence the minimum is {depth}.",
        )
    )
    return [parts[0], sentence(*parts[1:])], depth


def render_js(j: Jugs, ph: Ph) -> tuple[list[str], object]:
    """Iterative deepening depth-first search, in JavaScript."""
    src = f"""
const A = {j.a}, B = {j.b}, T = {j.t};
function next([x, y]) {{
  const ab = Math.min(x, B - y), ba = Math.min(y, A - x);
  return [[A, y], [x, B], [0, y], [x, 0], [x - ab, y + ab], [x + ba, y - ba]];
}}
function dfs(s, depth) {{
  if (s[0] === T || s[1] === T) return true;
  if (depth === 0) return false;
  return next(s).some(n => dfs(n, depth - 1));
}}
let limit = 0;
while (!dfs([0, 0], limit)) limit++;
console.log(limit);
"""
    d = solve(j)
    lines = [
        ph.pick(
            "Iterative deepening: try every move sequence of length 0, 1, 2, ... until one works.",
            "A depth-limited DFS with an increasing limit finds the shortest solution:",
            "Here's an iterative-deepening search in JS:",
        ),
        code_block("javascript", src),
        ph.pick(
            f"The first limit that succeeds is {d}.",
            f"It logs {d}.",
            f"dfs first returns true at depth {d}.",
        ),
    ]
    return lines, d


FAMILY = Family(
    key="jugs",
    domain="puzzles",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("bfs_layers", "table", 0.07, render_bfs_table),
        Method("python_bfs", "code", 0.04, render_python),
        Method("pour_simulation", "list", 0.10, render_simulate),
        Method("backward_search", "prose", 0.14, render_backward),
        Method("js_iddfs", "code", 0.06, render_js),
    ),
)
