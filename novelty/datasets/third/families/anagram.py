"""Fewest deletions to make two strings anagrams of each other (domain: code)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from random import Random

from ..core import Family, Method
from ..phrasing import Ph, code_block, md_table, sentence

ALPHABET = "abcdefghij"


@dataclass(frozen=True)
class Pair:
    s: str
    t: str


def make(rng: Random) -> Pair:
    letters = rng.sample(ALPHABET, rng.randint(5, 7))
    s = "".join(rng.choice(letters) for _ in range(rng.randint(6, 10)))
    t = "".join(rng.choice(letters) for _ in range(rng.randint(5, 9)))
    return Pair(s, t)


def solve(p: Pair) -> int:
    cs, ct = Counter(p.s), Counter(p.t)
    return sum(((cs - ct) + (ct - cs)).values())


def perturb(p: Pair, rng: Random) -> Pair:
    """Misread one character of one string."""
    which = rng.random() < 0.5
    w = p.s if which else p.t
    i = rng.randrange(len(w))
    w = w[:i] + rng.choice(ALPHABET) + w[i + 1 :]
    return Pair(w, p.t) if which else Pair(p.s, w)


def show(p: Pair, n: int) -> str:
    return f"{n} deletions"


def restate(p: Pair, ph: Ph) -> str:
    return sentence(
        ph.pick(
            f'We are given two strings, s = "{p.s}" and t = "{p.t}".',
            f'Take the strings "{p.s}" and "{p.t}".',
            f'Input: s = "{p.s}", t = "{p.t}".',
        ),
        ph.pick(
            "What is the minimum number of characters to delete (from either string) so that "
            "the two become anagrams of each other?",
            "We may delete characters from both; how few deletions make them anagrams?",
            "Find the fewest total deletions after which both strings use the same letters "
            "with the same counts.",
        ),
    )


def render_python(p: Pair, ph: Ph) -> tuple[list[str], object]:
    """Counter difference in Python."""
    src = f"""
from collections import Counter

s, t = "{p.s}", "{p.t}"
cs, ct = Counter(s), Counter(t)
extra = (cs - ct) + (ct - cs)
print(sum(extra.values()))
"""
    ans = solve(p)
    lines = [
        ph.pick(
            "Counters make this a one-liner: every surplus character must go.",
            "Let's count letters with collections.Counter and sum the surpluses.",
            "In Python:",
        ),
        code_block("python", src),
        ph.pick(f"It prints {ans}.", f"Output: {ans}.", f"So the count is {ans}."),
    ]
    return lines, ans


def render_table(p: Pair, ph: Ph) -> tuple[list[str], object]:
    """A frequency table, letter by letter."""
    cs, ct = Counter(p.s), Counter(p.t)
    letters = sorted(set(p.s) | set(p.t))
    rows = [[c, cs[c], ct[c], abs(cs[c] - ct[c])] for c in letters]
    ans = sum(r[3] for r in rows)
    lines = [
        ph.pick(
            "Tabulate how often each letter occurs in each string.",
            "Letter frequencies side by side:",
            "We compare the counts per letter:",
        ),
        md_table(["letter", "in s", "in t", "|diff|"], rows),
        ph.pick(
            f"The differences add up to {ans}.",
            f"Summing the last column gives {ans}.",
            f"Total surplus: {ans}.",
        ),
    ]
    return lines, ans


def render_js(p: Pair, ph: Ph) -> tuple[list[str], object]:
    """Sort both strings and merge with two pointers, in JavaScript."""
    src = f"""
const a = [..."{p.s}"].sort(), b = [..."{p.t}"].sort();
let i = 0, j = 0, common = 0;
while (i < a.length && j < b.length) {{
  if (a[i] === b[j]) {{ common++; i++; j++; }}
  else if (a[i] < b[j]) i++;
  else j++;
}}
console.log(a.length + b.length - 2 * common);
"""
    a, b = sorted(p.s), sorted(p.t)
    i = j = common = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            common, i, j = common + 1, i + 1, j + 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    ans = len(a) + len(b) - 2 * common
    lines = [
        ph.pick(
            f'Sorted, the strings are "{"".join(a)}" and "{"".join(b)}"; merging them with two '
            "pointers counts the matched characters.",
            "Sort both strings, then walk them together like a merge step:",
            "A two-pointer merge over the sorted strings finds the common characters.",
        ),
        code_block("javascript", src),
        ph.pick(
            f"There are {common} matched characters, so {len(a)} + {len(b)} - 2*{common} = {ans}.",
            f"common = {common}, and the script logs {ans}.",
            f"It outputs {ans}.",
        ),
    ]
    return lines, ans


def render_cross(p: Pair, ph: Ph) -> tuple[list[str], object]:
    """Cross out matching letters one at a time."""
    pool = list(p.t)
    steps, kept = [], 0
    for i, c in enumerate(p.s, 1):
        if c in pool:
            pool.remove(c)
            kept += 1
            steps.append(f"{i}. '{c}' - matched, cross it out of t (t left: {''.join(pool)})")
        else:
            steps.append(f"{i}. '{c}' - no partner left in t, delete it")
    ans = (len(p.s) - kept) + len(pool)
    lines = [
        ph.pick(
            "Go through s and cross out a matching letter of t each time:",
            "Pair letters off one by one:",
            "Let's match characters of s against t by hand:",
        ),
        "\n".join(steps),
        ph.pick(
            f"{len(p.s) - kept} letters of s had no partner and {len(pool)} letters of t "
            f"({''.join(pool) or 'none'}) are left over, so {ans} deletions.",
            f"Unmatched: {len(p.s) - kept} from s plus {len(pool)} from t = {ans}.",
        ),
    ]
    return lines, ans


def render_formula(p: Pair, ph: Ph) -> tuple[list[str], object]:
    """Count the common multiset size with a formula."""
    cs, ct = Counter(p.s), Counter(p.t)
    letters = sorted(set(p.s) & set(p.t))
    common = sum(min(cs[c], ct[c]) for c in letters)
    terms = " + ".join(rf"\min({cs[c]},{ct[c]})" for c in letters) or "0"
    ans = len(p.s) + len(p.t) - 2 * common
    lines = [
        ph.pick(
            r"The characters we keep form the common multiset, of size "
            r"$m = \sum_c \min(f_s(c), f_t(c))$; everything else is deleted.",
            r"Deletions $= |s| + |t| - 2m$ where $m$ is "
            r"the size of the largest common sub-multiset.",
        ),
        f"$$m = {terms} = {common}$$",
        rf"$$|s| + |t| - 2m = {len(p.s)} + {len(p.t)} - 2 \cdot {common} = \boxed{{{ans}}}$$",
    ]
    return lines, ans


FAMILY = Family(
    key="anagram",
    domain="code",
    make=make,
    solve=solve,
    perturb=perturb,
    restate=restate,
    show=show,
    methods=(
        Method("python_counter", "code", 0.04, render_python),
        Method("frequency_table", "table", 0.07, render_table),
        Method("js_sort_merge", "code", 0.06, render_js),
        Method("cross_out", "list", 0.13, render_cross),
        Method("common_multiset", "mixed", 0.08, render_formula),
    ),
)
