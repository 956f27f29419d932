"""Voices: how a trace around a method's work is worded (base, RL restyled, rechecking)."""

from __future__ import annotations

import random
import re
from typing import Any

from ._text import Verbatim, maybe, pick
from ._types import Family, Method

_OPEN_BASE = (
    "We need {goal}.",
    "Let's find {goal}.",
    "The question asks for {goal}.",
    "Okay, so we want {goal}.",
    "",
)
_OPEN_RL = (
    "**Goal:** {goal}.",
    "## Task\nI need to determine {goal}.",
    "Alright — my job here is to pin down {goal}.",
    "### What is asked\nI'm after {goal}.",
)
_PLAN_BASE = (
    "There are a few ways to do this; here is one.",
    "Let's just work through it carefully.",
    "It helps to restate the data first.",
)
_HEAD_RL = ("### Approach", "## Working", "**Method**", "### Solution", "### Step-by-step")
_CLOSE_BASE = (
    "So the answer is {ans}.",
    "Answer: {ans}",
    "The answer is {ans}.",
    "Therefore {ans}.",
    "So we get {ans}.",
)
_CLOSE_RL = (
    "**Final answer:** {ans}",
    "### Answer\n**{ans}**",
    "That settles it: **{ans}**.",
    "---\n**Answer: {ans}**",
)
_REFLECT = (
    "This kind of question is easy to get wrong by rushing, so it was worth laying the "
    "work out in full rather than guessing from the numbers.",
    "In hindsight the structure of the data made this fairly mechanical once the right "
    "bookkeeping was in place; the only risk is an arithmetic slip along the way.",
    "A quick look back: every intermediate value above follows from the given data, and "
    "nothing was assumed beyond what the problem states.",
)
_DELIBERATE_BASE = (
    "Before diving in, it is worth deciding how to organise the work. The data is small "
    "enough that an exhaustive approach is feasible, but a structured one is less error-prone "
    "and easier to check afterwards. Whatever route is taken, the key is to write every "
    "intermediate quantity down, so that a mistake can be traced back to the step where it "
    "happened. The units and the edge cases the statement hints at also need attention.",
    "There is a temptation to answer this from intuition, and intuition is often slightly off "
    "for questions like this one. A careful tabulation costs a few extra lines but removes "
    "the guesswork. The plan is simple: lay out the given data, apply one systematic "
    "procedure to it, and only then read off the answer, without skipping steps.",
)
_DELIBERATE_RL = (
    "### Thinking about the approach\nI could eyeball this, but I would rather use a procedure "
    "where every intermediate value is visible. The instance is small, so I am not worried "
    "about cost; I am worried about slips. I'll keep the bookkeeping explicit and make sure "
    "each number I write down follows from the data above it.",
    "**Strategy check.** A few approaches would work here. I'll pick the one whose "
    "intermediate results are easiest to audit, run it once carefully, and report the result. "
    "Units and boundary cases matter, so I'll keep them in view the whole way through.",
)
_RECHECK = (
    "Wait, let me verify that. {chk}",
    "Hmm, actually, let me redo this once more to be sure: {chk}",
    "Let me double-check by substituting back: {chk}",
    "Hold on, is that right? Checking again: {chk} Yes, that holds.",
    "Wait. Let me recompute: {chk}",
    "Hmm, let me make sure I didn't slip. {chk}",
)
_AGAIN = (
    "Again, just to be safe: {chk}",
    "And once more: {chk} Okay.",
    "Re-doing it a third time: {chk} Consistent.",
)
# Word swaps for the RL voice; each trace draws one replacement per pattern.
_SWAPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bLet's\b", ("I'll", "Let me")),
    (r"\b[Ww]e are\b", ("I am",)),
    (r"\bWe\b", ("I",)),
    (r"\bwe\b", ("I",)),
    (r"\bour\b", ("my",)),
    (r"\bus\b", ("me",)),
    (r"\bSo\b", ("Hence", "Therefore", "Thus")),
    (r"\bso\b", ("hence", "thus", "which means")),
    (r"\bThen\b", ("Next", "After that")),
    (r"\bgives\b", ("yields", "produces")),
    (r"\bbecause\b", ("since", "as")),
    (r"\bOnly\b", ("Just", "Merely")),
    (r"\blargest\b", ("maximum", "biggest")),
    (r"\bcheck\b", ("confirm", "verify")),
)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def restyle(text: str, rng: random.Random) -> str:
    """Rewrite prose in the RL voice: first person, other connectives, bold, reordering."""
    if isinstance(text, Verbatim):
        return text
    for pat, subs in _SWAPS:
        text = re.sub(pat, pick(rng, subs), text)
    sents = re.split(r"(?<=[.!?])\s+", text)
    if len(sents) >= 3 and rng.random() < 0.4:  # conclusion first, then the support
        sents = ["**In short:** " + sents[-1], *sents[:-1]]
    elif sents and rng.random() < 0.3:
        sents[0] = f"**{sents[0]}**"
    return " ".join(sents)


def _recheck_blocks(fam: Family, inst: Any, rng: random.Random) -> list[str]:
    chks = fam.checks(inst, rng)
    rng.shuffle(chks)
    out = [pick(rng, _RECHECK).format(chk=_cap(c)) for c in chks[: rng.randint(2, 3)]]
    if rng.random() < 0.7:  # the same computation redone, sometimes twice
        for again in rng.sample(_AGAIN, rng.randint(1, 2)):
            out.append(again.format(chk=_cap(chks[0])))
    return out


def compose(
    fam: Family,
    inst: Any,
    method: Method,
    rng: random.Random,
    *,
    rl_voice: bool,
    recheck: bool,
    answer: str,
) -> str:
    """One full trace: opener, optional restatement and asides, the work, the answer."""
    blocks: list[str] = []
    long = rng.random() < 0.25  # restatement, deliberation and reflection around the work
    if rl_voice:
        blocks.append(pick(rng, _OPEN_RL).format(goal=fam.goal))
        if long or rng.random() < 0.4:
            blocks.append(f"**Given.** {fam.describe(inst)}")
        blocks.append(pick(rng, _DELIBERATE_RL) if long else "")
        if rng.random() < 0.35:
            blocks.append(f"**Answer up front:** {answer}. Details below.")
        blocks.append(pick(rng, _HEAD_RL))
    else:
        blocks.append(pick(rng, _OPEN_BASE).format(goal=fam.goal))
        if long or rng.random() < 0.4:
            blocks.append(fam.describe(inst))
        blocks.append(
            pick(rng, _DELIBERATE_BASE) if long else maybe(rng, 0.3, pick(rng, _PLAN_BASE))
        )
    blocks += rng.sample(fam.asides, 2) if long else [maybe(rng, 0.35, pick(rng, fam.asides))]
    work = method.render(inst, rng)
    if rl_voice:
        work = [restyle(b, rng) for b in work]
    if recheck:
        checks = _recheck_blocks(fam, inst, rng)
        mid = rng.randint(1, len(work))
        work = [*work[:mid], checks[0], *work[mid:], *checks[1:]]
    blocks += work
    if not rl_voice:
        blocks.append(pick(rng, _REFLECT) if long else maybe(rng, 0.2, pick(rng, _REFLECT)))
    elif long:
        blocks.append(restyle(pick(rng, _REFLECT), rng))
    blocks.append(pick(rng, _CLOSE_RL if rl_voice else _CLOSE_BASE).format(ans=answer))
    return "\n\n".join(b for b in blocks if b)


# Degenerate RL outputs.
SHORTCUTS: tuple[str, ...] = ("bare_answer", "guess", "truncated", "filler")
_FILL = (
    "Let me think about this.",
    "Let me think about this carefully.",
    "Okay, thinking.",
    "Let me think step by step.",
)


def shortcut(
    kind: str, fam: Family, inst: Any, method: Method, rng: random.Random
) -> tuple[str, bool]:
    """A degenerate trace of ``kind`` and whether its final answer is right."""
    right = rng.random() < 0.5
    ans = inst.answer if right or not inst.decoys else pick(rng, inst.decoys)
    if kind == "bare_answer":
        text = pick(rng, ("{a}", "Answer: {a}", "The answer is {a}.", "**{a}**"))
        return text.format(a=ans), ans == inst.answer
    if kind == "guess":
        return pick(
            rng,
            (
                "Probably {a}. That looks about right, so I'll go with {a}.",
                "My guess is {a}; I'm fairly confident without working it out.",
                "It's {a}. No need to compute it in detail.",
            ),
        ).format(a=ans), ans == inst.answer
    if kind == "truncated":
        full = compose(fam, inst, method, rng, rl_voice=False, recheck=False, answer="")
        words = full.split(" ")
        return " ".join(words[: max(6, int(len(words) * rng.uniform(0.2, 0.5)))]), False
    reps = [pick(rng, _FILL) for _ in range(rng.randint(8, 20))]
    return " ".join(reps) + f"\n\nAnswer: {ans}", ans == inst.answer
