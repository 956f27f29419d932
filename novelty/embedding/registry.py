"""What a user passes as an embedder (None, a name, an object, a function) -> an embedder.

Names are looked up in two public tables, :data:`NAMED` (exact names) and :data:`PREFIXED`
(a prefix, whose factory gets the rest of the string); a launcher can register its own there.
Any other string is a sentence-transformers model name or path.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from novelty.embedding.base import CallableEmbedder, Embedder, HashingEmbedder
from novelty.embedding.sentence_transformer import DEFAULT_MODEL_NAME, SentenceTransformerEmbedder
from novelty.errors import ConfigError


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


NAMED: dict[str, Callable[[], Any]] = {
    "hashing": HashingEmbedder,
    "default": SentenceTransformerEmbedder,
    # The bundled default reports this name; map it back to the offline copy, not the hub.
    DEFAULT_MODEL_NAME: SentenceTransformerEmbedder,
}
PREFIXED: dict[str, Callable[[str], Any]] = {
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
        if obj in NAMED:
            return NAMED[obj]()
        for prefix, factory in PREFIXED.items():
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
