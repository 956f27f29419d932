"""Exact nearest-base-neighbour search with FAISS (inner product on unit vectors).

Per problem, the base traces form one small exact index; every RL trace of the problem is
searched against all of them, because the full-conformal p-value needs each base trace's
distance to the RL trace, not only the nearest one.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from novelty._optional import require

if TYPE_CHECKING:
    import faiss  # noqa: F401

logger = logging.getLogger(__name__)


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


def cosine_distances_to(
    queries: np.ndarray, reference: np.ndarray, *, use_gpu: bool | None = None
) -> np.ndarray:
    """Cosine distance from every query to every reference vector, shape (n_query, n_ref).

    Both inputs must be unit-norm float32 rows. The exact FAISS search with k = n_ref returns
    the whole row sorted; it is scattered back into reference order.
    """
    n_q, n_ref = len(queries), len(reference)
    if n_q == 0 or n_ref == 0:
        return np.zeros((n_q, n_ref), dtype=np.float32)
    if use_gpu is None:
        use_gpu = gpu_available()
    index = _flat_index(reference, use_gpu and n_ref <= 2048)  # GPU flat search caps k at 2048
    sims, idx = index.search(np.ascontiguousarray(queries, dtype=np.float32), n_ref)
    out = np.empty((n_q, n_ref), dtype=np.float32)
    np.put_along_axis(out, idx, 1.0 - sims, axis=1)
    return np.clip(out, 0.0, 2.0)


def leave_one_out_nn(base: np.ndarray, *, use_gpu: bool | None = None) -> np.ndarray:
    """Cosine distance of each base vector to its nearest *other* base vector, shape (n_base,).

    With a single base trace there is no other one: its distance is +inf.
    """
    n = len(base)
    if n < 2:
        return np.full(n, np.inf, dtype=np.float32)
    d = cosine_distances_to(base, base, use_gpu=use_gpu)
    np.fill_diagonal(d, np.inf)
    return d.min(axis=1)
