"""Long texts are never cut: split into windows the model takes whole, embedded, mean-pooled.

A text of at most ``budget`` word pieces is one window, itself. A longer one is cut at word
starts into windows of at most ``budget`` pieces; its vector is the mean of its window vectors
weighted by their piece counts, re-normalised (:func:`pool_windows`).
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

import numpy as np

logger = logging.getLogger(__name__)

_TOKENIZE_GROUP = 256  # texts tokenized per call: bounds the memory of offset lists
_MAX_RECUT = 4  # a window that re-tokenizes over the budget is cut again, this many times at most


class Windows(NamedTuple):
    """All windows of a list of texts, in text order.

    pieces : list of str, each a substring of its text
    owner : ndarray of int, non-decreasing: the index of the text each piece comes from
    counts : ndarray of int, the word pieces of each piece (special tokens excluded)
    """

    pieces: list[str]
    owner: np.ndarray
    counts: np.ndarray

    def per_text(self, n_texts: int) -> np.ndarray:
        """How many windows each of ``n_texts`` texts has (1 = it fits whole)."""
        return np.bincount(self.owner, minlength=n_texts).astype(np.int64)


def split_texts(texts: list[str], tokenizer: Any, budget: int) -> Windows:
    """Windows of at most ``budget`` word pieces for every text (a fast HF tokenizer)."""
    pieces: list[str] = []
    owner: list[int] = []
    counts: list[int] = []
    for g in range(0, len(texts), _TOKENIZE_GROUP):
        group = texts[g : g + _TOKENIZE_GROUP]
        enc = tokenizer(group, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        for j, text in enumerate(group):
            n_tok = len(enc["input_ids"][j])
            if n_tok <= budget:  # fits: embedded exactly as plain encode would
                spans = [(text, n_tok)]
            else:
                spans = _split_long(
                    text, enc["offset_mapping"][j], enc.word_ids(j), tokenizer, budget, depth=0
                )
            pieces.extend(s for s, _ in spans)
            counts.extend(c for _, c in spans)
            owner.extend([g + j] * len(spans))
    return Windows(pieces, np.asarray(owner, dtype=np.intp), np.asarray(counts, dtype=np.int64))


def _split_long(
    text: str,
    offsets: list[tuple[int, int]],
    word_ids: list[int | None],
    tok: Any,
    budget: int,
    depth: int,
) -> list[tuple[str, int]]:
    """Cut one text into windows of <= budget word pieces, at word starts where possible.

    Each window is a substring of the original text; it is re-tokenized to get its exact count
    (at a word start BERT-style tokenizers give the same pieces; BPE ones may differ by one),
    and a window that still exceeds the budget is cut again.
    """
    n = len(offsets)
    cuts = []
    s = 0
    while s < n:
        e = min(s + budget, n)
        if e < n and word_ids[e] is not None:
            b = e
            while b > s and word_ids[b - 1] == word_ids[e]:  # back off to the word's start
                b -= 1
            e = b if b > s else e  # one word longer than the budget: cut inside it
        cuts.append((s, e))
        s = e
    texts = [text[offsets[a][0] : offsets[b - 1][1]] for a, b in cuts]
    enc = tok(texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    out: list[tuple[str, int]] = []
    for k, piece in enumerate(texts):
        count = len(enc["input_ids"][k])
        if count > budget and depth < _MAX_RECUT:
            out.extend(
                _split_long(
                    piece, enc["offset_mapping"][k], enc.word_ids(k), tok, budget, depth + 1
                )
            )
        else:
            if count > budget:
                logger.warning("a window kept %d word pieces over the budget %d", count, budget)
            out.append((piece, count))
    return out


def pool_windows(vecs: np.ndarray, owner: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Token-count-weighted mean of each text's window vectors, re-normalised.

    ``owner`` is non-decreasing with every text present, so ``reduceat`` sums each text's run.
    """
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    weights = np.maximum(counts, 1).astype(np.float64)[:, None]
    sums = np.add.reduceat(vecs.astype(np.float64) * weights, starts, axis=0)
    sums /= np.linalg.norm(sums, axis=1, keepdims=True)
    single = np.diff(np.r_[starts, len(owner)]) == 1
    sums[single] = vecs[starts[single]]  # one window: its vector exactly, no round trip
    return sums.astype(np.float32)
