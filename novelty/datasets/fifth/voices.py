"""Turning a method's pieces into a finished trace, in the ordinary voice or a restyled one.

The ordinary voice varies the way samples vary (openers, restatements, planning, asides,
<think> wrapping, answer-line forms).  Restyle voices (headers, bold, first person, terse,
answer first, reworded connectives, numbered steps) are never used by the ordinary voice,
so a restyled trace differs in wording while doing the same computation.  Re-checking
appends 2-4 verification passes, sometimes a full redo of the method.
"""

from __future__ import annotations

import random
import re

from .core import Family, Instance, Method, Pen

VOICES: tuple[str, ...] = (
    "headers",
    "first_person",
    "terse",
    "answer_first",
    "reworded",
    "bold",
    "numbered_steps",
)

PLANNING = (
    "Let me make sure I understand what is being asked before computing anything.",
    "There are a couple of ways to do this; I'll pick one and keep every intermediate value "
    "written down so mistakes are easy to spot.",
    "The main risk is an off-by-one or a sign error, so I'll be careful with the bookkeeping.",
    "I'll set things up first, then do the computation, then sanity-check the result.",
    "Nothing here needs anything clever, but the details have to be right.",
    "Everything needed is in the statement; there are no hidden assumptions to make.",
    "Before diving in, it's worth estimating roughly what size of answer to expect.",
    "I don't want to rely on memory for this, so I'll work it out explicitly.",
    "It's easy to misread a problem like this, so let me re-read the numbers once.",
    "A systematic approach beats guessing here, even if it takes a few more lines.",
)
GENERIC_ASIDES = (
    "(Just to be clear about the conventions before going on.)",
    "Side note: I'm keeping exact values until the very end.",
    "One thing to watch is not to double count anything.",
    "I briefly considered a shortcut, but the direct way is safer.",
    "This part is mechanical, so I'll go quickly.",
)
CLOSERS = (
    "That looks consistent with the rough estimate.",
    "The result is in a sensible range.",
    "Nothing in the steps above looks off.",
    "I'm fairly confident in that.",
    "Each step follows from the previous one, so I'll go with it.",
    "That settles it.",
    "Looks right.",
    "No loose ends that I can see.",
    "Good.",
    "That's the value asked for.",
    "Seems solid.",
)
MUSINGS = (
    "Hmm, let me slow down here, because this is exactly the kind of step where mistakes creep in.",
    "I want the intermediate values visible so that, if the final answer looks odd, I can "
    "trace back where it went wrong.",
    "There's a temptation to pattern-match to a similar problem I've seen before, but the "
    "details here could differ, so I'll stick to the numbers actually given.",
    "It helps to think about what a wrong answer would look like: usually it comes from "
    "forgetting one of the conditions in the statement.",
    "Okay, that part is settled. On to the next piece.",
    "I'll write this out fully rather than skipping steps, even if it gets a bit verbose.",
    "Let me pause and make sure the labels and units are consistent before continuing.",
    "This agrees with what I'd expect intuitively, which is reassuring, although intuition "
    "is not a proof.",
    "If I had to explain this to someone else, I'd say the key is to organise the work so "
    "that nothing is counted twice and nothing is skipped.",
    "I'm going to be a little pedantic here, since a single slip changes the final answer.",
    "From here on the remaining work is just careful bookkeeping.",
    "Is there an edge case hiding in the statement, like an empty case or a tie? I don't "
    "think so; the numbers are all ordinary.",
    "The question asks for a single value, so at the end I should state exactly that and "
    "nothing more.",
    "Actually, wait. Let me re-read that last line before building on it. Fine, it holds.",
    "I could try to be clever here, but a plain systematic pass is less error-prone.",
    "Just to keep track of where I am: the setup is done and the main computation is next.",
    "A quick mental estimate first, then the exact value, is usually a good habit.",
    "Good, nothing surprising so far.",
)
REFLECT = (
    "Let me also make sure I answered the question that was actually asked: {q}",
    "Re-reading the question once more: {q} Yes, that is what I computed.",
    "Going back to the statement to check I haven't dropped a condition: {q}",
)
RECAP = (
    "To recap the approach: {how}",
    "Summary of what I did: {how}",
    "In short, the plan was: {how}",
)
SHORT_OPENERS = (
    "Okay.",
    "Let's see.",
    "Alright, let's work this out.",
    "Straightforward enough.",
    "Hmm, let me think.",
    "Okay, let's do this carefully.",
    "Right.",
    "This should be quick.",
    "Let me set this up.",
    "Fine, let's go.",
    "Good, a concrete one.",
    "Let's get started.",
    "Okay, so.",
    "Let me work through it.",
)


def unit_of(inst: Instance, ans: str) -> str:
    """' moves' / ' move': the unit word with a leading space, singular for 1."""
    if not inst.unit:
        return ""
    return " " + (inst.unit[:-1] if ans == "1" and inst.unit.endswith("s") else inst.unit)


def answer_line(inst: Instance, rng: random.Random, ans: str) -> str:
    """The final answer in one of several ordinary forms."""
    unit = unit_of(inst, ans) if rng.random() < 0.5 else ""
    forms = (
        f"Final answer: {ans}{unit}",
        f"Final answer: {ans}",
        f"Final Answer: {ans}{unit}",
        f"So the final answer is {ans}.",
        f"Therefore the answer is {ans}{unit}.",
        f"Answer = {ans}",
        f"**{ans}**" if rng.random() < 0.3 else f"Final: {ans}{unit}",
        f"Answer: {ans}{unit}",
        f"So the answer is {ans}{unit}.",
        f"\\boxed{{{ans}}}",
        f"The answer is {ans}{unit}.",
        f"ANSWER: {ans}",
        f"=> {ans}{unit}",
    )
    return rng.choice(forms)


def _opener(inst: Instance, rng: random.Random, long: bool) -> list[str]:
    """Restatement and planning paragraphs; long traces get several."""
    if long:
        head = rng.choice(["Restating the problem:", "The problem:", "So, the setup.", ""])
        plan = rng.sample(PLANNING, rng.randint(4, 7))
        return [f"{head} {inst.prompt}".strip(), " ".join(plan)]
    r = rng.random()
    if r < 0.2:
        return []
    if r < 0.6:
        return [rng.choice(SHORT_OPENERS)]
    if r < 0.85:
        return [rng.choice(["We're asked:", "Question:", "Task:"]) + " " + _first(inst.prompt)]
    return [rng.choice(PLANNING)]


def _first(text: str) -> str:
    """The question sentence of a prompt (its last sentence)."""
    sents = re.split(r"(?<=[.?])\s+", text.strip())
    asks = [x for x in sents if x.endswith("?")]
    return asks[-1] if asks else sents[-1]


def recheck_parts(
    fam: Family, inst: Instance, method: Method, rng: random.Random, ans: str
) -> list[tuple[str, str]]:
    """Two to four verification passes appended after the work."""
    n = rng.randint(2, 4)
    parts: list[tuple[str, str]] = []
    pool = fam.checks(inst)
    rng.shuffle(pool)
    if rng.random() < 0.4:
        intro = rng.choice(
            [
                "Let me redo the whole thing once more to be sure.",
                "Recomputing from scratch:",
                "Wait, let me verify by doing it again.",
            ]
        )
        parts.append(("say", intro))
        pen = Pen(rng)
        method.render(inst, pen, ans)
        parts += pen.parts
        parts.append(("say", rng.choice(["Same result.", "Yes, same again.", "It matches."])))
        n -= 1
    wraps = (
        "Let me verify: {c} Yes.",
        "Double-check: {c}",
        "Hmm, let me make sure. {c} OK, consistent.",
        "Verify once more - {c} Good.",
        "Sanity check: {c}",
        "Recompute: {c} Yes.",
    )
    for c in pool[:n]:
        parts.append(("say", rng.choice(wraps).format(c=c)))
    parts.append(("say", rng.choice([f"So yes, {ans}.", f"Confirmed: {ans}.", "All checks pass."])))
    return parts


# -- ordinary wording variation: one alternative per rule per sample --------------------
PARAPHRASE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bSo\b", ("So", "So", "Thus", "That means")),
    (r"\bso\b", ("so", "so", "therefore", "and so")),
    (r"\bgives\b", ("gives", "comes to", "makes")),
    (r"\bFirst\b", ("First", "To start")),
    (r"\bexactly\b", ("exactly", "precisely")),
    (r"\bevery\b", ("every", "each")),
    (r"\bnumber\b", ("number", "count")),
    (r"\bcan't\b", ("can't", "cannot")),
    (r"\bdon't\b", ("don't", "do not")),
    (r"\bIt's\b", ("It's", "It is")),
    (r"\bLet me\b", ("Let me", "Let me", "I want to")),
    (r"\bminimum\b", ("minimum", "smallest possible")),
    (r"\bgets\b", ("gets", "receives")),
    (r"\bwe\b", ("we", "we", "you")),
)


def paraphrase(parts: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, str]]:
    """Apply one drawn wording per rule to every sentence piece of a sample."""
    rules = [(pat, rng.choice(alts)) for pat, alts in PARAPHRASE]
    out = []
    for kind, text in parts:
        if kind == "say":
            for pat, rep in rules:
                text = re.sub(pat, rep, text)
        out.append((kind, text))
    return out


# -- restyle transforms (never used by the ordinary voice) -------------------------------
FIRST_PERSON = (
    (r"\bWe're\b", "I'm"),
    (r"\bwe're\b", "I'm"),
    (r"\bLet's\b", "I'll"),
    (r"\blet's\b", "I'll"),
    (r"\bWe\b", "I"),
    (r"\bwe\b", "I"),
    (r"\bour\b", "my"),
    (r"\bus\b", "me"),
    (r"\bLet me\b", "I'm going to"),
    (r"\bThat is\b", "I make that"),
    (r"\bThe answer\b", "My answer"),
)
REWORD = (
    (r"\bSo\b", "Hence"),
    (r"\bso\b", "hence"),
    (r"\bThen\b", "Next"),
    (r"\bFirst\b", "To begin with"),
    (r"\bgives\b", "yields"),
    (r"\bthat is\b", "i.e."),
    (r"\bThat is\b", "This amounts to"),
    (r"\bbecause\b", "since"),
    (r"(?<!-)\bcheck\b", "confirm"),
    (r"\bnumber of\b", "count of"),
    (r"\bLet me\b", "I shall"),
    (r"\bcompute\b", "evaluate"),
    (r"\bAnother\b", "An alternative"),
)
FILLER = r"^(Okay|Alright|Hmm|So|Now|Well|Let's see)[,.]?\s+"


def _sub_all(text: str, rules: tuple[tuple[str, str], ...]) -> str:
    for pat, rep in rules:
        text = re.sub(pat, rep, text)
    return text


def _bold_numbers(text: str) -> str:
    return re.sub(r"(?<![\w*.^/:+-])(\d+(?:[.:]\d+)*)(?![\w*:^])", r"**\1**", text)


def _terse(text: str) -> str:
    """Keep at most two sentences that carry numbers; drop number-free chatter entirely."""
    text = re.sub(FILLER, "", text)
    sents = re.split(r"(?<=[.!?])\s+", text)
    keep = [s for s in sents if re.search(r"\d", s)]
    out = " ".join(keep[:2])
    return out[:1].upper() + out[1:] if out else out


def apply_voice(
    voice: str,
    opener: list[str],
    parts: list[tuple[str, str]],
    inst: Instance,
    rng: random.Random,
    ans: str,
) -> tuple[list[str], list[tuple[str, str]], str]:
    """Restyle opener, body sentences and answer line for one voice."""
    unit = unit_of(inst, ans)
    if voice == "headers":
        plan = rng.choice(
            [
                "Work it out directly, then check the result.",
                "Set up the quantities, compute, verify.",
                "One systematic pass over the data.",
            ]
        )
        opener = ["## Problem", _first(inst.prompt), "## Approach", plan]
        parts = [("say", "## Work"), *parts]
        return opener, parts, f"## Answer\n**{ans}**{unit}"
    if voice == "first_person":
        opener = [
            rng.choice(["Alright, I'll work through this myself.", "I'll take it step by step."])
        ]
        parts = [(k, _sub_all(t, FIRST_PERSON) if k == "say" else t) for k, t in parts]
        return opener, parts, rng.choice([f"I get {ans}{unit}.", f"My answer: {ans}{unit}."])
    if voice == "terse":
        parts = [(k, _terse(t) if k == "say" else t) for k, t in parts]
        parts = [(k, t) for k, t in parts if t]
        return [], parts, rng.choice([f"→ {ans}", f"∴ {ans}{unit}", f"ans = {ans}"])
    if voice == "answer_first":
        top = rng.choice([f"Answer: {ans}{unit}.", f"**{ans}**{unit}.", f"It's {ans}{unit}."])
        why = rng.choice(["Why:", "Reasoning below.", "Justification:"])
        return [top, why], parts, rng.choice([f"(= {ans})", f"Hence {ans}.", f"Again: {ans}."])
    if voice == "reworded":
        opener = [_sub_all(o, REWORD) for o in opener]
        parts = [(k, _sub_all(t, REWORD) if k == "say" else t) for k, t in parts]
        return opener, parts, rng.choice([f"Therefore: {ans}{unit}.", f"Result: {ans}{unit}"])
    if voice == "bold":
        parts = [(k, _bold_numbers(t) if k == "say" else t) for k, t in parts]
        return opener, parts, f"**Final answer: {ans}**"
    # numbered_steps
    out, k = [], 0
    for kind, t in parts:
        if kind == "say":
            k += 1
            t = f"Step {k}: {t}"
        out.append((kind, t))
    return opener, out, f"Conclusion: {ans}{unit}."


def write(
    fam: Family,
    inst: Instance,
    method: Method,
    rng: random.Random,
    ans: str,
    *,
    long: bool,
    think: bool,
    voices: tuple[str, ...] = (),
    recheck: bool = False,
) -> str:
    """A complete trace for one method, ending in a stated final answer."""
    long = long and "terse" not in voices
    pen = Pen(rng)
    method.render(inst, pen, ans)
    parts = list(pen.parts)
    if long or rng.random() < 0.2:
        asides = list(fam.asides) + list(GENERIC_ASIDES)
        for _ in range(3 if long else 1):
            at = rng.randint(0, len(parts))
            parts.insert(at, ("say", rng.choice(asides)))
    if recheck:
        parts += recheck_parts(fam, inst, method, rng, ans)
    opener = _opener(inst, rng, long)
    if long:
        how = (method.render.__doc__ or "").strip()
        if how:
            parts.append(("say", rng.choice(RECAP).format(how=how)))
        q = _first(inst.prompt)
        parts.append(
            ("say", rng.choice(REFLECT).format(q=q) + " " + " ".join(rng.sample(CLOSERS, 2)))
        )
    elif rng.random() < 0.5:
        parts.append(("say", rng.choice(CLOSERS)))
    if long:
        _pad(opener, parts, rng)
    parts = paraphrase(parts, rng)
    final = answer_line(inst, rng, ans)
    for voice in voices:
        opener, parts, final = apply_voice(voice, opener, parts, inst, rng, ans)
    body = "\n\n".join([*opener, *(t for _, t in parts)])
    if think:
        return f"<think>\n{body}\n</think>\n\n{final}"
    return f"{body}\n\n{final}"


def _pad(opener: list[str], parts: list[tuple[str, str]], rng: random.Random) -> None:
    """Long traces ramble: add musings between pieces until a drawn word target is met."""
    target = rng.randint(310, 520)
    pool = list(MUSINGS)
    rng.shuffle(pool)

    def words() -> int:
        return sum(len(o.split()) for o in opener) + sum(len(t.split()) for _, t in parts)

    while pool and words() < target:
        k = min(len(pool), rng.choice([1, 1, 2, 3]))
        para = " ".join(pool.pop() for _ in range(k))
        parts.insert(rng.randint(0, len(parts)), ("say", para))
