"""Long texts are never cut: split into windows the model takes whole, embedded, mean-pooled.

A text of at most ``budget`` word pieces is one window, itself. A longer one is cut at word
starts into windows of at most ``budget`` pieces; its vector is the mean of its window vectors
weighted by their piece counts, re-normalised (:func:`pool_windows`).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, NamedTuple

import numpy as np

from novelty.segments import SEGMENT_CHARS, segments

logger = logging.getLogger(__name__)

_TOKENIZE_GROUP = 256  # texts tokenized per call: bounds the memory of offset lists
_GROUP_CHARS = 1_000_000  # ... and characters per call, whatever the texts' lengths
_LONG_CHARS = 100_000  # a text longer than this is tokenized in segments
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
    """Windows of at most ``budget`` word pieces for every text (a fast HF tokenizer).

    Texts are tokenized a bounded number of characters at a time, and a text longer than
    :data:`_LONG_CHARS` in segments cut before whitespace (:mod:`novelty.segments`), whose
    offsets add up to the whole text's: a fast tokenizer's records take many times a text's
    size, and a 50 MB trace tokenized in one call would take gigabytes (issue 14). The windows
    are the same as the whole text's.
    """
    pieces: list[str] = []
    owner: list[int] = []
    counts: list[int] = []

    def emit(i: int, spans: list[tuple[str, int]]) -> None:
        pieces.extend(s for s, _ in spans)
        counts.extend(c for _, c in spans)
        owner.extend([i] * len(spans))

    group: list[int] = []
    size = 0
    for i, text in enumerate(texts):
        if len(text) > _LONG_CHARS:
            _split_group(texts, group, tokenizer, budget, emit)
            group, size = [], 0
            offsets, word_ids = _long_tokens(text, tokenizer)
            if len(offsets) <= budget:
                emit(i, [(text, len(offsets))])
            else:
                emit(i, _split_long(text, offsets, word_ids, tokenizer, budget, depth=0))
            continue
        group.append(i)
        size += len(text)
        if len(group) >= _TOKENIZE_GROUP or size >= _GROUP_CHARS:
            _split_group(texts, group, tokenizer, budget, emit)
            group, size = [], 0
    _split_group(texts, group, tokenizer, budget, emit)
    return Windows(pieces, np.asarray(owner, dtype=np.intp), np.asarray(counts, dtype=np.int64))


def _split_group(texts: list[str], group: list[int], tok: Any, budget: int, emit: Any) -> None:
    """Windows of the texts ``group`` indexes, tokenized in one call."""
    if not group:
        return
    batch = [texts[i] for i in group]
    enc = tok(batch, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    for j, (i, text) in enumerate(zip(group, batch, strict=True)):
        n_tok = len(enc["input_ids"][j])
        if n_tok <= budget:  # fits: embedded exactly as plain encode would
            emit(i, [(text, n_tok)])
        else:
            emit(i, _split_long(text, enc["offset_mapping"][j], enc.word_ids(j), tok, budget, 0))


def _long_tokens(text: str, tok: Any) -> tuple[np.ndarray, np.ndarray]:
    """Token offsets, shape (n, 2), and word ids (-1: none) of a long text, in segments.

    Word ids are made unique across segments; no word spans two, since segments are cut
    before whitespace. Kept as int32 arrays: a 50 MB text has some 12 million tokens.
    """
    offsets: list[np.ndarray] = []
    words: list[np.ndarray] = []
    next_word = 0
    segs = segments(text)
    per_call = max(1, _GROUP_CHARS // SEGMENT_CHARS)
    while batch := list(itertools.islice(segs, per_call)):
        enc = tok(
            [seg for _, seg in batch],
            add_special_tokens=False,
            return_offsets_mapping=True,
            verbose=False,
        )
        for k, (start, _) in enumerate(batch):
            off = np.asarray(enc["offset_mapping"][k], dtype=np.int64).reshape(-1, 2) + start
            ids = np.array([-1 if w is None else w for w in enc.word_ids(k)], dtype=np.int64)
            ids[ids >= 0] += next_word
            next_word = int(ids.max()) + 1 if (ids >= 0).any() else next_word
            offsets.append(off.astype(np.int32))
            words.append(ids.astype(np.int32))
    if not offsets:
        return np.zeros((0, 2), dtype=np.int32), np.zeros(0, dtype=np.int32)
    return np.concatenate(offsets), np.concatenate(words)


def _is_word(word_id: Any) -> bool:
    return word_id is not None and word_id >= 0


def _split_long(
    text: str,
    offsets: Any,
    word_ids: Any,
    tok: Any,
    budget: int,
    depth: int,
) -> list[tuple[str, int]]:
    """Cut one text into windows of <= budget word pieces, at word starts where possible.

    ``offsets`` and ``word_ids`` are the tokenizer's (lists) or :func:`_long_tokens`' arrays.
    Each window is a substring of the original text; it is re-tokenized to get its exact count
    (at a word start BERT-style tokenizers give the same pieces; BPE ones may differ by one),
    and a window that still exceeds the budget is cut again.
    """
    n = len(offsets)
    cuts = []
    s = 0
    while s < n:
        e = min(s + budget, n)
        if e < n and _is_word(word_ids[e]):
            b = e
            while b > s and word_ids[b - 1] == word_ids[e]:  # back off to the word's start
                b -= 1
            e = b if b > s else e  # one word longer than the budget: cut inside it
        cuts.append((s, e))
        s = e
    texts = [text[int(offsets[a][0]) : int(offsets[b - 1][1])] for a, b in cuts]
    out: list[tuple[str, int]] = []
    for g in range(0, len(texts), _TOKENIZE_GROUP):
        group = texts[g : g + _TOKENIZE_GROUP]
        enc = tok(group, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        for k, piece in enumerate(group):
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
