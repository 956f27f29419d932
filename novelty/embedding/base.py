"""The embedder protocol, what ``encode`` returns, and the two embedders without a model.

Any object with ``name``, ``dim`` and ``encode(texts) -> Encoded`` is an embedder, so users can
swap the model (DESIGN.md: "anything ``list[str] -> np.ndarray``", which
:class:`CallableEmbedder` wraps). The real model is in
:mod:`novelty.embedding.sentence_transformer`.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

import numpy as np

from novelty.errors import ConfigError
from novelty.progress import Progress


class Encoded(NamedTuple):
    """What an embedder returns for a list of texts.

    vectors : ndarray of shape (n_texts, dim), float32, rows L2-normalised, in input order
    windows : ndarray of shape (n_texts,), int64
        How many windows each text was split into to fit the model (1 = embedded whole).
    """

    vectors: np.ndarray
    windows: np.ndarray


def whole(vectors: np.ndarray) -> Encoded:
    """``vectors`` of texts that were each embedded whole (one window apiece)."""
    return Encoded(vectors, np.ones(len(vectors), dtype=np.int64))


class Embedder(Protocol):
    """What the pipeline needs from an embedding model.

    ``encode`` returns an :class:`Encoded` (a bare ``(len(texts), dim)`` array is accepted too
    and read as one window per text). ``progress.advance(k)`` is called with the number of
    texts finished since the last call; the caller starts and finishes the stage. ``name``
    identifies the vectors (model and settings) and keys the embedding cache. An embedder
    whose vectors depend on a numeric precision also has ``resolved_precision() -> str``,
    which becomes part of the cache key.

    Not ``runtime_checkable`` on purpose: on Python 3.11 ``isinstance`` would evaluate a lazy
    ``dim`` and load the model. Use :func:`novelty.embedding.as_embedder` to accept user
    objects.
    """

    name: str
    dim: int

    def encode(
        self, texts: list[str], *, batch_size: int = 32, progress: Progress | None = None
    ) -> Encoded: ...


def unit_rows(vectors: Any, n: int, who: str) -> np.ndarray:
    """Check an embedder's output (2-D, n rows, finite, no zero row) and L2-normalise it."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim != 2 or arr.shape[0] != n or arr.shape[1] == 0:
        raise ValueError(
            f"embedder {who!r} must return an array of shape (n_texts, dim); "
            f"got shape {arr.shape} for {n} texts"
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"embedder {who!r} returned NaN or infinite values")
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    if (norms == 0).any():
        raise ValueError(f"embedder {who!r} returned an all-zero vector, which has no direction")
    return np.ascontiguousarray(arr / norms, dtype=np.float32)


def checked(out: Any, n: int, who: str) -> Encoded:
    """An embedder's ``encode`` output as unit rows and window counts, checked."""
    if isinstance(out, Encoded):
        vectors, windows = out
    else:
        vectors, windows = out, np.ones(n, dtype=np.int64)
    windows = np.asarray(windows, dtype=np.int64)
    if windows.shape != (n,) or (windows < 1).any():
        raise ValueError(
            f"embedder {who!r} must return one window count >= 1 per text; "
            f"got shape {windows.shape} for {n} texts"
        )
    return Encoded(unit_rows(vectors, n, who), windows)


class HashingEmbedder:
    """Deterministic, dependency-free stand-in for a real model, for tests and dry runs.

    Word unigrams and bigrams are hashed (CRC-32, stable across processes, unlike ``hash``)
    into ``dim`` signed buckets, so texts that share words get close vectors.

    Parameters
    ----------
    dim : int, default 256
        Vector size.
    seed : int, default 0
        Changes the hash, hence every vector.
    """

    _WORD = re.compile(r"\w+")

    def __init__(self, dim: int = 256, seed: int = 0) -> None:
        self.dim = dim
        self.seed = seed

    @property
    def name(self) -> str:
        return f"hashing-{self.dim}" if self.seed == 0 else f"hashing-{self.dim}-s{self.seed}"

    def __repr__(self) -> str:
        return f"HashingEmbedder(dim={self.dim}, seed={self.seed})"

    def encode(
        self, texts: list[str], *, batch_size: int = 32, progress: Progress | None = None
    ) -> Encoded:
        if self.dim < 1:
            raise ConfigError(f"HashingEmbedder dim must be >= 1, got {self.dim}")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        salt = f"{self.seed}\x00".encode()
        for i, text in enumerate(texts):
            words = self._WORD.findall(text.lower())
            feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for feat in feats or [""]:  # an empty text still gets a (fixed) direction
                h = zlib.crc32(salt + feat.encode("utf-8"))
                out[i, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
            if progress is not None and ((i + 1) % batch_size == 0 or i + 1 == len(texts)):
                progress.advance((i % batch_size) + 1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        # Collisions can cancel every count; give such a row a fixed bucket, never NaN.
        out[norms[:, 0] == 0, 0] = 1.0
        return whole(out / np.linalg.norm(out, axis=1, keepdims=True))


class CallableEmbedder:
    """Wraps any ``fn(list[str]) -> array (n, d)`` as an embedder.

    The output is checked (shape, finite, no zero rows) and L2-normalised. ``fn`` is called on
    batches of ``batch_size`` texts so progress can be reported and memory stays bounded.

    Parameters
    ----------
    fn : callable
        Maps a list of texts to an array-like of shape (len(texts), d).
    name : str, optional
        Identifies the vectors in the cache and the report. Defaults to the function's qualified
        name; give one that names the model, since two lambdas would otherwise share a cache.
    """

    def __init__(self, fn: Callable[[list[str]], Any], name: str | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"CallableEmbedder needs a callable, got {type(fn).__name__}")
        self.fn = fn
        self.name = name if name is not None else _callable_name(fn)
        self._dim: int | None = None

    def __repr__(self) -> str:
        return f"CallableEmbedder({self.fn!r}, name={self.name!r})"

    @property
    def dim(self) -> int:
        if self._dim is None:  # only known from an output: embed one probe text
            self.encode(["dimension probe"])
        assert self._dim is not None
        return self._dim

    def encode(
        self, texts: list[str], *, batch_size: int = 32, progress: Progress | None = None
    ) -> Encoded:
        parts = []
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start : start + batch_size])
            vecs = unit_rows(self.fn(batch), len(batch), self.name)
            if self._dim is None:
                self._dim = vecs.shape[1]
            elif vecs.shape[1] != self._dim:
                raise ValueError(
                    f"embedder {self.name!r} returned {vecs.shape[1]}-d vectors after "
                    f"{self._dim}-d ones"
                )
            parts.append(vecs)
            if progress is not None:
                progress.advance(len(batch))
        if not parts:
            return whole(np.zeros((0, self._dim or 0), dtype=np.float32))
        return whole(np.concatenate(parts))


def _callable_name(fn: Callable[..., Any]) -> str:
    qual = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    return f"callable:{getattr(fn, '__module__', None) or '?'}.{qual}"
