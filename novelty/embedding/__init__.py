"""Embedding: texts -> unit vectors, in one package.

- :mod:`~novelty.embedding.base`: the :class:`Embedder` protocol, :class:`Encoded` (vectors and
  window counts), the hashing and callable embedders;
- :mod:`~novelty.embedding.sentence_transformer`: the real model, loaded on first use;
- :mod:`~novelty.embedding.windows`: long texts split into windows and mean-pooled, never cut;
- :mod:`~novelty.embedding.precision`: which numeric precision the model runs in;
- :mod:`~novelty.embedding.registry`: names and objects -> embedders (:func:`as_embedder`);
- :mod:`~novelty.embedding.cache`: the on-disk cache and its keys;
- :mod:`~novelty.embedding.texts`: texts through the cache (:func:`embed_texts`);
- :mod:`~novelty.embedding.traces`: the pipeline's stage, pieces per trace -> one vector per
  trace and what the report records (:func:`embed_views`).

Nothing here imports torch or sentence-transformers until a model is loaded.
"""

from novelty.embedding.base import CallableEmbedder, Embedder, Encoded, HashingEmbedder
from novelty.embedding.cache import EmbeddingCache, default_cache_dir, open_cache, text_key
from novelty.embedding.registry import as_embedder
from novelty.embedding.sentence_transformer import DEFAULT_MODEL_NAME, SentenceTransformerEmbedder
from novelty.embedding.texts import EmbeddedTexts, embed_texts
from novelty.embedding.traces import TraceEmbeddings, embed_views

__all__ = [
    "DEFAULT_MODEL_NAME",
    "CallableEmbedder",
    "EmbeddedTexts",
    "Embedder",
    "EmbeddingCache",
    "Encoded",
    "HashingEmbedder",
    "SentenceTransformerEmbedder",
    "TraceEmbeddings",
    "as_embedder",
    "default_cache_dir",
    "embed_texts",
    "embed_views",
    "open_cache",
    "text_key",
]
