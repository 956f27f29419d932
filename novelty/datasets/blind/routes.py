"""Shortest route between two towns on a small weighted road map (planning, not maths).

Methods: Dijkstra table, line-per-route enumeration, greedy nearest-town walk, backward
distance-to-goal reasoning, and a search program.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field

import numpy as np

from .family import Family, Method, pick
from .writer import Writer, join_and

TOWNS = (
    "Ashford",
    "Brindle",
    "Corran",
    "Dunmore",
    "Eastwick",
    "Fenwick",
    "Galloway",
    "Harlow",
    "Ilford",
    "Kestrel",
    "Larkin",
    "Marlow",
    "Norwood",
    "Oakham",
    "Pendle",
    "Redcliff",
    "Stanton",
    "Thornby",
    "Upwell",
    "Whitby",
    "Yarrow",
    "Zennor",
)
UNITS = ("km", "miles", "minutes")


@dataclass
class Routes:
    """A road map, the endpoints, and every simple route between them (sorted by length)."""

    towns: list[str]
    roads: list[tuple[str, str, int]]
    unit: str
    paths: list[tuple[list[str], int]] = field(default_factory=list)

    @property
    def start(self) -> str:
        return self.towns[0]

    @property
    def goal(self) -> str:
        return self.towns[-1]

    def adj(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {t: {} for t in self.towns}
        for a, b, d in self.roads:
            out[a][b] = d
            out[b][a] = d
        return out

    def dist_from(self, src: str) -> tuple[dict[str, int], list[tuple[str, int, str]]]:
        """Dijkstra distances and the settle order (town, distance, predecessor)."""
        adj, dist, order, done = self.adj(), {src: 0}, [], set()
        pq: list[tuple[int, str, str]] = [(0, src, "")]
        while pq:
            d, u, via = heapq.heappop(pq)
            if u in done:
                continue
            done.add(u)
            order.append((u, d, via))
            for v, c in sorted(adj[u].items()):
                if v not in done and d + c < dist.get(v, 10**9):
                    dist[v] = d + c
                    heapq.heappush(pq, (d + c, v, u))
        return dist, order

    def answer(self, w: Writer) -> tuple[list[str], int]:
        """The route this trace ends on: the best one, or a plausible wrong one."""
        best, d = self.paths[0]
        if w.ok:
            return best, d
        second, d2 = self.paths[1]
        return pick(w.rng, [(second, d2), (best, d + w.int(1, 3)), (second, d - 1)])

    def legs(self, path: list[str], sep: str = " + ") -> str:
        """Leg lengths along a route, e.g. '4 + 7 + 2'."""
        adj = self.adj()
        return sep.join(str(adj[a][b]) for a, b in itertools.pairwise(path))

    def show(self, path: list[str], d: int) -> str:
        return f"{' → '.join(path)} ({d} {self.unit})"

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        s, g, u = self.start, self.goal, self.unit
        roads = [(a, b, d) for a, b, d in self.roads]
        w.rng.shuffle(roads)
        form = w.int(0, 3)
        if form == 0:
            items = join_and([f"{a}–{b} ({d} {u})" for a, b, d in roads])
            w.p(f"We need the shortest route from {s} to {g}. The roads are {items}.")
        elif form == 1:
            items = "; ".join(f"{a} to {b} is {d}" for a, b, d in roads)
            w.p(
                f"There are {len(self.towns)} towns: {join_and(sorted(self.towns))}.",
                f"Road lengths in {u}: {items}.",
                (f"What is the shortest way from {s} to {g}?", f"Find the quickest {s}-{g} route."),
            )
        elif form == 2:
            w.p(f"So the task is to get from {s} to {g} as cheaply as possible, using these roads:")
            w.lines([f"- {a} – {b}: {d} {u}" for a, b, d in roads])
        else:
            items = ", ".join(f"{a}-{b} = {d}" for a, b, d in roads)
            w.p(f"Shortest path problem: from {s} to {g}, road lengths ({u}): {items}.")

    def keys(self) -> list[str]:
        return [*self.towns, self.unit]

    def asides(self) -> list[str]:
        a, b, d = self.roads[0]
        return [
            f"Roads work both ways here, so {a}–{b} costs {d} in either direction.",
            f"I keep wanting to head straight for {self.goal}, but a detour can be cheaper, so I "
            "shouldn't trust intuition about the map.",
            f"There are only {len(self.towns)} towns, so nothing here is too big to check by hand.",
        ]

    def verify(self) -> list[str]:
        path, d = self.paths[0]
        legs = self.legs(path)
        return [f"the legs of {' → '.join(path)} are {legs} = {d}, and every road on it exists"]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        path, d = self.paths[0] if ok else self.paths[1]
        return self.show(path, d)


def _paths(r: Routes) -> list[tuple[list[str], int]]:
    adj, out = r.adj(), []

    def walk(node: str, seen: list[str], d: int) -> None:
        if node == r.goal:
            out.append((list(seen), d))
            return
        for v, c in sorted(adj[node].items()):
            if v not in seen:
                walk(v, [*seen, v], d + c)

    walk(r.start, [r.start], 0)
    return sorted(out, key=lambda p: (p[1], len(p[0])))


def make(rng: np.random.Generator) -> Routes:
    """A connected map with 3-14 routes and a unique shortest one."""
    while True:
        n = int(rng.integers(5, 7))
        towns = [str(t) for t in rng.choice(TOWNS, size=n, replace=False)]
        edges = {(towns[i], towns[i + 1]) for i in range(n - 1)}
        for i in range(n):
            for j in range(i + 2, n):
                far = (i, j) == (0, n - 1)
                if rng.random() < (0.1 if far else 0.4):
                    edges.add((towns[i], towns[j]))
        roads = [(a, b, int(rng.integers(2, 16))) for a, b in sorted(edges)]
        r = Routes(towns, roads, pick(rng, UNITS))
        r.paths = _paths(r)
        if 3 <= len(r.paths) <= 14 and r.paths[0][1] < r.paths[1][1]:
            return r


def _dijkstra(w: Writer, r: Routes) -> str:
    w.header(("Dijkstra's algorithm", "Tentative distances", "Shortest-path table"))
    w.p(
        (
            f"I'll run Dijkstra from {r.start}, fixing the closest unsettled town each round.",
            f"Dijkstra from {r.start}: keep a best-known distance per town and settle the nearest.",
            "Standard approach: Dijkstra's algorithm, tracking tentative distances.",
        )
    )
    adj, dist = r.adj(), {r.start: 0}
    _, order = r.dist_from(r.start)
    rows, trows, done = [], [], set()
    for u, d, via in order:
        done.add(u)
        rows.append(f"Settle {u} at {d}" + (f" (via {via})" if via else ""))
        ups = []
        for v, c in sorted(adj[u].items()):
            if v in done:
                continue
            old = dist.get(v)
            if old is None or d + c < old:
                dist[v] = d + c
                note = "" if old is None else f" < {old}, update"
                rows.append(f"  {v}: {d} + {c} = {d + c}{note}")
                ups.append(f"{v}={d + c}")
        trows.append([u, str(d), via or "-", ", ".join(ups) or "-"])
        if u == r.goal:
            break
    if w.chance(0.5):
        w.lines(rows)
    else:
        w.table(["settled", r.unit, "via", "updates"], trows)
    path, d = r.answer(w)
    w.check(
        [
            f"{r.legs(path)} = {d}",
            f"following the via column back from {r.goal} gives {' ← '.join(path[::-1])}",
        ],
        f"{r.goal} is at {d}",
    )
    w.p(
        f"<so> {r.goal} is settled at {d}.",
        (f"Tracing back: {' ← '.join(path[::-1])}.", f"The route is {' → '.join(path)}."),
    )
    return r.show(path, d)


def _enumerate(w: Writer, r: Routes) -> str:
    w.p(
        (
            "The map is small, so let me just list every route and add it up.",
            "Brute force: enumerate all simple routes and their totals.",
            f"I'll write out each possible route from {r.start} to {r.goal}.",
        )
    )
    sep = pick(w.rng, ["-", " → ", "–", " > "])
    path, d = r.answer(w)
    items = list(r.paths)
    if w.chance(0.5):
        w.rng.shuffle(items)
    rows = []
    for p, tot in items:
        legs = r.legs(p)
        shown = d if p == path else tot
        form = pick(w.rng, ["Route {p}: {l} = {t}", "{p}: {l} = {t}", "{p} = {l} = {t} {u}"])
        rows.append(form.format(p=sep.join(p), l=legs, t=shown, u=r.unit))
    w.lines(rows)
    best, low = r.paths[0]
    w.check(
        [f"{r.legs(best)} = {low}", f"adding the legs of {sep.join(best)} again gives {low}"],
        f"{sep.join(best)} is {low}",
    )
    w.p(
        (f"The smallest total is {d}.", f"Minimum: {d} {r.unit}."),
        w.maybe(0.5, f"That's {sep.join(path)}."),
    )
    return r.show(path, d)


def _greedy_walk(r: Routes) -> tuple[list[str], list[tuple[str, str, int]]]:
    """Cheapest-road-first depth-first walk; a dead end is logged with cost -1."""
    adj, log = r.adj(), []

    def go(node: str, seen: list[str]) -> list[str] | None:
        if node == r.goal:
            return seen
        for c, v in sorted((c, v) for v, c in adj[node].items() if v not in seen):
            log.append((node, v, c))
            found = go(v, [*seen, v])
            if found:
                return found
            log.append((v, node, -1))
        return None

    return go(r.start, [r.start]) or [], log


def _greedy(w: Writer, r: Routes) -> str:
    w.p(
        (
            "Let me try walking greedily: from each town take the shortest road to a new town.",
            "Intuitive approach first: always go to the nearest town I haven't visited yet.",
            "I'll start with a nearest-neighbour walk and then sanity-check it.",
        )
    )
    gpath, log = _greedy_walk(r)
    sents = []
    for a, b, c in log:
        if c < 0:
            sents.append(pick(w.rng, [f"{a} is a dead end, so back to {b}.", f"Stuck at {a}."]))
            continue
        form = pick(
            w.rng,
            [
                "From {a} the nearest new town is {b} ({c} {u}).",
                "At {a}, the cheapest road goes to {b}, {c}.",
                "{a} → {b} is the shortest option from {a} ({c}).",
            ],
        )
        sents.append(form.format(a=a, b=b, c=c, u=r.unit))
    w.p(*sents)
    glen = next(t for p, t in r.paths if p == gpath)
    w.check([f"{r.legs(gpath)} = {glen}", f"the greedy legs add to {glen}"], f"greedy costs {glen}")
    path, d = r.answer(w)
    if gpath == path and glen == d:
        w.p(f"That reaches {r.goal} with total {glen}.", "<hedge> nothing else beats it.")
    else:
        alt = [f"{' → '.join(p)} is {t}" for p, t in r.paths[:3] if p != gpath][:2]
        w.p(
            f"The greedy walk costs {glen}, but greedy choices can mislead.",
            f"Checking alternatives: {join_and(alt)}." if alt else None,
            f"<so> the best is {' → '.join(path)} at {d}.",
        )
    return r.show(path, d)


def _backward(w: Writer, r: Routes) -> str:
    h, order = r.dist_from(r.goal)
    adj = r.adj()
    w.p(
        (
            f"Let me work backwards from {r.goal}: how far is each town from the goal?",
            f"Going in reverse: compute the remaining distance to {r.goal} from every town.",
            f"I'll reason from the destination. {r.goal} is 0 from itself.",
        )
    )
    sents = []
    for u, d, via in order[1:]:
        if via == r.goal:
            sents.append(
                pick(
                    w.rng,
                    [
                        f"{u} is next to {r.goal}, {d} away.",
                        f"From {u} the goal is directly {d}.",
                    ],
                )
            )
        else:
            near = [(v, c) for v, c in sorted(adj[u].items()) if h[v] < d]
            opts = join_and([f"via {v} ({c} + {h[v]})" for v, c in near])
            sents.append(f"From {u}: {opts}, so {d}.")
        if u == r.start:
            break
    w.p(*sents)
    path, d = r.answer(w)
    w.check([f"{r.start} is {h[r.start]} from {r.goal} going backwards"], f"the best is {d}")
    w.p(f"<so> from {r.start} the best is {d}, following {' → '.join(path)}.")
    return r.show(path, d)


def _code(w: Writer, r: Routes) -> str:
    adj = r.adj()
    path, d = r.answer(w)
    g = pick(w.rng, ["graph", "roads", "G", "adj"])
    if w.chance(0.5):
        body = ",\n".join(
            f'    "{t}": {{' + ", ".join(f'"{v}": {c}' for v, c in sorted(adj[t].items())) + "}"
            for t in r.towns
        )
        src = f"""import heapq

{g} = {{
{body},
}}


def shortest(src, dst):
    pq = [(0, src, [src])]
    seen = set()
    while pq:
        dist, node, path = heapq.heappop(pq)
        if node == dst:
            return dist, path
        if node in seen:
            continue
        seen.add(node)
        for nxt, w in {g}[node].items():
            if nxt not in seen:
                heapq.heappush(pq, (dist + w, nxt, path + [nxt]))


print(shortest("{r.start}", "{r.goal}"))"""
    else:
        edges = ",\n".join(f'    ("{a}", "{b}", {c})' for a, b, c in r.roads)
        src = f"""edges = [
{edges},
]
{g} = {{}}
for a, b, w in edges:
    {g}.setdefault(a, []).append((b, w))
    {g}.setdefault(b, []).append((a, w))

best = (float("inf"), None)


def walk(node, path, dist):
    global best
    if node == "{r.goal}":
        best = min(best, (dist, path))
        return
    for nxt, w in {g}[node]:
        if nxt not in path:
            walk(nxt, path + [nxt], dist + w)


walk("{r.start}", ["{r.start}"], 0)
print(best)"""
    w.code(
        src,
        intro=(
            "Easiest to be sure is to let a program search the map:",
            "Let me write a quick search program.",
            "I'll just code it up:",
        ),
        outro=(
            f"This prints {d} with the path {path}.",
            f"Running it gives ({d}, {path}).",
            f"Output: distance {d}, route {' → '.join(path)}.",
        ),
    )
    w.check(
        [
            f"the program has all {len(r.roads)} roads, each usable in both directions",
            f"comparing the data with the problem, road by road, all {len(r.roads)} lengths match",
        ],
        "the input is right",
    )
    return r.show(path, d)


FAMILY = Family(
    name="routes",
    domain="planning",
    make=make,
    methods=(
        Method("dijkstra_table", "table", 0.9, _dijkstra),
        Method("enumerate_routes", "table", 0.85, _enumerate),
        Method("greedy_walk", "prose", 0.6, _greedy),
        Method("backward_from_goal", "prose", 0.8, _backward),
        Method("search_program", "code", 0.88, _code),
    ),
)
