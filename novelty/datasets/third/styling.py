"""The RL voice: per-line rewording, headers, openers, verbosity and answer format.

Restyled traces keep the method (same steps, numbers, tables and code) but change how every
prose line is worded, so a detector keyed on wording alone would be fooled.
"""

from __future__ import annotations

import re
from random import Random

from .segments import Segment, shape

OPENERS = (
    "Let me think about this step by step.",
    "Okay, let me work through this carefully.",
    "Alright, let's see what we're dealing with here.",
    "Hmm, let me think about how to approach this.",
    "Let me break this problem down.",
)
RESTATE_LEADS = (
    "So the problem says: ",
    "Let me restate what's being asked. ",
    "First, let me make sure I understand the setup. ",
    "Restating the question in my own words: ",
)
HEADERS = (
    ("## Understanding the Problem", "## Solution", "## Final Answer"),
    ("### Step 1: Parse the problem", "### Step 2: Work it out", "### Step 3: Conclusion"),
    ("**Problem setup**", "**Approach**", "**Answer**"),
)
COMMENTS = (
    "That makes sense.",
    "Good, that's consistent so far.",
    "Let me pause and make sure this is right. Yes, it is.",
    "This is the key step.",
    "Okay, so far so good.",
    "I should be careful here not to make an arithmetic slip.",
)
RL_FILLERS = (
    "Let me keep track of everything carefully.",
    "I want to be systematic about this.",
    "This should be straightforward if I'm careful.",
)
MARKERS = ("Okay, ", "Right, ", "Now, ", "So, ", "Alright, ", "Hmm, ")
STOPS = ("Okay. ", "Right. ", "Alright. ", "Hmm. ", "Good. ")
LOWER_OK = {
    "the", "a", "an", "this", "that", "it", "each", "every", "there", "with", "any", "all",
    "both", "from", "for", "in", "on", "one", "two", "after", "adding", "dividing", "sorted",
    "only", "no", "nothing", "output", "running", "reading", "summing", "sum", "total",
    "these", "state", "slot", "key", "shift", "greedy", "imagine", "choose", "work", "use",
    "combine", "count", "tabulate", "convert", "go", "pair", "take", "sort", "process",
    "explore", "instead", "backward", "think", "strategy", "playing", "here", "letter",
    "remaining", "unmatched", "claim", "base", "step", "inductively", "brute", "standard",
    "rates", "hour", "result", "we", "let's", "some", "more", "most", "many",
}  # fmt: skip

# One pass over the text, so "since" -> "because" cannot be undone by "because" -> "since".
WORDS: dict[str, tuple[str, ...]] = {
    "we are": ("I am",),
    "we're": ("I'm",),
    "we've": ("I've",),
    "let's": ("let me", "I'll"),
    "let us": ("let me",),
    "we": ("I",),
    "our": ("my",),
    "which means": ("meaning", "so"),
    "gives": ("yields", "produces"),
    "giving": ("yielding", "producing"),
    "is equal to": ("equals",),
    "the answer": ("the result", "the final result"),
    "namely": ("specifically", "that is,"),
    "in total": ("altogether", "overall"),
    "compute": ("work out", "calculate"),
    "check": ("verify", "confirm"),
    "simply": ("just",),
    "natural": ("obvious", "reasonable"),
    "quick": ("short", "simple"),
    "easiest": ("simplest",),
    "suppose": ("say", "assume"),
    "assume": ("suppose", "posit"),
    "try": ("test", "consider"),
    "find": ("figure out", "determine"),
    "however": ("but", "that said"),
    "indeed": ("in fact", "sure enough"),
    "standard": ("classic", "usual"),
    "prints": ("outputs", "spits out"),
    "because": ("since", "as"),
    "since": ("because", "given that"),
    "there are": ("I count", "there turn out to be"),
    "so far so good": ("nothing wrong yet", "still fine"),
    "no contradiction yet": ("still consistent", "nothing breaks"),
    "contradiction": ("conflict", "inconsistency"),
    "so the": ("therefore the", "this means the"),
    "hence": ("this tells me", "consequently"),
    "thus": ("so", "therefore"),
    "therefore": ("so", "thus"),
    "then": ("next", "after that"),
    "now": ("next", "at this point"),
    "finally": ("lastly", "to wrap up"),
    "here is": ("below is", "this is"),
    "here's": ("this is",),
    "let me": ("I'll", "I want to"),
    "it": ("this",),
    "each": ("every",),
    "every": ("each",),
    "get": ("obtain", "end up with"),
    "the only": ("the single", "the unique"),
    "exactly one": ("precisely one", "one and only one"),
    "exactly": ("precisely",),
    "lands on": ("falls on",),
    "falls on": ("lands on", "is"),
    "moves": ("shifts", "pushes"),
    "after": ("following",),
    "number of": ("count of",),
    "must": ("have to", "need to"),
    "whole": ("entire",),
    "best": ("optimal", "top"),
    "largest": ("biggest",),
    "smallest": ("lowest", "least"),
    "maximum": ("max", "highest"),
    "minimum": ("min", "lowest possible"),
    "sum": ("total",),
    "add up to": ("sum to", "total"),
    "directly": ("straight away", "right away"),
    "instead": ("rather",),
    "simulate": ("play out",),
    "tabulate": ("lay out",),
    "answer": ("result",),
    "can": ("could",),
    "need": ("have", "want"),
    "using": ("with",),
    "means": ("implies", "tells me"),
    "for us": ("for me",),
    "has": ("contains", "has got"),
}
OPTIONAL = {"it", "each", "every", "try", "get", "can", "sum", "has", "best", "need", "after"}
_KEYS = "|".join(re.escape(k) for k in sorted(WORDS, key=len, reverse=True))
_WORD_RE = re.compile(r"(?<![\w$\\])(" + _KEYS + r")\b", re.IGNORECASE)
_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z$])")
_PROTECT = re.compile(r"(\$[^$]*\$|`[^`]*`|\"[^\"]*\")")
_ITEM = re.compile(r"^(\s*)(\d+)\.\s+|^(\s*)[-*]\s+")


def _match_case(src: str, rep: str) -> str:
    return rep[0].upper() + rep[1:] if src[0].isupper() else rep


def reword(sentence: str, rng: Random, marker: bool = True) -> str:
    """Paraphrase one sentence: swap words and connectives, often add a discourse marker."""
    pieces = _PROTECT.split(sentence)
    changed = False
    for i in range(0, len(pieces), 2):  # odd pieces are math, code or quotes: left alone

        def sub(m: re.Match[str]) -> str:
            nonlocal changed
            # Common short words stay with some chance, for variety; pronouns always change.
            if m.group(0).lower() in OPTIONAL and rng.random() < 0.4:
                return m.group(0)
            changed = True
            return _match_case(m.group(0), rng.choice(WORDS[m.group(0).lower()]))

        pieces[i] = _WORD_RE.sub(sub, pieces[i])
    out = "".join(pieces).replace("I am told", "I'm told")
    if ", so " in out and rng.random() < 0.8:
        out = out.replace(", so ", rng.choice((", which means ", ", meaning ", ", hence ")), 1)
        changed = True
    if marker and rng.random() < (0.7 if not changed else 0.2):
        first = out.split(" ", 1)[0]
        word = first.lower().strip(",:")
        if len(first) > 1 and word in LOWER_OK:
            out = rng.choice(MARKERS) + out[0].lower() + out[1:]
        elif first not in ("I", "I'm", "I'll"):
            out = rng.choice(STOPS) + out
        else:
            out = rng.choice(MARKERS) + out
    return out


def reword_prose(text: str, rng: Random, first_marker: bool = True) -> str:
    sentences = [s for s in _SENT_RE.split(text.strip()) if s]
    return " ".join(reword(s, rng, first_marker or i > 0) for i, s in enumerate(sentences))


def _reword_item(line: str, rng: Random, numbered_as: str) -> str:
    m = _ITEM.match(line)
    if not m:
        return line
    rest = reword_prose(line[m.end() :], rng, first_marker=False)
    if m.group(2):
        n = m.group(2)
        return {"step": f"**Step {n}:** {rest}", "paren": f"{n}) {rest}"}.get(
            numbered_as, f"{n}. {rest}"
        )
    return f"* {rest}" if numbered_as != "bullet" else f"• {rest}"


def _reword_code(text: str, rng: Random) -> str:
    out = []
    for line in text.split("\n"):
        code, hash_, comment = line.partition("# ")
        if hash_ and code.strip() == "":
            line = f"{code}# {reword_prose(comment, rng)}"
        out.append(line)
    return "\n".join(out)


def restyle_body(text: str, rng: Random, numbered_as: str) -> str:
    """Reword one body segment according to its shape, leaving computations intact."""
    kind = shape(text)
    if kind == "prose":
        return reword_prose(text, rng)
    if kind == "list":
        return "\n".join(_reword_item(x, rng, numbered_as) for x in text.split("\n"))
    if kind == "code":
        return _reword_code(text, rng)
    return text


def answer_line(ans: str, rng: Random) -> str:
    return rng.choice(
        (
            f"**Final Answer:** $\\boxed{{\\text{{{ans}}}}}$",
            f"Therefore, the final answer is $\\boxed{{\\text{{{ans}}}}}$.",
            f"**Answer: {ans}**",
            f"So my final answer is: **{ans}** ✓",
        )
    )


def restyle(segments: list[Segment], rng: Random) -> list[Segment]:
    """Rewrite a base-style trace in the RL voice."""
    verbose = rng.random() < 0.5
    headers = rng.choice(HEADERS) if rng.random() < 0.6 else None
    numbered_as = rng.choice(("step", "paren", "keep", "bullet"))
    out: list[Segment] = [("opener", rng.choice(OPENERS))]
    body_started = False
    for kind, text in segments:
        if kind == "restate":
            if headers and not body_started and out[-1][0] == "opener":
                out.append(("note", headers[0]))
            out.append((kind, rng.choice(RESTATE_LEADS) + reword_prose(text, rng, False)))
        elif kind == "filler":
            unused = [f for f in RL_FILLERS if (kind, f) not in out]
            if verbose and unused:
                out.append((kind, rng.choice(unused)))
        elif kind == "answer":
            if headers:
                out.append(("note", headers[2]))
            out.append((kind, answer_line(text, rng)))
        elif kind == "opener":
            continue
        else:
            if headers and not body_started:
                out.append(("note", headers[1]))
            body_started = True
            out.append((kind, restyle_body(text, rng, numbered_as)))
            if verbose and kind == "body" and rng.random() < 0.35:
                out.append(("note", rng.choice(COMMENTS)))
    return out
