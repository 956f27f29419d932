"""Degenerate traces: answers without a method, loops, truncation and filler.

Each returns the text and the answer it states (None when it never states one), so the
caller can mark correctness honestly.
"""

from __future__ import annotations

import random

from .core import Family, Instance, Pen

KINDS: tuple[str, ...] = (
    "bare_answer",
    "confident_guess",
    "sentence_loop",
    "answer_loop",
    "truncated",
    "filler",
)

GUESSES = (
    "This is a standard one; the answer is clearly {a}.",
    "Obviously {a}. No need to work it out in detail.",
    "By inspection, {a}.",
    "I'm confident it's {a} - I've seen this exact setup before.",
    "Intuitively the answer has to be {a}.",
    "It's well known that this comes out to {a}.",
)
LOOP_SENTENCES = (
    "Let me think about this again.",
    "Wait, let me reconsider.",
    "I need to recount.",
    "Hmm, that doesn't seem right, let me start over.",
    "Let me re-read the question.",
    "Okay, so we need to be careful here.",
)
FILLER = (
    "This problem requires careful consideration of all the relevant factors.",
    "It is important to approach questions like this methodically and thoughtfully.",
    "There are many aspects to consider, and each of them plays a role in the final result.",
    "Problems of this kind test attention to detail as well as understanding.",
    "A good strategy is to break the problem into smaller parts and consider each one.",
    "Keeping the overall goal in mind helps avoid unnecessary complications.",
    "In general, such tasks reward a clear and organised way of thinking.",
    "With all of this in mind, we can now state the result.",
)


def _stated(inst: Instance, rng: random.Random, p_right: float) -> str:
    if not inst.wrong or rng.random() < p_right:
        return inst.answer
    return rng.choice(inst.wrong)


def shortcut(kind: str, fam: Family, inst: Instance, rng: random.Random) -> tuple[str, str | None]:
    """One degenerate trace of the given kind."""
    unit = f" {inst.unit}" if inst.unit else ""  # shortcuts don't bother with grammar
    if kind == "bare_answer":
        a = _stated(inst, rng, 0.5)
        return rng.choice([a, f"Answer: {a}", f"**{a}**", f"{a}{unit}", f"\\boxed{{{a}}}"]), a
    if kind == "confident_guess":
        a = _stated(inst, rng, 0.3)
        text = rng.choice(GUESSES).format(a=a)
        if rng.random() < 0.5:
            text += f"\n\nFinal answer: {a}"
        return text, a
    if kind == "sentence_loop":
        sent = rng.choice(LOOP_SENTENCES)
        text = " ".join([sent] * rng.randint(8, 40))
        if rng.random() < 0.5:
            a = _stated(inst, rng, 0.4)
            return f"{text}\n\nAnswer: {a}", a
        return text, None
    if kind == "answer_loop":
        a = _stated(inst, rng, 0.5)
        unit_word = rng.choice([f"The answer is {a}.", f"{a}.", f"{a}{unit}", f"Answer: {a}"])
        sep = rng.choice([" ", "\n"])
        return sep.join([unit_word] * rng.randint(6, 30)), a
    if kind == "truncated":
        pen = Pen(rng)
        method = rng.choice(fam.methods)
        method.render(inst, pen, inst.answer)
        full = "\n\n".join(t for _, t in pen.parts)
        cut = max(20, int(len(full) * rng.uniform(0.25, 0.6)))
        text = full[:cut].rstrip()
        # never let a cut trace leak a complete final statement
        return text, None
    a = _stated(inst, rng, 0.5)
    text = " ".join(rng.sample(FILLER, rng.randint(3, 6)))
    return f"{text}\n\nAnswer: {a}{unit}", a
