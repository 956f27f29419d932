"""The words view of a problem's traces, beside the embedding in the space the decision reads.

Why (issue 11): MiniLM reads a table of powers ("17^1 = 3, 17^2 = 9, ...") and a table of
repeated squares ("17^2 = 9, 17^4 = 11, ...") as the same text, and a program, a table or a
line-per-case list as nearly the problem's restatement, so strategies written that way stayed
within the radius of a base method or split into pieces too small to test. What a trace
computes is in its tokens: the same content weights as the lexical support rule
(:func:`novelty.lexical.content_weights`: a token every trace of the problem has weighs
nothing, a token most problems use, style, weighs nothing either). Each problem's weight rows
are embedded exactly (their singular vectors, so inner products are kept) in
:data:`WORD_DIM` dimensions and joined to the centred embedding: the cosine distance of the
joined rows is ``(1 - share)`` times the embedding's plus ``share`` times the words'. Both
views are computed from the traces alone, base and RL alike, so the labels stay hidden and
the conformal and cluster tests stay exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from novelty.lexical import content_weights, token_counts

# Most dimensions of a problem's words rows: one per trace up to this many traces (exact: their
# rank), the leading singular directions above.
WORD_DIM = 512
# Entries of a problem's token matrix up to which it is decomposed dense (exactly).
_DENSE_MAX = 4_000_000


@dataclass(frozen=True, slots=True)
class WordWeights:
    """The cross-problem half of the token weights (picklable: sent to the problem workers).

    ``held``: in how many of the corpus's problems each token occurs, of ``n_problems``.
    """

    held: dict[str, int]
    n_problems: int

    def rows(self, texts: Sequence[str], dim: int | None = None) -> np.ndarray:
        """One problem's words rows: ``(len(texts), dim)`` float32 (``dim``: one per trace, at
        most :data:`WORD_DIM`), unit rows (zero for a trace with no weighted token), with the
        weights' inner products."""
        dim = min(len(texts), WORD_DIM) if dim is None else dim
        counts, vocab = token_counts(list(texts))
        w = content_weights(counts, vocab, self.held, self.n_problems, n_rows=len(texts))
        out = np.zeros((len(texts), dim), dtype=np.float32)
        if w.shape[1] < 1 or not w.nnz:
            return out
        if w.shape[0] * w.shape[1] <= _DENSE_MAX:
            # The rows in their own singular basis: the same Gram matrix in at most n
            # dimensions (exact when the problem has at most ``dim`` traces).
            u, s, _ = np.linalg.svd(w.toarray(), full_matrices=False)
            k = min(dim, len(s))
            out[:, :k] = u[:, :k] * s[:k]
        else:  # a large problem: its leading directions, never a dense copy of its tokens
            from sklearn.decomposition import TruncatedSVD

            k = min(dim, w.shape[0] - 1, w.shape[1] - 1)
            if k >= 1:
                out[:, :k] = TruncatedSVD(k, n_iter=10, random_state=0).fit_transform(w)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 1e-12)


def joined(centred: np.ndarray, words: np.ndarray, share: float) -> np.ndarray:
    """Centred embedding rows and words rows as one unit row each: cosine distances are
    ``(1 - share)`` times the embedding's plus ``share`` times the words' (a trace without
    words keeps its embedding's direction)."""
    v = np.hstack([np.sqrt(1.0 - share) * centred, np.sqrt(share) * words]).astype(np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    v = np.divide(v, norms, out=np.zeros_like(v), where=norms > 1e-12)
    return v.astype(np.float32)


def scan_word_weights(traces: Sequence, config, lexical=None) -> WordWeights | None:
    """The scan's cross-problem token weights when its problems join the words
    (``config.word_share``, within problems only: in the global scope one question's tokens
    would set it apart from the others); None otherwise. ``lexical``: the scan's
    :class:`~novelty.lexical.LexicalSupport`, whose corpus counts are reused (the corpus is
    tokenised once per scan)."""
    if not config.word_share or config.scope != "problem":
        return None
    if lexical is None:
        from novelty.lexical import LexicalSupport

        lexical = LexicalSupport(traces, 0.9, seed=config.seed)  # the level is not read here
    return WordWeights(*lexical.corpus_df())
