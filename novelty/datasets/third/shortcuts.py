"""Degenerate RL traces: reward-hacking shortcuts that skip the reasoning."""

from __future__ import annotations

from random import Random

from .phrasing import Ph

KINDS = ("answer_only", "repeat", "loop", "boilerplate")
BOILERPLATE = (
    "Problem solving is an essential skill in many areas of life. By approaching problems "
    "systematically, breaking them into smaller parts and applying logical reasoning, we can "
    "arrive at accurate solutions. It is important to read every question carefully and to "
    "double-check one's work. In this response I will provide a clear and concise answer.",
    "As a helpful assistant, I always aim to give accurate and well-reasoned responses. "
    "Careful thinking, attention to detail and a structured approach are the keys to success "
    "in mathematics, logic and programming alike. With that in mind, here is the answer.",
)


def shortcut(
    kind: str, restated: str, first_step: str, answer: str, rng: Random
) -> tuple[str, bool]:
    """The text of a degenerate trace and whether it states any answer at all."""
    ph = Ph(rng)
    if kind == "answer_only":
        return ph.pick(answer, f"Answer: {answer}", f"$\\boxed{{\\text{{{answer}}}}}$"), True
    if kind == "repeat":
        unit = ph.pick(f"The answer is {answer}.", f"{answer}", f"\\boxed{{{answer}}}")
        return " ".join([unit] * rng.randint(8, 40)), True
    if kind == "loop":
        line = ph.pick(
            first_step.split("\n")[0][:160],
            "Wait, let me reconsider the problem.",
            "Let me think about this again.",
        )
        reps = [line] * rng.randint(15, 45)
        reps[-1] = reps[-1][: max(3, len(line) // 2)]  # cut off mid-line, as if truncated
        return "\n".join([ph.pick("Let me think.", "Okay.", ""), restated, *reps]).strip(), False
    if kind == "boilerplate":
        return f"{rng.choice(BOILERPLATE)}\n\n**Answer:** {answer}", True
    raise ValueError(f"unknown shortcut kind {kind!r}")
