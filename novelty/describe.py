"""What a cluster is about: keywords that set it apart, its exemplar, and the nearest base trace.

Nothing here decides anything; it only describes clusters the decision already made, so that a
reader can check a "novel" call against the text.

Keywords are class-based TF-IDF (c-TF-IDF): every cluster of a problem is one document (its
traces joined), and the problem's base traces are one more, the reference. A term scores high
for a cluster when it is frequent there and rare across the problem's documents; what the base
traces already say as often is subtracted, so the words left are those that set the cluster
apart from how the base model writes about the same problem. Texts go through the strategy
view first, so "wait, let me double-check" never passes for a method, and LaTeX commands are
dropped.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np

from novelty.neighbours import cosine_distances
from novelty.pool import pooled_or_here
from novelty.types import BASE, RL, Trace
from novelty.views import strategy_view

N_KEYWORDS = 8
# LaTeX commands (\cdot, \boxed, \equiv): notation, not method.
_LATEX = re.compile(r"\\[A-Za-z]+")
# Card texts in report.json are cut to this many characters (an ellipsis marks the cut).
TEXT_CHARS = 1500


def clip_text(text: str, limit: int = TEXT_CHARS) -> str:
    """``text`` whitespace-normalised, cut to ``limit`` characters with a trailing ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def ctfidf_keywords(
    cluster_docs: Sequence[Sequence[str]], reference: Sequence[str], *, top: int = N_KEYWORDS
) -> list[list[str]]:
    """Top terms of each cluster document against the other clusters and a reference document.

    Parameters
    ----------
    cluster_docs : sequence of sequence of str
        Each cluster's texts; a cluster's class document is their union (terms are counted
        per text and summed, so no bigram spans two traces).
    reference : sequence of str
        The texts the keywords must stand apart from (the problem's base traces).
    top : int
        Keywords per cluster.

    Returns
    -------
    list of list of str
        For each cluster, up to ``top`` terms whose c-TF-IDF weight in the cluster exceeds
        their weight in the reference, best first (ties broken alphabetically). Empty when
        nothing sets the cluster apart.

    Notes
    -----
    Weight of term t in class c: ``tf(t, c) / n_c * log(1 + A / f(t))`` with ``n_c`` the
    class's number of texts, ``A`` the mean token count per class and ``f(t)`` the term's count
    over all classes: the class-based TF-IDF of Grootendorst (2022, BERTopic), with term
    frequency per text instead of per token so that text length does not make keywords.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    classes = [*cluster_docs, reference]
    every = [t for docs in classes for t in docs]
    owner = np.repeat(np.arange(len(classes)), [len(docs) for docs in classes])
    # Each distinct text is counted once and its counts added to every class holding it
    # (nested clusters share traces): the same counts, and the same vocabulary (issue 13).
    where = {t: j for j, t in enumerate(dict.fromkeys(every))}
    texts = list(where)
    column = np.fromiter((where[t] for t in every), dtype=np.int64, count=len(every))
    vec = CountVectorizer(analyzer=_analyzer())
    try:
        per_text = vec.fit_transform(texts)
    except ValueError:  # no text, or every token was a stop word or a number
        return [[] for _ in cluster_docs]
    # Each class's counts, summed over its texts as a sparse product (integer sums: exact).
    owner_matrix = sparse.csr_matrix(
        (np.ones(len(every)), (owner, column)), shape=(len(classes), len(texts))
    )
    counts = (owner_matrix @ per_text).toarray().astype(np.float64)
    terms = vec.get_feature_names_out()
    # Frequency per trace, not per token: a cluster of shorter traces must not inherit the
    # base's own words as keywords just because each of them is a larger share of less text.
    n_texts = np.array([[max(len(docs), 1)] for docs in classes], dtype=np.float64)
    tf = counts / n_texts
    idf = np.log1p(counts.sum(axis=1).mean() / np.maximum(counts.sum(axis=0), 1.0))
    w = tf * idf
    apart = w[:-1] - w[-1]
    # Equal shares computed from different counts differ in the last bits: not a keyword.
    floor = 1e-9 * max(float(w.max()), 1e-300)
    out = []
    for row in apart:
        order = np.lexsort((terms, -row))
        out.append([str(terms[j]) for j in order[:top] if row[j] > floor])
    return out


@functools.cache
def _analyzer() -> Callable[[str], list[str]]:
    """Words of two letters or more and their bigrams, English stop words left out: built
    once (issue 13: the vectorizer's per-call checks of its stop words cost more than
    counting a problem's words)."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        stop_words="english", ngram_range=(1, 2), token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b"
    ).build_analyzer()


def describe_clusters(
    clusters: Sequence[tuple[Any, Sequence[int], int]],
    scopes: Mapping[Any, Sequence[int]],
    traces: Sequence[Trace],
    local: np.ndarray,
    pool: Executor | None = None,
) -> list[dict[str, Any]]:
    """``keywords``, ``exemplar_text`` and the nearest base trace of each cluster.

    Parameters
    ----------
    clusters : sequence of (problem id, member indices, exemplar index)
        The report's clusters, in report order; indices into ``traces``.
    scopes : mapping of problem id to sequence of int
        The traces each cluster's problem id was judged among (one problem, or every trace
        under ``"*"`` in the global scope); its base traces are the keyword reference.
    traces : sequence of Trace
    local : ndarray of shape (n_traces, dim)
        Each trace's unit vector in the space the decision used (centred per problem), so the
        nearest base trace and its distance agree with ``min_base_distance``.
    pool : Executor, optional
        Describes the problems in its worker processes (issue 13: at a million traces the
        keywords were the largest stage left in one process); the same results as without.

    Returns
    -------
    list of dict
        One per cluster, in order: ``keywords``, ``exemplar_text``, ``nearest_base_id``,
        ``nearest_base_distance``, ``nearest_base_text``.

    Notes
    -----
    For a cluster with RL members, ``nearest_base_id`` is the base trace of its problem that
    comes closest to any RL member, and ``nearest_base_distance`` that cosine distance: the
    strongest evidence against a novel call, shown beside the exemplar. Base-only clusters get
    ``None``.
    """
    by_problem: dict[Any, list[int]] = defaultdict(list)
    for j, (pid, _, _) in enumerate(clusters):
        by_problem[pid].append(j)
    keys = list(by_problem)
    bases = [[i for i in scopes.get(pid, ()) if traces[i].role == BASE] for pid in keys]

    def task(k: int) -> tuple:
        return _problem_task([clusters[j][1] for j in by_problem[keys[k]]], bases[k], traces, local)

    def chunks() -> Iterator[list[tuple]]:
        """A chunk at a time, as the workers take them: the tasks hold copies of vectors."""
        for lo in range(0, len(keys), _CHUNK_PROBLEMS):
            yield [task(k) for k in range(lo, min(lo + _CHUNK_PROBLEMS, len(keys)))]

    described = [d for part in pooled_or_here(pool, _describe_chunk, chunks) for d in part]
    out: list[dict[str, Any]] = [{} for _ in clusters]
    for pid, base, found in zip(keys, bases, described, strict=True):
        for j, (keywords, nearest, distance) in zip(by_problem[pid], found, strict=True):
            near = None if nearest is None else traces[base[nearest]]
            out[j] = {
                "keywords": keywords,
                "exemplar_text": clip_text(traces[clusters[j][2]].text),
                "nearest_base_id": None if near is None else near.id,
                "nearest_base_distance": distance,
                "nearest_base_text": None if near is None else clip_text(near.text),
            }
    return out


# Problems per worker task when a pool describes them.
_CHUNK_PROBLEMS = 64


def _problem_task(
    members: Sequence[Sequence[int]], base: Sequence[int], traces: Sequence[Trace], local
) -> tuple:
    """What :func:`describe_problem` reads of one problem: each distinct text once, each
    cluster's texts and the base reference as positions, each cluster's RL vectors and the
    base vectors."""
    where: dict[int, int] = {}
    docs = [[where.setdefault(int(i), len(where)) for i in ids] for ids in members]
    reference = [where.setdefault(int(i), len(where)) for i in base]
    texts = [traces[i].text for i in where]
    rl_vecs = [
        local[rl] if (rl := [i for i in ids if traces[i].role == RL]) else None for ids in members
    ]
    return texts, docs, reference, rl_vecs, local[base] if base else None


def describe_problem(
    texts: Sequence[str],
    docs: Sequence[Sequence[int]],
    reference: Sequence[int],
    rl_vecs: Sequence[np.ndarray | None],
    base_vecs: np.ndarray | None,
) -> list[tuple[list[str], int | None, float | None]]:
    """Keywords, nearest base trace (a position in the reference) and its distance, of each
    cluster of one problem; ``texts`` are the problem's distinct texts that ``docs`` (each
    cluster's) and ``reference`` (the base traces) point into."""
    views = {t: keyword_text(t) for t in dict.fromkeys(texts)}  # a repeated text once
    view = [views[t] for t in texts]
    keywords = ctfidf_keywords(
        [[view[k] for k in doc] for doc in docs], [view[k] for k in reference]
    )
    return [(kw, *_nearest_base(rl, base_vecs)) for kw, rl in zip(keywords, rl_vecs, strict=True)]


def _describe_chunk(tasks: list[tuple]) -> list[list[tuple[list[str], int | None, float | None]]]:
    """Worker: :func:`describe_problem` of each problem of a chunk."""
    from novelty.threads import one_thread

    with one_thread():
        return [describe_problem(*task) for task in tasks]


def keyword_text(text: str) -> str:
    """What keywords are drawn from: the strategy view, without LaTeX commands."""
    return _LATEX.sub(" ", strategy_view(text))


def _nearest_base(
    rl_vecs: np.ndarray | None, base_vecs: np.ndarray | None
) -> tuple[int | None, float | None]:
    """The base trace closest to any of the RL members (its position) and that distance."""
    if rl_vecs is None or base_vecs is None:
        return None, None
    d = cosine_distances(rl_vecs, base_vecs)
    j = int(np.argmin(d.min(axis=0)))
    return j, max(0.0, float(d[:, j].min()))  # no -0.0 from rounding
