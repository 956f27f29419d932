"""The lexical support rule (issue 11): RL traces that restyle or re-check a base strategy
contain its content tokens and are not called novel; a strategy that computes other things is.

The planted embedder puts each tag on its own direction, so in the embedding space the restyled
traces form an RL-only cluster far from every base trace, as restyled traces did with the real
model; only their words say that they compute what base strategy ``a`` computes.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import PlantedEmbedder
from novelty import scan
from novelty.errors import ConfigError
from novelty.lexical import LexicalSupport
from novelty.types import Trace

N = 48


def _a(p: int) -> str:
    x, y = 17 + p, 23 + 2 * p
    return f"multiply {x} by {y} giving {x * y}, then add 5 giving {x * y + 5}."


def _b(p: int) -> str:
    return f"halve {40 + p} giving {20 + p / 2:g}, then square it giving {(20 + p / 2) ** 2:g}."


def _new(p: int) -> str:
    return f"tabulate residues mod {7 + p}: 3, 9, 27 cycle with period {4 + p}, pick entry {p}."


def _styled(p: int) -> str:
    return (
        f"**Plan of attack:** let me think this through step by step. {_a(p)} "
        f"Hmm, let me double-check that: {_a(p)} Good, that matches."
    )


def _records(n_problems: int = 4) -> list[dict]:
    """Per problem: base uses a and b; RL restyles a (a quarter), re-weights, and in problem 0
    a third of RL samples compute something new."""
    recs = []
    for p in range(n_problems):
        for role in ("base", "rl"):
            for i in range(N):
                if role == "base":
                    tag, body = ("a", _a(p)) if i % 2 else ("b", _b(p))
                elif i < N // 4:
                    tag, body = "styled", _styled(p)
                elif p == 0 and i < N // 4 + N // 3:
                    tag, body = "new", _new(p)
                else:
                    tag, body = ("a", _a(p)) if i % 2 else ("b", _b(p))
                # The embedder reads the first tag; a restyled trace names strategy a's tag too,
                # so that the tags (which real text has not) add no token that only it lacks.
                # Trailing spaces: a distinct text (the embedder's noise seed), the same tokens.
                also = f" [p{p}_a]" if tag == "styled" else ""
                text = f"[p{p}_{tag}]{also} solve problem {p}: {body}" + " " * (i + 1)
                recs.append({"id": f"{role}-{p}-{tag}-{i}", "problem_id": f"p{p}",
                             "model": role, "text": text})  # fmt: skip
    return recs


def _novel_tags(report) -> set[str]:
    return {t["id"].split("-")[2] for t in report.traces if t["novel"]}


@pytest.fixture(scope="module")
def records():
    return _records()


def test_without_the_rule_restyled_traces_are_called_novel(records):
    report = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole",
                  support_lexical=None)  # fmt: skip
    assert _novel_tags(report) == {"styled", "new"}


def test_the_rule_gives_restyled_traces_base_support_and_keeps_the_new_strategy(records):
    report = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole")
    assert report.config["support_lexical"] == 0.9
    assert _novel_tags(report) == {"new"}
    styled = [c for c in report.clusters if c["n_base"] == 0 and c["n_rl"] == N // 4]
    assert styled and all(not c["novel"] and c["m"] > 0 for c in styled)
    assert any(c["support_change"] == "amplified" for c in styled)


def _trace(i: int, problem: str, role: str, text: str) -> Trace:
    return Trace(id=f"{role}{i}", problem_id=problem, role=role, text=text)


def test_support_counts_the_base_traces_the_members_contain():
    base = ["compute 17 * 23 = 391", "compute 17 * 23 = 391 then 396", "halve 40 giving 20"] * 2
    rl = ["Let me check: compute 17 * 23 = 391 then 396. Good.", "tabulate residues 3 9 27"]
    traces = [_trace(i, "p", "base", t) for i, t in enumerate(base)]
    traces += [_trace(i, "p", "rl", t) for i, t in enumerate(rl)]
    # another problem, so that words every problem uses weigh little
    traces += [_trace(i + 10, "q", "base", f"Let me check: halve {i} Good.") for i in range(4)]
    lex = LexicalSupport(traces, 0.9)
    order = np.arange(8)
    assert lex.support(order, 6, np.array([0])) > 0  # contains the 17 * 23 traces
    assert lex.support(order, 6, np.array([1])) == 0  # computes something else
    assert lex.support(order, 6, np.array([0, 1])) > 0  # half of the members is enough
    assert lex.support(order, 1, np.array([0])) == 0  # one base trace: nothing to calibrate on


def test_the_level_is_checked():
    with pytest.raises(ConfigError):
        scan(_records(1), embedder="hashing", cache=None, support_lexical=1.5)


def test_a_problems_counts_are_cut_from_the_corpus_exactly():
    """Issue 13: each problem's token counts come from the corpus's (tokenised once): the same
    presence counts and sorted vocabulary as counting the problem's texts alone."""
    from novelty.lexical import _token_counts

    traces = [
        Trace(id=f"{p}-{k}", problem_id=f"p{p}", role="base" if k < 4 else "rl", text=t)
        for p in range(3)
        for k, t in enumerate([_a(p), _b(p), _a(p) + " wait", "Check: ok", _b(p), ""] * 2)
    ]
    rule = LexicalSupport(traces, 0.9)
    for p in range(3):
        idx = np.array([i for i, t in enumerate(traces) if t.problem_id == f"p{p}"])
        cut, vocab = rule._problem_counts(idx)
        alone, alone_vocab = _token_counts([traces[i].text for i in idx])
        assert list(vocab) == list(alone_vocab)
        np.testing.assert_array_equal(cut.toarray(), alone.toarray())
