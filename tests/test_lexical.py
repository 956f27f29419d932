"""The lexical support rule (issue 11): RL traces that restyle or re-check a base strategy
contain its content tokens and are not called novel; a strategy that computes other things is.

The planted embedder puts each tag on its own direction, so in the embedding space the restyled
traces form an RL-only cluster far from every base trace, as restyled traces did with the real
model; only their words say that they compute what base strategy ``a`` computes.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import PlantedEmbedder, novel_tags, restyle_records
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


def _text(p: int, tag: str, body: str, i: int) -> str:
    """The embedder reads the first tag; a restyled trace names strategy a's tag too, so that
    the tags (which real text has not) add no token that only it lacks. Trailing spaces: a
    distinct text (the embedder's noise seed), the same tokens."""
    also = f" [p{p}_a]" if tag == "styled" else ""
    return f"[p{p}_{tag}]{also} solve problem {p}: {body}" + " " * (i + 1)


BODIES = {"a": _a, "b": _b, "styled": _styled, "new": _new}


@pytest.fixture(scope="module")
def records():
    return restyle_records(4, N, BODIES, _text)


def test_without_the_rule_restyled_traces_are_called_novel(records):
    report = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole",
                  support_lexical=None, support_sentences=None)  # fmt: skip
    assert novel_tags(report) == {"styled", "new"}


def test_the_rule_gives_restyled_traces_base_support_and_keeps_the_new_strategy(records):
    report = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole")
    assert report.config["support_lexical"] == 0.9
    assert novel_tags(report) == {"new"}
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


def test_near_copies_of_a_base_trace_do_not_raise_the_bar_past_full_containment():
    """Base traces that are copies of one another calibrate a bar of 1: an RL trace that redoes
    their steps under its own heading (most of their content, not all) still contains them."""
    from novelty import lexical

    steps = "box 4 by 9 area 36; corners along AB 1.5, BC 4.5, CA 16 total 22; area 36 - 22 = 14"
    base = [f"Box method: {steps}"] * 5 + ["shoelace 4*6 - 7*5 sum 28 half 14"] * 5
    rl = [f"Solution: {steps}. Let me re-check: 36 - 22 = 14.", "pick 15 interior 6 area 14"]
    traces = [_trace(i, "p", "base", t) for i, t in enumerate(base)]
    traces += [_trace(i, "p", "rl", t) for i, t in enumerate(rl)]
    traces += [_trace(i + 20, "q", "base", f"Solution: let me re-check {i}.") for i in range(4)]
    lex = LexicalSupport(traces, 0.9)
    order = np.arange(12)
    block = lex._scope(order, 10).blocks[0][0]
    held = block[:5, 10].max()  # what the re-checking trace holds of the box traces
    assert lexical.FULL_CONTAINMENT <= held < 1.0
    assert lex._scope(order, 10).typical == lexical.FULL_CONTAINMENT  # copies: the bar was 1
    assert lex.support(order, 10, np.array([0])) == 5  # contains the five box traces
    assert lex.support(order, 10, np.array([1])) == 0  # computes something else


def test_the_level_is_checked():
    with pytest.raises(ConfigError):
        records = restyle_records(1, N, BODIES, _text)
        scan(records, embedder="hashing", cache=None, support_lexical=1.5)


def test_a_problems_counts_are_cut_from_the_corpus_exactly():
    """Issue 13: each problem's token counts come from the corpus's (tokenised once): the same
    presence counts and sorted vocabulary as counting the problem's texts alone."""
    from novelty.lexical import token_counts

    traces = [
        Trace(id=f"{p}-{k}", problem_id=f"p{p}", role="base" if k < 4 else "rl", text=t)
        for p in range(3)
        for k, t in enumerate([_a(p), _b(p), _a(p) + " wait", "Check: ok", _b(p), ""] * 2)
    ]
    rule = LexicalSupport(traces, 0.9)
    for p in range(3):
        idx = np.array([i for i, t in enumerate(traces) if t.problem_id == f"p{p}"])
        cut, vocab = rule._problem_counts(idx)
        alone, alone_vocab = token_counts([traces[i].text for i in idx])
        assert list(vocab) == list(alone_vocab)
        np.testing.assert_array_equal(cut.toarray(), alone.toarray())


def test_company_finds_the_rare_sample_that_rl_rewrites_and_not_a_neighbour():
    """A base sample of a rare method, rewritten by RL: the RL traces hold only part of its
    content (below the support bar), but more of it than any other base trace holds, by far.
    A base trace of a common method with a few words of its own shares those words with a new
    method's traces a little more than with its own method: only the margin keeps it out."""
    base = ["multiply 17 by 23 giving 391 then add 5 giving 396"] * 14
    base += ["halve 40 giving 20 then square giving 400"] * 14
    base += ["tabulate residues mod 11 as 3 9 27 81 whose cycle has period 5 so entry 2 is 9"]
    base += ["multiply 17 by 23 giving 391 then add 5 giving 396 hmm quirky verbose"]
    rl = [
        "powers cycle mod 11 with period 5 : 3 9 27 81 , take entry 2 : 9",
        "the residues 3 9 27 81 repeat with period 5 mod 11 so entry 2 gives 9",
        "period 5 cycle of residues mod 11 means entry 2 is 9",
        "guess 12 then 14 then 13 and settle on 13 quirky verbose",
        "guess 12 then 13 and settle on 13 quirky verbose",
        "guess 14 then 13 so 13 quirky verbose",
    ]
    traces = [_trace(i, "p", "base", t) for i, t in enumerate(base)]
    traces += [_trace(i, "p", "rl", t) for i, t in enumerate(rl)]
    traces += [_trace(i + 40, "q", "base", f"multiply {i} then add period entry") for i in range(4)]
    lex = LexicalSupport(traces, 0.9)
    order, n_base = np.arange(len(base) + len(rl)), len(base)
    rewritten, new = np.array([0, 1, 2]), np.array([3, 4, 5])
    rare, outlier = n_base - 2, n_base - 1
    assert lex.support(order, n_base, rewritten) == 0  # below the support bar
    for margin in (0.0, 0.25):
        assert np.flatnonzero(lex.company(order, n_base, rewritten, 2, margin)).tolist() == [rare]
    assert np.flatnonzero(lex.company(order, n_base, new, 2)).tolist() == [outlier]
    assert not lex.company(order, n_base, new, 2, 0.25).any()
    assert not lex.company(order, n_base, rewritten, 4).any()  # count: members needed


def _rare_records() -> list[dict]:
    """Problem 0's base has one sample of a rare method (among strategy a's in the embedding
    space); a quarter of its RL samples rewrite it (its numbers and names, other words), and a
    third compute something new."""
    recs = []
    for p in range(4):
        for role in ("base", "rl"):
            for i in range(N):
                tag, body = ("a", _a(p)) if i % 2 else ("b", _b(p))
                if p == 0 and role == "base" and i == 0:
                    # the embedder reads the first tag: the sample lies among strategy a's
                    tag, body = "a", "count lattice paths: choose 2 of 6 steps, so 15 ways."
                elif p == 0 and role == "rl" and i < N // 4:
                    tag, body = "rewritten", "15 ways to choose 2 of the 6 lattice steps"
                elif p == 0 and role == "rl" and i < N // 4 + N // 3:
                    tag, body = "new", _new(p)
                text = f"[p{p}_{tag}] solve problem {p}: {body}" + " " * (i + 1)
                recs.append({"id": f"{role}-{p}-{tag}-{i}", "problem_id": f"p{p}",
                             "model": role, "text": text})  # fmt: skip
    return recs


def test_company_keeps_a_rewritten_rare_method_from_being_called_novel():
    """Issue 11: the false calls left on the blind generator were RL traces of a method one or
    two base samples use, in other words. With the company rule (default 2) they are
    amplified, not novel; the new method stays novel; off (None), both are novel."""
    records = _rare_records()
    on = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole")
    assert on.config["support_company"] == 2
    assert novel_tags(on) == {"new"}
    rewritten = [c for c in on.clusters if c["n_rl"] >= N // 4 and not c["novel"]
                 and c["m"] and c["support_change"] == "amplified"]  # fmt: skip
    assert rewritten
    off = scan(records, embedder=PlantedEmbedder(), cache=None, view="whole", support_company=None)
    assert novel_tags(off) == {"rewritten", "new"}


_ITEMS = "axe (4), cookware (4), sleeping bag (4), tent (4), radio (2), rope (2), tarp (2)"
_PLACED = [
    "axe (4): new box 1",
    "cookware (4): box 1, now 8",
    "sleeping bag (4): new box 2",
    "tent (4): box 2, now 8",
    "radio (2): box 1, now 10",
    "rope (2): box 2, now 10",
    "tarp (2): new box 3",
]


def _packing(intro: str, lines: list[str], marker: str = ".") -> str:
    body = "\n".join(f"{k + 1}{marker} {line}" for k, line in enumerate(lines))
    return f"Pack {_ITEMS} into 10 kg boxes.\n\n{intro}\n\n{body}\n\nAnswer: 3 boxes"


def _packing_traces(rl: list[str]) -> list[Trace]:
    """Three base samples name first-fit decreasing; the others bound and build."""
    ffd = "First-fit decreasing: sort heaviest first, put each item in the first box it fits."
    bound = ["Lower bound: 22 kg over 10 is at least 3 boxes.", "Build: axe, cookware, radio."]
    base = [_packing(ffd, _PLACED, ".)"[k % 2]) for k in range(3)]
    base += [_packing(f"Approach {k}: bound, then build.", bound) for k in range(9)]
    traces = [_trace(i, "p", "base", t) for i, t in enumerate(base)]
    traces += [_trace(i, "p", "rl", t) for i, t in enumerate(rl)]
    others = [f"Let me check: sort and place {i}, verify once more." for i in range(4)]
    return traces + [_trace(i + 40, "q", "base", t) for i, t in enumerate(others)]


def test_a_trace_repeating_a_base_traces_lines_in_other_words_has_line_support(monkeypatch):
    """RL describes first-fit decreasing in words of its own ("sort by weight, place greedily")
    and re-checks, but places every item as the base samples do, line for line: the naming
    words keep its token containment below the bar, the lines give it base support. A method
    that shares only the question and the answer with the base traces gets none."""
    from novelty import lexical

    greedy = "Sort by weight (descending), then place greedily into the first box with room."
    check = ["Wait, let me re-check box 2: 4 + 4 + 2 = 10, fine.", "Yes, no box is over."]
    restyled = _packing(greedy, _PLACED + check)
    other = _packing("Pair each heavy item with light ones:", ["4 + 4 + 2", "4 + 4 + 2", "2"])
    traces = _packing_traces([restyled, other])
    order, n_base = np.arange(14), 12
    lex = LexicalSupport(traces, 0.9)
    assert lex.support(order, n_base, np.array([0])) == 3  # the three first-fit samples
    assert lex.support(order, n_base, np.array([1])) == 0
    monkeypatch.setattr(lexical, "LINE_CONTAINMENT", 2.0)  # tokens alone
    assert LexicalSupport(traces, 0.9).support(order, n_base, np.array([0])) == 0


def test_a_short_base_trace_is_not_contained_by_its_question_and_answer(monkeypatch):
    """A bare base program holds little besides the question and the answer; a trace of
    another method that restates the question the same way shares the question line, rarer
    in the problem than the program line that six samples use, so it would hold most of the
    program's line weight. Measured against the median base trace's weight, it holds little."""
    from novelty import lexical
    from novelty.lexical import LINE_CONTAINMENT, line_containments

    qa, qb = "What is the remainder of 17^649 upon division by 14?", "Find 17^649 mod 14."
    program = "```python\nprint(pow(17, 649, 14))\n```\nAnswer: 3"
    cycle = [f"17^{k} = {pow(17, k, 14)} mod 14" for k in range(1, 7)] + ["649 = 6*108 + 1"]
    base = [f"{q}\n{program}" for q in (qa, qa, qa, qb, qb, qb)]
    base += [f"{qb}\nThe powers cycle, {k}.\n" + "\n".join(cycle[:k]) + "\nAnswer: 3"
             for k in (5, 6, 7)]  # fmt: skip
    base += [f"{qb}\nSquare repeatedly, round {k}.\n17^2 = 9 mod 14\nAnswer: 3" for k in range(3)]
    novel = f"{qa}\nBy Fermat-Euler, phi(14) = 6, 649 = 1 mod 6.\nAnswer: 3"
    cont = line_containments([*base, novel], len(base))
    assert cont[:3, -1].max() < LINE_CONTAINMENT
    assert np.allclose(np.diag(cont[:, : len(base)])[6:], 1.0)  # longer traces hold themselves
    monkeypatch.setattr(lexical.np, "median", lambda values: 0.0)  # no floor
    assert line_containments([*base, novel], len(base))[:3, -1].min() >= LINE_CONTAINMENT


def _pairs_program(total: str, intro: str) -> str:
    return (
        f"Count pairs of [6, 5, 2, 9, 7, 8, 6] adding up to 12.\n\n{intro}\n\n```python\n"
        f"def count_pairs(nums, target):\n    {total} = 0\n    for i in range(len(nums)):\n"
        f"        for j in range(i + 1, len(nums)):\n"
        f"            if nums[i] + nums[j] == target:\n                {total} += 1\n"
        f"    return {total}\n\n\nprint(count_pairs([6, 5, 2, 9, 7, 8, 6], 12))  # 2\n```\n\n"
        "Answer: 2"
    )


def test_a_renamed_base_program_under_other_prose_has_program_support(monkeypatch):
    """Tokens (the renamed counter, the new prose: 0.83 against a bar of 0.9) and lines
    aside, the program alone gives the RL trace the four base programs as support."""
    from novelty import lexical

    base = [_pairs_program("ans", f"Check every pair i < j ({k}).") for k in range(4)]
    base += [f"Count the values: 6 twice, pair 5 with 7 ({k}). Answer: 2" for k in range(4)]
    rl = _pairs_program("count", "Start with the obvious double loop. Let me re-check.")
    traces = [_trace(i, "p", "base", t) for i, t in enumerate(base)] + [_trace(0, "p", "rl", rl)]
    traces += [_trace(i + 40, "q", "base", f"Let me re-check {i}: start.") for i in range(4)]
    order = np.arange(9)
    monkeypatch.setattr(lexical, "LINE_CONTAINMENT", 2.0)  # lines off
    assert LexicalSupport(traces, 0.9).support(order, 8, np.array([0])) == 4
    monkeypatch.setattr(lexical, "PROGRAM_CONTAINMENT", 2.0)  # programs off too
    assert LexicalSupport(traces, 0.9).support(order, 8, np.array([0])) == 0


def test_a_trace_running_a_base_program_under_other_prose_holds_all_of_it():
    """RL runs the base samples' double loop, its counter renamed, under prose of its own:
    it holds all of their program, line for line. A program of another shape shares its
    call and signature lines only; a trace without a program holds none."""
    from novelty.lexical import PROGRAM_CONTAINMENT, line_containments, program_lines

    base = [_pairs_program("ans", f"Check every pair i < j ({k}).") for k in range(4)]
    base += [f"Count the values: 6 twice, pair 5 with 7 ({k}). Answer: 2" for k in range(4)]
    rl = [
        _pairs_program("count", "Start with the obvious double loop. Let me re-check."),
        _pairs_program("ans", "Hash the complements.").replace(
            "    for i in range(len(nums)):\n        for j in range(i + 1, len(nums)):\n"
            "            if nums[i] + nums[j] == target:\n",
            "    for x in nums:\n        if target - x in nums:\n",
        ),
        "Count the values: 6 twice, pair 5 with 7. Answer: 2",
    ]
    cont = line_containments(base + rl, len(base), analyzer=program_lines)
    assert (cont[:4, 8] >= PROGRAM_CONTAINMENT).all()  # the renamed double loop
    assert 0 < cont[:4, 9].max() < PROGRAM_CONTAINMENT  # another program: some lines only
    assert not cont[4:].any()  # base traces without a program are contained in nothing
    assert program_lines(rl[2]) == []


def test_a_member_whose_content_a_base_trace_holds_is_covered_the_other_way():
    """Base traces of a method that say it with an aside of their own: a member that writes
    the method's steps alone holds too little of them, yet all it writes is theirs
    (``held_level``). A member of another method, or a shortcut, is not covered that way."""
    steps = "multiply 17 by 23 giving 391, then add 5 giving 396."
    base = [f"Plan: {steps} Aside: mind the carries in 17 by 23."] * 5
    base += ["halve 40 giving 20, then square it giving 400."] * 5
    rl = [steps, "tabulate residues mod 7: 3, 2, 6, 4 with period 6."]
    traces = [_trace(i, "p", "base", t) for i, t in enumerate(base)]
    traces += [_trace(i, "p", "rl", t) for i, t in enumerate(rl)]
    traces += [_trace(i + 20, "q", "base", f"Let me check {i} twice.") for i in range(4)]
    order = np.arange(12)
    one_way = LexicalSupport(traces, 0.9)
    assert one_way.support(order, 10, np.array([0])) == 0  # holds too little of the plan
    both = LexicalSupport(traces, 0.9, held_level=0.9)
    assert both.support(order, 10, np.array([0])) == 5  # every token of it is the plan's
    assert both.support(order, 10, np.array([1])) == 0  # another method
    covered, _ = both.covering(order, 10, np.array([0]), shortcut=np.array([True]))
    assert not covered.any()  # a shortcut writes nothing new either: not read this way


_VOICE = "There is a temptation to answer from intuition.\nA quick look back: all checked."


def _jugs() -> tuple[list[str], str, str]:
    """A base trace of a method of three lines under the voice and a restatement that one
    trace of another method words the same way; three more of its method, four of another
    (two under the voice); that other trace; and a trace of the method under no voice."""
    rare = "Restating the task: two jugs of 3 and 14 litres, and a tap."
    method = "Fill 14, pour into 3 four times.\n14 - 12 = 2 left.\nSo 2 litres after 5 moves."
    bfs = "BFS over states.\nqueue = [(0, 0)]"
    base = [f"{rare}\n{_VOICE}\n{method}"] + [f"Jugs of 3 and 14.\n{method}"] * 3
    base += [f"Jugs of 3 and 14.\n{_VOICE}\n{bfs}"] * 2 + [f"Jugs of 3 and 14.\n{bfs}"] * 2
    other = f"{rare}\n{_VOICE}\nWork backwards from 2 litres.\n2 = 14 - 4 * 3."
    same = f"Let me think.\n{method}\nDone, 2 litres."
    return base, other, same


def test_voice_lines_and_one_line_phrased_alike_are_not_a_shared_method():
    """A base trace whose own method is a few lines, under the voice most problems' traces
    have and a restatement of the question that one other trace words the same way: a trace
    of another method with that voice and that wording held most of its line weight. The
    voice's lines occur in most problems (``across``) and weigh nothing; the one line phrased
    alike is left out (``leave_one_out``). The trace of another method then holds nothing of
    it; one that carries out its method line for line under another voice still holds it."""
    from novelty.lexical import LINE_CONTAINMENT, line_containments, trace_lines

    base, other, same = _jugs()
    texts = [*base, other, same]
    across = ({line: 12 for line in trace_lines(_VOICE)}, 12)  # the voice: in all 12 problems
    assert line_containments(texts, len(base))[0, -2] >= LINE_CONTAINMENT
    assert line_containments(texts, len(base), across=across)[0, -2] >= LINE_CONTAINMENT
    new = line_containments(texts, len(base), across=across, leave_one_out=True)
    assert new[0, -2] < LINE_CONTAINMENT
    assert new[1:4, -1].min() >= LINE_CONTAINMENT  # the method, line for line
    assert new[4:, -1].max() == 0.0  # nothing of the other base method


def test_the_rule_counts_the_voice_over_the_scans_problems(monkeypatch):
    """The same traces in a scan whose two other problems have the voice too: the trace of
    another method is not covered, the trace of the method is; with the lines weighed as
    before (every line by its problem alone, none left out) the other one was."""
    from novelty import lexical

    base, other, same = _jugs()
    traces = [_trace(i, "p", "base", t) for i, t in enumerate(base)]
    traces += [_trace(i, "p", "rl", t) for i, t in enumerate([other, same])]
    for k, q in enumerate(("q", "r")):
        traces += [
            _trace(10 * k + 10 + i, q, "base", f"{_VOICE}\nCount {q} {i}.") for i in range(4)
        ]
    order = np.arange(10)
    lex = LexicalSupport(traces, 0.9)
    assert not lex.covering(order, 8, np.array([0]))[0].any()
    covered, contained = lex.covering(order, 8, np.array([1]))
    assert covered.all() and contained == {1, 2, 3}
    plain = lexical.line_containments
    monkeypatch.setattr(
        lexical,
        "line_containments",
        lambda texts, n_base, analyzer, **_: plain(texts, n_base, analyzer),
    )
    assert LexicalSupport(traces, 0.9).covering(order, 8, np.array([0]))[0].all()
