"""Cluster descriptions: c-TF-IDF keywords against the base, exemplar text, nearest base trace."""

from __future__ import annotations

import numpy as np

from conftest import PlantedEmbedder, planted_records
from novelty import scan
from novelty.describe import TEXT_CHARS, clip_text, ctfidf_keywords


def test_keywords_are_what_sets_a_cluster_apart_from_the_base():
    base = [f"we factor the quadratic and read the roots, case {i}" for i in range(6)]
    novel = [f"complete the square then take square roots, case {i}" for i in range(4)]
    same = [f"we factor the quadratic and read the roots, again {i}" for i in range(4)]
    kw_novel, kw_same = ctfidf_keywords([novel, same], base)
    assert kw_novel[0] in {"square", "complete", "complete square"}
    assert "square" in kw_novel and "factor" not in kw_novel
    # A cluster that writes like the base has nothing beyond what the base already says.
    assert "factor" not in kw_same and "quadratic" not in kw_same


def test_keywords_ignore_bigrams_across_traces_and_empty_input():
    # The same text repeated a different number of times scores exactly like the base.
    assert ctfidf_keywords([["solve it now"] * 3], ["solve it now"] * 5) == [[]]
    assert ctfidf_keywords([[], ["42 17"]], []) == [[], []]


def test_clip_text_marks_the_cut():
    assert clip_text("a  b\nc") == "a b c"
    long = "x" * (TEXT_CHARS + 10)
    cut = clip_text(long)
    assert len(cut) == TEXT_CHARS and cut.endswith("…")


def test_scan_describes_every_cluster():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=9)
    for r in recs:  # a word only the novel strategy uses, and one every trace uses
        r["text"] += " method " + ("tangent" if "_new]" in r["text"] else "secant")
    report = scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole")
    by_id = {t["id"]: t for t in report.traces}
    text = {r["id"]: r["text"] for r in recs}
    novel = report.novel_clusters
    assert novel
    for c in report.clusters:
        assert text[c["exemplar_ids"][0]].startswith(c["exemplar_text"][:30])
        if c["n_rl"] == 0:
            assert c["nearest_base_id"] is None
            continue
        nb = by_id[c["nearest_base_id"]]
        assert nb["model"] == "base" and nb["problem_id"] == c["problem_id"]
        assert text[nb["id"]] == c["nearest_base_text"]
        # The nearest base trace is as near as the closest RL member's nearest base trace.
        assert np.isclose(c["nearest_base_distance"], c["min_base_distance"], atol=1e-5)
    for c in novel:
        assert "tangent" in c["keywords"] and "secant" not in c["keywords"]


def test_keyword_text_drops_self_checks_and_latex():
    from novelty.describe import keyword_text

    text = r"So $2 \cdot 3 \equiv 1$ and \boxed{6}. Wait, let me double-check that."
    kept = keyword_text(text)
    assert "cdot" not in kept and "boxed" not in kept and "equiv" not in kept
    assert "Wait" not in kept and "6" in kept
