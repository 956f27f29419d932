"""Every cosine distance of the package: exact FAISS k-NN search and small dense blocks.

Vectors are unit-norm float32 rows, so cosine distance is ``1 - <a, b>``. Searches that need
only the nearest few neighbours (the conformal score, leave-one-out distances) ask FAISS for
``k`` of them; the per-problem decision rules that compare a handful of cluster members with
a problem's base traces use :func:`cosine_distances` on blocks of a few hundred rows.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

from novelty._optional import require

logger = logging.getLogger(__name__)

# The GPU flat index caps k at 2048; larger searches run on the CPU index.
_GPU_MAX_K = 2048


@lru_cache(maxsize=1)
def gpu_available() -> bool:
    """True when this faiss build has GPU support and sees a GPU (faiss-gpu on a CUDA host)."""
    faiss = require("faiss", extra="gpu")
    try:
        return hasattr(faiss, "StandardGpuResources") and faiss.get_num_gpus() > 0
    except Exception:  # a CPU-only build without the symbol, or a broken driver
        return False


@lru_cache(maxsize=1)
def _gpu_resources():
    faiss = require("faiss", extra="gpu")
    return faiss.StandardGpuResources()


def _flat_index(vectors: np.ndarray, use_gpu: bool):
    """Exact inner-product index over ``vectors``; on the GPU when asked and possible."""
    faiss = require("faiss")
    index = faiss.IndexFlatIP(vectors.shape[1])
    if use_gpu:
        index = faiss.index_cpu_to_gpu(_gpu_resources(), 0, index)
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def search(
    queries: np.ndarray, reference: np.ndarray, k: int, *, use_gpu: bool | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest reference rows of every query: distances ascending, and their indices.

    Returns arrays of shape ``(n_query, min(k, n_ref))``; exact (``IndexFlatIP``), on the GPU
    when faiss-gpu sees one and ``k`` fits its limit.
    """
    n_q, n_ref = len(queries), len(reference)
    k = min(k, n_ref)
    if n_q == 0 or k == 0:
        return np.zeros((n_q, k), dtype=np.float32), np.zeros((n_q, k), dtype=np.int64)
    if use_gpu is None:
        use_gpu = gpu_available()
    index = _flat_index(reference, use_gpu and k <= _GPU_MAX_K)
    sims, idx = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return np.clip(1.0 - sims, 0.0, 2.0), idx


def cosine_distances_to(
    queries: np.ndarray, reference: np.ndarray, *, use_gpu: bool | None = None
) -> np.ndarray:
    """Cosine distance from every query to every reference vector, shape (n_query, n_ref).

    The exact FAISS search with ``k = n_ref`` returns each row sorted; it is scattered back
    into reference order.
    """
    n_q, n_ref = len(queries), len(reference)
    if n_q == 0 or n_ref == 0:
        return np.zeros((n_q, n_ref), dtype=np.float32)
    dist, idx = search(queries, reference, n_ref, use_gpu=use_gpu)
    out = np.empty((n_q, n_ref), dtype=np.float32)
    np.put_along_axis(out, idx, dist, axis=1)
    return out


def nearest_distance(
    queries: np.ndarray, reference: np.ndarray, *, use_gpu: bool | None = None
) -> np.ndarray:
    """Distance from every query to its nearest reference row, shape (n_query,); +inf when
    there is no reference row."""
    if len(reference) == 0:
        return np.full(len(queries), np.inf, dtype=np.float32)
    return search(queries, reference, 1, use_gpu=use_gpu)[0][:, 0]


def leave_one_out_nn(base: np.ndarray, *, use_gpu: bool | None = None) -> np.ndarray:
    """Cosine distance of each base vector to its nearest *other* base vector, shape (n_base,).

    With a single base trace there is no other one: its distance is +inf.
    """
    n = len(base)
    if n < 2:
        return np.full(n, np.inf, dtype=np.float32)
    # The two nearest of each row hold its nearest other row, whether or not a duplicate
    # (or rounding) puts the row itself first.
    dist, idx = search(base, base, 2, use_gpu=use_gpu)
    first_is_self = idx[:, 0] == np.arange(n)
    return np.where(first_is_self, dist[:, 1], dist[:, 0]).astype(np.float32)


def cosine_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dense cosine distances between two small blocks of unit rows, shape (len(a), len(b)).

    For the per-problem rules that compare cluster members with each other or with a
    problem's base traces (hundreds of rows): a matrix product is cheaper there than an index.
    """
    return 1.0 - np.asarray(a) @ np.asarray(b).T
