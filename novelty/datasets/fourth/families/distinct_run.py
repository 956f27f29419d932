"""Strings: the longest stretch of a code stream with no repeated symbol."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .._text import bullet, fence, lines, pick, plain_table
from .._types import Family, Method

_SOURCES = (
    "a door sensor",
    "a barcode reader",
    "a weather buoy",
    "a game controller",
    "a lift panel",
)


@dataclass(frozen=True)
class Stream:
    source: str
    s: str
    best: int  # length
    at: int  # first start of a longest clean stretch
    answer: str
    decoys: tuple[str, ...]


def run_from(s: str, i: int) -> str:
    """The longest repeat-free stretch starting at ``i``."""
    seen: set[str] = set()
    j = i
    while j < len(s) and s[j] not in seen:
        seen.add(s[j])
        j += 1
    return s[i:j]


def make(rng: random.Random) -> Stream:
    """Nine to thirteen symbols over an alphabet of four to six letters."""
    alpha = rng.sample("abcdefghkmnprstuvwxyz", rng.randint(4, 6))
    s = "".join(rng.choice(alpha) for _ in range(rng.randint(9, 13)))
    runs = [run_from(s, i) for i in range(len(s))]
    best = max(len(r) for r in runs)
    at = next(i for i, r in enumerate(runs) if len(r) == best)
    decoys = tuple(str(c) for c in (best + 1, len(set(s)), best - 1) if c > 0 and c != best)
    return Stream(pick(rng, _SOURCES), s, best, at, str(best), tuple(dict.fromkeys(decoys)))


def describe(st: Stream) -> str:
    return (
        f'{st.source.capitalize()} logged the codes "{st.s}" ({len(st.s)} symbols). '
        "How long is the longest contiguous stretch in which no code repeats?"
    )


def _window_py(st: Stream, rng: random.Random) -> list[str]:
    code = (
        f's = "{st.s}"\nlast = {{}}\nleft = best = 0\n'
        "for right, ch in enumerate(s):\n"
        "    if last.get(ch, -1) >= left:\n"
        "        left = last[ch] + 1  # jump past the earlier copy\n"
        "    last[ch] = right\n"
        "    best = max(best, right - left + 1)\n"
        "print(best)"
    )
    win = st.s[st.at : st.at + st.best]
    return [
        pick(rng, ("Sliding window with a last-seen map:", "Two pointers in Python:")),
        fence(rng, "python", code),
        f"Output: {st.best}" + (f" (the window '{win}')." if rng.random() < 0.6 else "."),
    ]


def _brute_js(st: Stream, rng: random.Random) -> list[str]:
    code = (
        f'const s = "{st.s}";\nlet best = 0;\n'
        "for (let i = 0; i < s.length; i++) {\n  const seen = new Set();\n"
        "  for (let j = i; j < s.length && !seen.has(s[j]); j++) {\n"
        "    seen.add(s[j]);\n    best = Math.max(best, seen.size);\n  }\n}\n"
        "console.log(best);"
    )
    return [
        pick(
            rng,
            (
                "The string is short, so a double loop in JavaScript is fine:",
                "Brute force, every start position, grow until a repeat:",
            ),
        ),
        fence(rng, "js", code),
        f"This logs {st.best}.",
    ]


def _start_table(st: Stream, rng: random.Random) -> list[str]:
    rows = []
    for i, ch in enumerate(st.s):
        r = run_from(st.s, i)
        rows.append([i, ch, r, len(r)])
    return [
        pick(
            rng,
            (
                "For each start position (from 0), the longest clean stretch:",
                "Position by position:",
            ),
        ),
        plain_table(["i", "ch", "clean run", "len"], rows, rule=rng.random() < 0.6),
        f"The len column peaks at {st.best}.",
    ]


def _length_list(st: Stream, rng: random.Random) -> list[str]:
    b, rows = bullet(rng), []
    for L in range(min(len(set(st.s)), len(st.s)), st.best - 1, -1):
        n = len(st.s) - L + 1
        hit = next((i for i in range(n) if len(set(st.s[i : i + L])) == L), None)
        if hit is None:
            rows.append(f"{b}L={L}: none of the {n} windows is repeat-free -> no")
        else:
            rows.append(f"{b}L={L}: '{st.s[hit : hit + L]}' at position {hit} -> yes")
    return [
        pick(
            rng,
            (
                f"There are only {len(set(st.s))} distinct codes, so start from that "
                "length and go down:",
                "Test lengths from the largest possible downward:",
            ),
        ),
        lines(rows),
        f"First yes at L={st.best}.",
    ]


def _repeat_prose(st: Stream, rng: random.Random) -> list[str]:
    pos: dict[str, list[int]] = {}
    for i, ch in enumerate(st.s):
        pos.setdefault(ch, []).append(i)
    parts = [f"{ch} at {', '.join(map(str, ps))}" for ch, ps in pos.items() if len(ps) > 1]
    i, j = st.at, st.at + st.best - 1
    sents = [
        f"Counting from 0, the repeated codes sit at: {'; '.join(parts)}.",
        "A clean stretch can never contain two neighbouring copies of the same code, so "
        "every pair of consecutive copies acts as a fence.",
        f"The widest room between fences is positions {i} to {j}, '{st.s[i : j + 1]}', "
        f"which is {st.best} long.",
    ]
    if i > 0:
        sents.append(f"Going one step left would add '{st.s[i - 1]}', already inside it.")
    if j + 1 < len(st.s):
        sents.append(f"One step right adds '{st.s[j + 1]}', which is also already there.")
    return [
        pick(rng, ("Let's look at where codes repeat.", "I'll start from the repeats.")),
        " ".join(sents),
    ]


def checks(st: Stream, rng: random.Random) -> list[str]:
    win = st.s[st.at : st.at + st.best]
    out = [f"'{win}' has the codes {', '.join(win)}, all different, so {st.best} is reachable."]
    L = st.best + 1
    if len(st.s) >= L:
        i = rng.randrange(len(st.s) - L + 1)
        w = st.s[i : i + L]
        dup = next(ch for ch in w if w.count(ch) > 1)
        out.append(f"a window of {L}, e.g. '{w}' at {i}, repeats '{dup}', as every one must.")
    out.append(f"the string has {len(st.s)} symbols and {len(set(st.s))} distinct codes.")
    return out


FAMILY = Family(
    key="distinct_run",
    domain="strings",
    goal="the length of the longest repeat-free stretch",
    make=make,
    describe=describe,
    checks=checks,
    asides=(
        "The stretch has to be contiguous, so picking codes out of order is not allowed.",
        "The answer can never exceed the number of distinct codes.",
        "Positions are counted from 0 below.",
    ),
    methods=(
        Method("window_py", "code", _window_py),
        Method("brute_js", "code", _brute_js),
        Method("start_table", "table", _start_table),
        Method("length_list", "list", _length_list),
        Method("repeat_prose", "prose", _repeat_prose),
    ),
)
