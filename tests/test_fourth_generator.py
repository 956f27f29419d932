"""The fourth held-out generator: determinism, counts, alignment and planted truth."""

from __future__ import annotations

from collections import Counter

import pytest

from novelty.datasets.fourth import SCENARIOS, generate
from novelty.datasets.fourth.families import FAMILIES


def _by_problem(truth: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for t in truth:
        out.setdefault(t["problem_id"], []).append(t)
    return out


def test_same_seed_same_output_and_seed_matters() -> None:
    a = generate(6, 8, 8, seed=3)
    assert a == generate(6, 8, 8, seed=3)
    assert a[0] != generate(6, 8, 8, seed=4)[0]


def test_problem_is_independent_of_n_problems() -> None:
    short, short_t = generate(3, 10, 10, seed=1)
    long, long_t = generate(9, 10, 10, seed=1)
    pids = {r["problem_id"] for r in short}
    assert [r for r in long if r["problem_id"] in pids] == short
    assert [t for t in long_t if t["problem_id"] in pids] == short_t


def test_counts_fields_and_alignment() -> None:
    records, truth = generate(12, 10, 14, seed=0)
    assert len(records) == len(truth) == 12 * (10 + 14)
    assert len({r["id"] for r in records}) == len(records)
    for r, t in zip(records, truth, strict=True):
        assert set(r) == {"id", "problem_id", "model", "text", "correct", "domain"}
        assert {
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
        } == set(t)
        assert (r["id"], r["problem_id"], r["model"]) == (t["id"], t["problem_id"], t["model"])
        assert r["model"] in {"base", "rl"} and isinstance(r["correct"], bool) and r["text"]
        assert t["format"] in {"code", "table", "list", "prose"}
        assert r["problem_id"].rsplit("-", 1)[0] == t["family"]
    for pid, rows in _by_problem(truth).items():
        models = Counter(t["model"] for t in rows)
        assert models == {"base": 10, "rl": 14}, pid
    assert Counter(t["scenario"] for t in truth)["novel"] == 2 * 24


@pytest.mark.parametrize("prevalence", [0.0, 0.2, 0.37, 1.0])
def test_novel_plants_exact_count_and_hides_method_from_base(prevalence: float) -> None:
    _, truth = generate(8, 20, 30, seed=2, prevalence=prevalence, scenarios="novel")
    for pid, rows in _by_problem(truth).items():
        planted = [t for t in rows if t["novel"]]
        assert len(planted) == round(prevalence * 30), pid
        assert all(t["model"] == "rl" for t in planted)
        held = {t["strategy"] for t in planted}
        assert len(held) <= 1
        base = {t["strategy"] for t in rows if t["model"] == "base"}
        assert not held & base
        assert all(
            c >= 3 for c in Counter(t["strategy"] for t in rows if t["model"] == "base").values()
        )


def test_only_novel_scenario_marks_novel() -> None:
    _, truth = generate(12, 12, 12, seed=5)
    assert all(not t["novel"] for t in truth if t["scenario"] != "novel")
    assert any(t["novel"] for t in truth if t["scenario"] == "novel")


def test_rare_method_used_by_one_or_two_base_samples() -> None:
    _, truth = generate(10, 40, 40, seed=7, scenarios="rare")
    for pid, rows in _by_problem(truth).items():
        base = Counter(t["strategy"] for t in rows if t["model"] == "base")
        rl = Counter(t["strategy"] for t in rows if t["model"] == "rl")
        rare = [m for m, c in base.items() if c <= 2]
        assert len(rare) == 1, (pid, base)
        assert 0.2 * 40 <= rl[rare[0]] <= 0.4 * 40, (pid, rl)
        assert all(t["restyled"] for t in rows if t["model"] == "rl")
        assert not any(t["novel"] for t in rows)


def test_every_format_is_held_out_over_a_rotation() -> None:
    for seed in (0, 1):
        _, truth = generate(12, 12, 20, seed=seed, scenarios="novel")
        assert {t["format"] for t in truth if t["novel"]} == {"code", "table", "list", "prose"}


def test_default_run_covers_families_and_formats() -> None:
    records, truth = generate(24, 16, 16, seed=0)
    assert len({t["family"] for t in truth}) >= 8
    assert {t["format"] for t in truth if t["novel"]} == {"code", "table", "list", "prose"}
    assert any("```" in r["text"] for r in records)
    assert any("| ---" in r["text"] or "|---" in r["text"] for r in records)
    assert any(len(r["text"].split()) > 300 for r in records)
    assert any(not r["correct"] for r in records if r["model"] == "base")


def test_scenario_specific_truth() -> None:
    _, truth = generate(6, 16, 20, seed=0)
    rl = [t for t in truth if t["model"] == "rl"]
    restyle = [t for t in rl if t["scenario"] == "restyle"]
    assert restyle and all(t["restyled"] for t in restyle)
    degenerate = [t for t in rl if t["scenario"] == "degenerate"]
    assert sum(t["degenerate"] for t in degenerate) == round(0.2 * 20)
    assert not any(t["degenerate"] for t in truth if t["scenario"] != "degenerate")
    reweight = [t for t in rl if t["scenario"] == "reweight"]
    assert Counter(t["strategy"] for t in reweight).most_common(1)[0][1] >= 0.6 * 20


def test_recheck_traces_verify() -> None:
    records, truth = generate(4, 4, 10, seed=0, scenarios="recheck")
    texts = [r["text"] for r, t in zip(records, truth, strict=True) if t["model"] == "rl"]
    marks = ("Wait", "Hmm", "double-check", "Hold on")
    assert all(any(m in x for m in marks) for x in texts)


def test_each_family_has_every_format() -> None:
    for fam in FAMILIES:
        assert 4 <= len(fam.methods) <= 6
        assert {m.fmt for m in fam.methods} == {"code", "table", "list", "prose"}
        assert len({m.name for m in fam.methods}) == len(fam.methods)


def test_scenarios_argument_forms() -> None:
    assert SCENARIOS == ("novel", "reweight", "restyle", "recheck", "rare", "degenerate")
    _, truth = generate(4, 4, 4, scenarios=["recheck", "rare"])
    assert [t["scenario"] for t in truth[::8]] == ["recheck", "rare", "recheck", "rare"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_problems": 0}, "n_problems"),
        ({"n_base": -1}, "n_base"),
        ({"n_rl": 2.5}, "n_rl"),
        ({"n_base": True}, "n_base"),
        ({"prevalence": 1.5}, "prevalence"),
        ({"prevalence": float("nan")}, "prevalence"),
        ({"scenarios": "nope"}, "unknown scenario"),
        ({"scenarios": []}, "at least one"),
        ({"scenarios": ["novel", "bogus"]}, "unknown scenario"),
        ({"seed": "1"}, "seed"),
    ],
)
def test_bad_arguments_raise(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        generate(**kwargs)
