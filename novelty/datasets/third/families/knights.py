"""Knights-and-knaves puzzles: three islanders, each making one claim (domain: logic)."""

from __future__ import annotations

from itertools import product
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, md_table, sentence

NAMES = ("Ava", "Ben", "Cal", "Dora", "Eli", "Finn", "Gus", "Hana", "Ivy", "Jon", "Kim", "Lea")
KINDS = ("knight", "knave", "same", "diff", "both", "one_knave", "exactly_one")

# Instance: (names, claims) with claims[s] = (kind, j, k) spoken by islander s.
Claim = tuple[str, int, int]
Instance = tuple[tuple[str, ...], tuple[Claim, ...]]


def holds(claim: Claim, a: tuple[bool, ...]) -> bool:
    """Whether a claim is true under the knight assignment a."""
    kind, j, k = claim
    return {
        "knight": a[j],
        "knave": not a[j],
        "same": a[j] == a[k],
        "diff": a[j] != a[k],
        "both": a[j] and a[k],
        "one_knave": not a[j] or not a[k],
        "exactly_one": sum(a) == 1,
    }[kind]


def solutions(inst: Instance) -> list[tuple[bool, ...]]:
    _, claims = inst
    return [
        a
        for a in product((True, False), repeat=3)
        if all(a[s] == holds(c, a) for s, c in enumerate(claims))
    ]


def _random_claim(rng: Random, s: int) -> Claim:
    others = [x for x in range(3) if x != s]
    rng.shuffle(others)
    return (rng.choice(KINDS), others[0], others[1])


def make(rng: Random) -> Instance:
    pool = list(NAMES)
    rng.shuffle(pool)
    names = tuple(pool[:3])
    while True:
        claims = tuple(_random_claim(rng, s) for s in range(3))
        if len(solutions((names, claims))) == 1:
            return names, claims


def solve(inst: Instance) -> tuple[bool, ...]:
    return solutions(inst)[0]


def perturb(inst: Instance, rng: Random) -> Instance:
    """Misremember one islander's claim."""
    names, claims = inst
    while True:
        s = rng.randrange(3)
        new = list(claims)
        new[s] = _random_claim(rng, s)
        if new[s] != claims[s] and len(solutions((names, tuple(new)))) == 1:
            return names, tuple(new)


def say(claim: Claim, names: tuple[str, ...]) -> str:
    """The claim in the speaker's own words."""
    kind, j, k = claim
    J, K = names[j], names[k]
    return {
        "knight": f"{J} is a knight.",
        "knave": f"{J} is a knave.",
        "same": f"{J} and {K} are the same type.",
        "diff": f"{J} and {K} are of different types.",
        "both": f"{J} and {K} are both knights.",
        "one_knave": f"At least one of {J} and {K} is a knave.",
        "exactly_one": "Exactly one of us three is a knight.",
    }[kind]


def kind_word(x: bool) -> str:
    return "knight" if x else "knave"


def show(inst: Instance, ans: tuple[bool, ...]) -> str:
    return ", ".join(f"{n}: {kind_word(x)}" for n, x in zip(inst[0], ans, strict=True))


def restate(inst: Instance, ph: Ph) -> str:
    names, claims = inst
    intro = ph.pick(
        "On an island, knights always tell the truth and knaves always lie.",
        "Every inhabitant of the island is either a truth-telling knight or a lying knave.",
        "We have the classic island where knights never lie and knaves never tell the truth.",
    )
    meet = ph.pick(
        f"We meet {names[0]}, {names[1]} and {names[2]}.",
        f"Three islanders, {names[0]}, {names[1]} and {names[2]}, speak to us.",
        f"{names[0]}, {names[1]} and {names[2]} each make one statement.",
    )
    quotes = " ".join(f'{names[s]} says: "{say(c, names)}"' for s, c in enumerate(claims))
    ask = ph.pick(
        "Who is a knight and who is a knave?",
        "We need to determine the type of each of them.",
        "The task is to figure out which of them are knights.",
    )
    return sentence(intro, meet, quotes, ask)


def _labelled(inst: Instance, a: tuple[bool, ...]) -> str:
    names = inst[0]
    return f"{names[0]} is a {kind_word(a[0])}, {names[1]} is a {kind_word(a[1])} and " + (
        f"{names[2]} is a {kind_word(a[2])}"
    )


def render_table(inst: Instance, ph: Ph) -> tuple[list[str], object]:
    """Exhaustive truth table over all eight assignments."""
    names, claims = inst
    rows, good = [], []
    for a in product((True, False), repeat=3):
        checks = ["ok" if a[s] == holds(c, a) else "x" for s, c in enumerate(claims)]
        fine = all(c == "ok" for c in checks)
        if fine:
            good.append(a)
        rows.append([*("K" if x else "N" for x in a), *checks, "yes" if fine else "no"])
    head = [*names, *(f"{n}'s claim" for n in names), "consistent"]
    ans = good[0]
    lines = [
        sentence(
            ph.pick(
                "There are only eight possible assignments, so we check them all in a table.",
                "With three people there are $2^3 = 8$ cases; we tabulate every one.",
                "The cleanest approach is a full truth table (K = knight, N = knave).",
            ),
            ph.pick(
                "A claim column says ok when the speaker's type matches the truth of the claim.",
                "In each claim column, ok means a knight said something true or a knave "
                "said something false.",
                "We mark x whenever a speaker's claim does not fit their type.",
            ),
        ),
        md_table(head, rows),
        ph.pick(
            f"Only one row is consistent: {_labelled(inst, ans)}.",
            f"Exactly one assignment survives, namely {_labelled(inst, ans)}.",
            f"The single row with every claim fitting is {_labelled(inst, ans)}.",
        ),
    ]
    return lines, ans


def _claim_phrase(c: Claim, names: tuple[str, ...], speaker: int) -> str:
    text = say(c, names)[:-1]
    if text.split()[0] not in names:
        text = text[0].lower() + text[1:]
    return f"{names[speaker]}'s claim that {text}"


def render_cases(inst: Instance, ph: Ph) -> tuple[list[str], object]:
    """Hypothetical reasoning: assume types one person at a time and prune contradictions."""
    names, claims = inst
    refs = [{s, c[1], c[2]} if c[0] != "exactly_one" else {0, 1, 2} for s, c in enumerate(claims)]
    found: list[tuple[bool, ...]] = []

    def explore(prefix: tuple[bool, ...], xs: tuple[bool, ...] = (True, False)) -> list[str]:
        n = len(prefix)
        out: list[str] = []
        for x in xs:
            a = (*prefix, x)
            who = names[n]
            out.append(
                ph.pick(
                    f"Suppose {who} is a {kind_word(x)}.",
                    f"Now assume {who} is a {kind_word(x)}.",
                    f"Try {who} as a {kind_word(x)}.",
                )
            )
            bad = None
            for s, c in enumerate(claims):
                if max(refs[s]) == n:
                    full = a + (False,) * (3 - len(a))
                    if a[s] != holds(c, full):
                        bad = (s, c, holds(c, full))
                        break
            if bad:
                s, c, truth = bad
                out.append(
                    ph.pick(
                        f"Then {_claim_phrase(c, names, s)} would "
                        f"be {'true' if truth else 'false'}, "
                        f"which a {kind_word(a[s])} cannot say, so this fails.",
                        f"But that makes {_claim_phrase(c, names, s)} "
                        f"{'true' if truth else 'false'}"
                        f", a contradiction since {names[s]} is a {kind_word(a[s])}.",
                        f"This is impossible: {_claim_phrase(c, names, s)} comes out "
                        f"{'true' if truth else 'false'} while {names[s]} is a {kind_word(a[s])}.",
                    )
                )
            elif len(a) == 3:
                found.append(a)
                out.append(
                    ph.pick(
                        "Every statement now fits its speaker, so this case works.",
                        "All three claims are consistent here.",
                        "No contradiction appears, so this is a valid assignment.",
                    )
                )
            else:
                out.append(
                    ph.pick("No contradiction yet.", "So far so good.", "Nothing breaks yet.")
                )
                out.extend(explore(a))
        return out

    lines = [
        ph.pick(
            f"We reason by cases, starting with {names[0]}.",
            "Let's argue by hypothesis, fixing one person's type at a time.",
            "We make assumptions and look for contradictions.",
        ),
        sentence(*explore((), (True,))),
        sentence(*explore((), (False,))),
    ]
    ans = found[0]
    lines.append(
        ph.pick(
            f"So the only consistent case is {_labelled(inst, ans)}.",
            f"Hence {_labelled(inst, ans)}.",
            f"Therefore the assignment must be {_labelled(inst, ans)}.",
        )
    )
    return lines, ans


def _py_expr(c: Claim, var: tuple[str, ...]) -> str:
    kind, j, k = c
    return {
        "knight": var[j],
        "knave": f"not {var[j]}",
        "same": f"{var[j]} == {var[k]}",
        "diff": f"{var[j]} != {var[k]}",
        "both": f"{var[j]} and {var[k]}",
        "one_knave": f"not {var[j]} or not {var[k]}",
        "exactly_one": f"{var[0]} + {var[1]} + {var[2]} == 1",
    }[kind]


def render_python(inst: Instance, ph: Ph) -> tuple[list[str], object]:
    """Brute force in Python over all assignments."""
    names, claims = inst
    var = tuple(n.lower() for n in names)
    fn = ph.pick("consistent", "valid", "fits")
    body = "\n".join(
        f"        ({var[s]}, {_py_expr(c, var)}),  # {names[s]}: {say(c, names)}"
        for s, c in enumerate(claims)
    )
    src = (
        "from itertools import product\n\n"
        f"def {fn}({', '.join(var)}):\n"
        "    claims = [\n"
        f"{body}\n"
        "    ]\n"
        "    return all(bool(speaker) == bool(claim) for speaker, claim in claims)\n\n"
        f"for {', '.join(var)} in product([True, False], repeat=3):\n"
        f"    if {fn}({', '.join(var)}):\n"
        f"        print({', '.join(var)})"
    )
    ans = solutions(inst)[0]
    lines = [
        ph.pick(
            "A quick brute force settles it: a speaker is a knight exactly when the claim is true.",
            "We can let the computer try every assignment.",
            "Let's just code the condition (knight iff claim true) and enumerate.",
        ),
        code_block("python", src),
        ph.pick(
            f"This prints exactly one line, `{' '.join(str(x) for x in ans)}`, "
            f"i.e. {_labelled(inst, ans)}.",
            f"The only output is `{' '.join(str(x) for x in ans)}`, so {_labelled(inst, ans)}.",
            f"Running it gives a single solution: {_labelled(inst, ans)}.",
        ),
    ]
    return lines, ans


def _tex(c: Claim, v: tuple[str, ...]) -> str:
    kind, j, k = c
    return {
        "knight": v[j],
        "knave": rf"\lnot {v[j]}",
        "same": rf"({v[j]} \leftrightarrow {v[k]})",
        "diff": rf"({v[j]} \oplus {v[k]})",
        "both": rf"({v[j]} \land {v[k]})",
        "one_knave": rf"(\lnot {v[j]} \lor \lnot {v[k]})",
        "exactly_one": rf"({v[0]} + {v[1]} + {v[2]} = 1)",
    }[kind]


def render_algebra(inst: Instance, ph: Ph) -> tuple[list[str], object]:
    """Boolean algebra: write biconditionals, eliminate variables via the literal ones."""
    names, claims = inst
    v = tuple(f"K_{n[0]}" for n in names)
    lines = [
        ph.pick(
            f"Let ${v[0]}$, ${v[1]}$, ${v[2]}$ be 1 for a knight and 0 for a knave. "
            "Each statement gives a biconditional:",
            "Encode the puzzle in propositional logic: a person is a knight iff "
            "their statement holds.",
            "We translate everything into Boolean equations.",
        )
    ]
    lines += [
        f"$$({s + 1})\\quad {v[s]} \\leftrightarrow {_tex(c, v)}$$" for s, c in enumerate(claims)
    ]
    # Parity union-find over the literal equations.
    root = {0: (0, 0), 1: (1, 0), 2: (2, 0)}

    def find(x: int) -> tuple[int, int]:
        r, p = root[x]
        if r == x:
            return x, 0
        rr, pp = find(r)
        return rr, p ^ pp

    used = []
    for s, c in enumerate(claims):
        i = s
        if c[0] in ("knight", "knave"):
            par = 0 if c[0] == "knight" else 1
            rs, ps = find(s)
            rj, pj = find(c[1])
            if rs != rj:
                root[rj] = (rs, ps ^ pj ^ par)
                rel = "=" if par == 0 else r"= \lnot"
                lines.append(
                    ph.pick(
                        f"Equation ({i + 1}) simply says ${v[s]} {rel} {v[c[1]]}$.",
                        f"From ({i + 1}): ${v[s]} {rel} {v[c[1]]}$.",
                        f"({i + 1}) is a plain link, ${v[s]} {rel} {v[c[1]]}$.",
                    )
                )
                used.append(i)
    free = sorted({find(x)[0] for x in range(3)})
    lines.append(
        ph.pick(
            f"That leaves the free variables ${', '.join(v[f] for f in free)}$, "
            f"so only {2 ** len(free)} cases remain.",
            f"Everything is now expressed through ${', '.join(v[f] for f in free)}$; "
            f"we test the {2 ** len(free)} values.",
            f"Substituting, we only have to try {2 ** len(free)} values of "
            f"${', '.join(v[f] for f in free)}$.",
        )
    )
    ans = None
    tests = []
    for vals in product((1, 0), repeat=len(free)):
        fixed = dict(zip(free, vals, strict=True))
        a = tuple(bool(fixed[find(x)[0]] ^ find(x)[1]) for x in range(3))
        asg = ", ".join(f"{v[x]}={int(a[x])}" for x in range(3))
        broken = [s for s, c in enumerate(claims) if a[s] != holds(c, a)]
        if broken:
            b = broken[0]
            lhs, rhs = int(a[b]), int(holds(claims[b], a))
            tests.append(
                f"- ${asg}$: "
                + ph.pick(
                    f"equation ({b + 1}) is violated",
                    f"({b + 1}) would read ${lhs} \\leftrightarrow {rhs}$, false",
                    f"fails at ({b + 1})",
                )
            )
        else:
            ans = a
            tests.append(f"- ${asg}$: " + ph.pick("all equations hold", "consistent", "works"))
    assert ans is not None
    lines.append("\n".join(tests))
    lines.append(rf"$$\boxed{{{', '.join(f'{v[x]}={int(ans[x])}' for x in range(3))}}}$$")
    return lines, ans


FAMILY = Family(
    key="knights",
    domain="logic",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("truth_table", "table", 0.06, render_table),
        Method("case_hypothesis", "prose", 0.12, render_cases),
        Method("python_bruteforce", "code", 0.04, render_python),
        Method("boolean_algebra", "mixed", 0.10, render_algebra),
    ),
)
