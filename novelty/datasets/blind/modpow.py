"""Number theory: the remainder of a large power, a^n mod m.

Methods: a table of successive powers until they cycle, repeated squaring as a numbered list,
Euler's theorem in prose, a power congruent to +-1 in prose, and a short program.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .family import Family, Method, pick
from .writer import Writer

MODS = (7, 9, 10, 11, 13, 14, 15, 17, 19, 21, 23, 25, 26, 27, 28)


def phi(m: int) -> int:
    return sum(1 for k in range(1, m + 1) if math.gcd(k, m) == 1)


@dataclass
class ModPow:
    """Base, exponent, modulus, and the multiplicative order of the base."""

    a: int
    n: int
    m: int

    @property
    def r(self) -> int:
        return self.a % self.m

    @property
    def ans(self) -> int:
        return pow(self.a, self.n, self.m)

    @property
    def order(self) -> int:
        k, x = 1, self.r
        while x != 1:
            x, k = x * self.r % self.m, k + 1
        return k

    def result(self, w: Writer) -> int:
        if w.ok:
            return self.ans
        s = self.n % self.order
        slips = [
            pow(self.a, s + 1, self.m),
            pow(self.a, max(s - 1, 0), self.m),
            (self.ans + w.int(1, self.m - 1)) % self.m,
        ]
        return pick(w.rng, [x for x in slips if x != self.ans] or [(self.ans + 1) % self.m])

    def expr(self) -> str:
        return f"{self.a}^{self.n}"

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        e, m = self.expr(), self.m
        w.p(
            (
                f"We need the remainder when {e} is divided by {m}.",
                f"Find {e} mod {m}.",
                f"The question asks for {e} (mod {m}), i.e. the remainder on division by {m}.",
                f"So: what is the remainder of {e} upon division by {m}?",
            ),
            w.maybe(0.4, f"Obviously {e} is far too big to compute directly."),
        )

    def keys(self) -> list[str]:
        return [str(self.a), str(self.n), str(self.m)]

    def asides(self) -> list[str]:
        return [
            f"{self.expr()} has about {int(self.n * math.log10(self.a)) + 1} digits, so direct "
            "computation by hand is out of the question.",
            "Remainders multiply: (x mod m)(y mod m) mod m = xy mod m, which is what makes "
            "this tractable.",
            f"Note gcd({self.a}, {self.m}) = 1, which is what lets the powers cycle back to 1.",
        ]

    def verify(self) -> list[str]:
        prev = pow(self.a, self.n - 1, self.m)
        return [
            f"{self.a}^{self.n - 1} ≡ {prev}, and {prev}·{self.r} = {prev * self.r} "
            f"≡ {self.ans} (mod {self.m})",
            f"{self.ans} is a valid remainder (between 0 and {self.m - 1})",
        ]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return str(self.ans if ok else (self.ans + 1) % self.m)


def make(rng: np.random.Generator) -> ModPow:
    """Coprime base with multiplicative order 3-12 and a three-digit exponent."""
    while True:
        m = int(pick(rng, MODS))
        a = int(rng.integers(2, 40))
        if math.gcd(a, m) != 1 or a % m in (0, 1):
            continue
        p = ModPow(a, int(rng.integers(40, 1000)), m)
        if 3 <= p.order <= 12 and p.n % p.order:
            return p


def _cycle(w: Writer, p: ModPow) -> str:
    w.p(
        (
            f"Let me list powers of {p.a} mod {p.m} until they repeat.",
            "The powers must cycle, so I'll find the cycle.",
            f"Compute successive powers modulo {p.m}:",
        )
    )
    rows, x = [], 1
    for k in range(1, p.order + 1):
        prev, x = x, x * p.r % p.m
        form = pick(
            w.rng,
            ["{a}^{k} ≡ {x}", "{a}^{k} ≡ {p}·{r} = {pr} ≡ {x}", "{a}^{k} mod {m} = {x}"],
        )
        rows.append(form.format(a=p.a, k=k, x=x, p=prev, r=p.r, pr=prev * p.r, m=p.m))
    w.lines(rows)
    s, c = p.n % p.order, p.result(w)
    w.p(
        f"The cycle length is {p.order}.",
        f"{p.n} = {p.order}·{p.n // p.order} + {s}, so {p.a}^{p.n} ≡ {p.a}^{s} ≡ {c}.",
    )
    w.check(
        [f"{p.order} × {p.n // p.order} = {p.order * (p.n // p.order)}, plus {s} is {p.n}"],
        f"the exponent reduces to {s}",
    )
    return str(c)


def _squaring(w: Writer, p: ModPow) -> str:
    bits = bin(p.n)[2:]
    w.p(
        (
            f"Use repeated squaring. In binary, {p.n} = {bits}.",
            f"Fast exponentiation: write {p.n} in binary ({bits}) and square repeatedly.",
        )
    )
    sq, items, use = p.r, [], []
    for k in range(len(bits)):
        items.append(f"{p.a}^{2**k} ≡ {sq} (mod {p.m})")
        if (p.n >> k) & 1:
            use.append((2**k, sq))
        sq = sq * sq % p.m
    w.numbered(items)
    sq1 = p.r * p.r
    w.check(
        [
            f"{p.r}^2 = {sq1} and {sq1} mod {p.m} = {sq1 % p.m}",
            f"{sq1} - {p.m}·{sq1 // p.m} = {sq1 % p.m}",
        ],
        f"{p.a}^2 ≡ {sq1 % p.m}",
    )
    c = p.result(w)
    prod = " · ".join(str(v) for _, v in use)
    w.p(
        f"{p.n} = {' + '.join(str(e) for e, _ in use[::-1])}.",
        f"Multiplying the matching powers: {prod} ≡ {c} (mod {p.m}).",
    )
    return str(c)


def _euler(w: Writer, p: ModPow) -> str:
    f = phi(p.m)
    s = p.n % f
    c = p.result(w)
    w.p(
        (
            f"Since gcd({p.a}, {p.m}) = 1, Euler's theorem gives {p.a}^φ({p.m}) ≡ 1.",
            f"By Euler's theorem (gcd is 1), {p.a} raised to φ({p.m}) is 1 mod {p.m}.",
        ),
        f"φ({p.m}) = {f}.",
        f"<so> reduce the exponent: {p.n} mod {f} = {s}.",
        f"<then> {p.a}^{s} mod {p.m}: {p.a} ≡ {p.r}, and {p.r}^{s} ≡ {pow(p.r, s, p.m)}."
        if w.ok
        else f"<then> {p.a}^{s} ≡ {c}.",
    )
    w.check(
        [f"{p.n} - {f}·{p.n // f} = {s}", f"{f} goes into {p.n} {p.n // f} times, rem {s}"],
        f"the reduced exponent is {s}",
    )
    w.p(f"Hence the remainder is {c}.")
    return str(c)


def _plus_minus(w: Writer, p: ModPow) -> str:
    k, x = 1, p.r
    while x not in (1, p.m - 1):
        x, k = x * p.r % p.m, k + 1
    sign = 1 if x == 1 else -1
    q, s = divmod(p.n, k)
    c = p.result(w)
    w.p(
        (
            f"Look for a small power of {p.a} that is ±1 mod {p.m}.",
            f"Trick: find k with {p.a}^k ≡ ±1 (mod {p.m}), then split the exponent.",
        ),
        f"{p.a}^{k} ≡ {'1' if sign == 1 else '-1'} (mod {p.m}).",
        f"Write {p.n} = {k}·{q} + {s}.",
        f"<so> {p.a}^{p.n} = ({p.a}^{k})^{q} · {p.a}^{s} ≡ ({sign})^{q} · {pow(p.r, s, p.m)}.",
        f"That is {c} mod {p.m}.",
    )
    w.check(
        [
            f"{p.a}^{k} mod {p.m} is {x}, which is {'1' if sign == 1 else '-1'}",
            f"{k}·{q} + {s} = {p.n}",
        ],
        "the split is right",
    )
    return str(c)


def _code(w: Writer, p: ModPow) -> str:
    c = p.result(w)
    if w.chance(0.5):
        src = f"print(pow({p.a}, {p.n}, {p.m}))"
    else:
        v = pick(w.rng, ["r", "acc", "x"])
        src = f"""{v} = 1
for _ in range({p.n}):
    {v} = {v} * {p.a} % {p.m}
print({v})"""
    w.code(
        src,
        intro=("Python can do this exactly:", "Quick check in code:", "Let me just compute it:"),
        outro=(f"This prints {c}.", f"Output: {c}", f"It gives {c}."),
    )
    w.check(
        [
            f"three-argument pow reduces mod {p.m} at every step, so it is exact",
            f"the loop multiplies by {p.a} exactly {p.n} times, reducing mod {p.m} each time",
        ],
        "the program computes the right thing",
    )
    return str(c)


FAMILY = Family(
    name="modpow",
    domain="math",
    make=make,
    methods=(
        Method("power_cycle", "table", 0.85, _cycle),
        Method("repeated_squaring", "list", 0.75, _squaring),
        Method("euler_theorem", "prose", 0.8, _euler),
        Method("plus_minus_one", "prose", 0.7, _plus_minus),
        Method("compute_program", "code", 0.95, _code),
    ),
)
