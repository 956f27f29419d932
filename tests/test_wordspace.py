"""The words view joined to the embedding (issue 11): exact geometry, and what it changes."""

from __future__ import annotations

import numpy as np

from conftest import PlantedEmbedder
from novelty import scan
from novelty.lexical import content_weights, token_counts
from novelty.wordspace import WordWeights, joined

TEXTS = [
    "multiply 17 by 23 giving 391 then add 5 giving 396",
    "multiply 17 by 23 = 391 , add 5 : 396",
    "halve 40 giving 20 then square giving 400",
    "tabulate residues 3 9 27 81 with period 5",
    "the answer is 396",
    "",
]


def test_rows_keep_the_inner_products_of_the_weights(monkeypatch):
    """The rows are the weights in their own singular basis: every inner product is kept
    (cosine distances are those of the weights), and a text without tokens is a zero row."""
    held = {"multiply": 3, "the": 4, "giving": 1}
    rows = WordWeights(held, 4).rows(TEXTS)
    assert rows.shape == (len(TEXTS), len(TEXTS)) and rows.dtype == np.float32
    counts, vocab = token_counts(TEXTS)
    w = content_weights(counts, vocab, held, 4, n_rows=len(TEXTS)).toarray()
    np.testing.assert_allclose(rows @ rows.T, w @ w.T, atol=1e-5)
    assert not rows[-1].any()
    # a problem too large to decompose dense: the same inner products from its leading
    # directions, here all of them
    monkeypatch.setattr("novelty.wordspace._DENSE_MAX", 1)
    sparse = WordWeights(held, 4).rows(TEXTS)
    np.testing.assert_allclose(sparse @ sparse.T, w @ w.T, atol=1e-4)
    # fewer dimensions than the rank: the leading directions, still unit rows
    small = WordWeights(held, 4).rows(TEXTS, dim=2)
    np.testing.assert_allclose(np.linalg.norm(small[:-1], axis=1), 1.0, atol=1e-5)


def test_joined_distance_is_the_shared_sum_of_both_views():
    rng = np.random.default_rng(0)
    e = rng.normal(size=(6, 8))
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    w = rng.normal(size=(6, 5))
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    for share in (0.2, 0.5, 0.8):
        v = joined(e, w, share)
        np.testing.assert_allclose(
            1 - v @ v.T, (1 - share) * (1 - e @ e.T) + share * (1 - w @ w.T), atol=1e-5
        )
    # a trace without words keeps its embedding's direction, as a unit row
    v = joined(e, np.zeros_like(w), 0.5)
    np.testing.assert_allclose(v[:, :8], e, atol=1e-6)


N = 32
STYLE = "I will lay it out systematically and give the boxed answer."


def _records() -> list[dict]:
    """Four problems, two strategies each (``a``, ``b``: the embedder's tags). In problem 0 a
    third of the RL samples compute something new, which the embedder places among ``a``'s
    samples (their tag); every RL sample of every problem adds the same style sentence."""
    recs = []
    for p in range(4):
        for role in ("base", "rl"):
            for i in range(N):
                n = 100 * (p + 1) + 7
                if i % 2:
                    tag, body = "a", f"{n} times 3 is {3 * n} , plus 5 is {3 * n + 5}"
                else:
                    tag, body = "b", f"{n} over 4 is {n // 4} with remainder {n % 4}"
                if p == 0 and role == "rl" and i < N // 3:
                    tag, body = "a", f"half of {n} is {n / 2} , squared {n * n / 4}"
                if role == "rl":
                    body += " " + STYLE
                recs.append(
                    {
                        "id": f"{role}-{p}-{'new' if 'half' in body else 'old'}-{i}",
                        "problem_id": f"p{p}",
                        "model": role,
                        "text": f"[p{p}_{tag}] solve problem {p}: {body} (sample {'x' * (i + 1)})",
                    }
                )
    return recs


def _novel_ids(report) -> set[str]:
    return {t["id"] for t in report.traces if t["novel"]}


def test_words_find_a_method_the_embedding_cannot_tell_apart_and_not_style():
    """Issue 11: strategies written as tables or programs that MiniLM reads as a base method
    were missed. Here the embedder cannot tell the new method from the old at all: with the
    words joined (the default) its RL samples are a novel cluster; the style sentence that
    every RL sample of every problem adds weighs nothing (a token of most problems) and calls
    nothing novel; with the embedding alone (``word_share=None``) nothing is found. The
    sentence rule reads sentences with the same embedder, which by construction says every
    new sentence again, so it is off here (``tests/test_sentence_support.py``)."""
    records = _records()
    on = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole", support_sentences=None)
    assert on.config["word_share"] == 0.5
    new = {r["id"] for r in records if "-new-" in r["id"]}
    found = _novel_ids(on)
    assert found and found <= new
    assert len(found) >= len(new) // 2
    off = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole", word_share=None,
               support_sentences=None)  # fmt: skip
    assert not _novel_ids(off)
