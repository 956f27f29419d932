"""End to end with the real MiniLM embedder, FAISS and HDBSCAN on the bundled demo traces.

The demo (made by ``novelty synth``, see scripts/make_fixtures.py) has eight problems: on two, RL
uses a method no base sample uses; on the others RL only re-weights, restyles, or amplifies a
method that one or two base samples use.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from conftest import FIXTURES, REAL, read_jsonl
from novelty import scan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("emb-cache")


@pytest.fixture(scope="module")
def demo(cache_dir):
    records = read_jsonl(FIXTURES / "demo.jsonl")
    truth = {t["id"]: t for t in read_jsonl(FIXTURES / "demo.truth.jsonl")}
    return records, truth, scan(records, cache=cache_dir)


def test_planted_strategies_are_found_with_their_members(demo):
    _, truth, report = demo
    flagged = set(report.novel_trace_ids)
    planted = {i for i, t in truth.items() if t["novel"]}
    tp = len(flagged & planted)
    f1 = 2 * tp / (len(flagged) + len(planted))
    assert f1 >= 0.85, (f1, len(flagged), len(planted))
    # every planted problem gets a novel cluster, made of that problem's planted method
    novel_problems = {truth[i]["problem_id"] for i in planted}
    assert {c["problem_id"] for c in report.novel_clusters} == novel_problems
    for c in report.novel_clusters:
        methods = Counter(truth[i]["strategy"] for i in c["trace_ids"])
        assert methods.most_common(1)[0][0] == truth[c["trace_ids"][0]]["strategy"]
        assert c["n_base"] == 0 and c["q_value"] <= 0.05


def test_reweighted_restyled_and_rare_strategies_are_not_novel(demo):
    _, truth, report = demo
    wrong = [t for t in report.traces if t["novel"] and not truth[t["id"]]["novel"]]
    assert not wrong
    null = [t for t in report.traces if truth[t["id"]]["scenario"] in ("reweight", "restyle")]
    assert null and not any(t["novel"] for t in null)


def test_a_strategy_in_one_or_two_base_samples_is_not_novel(demo):
    _, truth, report = demo
    rare_problems = {t["problem_id"] for t in truth.values() if t["scenario"] == "rare"}
    assert rare_problems
    for pid in rare_problems:
        base = Counter(
            t["strategy"] for t in truth.values() if t["problem_id"] == pid and t["model"] == "base"
        )
        rl = Counter(
            t["strategy"] for t in truth.values() if t["problem_id"] == pid and t["model"] == "rl"
        )
        rare = [s for s, n in base.items() if n <= 2 and rl[s] >= 5]
        assert rare, pid  # the fixture really plants one
        flagged = [t for t in report.traces if t["problem_id"] == pid and t["novel"]]
        assert not flagged


def test_shuffled_lines_give_the_same_report(demo, cache_dir):
    records, _, report = demo
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    again = scan(shuffled, cache=cache_dir)
    assert again.summary["n_from_cache"] == again.summary["n_view_texts"]  # nothing embedded twice
    a, b = report.to_dict(), again.to_dict()
    for part in ("traces", "clusters", "problems"):
        assert a[part] == b[part]


def test_long_traces_are_chunked_not_cut(demo):
    from novelty.embedding import as_embedder, embed_texts
    from novelty.views import strategy_view

    records, truth, report = demo
    long = [strategy_view(r["text"]) for r in records if truth[r["id"]]["long"]]
    assert long
    # Embedded as one text, every long trace is split into windows and mean-pooled, none cut.
    windows = embed_texts(long, as_embedder(None), cache=None, view="strategy").windows
    assert (windows > 1).all()
    assert report.config["window"] in (None, 256)


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data/real is not beside this clone")
def test_real_grpo_rollouts_scan(cache_dir):
    path = REAL / "grpo_rollouts_qwen25_math_1p5b" / "paired_early_late_same_question.jsonl"
    rows = read_jsonl(path)
    report = scan(path, format="grpo", cache=cache_dir)  # as scripts/real_grpo.py reads it
    assert report.config["input_files"][0]["format"] == "grpo"
    assert report.summary["n_traces"] == len(rows)
    assert report.summary["n_problems"] == 3
    rl = [t for t in report.traces if t["model"] == "rl"]
    assert all(0 < t["p_value"] <= 1 for t in rl)
    # eight late samples per question: below min_cluster_size + the BH bar, so nothing can be
    # called novel from so few, and the scan must not pretend otherwise
    assert report.summary["n_novel_clusters"] == 0
