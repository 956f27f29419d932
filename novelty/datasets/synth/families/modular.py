"""The remainder of a power modulo m (power cycle, Euler's theorem, repeated squaring, binomial
expansion, CRT)."""

from __future__ import annotations

import math

import numpy as np

from novelty.datasets.synth.family import Ctx, Family, Method, S, uniform_int, wrong_answers

_MODULI = ((3, 5), (3, 7), (3, 11), (5, 7), (3, 13), (3, 17), (5, 11), (5, 13))


def _order(a: int, m: int) -> int:
    k, x = 1, a % m
    while x != 1:
        x, k = x * a % m, k + 1
    return k


def _make_modular(rng: np.random.Generator) -> tuple[Ctx, list[str]]:
    while True:
        p, q = _MODULI[uniform_int(rng, 0, len(_MODULI) - 1)]
        m = p * q
        a = uniform_int(rng, 2, m + 15)
        if math.gcd(a, m) == 1 and a % m not in (1, m - 1) and _order(a, m) <= 10:
            break
    n = uniform_int(rng, 25, 150)
    ans = pow(a, n, m)
    order = _order(a, m)
    phi = (p - 1) * (q - 1)
    powers = ", ".join(f"{a}^{i} ≡ {pow(a, i, m)}" for i in range(1, order + 1))
    nr = n % order
    e = n % phi
    exact = a**e
    # a^e too big to write out: halve the exponent once, a^e ≡ (a^2 mod m)^(e/2) [· a].
    halved = f"{a}^{e} ≡ {a * a % m}^{e // 2}" + (f" \\cdot {a % m}" if e % 2 else "")
    bits = bin(n)[2:]
    sq, v, i = [], a % m, 0
    used = []
    while (1 << i) <= n:
        sq.append(f"{a}^{1 << i} ≡ {v}")
        if n >> i & 1:
            used.append((1 << i, v))
        v, i = v * v % m, i + 1
    kb = next(j for j in range(1, order + 1) if pow(a, j, m) in (1, m - 1))
    apk = a**kb
    plus = pow(a, kb, m) == 1
    t = (apk - 1) // m if plus else (apk + 1) // m
    sgn = 1 if plus or (n // kb) % 2 == 0 else -1
    rp, rq = ans % p, ans % q
    crt = [x for x in range(rp, m, p)]
    crt = crt[: crt.index(ans) + 1]
    ctx = {
        "a": str(a),
        "n": str(n),
        "m": str(m),
        "p": str(p),
        "q": str(q),
        "amod": str(a % m),
        "powers": powers,
        "order": str(order),
        "nq": str(n // order),
        "nr": str(nr),
        "pm1": str(p - 1),
        "qm1": str(q - 1),
        "phi": str(phi),
        "e": str(e),
        "apow_e": f"{a}^{e} = {exact}" if exact < 10**7 else halved,
        "bits": bits,
        "bin_sum": " + ".join(str(u) for u, _ in reversed(used)),
        "sq_chain": ", ".join(sq),
        "used_exps": " \\cdot ".join(f"{a}^{u}" for u, _ in reversed(used)),
        "used_vals": " \\cdot ".join(str(x) for _, x in reversed(used)),
        "kb": str(kb),
        "apk": str(apk),
        "t": str(t),
        "pm": "+" if plus else "-",
        "nq2": str(n // kb),
        "nr2": str(n % kb),
        "sgnval": str(sgn),
        "np_": str(n % (p - 1)),
        "nqq": str(n % (q - 1)),
        "amp": str(a % p),
        "amq": str(a % q),
        "rp": str(rp),
        "rq": str(rq),
        "crt_list": ", ".join(map(str, crt)),
        "ans": str(ans),
    }
    return ctx, wrong_answers(
        str(ans),
        [
            str((ans + 1) % m),
            str(pow(a, n - 1, m)),
            str(m - ans),
            str(pow(a, nr + 1, m)),
            str((ans + 2) % m),
        ],
    )


_MOD_FINAL = S(
    "So the remainder when {a}^{n} is divided by {m} is {ans}.",
    "Therefore \\( {a}^{{n}} \\equiv {ans} \\pmod{{m}} \\).",
    "The remainder is {ans}.",
)

MODULAR = Family(
    name="modular",
    domain="number_theory",
    make=_make_modular,
    restate=(
        "We need the remainder when \\( {a}^{{n}} \\) is divided by {m}.",
        "Find {a}^{n} mod {m}.",
        "The problem asks for the remainder of {a}^{n} upon division by {m}.",
        "We want to compute \\( {a}^{{n}} \\bmod {m} \\), the remainder after dividing by {m}.",
    ),
    methods=(
        Method(
            "power_cycle",
            "the cycle of powers",
            0.8,
            (
                S(
                    "Let's look for a pattern in the powers of {a} modulo {m}.",
                    "Powers modulo {m} must eventually repeat, so let's find the cycle.",
                    "I'll compute successive powers of {a} mod {m} until they repeat.",
                ),
                S(
                    "Computing: {powers}.",
                    "The powers are: {powers}.",
                    "Working mod {m}: {powers}.",
                ),
                S(
                    "So {a}^{order} ≡ 1 and the powers repeat with period {order}.",
                    "The cycle length is {order}, since \\( {a}^{{order}} \\equiv 1 \\pmod{{m}} \\).",
                    "The pattern repeats every {order} steps.",
                ),
                S(
                    "Now {n} = {order} \\cdot {nq} + {nr}, so {a}^{n} ≡ {a}^{nr} (mod {m}).",
                    "Since {n} leaves remainder {nr} when divided by {order}, "
                    "\\( {a}^{{n}} \\equiv {a}^{{nr}} \\pmod{{m}} \\).",
                    "Reduce the exponent mod {order}: {n} mod {order} = {nr}.",
                ),
                S(
                    "From the list, that is {ans}.",
                    "Reading from the cycle gives {ans}.",
                    "So the power is congruent to {ans}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "euler_theorem",
            "Euler's theorem",
            0.8,
            (
                S(
                    "Since gcd({a}, {m}) = 1, Euler's theorem applies.",
                    "I'll use Euler's theorem: \\( a^{\\varphi(m)} \\equiv 1 \\pmod m \\) when "
                    "gcd(a, m) = 1.",
                    "The base is coprime to {m}, so we can reduce the exponent using Euler's theorem.",
                ),
                S(
                    "φ({m}) = φ({p}) \\cdot φ({q}) = {pm1} \\cdot {qm1} = {phi}.",
                    "Since {m} = {p} \\cdot {q}, \\( \\varphi({m}) = {pm1} \\cdot {qm1} = {phi} \\).",
                    "The totient is ({p} - 1)({q} - 1) = {phi}.",
                ),
                S(
                    "So {a}^{phi} ≡ 1 (mod {m}), and {n} mod {phi} = {e}.",
                    "Then \\( {a}^{{n}} \\equiv {a}^{{e}} \\pmod{{m}} \\) because {n} ≡ {e} (mod {phi}).",
                    "Reducing the exponent: {n} = {phi}k + {e}, so {a}^{n} ≡ {a}^{e}.",
                ),
                S(
                    "Computing {apow_e}, which leaves remainder {ans} mod {m}.",
                    "Now {apow_e}, and that is ≡ {ans} (mod {m}).",
                    "Finally, {apow_e} gives {ans} modulo {m}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "repeated_squaring",
            "repeated squaring",
            0.7,
            (
                S(
                    "Let's use repeated squaring.",
                    "I'll do binary exponentiation modulo {m}.",
                    "Fast exponentiation: write the exponent in binary and square repeatedly.",
                    p=0.85,
                ),
                S(
                    "In binary, {n} = {bits}_2, i.e. {n} = {bin_sum}.",
                    "The exponent is {n} = {bin_sum} (binary {bits}).",
                    "Write {n} as a sum of powers of 2: {bin_sum}.",
                ),
                S(
                    "Squaring repeatedly mod {m}: {sq_chain}.",
                    "Successive squares: {sq_chain}.",
                    "Now the squares modulo {m}: {sq_chain}.",
                ),
                S(
                    "Multiply the powers for the 1-bits: {used_exps} ≡ {used_vals} ≡ {ans} (mod {m}).",
                    "So \\( {a}^{{n}} = {used_exps} \\equiv {used_vals} \\equiv {ans} \\pmod{{m}} \\).",
                    "Combining the needed squares: {used_vals}, which reduces to {ans} mod {m}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "binomial",
            "the binomial theorem",
            0.75,
            (
                S(
                    "Notice that {a}^{kb} = {apk} = {t} \\cdot {m} {pm} 1.",
                    "A small power of {a} is close to a multiple of {m}: \\( {a}^{{kb}} = {apk} = "
                    "{t} \\cdot {m} {pm} 1 \\).",
                    "Let's find a power of {a} that is one away from a multiple of {m}: "
                    "{a}^{kb} = {apk} = {t}({m}) {pm} 1.",
                ),
                S(
                    "Then {a}^{n} = ({a}^{kb})^{nq2} \\cdot {a}^{nr2} = ({t} \\cdot {m} {pm} "
                    "1)^{nq2} \\cdot {a}^{nr2}.",
                    "Write \\( {a}^{{n}} = ({t} \\cdot {m} {pm} 1)^{{nq2}} \\cdot {a}^{{nr2}} \\).",
                    "So {a}^{n} = ({apk})^{nq2} \\cdot {a}^{nr2}.",
                ),
                S(
                    "Expanding with the binomial theorem, every term except the last contains a factor "
                    "of {m}, so ({t} \\cdot {m} {pm} 1)^{nq2} ≡ ({pm}1)^{nq2} = {sgnval} (mod {m}).",
                    "By the binomial theorem all terms but ({pm}1)^{nq2} are multiples of {m}, so that "
                    "factor is ≡ {sgnval}.",
                    "Binomial expansion: only the constant term survives mod {m}, giving {sgnval}.",
                ),
                S(
                    "Thus {a}^{n} ≡ {sgnval} \\cdot {a}^{nr2} ≡ {ans} (mod {m}).",
                    "Hence \\( {a}^{{n}} \\equiv {sgnval} \\cdot {a}^{{nr2}} \\equiv {ans} "
                    "\\pmod{{m}} \\).",
                    "Multiplying out, the result is {ans} mod {m}.",
                ),
                _MOD_FINAL,
            ),
        ),
        Method(
            "crt",
            "the Chinese remainder theorem",
            0.7,
            (
                S(
                    "Since {m} = {p} \\cdot {q} with coprime factors, work mod {p} and mod {q} "
                    "separately "
                    "and combine with the Chinese remainder theorem.",
                    "Let's split the modulus: {m} = {p} \\cdot {q}, then use CRT.",
                    "I'll compute the remainder modulo {p} and modulo {q} and glue them together.",
                ),
                S(
                    "Mod {p}: {a} ≡ {amp}, and by Fermat the exponent reduces mod {pm1}: {n} ≡ {np_}, "
                    "so {a}^{n} ≡ {amp}^{np_} ≡ {rp} (mod {p}).",
                    "Modulo {p}, Fermat's little theorem gives \\( {a}^{{n}} \\equiv {amp}^{{np_}} "
                    "\\equiv {rp} \\pmod{{p}} \\).",
                    "First mod {p}: the result is {rp}.",
                ),
                S(
                    "Mod {q}: {a} ≡ {amq}, the exponent reduces mod {qm1} to {nqq}, so "
                    "{a}^{n} ≡ {amq}^{nqq} ≡ {rq} (mod {q}).",
                    "Modulo {q}: \\( {a}^{{n}} \\equiv {amq}^{{nqq}} \\equiv {rq} \\pmod{{q}} \\).",
                    "Then mod {q}: the result is {rq}.",
                ),
                S(
                    "Now solve x ≡ {rp} (mod {p}), x ≡ {rq} (mod {q}). Candidates ≡ {rp} mod {p}: "
                    "{crt_list}; the last one is ≡ {rq} mod {q}.",
                    "We need x with x ≡ {rp} (mod {p}) and x ≡ {rq} (mod {q}); checking {crt_list} "
                    "gives x = {ans}.",
                    "Combining by CRT, the unique residue mod {m} is {ans}.",
                ),
                _MOD_FINAL,
            ),
        ),
    ),
    checks=(
        "Double-check via the cycle: {a}^{order} ≡ 1 (mod {m}), and {n} ≡ {nr} (mod {order}).",
        "Check: {ans} mod {p} = {rp} and {ans} mod {q} = {rq}, consistent with both moduli.",
        "Recomputing {a}^{nr} mod {m} directly gives the same remainder.",
    ),
    digressions=(
        "Computing {a}^{n} directly is hopeless, the number is enormous.",
        "Note that {a} and {m} are coprime, which is what makes this work.",
        "Remainders behave well under multiplication, so we can reduce at every step.",
    ),
    setup=(
        "The modulus is {m} = {p} \\cdot {q} and the base is {a}, which is coprime to {m}.",
        "We only care about the remainder, so we can reduce mod {m} at every step.",
        "The exponent {n} is large, so we need some structure.",
    ),
)
