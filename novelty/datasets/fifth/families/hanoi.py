"""Tower of Hanoi move counting: classic rules (2^n - 1) or neighbouring-pegs-only (3^n - 1).

Methods: recurrence table, closed form by induction, per-disk move counts, a program that
really plays the moves, and a state-space argument written as a self-questioning dialogue.
"""

from __future__ import annotations

import random
from collections import deque

from ..core import Family, Instance, Method, Pen, wrong_answers

PEGS = (("A", "B", "C"), ("L", "M", "R"), ("1", "2", "3"), ("left", "middle", "right"))


def make(rng: random.Random) -> Instance:
    """Draw a disk count, a rule variant and peg names."""
    n = rng.randint(3, 8)
    variant = rng.choice(["classic", "adjacent"])
    pegs = rng.choice(PEGS)
    a, b = (2, 1) if variant == "classic" else (3, 2)
    ans = a**n - 1
    rule = ""
    if variant == "adjacent":
        rule = (
            f" Every move must be between neighbouring pegs: {pegs[0]}<->{pegs[1]} or "
            f"{pegs[1]}<->{pegs[2]}, never directly {pegs[0]}<->{pegs[2]}."
        )
    prompt = (
        f"{n} disks of different sizes sit on peg {pegs[0]}, largest at the bottom. "
        f"Move the whole stack to peg {pegs[2]}, one disk at a time, never putting a larger "
        f"disk on a smaller one.{rule} What is the minimum number of moves?"
    )
    wrong = wrong_answers(ans, [a**n, a ** (n - 1) - 1, 2 * n - 1, ans - 2, 2 ** (n + 1) - 1])
    data = {"n": n, "variant": variant, "pegs": pegs, "a": a, "b": b}
    return Instance(prompt, str(ans), wrong, data, unit="moves")


def verify(inst: Instance) -> str:
    """Breadth-first search over all disk placements, independent of any formula."""
    n, adjacent = inst.data["n"], inst.data["variant"] == "adjacent"
    start, goal = (0,) * n, (2,) * n
    dist = {start: 0}
    queue = deque([start])
    while queue:
        s = queue.popleft()
        if s == goal:
            return str(dist[s])
        tops = {}
        for disk in range(n - 1, -1, -1):  # smallest index = smallest disk ends on top
            tops[s[disk]] = disk
        for p, disk in tops.items():
            for q in range(3):
                if q == p or (adjacent and abs(p - q) != 1):
                    continue
                if q in tops and tops[q] < disk:
                    continue
                t = (*s[:disk], q, *s[disk + 1 :])
                if t not in dist:
                    dist[t] = dist[s] + 1
                    queue.append(t)
    raise AssertionError("goal unreachable")


def _moves(n: int, src: int, dst: int, adjacent: bool, out: list[tuple[int, int]]) -> None:
    """Append the optimal move sequence (peg pairs) to out."""
    if n == 0:
        return
    if not adjacent:
        via = 3 - src - dst
        _moves(n - 1, src, via, adjacent, out)
        out.append((src, dst))
        _moves(n - 1, via, dst, adjacent, out)
        return
    if abs(src - dst) == 1:
        other = 3 - src - dst
        _moves(n - 1, src, other, adjacent, out)
        out.append((src, dst))
        _moves(n - 1, other, dst, adjacent, out)
        return
    _moves(n - 1, src, dst, adjacent, out)
    out.append((src, 1))
    _moves(n - 1, dst, src, adjacent, out)
    out.append((1, dst))
    _moves(n - 1, src, dst, adjacent, out)


def _rule(inst: Instance) -> str:
    d = inst.data
    if d["variant"] == "classic":
        return "T(n) = 2·T(n-1) + 1"
    return "T(n) = 3·T(n-1) + 2"


def recurrence_table(inst: Instance, pen: Pen, ans: str) -> None:
    """Unroll T(n) = a·T(n-1) + b from T(0) = 0 in a table."""
    d = inst.data
    n, a, b, pegs = d["n"], d["a"], d["b"], d["pegs"]
    if d["variant"] == "classic":
        why = pen.pick(
            f"To move k disks we park the top k-1 on {pegs[1]}, move the biggest, then bring "
            "the k-1 back on top of it.",
            "The largest disk can only move once everything above it is out of the way, and "
            "that stack has to be moved twice.",
        )
    else:
        why = pen.pick(
            f"The largest disk has to pass through {pegs[1]}, so it moves twice, and the k-1 "
            "smaller disks must be shuffled out of its way three times.",
            f"With the neighbour rule the big disk goes {pegs[0]}->{pegs[1]}->{pegs[2]}; before "
            "each of its two moves and after the last one the smaller stack travels end to end.",
        )
    pen.say(why, f"So {_rule(inst)}, with T(0) = 0.")
    var = pen.pick("k", "n", "disks")
    rows, t = [], 0
    for k in range(1, n + 1):
        prev, t = t, a * t + b
        rows.append([k, prev, f"{a}·{prev}+{b}", t])
    pen.table([var, "T(k-1)", "step", "T(k)"], rows, ("md", "aligned", "csv"))
    pen.say(pen.pick(f"The last row gives {ans}.", f"Reading off k = {n}: {ans} moves."))


def closed_form(inst: Instance, pen: Pen, ans: str) -> None:
    """Guess a^n - 1 from small cases and prove it by induction."""
    d = inst.data
    n, a, b = d["n"], d["a"], d["b"]
    small = [a**k - 1 for k in (1, 2, 3)]
    pen.say(
        pen.pick("Try tiny cases first.", "Small cases by hand:", "Let me look for a pattern."),
        f"One disk takes {small[0]}, two take {small[1]}, three take {small[2]}.",
        f"Those are {a}^k - 1: {a - 1}, {a * a - 1}, {a**3 - 1}.",
    )
    pen.say(
        f"Induction: if T(k-1) = {a}^(k-1) - 1, then T(k) = {a}·({a}^(k-1) - 1) + {b} "
        f"= {a}^k - {a} + {b} = {a}^k - 1, since the optimal solution must "
        + pen.pick(
            "clear the stack above the largest disk every time it moves.",
            "move the smaller stack out of the way around each move of the largest disk.",
        ),
        pen.pick("Base case T(0) = 0 holds.", "And T(0) = 0 fits."),
    )
    pen.say(f"So for n = {n}: {a}^{n} - 1 = {a**n} - 1 = {ans}.")


def per_disk(inst: Instance, pen: Pen, ans: str) -> None:
    """Count how often each disk moves and add the counts."""
    d = inst.data
    n, a = d["n"], d["a"]
    factor = 1 if a == 2 else 2
    pen.say(
        pen.pick("Count moves per disk instead.", "Each disk moves a fixed number of times."),
        "The largest disk moves "
        + ("once" if a == 2 else "twice")
        + f", and every smaller disk moves {a} times as often as the one below it.",
    )
    items, total = [], 0
    order = range(1, n + 1) if pen.maybe() else range(n, 0, -1)
    for k in order:
        c = factor * a ** (n - k)
        total += c
        label = "smallest" if k == 1 else ("largest" if k == n else f"size {k}")
        items.append(f"disk {k} ({label}): {factor}·{a}^{n - k} = {c}")
    pen.lines(items, ("-", "*", ""))
    sums = " + ".join(str(factor * a ** (n - k)) for k in range(n, 0, -1))
    pen.say(f"Sum: {sums} = {ans}." if n <= 6 else f"Sum of the geometric series: {ans}.")


def simulate(inst: Instance, pen: Pen, ans: str) -> None:
    """A program that actually plays the moves and counts them."""
    d = inst.data
    n, pegs, adjacent = d["n"], d["pegs"], d["variant"] == "adjacent"
    seq: list[tuple[int, int]] = []
    _moves(n, 0, 2, adjacent, seq)
    shown = [(pegs[p], pegs[q]) for p, q in seq[:6]]
    out = f"first moves: {shown}\ntotal: {inst.answer}"
    lang = pen.pick("python", "lisp", "haskell", "lua")
    pen.say(pen.pick("Just simulate it:", "Quick simulation to count:", "Brute force it."))
    if lang == "python" and not adjacent:
        src = f"""moves = []
def solve(k, src, dst, via):
    if k == 0:
        return
    solve(k - 1, src, via, dst)
    moves.append((src, dst))
    solve(k - 1, via, dst, src)

solve({n}, "{pegs[0]}", "{pegs[2]}", "{pegs[1]}")
print("first moves:", moves[:6])
print("total:", len(moves))"""
    elif lang == "python":
        src = f"""moves = []
def go(k, a, c):          # a, c in {{0, 1, 2}}, neighbour moves only
    if k == 0:
        return
    if abs(a - c) == 1:
        o = 3 - a - c
        go(k - 1, a, o); moves.append((a, c)); go(k - 1, o, c)
    else:
        go(k - 1, a, c); moves.append((a, 1))
        go(k - 1, c, a); moves.append((1, c)); go(k - 1, a, c)

go({n}, 0, 2)
print("total:", len(moves))"""
        out = f"total: {inst.answer}"
    elif lang == "lisp":
        body = "(+ (hanoi (1- k)) 1 (hanoi (1- k)))"
        if adjacent:
            body = "(+ (* 3 (hanoi (1- k))) 2)"
        src = f"""(defun hanoi (k)
  (if (= k 0)
      0
      {body}))
(print (hanoi {n}))"""
        out = inst.answer
    elif lang == "haskell":
        if adjacent:
            src = f"""adj :: Int -> Int -> Int -> [(Int, Int)]
adj 0 _ _ = []
adj k a c
  | abs (a - c) == 1 = adj (k-1) a o ++ [(a, c)] ++ adj (k-1) o c
  | otherwise = adj (k-1) a c ++ [(a, 1)] ++ adj (k-1) c a ++ [(1, c)] ++ adj (k-1) a c
  where o = 3 - a - c

main = print (length (adj {n} 0 2))"""
        else:
            src = f"""hanoi :: Int -> a -> a -> a -> [(a, a)]
hanoi 0 _ _ _ = []
hanoi k s d v = hanoi (k-1) s v d ++ [(s, d)] ++ hanoi (k-1) v d s

main = print (length (hanoi {n} 'a' 'c' 'b'))"""
        out = inst.answer
    else:
        step = "count(k-1) + 1 + count(k-1)"
        if adjacent:
            step = "3 * count(k-1) + 2  -- three stack trips, two big-disk moves"
        src = f"""local function count(k)
  if k == 0 then return 0 end
  return {step}
end
print(count({n}))"""
        out = inst.answer
    pen.code(lang, src, out)
    pen.say(pen.pick(f"It reports {ans} moves.", f"Total: {ans}.", f"=> {ans}"))


def state_space(inst: Instance, pen: Pen, ans: str) -> None:
    """Count configurations visited: Gray code (classic) or every state once (adjacent)."""
    d = inst.data
    n, a = d["n"], d["a"]
    lines = [f"Q: How many ways can {n} disks be placed legally on three pegs?"]
    lines.append(f"A: Each disk picks a peg and the order on a peg is forced, so 3^{n} = {3**n}.")
    if a == 2:
        lines += [
            "Q: Does the optimal solution visit all of them?",
            "A: No. Only the smallest disk and one other move is possible at each step; the "
            "sequence of which disk moves follows a binary counter (Gray code) over n bits.",
            "Q: So how many moves?",
            f"A: The counter goes from 0 to 2^{n} - 1, one move per increment: {ans}.",
        ]
    else:
        lines += [
            "Q: And with the neighbour-only rule?",
            "A: The state graph is then a single path, and the shortest route from all-left to "
            "all-right has to walk through every legal configuration exactly once.",
            "Q: So the number of moves is?",
            f"A: One less than the number of states: {3**n} - 1 = {ans}.",
        ]
    if pen.maybe(0.5):
        pen.raw("\n".join(lines))
    else:
        pen.say(*[ln.split(": ", 1)[1] for ln in lines[1::2]])


def checks(inst: Instance) -> list[str]:
    """Short independent sanity checks used when a trace re-verifies itself."""
    d = inst.data
    n, a, b = d["n"], d["a"], d["b"]
    t = int(inst.answer)
    return [
        f"The recurrence once more: {a}·{(t - b) // a} + {b} = {t}.",
        f"For n = 1 the formula gives {a}^1 - 1 = {a - 1}, and one disk needs {a - 1} move(s).",
        f"{a}^{n} is {a**n}, minus 1 is {t}.",
        f"Parity: {a}^{n} is odd, so {t} is {'even' if t % 2 == 0 else 'odd'}, consistent.",
    ]


FAMILY = Family(
    key="hanoi",
    domain="planning",
    make=make,
    verify=verify,
    methods=(
        Method("recurrence_table", "table", recurrence_table),
        Method("closed_form_induction", "prose", closed_form),
        Method("per_disk_count", "list", per_disk),
        Method("move_simulation", "code", simulate),
        Method("state_space_count", "prose", state_space),
    ),
    checks=checks,
    asides=(
        "The peg names don't matter, only which one is the target.",
        "The minimality is the tricky part; any sequence at all is easy to find.",
        "Nothing else about the disks matters, only their count.",
    ),
)
