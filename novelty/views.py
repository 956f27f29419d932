"""Views: which part of a trace is embedded.

A view maps a trace's text to the text that is embedded, and says how much it kept. Long
views are never cut: the embedder splits them into windows and mean-pools them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from novelty.errors import ConfigError
from novelty.types import Trace, ViewedTexts


def whole_view(text: str) -> str:
    """The whole trace, whitespace-normalised."""
    return " ".join(text.split())


# Step ends: after . or ? and space unless a lower-case word follows ("e.g. the"), after !
# only before a capital: "9! / (3! 6!)" and "9! cancels" are factorials, not exclamations.
_STEP_END = re.compile(r"(?<=[.?])\s+(?![a-z])|(?<=!)\s+(?=[A-Z])")
# Sentence ends: step ends, and line breaks.
_SENTENCE_END = re.compile(_STEP_END.pattern + r"|\n+")

# Sentences that only hesitate or re-check ("Wait, let me double-check that.", "Hmm.",
# "That looks right."): the style RL training adds, not a step of the method. Any run of
# interjections, then nothing, or a phrase of checking or approval.
_INTERJECTION = (
    r"(?:wait|hmm+|hm+|ah+|oh+|ok(?:ay)?|alright|actually|hold on|on second thought|"
    r"yes|good|great|right|so|well|now|just)"
)
_REFLECTION = re.compile(
    rf"^\W*(?:{_INTERJECTION}\b\W*)*(?:$|"
    r"(?:let me|let'?s|i (?:should|need to|will|'ll|want to|must|can)|to|we (?:should|can))\s+"
    r"(?:just |quickly |now |also |first |again |carefully )?(?:double[- ]?)?"
    r"(?:check|verify|confirm|make sure|be (?:safe|sure|careful)|re-?examine|re-?check|"
    r"re-?compute|go back|reconsider|think|see|re-?verify|figure)|"
    r"(?:double[- ])?check(?:ing)?\b|verif(?:y|ying)\b|sanity check|"
    r"(?:that|this|it|everything)(?:'s| is)?\s*(?:seems|looks|checks out|matches|holds|works)\b|"
    r"(?:that|this|it)(?:'s| is) (?:consistent|correct|right|fine)\b|"
    r"is (?:that|this|it) (?:right|correct)|same (?:result|answer)|so far so good"
    r")",
    re.IGNORECASE,
)
# A step that verifies rather than computes ("Check with symmetry: C(9, 3) = C(9, 6).",
# "As a check, 84 * 6 = 504."): RL-trained models check more often, whatever their method.
_VERIFICATION = re.compile(
    rf"^\W*(?:{_INTERJECTION}\b\W*)*(?:let me |let'?s |to |i'?ll )?"
    r"(?:as a |for a |quick |sanity |double[- ]?)?(?:check|verif|confirm)",
    re.IGNORECASE,
)
# Mathematics in a sentence: a digit, an operator or relation, or a LaTeX command. A sentence
# with any of it computes, however it opens ("Okay, so x = 3.").
_MATH = re.compile(r"[0-9=<>+*/^_\\≡√≤≥×·]|\\[A-Za-z]")
# A table: a row of at least two cells between pipes. Its rows are the cases a method works
# through, whatever they hold ("| K | N | ok | x |" has no digit), so it computes.
_TABLE = re.compile(r"\|[^|\n]+\|[^|\n]+\|")


def sentences(text: str) -> list[str]:
    """Split a trace into sentences (and lines), dropping empty pieces."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def is_hesitation(sentence: str) -> bool:
    """True for a sentence that only hesitates or re-checks and computes nothing.

    Both conditions are needed: "Okay, so the discriminant is 49." opens like hesitation but
    is a step of the method, and "Check: 3 + 4 = 7." computes (the steps view drops checks by
    how they open, :data:`_VERIFICATION`).
    """
    return bool(_REFLECTION.match(sentence)) and not _MATH.search(sentence)


def strategy_view(text: str) -> str:
    """The trace without sentences that only hesitate or re-check: the steps of the method.

    RL-trained models add "Wait, let me double-check." style sentences to whatever method
    they use; embedded with the rest, that style moves RL traces away from the base traces.
    Only sentences that compute nothing are dropped: dropping every sentence that opens with
    "Okay," or "Check" also removed steps of the method, more of them from restyled RL traces,
    and lost more planted strategies than keeping all hesitation (README, "How it decides").
    """
    return " ".join(s for s in sentences(text) if not is_hesitation(s))


# A list item's marker at the start of a line ("1.", "2)", "-", "*", "•"): layout, not a step.
_LIST_MARKER = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[-*+\u2022])[ \t]+", re.MULTILINE)


def strategy_steps(text: str) -> list[str]:
    """The trace cut into steps at sentence ends only.

    A line without a sentence end (an equation, a row of a table) stays with the sentence it
    belongs to: cut at every line, a twenty-row table would weigh as twenty steps. A list
    item's marker is dropped first: cut at its full stop, "2." was a step of its own, and a
    computing one (it holds a digit), so a numbered list of cases was half markers, alike in
    every trace that numbers its lines (issue 11; a third of the real question-only traces).
    """
    prose = " ".join(sentences(_LIST_MARKER.sub("", text)))
    return [s for s in _STEP_END.split(prose) if s.strip()]


# A number written with digits; the numbers of a step, in order, say which computation it is.
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def computation_steps(text: str) -> list[str]:
    """The steps of a trace that compute something, each computation once.

    A step computes when it holds mathematics (a digit, an operator, a LaTeX command) and does
    not open as a check; a step whose numbers, in order, repeat an earlier step's is a
    re-derivation and is left out. Hesitation, approval and asides compute nothing, so they
    drop out whatever words they use, and checks and re-derivations do not count: the ways RL
    restyles a trace without changing its method.
    A table computes too, digits or not: a truth table of "K", "N", "ok" and "x" is the
    method of the trace that writes it. Read by its digits alone, a trace whose prose held one
    incidental "2^3 = 8" was that sentence alone, its table dropped, while a trace without one
    kept all its steps (issue 11: a planted truth-table method lay as far from itself as from
    the base methods).
    A trace with no such step (a task without mathematics) keeps all its steps: no phrase
    list decides what a step is (issue 11). Dropping the steps that open like hesitation
    (:func:`is_hesitation`) there changed no strategy verdict on any generator nor on the real
    traces, so the pattern is left to ``--view strategy`` and the cluster descriptions.
    """
    steps = strategy_steps(text)
    math = [
        s for s in steps if (_MATH.search(s) or _TABLE.search(s)) and not _VERIFICATION.match(s)
    ]
    if not math:
        return steps
    seen: set[tuple[str, ...]] = set()
    out = []
    for step in math:
        key = tuple(_NUMBER.findall(step)) or (step,)
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out


# Each view maps a trace to the pieces that are embedded; a trace's vector is the mean of its
# pieces' unit vectors. "steps" (the default) embeds each computing step on its own, so every
# step weighs the same: the steps that carry the method are not drowned by those that restate
# the problem, and in a trace that computes, hesitation in any words never reaches the
# embedder (a trace without mathematics keeps every step: :func:`computation_steps`).
# "strategy" embeds the trace minus hesitation as one text, for traces whose method is in
# words rather than computations; "whole" embeds the whole trace. Pieces longer than the
# embedder's window are split into windows and mean-pooled.
VIEWS: dict[str, Callable[[str], list[str]]] = {
    "steps": computation_steps,
    "strategy": lambda text: [strategy_view(text)],
    "whole": lambda text: [whole_view(text)],
}
DEFAULT_VIEW = "steps"
# What a view's pieces are, as the embedding cache knows them: a sentence is embedded once,
# whatever view selected it.
PIECE_KIND: dict[str, str] = {"steps": "sentence"}


def apply_view(traces: list[Trace], view: str = DEFAULT_VIEW) -> ViewedTexts:
    """Pieces to embed for ``traces`` under ``view``, and the fraction of characters kept."""
    try:
        fn = VIEWS[view]
    except KeyError:
        raise ConfigError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}") from None
    pieces = [[p for p in fn(t.text) if p.strip()] for t in traces]
    texts = [" ".join(p) for p in pieces]
    kept = np.array(
        [len(v) / max(len(t.text.strip()), 1) for v, t in zip(texts, traces, strict=True)],
        dtype=np.float64,
    )
    # A view that keeps nothing falls back to the whole text rather than embedding "".
    for i, t in enumerate(traces):
        if not pieces[i]:
            pieces[i] = [whole_view(t.text)]
    return ViewedTexts(pieces, np.minimum(kept, 1.0), view)


def center_within_problem(vectors: np.ndarray, anchor: float | None = None) -> np.ndarray:
    """Subtract the mean of one problem's traces (base and RL alike) and re-normalise.

    Traces of one problem share its statement and numbers, which dominate a whole-text
    embedding; what is left after removing the shared mean is how they differ, the method.
    The mean is over all traces of the problem regardless of side, so the transform never
    sees the labels and the conformal and cluster tests stay valid.

    ``anchor`` (issue 11, item 3): a constant coordinate of this length is appended before
    re-normalising, so a trace nearer the mean than ``anchor`` (in the raw space's units) is
    not stretched to unit length: two traces a raw 0.027 apart on either side of the mean
    were 1.27 apart once re-normalised, and a problem whose traces are near-copies had its
    noise read as strategies. Traces farther from the mean than ``anchor`` keep nearly the
    directions plain re-normalising gives them. The rows are one column wider.
    """
    v = np.asarray(vectors, dtype=np.float64)
    if len(v) < 2:  # nothing to centre on: the vector as it is (in the anchored width)
        out = np.asarray(vectors, dtype=np.float32)
        return np.hstack([out, np.zeros((len(out), 1), np.float32)]) if anchor else out
    v = v - v.mean(axis=0)
    if anchor:
        v = np.hstack([v, np.full((len(v), 1), float(anchor))])
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    v = np.divide(v, norms, out=np.zeros_like(v), where=norms > 1e-12)
    return v.astype(np.float32)
