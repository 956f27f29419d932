"""Shortest path of a grid robot around obstacles (4-neighbour moves).

Methods: a BFS distance grid, a BFS queue log, BFS code, a Manhattan-plus-detour argument
with an explicit route, and a timed step log of one shortest route.
"""

from __future__ import annotations

import itertools
import random
from collections import deque

from ..core import Family, Instance, Method, Pen, wrong_answers

Cell = tuple[int, int]
STEPS = ((0, 1, "R"), (1, 0, "D"), (0, -1, "L"), (-1, 0, "U"))


def _bfs(grid: list[str], start: Cell) -> tuple[dict[Cell, int], dict[Cell, Cell], list[Cell]]:
    """Distances, parents and pop order from start."""
    h, w = len(grid), len(grid[0])
    dist, parent, order = {start: 0}, {}, []
    q = deque([start])
    while q:
        c = q.popleft()
        order.append(c)
        for dr, dc, _ in STEPS:
            n = (c[0] + dr, c[1] + dc)
            if 0 <= n[0] < h and 0 <= n[1] < w and grid[n[0]][n[1]] != "#" and n not in dist:
                dist[n] = dist[c] + 1
                parent[n] = c
                q.append(n)
    return dist, parent, order


def make(rng: random.Random) -> Instance:
    """Draw grids until the goal is reachable and a detour is forced."""
    while True:
        h, w = rng.randint(5, 7), rng.randint(5, 7)
        cells = [["." for _ in range(w)] for _ in range(h)]
        for r in range(h):
            for c in range(w):
                if rng.random() < 0.27:
                    cells[r][c] = "#"
        s = (rng.randrange(h), 0)
        g = (rng.randrange(h), w - 1)
        cells[s[0]][s[1]] = "S"
        cells[g[0]][g[1]] = "G"
        grid = ["".join(row) for row in cells]
        dist, _, _ = _bfs(grid, s)
        if g in dist and dist[g] > abs(s[0] - g[0]) + abs(s[1] - g[1]):
            break
    ans = dist[g]
    man = abs(s[0] - g[0]) + abs(s[1] - g[1])
    prompt = (
        "A robot moves one cell up, down, left or right per step and cannot enter '#'. "
        "Rows are numbered from 0 at the top, columns from 0 at the left.\n\n"
        + "\n".join(grid)
        + "\n\nWhat is the fewest number of steps from S to G?"
    )
    wrong = wrong_answers(ans, [man, ans + 2, ans - 2, ans + 1, ans + 4])
    data = {"grid": grid, "s": s, "g": g, "man": man}
    return Instance(prompt, str(ans), wrong, data, unit="steps")


def verify(inst: Instance) -> str:
    """Reverse BFS from the goal, using its own loop."""
    grid, s, g = inst.data["grid"], inst.data["s"], inst.data["g"]
    frontier, seen, d = {g}, {g}, 0
    while frontier:
        if s in frontier:
            return str(d)
        nxt = set()
        for r, c in frontier:
            for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                n = (r + dr, c + dc)
                ok = 0 <= n[0] < len(grid) and 0 <= n[1] < len(grid[0])
                if ok and grid[n[0]][n[1]] != "#" and n not in seen:
                    seen.add(n)
                    nxt.add(n)
        frontier, d = nxt, d + 1
    raise AssertionError("unreachable")


def _route(inst: Instance) -> list[Cell]:
    grid, s, g = inst.data["grid"], inst.data["s"], inst.data["g"]
    _, parent, _ = _bfs(grid, s)
    path = [g]
    while path[-1] != s:
        path.append(parent[path[-1]])
    return path[::-1]


def _letters(path: list[Cell]) -> str:
    out = []
    for a, b in itertools.pairwise(path):
        for dr, dc, ch in STEPS:
            if (a[0] + dr, a[1] + dc) == b:
                out.append(ch)
    return "".join(out)


def wavefront(inst: Instance, pen: Pen, ans: str) -> None:
    """Fill every reachable cell with its BFS distance."""
    grid, s, g = inst.data["grid"], inst.data["s"], inst.data["g"]
    dist, _, _ = _bfs(grid, s)
    width = 2 if max(dist.values()) >= 10 else 1
    wall, gone = pen.choice([("#", "-"), ("X", "."), ("##", "?"), ("#", "·")])
    width = max(width, len(wall))
    sep = pen.choice([" ", " ", "|"])
    lines = []
    for r, row in enumerate(grid):
        cells = []
        for c, ch in enumerate(row):
            if ch == "#":
                cells.append(wall.rjust(width))
            elif (r, c) in dist:
                cells.append(str(dist[(r, c)]).rjust(width))
            else:
                cells.append(gone.rjust(width))
        lines.append(sep.join(cells))
    pen.say(
        pen.pick("Flood fill distances from S:", "BFS wavefront, distance in each cell:"),
        f"('{wall}' = wall, '{gone}' = unreachable)" if pen.maybe(0.4) else "",
    )
    pen.raw("```\n" + "\n".join(lines) + "\n```" if pen.maybe(0.6) else "\n".join(lines))
    pen.say(pen.pick(f"G's cell reads {ans}.", f"Distance at G ({g[0]},{g[1]}) = {ans}."))


def queue_log(inst: Instance, pen: Pen, ans: str) -> None:
    """Log pops and pushes of a BFS queue until the goal is popped."""
    grid, s, g = inst.data["grid"], inst.data["s"], inst.data["g"]
    dist, parent, order = _bfs(grid, s)
    cell = pen.choice(["({},{})", "[{}, {}]", "r{}c{}"])
    pop, push_w = pen.choice([("pop", "push"), ("visit", "enqueue"), ("take", "add")])
    log = []
    for c in order:
        kids = [n for n, p in parent.items() if p == c]
        push = " ".join(cell.format(*k) for k in kids) or "-"
        log.append(f"{pop} {cell.format(*c)} d={dist[c]}  {push_w} {push}")
        if c == g:
            break
    pen.say(pen.pick("BFS by hand, (row,col):", "Queue trace:", "Run BFS from S."))
    pen.raw("\n".join(log))
    pen.say(pen.pick(f"G popped at depth {ans}.", f"Reached G with d={ans}."))


def bfs_code(inst: Instance, pen: Pen, ans: str) -> None:
    """BFS in a program over the literal grid."""
    grid = inst.data["grid"]
    lang = pen.pick("python", "lua", "python")
    rows = ",\n    ".join(f'"{row}"' for row in grid)
    if lang == "python":
        src = f"""from collections import deque
grid = [
    {rows},
]
H, W = len(grid), len(grid[0])
start = next((r, c) for r in range(H) for c in range(W) if grid[r][c] == "S")
dist = {{start: 0}}
q = deque([start])
while q:
    r, c = q.popleft()
    if grid[r][c] == "G":
        print(dist[(r, c)]); break
    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        n = (r + dr, c + dc)
        if 0 <= n[0] < H and 0 <= n[1] < W and grid[n[0]][n[1]] != "#" and n not in dist:
            dist[n] = dist[(r, c)] + 1
            q.append(n)"""
    else:
        rows_l = ", ".join(f'"{row}"' for row in grid)
        src = f"""local g = {{{rows_l}}}
local H, W = #g, #g[1]
local function at(r, c) return g[r]:sub(c, c) end
local q, head, dist = {{}}, 1, {{}}
for r = 1, H do for c = 1, W do
  if at(r, c) == "S" then q[1] = {{r, c}}; dist[r * 100 + c] = 0 end
end end
while head <= #q do
  local r, c = q[head][1], q[head][2]; head = head + 1
  if at(r, c) == "G" then print(dist[r * 100 + c]) break end
  for _, d in ipairs({{{{1,0}},{{-1,0}},{{0,1}},{{0,-1}}}}) do
    local nr, nc = r + d[1], c + d[2]
    if nr >= 1 and nr <= H and nc >= 1 and nc <= W and at(nr, nc) ~= "#"
       and dist[nr * 100 + nc] == nil then
      dist[nr * 100 + nc] = dist[r * 100 + c] + 1
      q[#q + 1] = {{nr, nc}}
    end
  end
end"""
    pen.say(pen.pick("Plain BFS:", "Code it up:", ""))
    pen.code(lang, src, inst.answer)
    pen.say(pen.pick(f"Shortest: {ans} steps.", f"{ans}.", f"BFS says {ans}."))


def detour_prose(inst: Instance, pen: Pen, ans: str) -> None:
    """Manhattan lower bound, parity, and an explicit route of the claimed length."""
    s, g, man = inst.data["s"], inst.data["g"], inst.data["man"]
    path = _route(inst)
    moves = _letters(path)
    extra = len(moves) - man
    pen.say(
        f"S is at row {s[0]}, column {s[1]} and G at row {g[0]}, column {g[1]}, so without "
        f"walls it would take {abs(g[0] - s[0])} + {abs(g[1] - s[1])} = {man} steps.",
        pen.pick(
            "But the straight routes are blocked by walls.",
            "The walls cut off every monotone route though.",
        ),
    )
    pen.say(
        "Every step changes row+column parity, so any route has the same parity as "
        f"{man}: the detour costs an even number of extra steps.",
        f"Trying the tightest way around, the route {moves} works, which is {len(moves)} "
        f"steps, a detour of {extra}.",
        pen.pick(
            f"Going round with only {extra - 2} extra steps hits a wall in each attempt.",
            "No shorter way around exists; each alternative runs into a '#'.",
        ),
    )
    pen.say(pen.pick(f"So the minimum is {ans}.", f"Answer: {ans} steps."))


def route_log(inst: Instance, pen: Pen, ans: str) -> None:
    """A timed trace of one shortest route, cell by cell."""
    path = _route(inst)
    moves = _letters(path)
    names = {"R": "right", "D": "down", "L": "left", "U": "up"}
    log = [f"t=0: at ({path[0][0]},{path[0][1]}) S"]
    for t, (cell, mv) in enumerate(zip(path[1:], moves, strict=False), 1):
        tag = " G" if t == len(moves) else ""
        log.append(f"t={t}: {names[mv]} -> ({cell[0]},{cell[1]}){tag}")
    pen.say(pen.pick("Walk it, avoiding the walls:", "Route, step by step:"))
    pen.raw("\n".join(log))
    pen.say(
        pen.pick("Any shorter attempt hits a wall.", "I tried hugging the walls; no shortcut."),
        f"{ans} steps.",
    )


def checks(inst: Instance) -> list[str]:
    """Re-checks of the path length."""
    moves = _letters(_route(inst))
    man = inst.data["man"]
    return [
        f"Route {moves} has {len(moves)} letters, none lands on '#'.",
        f"Parity: {len(moves)} - {man} = {len(moves) - man}, even as it must be.",
        f"Lower bound {man} is blocked, so the answer exceeds {man}.",
    ]


FAMILY = Family(
    key="robot",
    domain="planning",
    make=make,
    verify=verify,
    methods=(
        Method("bfs_distance_grid", "table", wavefront),
        Method("bfs_queue_log", "list", queue_log),
        Method("bfs_program", "code", bfs_code),
        Method("manhattan_detour_argument", "prose", detour_prose),
        Method("timed_route_log", "list", route_log),
    ),
    checks=checks,
    asides=(
        "No diagonal moves, so corners can't be cut.",
        "Reading coordinates as (row, col) throughout.",
        "The walls around the middle are what make this non-trivial.",
    ),
)
