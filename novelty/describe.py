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

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from novelty.neighbours import cosine_distances
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
    vec = CountVectorizer(
        stop_words="english", ngram_range=(1, 2), token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b"
    )
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


def describe_clusters(
    clusters: Sequence[tuple[Any, Sequence[str], str]],
    scopes: Mapping[Any, Sequence[Trace]],
    local: Mapping[str, np.ndarray],
) -> list[dict[str, Any]]:
    """``keywords``, ``exemplar_text`` and the nearest base trace of each cluster.

    Parameters
    ----------
    clusters : sequence of (problem id, trace ids, exemplar id)
        The report's clusters, in report order.
    scopes : mapping of problem id to sequence of Trace
        The traces each cluster's problem id was judged among (one problem, or every trace
        under ``"*"`` in the global scope); its base traces are the keyword reference.
    local : mapping of trace id to ndarray
        Each trace's unit vector in the space the decision used (centred per problem), so the
        nearest base trace and its distance agree with ``min_base_distance``.

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
    by_id = {t.id: t for group in scopes.values() for t in group}
    base_of = {key: [t for t in group if t.role == BASE] for key, group in scopes.items()}
    by_problem: dict[Any, list[int]] = defaultdict(list)
    for j, (pid, _, _) in enumerate(clusters):
        by_problem[pid].append(j)
    out: list[dict[str, Any]] = [{} for _ in clusters]
    seen: dict[str, str] = {}  # each trace's keyword text, once (nested clusters share traces)

    def text_of(trace_id: str) -> str:
        if trace_id not in seen:
            seen[trace_id] = keyword_text(by_id[trace_id].text)
        return seen[trace_id]

    for pid, rows in by_problem.items():
        base = base_of.get(pid, [])
        docs = [[text_of(i) for i in clusters[j][1]] for j in rows]
        reference = [text_of(t.id) for t in base]
        keywords = ctfidf_keywords(docs, reference)
        base_vecs = np.stack([local[t.id] for t in base]) if base else None
        for j, kw in zip(rows, keywords, strict=True):
            _, ids, exemplar = clusters[j]
            rl_ids = [i for i in ids if by_id[i].role == RL]
            out[j] = {
                "keywords": kw,
                "exemplar_text": clip_text(by_id[exemplar].text),
                **_nearest_base(rl_ids, base, base_vecs, local),
            }
    return out


def keyword_text(text: str) -> str:
    """What keywords are drawn from: the strategy view, without LaTeX commands."""
    return _LATEX.sub(" ", strategy_view(text))


def _nearest_base(
    rl_ids: list[str], base: list[Trace], base_vecs: np.ndarray | None, local
) -> dict[str, Any]:
    """The base trace closest to any of the RL members, its distance and text."""
    if not rl_ids or base_vecs is None:
        return {"nearest_base_id": None, "nearest_base_distance": None, "nearest_base_text": None}
    d = cosine_distances(np.stack([local[i] for i in rl_ids]), base_vecs)
    j = int(np.argmin(d.min(axis=0)))
    return {
        "nearest_base_id": base[j].id,
        "nearest_base_distance": max(0.0, float(d[:, j].min())),  # no -0.0 from rounding
        "nearest_base_text": clip_text(base[j].text),
    }
