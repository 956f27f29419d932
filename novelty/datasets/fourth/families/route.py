"""Shortest route in a small weighted road network."""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass

from .._text import bullet, fence, lines, md_table, pick, plain_table, plus, say
from .._types import Family, Method

_WHAT = ("depots", "villages", "warehouses", "stations", "campsites")


@dataclass(frozen=True)
class Net:
    what: str
    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str, int], ...]
    src: str
    dst: str
    answer: str
    decoys: tuple[str, ...]


def _adj(g: Net) -> dict[str, list[tuple[str, int]]]:
    adj: dict[str, list[tuple[str, int]]] = {n: [] for n in g.nodes}
    for u, v, w in g.edges:
        adj[u].append((v, w))
        adj[v].append((u, w))
    for n in adj:
        adj[n].sort()
    return adj


def dijkstra(g: Net, src: str) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Distances from ``src``, predecessor of each node, and the settling order."""
    adj = _adj(g)
    dist, prev, order = {src: 0}, {}, []
    heap = [(0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if u in order:
            continue
        order.append(u)
        for v, w in adj[u]:
            if v not in order and d + w < dist.get(v, 10**9):
                dist[v], prev[v] = d + w, u
                heapq.heappush(heap, (d + w, v))
    return dist, prev, order


def routes(g: Net) -> list[list[str]]:
    """Every simple route from source to destination."""
    adj, out = _adj(g), []

    def walk(path: list[str]) -> None:
        if path[-1] == g.dst:
            out.append(path)
            return
        for v, _ in adj[path[-1]]:
            if v not in path:
                walk([*path, v])

    walk([g.src])
    return out


def _w(g: Net, u: str, v: str) -> int:
    return next(w for a, b, w in g.edges if {a, b} == {u, v})


def best_route(g: Net) -> list[str]:
    _, prev, _ = dijkstra(g, g.src)
    path = [g.dst]
    while path[-1] != g.src:
        path.append(prev[path[-1]])
    return path[::-1]


def make(rng: random.Random) -> Net:
    """Six nodes: a random spanning chain plus a few shortcuts."""
    nodes = tuple("ABCDEF")
    perm = list(nodes)
    rng.shuffle(perm)
    pairs = {frozenset(p) for p in itertools.pairwise(perm)}
    target = 5 + rng.randint(2, 4)
    while len(pairs) < target:
        pairs.add(frozenset(rng.sample(nodes, 2)))
    edges = tuple((*sorted(p), rng.randint(1, 9)) for p in sorted(pairs, key=sorted))
    g = Net(pick(rng, _WHAT), nodes, edges, "A", "F", "", ())
    dist, _, _ = dijkstra(g, "A")
    costs = sorted({sum(_w(g, u, v) for u, v in itertools.pairwise(r)) for r in routes(g)})
    decoys = [*[c for c in costs if c != dist["F"]][:2], dist["F"] + 1]
    return Net(
        g.what, nodes, edges, "A", "F", str(dist["F"]), tuple(dict.fromkeys(str(c) for c in decoys))
    )


def describe(g: Net) -> str:
    roads = ", ".join(f"{u}-{v} ({w})" for u, v, w in g.edges)
    return (
        f"Six {g.what} A to F are joined by two-way roads with these lengths: {roads}. "
        f"What is the length of the shortest route from {g.src} to {g.dst}?"
    )


def _dijkstra_table(g: Net, rng: random.Random) -> list[str]:
    adj, dist, order = _adj(g), {g.src: 0}, []
    rows = []
    while g.dst not in order:
        u = min((d, n) for n, d in dist.items() if n not in order)[1]
        order.append(u)
        upd = []
        for v, w in adj[u]:
            if v not in order and dist[u] + w < dist.get(v, 10**9):
                dist[v] = dist[u] + w
                upd.append(f"{v}={dist[v]}")
        rows.append([len(order), f"{u} ({dist[u]})", ", ".join(upd) or "-"])
    return [
        pick(
            rng,
            (
                "Dijkstra from A. Each row settles the closest unsettled node:",
                "Run Dijkstra, settling one node per step:",
            ),
        ),
        md_table(["step", "settle", "improved"], rows),
        f"{g.dst} is settled at {dist[g.dst]}.",
    ]


def _bellman_js(g: Net, rng: random.Random) -> list[str]:
    es = ", ".join(f'["{u}", "{v}", {w}]' for u, v, w in g.edges)
    code = (
        f"const roads = [{es}];\n"
        "const dist = { A: 0, B: Infinity, C: Infinity, D: Infinity, E: Infinity, "
        "F: Infinity };\n"
        "for (let pass = 0; pass < 5; pass++) {\n"
        "  for (const [u, v, w] of roads) {\n"
        "    dist[v] = Math.min(dist[v], dist[u] + w);\n"
        "    dist[u] = Math.min(dist[u], dist[v] + w);\n  }\n}\n"
        "console.log(dist.F);"
    )
    dist, _, _ = dijkstra(g, g.src)
    return [
        pick(
            rng,
            (
                "Bellman-Ford style relaxation in JavaScript, five passes over the roads:",
                "Relax every road repeatedly until nothing improves (JS):",
            ),
        ),
        fence(rng, "javascript", code),
        say(f"It logs {dist[g.dst]}.", maybe_all(rng, dist)),
    ]


def maybe_all(rng: random.Random, dist: dict[str, int]) -> str:
    if rng.random() < 0.5:
        return ""
    return "Final table: " + ", ".join(f"{n}={d}" for n, d in sorted(dist.items())) + "."


def _routes_list(g: Net, rng: random.Random) -> list[str]:
    b, rows = bullet(rng), []
    all_routes = routes(g)
    cost = [sum(_w(g, u, v) for u, v in itertools.pairwise(r)) for r in all_routes]
    keep = set(sorted(range(len(all_routes)), key=lambda k: (cost[k], k))[:14])
    for k, r in enumerate(all_routes):
        if k in keep:
            ws = [_w(g, u, v) for u, v in itertools.pairwise(r)]
            rows.append(f"{b}{'-'.join(r)}: {plus(ws)} = {sum(ws)}")
    dist, _, _ = dijkstra(g, g.src)
    if len(all_routes) > 14:
        rows.append(f"{b}... {len(all_routes) - 14} more routes, none under {dist[g.dst]}")
    return [
        pick(
            rng,
            (
                "Enumerate the simple routes from A to F and price each:",
                "Brute force over routes (no node twice):",
            ),
        ),
        lines(rows),
        f"Cheapest: {'-'.join(best_route(g))} at {dist[g.dst]}.",
    ]


def _reverse_prose(g: Net, rng: random.Random) -> list[str]:
    dist, prev, order = dijkstra(g, g.dst)
    sents = [f"{g.dst} is 0 from itself."]
    for n in order[1:]:
        via = prev[n]
        w = _w(g, n, via)
        if via == g.dst:
            sents.append(f"{n} touches {g.dst} directly with a road of {w}.")
        else:
            sents.append(
                pick(
                    rng,
                    (
                        f"{n} gets there through {via}: {w} + {dist[via]} = {dist[n]}.",
                        f"From {n} the best is to go to {via} "
                        f"({w}) and continue, {dist[n]} in total.",
                    ),
                )
            )
        if n == g.src:
            break
    return [
        pick(
            rng,
            (
                "Work backwards from F: how far is each place from the goal?",
                "I'll grow distances outward from the destination, nearest first.",
            ),
        ),
        " ".join(sents),
        f"So {g.src} is {dist[g.src]} away from {g.dst}.",
    ]


def _floyd_plain(g: Net, rng: random.Random) -> list[str]:
    rows = []
    for a in g.nodes:
        d, _, _ = dijkstra(g, a)
        rows.append([a, *(d[b] for b in g.nodes)])
    return [
        pick(
            rng,
            (
                "Build the full distance matrix, letting every node act as a hub (Floyd-Warshall):",
                "All-pairs shortest distances:",
            ),
        ),
        plain_table(["", *g.nodes], rows, rule=False),
        f"Row {g.src}, column {g.dst}: {rows[0][-1]}.",
    ]


def checks(g: Net, rng: random.Random) -> list[str]:
    r = best_route(g)
    ws = [_w(g, u, v) for u, v in itertools.pairwise(r)]
    out = [
        f"the route {'-'.join(r)} costs {plus(ws)} = {sum(ws)}.",
        "each leg is a real road: "
        + ", ".join(f"{u}-{v} ({w})" for (u, v), w in zip(itertools.pairwise(r), ws, strict=True))
        + ".",
    ]
    others = [x for x in routes(g) if x != r]
    if others:
        x = rng.choice(others)
        wx = [_w(g, u, v) for u, v in itertools.pairwise(x)]
        out.append(f"the alternative {'-'.join(x)} is {plus(wx)} = {sum(wx)}, no better.")
    return out


FAMILY = Family(
    key="route",
    domain="graphs",
    goal="the shortest route length",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "All road lengths are positive, so a shortest route never visits a node twice.",
        "Roads are two-way, so the graph is undirected.",
        "The direct-looking route is not always the cheapest one.",
    ),
    methods=(
        Method("dijkstra_table", "table", _dijkstra_table),
        Method("bellman_js", "code", _bellman_js),
        Method("routes_list", "list", _routes_list),
        Method("reverse_prose", "prose", _reverse_prose),
        Method("floyd_plain", "table", _floyd_plain),
    ),
)
