"""Behaviours: strategies that recur across problems (writing a program, working backwards, a
table of cases), found label-blind and tested problem by problem.

With eight samples a problem, a strategy RL adds to two or three of them never forms a cluster
within the problem; across forty problems it is plain. Each trace's vector has its problem's
mean removed (the mean of all its traces, base and RL alike, so the transform never sees the
labels) and is re-normalised: what is left is how the trace differs from the other answers to
the same question. The traces of all problems are then pooled, reduced by PCA and clustered by
HDBSCAN, neither of which sees the labels; a cluster whose members span at least
:data:`MIN_PROBLEMS` problems, and hold at most :data:`MAX_SHARE` of the traces, is a
behaviour. Its RL excess is tested with the labels permuted within each problem
(:mod:`novelty.decide.behaviours`), and its q-value comes from the scan's one multiple-testing
family, shared with the cluster candidates.

"No base sample uses it" is asked of every base trace of every problem: ``m`` counts the base
traces that lie within the pooled radius (the conformal radius of the base traces'
leave-one-out distances in this space) of a share of its RL members, or would pass for one
more member of its core (:func:`novelty.decide.support.near_core`,
:func:`~novelty.decide.support.central_to_core`): the clusters' rules, in the pooled space.
Every rule only raises ``m``: a miss, never a false novel call.

A problem with fewer than :data:`MIN_TRACES` traces is left out: with one trace there is no
content to remove, and the mean of two leaves only their difference, so every behaviour would
come with its mirror image (the other side's traces of the same problems). Two limits: a
behaviour that every trace of a problem uses is part of that problem's mean and cannot be
seen, and what the scan's view dropped before embedding (hesitation, under the default view)
cannot be a behaviour.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np

from novelty.calibrate import conformal_radius
from novelty.decide import BehaviourTest, behaviour_change, behaviour_novel, stratified_tails
from novelty.decide.behaviours import two_sided
from novelty.decide.support import central_to_core, near_core
from novelty.neighbours import cosine_distances, leave_one_out_nn, nearest_distance, search
from novelty.pool import pooled_or_here
from novelty.rows import BehaviourRow
from novelty.types import NOISE, RL, Trace
from novelty.views import center_within_problem

# Fewest traces a problem needs to take part (see the module docstring).
MIN_TRACES = 3
# Fewest problems whose traces a behaviour must hold: fewer is a strategy of one problem,
# which the per-problem clusters judge.
MIN_PROBLEMS = 3
# PCA dimensions HDBSCAN clusters in: denser neighbourhoods, and a fraction of the cost.
N_COMPONENTS = 32
# Base traces whose leave-one-out distances set the pooled radius, at most (a seeded sample).
RADIUS_SAMPLE = 1000
# Traces HDBSCAN clusters at most (a seeded sample above it; the rest are assigned).
CLUSTER_MAX = 2500
# A cluster holding more than this share of the traces is the bulk of them, not a behaviour.
MAX_SHARE = 0.5
# HDBSCAN's smallest behaviour: a share of the traces analysed, at least min_cluster_size.
MIN_SHARE = 0.005
# HDBSCAN's density smoothing (at least): behaviours are broad, and a smoother density keeps
# stray traces of neighbouring strategies out of them (measured on planted behaviours).
MIN_SAMPLES = 10
# Traces per behaviour (and of the reference) whose text keywords are drawn from.
_KEYWORD_TEXTS = 30
_REFERENCE_TEXTS = 150
_EXEMPLARS = 3
_EXCERPT_CHARS = 200
_LATEX = re.compile(r"\\[A-Za-z]+")


_ROWS = 65536  # rows projected at once
_ASSIGN_ROWS = 8192  # rows compared with the sample at once


@dataclass(frozen=True, slots=True)
class BehaviourSpace:
    """The label-blind part: which traces were analysed, their vectors with each problem's
    mean removed (unit rows), each one's problem (an integer code) and the behaviours found
    (positions into ``index``, sorted)."""

    index: np.ndarray
    vectors: np.ndarray
    problem: np.ndarray
    groups: list[np.ndarray]


@dataclass(frozen=True, slots=True)
class Behaviour:
    """One behaviour with its test: members (scan indices, sorted), the problems it spans and
    whether an RL trace lies within the radius of one of its base members."""

    members: list[int]
    n_problems: int
    test: BehaviourTest
    rl_near: bool
    base_users: int  # base members and base traces counted in m, without double counting


def behaviour_space(
    traces: Sequence[Trace],
    vectors: np.ndarray,
    index: Sequence[int] | None = None,
    *,
    min_cluster_size: int = 5,
    seed: int = 0,
    centred: np.ndarray | None = None,
    pool: Executor | None = None,
) -> BehaviourSpace:
    """Remove each problem's mean, pool the problems, and cluster (labels never read).

    Parameters
    ----------
    traces, vectors : the scan's traces (sorted) and their unit vectors.
    index : sequence of int, optional
        The traces to analyse (default all); the negative control passes the base traces.
    min_cluster_size : int
        Floor on HDBSCAN's smallest cluster (which is otherwise ``MIN_SHARE`` of the traces).
    seed : int
        Seeds PCA's solver.
    centred : ndarray, optional
        Every scan trace's vector already centred within its problem, rows like ``traces``
        (the scan's ``local`` in the problem scope): used as it is when every trace is
        analysed, instead of a second copy of the same numbers (issue 13).
    pool : Executor, optional
        Worker processes that share the nearest-sample assignment of a large scan (issue 13).
    """
    idx = np.arange(len(traces)) if index is None else np.asarray(index, dtype=np.int64)
    codes = _problem_codes([traces[i].problem_id for i in idx])
    keep = np.bincount(codes)[codes] >= MIN_TRACES
    # the kept problems renumbered 0..k-1 in the same order (not read from the traces again)
    idx, codes = idx[keep], np.unique(codes[keep], return_inverse=True)[1].astype(np.int64)
    if centred is not None and len(idx) == len(centred) and (idx == np.arange(len(idx))).all():
        return BehaviourSpace(
            idx, centred, codes, _cluster(centred, codes, min_cluster_size, seed, pool)
        )
    space = np.zeros((len(idx), vectors.shape[1] if vectors.ndim == 2 else 0), np.float32)
    # Issue 13: each problem's rows from one stable sort (a scan of every code per problem
    # was quadratic in problems); the same rows in the same order as ``codes == c`` gives.
    by_code = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[by_code])) + 1
    for rows in np.split(by_code, bounds) if len(by_code) else []:
        space[rows] = center_within_problem(vectors[idx[rows]])
    return BehaviourSpace(idx, space, codes, _cluster(space, codes, min_cluster_size, seed, pool))


def _problem_codes(problem_ids: Sequence[Any]) -> np.ndarray:
    keys = [(type(p).__name__, str(p)) for p in problem_ids]
    order = {k: j for j, k in enumerate(sorted(set(keys)))}
    return np.array([order[k] for k in keys], dtype=np.int64)


def _cluster(
    space: np.ndarray, codes: np.ndarray, floor: int, seed: int, pool: Executor | None = None
) -> list[np.ndarray]:
    """HDBSCAN's flat clusters on the PCA-reduced space that span ``MIN_PROBLEMS`` problems.

    Above ``CLUSTER_MAX`` traces HDBSCAN clusters a seeded sample of that many and each other
    trace joins the cluster of its nearest sampled trace when it lies within that trace's core
    distance (:func:`_assign`): the cost stays flat while the corpus grows, and no step reads a
    label.
    """
    n = len(space)
    if n < 2 or len(np.unique(codes)) < MIN_PROBLEMS:
        return []
    rng = np.random.default_rng([seed, 11])
    sample = np.sort(rng.choice(n, CLUSTER_MAX, replace=False)) if n > CLUSTER_MAX else None
    fit = space if sample is None else space[sample]
    size = max(floor, math.ceil(MIN_SHARE * len(fit)))
    if len(fit) <= size or float(fit.var(axis=0).sum()) <= 1e-12:  # nothing to tell apart
        return []
    from sklearn.decomposition import PCA

    from novelty._optional import require

    dims = min(N_COMPONENTS, space.shape[1], len(fit) - 1)
    pca = PCA(n_components=dims, svd_solver="randomized", random_state=seed)
    pca.fit(fit.astype(np.float64))
    # Issue 13: projected a block of rows at a time (a float64 copy of a million rows is 3 GB).
    reduced = np.concatenate(
        [
            pca.transform(space[lo : lo + _ROWS].astype(np.float64))
            for lo in range(0, len(space), _ROWS)
        ]
    )
    smoothing = max(MIN_SAMPLES, size)
    fitted = (
        require("hdbscan")
        .HDBSCAN(
            min_cluster_size=size,
            min_samples=smoothing,
            cluster_selection_method="eom",
            core_dist_n_jobs=1,
        )
        .fit(reduced if sample is None else reduced[sample])
    )
    if sample is None:
        labels = fitted.labels_.astype(np.int64)
    else:
        labels = np.full(n, NOISE, dtype=np.int64)
        labels[sample] = fitted.labels_
        rest = np.setdiff1d(np.arange(n), sample)
        labels[rest] = _assign(reduced[rest], reduced[sample], labels[sample], smoothing, pool)
    groups = []
    for label in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == label)
        if len(np.unique(codes[members])) >= MIN_PROBLEMS and len(members) <= MAX_SHARE * n:
            groups.append(members)
    return groups


def _assign(
    points: np.ndarray,
    sample: np.ndarray,
    labels: np.ndarray,
    k: int,
    pool: Executor | None = None,
) -> np.ndarray:
    """The label of each point's nearest sampled point, when the point lies within that
    point's core distance (its distance to its ``k``-th nearest sampled neighbour, HDBSCAN's
    own density scale); noise otherwise.

    Issue 13: a million points against the sample are one large matrix product, in float32
    (half the float64 time; distances of 32 PCA coordinates need no more), shared among
    ``pool``'s workers when there is one (each block's answer is the same wherever it runs).
    """
    sq = (sample**2).sum(axis=1)
    gram = sq[:, None] + sq[None, :] - 2.0 * sample @ sample.T
    k = min(k, len(sample) - 1)
    core = np.sqrt(np.maximum(np.partition(gram, k, axis=1)[:, k], 0.0))
    near = (np.ascontiguousarray(sample, dtype=np.float32), labels, core)

    def blocks() -> Iterator[tuple]:
        for lo in range(0, len(points), _ASSIGN_ROWS):
            yield (np.asarray(points[lo : lo + _ASSIGN_ROWS], dtype=np.float32), *near)

    return np.concatenate([np.zeros(0, np.int64), *pooled_or_here(pool, _assign_block, blocks)])


def _assign_block(task: tuple) -> np.ndarray:
    """:func:`_assign` of one block of points (a worker's task): FAISS's exact L2 search for
    each point's nearest sampled point (its blocked product and minimum never hold the
    block-by-sample matrix, which made the same search memory-bound)."""
    import faiss

    block, sample, labels, core = task
    index = faiss.IndexFlatL2(sample.shape[1])
    index.add(sample)
    d2, nearest = index.search(np.ascontiguousarray(block, dtype=np.float32), 1)
    nearest = nearest[:, 0]
    dist = np.sqrt(np.maximum(d2[:, 0], 0.0))
    return np.where(dist <= core[nearest], labels[nearest], NOISE).astype(np.int64)


def behaviour_tests(
    space: BehaviourSpace,
    is_rl: np.ndarray,
    config: Any,
    *,
    full_support: bool = True,
) -> list[Behaviour]:
    """Each behaviour's counts, base support ``m`` and two-sided stratified p-value.

    Parameters
    ----------
    space : BehaviourSpace
    is_rl : ndarray of bool, shape (n_traces,)
        The side of every scan trace (the negative control passes its pseudo labels).
    config : ScanConfig
        ``alpha``, ``scope``, ``support_spacing``, ``support_near``, ``support_centrality`` and
        ``seed``.
    full_support : bool, default=True
        False (the negative control, which only counts novel calls): ``m`` and the core are
        measured only for behaviours without a base member, the only ones that can be novel;
        the others get their base members as ``m`` (a lower bound) and no core.
    """
    if not space.groups:
        return []
    rl = is_rl[space.index]
    strata, units = _strata(space.problem, rl, pooled=config.scope == "global")
    measured = [g for g in space.groups if full_support or rl[g].all()]
    radius = _pooled_radius(space.vectors[~rl], config.alpha, config.seed) if measured else np.inf
    out = []
    for k, g in enumerate(space.groups):
        counts = np.bincount(space.problem[g], minlength=space.problem.max() + 1)
        observed = int(rl[g].sum())
        p_up, p_down = stratified_tails(
            np.column_stack([strata[:, :2], counts[strata[:, 2]]]),
            observed,
            None if units is None else (counts[units[0]], len(units[0]), units[1]),
            seed=config.seed + k,
        )
        p, rl_side = two_sided(p_up, p_down)
        members = space.index[g]
        if full_support or rl[g].all():
            support, n_core = _base_support(space, g[rl[g]], rl, radius, config)
        else:
            support, n_core = set(members[~rl[g]].tolist()), 0
        out.append(
            Behaviour(
                members=members.tolist(),
                n_problems=len(np.unique(space.problem[g])),
                test=BehaviourTest(
                    n_base=int((~rl[g]).sum()),
                    n_rl=observed,
                    m=len(support),
                    n_core=n_core,
                    p_value=p,
                    rl_side=rl_side,
                ),
                rl_near=full_support and observed == 0 and _rl_near(space, g, rl, radius),
                base_users=len(support | set(members[~rl[g]].tolist())),
            )
        )
    return out


def _rl_near(
    space: BehaviourSpace, base_members: np.ndarray, rl: np.ndarray, radius: float
) -> bool:
    """Whether an RL trace lies within the radius of one of a base-only behaviour's members."""
    if not rl.any():
        return False
    return bool((nearest_distance(space.vectors[base_members], space.vectors[rl]) <= radius).any())


def _strata(
    problem: np.ndarray, rl: np.ndarray, *, pooled: bool
) -> tuple[np.ndarray, tuple[np.ndarray, int] | None]:
    """Rows ``(traces, RL traces, problem code)`` of the problems tested within themselves,
    and, when ``pooled`` (global scope), the one-sided problems' codes with how many are RL.

    In the problem scope every problem is its own stratum (a one-sided one is a constant)."""
    n = np.bincount(problem)
    n_rl = np.bincount(problem, weights=rl, minlength=len(n)).astype(np.int64)
    codes = np.arange(len(n))
    one_sided = (n_rl == 0) | (n_rl == n)
    if not pooled or not one_sided.any():
        return np.column_stack([n, n_rl, codes]), None
    two = ~one_sided
    units = codes[one_sided]
    return np.column_stack([n[two], n_rl[two], codes[two]]), (units, int((n_rl[units] > 0).sum()))


def _pooled_radius(base: np.ndarray, alpha: float, seed: int) -> float:
    """The conformal radius of the base traces among each other, all problems pooled.

    Above ``RADIUS_SAMPLE`` base traces the leave-one-out distances of a seeded sample of them
    (each still against every base trace) stand for all, and the radius is read at a level
    three standard errors below alpha: it errs large, which only raises ``m`` and shrinks the
    core, as a radius measured on every trace would rarely do by chance.
    """
    n = len(base)
    if n < 2:
        return np.inf
    if n <= RADIUS_SAMPLE:
        return float(conformal_radius(leave_one_out_nn(base), alpha))
    pick = np.random.default_rng([seed, 13]).choice(n, RADIUS_SAMPLE, replace=False)
    dist, idx = search(base[pick], base, 2)
    loo = np.where(idx[:, 0] == pick, dist[:, 1], dist[:, 0])
    level = max(alpha - 3.0 * math.sqrt(alpha * (1 - alpha) / RADIUS_SAMPLE), 0.0)
    return float(conformal_radius(loo, level)) if level > 0 else float(loo.max())


def _base_support(
    space: BehaviourSpace, rl_members: np.ndarray, rl: np.ndarray, radius: float, config: Any
) -> tuple[set[int], int]:
    """The base traces (scan indices) of any problem that use the behaviour, and its core.

    A base trace uses it when it lies within the pooled radius of a share of the RL members
    (``support_share``, at most ``support_count`` of them: one RL member near a base trace of
    another strategy does not make the behaviour the base model's), or would pass for one
    more member of the core (the RL members beyond the radius of every base trace), as
    :func:`novelty.decide.support.candidate_support` asks of a cluster. Returns the set (``m``
    is its size) and the core's size.
    """
    if not len(rl_members):
        return set(), 0
    base_pos = np.flatnonzero(~rl)
    base, mem = space.vectors[base_pos], space.vectors[rl_members]
    if not len(base_pos):
        return set(), len(rl_members)
    d = cosine_distances(mem, base)
    core = d.min(axis=1) > radius
    need = max(1, min(math.ceil(config.support_share * len(mem) - 1e-9), config.support_count))
    used = (d <= radius).sum(axis=0) >= need
    used |= near_core(mem[core], base, config.support_spacing, config.support_near)
    if config.support_centrality is not None:
        used |= central_to_core(mem[core], base, quantile=config.support_centrality)
    return {int(space.index[p]) for p in base_pos[used]}, int(core.sum())


def exemplars(space: BehaviourSpace, members: Sequence[int], prefer: np.ndarray) -> list[int]:
    """Up to three members (scan indices) nearest the behaviour's mean direction, from
    different problems, the preferred side (RL when it has RL members) first."""
    pos = np.searchsorted(space.index, np.asarray(members, dtype=np.int64))
    pick = pos[prefer[space.index[pos]]] if prefer[space.index[pos]].any() else pos
    centre = space.vectors[pick].mean(axis=0)
    order = pick[np.argsort(-(space.vectors[pick] @ centre), kind="stable")]
    out, seen = [], set()
    for p in order.tolist():
        if space.problem[p] not in seen:
            seen.add(int(space.problem[p]))
            out.append(int(space.index[p]))
        if len(out) == _EXEMPLARS:
            break
    return out


def behaviour_keywords(
    traces: Sequence[Trace], behaviours: Sequence[Sequence[int]], rest: Sequence[int], seed: int
) -> list[list[str]]:
    """c-TF-IDF keywords of each behaviour against the traces in none (whole text, LaTeX
    commands dropped; hesitation is a behaviour too), on seeded samples of at most
    ``_KEYWORD_TEXTS`` texts a behaviour (``_REFERENCE_TEXTS`` for the reference), so that
    the cost does not grow with the corpus."""
    from novelty.describe import ctfidf_keywords

    rng = np.random.default_rng([seed, 7])

    def sample(ids: Sequence[int], most: int) -> list[str]:
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) > most:
            ids = np.sort(rng.choice(ids, size=most, replace=False))
        return [_LATEX.sub(" ", traces[i].text) for i in ids.tolist()]

    if not behaviours:
        return []
    docs = [sample(b, _KEYWORD_TEXTS) for b in behaviours]
    return ctfidf_keywords(docs, sample(rest, _REFERENCE_TEXTS))


def roles(traces: Sequence[Trace]) -> np.ndarray:
    """Whether each trace is RL."""
    return np.array([t.role == RL for t in traces], dtype=bool)


def behaviour_rows(
    found: Sequence[Behaviour],
    q: np.ndarray,
    space: BehaviourSpace,
    traces: Sequence[Trace],
    config: Any,
) -> list[BehaviourRow]:
    """The report's ``behaviours[]``: each behaviour's call, keywords and exemplars."""
    from novelty.describe import clip_text

    is_rl = roles(traces)
    n_base_all = int((~is_rl[space.index]).sum())
    used = set().union(*(b.members for b in found)) if found else set()
    rest = [i for i in space.index.tolist() if i not in used] or space.index.tolist()
    keywords = behaviour_keywords(traces, [b.members for b in found], rest, config.seed)
    rows = []
    for k, (b, qk, kw) in enumerate(zip(found, q.tolist(), keywords, strict=True)):
        novel = behaviour_novel(b.test, qk, alpha=config.alpha, min_rl=config.min_cluster_size)
        ex = exemplars(space, b.members, is_rl if b.test.n_rl else ~is_rl)
        rows.append(
            BehaviourRow(
                id=k,
                n_base=b.test.n_base,
                n_rl=b.test.n_rl,
                n_problems=b.n_problems,
                trace_ids=[traces[i].id for i in b.members],
                novel=novel,
                support_change=behaviour_change(
                    b.test, qk, novel=novel, alpha=config.alpha, rl_near=b.rl_near
                ),
                p_value=b.test.p_value,
                q_value=float(qk),
                keywords=kw,
                exemplar_ids=[traces[i].id for i in ex],
                prevalence_upper_95=upper_95(b.base_users, n_base_all),
                m=b.test.m,
                exemplar_excerpt=clip_text(traces[ex[0]].text, _EXCERPT_CHARS) if ex else "",
            )
        )
    return rows


def upper_95(k: int, n: int) -> float:
    """One-sided 95% Clopper–Pearson upper bound on a share seen ``k`` times in ``n``
    (``1 - 0.05 ** (1 / n)`` when ``k = 0``, as for a novel cluster)."""
    if n == 0 or k >= n:
        return 1.0
    from scipy import stats

    return float(stats.beta.ppf(0.95, k + 1, n - k))
