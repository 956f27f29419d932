"""Hamming distance of two register values: popcount(x XOR y).

Methods: aligned binary columns, Kernighan's clear-lowest-bit loop, a popcount program
(C, Rust or Python), per-nibble lookup, and popcount(x) + popcount(y) - 2·popcount(x AND y).
"""

from __future__ import annotations

import random

from ..core import Family, Instance, Method, Pen, wrong_answers

NIBBLE = {h: bin(h).count("1") for h in range(16)}


def make(rng: random.Random) -> Instance:
    """Draw two 8-, 12- or 16-bit values shown in hex or decimal."""
    width = rng.choice([8, 12, 16])
    x, y = rng.randrange(1, 2**width), rng.randrange(1, 2**width)
    while x == y:
        y = rng.randrange(1, 2**width)
    hexa = rng.random() < 0.6
    show = (lambda v: f"0x{v:0{width // 4}X}") if hexa else str
    ans = bin(x ^ y).count("1")
    prompt = (
        f"Two {width}-bit status registers read x = {show(x)} and y = {show(y)}. "
        "In how many bit positions do they differ (their Hamming distance)?"
    )
    cands = [
        ans + 1,
        ans - 1,
        bin(x & y).count("1"),
        bin(x | y).count("1"),
        abs(bin(x).count("1") - bin(y).count("1")),
    ]
    data = {"x": x, "y": y, "width": width, "hex": hexa}
    return Instance(prompt, str(ans), wrong_answers(ans, cands), data, unit="bits")


def verify(inst: Instance) -> str:
    """Compare bit by bit with shifts."""
    x, y, w = inst.data["x"], inst.data["y"], inst.data["width"]
    return str(sum(((x >> i) & 1) != ((y >> i) & 1) for i in range(w)))


def _b(v: int, w: int, group: bool) -> str:
    s = f"{v:0{w}b}"
    return " ".join(s[i : i + 4] for i in range(0, w, 4)) if group else s


def _xy(inst: Instance) -> tuple[int, int, int]:
    return inst.data["x"], inst.data["y"], inst.data["width"]


def columns(inst: Instance, pen: Pen, ans: str) -> None:
    """Write both values in binary, one column per bit, and mark differences."""
    x, y, w = _xy(inst)
    z = x ^ y
    if pen.maybe(0.5):
        group = pen.maybe()
        lab = pen.choice([("x", "y", "x^y"), ("x  ", "y  ", "xor"), ("a", "b", "a^b")])
        marks = "".join("^" if c == "1" else " " for c in f"{z:0{w}b}")
        third = f"{lab[2]:<4} {_b(z, w, group)}"
        if not group and pen.maybe(0.4):
            third = f"{'':<4} {marks}"
        lines = [f"{lab[0]:<4} {_b(x, w, group)}", f"{lab[1]:<4} {_b(y, w, group)}", third]
        pen.say(
            pen.pick(
                "Line them up in binary:",
                "Binary, aligned:",
                "Write both out bit by bit:",
                f"In binary ({w} bits each):",
            )
        )
        pen.raw("```\n" + "\n".join(lines) + "\n```")
    else:
        heads = [f"b{i}" for i in range(w - 1, -1, -1)]
        rows = [
            ["x", *f"{x:0{w}b}"],
            ["y", *f"{y:0{w}b}"],
            ["diff", *("^" if c == "1" else "." for c in f"{z:0{w}b}")],
        ]
        pen.say(pen.pick("Bit table:", "One column per bit:"))
        pen.table(["", *heads], rows, ("md", "aligned"))
    spots = [str(w - 1 - k) for k, c in enumerate(f"{z:0{w}b}") if c == "1"]
    pen.say(
        f"They differ at bit {', '.join(spots)}." if pen.maybe(0.4) else "",
        pen.pick(
            f"Ones in the XOR row: {ans}.",
            f"Differing positions: {ans}.",
            f"That's {ans} mismatches.",
            f"Count of marked columns: {ans}.",
        ),
    )


def kernighan(inst: Instance, pen: Pen, ans: str) -> None:
    """Clear the lowest set bit of x^y until zero, counting iterations."""
    x, y, w = _xy(inst)
    z = x ^ y
    v = pen.pick("z", "d", "v")
    log = [f"{v} = x ^ y = {_b(z, w, False)}"]
    k = 0
    while z:
        z &= z - 1
        k += 1
        log.append(f"{k}: {v} &= {v}-1 -> {_b(z, w, False)}")
    pen.say(pen.pick("Kernighan's trick on the XOR:", "Count set bits by clearing them:"))
    pen.raw("\n".join(log))
    pen.say(pen.pick(f"{k} iterations -> {ans}.", f"Loop ran {k} times, so {ans}."))


def popcount_code(inst: Instance, pen: Pen, ans: str) -> None:
    """A built-in popcount in C, Rust or Python."""
    x, y, w = _xy(inst)
    lang = pen.pick("c", "rust", "python")
    hx, hy = f"0x{x:X}", f"0x{y:X}"
    if lang == "c":
        src = f"""#include <stdio.h>
int main(void) {{
    unsigned x = {hx}, y = {hy};
    printf("%d\\n", __builtin_popcount(x ^ y));
}}"""
    elif lang == "rust":
        src = f"""fn main() {{
    let (x, y): (u{16 if w > 8 else 8}, u{16 if w > 8 else 8}) = ({hx}, {hy});
    println!("{{}}", (x ^ y).count_ones());
}}"""
    else:
        src = f"""x, y = {x}, {y}
print(bin(x ^ y).count("1"))"""
    pen.code(lang, src, inst.answer)
    pen.say(pen.pick(f"Hamming distance {ans}.", f"{ans} bits differ.", f"-> {ans}"))


def nibbles(inst: Instance, pen: Pen, ans: str) -> None:
    """Split x^y into hex nibbles and look up each nibble's bit count."""
    x, y, w = _xy(inst)
    z = x ^ y
    digits = f"{z:0{w // 4}X}"
    items = [f"{d} = {int(d, 16):04b} -> {NIBBLE[int(d, 16)]}" for d in digits]
    pen.say(
        f"x ^ y = 0x{digits}.",
        pen.pick("Count per hex digit:", "Use the 4-bit popcount table per nibble:"),
    )
    pen.lines(items, ("-", "", "*"))
    total = " + ".join(str(NIBBLE[int(d, 16)]) for d in digits)
    pen.say(f"{total} = {ans}.")


def identity(inst: Instance, pen: Pen, ans: str) -> None:
    """Use |x| + |y| - 2|x AND y| with popcounts, in sentences."""
    x, y, w = _xy(inst)
    px, py, pb = bin(x).count("1"), bin(y).count("1"), bin(x & y).count("1")
    pen.say(
        pen.pick("Another route:", "Without XOR-ing directly:", ""),
        "A position differs exactly when it is set in one value but not both, so the "
        "distance is popcount(x) + popcount(y) - 2·popcount(x AND y).",
    )
    pen.say(
        f"x has {px} ones ({_b(x, w, True)}) and y has {py} ({_b(y, w, True)}).",
        f"Their AND is {_b(x & y, w, True)}, with {pb} ones.",
        f"So {px} + {py} - 2·{pb} = {ans}.",
    )


def checks(inst: Instance) -> list[str]:
    """Re-checks of the distance."""
    x, y, w = _xy(inst)
    z = x ^ y
    return [
        f"XOR again: {_b(z, w, True)}, ones: {bin(z).count('1')}.",
        f"Matching positions: {w} - {bin(z).count('1')} = {w - bin(z).count('1')}; "
        f"{w - bin(z).count('1')} + {bin(z).count('1')} = {w}.",
        f"popcount via OR minus AND: {bin(x | y).count('1')} - {bin(x & y).count('1')} "
        f"= {bin(z).count('1')}.",
    ]


FAMILY = Family(
    key="bits",
    domain="code",
    make=make,
    verify=verify,
    methods=(
        Method("binary_columns", "table", columns),
        Method("kernighan_loop", "list", kernighan),
        Method("builtin_popcount_code", "code", popcount_code),
        Method("nibble_lookup", "list", nibbles),
        Method("popcount_identity", "prose", identity),
    ),
    checks=checks,
    asides=(
        "Leading zeros count as positions too; they just agree.",
        "Hex makes the nibble boundaries easy to see.",
        "Signedness doesn't matter for a bitwise comparison.",
    ),
)
