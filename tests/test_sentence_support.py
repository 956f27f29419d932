"""The sentence support rule (issue 11): RL traces that say every step of a base method again in
words of their own are not called novel; a method whose steps no base trace takes still is.

The embedder here reads words through a small synonym table, so that a reworded sentence lands
on its original (as the real model places "I take 17 times 23, which yields 391" next to
"Multiply 17 by 23 to get 391"), while the tagged whole traces land on their tag's direction:
in the trace space the restyled traces form an RL-only cluster far from every base trace.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from conftest import PlantedEmbedder, novel_tags, restyle_records
from novelty import scan
from novelty.sentence_support import SentenceSupport, containments, trace_sentences
from novelty.types import Trace

SYNONYMS = {"take": "multiply", "times": "by", "yields": "get", "plus": "add", "gives": "get",
            "final": "answer", "result": "answer", "begin": "first", "next": "then"}  # fmt: skip
FILLER = {"i", "to", "which", "the", "so", "is", "we", "now", "and", "a", "of", "it"}


def _word_vector(word: str, dim: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    return np.random.default_rng(seed).normal(size=dim)


class SynonymEmbedder:
    """Tagged texts: :class:`PlantedEmbedder`; others: the mean of their canonical words."""

    name = "synonym-test"
    dim = 32

    def __init__(self) -> None:
        self.planted = PlantedEmbedder()

    def encode(self, texts, *, batch_size: int = 32, progress=None):
        out = np.empty((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            if "[" in t:
                out[i] = self.planted.encode([t])[0]
                continue
            words = [SYNONYMS.get(w, w) for w in re.findall(r"\w+", t.lower())]
            v = sum(
                (_word_vector(w, self.dim) for w in words if w not in FILLER), np.zeros(self.dim)
            )
            out[i] = v / max(np.linalg.norm(v), 1e-12)
        if progress is not None:
            progress.advance(len(texts))
        return out


def _encode(texts: list[str]) -> np.ndarray:
    return SynonymEmbedder().encode(texts)


def _a(p: int) -> list[str]:
    x, y = 17 + p, 23 + 2 * p
    return [f"First multiply {x} by {y} to get {x * y}.", f"Then add 5 to get {x * y + 5}.",
            f"The answer is {x * y + 5}."]  # fmt: skip


def _a_reworded(p: int) -> list[str]:
    x, y = 17 + p, 23 + 2 * p
    return [f"To begin I take {x} times {y}, which yields {x * y}.",
            f"Next, plus 5 gives {x * y + 5}.", f"So the final is {x * y + 5}."]  # fmt: skip


def _b(p: int) -> list[str]:
    return [f"Halve {40 + p} to get {20 + p / 2:g}.", f"Square that to get {(20 + p / 2) ** 2:g}.",
            f"The answer is {(20 + p / 2) ** 2:g}."]  # fmt: skip


def _new(p: int) -> list[str]:
    return [f"Tabulate residues mod {7 + p}.", f"They cycle with period {4 + p}.",
            f"Pick entry {p} of the cycle."]  # fmt: skip


def test_sentences_are_lines_and_sentence_ends_without_bare_markers():
    assert trace_sentences("Step one is 3.\n1.\nThen 4. Done here.") == [
        "Step one is 3.",
        "Then 4.",
        "Done here.",
    ]


def test_a_reworded_base_trace_contains_it_and_another_method_does_not():
    question = "Solve problem zero quickly."
    texts = [" ".join([question, *_a(0)]), " ".join([question, *_b(0)]),
             " ".join([question, *_a_reworded(0)]), " ".join([question, *_new(0)])]  # fmt: skip
    out = containments(texts, 2, _encode)
    assert out.shape == (2, 4)
    assert out[0, 0] == pytest.approx(1.0) and out[1, 1] == pytest.approx(1.0)
    assert out[0, 2] == pytest.approx(1.0)  # every step of a, said again
    assert out[1, 2] == pytest.approx(0.0)  # a's rewording takes none of b's steps
    # the question every trace restates weighs nothing: another method contains nothing
    assert out[0, 3] == pytest.approx(0.0) and out[1, 3] == pytest.approx(0.0)


def test_a_base_trace_without_sentences_is_contained_nowhere():
    out = containments(
        ["1.", "Multiply 3 by 4 to get 12.", "Multiply 3 by 4 to get 12."], 2, _encode
    )
    assert out[0].tolist() == [0.0, 0.0, 0.0] and out[1, 2] == pytest.approx(1.0)


def _traces(n_each: int = 4) -> list[Trace]:
    out = [Trace(id=f"b{i}", problem_id="p0", role="base", text=" ".join((_a if i % 2 else _b)(0)))
           for i in range(2 * n_each)]  # fmt: skip
    out += [Trace(id=f"r{i}", problem_id="p0", role="rl", text=" ".join(_a_reworded(0)) + " " * i)
            for i in range(n_each)]  # fmt: skip
    out += [Trace(id=f"n{i}", problem_id="p0", role="rl", text=" ".join(_new(0)) + " " * i)
            for i in range(n_each)]  # fmt: skip
    return out


def test_support_counts_the_base_traces_that_half_the_members_say_again():
    traces = _traces()
    rule = SentenceSupport(traces, SynonymEmbedder(), contains=0.7)
    order, n_base = np.arange(len(traces)), 8
    uses_a = {i for i in range(n_base) if i % 2}
    assert rule.support(order, n_base, np.arange(4)) == len(uses_a)
    assert rule.support(order, n_base, np.arange(4, 8)) == 0
    # two reworded members of five: fewer than half say a base trace again
    assert rule.support(order, n_base, np.array([0, 1, 4, 5, 6])) == 0
    assert rule.support(order, n_base, np.array([0, 1, 2, 4, 5])) == len(uses_a)


N = 40


def _text(p: int, tag: str, body: list[str], i: int) -> str:
    """The tag on a line of its own, too short to be a sentence: it places the whole trace
    (planted), never a sentence."""
    return f"[{tag[0]}]\nProblem {p}.\n" + "\n".join(body) + " " * (i + 1)


BODIES = {"a": _a, "b": _b, "styled": _a_reworded, "new": _new}


@pytest.fixture(scope="module")
def records():
    return restyle_records(3, N, BODIES, _text)


def _scan(records, **settings):
    return scan(records, embedder=SynonymEmbedder(), cache=None, view="whole", word_share=None,
                support_lexical=None, **settings)  # fmt: skip


def test_without_the_rule_reworded_traces_are_called_novel(records):
    assert novel_tags(_scan(records, support_sentences=None)) == {"styled", "new"}


def test_the_rule_gives_reworded_traces_base_support_and_keeps_the_new_method(records):
    report = _scan(records, support_sentences=0.7)
    assert report.config["support_sentences"] == 0.7
    assert novel_tags(report) == {"new"}
    styled = [c for c in report.clusters if c["n_base"] == 0 and c["n_rl"] == N // 4]
    assert styled and all(not c["novel"] and c["m"] > 0 for c in styled)


def test_with_precomputed_vectors_there_is_no_sentence_rule(records):
    vectors = SynonymEmbedder().encode([r["text"] for r in records])
    report = scan(records, embeddings=vectors, cache=None, word_share=None, support_lexical=None,
                  support_sentences=0.7)  # fmt: skip
    assert "styled" in novel_tags(report)
