"""Programming: count index pairs i < j whose values sum to a target.

Four of the methods are all code and differ only in what the code does (nested loops, hash map,
two pointers after sorting); the frequency-formula method is sometimes code, sometimes prose
(format "mixed"); one works the example as a line-per-index table first.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .family import Family, Method, pick
from .writer import Writer

NAMES = ("count_pairs", "pair_count", "num_pairs", "count_sum_pairs", "pairs_with_sum")


@dataclass
class Pairs:
    """A function name, an example list and a target with a known pair count."""

    fname: str
    nums: list[int]
    target: int

    @property
    def count(self) -> int:
        return sum(1 for a, b in itertools.combinations(self.nums, 2) if a + b == self.target)

    def hits(self) -> list[tuple[int, int]]:
        n = len(self.nums)
        return [
            (i, j)
            for i in range(n)
            for j in range(i + 1, n)
            if self.nums[i] + self.nums[j] == self.target
        ]

    def result(self, w: Writer) -> int:
        """The count this trace reports (wrong traces double count or slip by one)."""
        if w.ok:
            return self.count
        return pick(w.rng, [2 * self.count, self.count + 1, self.count - 1])

    def call(self) -> str:
        return f"{self.fname}({self.nums}, {self.target})"

    def finish(self, w: Writer, src: str, c: int) -> str:
        """Wrap a function body with optional hints, docstring and example call."""
        if w.chance(0.4):
            head = f"def {self.fname}(nums: list[int], target: int) -> int:"
        else:
            head = f"def {self.fname}(nums, target):"
        doc = '    """Count pairs i < j with nums[i] + nums[j] == target."""\n'
        tail = f"\n\n\nprint({self.call()})  # {c}" if w.chance(0.6) else ""
        return head + "\n" + (doc if w.chance(0.3) else "") + src.strip("\n") + tail

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        f, nums, t = self.fname, self.nums, self.target
        w.p(
            (
                f"We need to write `{f}(nums, target)`, returning how many index pairs "
                "i < j have nums[i] + nums[j] == target.",
                f"The task: implement a Python function {f}(nums, target) that counts pairs "
                "of positions i < j whose values add up to target.",
                f"So I have to write {f}(nums, target) — count the pairs (i, j), i < j, with "
                "nums[i] + nums[j] equal to target.",
            ),
            (
                f"For the example nums = {nums}, target = {t}, what does it return?",
                f"Example: nums = {nums} and target = {t}.",
                f"Then apply it to nums = {nums} with target = {t}.",
            ),
        )

    def keys(self) -> list[str]:
        return [self.fname, str(self.nums), str(self.target)]

    def asides(self) -> list[str]:
        dup = [x for x, c in Counter(self.nums).items() if c > 1]
        return [
            "The trap is double counting: (i, j) and (j, i) are the same pair.",
            f"Duplicates matter here ({dup[0]} appears more than once), so pairs are about "
            "positions, not values."
            if dup
            else "There are no duplicate values, which simplifies the counting a bit.",
            "An empty list or a single element should simply give 0.",
        ]

    def verify(self) -> list[str]:
        pairs = ", ".join(f"({i}, {j})" for i, j in self.hits())
        return [f"the index pairs are {pairs}, which is {self.count}"]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return str(self.count if ok else 2 * self.count)


def make(rng: np.random.Generator) -> Pairs:
    """7-10 small numbers with at least one duplicate and 2-6 hits."""
    while True:
        nums = [int(x) for x in rng.integers(0, 13, size=int(rng.integers(7, 11)))]
        target = int(rng.integers(6, 19))
        p = Pairs(pick(rng, NAMES), nums, target)
        if 2 <= p.count <= 6 and len(set(nums)) < len(nums):
            return p


def _brute(w: Writer, p: Pairs) -> str:
    c = p.result(w)
    w.p(
        (
            "The simplest correct approach is to check every pair i < j.",
            "Brute force: two nested loops over i < j, O(n^2), fine for small inputs.",
            "Start with the obvious double loop.",
        )
    )
    acc = pick(w.rng, ["count", "total", "ans"])
    if w.chance(0.6):
        body = f"""    {acc} = 0
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                {acc} += 1
    return {acc}"""
    else:
        body = """    from itertools import combinations

    return sum(1 for a, b in combinations(nums, 2) if a + b == target)"""
    w.code(p.finish(w, body, c))
    i, j = p.hits()[0]
    w.check(
        [f"nums[{i}] + nums[{j}] = {p.nums[i]} + {p.nums[j]} = {p.target}"],
        f"({i}, {j}) counts",
    )
    hits = ", ".join(f"({i}, {j}): {p.nums[i]}+{p.nums[j]}" for i, j in p.hits())
    w.p(f"On the example the matching pairs are {hits}.", f"<so> it returns {c}.")
    return f"{p.call()} returns {c}"


def _hashmap(w: Writer, p: Pairs) -> str:
    c = p.result(w)
    seen = pick(w.rng, ["seen", "counts", "freq"])
    w.p(
        (
            "Better: one pass with a dictionary of how often each value has appeared so far.",
            "For each x, every earlier occurrence of target - x forms a pair, so keep counts.",
            "O(n) with a hash map: pairs ending at j = earlier copies of target - nums[j].",
        )
    )
    body = f"""    {seen} = {{}}
    pairs = 0
    for x in nums:
        pairs += {seen}.get(target - x, 0)
        {seen}[x] = {seen}.get(x, 0) + 1
    return pairs"""
    w.code(p.finish(w, body, c))
    run, tally, tot = {}, [], 0
    for x in p.nums:
        tot += run.get(p.target - x, 0)
        run[x] = run.get(x, 0) + 1
        tally.append(str(tot))
    w.check([f"the running pair count goes {', '.join(tally)}"], f"the total is {p.count}")
    w.p(f"Tracing the example, the running total ends at {c}.")
    return f"{p.call()} returns {c}"


def _two_pointer(w: Writer, p: Pairs) -> str:
    c = p.result(w)
    a = sorted(p.nums)
    w.p(
        (
            f"Sort first: {a}. Then move two pointers inward, handling runs of equal values.",
            f"Two-pointer approach on the sorted list {a}.",
            f"After sorting we get {a}; pointers at both ends, move whichever side is off.",
        )
    )
    body = """    a = sorted(nums)
    i, j = 0, len(a) - 1
    count = 0
    while i < j:
        s = a[i] + a[j]
        if s < target:
            i += 1
        elif s > target:
            j -= 1
        elif a[i] == a[j]:
            n = j - i + 1
            count += n * (n - 1) // 2
            break
        else:
            left = right = 1
            while i + left < j and a[i + left] == a[i]:
                left += 1
            while j - right > i and a[j - right] == a[j]:
                right += 1
            count += left * right
            i += left
            j -= right
    return count"""
    w.code(p.finish(w, body, c))
    w.p(
        "Equal runs multiply (left copies × right copies), and a middle run of identical values "
        "contributes n(n-1)/2.",
    )
    w.check([f"sorted({p.nums}) = {a}", f"the sorted list is {a}"], "the sort is right")
    w.p(f"<so> for the example it returns {c}.")
    return f"{p.call()} returns {c}"


def _counter(w: Writer, p: Pairs) -> str:
    c = p.result(w)
    f = Counter(p.nums)
    terms = []
    for x in sorted(f):
        y = p.target - x
        if x < y and y in f:
            terms.append(f"{x} and {y}: {f[x]}·{f[y]} = {f[x] * f[y]}")
        elif x == y and f[x] > 1:
            terms.append(f"{x} with itself: C({f[x]}, 2) = {f[x] * (f[x] - 1) // 2}")
    if w.chance(0.5):
        freqs = ", ".join(f"{x}×{k}" for x, k in sorted(f.items()))
        w.p(
            "Count by value instead of by position.",
            f"Frequencies: {freqs}.",
            f"Complementary values multiply: {'; '.join(terms)}.",
            f"<so> {c} pairs.",
        )
        body = """    from collections import Counter

    f = Counter(nums)
    total = 0
    for x in f:
        y = target - x
        if x < y:
            total += f[x] * f.get(y, 0)
        elif x == y:
            total += f[x] * (f[x] - 1) // 2
    return total"""
        w.code(p.finish(w, body, c), intro=("In code:", "As a function:", None))
    else:
        src = f"""from collections import Counter

nums, target = {p.nums}, {p.target}
f = Counter(nums)
total = sum(f[x] * f[target - x] for x in f if x < target - x)
total += sum(f[x] * (f[x] - 1) // 2 for x in f if 2 * x == target)
print(total)  # {c}"""
        w.code(src, intro=("Counting by value with a Counter:", "Frequency formula, quickly:"))
        w.p(f"Wrapping that up as `{p.fname}` gives the same {c} for the example.")
    w.check(terms or ["no complementary values"], f"the products add to {p.count}")
    return f"{p.call()} returns {c}"


def _table(w: Writer, p: Pairs) -> str:
    c = p.result(w)
    w.p(("Let me do the example by hand first, index by index.", "Working the example:", None))
    rows = []
    for i, x in enumerate(p.nums):
        js = [j for j in range(i + 1, len(p.nums)) if x + p.nums[j] == p.target]
        need = p.target - x
        rows.append(
            f"i={i} ({x}): needs {need} → " + (", ".join(f"j={j}" for j in js) or "none")
            if w.chance(0.85) or js
            else f"i={i} ({x}): nothing"
        )
    w.lines(rows)
    w.check(
        [
            "each row only looks at j > i, so no pair is listed twice",
            f"the matches are {', '.join(map(str, p.hits()))}",
        ],
        f"there are {p.count}",
    )
    w.p(f"Total: {c} pairs.", w.maybe(0.5, "That's exactly the nested loop, so:"))
    body = """    return sum(
        nums[i] + nums[j] == target
        for i in range(len(nums))
        for j in range(i + 1, len(nums))
    )"""
    w.code(p.finish(w, body, c))
    return f"{p.call()} returns {c}"


FAMILY = Family(
    name="pairs",
    domain="code",
    make=make,
    methods=(
        Method("nested_loops", "code", 0.9, _brute),
        Method("hash_map_pass", "code", 0.8, _hashmap),
        Method("sort_two_pointers", "code", 0.65, _two_pointer),
        Method("frequency_formula", "mixed", 0.75, _counter),
        Method("hand_table", "table", 0.85, _table),
    ),
)
