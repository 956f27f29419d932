"""Vectors a pipeline already computed, one per trace, in place of the embedding stage.

``scan(source, embeddings=array)`` and ``novelty scan traces.jsonl --embeddings vectors.npy``
hand the scan one row per trace, in the order the traces are read (a file's line order, a
folder's files in name order, the base side of a pair before its RL side). Each row replaces
the trace's embedded vector: it is normalised to unit length (distances are cosines) and
nothing is embedded or cached.

No stage after embedding reads piece vectors: the view's pieces (the strategy view's planning
sentences, a long text's windows) exist only to be pooled into the trace's vector, so a given
trace vector skips the view and the pooling, and every later stage runs unchanged. The report
says so instead of naming a view that was never applied: ``config.embedder`` is
``"precomputed"``, ``summary.view`` is ``"precomputed"`` and ``summary.n_view_texts`` is 0.
Keywords, exemplars and degenerate-shortcut labels read the traces' texts, as always.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from novelty.embedding.traces import TraceEmbeddings
from novelty.errors import InputError

# What the report names as embedder and view when the vectors were given.
PRECOMPUTED = "precomputed"
# A row whose norm is this close to 1 is already a unit vector (float32 rounding).
_UNIT_TOL = 1e-5


def load_embeddings(source: Any) -> tuple[np.ndarray, str]:
    """The array and a name for messages: a ``.npy`` path is memory-mapped, an array is used
    as given (never copied here)."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise InputError("embeddings file not found", path=path)
        try:
            array = np.load(path, mmap_mode="r", allow_pickle=False)
        except (ValueError, OSError) as err:
            raise InputError(f"not a readable .npy array: {err}", path=path) from err
        if not isinstance(array, np.ndarray):  # an .npz archive
            raise InputError("expected one array saved with numpy.save (.npy)", path=path)
        return array, str(path)
    if not isinstance(source, np.ndarray):
        try:
            source = np.asarray(source)
        except (TypeError, ValueError) as err:
            raise InputError(f"embeddings must be a 2-D numeric array: {err}") from err
    return source, "embeddings array"


def precomputed_embeddings(
    source: Any, n_traces: int, order: np.ndarray, *, chunk: int = 65_536
) -> TraceEmbeddings:
    """Check the given vectors and return them as the scan's trace vectors.

    Parameters
    ----------
    source : ndarray or path of a ``.npy`` file
        Shape (n_traces, dim), numeric, every value finite and no row all zeros.
    n_traces : int
        How many traces the scan read.
    order : ndarray of int, shape (n_traces,)
        ``order[i]`` is the input row of the scan's ``i``-th (sorted) trace.

    Raises
    ------
    InputError
        Naming the file (or "embeddings array") and what is wrong: not 2-D, a row count other
        than the traces', no columns, a non-numeric dtype, a NaN/inf or all-zero row (its
        first row number, 0-based). Nothing is written before the check passes.
    """
    array, name = load_embeddings(source)
    where = {"path": name} if name != "embeddings array" else {}
    if array.ndim != 2:
        raise InputError(
            f"embeddings must be a 2-D array (one row per trace), got shape {array.shape}",
            **where,
        )
    if array.shape[0] != n_traces:
        raise InputError(
            f"embeddings have {array.shape[0]} rows but the scan read {n_traces} traces "
            "(one row per trace, in input order)",
            **where,
        )
    if array.shape[1] == 0:
        raise InputError("embeddings have 0 dimensions", **where)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise InputError(f"embeddings must be numeric, got dtype {array.dtype}", **where)
    vectors = np.empty((n_traces, array.shape[1]), dtype=np.float32)
    position = np.empty(n_traces, dtype=np.int64)
    position[order] = np.arange(n_traces)  # the scan position of each input row
    for start in range(0, n_traces, chunk):  # bounded extra memory on a memory-mapped file
        block = np.asarray(array[start : start + chunk], dtype=np.float64)
        finite = np.isfinite(block).all(axis=1)
        norms = np.linalg.norm(np.where(finite[:, None], block, 0.0), axis=1)
        bad = ~finite | (norms == 0)
        if bad.any():
            row = start + int(np.flatnonzero(bad)[0])
            what = "all zeros" if finite[row - start] else "a NaN or infinite value"
            raise InputError(f"embeddings row {row} (0-based) has {what}", **where)
        # Unit rows (what an embedder gives) are kept bit for bit; others are normalised.
        scale = np.where(np.abs(norms - 1.0) <= _UNIT_TOL, 1.0, norms)
        vectors[position[start : start + len(block)]] = block / scale[:, None]
    return TraceEmbeddings(
        vectors=vectors,
        embedder=PRECOMPUTED,
        dim=int(array.shape[1]),
        device=None,
        precision=str(array.dtype),
        window=None,
        n_chunked=0,
        n_view_texts=0,
        n_from_cache=0,
        view_kept_fraction_mean=1.0,
        view_kept_fraction_min=1.0,
    )
