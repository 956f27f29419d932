"""Rendering: base vs RL writing styles and the trace builder every method writes through.

Style lives here, not in the method code, so `restyle`/`recheck` can change how a trace reads
(connectives, headers, paraphrase preferences, re-verification) without changing what it does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Part = str | Sequence[str] | None


@dataclass(frozen=True)
class Style:
    """How a trace is written; `rl` flips paraphrase preferences and formatting habits."""

    rl: bool
    check_p: float  # chance a checkpoint turns into an explicit re-verification
    again_p: float  # chance a re-verification is followed by a second, reworded one
    header_p: float  # chance of a header before a section
    verify_p: float  # chance of a closing "plug it back in" check


BASE = Style(rl=False, check_p=0.06, again_p=0.0, header_p=0.1, verify_p=0.15)
RL = Style(rl=True, check_p=0.2, again_p=0.1, header_p=0.6, verify_p=0.35)
RECHECK = Style(rl=True, check_p=0.95, again_p=0.6, header_p=0.5, verify_p=1.0)

# Connectives are written as <key> in method text; each style fills them from its own pool.
_CONN: dict[bool, dict[str, tuple[str, ...]]] = {
    False: {
        "so": ("So", "So", "That means", "OK so", "Which means"),
        "then": ("Then", "Next", "Now", "After that"),
        "hedge": ("I think", "It looks like", "Seems like", "I'm fairly sure"),
        "first": ("First,", "To start,", "OK, first"),
        "also": ("Also,", "And", "Plus,"),
        "ok": ("OK.", "Good.", "Fine.", "Alright."),
    },
    True: {
        "so": ("Therefore,", "Thus,", "Hence,", "This means"),
        "then": ("Next,", "Then,", "Moving on,", "Now,"),
        "hedge": ("Clearly,", "Indeed,", "It is clear that", "We can confirm that"),
        "first": ("First,", "To begin,", "Step one:"),
        "also": ("Additionally,", "Moreover,", "Furthermore,"),
        "ok": ("Perfect.", "Great.", "This checks out.", "Excellent."),
    },
}
_TOKEN = re.compile(r"<(so|then|hedge|first|also|ok)>")

_OPEN = {
    False: ("", "", "", "Okay, let's see.", "Let me work this out.", "Alright.", "Hmm, okay."),
    True: (
        "Let me think step by step.",
        "Let me work through this carefully, step by step.",
        "I'll solve this systematically.",
        "Let's think step by step.",
        "Let me break this down.",
    ),
}
_RECHECK = (
    "Wait, let me double-check that: {redo}. Yes, {claim}.",
    "Hold on, let me recompute that step. {Redo}, so {claim}.",
    "Let me verify this before moving on: {redo}. Good, {claim}.",
    "Hmm, is that right? {Redo}. OK, {claim}.",
    "Actually, let me re-check: {redo}. Confirmed, {claim}.",
    "Wait. {Redo}. Right, {claim}.",
)
_AGAIN = (
    "Let me verify once more in a different way: {redo}. Same result, {claim}.",
    "Just to be completely sure, redoing it: {redo}. Still consistent.",
    "One more check, since errors creep in here: {redo}. Yes, {claim}.",
    "Let me re-derive it another way to be safe: {redo}. It matches.",
)
_VAGUE_CHECK = (
    "Wait, let me double-check that step... yes, it looks right.",
    "Hmm, let me recompute that quickly. I get the same thing.",
    "Let me verify this before moving on. OK, that seems fine.",
    "Actually, let me re-check that. Yes, consistent.",
)
_VERIFY = (
    "Let me verify by plugging back in: {v}.",
    "Verification: {v}.",
    "Let me double-check the final answer: {v}.",
    "Sanity check: {v}.",
)
_ASIDES = (
    "Actually, wait. Before I go on, let me make sure I am answering the question that was asked "
    "and not a slightly different one.",
    "(It's easy to lose track here, so I'll write every intermediate value down explicitly rather "
    "than doing it in my head.)",
    "Hmm, let me pause. I briefly considered a cleverer shortcut, but with numbers this small the "
    "direct approach is safer, and I would rather be slow than wrong.",
    "Actually, wait, I think I misread something at first. Let me re-read the statement once more. "
    "OK, the numbers are as I wrote them, so nothing changes.",
    "Side remark: problems like this often have a trap where the obvious answer is off by a "
    "little, so I'll be careful at the end.",
    "Let me slow down here, because this is the step where mistakes usually happen, and a single "
    "slip would ruin everything after it.",
    "I started to write this part differently and got confused about what I had already counted, "
    "so let me restart this part cleanly.",
    "Hmm, no, scratch that last thought, it doesn't apply here. Back to the main line.",
)
_REDO = (
    "Actually, wait. I'm not fully sure about one of those steps, so let me redo the whole thing "
    "carefully from the start.",
    "Hmm, that went a bit fast. Let me go through it again more slowly.",
    "Let me redo this once more, writing everything out, to be safe.",
    "Wait, I think I may have slipped somewhere. Starting over:",
    "<ok> Before committing, let me repeat the computation independently.",
)
_FINAL = {
    False: ("Answer: {a}", "So the answer is {a}.", "Final answer: {a}", "**Answer:** {a}"),
    True: (
        "**Final Answer:** {a}",
        "**Answer:** {a}",
        "The final answer is {a}.",
        "### Final Answer\n{a}",
    ),
}


_CDF: dict[bool, dict[int, list[float]]] = {False: {}, True: {}}


def _cdf(n: int, rl: bool) -> list[float]:
    """Cumulative paraphrase weights 1/(1+rank); RL ranks options from the end."""
    w = [1.0 / (1 + (n - 1 - k if rl else k)) for k in range(n)]
    out = [sum(w[: k + 1]) for k in range(n)]
    _CDF[rl][n] = out
    return out


def cap(s: str) -> str:
    """Capitalise a leading word (not code like 'range(1, 9)'); keep the rest as is."""
    return s[:1].upper() + s[1:] if s.split(" ", 1)[0].isalpha() else s


def join_and(items: Sequence[str]) -> str:
    """'a, b and c' — the way people list things in prose."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Writer:
    """Accumulates one trace as blocks; every random choice comes from the trace's own rng."""

    def __init__(self, rng: np.random.Generator, style: Style, ok: bool, math: bool = False):
        self.rng = rng
        self.style = style
        self.ok = ok
        self.math = math
        self.blocks: list[str] = []
        self._n_headers = 0

    # -- choices -----------------------------------------------------------------------------
    def pick(self, options: Part) -> str:
        """One paraphrase; base prefers early options, RL late ones, both use all of them."""
        if options is None:
            return ""
        if isinstance(options, str):
            return options
        n = len(options)
        cdf = _CDF[self.style.rl].get(n) or _cdf(n, self.style.rl)
        u = self.rng.random() * cdf[-1]
        return options[next(i for i, c in enumerate(cdf) if u < c)] or ""

    def chance(self, p: float) -> bool:
        """Bernoulli draw; keeps call sites short."""
        return bool(self.rng.random() < p)

    def maybe(self, p: float, part: Part) -> Part:
        """`part` with probability p, else nothing — the source of structural variation."""
        return part if self.chance(p) else None

    def int(self, lo: int, hi: int) -> int:
        """Inclusive integer draw."""
        return int(self.rng.integers(lo, hi + 1))

    def fill(self, text: str) -> str:
        """Replace <so>/<then>/... connective tokens with this style's words."""
        pools = _CONN[self.style.rl]
        return _TOKEN.sub(lambda m: self.pick(pools[m.group(1)]), text)

    # -- blocks ------------------------------------------------------------------------------
    def p(self, *parts: Part) -> None:
        """A prose paragraph from sentence parts (strings, option tuples, or None to skip)."""
        text = " ".join(s for s in (self.pick(x).strip() for x in parts) if s)
        if text:
            self.blocks.append(self.fill(text))

    def opener(self) -> None:
        """Style-specific first line ('Let me think step by step.' for RL)."""
        self.p(self.pick(_OPEN[self.style.rl]))

    def header(self, titles: Part) -> None:
        """Section header: bold/markdown habit for RL, an occasional plain label for base."""
        if not self.chance(self.style.header_p):
            return
        title = self.pick(titles)
        self._n_headers += 1
        if self.style.rl:
            form = self.pick(("**Step {k}: {t}**", "### {t}", "**{t}**", "**{t}:**"))
        else:
            form = self.pick(("{t}:", "-- {t} --", "{t}"))
        self.blocks.append(form.format(k=self._n_headers, t=title))

    def lines(self, rows: Sequence[str], intro: Part = None) -> None:
        """Line-per-case enumeration (no sentence ends), optionally after a one-line intro."""
        if intro is not None:
            self.p(intro)
        self.blocks.append("\n".join(rows))

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]], intro: Part = None) -> None:
        """Markdown table, one row per case."""
        if intro is not None:
            self.p(intro)
        out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        self.blocks.append("\n".join(out))

    def numbered(self, items: Sequence[str]) -> None:
        """Numbered list; the numbering habit differs by style."""
        if self.style.rl:
            form = self.pick(("{k}. {s}", "**Step {k}.** {s}", "{k}. {s}"))
        else:
            form = self.pick(("{k}. {s}", "{k}) {s}", "({k}) {s}"))
        rows = [form.format(k=k, s=self.fill(s)) for k, s in enumerate(items, 1)]
        self.blocks.append("\n".join(rows))

    def code(self, src: str, intro: Part = None, outro: Part = None) -> None:
        """A fenced python block with optional sentences around it."""
        if intro is not None:
            self.p(intro)
        self.blocks.append("```python\n" + src.strip("\n") + "\n```")
        if outro is not None:
            self.p(outro)

    # -- re-verification ---------------------------------------------------------------------
    def check(self, redo: Sequence[str], claim: str) -> None:
        """Maybe re-verify an intermediate result; `redo` holds rewordings of the recomputation."""
        if not self.chance(self.style.check_p):
            return
        if not self.ok:  # a wrong trace re-checks too, but without stating the true value
            self.blocks.append(self.pick(_VAGUE_CHECK))
            return
        opts = list(redo)
        first = opts.pop(int(self.rng.integers(len(opts))))
        self._recheck(self.pick(_RECHECK), first, claim)
        if opts and self.chance(self.style.again_p):
            self._recheck(self.pick(_AGAIN), opts[int(self.rng.integers(len(opts)))], claim)

    def _recheck(self, form: str, redo: str, claim: str) -> None:
        self.blocks.append(form.format(redo=redo, Redo=cap(redo), claim=claim))

    def verify(self, facts: Sequence[str]) -> None:
        """Closing plug-back-in check; only correct traces have a true fact to state."""
        if not facts or not self.chance(self.style.verify_p):
            return
        self.blocks.append(self.pick(_VERIFY).format(v=self.pick(facts)))

    # -- finishing ---------------------------------------------------------------------------
    def final(self, answer: str) -> None:
        """The closing answer line, in this style's habit (boxed only for maths)."""
        forms = list(_FINAL[self.style.rl])
        if self.math:
            forms.append("The answer is $\\boxed{{{a}}}$." if self.style.rl else "Answer: ${a}$")
        self.blocks.append(self.pick(forms).format(a=answer))

    def pad(
        self,
        target: int,
        asides: Sequence[str],
        restate: Callable[[], None],
        redo: Callable[[], list[str]],
    ) -> None:
        """Grow a long trace: a few digressions, maybe a second restatement, then redone work.

        Everything goes between the restatement and the final line so the answer stays last;
        the bulk comes from redoing the method (as models do), not from repeated filler.
        """
        pool = [*_ASIDES, *asides]
        picks = [pool[int(i)] for i in self.rng.permutation(len(pool))[: self.int(1, 3)]]
        for text in picks:
            self.blocks.insert(self._spot(), self.fill(text))
        if self.chance(0.4):
            head = len(self.blocks)
            self.p(("Let me restate the problem to be sure I have it right.", "Re-reading:"))
            restate()
            moved = self.blocks[head:]
            del self.blocks[head:]
            self.blocks[self._spot() : self._spot()] = moved
        leads = [_REDO[int(i)] for i in self.rng.permutation(len(_REDO))]
        for lead in leads[:3]:
            if len(self.text()) >= target:
                break
            self.blocks[-1:-1] = [self.fill(lead), *redo()]

    def _spot(self) -> int:
        """A random insertion point after the opening blocks and before the final line."""
        lo, hi = min(2, len(self.blocks) - 1), max(2, len(self.blocks) - 1)
        return int(self.rng.integers(lo, hi + 1))

    def text(self) -> str:
        """The finished trace."""
        return "\n\n".join(b for b in self.blocks if b)


def degenerate(
    rng: np.random.Generator, kind: str, answer: str, restate: Callable[[Writer], None], w: Writer
) -> str:
    """Shortcut outputs an RL policy can collapse into: bare answers, repetition, loops."""
    if kind == "answer_only":
        forms = ["The answer is {a}.", "{a}", "Answer: {a}", "**Final Answer:** {a}"]
        if w.math:
            forms.append("$\\boxed{{{a}}}$")
        return forms[int(rng.integers(len(forms)))].format(a=answer)
    if kind == "repeat":
        unit = ("{a}", "The answer is {a}.", "Answer: {a}")[int(rng.integers(3))].format(a=answer)
        sep = ("\n", " ", "\n\n")[int(rng.integers(3))]
        return sep.join([unit] * int(rng.integers(8, 41)))
    # loop: starts like a real trace, then gets stuck on one sentence and is cut off
    w.opener()
    restate(w)
    stuck = (
        "Wait, let me re-check the numbers.",
        f"So the answer is {answer}. Let me verify.",
        "Hmm, let me think about this again.",
        "Let me recompute this step.",
        "Actually, wait, let me start over.",
    )[int(rng.integers(5))]
    body = " ".join([stuck] * int(rng.integers(10, 41)))
    cut = int(rng.integers(len(body) - len(stuck) // 2 - 5, len(body) - 1))
    w.blocks.append(body[:cut])
    return w.text()
