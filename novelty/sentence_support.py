"""Base traces whose sentences a candidate's members say again, in words of their own (issue 11).

Why: an RL side that rewrites every sentence of a common base method (synonyms, connectives,
first person, headers) or re-derives each of its steps two to four times keeps little of the
base traces' tokens and none of their lines, so :mod:`novelty.lexical` finds no support, and in
the embedding space the rewording is a distance of its own: a cluster of such traces was called
novel. Yet sentence by sentence, each base step has a counterpart in the RL trace that the
embedder places next to it; a trace of another method computes other things, so most of a base
trace's distinctive sentences have none.

The containment of base trace ``b`` in trace ``x`` is the weighted share of ``b``'s sentences
that have a sentence of ``x`` within cosine :data:`NEAR` (the sentences of the embedding cache's
``"sentence"`` kind: lines and sentence ends, :func:`novelty.views.sentences`). Each base
sentence weighs ``log((n + 1) / (df + 1))``, ``df`` being how many of the problem's ``n`` traces
say it: the restated question and a common method's every sentence weigh little, the steps
that only some traces take weigh most. Label-blind, no phrase list.

A candidate has support when at least :data:`~novelty.lexical.COVERED_SHARE` of its members
contain some base trace, by this rule (at :data:`CONTAINS` or more) or by the lexical one: a
member counts as covered by either (``decide._lexical_recheck``). Like every support rule it only
raises ``m`` after Benjamini–Hochberg, so it can hide a discovery but never make a false one.
It is asked only of candidates that would otherwise be novel, so a scan with none pays nothing;
the sentences come from the embedding cache where the scan's view already embedded them.
Measured on three generators (``scripts/evaluate_synth.py``): README, "How it decides".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from novelty.embedding.texts import embed_texts
from novelty.lexical import covered_support
from novelty.types import Trace
from novelty.views import PIECE_KIND, sentences

# Two sentences say the same thing at this cosine similarity or more (unit vectors).
NEAR = 0.85
# A member that says again this weighted share of a base trace's sentences contains it.
CONTAINS = 0.65
# Shorter pieces ("1.", "---", "**") carry no step of their own.
MIN_CHARS = 4


class SentenceSupport:
    """``m`` of the sentence rule for would-be novel candidates (module docstring).

    Parameters
    ----------
    traces : sequence of Trace
        The scan's traces, in scan order.
    embedder : Embedder
        The scan's embedder (sentence vectors share its cache entries).
    cache : EmbeddingCache or None
        The scan's embedding cache.
    contains : float, default=CONTAINS
        The weighted share of a base trace's sentences a member must say again.
    batch_size : int, default=32
    """

    def __init__(
        self,
        traces: Sequence[Trace],
        embedder: Any,
        *,
        cache: Any = None,
        contains: float = CONTAINS,
        batch_size: int = 32,
    ) -> None:
        self.traces = traces
        self.embedder = embedder
        self.cache = cache
        self.contains = contains
        self.batch_size = batch_size
        self._ids: dict[bytes, np.ndarray] = {}  # per scope
        self._contained: dict[bytes, np.ndarray] = {}  # per problem

    def support(self, order: np.ndarray, n_base: int, rl_members: np.ndarray) -> int:
        """Base traces the members contain (0 when fewer than the covered share do).

        ``order`` maps scope positions to scan indices (base first); ``rl_members`` are RL
        positions ``0 .. n_rl - 1``. Members are compared with the base traces of their own
        problem only.
        """
        return covered_support(*self.covering(order, n_base, rl_members))

    def covering(
        self, order: np.ndarray, n_base: int, rl_members: np.ndarray
    ) -> tuple[np.ndarray, set[int]]:
        """Which members contain some base trace (bool, one per member), and the base
        positions they contain (:meth:`support`'s arguments)."""
        order = np.asarray(order, dtype=np.int64)
        members = np.asarray(rl_members, dtype=np.int64)
        covered = np.zeros(len(members), dtype=bool)
        hit: set[int] = set()
        if not len(members) or not n_base:
            return covered, hit
        problem = self._problem_ids(order)
        member_problem = problem[n_base + members]
        for pid in np.unique(member_problem):
            same = problem == pid
            base = np.flatnonzero(same[:n_base])  # scope positions of the problem's base
            if not len(base):
                continue
            rl_rows = order[n_base:][same[n_base:]]
            cont = self._containment(np.concatenate([order[base], rl_rows]), len(base))
            column = {int(t): len(base) + k for k, t in enumerate(rl_rows.tolist())}
            for k in np.flatnonzero(member_problem == pid).tolist():
                got = base[cont[:, column[int(order[n_base + members[k]])]] >= self.contains]
                covered[k] = bool(len(got))
                hit.update(got.tolist())
        return covered, hit

    def _problem_ids(self, order: np.ndarray) -> np.ndarray:
        """Each scope position's problem id (cached per scope)."""
        key = order.tobytes()
        if key not in self._ids:
            self._ids[key] = np.array([str(self.traces[int(i)].problem_id) for i in order])
        return self._ids[key]

    def _containment(self, rows: np.ndarray, n_base: int) -> np.ndarray:
        """Weighted sentence containment of each base row in every row (cached per problem)."""
        key = rows.tobytes() + n_base.to_bytes(8, "little")
        if key not in self._contained:
            self._contained[key] = containments(
                [self.traces[int(i)].text for i in rows], n_base, self._encode
            )
        return self._contained[key]

    def _encode(self, texts: list[str]) -> np.ndarray:
        return embed_texts(
            texts,
            self.embedder,
            cache=self.cache,
            view=PIECE_KIND["steps"],
            batch_size=self.batch_size,
        ).vectors


def trace_sentences(text: str) -> list[str]:
    """A trace's sentences and lines, without pieces too short to be a step."""
    return [s for s in sentences(text) if len(s) >= MIN_CHARS]


def containments(texts: list[str], n_base: int, encode: Any) -> np.ndarray:
    """``out[b, x]``: the weighted share of base text ``b``'s sentences that text ``x`` says
    again (a sentence of ``x`` within cosine :data:`NEAR`); texts ``0 .. n_base - 1`` are base.

    ``encode`` maps a list of sentences to unit row vectors. A base text with no sentence
    contains nothing (0 everywhere).
    """
    split = [trace_sentences(t) for t in texts]
    counts = np.array([len(s) for s in split], dtype=np.int64)
    n = len(texts)
    out = np.zeros((n_base, n))
    if not counts[:n_base].sum():
        return out
    vectors = np.asarray(encode([s for ss in split for s in ss]), dtype=np.float32)
    owner = np.repeat(np.arange(n), counts)
    is_base = owner < n_base
    near = (vectors[is_base] @ vectors.T) >= NEAR  # base sentences x all sentences
    # whether each text says each base sentence again (its own text included)
    said = np.zeros((near.shape[0], n), dtype=bool)
    has = np.flatnonzero(counts)
    starts = np.concatenate([[0], np.cumsum(counts[has])[:-1]])
    said[:, has] = np.maximum.reduceat(near.view(np.uint8), starts, axis=1).astype(bool)
    weight = np.log((n + 1) / (said.sum(axis=1) + 1))
    base_owner = owner[is_base]
    for b in range(n_base):
        mine = base_owner == b
        total = weight[mine].sum()
        if total > 0:
            out[b] = weight[mine] @ said[mine] / total
    return out


def sentence_support(
    traces: Sequence[Trace], config: Any, embedder: Any, cache: Any
) -> SentenceSupport | None:
    """The rule at ``config.support_sentences`` with the scan's embedder; None when it is off."""
    if config.support_sentences is None:
        return None
    return SentenceSupport(
        traces,
        embedder,
        cache=cache,
        contains=config.support_sentences,
        batch_size=config.batch_size,
    )
