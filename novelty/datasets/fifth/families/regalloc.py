"""Register allocation as graph colouring: fewest registers for an interference graph.

Instances are drawn so that the largest clique, Welsh-Powell greedy and DSATUR all reach
the chromatic number, so every method honestly arrives at the right count.
Methods: Welsh-Powell greedy, DSATUR table, backtracking search code, clique-bound prose,
adjacency matrix with colour classes.
"""

from __future__ import annotations

import itertools
import random

from ..core import Family, Instance, Method, Pen, wrong_answers

NAMES = ("a", "b", "c", "d", "i", "j", "k", "t0", "t1", "t2", "x", "y", "acc", "tmp", "sum", "ptr")
Graph = dict[str, set[str]]


def _clique(g: Graph) -> list[str]:
    """A maximum clique, by brute force over subsets (graphs have at most 8 nodes)."""
    nodes = sorted(g)
    for size in range(len(nodes), 0, -1):
        for combo in itertools.combinations(nodes, size):
            if all(v in g[u] for u, v in itertools.combinations(combo, 2)):
                return list(combo)
    return []


def _greedy(g: Graph, order: list[str]) -> dict[str, int]:
    """Colour nodes in the given order with the lowest free register."""
    col: dict[str, int] = {}
    for v in order:
        used = {col[u] for u in g[v] if u in col}
        col[v] = next(c for c in range(len(g)) if c not in used)
    return col


def _wp_order(g: Graph) -> list[str]:
    return sorted(g, key=lambda v: (-len(g[v]), v))


def _dsatur(g: Graph) -> list[tuple[str, int, int, int]]:
    """DSATUR steps: (node, saturation, degree, colour)."""
    col: dict[str, int] = {}
    steps = []
    while len(col) < len(g):

        def sat(v: str) -> int:
            return len({col[u] for u in g[v] if u in col})

        v = max((v for v in g if v not in col), key=lambda v: (sat(v), len(g[v]), -ord(v[0])))
        used = {col[u] for u in g[v] if u in col}
        c = next(c for c in range(len(g)) if c not in used)
        steps.append((v, sat(v), len(g[v]), c))
        col[v] = c
    return steps


def _backtrack(g: Graph, k: int) -> dict[str, int]:
    """First k-colouring found by backtracking over nodes in sorted order."""
    nodes = sorted(g)
    col: dict[str, int] = {}

    def go(i: int) -> bool:
        if i == len(nodes):
            return True
        for c in range(k):
            if all(col.get(u) != c for u in g[nodes[i]]):
                col[nodes[i]] = c
                if go(i + 1):
                    return True
                del col[nodes[i]]
        return False

    if not go(0):
        raise ValueError(f"no {k}-colouring")
    return col


def _chromatic(g: Graph) -> int:
    """Exact chromatic number by trying every assignment for k = 1, 2, ..."""
    nodes = sorted(g)
    edges = [(u, v) for u in nodes for v in g[u] if u < v]
    for k in range(1, len(nodes) + 1):
        for assign in itertools.product(range(k), repeat=len(nodes)):
            col = dict(zip(nodes, assign, strict=False))
            if all(col[u] != col[v] for u, v in edges):
                return k
    return len(nodes)


def make(rng: random.Random) -> Instance:
    """Draw random interference graphs until greedy, DSATUR and clique bound agree."""
    while True:
        n = rng.randint(6, 8)
        names = rng.sample(NAMES, n)
        g: Graph = {v: set() for v in names}
        p = rng.uniform(0.3, 0.55)
        for u, v in itertools.combinations(names, 2):
            if rng.random() < p:
                g[u].add(v)
                g[v].add(u)
        if any(not nb for nb in g.values()):
            continue
        k = len(_clique(g))
        wp = max(_greedy(g, _wp_order(g)).values()) + 1
        ds = max(s[3] for s in _dsatur(g)) + 1
        if k >= 2 and wp == k and ds == k:
            break
    edges = sorted({tuple(sorted((u, v))) for u in g for v in g[u]})
    shown = rng.sample(edges, len(edges))
    sep = rng.choice(["–", "-", " and "])
    pairs = ", ".join(f"{u}{sep}{v}" for u, v in shown)
    prompt = (
        f"A basic block uses the temporaries {', '.join(names)}. These pairs are live at the "
        f"same time and cannot share a register: {pairs}. Without spilling, what is the "
        "minimum number of registers needed?"
    )
    maxdeg = max(len(nb) for nb in g.values())
    wrong = wrong_answers(k, [k + 1, k - 1 if k > 2 else k + 2, maxdeg + 1, maxdeg, n])
    return Instance(prompt, str(k), wrong, {"g": g, "names": names}, unit="registers")


def verify(inst: Instance) -> str:
    """Exhaustive chromatic number."""
    return str(_chromatic(inst.data["g"]))


def _reg(pen: Pen) -> str:
    return pen.pick("r", "R", "%r", "reg")


def welsh_powell(inst: Instance, pen: Pen, ans: str) -> None:
    """Sort by degree, give each node the lowest register not used by a neighbour."""
    g = inst.data["g"]
    r = _reg(pen)
    order = _wp_order(g)
    col = _greedy(g, order)
    pen.say(
        pen.pick("Greedy by degree (Welsh-Powell).", "Colour greedily, busiest temporary first."),
        pen.pick("Order:", "Degree order:") + " " + ", ".join(f"{v}({len(g[v])})" for v in order),
    )
    items = []
    for v in order:
        taken = sorted({col[u] for u in g[v] if order.index(u) < order.index(v)})
        note = ", ".join(f"{r}{c}" for c in taken) or "nothing"
        items.append(f"{v}: neighbours hold {note} -> {r}{col[v]}")
    pen.lines(items, ("-", "", "1."))
    clique = _clique(g)
    pen.say(
        f"That uses {ans} registers.",
        pen.pick(
            f"Lower bound: {', '.join(clique)} all interfere pairwise, so fewer is impossible.",
            f"And {{{', '.join(clique)}}} is a clique, so we need at least {len(clique)}.",
        ),
    )


def dsatur(inst: Instance, pen: Pen, ans: str) -> None:
    """DSATUR: repeatedly colour the node with most distinctly-coloured neighbours."""
    g = inst.data["g"]
    r = _reg(pen)
    steps = _dsatur(g)
    pen.say(
        pen.pick("Use DSATUR:", "DSATUR ordering:", "Let me run DSATUR."),
        "pick the uncoloured temporary whose neighbours already use the most distinct "
        "registers (ties by degree), give it the lowest free register.",
    )
    rows = [[k, v, s, d, f"{r}{c}"] for k, (v, s, d, c) in enumerate(steps, 1)]
    pen.table(["step", "temp", "sat", "deg", "reg"], rows, ("md", "aligned", "csv", "json"))
    pen.say(
        pen.pick(f"Registers used: {ans}.", f"Max register index + 1 = {ans}."),
        f"The clique {{{', '.join(_clique(g))}}} shows fewer is impossible."
        if pen.maybe(0.6)
        else "",
    )


def backtracking(inst: Instance, pen: Pen, ans: str) -> None:
    """Try k = 1, 2, ... with a backtracking search; print the first k that works."""
    g, names = inst.data["g"], inst.data["names"]
    k = int(inst.answer)
    col = _backtrack(g, k)
    edges = sorted({tuple(sorted((u, v))) for u in g for v in g[u]})
    lines = [f"k={j}: impossible" for j in range(1, k)]
    lines.append(f"k={k}: " + "{" + ", ".join(f"'{v}': {col[v]}" for v in sorted(names)) + "}")
    lang = pen.pick("python", "pseudo", "python")
    pen.say(pen.pick("Exact search to be safe:", "Backtracking, smallest k first:", ""))
    if lang == "python":
        elist = ", ".join(f'("{u}","{v}")' for u, v in edges)
        src = f"""edges = [{elist}]
nodes = sorted({{u for e in edges for u in e}})
adj = {{v: set() for v in nodes}}
for u, v in edges:
    adj[u].add(v); adj[v].add(u)

def colour(k, i=0, col={{}}):
    if i == len(nodes):
        return dict(col)
    v = nodes[i]
    for c in range(k):
        if all(col.get(u) != c for u in adj[v]):
            col[v] = c
            found = colour(k, i + 1, col)
            if found:
                return found
            del col[v]
    return None

for k in range(1, len(nodes) + 1):
    sol = colour(k)
    print(f"k={{k}}:", sol or "impossible")
    if sol:
        break"""
        out = "\n".join(lines)
    else:
        src = """function FITS(k):
    return ASSIGN(nodes in fixed order, k) succeeds    # try colour 0..k-1, undo on conflict
for k = 1 .. |V|:
    if FITS(k): output k; stop"""
        out = "\n".join(lines)
    pen.code("python" if lang == "python" else "", src, out)
    pen.say(pen.pick(f"Smallest feasible k is {ans}.", f"So {ans} registers.", f"k = {ans}."))


def clique_prose(inst: Instance, pen: Pen, ans: str) -> None:
    """Lower bound from a clique, upper bound from an explicit assignment, in sentences."""
    g = inst.data["g"]
    r = _reg(pen)
    clique = _clique(g)
    col = _greedy(g, _wp_order(g))
    classes: dict[int, list[str]] = {}
    for v, c in sorted(col.items()):
        classes.setdefault(c, []).append(v)
    pen.say(
        pen.pick("First a lower bound.", "Think of it as colouring the interference graph."),
        f"The temporaries {', '.join(clique[:-1])} and {clique[-1]} are all live together, "
        f"every pair of them interferes, so they need {len(clique)} different registers.",
    )
    groups = "; ".join(f"{r}{c} holds {', '.join(vs)}" for c, vs in sorted(classes.items()))
    pen.say(
        pen.pick("Now an assignment that meets it:", "Can we achieve that? Yes:"),
        groups + ".",
        pen.pick(
            "Checking each listed pair, no two interfering temporaries share a register.",
            "None of the interfering pairs ends up in the same register.",
        ),
    )
    pen.say(f"Lower and upper bound meet, so the minimum is {ans}.")


def matrix_classes(inst: Instance, pen: Pen, ans: str) -> None:
    """Write the adjacency matrix, then read off independent sets as register classes."""
    g, names = inst.data["g"], inst.data["names"]
    order = sorted(names) if pen.maybe() else list(names)
    w = max(len(v) for v in order)
    head = " " * (w + 1) + " ".join(v.rjust(w) for v in order)
    rows = [head]
    for u in order:
        cells = " ".join(("X" if v in g[u] else ".").rjust(w) for v in order)
        rows.append(u.rjust(w) + " " + cells)
    pen.say(pen.pick("Interference matrix (X = conflict):", "Adjacency matrix first."))
    pen.raw("\n".join(rows))
    col = _greedy(g, _wp_order(g))
    classes: dict[int, list[str]] = {}
    for v in _wp_order(g):
        classes.setdefault(col[v], []).append(v)
    pen.say("Rows with no X between them can share a register. Grouping:")
    pen.raw("\n".join(f"  class {c}: {{{', '.join(vs)}}}" for c, vs in sorted(classes.items())))
    pen.say(
        f"{len(classes)} classes, and the {len(_clique(g))} mutually conflicting temporaries "
        f"rule out fewer. Minimum = {ans}."
    )


def checks(inst: Instance) -> list[str]:
    """Quick re-verifications of the register count."""
    g = inst.data["g"]
    k = int(inst.answer)
    clique = _clique(g)
    col = _greedy(g, _wp_order(g))
    edges = sorted({tuple(sorted((u, v))) for u in g for v in g[u]})
    return [
        f"Re-check every conflict pair: all {len(edges)} pairs get different registers.",
        f"Clique {', '.join(clique)}: pairwise conflicting, so at least {len(clique)}.",
        f"Highest register used is {max(col.values())}, so {k} registers in total.",
        f"Could {k - 1} work? No, the clique alone needs {k}.",
    ]


FAMILY = Family(
    key="regalloc",
    domain="code",
    make=make,
    verify=verify,
    methods=(
        Method("welsh_powell_greedy", "list", welsh_powell),
        Method("dsatur_table", "table", dsatur),
        Method("backtracking_search", "code", backtracking),
        Method("clique_bound_argument", "prose", clique_prose),
        Method("matrix_independent_sets", "table", matrix_classes),
    ),
    checks=checks,
    asides=(
        "Spilling is ruled out, so this is pure graph colouring.",
        "Liveness is already given, so I don't need to look at the code itself.",
        "Register names are arbitrary; only the count matters.",
    ),
)
