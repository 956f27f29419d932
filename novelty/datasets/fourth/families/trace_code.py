"""Code-output prediction: what does a small loop print?"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .._text import bullet, fence, lines, pick, plain_table, plus, say
from .._types import Family, Method


@dataclass(frozen=True)
class Loop:
    var: str
    a: int  # start value
    n: int  # range(n)
    k: int  # modulus
    m: int  # multiplier on a hit
    c: int  # penalty on a miss
    answer: str
    decoys: tuple[str, ...]


def run(lp: Loop) -> list[int]:
    """The variable's value after each iteration."""
    x, out = lp.a, []
    for i in range(lp.n):
        x = x + lp.m * i if i % lp.k == 0 else x - lp.c
        out.append(x)
    return out


def make(rng: random.Random) -> Loop:
    lp = Loop(
        pick(rng, ("x", "total", "acc", "score")),
        rng.randint(0, 20),
        rng.randint(6, 12),
        rng.randint(2, 4),
        rng.randint(1, 3),
        rng.randint(1, 3),
        "",
        (),
    )
    vals = run(lp)
    ans = vals[-1]
    off_by_one = Loop(lp.var, lp.a, lp.n + 1, lp.k, lp.m, lp.c, "", ())
    decoys = tuple(
        dict.fromkeys(str(x) for x in (run(off_by_one)[-1], vals[-2], ans + lp.m) if x != ans)
    )
    return Loop(lp.var, lp.a, lp.n, lp.k, lp.m, lp.c, str(ans), decoys)


def source(lp: Loop) -> str:
    step = "i" if lp.m == 1 else f"{lp.m} * i"
    return (
        f"{lp.var} = {lp.a}\nfor i in range({lp.n}):\n    if i % {lp.k} == 0:\n"
        f"        {lp.var} += {step}\n    else:\n        {lp.var} -= {lp.c}\n"
        f"print({lp.var})"
    )


def describe(lp: Loop) -> str:
    return f"What does this Python snippet print?\n\n{source(lp)}"


def _hits(lp: Loop) -> list[int]:
    return [i for i in range(lp.n) if i % lp.k == 0]


def _trace_table(lp: Loop, rng: random.Random) -> list[str]:
    vals, rows = run(lp), []
    for i, x in enumerate(vals):
        hit = i % lp.k == 0
        rows.append([i, i % lp.k, f"+{lp.m * i}" if hit else f"-{lp.c}", x])
    return [
        pick(rng, ("Trace it iteration by iteration:", "Dry run:")),
        plain_table(["i", f"i%{lp.k}", "change", lp.var], rows, rule=rng.random() < 0.5),
        f"After the last iteration {lp.var} = {vals[-1]}.",
    ]


def _residue_list(lp: Loop, rng: random.Random) -> list[str]:
    b, hits = bullet(rng), _hits(lp)
    miss = lp.n - len(hits)
    gain, loss = lp.m * sum(hits), lp.c * miss
    return [
        pick(
            rng,
            (
                f"Group the iterations by whether i is a multiple of {lp.k}:",
                "Split the loop into hits and misses:",
            ),
        ),
        lines(
            [
                f"{b}hits (i % {lp.k} == 0): {', '.join(map(str, hits))} -> {len(hits)} of them",
                f"{b}gain: {lp.m} x ({plus(hits)}) = {lp.m} x {sum(hits)} = {gain}",
                f"{b}misses: {lp.n} - {len(hits)} = {miss} -> lose {lp.c} x {miss} = {loss}",
                f"{b}result: {lp.a} + {gain} - {loss} = {lp.a + gain - loss}",
            ]
        ),
    ]


def _closed_prose(lp: Loop, rng: random.Random) -> list[str]:
    q = (lp.n + lp.k - 1) // lp.k
    s = lp.k * q * (q - 1) // 2
    miss = lp.n - q
    ans = lp.a + lp.m * s - lp.c * miss
    return [
        pick(
            rng,
            (
                "Use a closed form instead of stepping through.",
                "We can count instead of simulating.",
            ),
        ),
        say(
            f"The multiples of {lp.k} below {lp.n} are {lp.k} times 0 to {q - 1}, so there "
            f"are ceil({lp.n}/{lp.k}) = {q} of them and they sum to {lp.k} x {q - 1} x {q} / 2"
            f" = {s}.",
            f"Each one adds {lp.m} times its value, {lp.m * s} in all.",
            f"The other {miss} iterations each subtract {lp.c}, that is {lp.c * miss}.",
            f"Starting from {lp.a}: {lp.a} + {lp.m * s} - {lp.c * miss} = {ans}.",
        ),
    ]


def _js_port(lp: Loop, rng: random.Random) -> list[str]:
    step = "i" if lp.m == 1 else f"{lp.m} * i"
    code = (
        f"const {lp.var} = Array.from({{ length: {lp.n} }}, (_, i) => i).reduce(\n"
        f"  (acc, i) => (i % {lp.k} === 0 ? acc + {step} : acc - {lp.c}),\n  {lp.a}\n);\n"
        f"console.log({lp.var});"
    )
    return [
        pick(
            rng,
            (
                "Port it to a JavaScript reduce, which makes the accumulation explicit:",
                "Same logic as a fold (JS):",
            ),
        ),
        fence(rng, "js", code, p_fence=0.6),
        f"That logs {run(lp)[-1]}, and the Python prints the same.",
    ]


def checks(lp: Loop, rng: random.Random) -> list[str]:
    vals, hits = run(lp), _hits(lp)
    i = lp.n - 1
    prev = vals[-2] if lp.n > 1 else lp.a
    last = f"+ {lp.m * i}" if i % lp.k == 0 else f"- {lp.c}"
    return [
        f"the last iteration is i = {i}: {prev} {last} = {vals[-1]}.",
        f"range({lp.n}) has {lp.n} iterations: {len(hits)} hits plus {lp.n - len(hits)} misses.",
        f"{lp.a} + {lp.m} x {sum(hits)} - {lp.c} x {lp.n - len(hits)} = {vals[-1]}.",
    ]


FAMILY = Family(
    key="trace_code",
    domain="programming",
    goal="the printed value",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "range(n) stops at n - 1, the usual off-by-one trap.",
        "0 counts as a multiple, so the first iteration is a hit.",
        "Nothing is printed inside the loop; only the final value.",
    ),
    methods=(
        Method("trace_table", "table", _trace_table),
        Method("residue_list", "list", _residue_list),
        Method("closed_prose", "prose", _closed_prose),
        Method("js_port", "code", _js_port),
    ),
)
