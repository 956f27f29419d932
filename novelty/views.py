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


# Sentence ends: after . ! ? followed by space, or at line breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_STEP_END = re.compile(r"(?<=[.!?])\s+")

# Sentences that only hesitate or re-check ("Wait, let me double-check that.", "Hmm.",
# "That looks right."): the style RL training adds, not a step of the method.
_REFLECTION = re.compile(
    r"^\W*(?:"
    r"wait|hmm+|hm+|ah+|oh+|ok(?:ay)?|alright|actually|hold on|on second thought|"
    r"let me (?:just |quickly |now |also )?(?:double[- ]?)?(?:check|verify|confirm|make sure|"
    r"re-?examine|re-?check|go back|reconsider|think again|re-?verify|be careful|see if)|"
    r"let'?s (?:just |quickly )?(?:double[- ]?)?(?:check|verify|confirm|make sure|re-?examine)|"
    r"(?:just )?to (?:double[- ]?)?(?:check|verify|be (?:safe|sure))|"
    r"(?:double[- ])?check(?:ing)?\b|verif(?:y|ying)\b|sanity check|"
    r"i (?:should|need to|will|'ll|want to|must) (?:double[- ]?)?(?:check|verify|make sure)|"
    r"(?:that|this|it|everything) (?:seems|looks|is|checks out) (?:right|correct|consistent|fine)|"
    r"yes\b|good\b|great\b|right\b|so far so good"
    r")",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    """Split a trace into sentences (and lines), dropping empty pieces."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def strategy_view(text: str) -> str:
    """The trace without hesitation and self-check sentences: the steps of the method.

    RL-trained models add "Wait, let me double-check." style sentences to whatever method
    they use; embedded with the rest, that style moves every RL trace away from the base
    traces and would pass for a new strategy.
    """
    return " ".join(s for s in sentences(text) if not _REFLECTION.match(s))


def strategy_steps(text: str) -> list[str]:
    """:func:`strategy_view` cut at sentence ends only.

    A line without a sentence end (an equation, a row of a table) stays with the sentence it
    belongs to: cut at every line, a twenty-row table would weigh as twenty steps.
    """
    return [s for s in _STEP_END.split(strategy_view(text)) if s.strip()]


# Each view maps a trace to the pieces that are embedded; a trace's vector is the mean of its
# pieces' unit vectors. "strategy" embeds the steps of the method as one text, "whole" the whole
# trace (both split into windows and mean-pooled when longer than the embedder's). "steps"
# embeds each step on its own, so every step weighs the same: the few steps that name the method
# are no longer drowned by those that restate the problem (more power), but a hesitation
# sentence the strategy filter does not know weighs as much as a step of the method, which can
# make restyled RL traces look new (see README, "How it decides").
VIEWS: dict[str, Callable[[str], list[str]]] = {
    "strategy": lambda text: [strategy_view(text)],
    "steps": strategy_steps,
    "whole": lambda text: [whole_view(text)],
}
DEFAULT_VIEW = "strategy"
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
            texts[i] = pieces[i][0]
    return ViewedTexts([t.id for t in traces], texts, np.minimum(kept, 1.0), view, pieces)


def center_within_problem(vectors: np.ndarray) -> np.ndarray:
    """Subtract the mean of one problem's traces (base and RL alike) and re-normalise.

    Traces of one problem share its statement and numbers, which dominate a whole-text
    embedding; what is left after removing the shared mean is how they differ, the method.
    The mean is over all traces of the problem regardless of side, so the transform never
    sees the labels and the conformal and cluster tests stay valid.
    """
    v = np.asarray(vectors, dtype=np.float64)
    if len(v) < 2:
        return np.asarray(vectors, dtype=np.float32)
    v = v - v.mean(axis=0)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    v = np.divide(v, norms, out=np.zeros_like(v), where=norms > 1e-12)
    return v.astype(np.float32)
