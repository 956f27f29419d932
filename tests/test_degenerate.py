"""Degenerate shortcuts: each feature on hand-written traces, the set rule, the summary count,
the verdict, the terminal and HTML wording, and a planted shortcut cluster end to end."""

from __future__ import annotations

import numpy as np
from rich.console import Console

from conftest import PlantedEmbedder, planted_records
from novelty import scan
from novelty.decide import ClusterTest, verdict
from novelty.decide.nesting import Candidate, choose
from novelty.degenerate import (
    CONTENT_MIN_BASE,
    REASONS,
    content_share,
    label_texts,
    members_label,
    mixes_shortcuts,
    problem_content,
    reasons,
    reference,
    scan_reasons,
    set_label,
    text_features,
)
from novelty.html_report import render_html
from novelty.render import render_summary
from novelty.types import Trace

# One problem (the sum of the first ten odd numbers), solved eight ways, as a base model might.
BASE = [
    "We need the sum of the first 10 odd numbers: 1, 3, 5, 7, 9, 11, 13, 15, 17, 19. Pair them "
    "from the outside in: 1 + 19 = 20, 3 + 17 = 20, 5 + 15 = 20, 7 + 13 = 20, 9 + 11 = 20. Five "
    "pairs of 20 make 100. So the sum is 100.",
    "Let me add them one at a time. 1 + 3 = 4, 4 + 5 = 9, 9 + 7 = 16, 16 + 9 = 25, 25 + 11 = 36, "
    "36 + 13 = 49, 49 + 15 = 64, 64 + 17 = 81, 81 + 19 = 100. The partial sums are squares, which "
    "is a nice check. The answer is 100.",
    "The k-th odd number is 2k - 1, so the sum is sum_{k=1}^{10} (2k - 1) = 2 * (10 * 11 / 2) - 10"
    " = 110 - 10 = 100. Checking with the first three: 1 + 3 + 5 = 9 = 3^2, consistent with n^2. "
    "Therefore the total is 100.",
    "Odd numbers form an arithmetic sequence with first term 1 and difference 2. The 10th term is "
    "1 + 9 * 2 = 19. An arithmetic series sums to n(a + l)/2 = 10 * (1 + 19) / 2 = 10 * 10 = 100. "
    "Final answer: 100.",
    "Picture the odd numbers as L-shaped layers of a square: 1 dot, then 3 more make a 2x2 square, "
    "5 more make 3x3, and so on. Ten layers build a 10x10 square of dots, which has 100 dots. So "
    "the first ten odd numbers add up to 100.",
    "By induction the sum of the first n odd numbers is n^2: true for n = 1, and adding the next "
    "odd number 2n + 1 to n^2 gives (n + 1)^2. With n = 10 we get 10^2 = 100. I double-checked by "
    "adding 1 + 3 + 5 + 7 = 16 = 4^2. The answer is 100.",
    "Write the sum forwards and backwards: S = 1 + 3 + ... + 19 and S = 19 + 17 + ... + 1. Adding "
    "term by term gives 2S = 10 * 20 = 200, so S = 100. A quick sanity check: the average term is "
    "10 and there are 10 terms, so 100.",
    "The sum of 1..20 is 210 and the even numbers 2..20 sum to 2 * (1 + ... + 10) = 2 * 55 = 110. "
    "The odd ones are what is left: 210 - 110 = 100. That matches the pattern n^2 for n = 10. "
    "Answer: 100.",
]
NORMAL_RL = (
    "Group the ten odd numbers into two halves: 1 + 3 + 5 + 7 + 9 = 25 and 11 + 13 + 15 + 17 + 19"
    " = 75. Together that is 25 + 75 = 100, and 25 = 5^2 fits the square pattern. So it is 100."
)
ANSWER_ONLY = "The answer is 100."
REPEATED = " ".join(["So the sum is 100, let me verify that once more."] * 30)
LOOP = BASE[0][:120] + " " + " ".join(["Wait, let me recount the pairs."] * 30)
TRUNCATED = BASE[1][:150].rstrip() + " and then we keep adding the next odd number to the runn"


def _reasons(text: str, base: list[str] = BASE) -> tuple[str, ...]:
    return label_texts([text], base)[0]


def test_normal_traces_carry_no_reason():
    assert _reasons(NORMAL_RL) == ()
    # every base trace, judged against the others, is normal too
    for i, t in enumerate(BASE):
        assert _reasons(t, BASE[:i] + BASE[i + 1 :]) == ()


def test_answer_only_skips_the_computation():
    assert _reasons(ANSWER_ONLY) == ("skips_computation", "answer_only")
    assert _reasons("") == ("skips_computation", "answer_only")


def test_one_sentence_thirty_times_repeats():
    got = _reasons(REPEATED)
    assert "repeats" in got
    # it says one thing, however long: little computation, essentially an answer
    assert {"skips_computation", "answer_only"} <= set(got)
    assert text_features(REPEATED).n_sentences == 1


def test_a_loop_after_real_work_repeats_but_did_not_skip_it():
    got = _reasons(LOOP)
    assert "repeats" in got and "answer_only" not in got


def test_a_short_loop_in_a_short_text_repeats_where_no_window_shows_it():
    """A unit of one or two sentences looping 4-5 times after the work: the text is too short
    for any window to compress like a loop, the sentences still follow themselves. A base
    trace that loops as often switches the rule off; re-checking with text between repeats
    and a single repeat are not loops."""
    pair = " ".join(["So the sum is 100.", "Let me verify."] * 4)
    for loop in (BASE[1] + " " + " ".join(["Hmm, let me recount this."] * 5), BASE[1] + " " + pair):
        assert (
            text_features(loop).window_ratio
            < reference([text_features(t) for t in BASE]).repeat_above
        )  # no window shows it
        assert text_features(loop).loop >= 4
        assert "repeats" in _reasons(loop)
        assert "repeats" not in _reasons(loop, [*BASE[:4], loop, loop, loop, *BASE[4:]])
    checked = BASE[1] + " Check: 1 + 3 = 4. Good. Check: 4 + 5 = 9. Good. Check: 9 + 7 = 16."
    assert text_features(checked).loop < 4 and _reasons(checked) == ()
    assert text_features(BASE[1] + " " + BASE[1]).loop < 4  # the work done twice


def test_cut_off_mid_sentence_is_truncated_unless_base_traces_end_that_way():
    assert _reasons(TRUNCATED) == ("truncated",)
    # base traces of this problem end on a word: ending open says nothing here
    open_base = [t.rstrip(".") + " and that is all" for t in BASE]
    assert "truncated" not in _reasons(TRUNCATED, open_base)


def test_a_long_trace_that_redoes_its_work_is_not_a_loop():
    redo = " ".join(BASE[:4]) + " Let me redo it another way. " + " ".join(BASE[4:])
    assert _reasons(redo) == ()


def test_one_bare_answer_among_the_base_traces_does_not_switch_the_label_off():
    assert "skips_computation" in _reasons(ANSWER_ONLY, [*BASE, "100"])


def test_thresholds_follow_the_base_traces():
    feats = [text_features(t) for t in BASE]
    ref = reference(feats)
    assert ref is not None and ref.n_base == len(BASE) and ref.truncation_on
    assert ref.info_below < min(f.info for f in feats)
    assert ref.repeat_above > max(f.window_ratio for f in feats)
    # no base trace: nothing to judge against, no label
    assert reference([]) is None and reasons(text_features(ANSWER_ONLY), None) == ()


def test_set_rule_is_a_strict_majority_of_rl_members_with_shared_reasons():
    rep, ans, none = ("repeats",), ("skips_computation", "answer_only"), ()
    assert members_label([rep, rep, ans, none, none]) == (
        True,
        ["repeats", "skips_computation", "answer_only"],
    )
    assert members_label([rep, rep, none, none]) == (False, [])  # half is not most
    assert members_label([]) == (False, [])
    assert members_label([ans]) == (False, [])  # one trace is an accident, not a shortcut
    assert members_label([ans, ans]) == (True, ["skips_computation", "answer_only"])
    # a reason carried by under a quarter of the degenerate members is left out
    got = members_label([rep] * 7 + [("truncated",)] + [none] * 2)
    assert got == (True, ["repeats"])
    assert all(r in REASONS for r in got[1])


def test_set_label_reads_rl_members_only():
    traces = [Trace(f"b{i}", "p", "base", t) for i, t in enumerate(BASE)]
    traces += [Trace(f"r{i}", "p", "rl", ANSWER_ONLY) for i in range(3)]
    nb = len(BASE)
    why = scan_reasons(traces, [(range(nb), range(nb, nb + 3))])
    assert all(r == () for r in why[:nb])
    assert set_label(range(len(traces)), traces, why) == (
        True,
        ["skips_computation", "answer_only"],
    )
    # the same RL members among many base members: still degenerate (base members don't vote)
    assert set_label([nb, nb + 1, 0, 1, 2, 3, 4], traces, why)[0]


def test_verdict_names_degenerate_novelty():
    kw = dict(n_problems_with_novel=1, n_problems=2, min_base_behind_novel=40, alpha=0.05)
    plain = verdict(n_novel_clusters=2, **kw)
    assert verdict(n_novel_clusters=2, n_novel_degenerate=0, **kw) == plain
    mixed = verdict(n_novel_clusters=2, n_novel_degenerate=1, **kw)
    assert mixed.startswith(plain) and "1 of them novel, degenerate" in mixed
    every = verdict(n_novel_clusters=2, n_novel_degenerate=2, **kw)
    assert every.split(":")[0] == "novel, degenerate"
    assert "degenerate shortcuts, not strategies" in every


def _odd_sum_records(n_shortcuts: int, seed: int = 0) -> list[dict]:
    """Two problems; base and most RL traces are varied sums; RL also repeats its answer."""
    rng = np.random.default_rng(seed)
    recs = []
    for p in range(2):
        for role, n in (("base", 40), ("rl", 40)):
            for i in range(n):
                if role == "rl" and i < n_shortcuts:
                    answer = int(rng.integers(90, 110))
                    k = int(rng.integers(12, 40))
                    text = " ".join([f"The answer is {answer}."] * k)
                else:
                    text = BASE[int(rng.integers(len(BASE)))]
                    words = text.split()
                    cut = int(rng.integers(len(words) // 2, len(words)))
                    text = " ".join([*words[:cut], f"(sample {i})", *words[cut:]])
                recs.append(
                    {"id": f"{role}-{p}-{i}", "problem_id": f"p{p}", "model": role, "text": text}
                )
    return recs


def test_planted_shortcut_cluster_is_novel_and_degenerate_end_to_end():
    report = scan(_odd_sum_records(15), embedder="hashing", cache=None, view="whole")
    shortcut_ids = {f"rl-{p}-{i}" for p in range(2) for i in range(15)}
    novel = report.novel_clusters
    assert novel, report.summary["verdict"]
    for c in report.clusters:
        members = set(c["trace_ids"])
        if members & shortcut_ids and len(members & shortcut_ids) > c["n_rl"] / 2:
            assert c["degenerate"] is True
            assert c["degenerate_reasons"][:1] == ["repeats"]
        elif c["n_rl"]:
            assert c["degenerate"] is False and c["degenerate_reasons"] == []
    flagged = {t for c in report.clusters if c["degenerate"] for t in c["trace_ids"]}
    found = {t for c in novel for t in c["trace_ids"]} & shortcut_ids
    assert found and found <= flagged
    s = report.summary
    # the shortcuts are the only thing planted as new: every novel cluster is one of them
    assert s["n_novel_degenerate_clusters"] == s["n_novel_clusters"] == len(novel) > 0
    assert s["novel"] is True and s["verdict"].startswith("novel, degenerate:")
    d = report.to_dict()
    console = Console(record=True, width=200)
    render_summary(d, console)
    text = console.export_text()
    assert "novel, degenerate cluster" in text
    assert "degenerate: repeats, skips_computation" in text
    page = render_html(d)
    assert "novel, degenerate" in page and "degenerate-reasons" in page


def test_genuine_novel_strategies_are_not_labelled_degenerate():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=5)
    report = scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole")
    assert report.novel_clusters
    assert not any(c["degenerate"] for c in report.clusters)
    assert report.summary["n_novel_degenerate_clusters"] == 0
    assert "degenerate" not in report.summary["verdict"]


def test_without_shortcuts_nothing_is_degenerate():
    report = scan(_odd_sum_records(0, seed=1), embedder="hashing", cache=None)
    assert not any(c["degenerate"] for c in report.clusters)
    assert report.summary["n_novel_degenerate_clusters"] == 0


def _cand(rl):
    return Candidate(list(rl), list(rl), ClusterTest(0, len(rl), 64, 64, 0, len(rl)))


def test_a_shortcut_and_a_strategy_under_one_node_are_reported_apart():
    parent, strategy, shortcut = _cand(range(20)), _cand(range(10)), _cand(range(10, 20))
    p, q = np.array([1e-6, 1e-3, 1e-3]), np.array([1e-5, 1e-2, 1e-2])
    novel = np.array([True, True, True])
    # without shortcuts the parent, most significant, speaks for the branch
    chosen = choose([parent, strategy, shortcut], p, q, novel, [], alpha=0.05)
    assert [c.candidate for c in chosen] == [0]
    # half of it are shortcuts: the purer nodes below speak instead, both novel
    mixed = choose(
        [parent, strategy, shortcut],
        p,
        q,
        novel,
        [],
        alpha=0.05,
        shortcuts=frozenset(range(10, 20)),
    )
    assert sorted(c.candidate for c in mixed) == [1, 2] and all(c.novel for c in mixed)
    # a few shortcuts inside a strategy do not split it
    few = choose(
        [parent, strategy, shortcut], p, q, novel, [], alpha=0.05, shortcuts=frozenset({18, 19})
    )
    assert [c.candidate for c in few] == [0]
    assert not mixes_shortcuts(list(range(20)), frozenset())
    assert mixes_shortcuts(list(range(20)), frozenset(range(4)))


def test_a_trace_cut_before_the_closing_every_base_trace_writes_is_truncated():
    base = [f"{t} <answer> 100 </answer>" for t in BASE]
    cut = BASE[1] + " " + BASE[2] + " " + BASE[3] + " and so the sum is 2"  # ends on a digit
    assert text_features(cut).ending == "" and not text_features(cut).ends_open
    assert _reasons(cut, base) == ("truncated",)
    assert _reasons(f"{NORMAL_RL} <answer> 100 </answer>", base) == ()
    # a short trace without the closing slipped on the format; it was not cut off
    assert _reasons(NORMAL_RL, base) == ()
    # base traces that end in no common way: a missing closing means nothing
    mixed_ends = base[:4] + BASE[4:]
    assert _reasons(cut, mixed_ends) == ()


# A second problem (arranging books), so that the words of both are the language's, not either
# problem's; and a shortcut that writes a paragraph of generic text before its answer.
OTHER = [
    "Four different books go on a shelf. The first place can hold any of the 4 books, the second "
    "any of the remaining 3, then 2, then 1. That is 4 * 3 * 2 * 1 = 24 orders. The answer is 24.",
    "List the orders that start with the red book: there are 6 of them (3! arrangements of the "
    "other three books). Each of the 4 books can start, so 4 * 6 = 24 shelvings in all.",
    "The number of permutations of 4 distinct books is 4! = 24. Checking with 3 books: 3! = 6 "
    "orders, which I can list by hand. So the 4 books can be shelved in 24 ways.",
    "Place the books one by one: the last book has 1 spot left, the third 2, the second 3 and "
    "the first 4 choices. Multiplying, 1 * 2 * 3 * 4 = 24. The shelf allows 24 orders.",
]
BOILERPLATE = (
    "Problem solving is an essential skill in many areas of life. By approaching problems "
    "systematically, breaking them into smaller parts and applying logical reasoning, we can "
    "arrive at accurate solutions. It is important to read every question carefully and to "
    "double-check one's work. In this response I will provide a clear and concise answer. "
    "The answer is 100."
)


ODD_QUESTION = "What is the sum of the first ten odd numbers, 1 through 19?"
BOOKS_QUESTION = "In how many orders can four different books stand on one shelf?"


def _samples(texts: list[str], n: int, tag: str, question: str) -> list[str]:
    """``n`` samples of these solutions, each restating the question (as samples do) and with
    a marker of its own (no two identical)."""
    return [f"({tag} sample {i}) {question} {texts[i % len(texts)]}" for i in range(n)]


def _held(*problems: list[str]) -> tuple[dict[str, int], int]:
    """In how many of these problems each token occurs (``WordWeights.held``)."""
    from novelty.lexical import token_counts

    held: dict[str, int] = {}
    for texts in problems:
        _, vocab = token_counts(texts)
        for t in vocab:
            held[t] = held.get(t, 0) + 1
    return held, len(problems)


def test_the_problems_content_is_its_own_words_read_off_its_base_samples():
    odd = _samples(BASE, 16, "odd", ODD_QUESTION)
    books = _samples(OTHER, 16, "books", BOOKS_QUESTION)
    held = _held(odd, books)
    content = problem_content(odd, *held)
    assert {"odd", "100"} <= content  # most of its samples use them, the other problem not
    assert not content & {"the", "is", "sample", "answer"}  # both problems use these
    assert "pair" not in content  # one method's word: fewer than half of the samples use it
    # too few samples, or no other problem to tell the language's words from the problem's
    assert problem_content(odd[: CONTENT_MIN_BASE - 1], *held) == frozenset()
    assert problem_content(odd, *_held(odd)) == frozenset()
    assert content_share(BOILERPLATE, content) < 0.5 <= content_share(NORMAL_RL, content)
    assert content_share("anything", frozenset()) == 1.0


def test_a_paragraph_of_generic_text_before_the_answer_skips_the_computation():
    odd = _samples(BASE, 16, "odd", ODD_QUESTION)
    books = _samples(OTHER, 16, "books", BOOKS_QUESTION)
    content = problem_content(odd, *_held(odd, books))
    # its bytes alone carry as much information as a base trace's: the old reading misses it
    assert label_texts([BOILERPLATE], odd) == [()]
    got = label_texts([BOILERPLATE, NORMAL_RL, ANSWER_ONLY], odd, content)
    assert got[0] == ("skips_computation",)  # several sentences: not an answer only
    assert got[1] == ()  # a new method works the problem's numbers
    assert got[2] == ("skips_computation", "answer_only")
    # through the scan's entry point, with and without the problem counts
    traces = [
        *(Trace(f"b{i}", "p0", "base", t) for i, t in enumerate(odd)),
        *(Trace(f"c{i}", "p1", "base", t) for i, t in enumerate(books)),
        Trace("r0", "p0", "rl", BOILERPLATE),
        Trace("r1", "p0", "rl", NORMAL_RL),
    ]
    groups = [(list(range(16)), [32, 33]), (list(range(16, 32)), [])]
    assert scan_reasons(traces, groups)[32] == ()
    with_content = scan_reasons(traces, groups, _held(odd, books))
    assert with_content[32] == ("skips_computation",) and with_content[33] == ()


def test_a_planted_boilerplate_cluster_is_novel_and_degenerate_end_to_end():
    recs = []
    for p, texts, question in ((0, BASE, ODD_QUESTION), (1, OTHER, BOOKS_QUESTION)):
        for role in ("base", "rl"):
            for i, t in enumerate(_samples(texts, 40, f"p{p}{role}", question)):
                if role == "rl" and i < 15:
                    t = BOILERPLATE.replace("100", "24" if p else "100")
                recs.append(
                    {"id": f"{role}-{p}-{i}", "problem_id": f"p{p}", "model": role, "text": t}
                )
    report = scan(recs, embedder="hashing", cache=None, view="whole")
    shortcuts = {f"rl-{p}-{i}" for p in range(2) for i in range(15)}
    found = [c for c in report.novel_clusters if set(c["trace_ids"]) & shortcuts]
    assert found, report.summary["verdict"]
    for c in found:
        assert c["degenerate"] is True and "skips_computation" in c["degenerate_reasons"]
    assert report.summary["verdict"].startswith("novel, degenerate:")
