"""Model counting for a small CNF formula: how many assignments satisfy every clause.

Methods: full truth table, a case-split tree with simplification, brute-force code, and
inclusion-exclusion over the assignments that falsify clauses.
"""

from __future__ import annotations

import itertools
import random

from ..core import Family, Instance, Method, Pen, wrong_answers

VARSETS = (
    ("p", "q", "r", "s"),
    ("A", "B", "C", "D"),
    ("x1", "x2", "x3", "x4"),
    ("u", "v", "w", "z"),
)
NOTATION = (("∨", "¬"), ("OR", "NOT "), ("|", "~"), ("v", "-"))
Clause = tuple[tuple[int, bool], ...]  # (variable index, positive?)


def _sat(clause: Clause, vals: tuple[bool, ...]) -> bool:
    return any(vals[v] == pos for v, pos in clause)


def _count(clauses: list[Clause], n: int) -> int:
    return sum(
        all(_sat(c, vals) for c in clauses) for vals in itertools.product([True, False], repeat=n)
    )


def make(rng: random.Random) -> Instance:
    """Draw 3-4 clauses over 3-4 variables with at least one model."""
    while True:
        n = rng.randint(3, 4)
        m = rng.randint(3, 4)
        clauses: list[Clause] = []
        for _ in range(m):
            width = rng.choice([1, 2, 2, 3, 3, 3]) if n > 3 else rng.choice([2, 2, 3])
            vs = sorted(rng.sample(range(n), width))
            clauses.append(tuple((v, rng.random() < 0.55) for v in vs))
        if len(set(clauses)) < m:
            continue
        count = _count(clauses, n)
        if 1 <= count < 2**n:
            break
    names = rng.choice(VARSETS)[:n]
    orr, neg = rng.choice(NOTATION)
    data = {"n": n, "clauses": clauses, "names": names, "or": orr, "neg": neg}
    shown = ", ".join(f"({_cl(c, data)})" for c in clauses)
    prompt = (
        f"How many assignments of true/false to {', '.join(names)} satisfy all of these "
        f"clauses at once: {shown}?"
    )
    wrong = wrong_answers(count, [count + 1, count - 1, 2**n - count, count + 2, 2 ** (n - 1)])
    return Instance(prompt, str(count), wrong, data, unit="assignments")


def _lit(v: int, pos: bool, d: dict) -> str:
    return ("" if pos else d["neg"]) + d["names"][v]


def _cl(c: Clause, d: dict) -> str:
    return f" {d['or']} ".join(_lit(v, pos, d) for v, pos in c)


def verify(inst: Instance) -> str:
    """Count models by iterating over integers as bit masks."""
    d = inst.data
    n, clauses = d["n"], d["clauses"]
    total = 0
    for mask in range(2**n):
        vals = tuple(bool(mask >> (n - 1 - i) & 1) for i in range(n))
        total += all(_sat(c, vals) for c in clauses)
    return str(total)


def truth_table(inst: Instance, pen: Pen, ans: str) -> None:
    """Every assignment with every clause evaluated."""
    d = inst.data
    n, clauses, names = d["n"], d["clauses"], d["names"]
    t, f = pen.choice([("T", "F"), ("1", "0"), ("true", "false")])
    rows = []
    per_clause = pen.maybe(0.7)
    order = [True, False] if pen.maybe() else [False, True]
    for vals in itertools.product(order, repeat=n):
        cs = [_sat(c, vals) for c in clauses] if per_clause else []
        ok = all(_sat(c, vals) for c in clauses)
        rows.append([t if x else f for x in vals] + [t if x else f for x in cs] + [t if ok else f])
    heads = [*names, *(f"C{j + 1}" for j in range(len(clauses)) if per_clause)]
    heads.append(pen.pick("all", "SAT", "ok", "sat?"))
    pen.say(
        pen.pick(
            "Full truth table.",
            f"Only {2**n} rows, so enumerate them all.",
            f"{n} variables means {2**n} assignments; tabulate.",
            "Truth table it is.",
        ),
        "Clauses: " + "; ".join(f"C{j + 1} = {_cl(c, d)}" for j, c in enumerate(clauses)) + ".",
    )
    pen.table(heads, rows, ("md", "aligned", "csv"))
    pen.say(
        pen.pick(
            f"Rows with '{t}' in the last column: {ans}.",
            f"Counting them: {ans}.",
            f"{ans} rows satisfy every clause.",
            f"Satisfying rows: {ans} of {2**n}.",
        )
    )


def case_split(inst: Instance, pen: Pen, ans: str) -> None:
    """Split on variables one at a time, simplify, count leaves with free variables as 2^k."""
    d = inst.data
    n, names = d["n"], d["names"]
    order = list(range(n))
    how = pen.pick("natural", "reverse", "frequency")
    if how == "reverse":
        order.reverse()
    elif how == "frequency":
        order.sort(key=lambda v: -sum(v == u for c in d["clauses"] for u, _ in c))
    values = (True, False) if pen.maybe(0.7) else (False, True)
    yes, no = pen.choice([("=T", "=F"), ("=1", "=0"), (" true", " false")])
    dead = pen.pick("clause falsified -> 0", "conflict -> 0", "empty clause, 0")
    left = pen.pick("left", "remaining", "residual")
    out: list[str] = []

    def rec(clauses: list[Clause], pos: int, depth: int, label: str) -> int:
        pad = "  " * depth
        if any(len(c) == 0 for c in clauses):
            out.append(f"{pad}{label}: {dead}")
            return 0
        if not clauses:
            free = n - pos
            out.append(f"{pad}{label}: all satisfied, {free} free -> {2**free}")
            return 2**free
        if depth > 0:
            rest = " ∧ ".join(f"({_cl(c, d)})" for c in clauses)
            out.append(f"{pad}{label}: {left} {rest}")
        factor = 1
        while not any(v == order[pos] for c in clauses for v, _ in c):
            out.append(f"{pad}  {names[order[pos]]} no longer occurs -> free, x2")
            factor *= 2
            pos += 1
        var = order[pos]
        total = 0
        for val in values:
            nxt = []
            for c in clauses:
                if any(v == var and p == val for v, p in c):
                    continue
                nxt.append(tuple(lit for lit in c if lit[0] != var))
            total += rec(nxt, pos + 1, depth + 1, f"{names[var]}{yes if val else no}")
        if factor > 1:
            out.append(f"{pad}  = {factor}·{total} = {factor * total}")
        else:
            out.append(f"{pad}  = {total}")
        return factor * total

    rec(list(d["clauses"]), 0, 0, "")
    split = ", ".join(names[v] for v in order)
    pen.say(
        pen.pick("Case split", "Branch on the variables", "Split cases"),
        f"in the order {split}:" if how != "natural" or pen.maybe() else "in order:",
    )
    pen.raw("\n".join(out))
    pen.say(pen.pick(f"Total at the root: {ans}.", f"So {ans} satisfying assignments."))


def brute_code(inst: Instance, pen: Pen, ans: str) -> None:
    """Enumerate assignments in a program."""
    d = inst.data
    n, clauses, names = d["n"], d["clauses"], d["names"]
    lang = pen.pick("python", "haskell", "bash")
    ids = [f"v{j}" for j in range(n)] if pen.maybe(0.3) else [x.lower() for x in names]
    if lang == "python":
        cs = [" or ".join(("" if p else "not ") + ids[v] for v, p in c) for c in clauses]
        body = " and ".join(f"({c})" for c in cs)
        src = f"""from itertools import product
count = 0
for {", ".join(ids)} in product([True, False], repeat={n}):
    if {body}:
        count += 1
print(count)"""
    elif lang == "haskell":
        cs = [" || ".join(("" if p else "not ") + ids[v] for v, p in c) for c in clauses]
        gens = ", ".join(f"{x} <- [True, False]" for x in ids)
        body = " && ".join(f"({c})" for c in cs)
        src = f"""main :: IO ()
main = print (length [() | {gens}, {body}])"""
    else:
        cs = []
        for c in clauses:
            cs.append(" || ".join(f"{ids[v]}" if p else f"!{ids[v]}" for v, p in c))
        loops = "".join(f"for {x} in 0 1; do " for x in ids)
        cond = " && ".join(f"( {c} )" for c in cs)
        src = f"""n=0
{loops}
  (( {cond} )) && n=$((n+1))
{"done; " * n}
echo $n"""
    pen.say(pen.pick("Brute force:", "Let the machine enumerate:", f"{2**n} cases, so:"))
    pen.code(lang, src, inst.answer)
    pen.say(pen.pick(f"Count = {ans}.", f"{ans}.", f"It prints {ans}."))


def inclusion_exclusion(inst: Instance, pen: Pen, ans: str) -> None:
    """Count assignments falsifying at least one clause, subtract from 2^n."""
    d = inst.data
    n, clauses = d["n"], d["clauses"]
    m = len(clauses)
    level_sums: list[int] = []
    notes: list[str] = []
    for size in range(1, m + 1):
        s = 0
        for combo in itertools.combinations(range(m), size):
            lits = {lit for j in combo for lit in clauses[j]}
            vars_ = {v for v, _ in lits}
            ways = 0 if len(vars_) < len(lits) else 2 ** (n - len(vars_))
            s += ways
            if size == 2 and ways == 0:
                notes.append(f"C{combo[0] + 1} and C{combo[1] + 1}")
        level_sums.append(s)
    bad = sum((-1) ** k * s for k, s in enumerate(level_sums))
    singles = ", ".join(
        f"C{j + 1} fails in 2^{n - len(c)} = {2 ** (n - len(c))}" for j, c in enumerate(clauses)
    )
    pen.say(
        pen.pick("Count the complement instead.", "Easier to count failures."),
        "A clause is false only when all its literals are false, so " + singles + ".",
    )
    conflict = ""
    if notes:
        conflict = (
            f" Some pairs can never fail together ({'; '.join(notes[:3])}) because they need "
            "a variable both true and false."
        )
    terms = str(level_sums[0]) + "".join(
        f" {'-' if k % 2 else '+'} {s}" for k, s in enumerate(level_sums) if k > 0
    )
    pen.say(
        f"Pairs failing together add up to {level_sums[1]}.{conflict}",
        f"Triples give {level_sums[2]}" + (f" and all four {level_sums[3]}." if m == 4 else "."),
        f"By inclusion-exclusion the failing assignments number {terms} = {bad}.",
    )
    pen.say(f"So {2**n} - {bad} = {ans} assignments satisfy everything.")


def checks(inst: Instance) -> list[str]:
    """Spot checks of the model count."""
    d = inst.data
    n, clauses, names = d["n"], d["clauses"], d["names"]
    models = [
        vals
        for vals in itertools.product([True, False], repeat=n)
        if all(_sat(c, vals) for c in clauses)
    ]
    one = ", ".join(f"{x}={'T' if v else 'F'}" for x, v in zip(names, models[0], strict=False))
    return [
        f"One model: {one}; every clause has a true literal there.",
        f"Failures plus models: {2**n - len(models)} + {len(models)} = {2**n}.",
        f"Recount the models listed: {len(models)}.",
    ]


FAMILY = Family(
    key="satcount",
    domain="logic",
    make=make,
    verify=verify,
    methods=(
        Method("truth_table", "table", truth_table),
        Method("case_split_tree", "list", case_split),
        Method("brute_force_code", "code", brute_code),
        Method("inclusion_exclusion_failures", "prose", inclusion_exclusion),
    ),
    checks=checks,
    asides=(
        "Clauses are ANDed together; literals inside a clause are ORed.",
        "Order of clauses doesn't matter.",
        "Repeated variables inside one clause would simplify, but there are none here.",
    ),
)
