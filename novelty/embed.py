"""Texts -> unit vectors: the embedder protocol, its implementations and the cached driver.

Any object with ``name``, ``dim`` and ``encode(texts) -> (n, dim) float32`` is an embedder, so
users can swap the model (DESIGN.md: "anything ``list[str] -> np.ndarray``"). The real model lives
in :mod:`novelty._st` and is imported only when it is used: ``import novelty`` never imports torch.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import logging
import re
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

import numpy as np

from novelty._st import DEFAULT_MODEL_NAME, SentenceTransformerEmbedder
from novelty.errors import ConfigError

if TYPE_CHECKING:
    from novelty.cache import EmbeddingCache

__all__ = [
    "DEFAULT_MODEL_NAME",
    "CallableEmbedder",
    "Embedder",
    "HashingEmbedder",
    "SentenceTransformerEmbedder",
    "as_embedder",
    "embed_texts",
    "text_key",
]

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]

# Texts embedded between two cache shards: a killed run loses at most this much work.
FLUSH_EVERY = 256


class Embedder(Protocol):
    """What the pipeline needs from an embedding model.

    ``encode`` returns an ndarray of shape (len(texts), dim), float32, rows L2-normalised, in
    input order. ``progress(k)`` is called with the number of texts finished since the last call;
    the CLI drives its progress bar from it, the library itself never prints. ``name`` identifies
    the vectors (model and settings) and keys the embedding cache.

    Not ``runtime_checkable`` on purpose: on Python 3.11 ``isinstance`` would evaluate a lazy
    ``dim`` and load the model. Use :func:`as_embedder` to accept user objects.
    """

    name: str
    dim: int

    def encode(
        self, texts: list[str], *, batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray: ...


def _unit_rows(vectors: Any, n: int, who: str) -> np.ndarray:
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
    ) -> np.ndarray:
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
                progress((i % batch_size) + 1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        # Collisions can cancel every count; give such a row a fixed bucket, never NaN.
        out[norms[:, 0] == 0, 0] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


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
    ) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start : start + batch_size])
            vecs = _unit_rows(self.fn(batch), len(batch), self.name)
            if self._dim is None:
                self._dim = vecs.shape[1]
            elif vecs.shape[1] != self._dim:
                raise ValueError(
                    f"embedder {self.name!r} returned {vecs.shape[1]}-d vectors after "
                    f"{self._dim}-d ones"
                )
            parts.append(vecs)
            if progress is not None:
                progress(len(batch))
        if not parts:
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        return np.concatenate(parts)


def _callable_name(fn: Callable[..., Any]) -> str:
    qual = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    return f"callable:{getattr(fn, '__module__', None) or '?'}.{qual}"


# ---------------------------------------------------------------------------- resolution
def _hashing_from_spec(rest: str) -> HashingEmbedder:
    """``<dim>`` or ``<dim>-s<seed>``: the suffixes of the names HashingEmbedder reports."""
    match = re.fullmatch(r"(\d+)(?:-s(\d+))?", rest)
    if match is None:
        raise ConfigError(
            f"bad hashing embedder 'hashing-{rest}': use 'hashing' or 'hashing-<dim>'"
        )
    return HashingEmbedder(int(match[1]), seed=int(match[2] or 0))


def _st_from_spec(rest: str) -> SentenceTransformerEmbedder:
    """``st:<model>``: a sentence-transformers model; ``st:`` alone is the bundled default."""
    default = rest in ("", "default", DEFAULT_MODEL_NAME)
    return SentenceTransformerEmbedder(None if default else rest)


# Strings that name an embedder: exact names, then prefixes (factory gets the rest of the string).
# Anything else is a sentence-transformers model name or path.
_NAMED: dict[str, Callable[[], Any]] = {
    "hashing": HashingEmbedder,
    "default": SentenceTransformerEmbedder,
    # The bundled default reports this name; map it back to the offline copy, not the hub.
    DEFAULT_MODEL_NAME: SentenceTransformerEmbedder,
}
_PREFIXED: dict[str, Callable[[str], Any]] = {
    "hashing-": _hashing_from_spec,
    "st:": _st_from_spec,
}


def as_embedder(obj: Any = None) -> Embedder:
    """Turn what a user passes into an embedder.

    None -> the offline default (all-MiniLM-L6-v2); a string -> a named embedder (``"hashing"``,
    ``"hashing-<dim>"``, ``"st:<model>"``) or any sentence-transformers model name or path; an
    embedder -> itself; any other callable -> :class:`CallableEmbedder`.
    """
    if obj is None:
        return SentenceTransformerEmbedder()
    if isinstance(obj, str):
        if obj in _NAMED:
            return _NAMED[obj]()
        for prefix, factory in _PREFIXED.items():
            if obj.startswith(prefix):
                return factory(obj[len(prefix) :])
        return SentenceTransformerEmbedder(obj)
    if isinstance(obj, (SentenceTransformerEmbedder, HashingEmbedder, CallableEmbedder)):
        return obj
    # getattr_static: a lazy ``dim`` property must not load a model just to be recognised.
    if all(_has_static(obj, attr) for attr in ("name", "dim", "encode")):
        return obj
    if callable(obj):
        return CallableEmbedder(obj)
    raise TypeError(
        f"cannot use a {type(obj).__name__} as an embedder: pass None, a model name or path, an "
        "object with name/dim/encode, or a callable list[str] -> ndarray"
    )


def _has_static(obj: Any, attr: str) -> bool:
    try:
        inspect.getattr_static(obj, attr)
    except AttributeError:
        return False
    return True


# ---------------------------------------------------------------------------- cached driver
def text_key(model_id: str, view: str, text: str) -> str:
    """Cache key of one text: sha256 of model id, view and text (NUL-separated)."""
    h = hashlib.sha256(f"{model_id}\x00{view}\x00".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@overload
def embed_texts(
    texts: Sequence[str],
    embedder: Any,
    *,
    cache: EmbeddingCache | None,
    view: str,
    batch_size: int = ...,
    progress: Progress | None = ...,
    flush_every: int = ...,
    return_windows: Literal[False] = ...,
) -> tuple[np.ndarray, int]: ...
@overload
def embed_texts(
    texts: Sequence[str],
    embedder: Any,
    *,
    cache: EmbeddingCache | None,
    view: str,
    batch_size: int = ...,
    progress: Progress | None = ...,
    flush_every: int = ...,
    return_windows: Literal[True],
) -> tuple[np.ndarray, int, np.ndarray]: ...
def embed_texts(
    texts: Sequence[str],
    embedder: Any,
    *,
    cache: EmbeddingCache | None,
    view: str,
    batch_size: int = 32,
    progress: Progress | None = None,
    flush_every: int = FLUSH_EVERY,
    return_windows: bool = False,
) -> tuple[np.ndarray, int] | tuple[np.ndarray, int, np.ndarray]:
    """Embed ``texts``, reusing and filling the cache; identical texts are embedded once.

    Parameters
    ----------
    texts : sequence of str
    embedder : Embedder or anything :func:`as_embedder` accepts
    cache : EmbeddingCache or None
        Namespace ``"<embedder.name>/<view>"``; missing vectors are written in shards of
        ``flush_every`` texts as they finish, so a killed run resumes where it stopped.
    view : str
        Name of the text view (part of the key: one text under two views is two entries).
    progress : callable, optional
        Called with increments that add up to ``len(texts)`` (cache hits and duplicates first).
    return_windows : bool, default False
        Also return how many embedder windows each text was split into (1 = fitted whole).

    Returns
    -------
    vectors : ndarray of shape (len(texts), dim), float32, unit rows in input order
    n_from_cache : int
        Input texts (duplicates counted) whose vector came from the cache.
    windows : ndarray of shape (len(texts),), int, only when ``return_windows``
    """
    embedder = as_embedder(embedder)
    texts = list(texts)
    if flush_every < 1 or batch_size < 1:
        raise ConfigError("batch_size and flush_every must be >= 1")
    unique = list(dict.fromkeys(texts))
    where = {text: i for i, text in enumerate(unique)}
    inverse = np.fromiter((where[t] for t in texts), dtype=np.intp, count=len(texts))
    mult = np.bincount(inverse, minlength=len(unique))

    model_id, namespace = embedder.name, f"{embedder.name}/{view}"
    keys = [text_key(model_id, view, t) for t in unique]
    found = cache.get_many(namespace, keys) if cache is not None else {}
    stored_windows = cache.get_windows(namespace, found) if cache is not None else {}
    vecs: list[np.ndarray | None] = [found.get(k) for k in keys]
    windows = np.array([stored_windows.get(k, 1) for k in keys], dtype=np.int64)
    missing = [i for i, v in enumerate(vecs) if v is None]
    n_from_cache = int(mult[[i for i, v in enumerate(vecs) if v is not None]].sum())
    if progress is not None:
        upfront = len(texts) - len(missing)  # cache hits and repeats of texts still to embed
        if upfront:
            progress(upfront)
    if missing:
        logger.info(
            "embedding %d texts with %s (%d from cache)", len(missing), model_id, len(found)
        )

    for start in range(0, len(missing), flush_every):
        idx = missing[start : start + flush_every]
        out = embedder.encode([unique[i] for i in idx], batch_size=batch_size, progress=progress)
        out = _unit_rows(out, len(idx), model_id)
        win = getattr(embedder, "last_n_windows_", None)
        win = np.ones(len(idx), np.int64) if win is None or len(win) != len(idx) else win
        for j, i in enumerate(idx):
            vecs[i] = out[j]
        windows[idx] = win
        if cache is not None:
            cache.put_many(namespace, [keys[i] for i in idx], out, win)

    if unique:
        matrix = np.stack(vecs).astype(np.float32, copy=False)  # type: ignore[arg-type]
    else:
        matrix = np.zeros((0, embedder.dim), dtype=np.float32)
    result = np.ascontiguousarray(matrix[inverse])
    if return_windows:
        return result, n_from_cache, windows[inverse]
    return result, n_from_cache
