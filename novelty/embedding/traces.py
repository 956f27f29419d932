"""The pipeline's embedding stage: a view's pieces per trace -> one unit vector per trace.

A trace's vector is the re-normalised mean of its pieces' unit vectors (every step of the
``steps`` view weighs the same); a piece longer than the model's window was itself split into
windows and pooled by the embedder. What the report records about embedding comes back with
the vectors (:meth:`TraceEmbeddings.record`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from novelty.embedding.cache import open_cache
from novelty.embedding.registry import as_embedder
from novelty.embedding.texts import embed_texts
from novelty.progress import Progress
from novelty.types import ViewedTexts
from novelty.views import PIECE_KIND


@dataclass(frozen=True, slots=True)
class TraceEmbeddings:
    """The traces' unit vectors and how they were made.

    ``vectors`` is an ndarray of shape (n_traces, dim), float32, in the traces' order; the
    other fields are what the report's config and summary record (:meth:`record`).
    """

    vectors: np.ndarray
    embedder: str
    dim: int
    device: str | None
    precision: str | None
    window: int | None
    n_chunked: int
    n_view_texts: int
    n_from_cache: int
    view_kept_fraction_mean: float
    view_kept_fraction_min: float

    def record(self) -> dict[str, Any]:
        """Every field but the vectors, in the report's order."""
        return {
            "embedder": self.embedder,
            "dim": self.dim,
            "device": self.device,
            "precision": self.precision,
            "window": self.window,
            "n_chunked": self.n_chunked,
            "n_view_texts": self.n_view_texts,
            "n_from_cache": self.n_from_cache,
            "view_kept_fraction_mean": self.view_kept_fraction_mean,
            "view_kept_fraction_min": self.view_kept_fraction_min,
        }


def embed_views(
    viewed: ViewedTexts,
    embedder: Any = None,
    *,
    cache: Any = None,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> TraceEmbeddings:
    """Embed every trace's pieces (through the cache) and pool them into one vector per trace.

    Parameters
    ----------
    viewed : ViewedTexts
        :func:`novelty.views.apply_view`'s pieces per trace.
    embedder : anything :func:`~novelty.embedding.as_embedder` accepts
    cache : EmbeddingCache, path, "default" or None
        As :func:`~novelty.embedding.cache.open_cache` reads it.
    progress : Progress, optional
        Gets the stage ``"embedding"``, counted in pieces.
    """
    emb = as_embedder(embedder)
    flat = [piece for pieces in viewed.pieces for piece in pieces]
    got = embed_texts(
        flat,
        emb,
        cache=open_cache(cache),
        view=PIECE_KIND.get(viewed.view, viewed.view),
        batch_size=batch_size,
        progress=progress,
    )
    vectors, n_chunked = pool_pieces(got.vectors, got.windows, [len(p) for p in viewed.pieces])
    kept = viewed.kept_fraction
    return TraceEmbeddings(
        vectors=vectors,
        embedder=emb.name,
        dim=int(vectors.shape[1]) if vectors.ndim == 2 else 0,
        device=getattr(emb, "device_", None),
        precision=got.precision,
        window=getattr(emb, "window_", None),
        n_chunked=n_chunked,
        n_view_texts=len(flat),
        n_from_cache=got.n_from_cache,
        view_kept_fraction_mean=float(kept.mean()) if len(kept) else 1.0,
        view_kept_fraction_min=float(kept.min()) if len(kept) else 1.0,
    )


def pool_pieces(
    piece_vectors: np.ndarray, windows: np.ndarray, counts: list[int]
) -> tuple[np.ndarray, int]:
    """Each trace's unit vector: the re-normalised mean of its ``counts[i]`` pieces' vectors;
    and how many traces had a piece longer than the embedder's window (split, never cut)."""
    if not counts:
        return piece_vectors[:0], 0
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sums = np.add.reduceat(piece_vectors.astype(np.float64), starts, axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    vectors = (sums / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    chunked = np.add.reduceat((np.asarray(windows) > 1).astype(np.int64), starts) > 0
    return vectors, int(chunked.sum())
