"""Tests for the fifth synthetic generator (held-out data for the novelty detector)."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict

import pytest

from novelty.datasets.fifth import SCENARIOS, generate
from novelty.datasets.fifth.core import FORMATS
from novelty.datasets.fifth.families import FAMILIES
from novelty.datasets.fifth.generate import family_for, instance_for
from novelty.datasets.fifth.shortcuts import KINDS

RECORD_KEYS = {"id", "problem_id", "model", "text", "correct", "domain"}
TRUTH_KEYS = {
    "id",
    "problem_id",
    "model",
    "strategy",
    "novel",
    "degenerate",
    "scenario",
    "restyled",
    "format",
    "family",
}


@pytest.fixture(scope="module")
def run() -> tuple[list[dict], list[dict]]:
    return generate(12, 40, 40, seed=0)


def by_problem(truth: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for t in truth:
        out[t["problem_id"]].append(t)
    return out


def test_deterministic_and_seed_dependent() -> None:
    a = generate(4, 8, 8, seed=5)
    b = generate(4, 8, 8, seed=5)
    c = generate(4, 8, 8, seed=6)
    assert a == b
    assert [r["text"] for r in a[0]] != [r["text"] for r in c[0]]


def test_problems_independent_of_n_problems() -> None:
    small_r, small_t = generate(3, 10, 12, seed=2)
    big_r, big_t = generate(9, 10, 12, seed=2)
    assert small_r == big_r[: len(small_r)]
    assert small_t == big_t[: len(small_t)]


def test_fields_and_alignment(run: tuple[list[dict], list[dict]]) -> None:
    records, truth = run
    assert len(records) == len(truth) == 12 * 80
    for r, t in zip(records, truth, strict=True):
        assert set(r) == RECORD_KEYS
        assert set(t) == TRUTH_KEYS
        assert (r["id"], r["problem_id"], r["model"]) == (t["id"], t["problem_id"], t["model"])
        assert isinstance(r["text"], str) and r["text"].strip()
        assert isinstance(r["correct"], bool)
        assert isinstance(r["domain"], str) and r["domain"]
        assert t["format"] in FORMATS
        assert re.fullmatch(r"[a-z_]+-\d{3}", r["problem_id"])
        assert not re.search(r"-\d+$", t["family"])
        assert r["problem_id"].startswith(t["family"] + "-")
    for i, (pid, rows) in enumerate(by_problem(truth).items()):
        models = [t["model"] for t in rows]
        assert models == ["base"] * 40 + ["rl"] * 40
        assert [t["id"] for t in rows[:2]] == [f"{pid}:base:000", f"{pid}:base:001"]
        assert rows[40]["id"] == f"{pid}:rl:000"
        assert {t["scenario"] for t in rows} == {SCENARIOS[i % len(SCENARIOS)]}
        assert pid == f"{family_for(0, i).key}-{i:03d}"


def test_novel_counts_and_exclusivity() -> None:
    for prev in (0.2, 0.35):
        _, truth = generate(8, 30, 40, seed=3, prevalence=prev, scenarios="novel")
        for rows in by_problem(truth).values():
            base = {t["strategy"] for t in rows if t["model"] == "base"}
            novel = [t for t in rows if t["novel"]]
            assert len(novel) == round(prev * 40)
            assert all(t["model"] == "rl" for t in novel)
            assert {t["strategy"] for t in novel}.isdisjoint(base)
            assert len({t["strategy"] for t in novel}) == 1
            others = [t for t in rows if t["model"] == "rl" and not t["novel"]]
            assert {t["strategy"] for t in others} <= base
            counts = Counter(t["strategy"] for t in rows if t["model"] == "base")
            assert min(counts.values()) >= 3


def test_only_novel_scenario_has_novel_traces(run: tuple[list[dict], list[dict]]) -> None:
    _, truth = run
    for t in truth:
        if t["scenario"] != "novel":
            assert not t["novel"]
        if t["scenario"] != "degenerate":
            assert not t["degenerate"]


def test_rare_method_counts() -> None:
    _, truth = generate(6, 40, 50, seed=1, prevalence=0.2, scenarios="rare")
    for rows in by_problem(truth).values():
        base = Counter(t["strategy"] for t in rows if t["model"] == "base")
        rl = Counter(t["strategy"] for t in rows if t["model"] == "rl")
        rare = [s for s, c in base.items() if c <= 2]
        assert len(rare) == 1
        assert rl[rare[0]] >= round(0.2 * 50)
        assert set(rl) <= set(base)
        assert not any(t["novel"] for t in rows)
        assert all(c >= 3 for s, c in base.items() if s != rare[0])


def test_degenerate_counts() -> None:
    _, truth = generate(6, 20, 50, seed=4, prevalence=0.3, scenarios="degenerate")
    kinds_seen = set()
    for rows in by_problem(truth).values():
        deg = [t for t in rows if t["degenerate"]]
        assert len(deg) == round(0.3 * 50)
        assert all(t["model"] == "rl" and not t["novel"] for t in deg)
        assert all(t["strategy"] in KINDS for t in deg)
        kinds_seen |= {t["strategy"] for t in deg}
    assert kinds_seen == set(KINDS)


def test_reweight_and_restyle_use_base_methods_only() -> None:
    for scen in ("reweight", "restyle", "recheck"):
        _, truth = generate(6, 40, 40, seed=7, scenarios=scen)
        for rows in by_problem(truth).values():
            base = Counter(t["strategy"] for t in rows if t["model"] == "base")
            rl = Counter(t["strategy"] for t in rows if t["model"] == "rl")
            assert set(rl) <= set(base)
            assert not any(t["novel"] or t["degenerate"] for t in rows)
            if scen == "reweight":
                tv = sum(abs(base[s] - rl[s]) for s in base) / 2 / 40
                assert tv >= 0.25
                assert min(base.values()) >= 3
            if scen == "restyle":
                assert all(t["restyled"] for t in rows if t["model"] == "rl")
                assert not any(t["restyled"] for t in rows if t["model"] == "base")


def test_recheck_traces_verify() -> None:
    records, truth = generate(6, 10, 20, seed=2, scenarios="recheck")
    words = r"verif|check|recomput|redo|confirm|same|again|make sure|consistent|match"
    pat = re.compile(words, re.I)
    for r, t in zip(records, truth, strict=True):
        if t["model"] == "rl":
            assert len(pat.findall(r["text"])) >= 2


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_family_answers_are_correct(seed: int) -> None:
    for i in range(len(FAMILIES)):
        inst = instance_for(seed, i)
        assert family_for(seed, i).verify(inst) == inst.answer
        assert inst.answer not in inst.wrong and inst.wrong


def test_stated_answers_match_correct_flag(run: tuple[list[dict], list[dict]]) -> None:
    records, truth = run
    answers = {f"{family_for(0, i).key}-{i:03d}": instance_for(0, i).answer for i in range(12)}
    slips = 0
    worked = 0
    for r, t in zip(records, truth, strict=True):
        if t["degenerate"]:
            continue
        worked += 1
        last = r["text"].strip().splitlines()[-1]
        has = re.search(rf"(?<![\w.:]){re.escape(answers[r['problem_id']])}(?![\w:])", last)
        assert bool(has) == r["correct"], (last, answers[r["problem_id"]])
        slips += not r["correct"]
    assert 0.005 <= slips / worked <= 0.12


def test_every_format_planted_over_seeds() -> None:
    planted = set()
    for seed in range(4):
        _, truth = generate(12, 12, 12, seed=seed)
        planted |= {t["format"] for t in truth if t["novel"]}
    assert planted == set(FORMATS)


def test_families_cover_formats_and_scenarios() -> None:
    assert 9 <= len(FAMILIES) <= 10
    for fam in FAMILIES:
        assert 4 <= len(fam.methods) <= 6
        assert {m.fmt for m in fam.methods} == set(FORMATS)
        assert len({m.name for m in fam.methods}) == len(fam.methods)
    met = {(family_for(s, i).key, SCENARIOS[i % 6]) for s in range(12) for i in range(12)}
    assert len(met) == len(FAMILIES) * len(SCENARIOS)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_problems": 0},
        {"n_problems": -2},
        {"n_problems": True},
        {"n_base": 2.5},
        {"n_base": "8"},
        {"n_rl": 0},
        {"prevalence": -0.1},
        {"prevalence": 1.5},
        {"scenarios": "novelty"},
        {"scenarios": ["novel", "bogus"]},
        {"scenarios": []},
    ],
)
def test_bad_arguments_raise(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        generate(**kwargs)


def test_about_a_quarter_long(run: tuple[list[dict], list[dict]]) -> None:
    records, _ = run
    long = sum(len(r["text"].split()) > 300 for r in records) / len(records)
    assert 0.15 <= long <= 0.45
    assert sum("<think>" in r["text"] for r in records) > len(records) // 10


def test_base_samples_not_near_copies(run: tuple[list[dict], list[dict]]) -> None:
    records, truth = run
    groups: dict[tuple[str, str], list[set]] = defaultdict(list)
    for r, t in zip(records, truth, strict=True):
        if t["model"] == "base":
            words = r["text"].split()
            shingles = {tuple(words[k : k + 3]) for k in range(len(words) - 2)}
            groups[(t["problem_id"], t["strategy"])].append(shingles)
    texts = [r["text"] for r in records if r["model"] == "base"]
    assert len(set(texts)) == len(texts)
    for sets in groups.values():
        for a, b in itertools.combinations(sets, 2):
            assert len(a & b) / max(1, len(a | b)) < 0.98


def test_restyled_voice_differs_from_base() -> None:
    records, _ = generate(6, 30, 30, seed=9, scenarios="restyle")
    markers = re.compile(r"^## |\*\*|^Step \d+:|\bI'll\b|\bI'm\b|→|∴|^Answer: .*\.$|Hence", re.M)
    rl = [r["text"] for r in records if r["model"] == "rl"]
    base = [r["text"] for r in records if r["model"] == "base"]
    rl_rate = sum(bool(markers.search(x)) for x in rl) / len(rl)
    base_rate = sum(bool(markers.search(x)) for x in base) / len(base)
    assert rl_rate > base_rate + 0.3
