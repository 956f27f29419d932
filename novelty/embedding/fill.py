"""Fill the embedding cache with the texts it lacks, here or on a Ray cluster; nothing else.

Both engines end the same way: the driver writes each gathered batch as one cache shard under
the keys :func:`~novelty.embedding.texts.embed_texts` reads (embedder name, precision, view,
text), so a scan that follows finds every text and embeds none. A run killed midway keeps the
shards it wrote and the next one embeds only the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from novelty.embedding.base import checked
from novelty.embedding.cache import EmbeddingCache, namespace_of, text_key
from novelty.embedding.registry import as_embedder
from novelty.embedding.texts import FLUSH_EVERY, precision_of
from novelty.errors import ConfigError
from novelty.progress import Progress

logger = logging.getLogger(__name__)

ENGINES = ("local", "ray")


@dataclass(frozen=True, slots=True)
class Filled:
    """What :func:`fill_cache` did.

    n_texts : texts asked for, duplicates counted
    n_distinct : distinct texts among them
    n_cached : distinct texts the cache already held
    n_embedded : distinct texts embedded and written now (``n_cached + n_embedded ==
        n_distinct``)
    namespace : the cache namespace (embedder, precision, view)
    path : the folder holding that namespace's shards
    """

    n_texts: int
    n_distinct: int
    n_cached: int
    n_embedded: int
    namespace: str
    path: Path


def fill_cache(
    texts: Sequence[str],
    embedder: Any,
    *,
    cache: EmbeddingCache,
    view: str,
    engine: str = "local",
    batch_size: int = 32,
    progress: Progress | None = None,
    flush_every: int = FLUSH_EVERY,
    address: str | None = None,
    concurrency: int | None = None,
) -> Filled:
    """Embed the distinct ``texts`` missing from ``cache`` and write them there.

    Parameters
    ----------
    texts : sequence of str
    embedder : anything :func:`~novelty.embedding.as_embedder` accepts
    cache : EmbeddingCache
    view : str
        The cache's view name (as the scan keys it).
    engine : {"local", "ray"}
        ``"ray"`` embeds on a Ray cluster (:mod:`novelty.embedding.ray_engine`): the one at
        ``address``, else a local one; ``concurrency`` actors (default one per GPU, else per
        CPU).
    progress : Progress, optional
        Stage ``"embedding"``, counted in the distinct texts to embed.
    flush_every : int
        Texts per cache shard.
    """
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if flush_every < 1 or batch_size < 1:
        raise ConfigError("batch_size and flush_every must be >= 1")
    if engine == "local" and (address is not None or concurrency is not None):
        raise ConfigError("address and concurrency are for engine='ray'")
    emb = as_embedder(embedder)
    texts = list(texts)
    unique = list(dict.fromkeys(texts))
    model_id, precision = emb.name, precision_of(emb)
    ns = namespace_of(model_id, view, precision=precision)
    keys = [text_key(model_id, view, t, precision=precision) for t in unique]
    found = cache.get_many(ns, keys)
    missing = [i for i, k in enumerate(keys) if k not in found]
    todo = [unique[i] for i in missing]
    if missing:
        logger.info("embedding %d of %d distinct texts (%s)", len(todo), len(unique), engine)
    if progress is not None:
        progress.start("embedding", len(todo))
    if engine == "ray":
        from novelty.embedding.ray_engine import ray_batches

        batches = ray_batches(
            todo,
            emb,
            precision=precision,
            batch_size=batch_size,
            gather=flush_every,
            address=address,
            concurrency=concurrency,
        )
    else:
        batches = _local_batches(todo, emb, batch_size, flush_every, progress)
    for rows, vectors, windows in batches:
        cache.put_many(ns, [keys[missing[r]] for r in rows.tolist()], vectors, windows)
        if progress is not None and engine == "ray":
            progress.advance(len(rows))
    if progress is not None:
        progress.finish()
    return Filled(len(texts), len(unique), len(found), len(todo), ns, cache.path_of(ns))


def _local_batches(
    texts: list[str], embedder: Any, batch_size: int, flush_every: int, progress: Progress | None
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(rows, vectors, windows)`` of ``flush_every`` texts at a time, embedded here."""
    for start in range(0, len(texts), flush_every):
        chunk = texts[start : start + flush_every]
        out = embedder.encode(chunk, batch_size=batch_size, progress=progress)
        vectors, windows = checked(out, len(chunk), embedder.name)
        yield np.arange(start, start + len(chunk)), vectors, windows
