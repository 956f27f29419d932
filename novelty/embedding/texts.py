"""Texts -> unit vectors through the cache: each distinct text is embedded once, ever.

Missing vectors are written to the cache in shards of :data:`FLUSH_EVERY` texts as they finish,
so a killed run resumes where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from novelty.embedding.base import checked
from novelty.embedding.cache import EmbeddingCache, namespace_of, text_key
from novelty.embedding.registry import as_embedder
from novelty.errors import ConfigError
from novelty.progress import Progress

logger = logging.getLogger(__name__)

# Texts embedded between two cache shards: a killed run loses at most this much work.
FLUSH_EVERY = 256


class EmbeddedTexts(NamedTuple):
    """What :func:`embed_texts` returns.

    vectors : ndarray of shape (n_texts, dim), float32, unit rows in input order
    windows : ndarray of shape (n_texts,), int, windows each text was split into (1 = whole)
    n_from_cache : int, input texts (duplicates counted) whose vector came from the cache
    precision : str or None, the vectors' numeric precision, part of their cache key
    """

    vectors: np.ndarray
    windows: np.ndarray
    n_from_cache: int
    precision: str | None


def precision_of(embedder: Any) -> str | None:
    """The numeric precision of an embedder's vectors, or None for one that has none."""
    resolve = getattr(embedder, "resolved_precision", None)
    return resolve() if callable(resolve) else None


def embed_texts(
    texts: Sequence[str],
    embedder: Any,
    *,
    cache: EmbeddingCache | None,
    view: str,
    batch_size: int = 32,
    progress: Progress | None = None,
    flush_every: int = FLUSH_EVERY,
) -> EmbeddedTexts:
    """Embed ``texts``, reusing and filling the cache; identical texts are embedded once.

    Parameters
    ----------
    texts : sequence of str
    embedder : Embedder or anything :func:`~novelty.embedding.as_embedder` accepts
    cache : EmbeddingCache or None
        Entries are keyed by embedder name, precision, view and text
        (:func:`~novelty.embedding.cache.text_key`).
    view : str
        Name of the text view (part of the key: one text under two views is two entries).
    progress : Progress, optional
        Started as stage ``"embedding"`` of ``len(texts)``, advanced (cache hits and
        duplicates first) and finished.
    """
    embedder = as_embedder(embedder)
    texts = list(texts)
    if flush_every < 1 or batch_size < 1:
        raise ConfigError("batch_size and flush_every must be >= 1")
    unique = list(dict.fromkeys(texts))
    where = {text: i for i, text in enumerate(unique)}
    inverse = np.fromiter((where[t] for t in texts), dtype=np.intp, count=len(texts))
    mult = np.bincount(inverse, minlength=len(unique))

    # Known before the lookup: "auto" is settled (the model loaded) to find the right entries.
    model_id, precision = embedder.name, precision_of(embedder)
    ns = namespace_of(model_id, view, precision=precision)
    keys = [text_key(model_id, view, t, precision=precision) for t in unique]
    found = cache.get_many(ns, keys) if cache is not None else {}
    stored_windows = cache.get_windows(ns, found) if cache is not None else {}
    vecs: list[np.ndarray | None] = [found.get(k) for k in keys]
    windows = np.array([stored_windows.get(k, 1) for k in keys], dtype=np.int64)
    missing = [i for i, v in enumerate(vecs) if v is None]
    n_from_cache = int(mult[[i for i, v in enumerate(vecs) if v is not None]].sum())
    if progress is not None:
        progress.start("embedding", len(texts))
        upfront = len(texts) - len(missing)  # cache hits and repeats of texts still to embed
        if upfront:
            progress.advance(upfront)
    if missing:
        logger.info(
            "embedding %d texts with %s (%d from cache)", len(missing), model_id, len(found)
        )

    for start in range(0, len(missing), flush_every):
        idx = missing[start : start + flush_every]
        out, win = checked(
            embedder.encode([unique[i] for i in idx], batch_size=batch_size, progress=progress),
            len(idx),
            model_id,
        )
        for j, i in enumerate(idx):
            vecs[i] = out[j]
        windows[idx] = win
        if cache is not None:
            cache.put_many(ns, [keys[i] for i in idx], out, win)
    if progress is not None:
        progress.finish()

    if unique:
        matrix = np.stack(vecs).astype(np.float32, copy=False)  # type: ignore[arg-type]
    else:
        matrix = np.zeros((0, embedder.dim), dtype=np.float32)
    return EmbeddedTexts(
        np.ascontiguousarray(matrix[inverse]), windows[inverse], n_from_cache, precision
    )
