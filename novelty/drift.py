"""One global test of "RL traces are distributed like base traces": drift is not novelty.

A distribution can move a long way (new phrasing, different mix of known strategies) while no
strategy is new. Shown next to the novel-cluster count, this statistic lets a reader see the
two apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from typing import Any

import numpy as np

from novelty.threads import in_thread
from novelty.types import RL

N_FEATURES = 256
N_PERMUTATIONS = 200
_BANDWIDTH_SAMPLE = 500
_ROWS = 65536  # rows of random features computed at once
_MASKS = 25  # permutations tested at once


def mmd_test(
    vectors: np.ndarray,
    is_rl: np.ndarray,
    groups: np.ndarray | None = None,
    *,
    n_features: int = N_FEATURES,
    n_permutations: int = N_PERMUTATIONS,
    seed: int = 0,
) -> dict[str, Any] | None:
    """Gaussian-kernel MMD between base and RL vectors with a label-permutation p-value.

    Parameters
    ----------
    vectors : ndarray of shape (n, d)
        One embedding per trace.
    is_rl : ndarray of shape (n,), bool
        Side of each trace.
    groups : ndarray of shape (n,), optional
        Problem of each trace; labels are permuted within a problem only.
    n_features, n_permutations, seed : int
        Random Fourier features, permutations, and the seed of both.

    Returns
    -------
    dict or None
        ``mmd2`` (squared MMD in the feature space), ``null_mean`` (its mean under
        permutation), ``p_value``, and the settings; ``None`` when a side is empty.

    Notes
    -----
    Why MMD and not a classifier's AUC: the permutation test has to refit its statistic on
    every permutation, and a cross-validated classifier refit 200 times on thousands of traces
    costs minutes, while MMD on ``n_features`` random Fourier features [2]_ of a Gaussian kernel
    [1]_ (bandwidth: median pairwise distance of a subsample) is one matrix product for all
    permutations at once, seconds for tens of thousands of traces.

    Null hypothesis: within each problem, base and RL labels are exchangeable. Permuting
    within problems keeps each problem's mix of base and RL fixed, so a difference in how many
    samples each side drew per problem is not read as drift. ``p = (1 + #{T_perm >= T}) /
    (1 + n_permutations)`` is valid for any statistic, the approximate kernel included.

    References
    ----------
    .. [1] Gretton et al., "A Kernel Two-Sample Test", JMLR 13 (2012).
    .. [2] Rahimi & Recht, "Random Features for Large-Scale Kernel Machines", NIPS 2007.
    """
    x = np.asarray(vectors)  # issue 13: float64 one chunk of rows at a time, never all at once
    labels = np.asarray(is_rl, dtype=bool)
    n_rl = int(labels.sum())
    n_base = len(labels) - n_rl
    if n_rl == 0 or n_base == 0:
        return None
    rng = np.random.default_rng(seed)
    bandwidth = _median_distance(x, rng)
    w = rng.normal(scale=1.0 / bandwidth, size=(x.shape[1], n_features))
    b = rng.uniform(0.0, 2.0 * np.pi, size=n_features)
    # Issue 13: the features in float32 (a million traces: 1 GB, not 2, and half the time;
    # a cosine of a projection needs no more); each side's sums are taken in float64 below.
    phi = np.empty((len(x), n_features), dtype=np.float32)
    w32, b32, scale = (
        w.astype(np.float32),
        b.astype(np.float32),
        np.float32(np.sqrt(2.0 / n_features)),
    )
    for lo in range(0, len(x), _ROWS):
        rows = np.asarray(x[lo : lo + _ROWS], dtype=np.float32)
        phi[lo : lo + _ROWS] = scale * np.cos(rows @ w32 + b32)
    total = phi.sum(axis=0, dtype=np.float64)

    def stat(masks: np.ndarray) -> np.ndarray:
        s_rl = _masked_sums(masks, phi)
        diff = s_rl / n_rl - (total - s_rl) / n_base
        return (diff * diff).sum(axis=-1)

    observed = float(stat(labels[None, :])[0])
    # The permutations a few at a time (the same draws in the same order): 200 float64 masks
    # over a million traces would be 1.6 GB.
    null = np.concatenate(
        [stat(m) for m in permutation_chunks(labels, groups, n_permutations, rng, _MASKS)]
        or [np.zeros(0)]
    )
    return {
        "method": "mmd_rff",
        "mmd2": observed,
        "null_mean": float(null.mean()),
        "p_value": float((1 + (null >= observed).sum()) / (1 + n_permutations)),
        "n_permutations": n_permutations,
        "n_features": n_features,
        "bandwidth": bandwidth,
        "seed": seed,
        "stratified_by_problem": groups is not None,
    }


def _masked_sums(masks: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Each mask's sum of the rows of ``phi`` it selects, in float64, a block of rows at a
    time (a float64 copy of a million traces' features would be 2 GB)."""
    out = np.zeros((len(masks), phi.shape[1]))
    for lo in range(0, phi.shape[0], _ROWS):
        block = phi[lo : lo + _ROWS].astype(np.float64)
        out += masks[:, lo : lo + _ROWS].astype(np.float64) @ block
    return out


def _median_distance(x: np.ndarray, rng: np.random.Generator) -> float:
    """Median Euclidean distance between distinct points of a subsample (the usual heuristic)."""
    pick = rng.choice(len(x), size=min(len(x), _BANDWIDTH_SAMPLE), replace=False)
    sub = np.asarray(x[pick], dtype=np.float64)
    sq = (sub * sub).sum(axis=1)
    d2 = np.clip(sq[:, None] + sq[None, :] - 2.0 * sub @ sub.T, 0.0, None)
    upper = np.sqrt(d2[np.triu_indices(len(sub), k=1)])
    med = float(np.median(upper)) if upper.size else 0.0
    return med if med > 1e-9 else 1.0


def permute_within_groups(
    labels: np.ndarray, groups: np.ndarray | None, n: int, rng: np.random.Generator
) -> np.ndarray:
    """``n`` copies of ``labels``, each shuffled within its group, shape (n, len(labels))."""
    parts = list(permutation_chunks(labels, groups, n, rng, max(n, 1)))
    return parts[0] if parts else np.zeros((0, len(labels)), dtype=bool)


def permutation_chunks(
    labels: np.ndarray, groups: np.ndarray | None, n: int, rng: np.random.Generator, size: int
) -> Iterator[np.ndarray]:
    """:func:`permute_within_groups`' ``n`` rows, ``size`` at a time (the same draws)."""
    length = len(labels)
    if groups is None:
        for lo in range(0, n, size):
            yield np.stack([rng.permutation(labels) for _ in range(min(size, n - lo))])
        return
    _, g = np.unique(np.asarray(groups), return_inverse=True)
    slots = np.argsort(g, kind="stable")  # positions, group by group
    rows = _equal_groups(g, slots)
    for lo in range(0, n, size):
        out = np.empty((min(size, n - lo), length), dtype=bool)
        for i in range(len(out)):
            # Same groups in the same order, shuffled inside each group.
            if rows is None:
                source = np.lexsort((rng.random(length), g))
                out[i, slots] = labels[source]
            else:  # issue 13: equal groups are rows of a matrix, each shuffled in place
                out[i, slots] = rng.permuted(labels[slots].reshape(rows, -1), axis=1).ravel()
        yield out


def _equal_groups(g: np.ndarray, slots: np.ndarray) -> int | None:
    """The number of groups when every group has the same size (``slots`` lists them group
    by group), else None."""
    counts = np.bincount(g)
    return len(counts) if len(counts) and (counts == counts[0]).all() else None


def scan_drift(
    local: np.ndarray, traces: Sequence[Any], stats: Sequence[Any], seed: int
) -> dict[str, Any] | None:
    """:func:`mmd_test` of a scan, as its evidence reports it: ``local`` (each trace's vector
    in its problem's space), each trace's side, labels permuted within problems (``stats``:
    each problem's ``problem_id`` and ``order``). Issue 13: it reads nothing the decision
    makes, so a scan runs it beside the report stages, on the second core."""
    key: list[Any] = [None] * len(traces)
    for s in stats:
        for i in s.order.tolist():
            key[i] = s.problem_id
    is_rl = np.array([t.role == RL for t in traces], dtype=bool)
    groups = np.unique([str(k) for k in key], return_inverse=True)[1]
    return mmd_test(local, is_rl, groups, seed=seed)


def start_scan_drift(
    local: np.ndarray, traces: Sequence[Any], stats: Sequence[Any], seed: int
) -> Future:
    """:func:`scan_drift` in a thread of its own (its matrix products, cosines and sorts let
    go of the GIL), so the report stages run beside it; its value or error in the future."""
    return in_thread("novelty-drift", scan_drift, local, traces, stats, seed)
