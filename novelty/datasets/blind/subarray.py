"""Programming: maximum sum of a contiguous subarray.

Methods: Kadane's scan (code), all-pairs brute force (code), prefix sums argued in prose,
divide and conquer as a numbered list, and a per-index DP table worked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .family import Family, Method, pick
from .writer import Writer

NAMES = ("max_subarray_sum", "best_sum", "max_contiguous_sum", "largest_sum", "max_run_sum")


def best_span(nums: list[int]) -> tuple[int, int, int]:
    """(sum, i, j) of the first maximal subarray nums[i:j+1]."""
    best = (nums[0], 0, 0)
    for i in range(len(nums)):
        s = 0
        for j in range(i, len(nums)):
            s += nums[j]
            if s > best[0]:
                best = (s, i, j)
    return best


def crossing(nums: list[int], mid: int) -> int:
    """Best sum of a subarray that contains both nums[mid-1] and nums[mid]."""
    left = right = -(10**9)
    s = 0
    for i in range(mid - 1, -1, -1):
        s += nums[i]
        left = max(left, s)
    s = 0
    for j in range(mid, len(nums)):
        s += nums[j]
        right = max(right, s)
    return left + right


@dataclass
class Subarray:
    """A function name and an example list with mixed signs."""

    fname: str
    nums: list[int]

    @property
    def best(self) -> int:
        return best_span(self.nums)[0]

    def span(self) -> list[int]:
        _, i, j = best_span(self.nums)
        return self.nums[i : j + 1]

    def result(self, w: Writer) -> int:
        if w.ok:
            return self.best
        wrong = [sum(x for x in self.nums if x > 0), max(self.nums), self.best - w.int(1, 3)]
        return pick(w.rng, [x for x in wrong if x != self.best] or [self.best + 1])

    def call(self) -> str:
        return f"{self.fname}({self.nums})"

    def finish(self, w: Writer, body: str, c: int) -> str:
        if w.chance(0.4):
            head = f"def {self.fname}(nums: list[int]) -> int:"
        else:
            head = f"def {self.fname}(nums):"
        doc = '    """Largest sum of a non-empty contiguous slice."""\n'
        tail = f"\n\n\nprint({self.call()})  # {c}" if w.chance(0.6) else ""
        return head + "\n" + (doc if w.chance(0.3) else "") + body.strip("\n") + tail

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        w.p(
            (
                f"We need a function `{self.fname}(nums)` that returns the largest sum of a "
                "non-empty contiguous subarray.",
                f"Task: write {self.fname}(nums) in Python — the maximum total over all "
                "contiguous, non-empty slices of nums.",
                f"So the problem is the classic maximum subarray: implement {self.fname}(nums), "
                "returning the best sum of consecutive elements.",
            ),
            (
                f"Test it on nums = {self.nums}.",
                f"For example, nums = {self.nums}.",
                f"What does it give for {self.nums}?",
            ),
        )

    def keys(self) -> list[str]:
        return [self.fname, str(self.nums)]

    def asides(self) -> list[str]:
        neg = min(self.nums)
        return [
            f"The {neg} is the kind of element that tempts you to restart, but sometimes "
            "crossing a negative is worth it if what follows is big enough.",
            "If all numbers were negative the answer would be the largest single element, so "
            "initialising the best to 0 would be a bug.",
            "Subarray means contiguous; a subsequence would just be the sum of the positives.",
        ]

    def verify(self) -> list[str]:
        sp = self.span()
        return [f"the slice {sp} sums to {' + '.join(map(str, sp))} = {self.best}"]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return str(self.best if ok else sum(x for x in self.nums if x > 0))


def make(rng: np.random.Generator) -> Subarray:
    """7-10 values in [-9, 9]; the best slice is neither one element nor the whole list."""
    while True:
        nums = [int(x) for x in rng.integers(-9, 10, size=int(rng.integers(7, 11)))]
        s = Subarray(pick(rng, NAMES), nums)
        _, i, j = best_span(nums)
        if 2 <= j - i + 1 < len(nums) and sum(x < 0 for x in nums) >= 2:
            return s


def _kadane(w: Writer, s: Subarray) -> str:
    c = s.result(w)
    w.p(
        (
            "Kadane's algorithm: keep the best sum ending at the current position, and the best "
            "overall.",
            "Linear scan: either extend the current run or restart at the current element.",
            "The standard O(n) solution is Kadane's.",
        )
    )
    cur, best = pick(w.rng, [("cur", "best"), ("here", "overall"), ("run", "ans")])
    body = f"""    {cur} = {best} = nums[0]
    for x in nums[1:]:
        {cur} = max(x, {cur} + x)
        {best} = max({best}, {cur})
    return {best}"""
    w.code(s.finish(w, body, c))
    w.check([f"{' + '.join(map(str, s.span()))} = {s.best}"], f"the best slice sums to {s.best}")
    w.p(f"On {s.nums} the best run is {s.span()}, giving {c}.")
    return f"{s.call()} returns {c}"


def _brute(w: Writer, s: Subarray) -> str:
    c = s.result(w)
    w.p(
        (
            "Brute force first: try every start i and extend to every end j, keeping a running "
            "sum.",
            "O(n^2): for each start, accumulate forward and track the maximum.",
            "The list is short, so checking all slices is fine.",
        )
    )
    body = """    best = nums[0]
    for i in range(len(nums)):
        total = 0
        for j in range(i, len(nums)):
            total += nums[j]
            best = max(best, total)
    return best"""
    w.code(s.finish(w, body, c))
    sp = s.span()
    w.check(
        [f"{' + '.join(map(str, sp))} = {s.best}", f"the slice {sp} adds up to {s.best}"],
        f"the best slice sums to {s.best}",
    )
    w.p(f"For the example this returns {c}.", w.maybe(0.5, f"(The slice is {s.span()}.)"))
    return f"{s.call()} returns {c}"


def _prefix(w: Writer, s: Subarray) -> str:
    c = s.result(w)
    pre = [0]
    for x in s.nums:
        pre.append(pre[-1] + x)
    low, best, at = pre[0], -(10**9), (0, 0)
    for j in range(1, len(pre)):
        if pre[j] - low > best:
            best, at = pre[j] - low, (low, pre[j])
        low = min(low, pre[j])
    w.p(
        (
            "Think in prefix sums: the sum of a slice is P[j] - P[i], so for each j subtract the "
            "smallest earlier prefix.",
            "Another way: slice sum = difference of two prefix sums, so maximise P[j] minus the "
            "minimum P before it.",
        ),
        f"The prefix sums are {', '.join(map(str, pre))}.",
        f"The best difference is {at[1]} - ({at[0]}) = {best}."
        if at[0] < 0
        else f"The best difference is {at[1]} - {at[0]} = {best}.",
        f"<so> the function should return {c} here.",
    )
    w.check(
        [f"{at[1]} - ({at[0]}) = {best}", f"the gap between {at[0]} and {at[1]} is {best}"],
        f"the largest gap is {best}",
    )
    body = """    best, low, run = nums[0], 0, 0
    for x in nums:
        run += x
        best = max(best, run - low)
        low = min(low, run)
    return best"""
    w.code(s.finish(w, body, c), intro=("In code:", "Implementation:", None))
    return f"{s.call()} returns {c}"


def _divide(w: Writer, s: Subarray) -> str:
    c = s.result(w)
    n = s.nums
    mid = len(n) // 2
    left, right, cross = best_span(n[:mid])[0], best_span(n[mid:])[0], crossing(n, mid)
    w.p(("Divide and conquer:", "Let me split the array in half and recurse.", None))
    w.numbered(
        [
            f"Split {n} into {n[:mid]} and {n[mid:]}.",
            f"Best within the left half: {left}.",
            f"Best within the right half: {right}.",
            f"Best slice crossing the middle: {cross}.",
            f"Answer = max({left}, {right}, {cross}) = {c}.",
        ]
    )
    w.check(
        [
            f"the crossing slice takes the best suffix of {n[:mid]} plus the best prefix of "
            f"{n[mid:]}, {cross}"
        ],
        f"the crossing best is {cross}",
    )
    body = """    def solve(lo, hi):
        if hi - lo == 1:
            return nums[lo]
        mid = (lo + hi) // 2
        best_left = best_right = float("-inf")
        total = 0
        for i in range(mid - 1, lo - 1, -1):
            total += nums[i]
            best_left = max(best_left, total)
        total = 0
        for j in range(mid, hi):
            total += nums[j]
            best_right = max(best_right, total)
        return max(solve(lo, mid), solve(mid, hi), best_left + best_right)

    return solve(0, len(nums))"""
    w.code(s.finish(w, body, c))
    return f"{s.call()} returns {c}"


def _dp(w: Writer, s: Subarray) -> str:
    c = s.result(w)
    w.header(("DP table", "Best sum ending at each index", "Table"))
    w.p(("Let me tabulate the best sum ending at each index.", "By hand, index by index:", None))
    here = best = s.nums[0]
    rows = [f"i=0: x={s.nums[0]}, ending here {here}, best {best}"]
    trows = [["0", str(s.nums[0]), str(here), str(best)]]
    for i, x in enumerate(s.nums[1:], 1):
        here = max(x, here + x)
        best = max(best, here)
        rows.append(f"i={i}: x={x}, ending here {here}, best {best}")
        trows.append([str(i), str(x), str(here), str(best)])
    if w.chance(0.5):
        w.lines(rows)
    else:
        w.table(["i", "x", "ending here", "best"], trows)
    w.check(
        [f"the running best only changes when 'ending here' beats it, last at {s.best}"],
        f"the best is {s.best}",
    )
    w.p(f"The last best is {c}.", "Turning the table into code:")
    body = """    ending = best = nums[0]
    for x in nums[1:]:
        ending = x if ending < 0 else ending + x
        best = max(best, ending)
    return best"""
    w.code(s.finish(w, body, c))
    return f"{s.call()} returns {c}"


FAMILY = Family(
    name="subarray",
    domain="code",
    make=make,
    methods=(
        Method("kadane_scan", "code", 0.85, _kadane),
        Method("all_slices", "code", 0.9, _brute),
        Method("prefix_minimum", "prose", 0.7, _prefix),
        Method("divide_conquer", "list", 0.65, _divide),
        Method("dp_table", "table", 0.8, _dp),
    ),
)
