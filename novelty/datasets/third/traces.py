"""Base-style traces: restate the problem, work one method, state the answer."""

from __future__ import annotations

from random import Random
from typing import Any

from .core import Family, Method
from .phrasing import DIGRESSIONS, Ph
from .segments import Segment, shape

RESTATE_LEADS = ("", "", "Problem: ", "We are asked the following. ", "Restating the task: ")
BASE_ANSWERS = ("Answer: {}", "So the answer is {}.", "**Answer:** {}", "Final answer: {}")


def work(
    fam: Family, method: Method, inst: Any, slip: bool, rng: Random
) -> tuple[Any, list[str], Any]:
    """Render the method on the instance, or on a misread copy when the trace slips.

    A slip retries misreadings until the method's answer actually changes, so a slipped trace
    is wrong for a visible reason (a copied number is off), not by a random answer swap.
    """
    ph = Ph(rng)
    if slip:
        truth = fam.solve(inst)
        for _ in range(12):
            worked = fam.perturb(inst, rng)
            lines, ans = method.render(worked, ph)
            if ans != truth:
                return worked, lines, ans
    lines, ans = method.render(inst, ph)
    return inst, lines, ans


def lengthen(segments: list[Segment], fam: Family, inst: Any, rng: Random) -> list[Segment]:
    """Make a long trace: a false start, the problem restated again, a step redone."""
    ph = Ph(rng)
    out = list(segments)
    body = [i for i, (k, _) in enumerate(out) if k == "body"]
    first = body[0] if body else len(out) - 1
    out.insert(first, ("aside", rng.choice(DIGRESSIONS)))
    mid = min(first + 1 + max(1, len(body) // 2), len(out) - 1)
    again = ph.pick("Let us reread the problem once more. ", "To be sure of the data: ", "Again: ")
    out.insert(mid, ("aside", again + fam.restate(inst, ph)))
    redo = [t for k, t in out if k == "body" and shape(t) in ("prose", "list", "lines")]
    if redo:
        lead = ph.pick(
            "Let us redo that step to be safe.",
            "Going over the previous step again:",
            "Wait, we should double check that part.",
        )
        out[-1:-1] = [("aside", lead), ("body", rng.choice(redo))]
    out.insert(len(out) - 1, ("aside", rng.choice(DIGRESSIONS)))
    return out


def base_segments(
    fam: Family, method: Method, inst: Any, lines: list[str], ans: Any, rng: Random
) -> list[Segment]:
    """A trace in the base model's voice: plain restatement, the working, a plain answer."""
    ph = Ph(rng)
    segs: list[Segment] = [("restate", fam.restate(inst, ph))]
    filler = ph.filler(0.3)
    if filler:
        segs.append(("filler", filler))
    for line in lines:
        segs.append(("body", line))
        extra = ph.filler(0.1)
        if extra:
            segs.append(("filler", extra))
    segs.append(("answer", fam.show(inst, ans)))
    return segs


def base_text(segments: list[Segment], rng: Random) -> list[Segment]:
    """Finish a base-voice trace: a plain lead-in and one of the base answer formats."""
    lead, fmt = rng.choice(RESTATE_LEADS), rng.choice(BASE_ANSWERS)
    out = []
    for k, t in segments:
        if k == "restate":
            t = lead + t
        elif k == "answer":
            t = fmt.format(t)
        out.append((k, t))
    return out
