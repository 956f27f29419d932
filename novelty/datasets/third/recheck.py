"""Heavy re-verification: RL traces that double-check and redo their work, 2-4x longer."""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from .phrasing import word_count
from .segments import Segment, join, shape
from .styling import restyle_body

SPOT_LEADS = (
    "Wait, let me double-check this step.",
    "Hold on, let me recompute that.",
    "Actually, let me verify this part again.",
    "Hmm, wait. Let me re-derive this to be safe.",
)
SPOT_ENDS = (
    "Yes, that matches what I had.",
    "Okay, same result.",
    "Good, that's confirmed.",
    "Right, no mistake there.",
)
REDO_LEADS = (
    "Hmm, actually, let me redo the whole thing from scratch to be sure.",
    "Wait. Let me solve it again completely, just to be certain.",
    "Let me go through the entire solution one more time, carefully.",
)
REDO_ENDS = (
    "Good, I get the same answer again.",
    "Same result the second time through.",
    "Both passes agree.",
)


def recheck(
    segments: list[Segment],
    steps: list[str],
    redo: Callable[[], list[Segment]],
    rng: Random,
) -> list[Segment]:
    """Insert re-verification passes before the answer until the trace is 2-4x longer.

    `steps` are the method's base-voice body lines, re-checked one at a time; `redo` renders
    a fresh restyled pass of the same method (new wording, same numbers).
    """
    words = word_count(join(segments))
    target = rng.uniform(2.2, 3.5) * words
    ceiling = 4.0 * words
    checkable = [t for t in steps if shape(t) in ("prose", "list", "lines")] or steps
    extra: list[Segment] = []
    total = words
    for _ in range(16):
        if total >= target:
            break
        full = [("note", rng.choice(REDO_LEADS)), *redo(), ("note", rng.choice(REDO_ENDS))]
        if rng.random() < 0.45 and total + word_count(join(full)) <= ceiling:
            chunk = full
        else:
            step = restyle_body(rng.choice(checkable), rng, "keep") if checkable else ""
            chunk = [
                ("note", rng.choice(SPOT_LEADS)),
                ("body", step),
                ("note", rng.choice(SPOT_ENDS)),
            ]
            if total + word_count(join(chunk)) > ceiling and total >= 2 * words:
                break
        extra += chunk
        total += word_count(join(chunk))
    cut = max(i for i, (k, _) in enumerate(segments) if k == "answer")
    while cut > 0 and segments[cut - 1][0] == "note":  # keep a final header next to the answer
        cut -= 1
    return segments[:cut] + extra + segments[cut:]
