"""Contract tests for the third synthetic generator (novelty.datasets.third)."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from random import Random

import pytest

from novelty.datasets.third import FAMILIES, SCENARIOS, generate
from novelty.datasets.third.phrasing import Ph
from novelty.datasets.third.shortcuts import KINDS
from novelty.datasets.third.styling import OPENERS

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


def by_problem(records: list[dict], truth: list[dict]) -> dict[str, list[tuple[dict, dict]]]:
    out: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for r, t in zip(records, truth, strict=True):
        out[r["problem_id"]].append((r, t))
    return out


def words(text: str) -> int:
    return len(text.split())


def test_deterministic_and_seed_sensitive() -> None:
    a = generate(4, 6, 6, seed=1)
    assert a == generate(4, 6, 6, seed=1)
    b = generate(4, 6, 6, seed=2)
    assert [r["text"] for r in a[0]] != [r["text"] for r in b[0]]


def test_problem_independent_of_n_problems() -> None:
    small_r, small_t = generate(3, 5, 5, seed=7)
    big_r, big_t = generate(7, 5, 5, seed=7)
    assert big_r[: len(small_r)] == small_r
    assert big_t[: len(small_t)] == small_t


def test_records_and_truth_shape() -> None:
    n_problems, n_base, n_rl = 9, 7, 5
    records, truth = generate(n_problems, n_base, n_rl, seed=3)
    assert len(records) == len(truth) == n_problems * (n_base + n_rl)
    assert len({r["id"] for r in records}) == len(records)
    for r, t in zip(records, truth, strict=True):
        assert set(r) == RECORD_KEYS
        assert set(t) == TRUTH_KEYS
        assert (r["id"], r["problem_id"], r["model"]) == (t["id"], t["problem_id"], t["model"])
        m = re.fullmatch(r"([a-z_]+)-(\d{3})", r["problem_id"])
        assert m and m.group(1) == t["family"] and t["family"] in FAMILIES
        assert r["model"] in ("base", "rl")
        assert isinstance(r["text"], str) and r["text"].strip()
        assert isinstance(r["correct"], bool)
        assert r["domain"] == FAMILIES[t["family"]].domain
        assert t["scenario"] in SCENARIOS
        assert t["format"] in ("prose", "code", "table", "list", "mixed")
    per = by_problem(records, truth)
    for i, (pid, rows) in enumerate(per.items()):
        assert pid.endswith(f"-{i:03d}")
        assert rows[0][1]["scenario"] == SCENARIOS[i % len(SCENARIOS)]
        assert Counter(r["model"] for r, _ in rows) == {"base": n_base, "rl": n_rl}


def test_scenario_argument_forms() -> None:
    _, truth = generate(4, 3, 3, scenarios="rare")
    assert {t["scenario"] for t in truth} == {"rare"}
    _, truth = generate(4, 3, 3, scenarios=["restyle", "novel"])
    got = [t["scenario"] for t in truth[::6]]
    assert got == ["restyle", "novel", "restyle", "novel"]


@pytest.mark.parametrize("prevalence", [0.0, 0.3])
def test_novel_scenario(prevalence: float) -> None:
    n_rl = 30
    records, truth = generate(8, 20, n_rl, scenarios="novel", prevalence=prevalence, seed=5)
    for rows in by_problem(records, truth).values():
        novel = [t for _, t in rows if t["novel"]]
        assert len(novel) == round(prevalence * n_rl)
        assert all(t["model"] == "rl" for t in novel)
        base_methods = {t["strategy"] for _, t in rows if t["model"] == "base"}
        novel_methods = {t["strategy"] for t in novel}
        assert len(novel_methods) <= 1
        assert not novel_methods & base_methods
        # Non-novel RL samples only use methods base also uses.
        other = {t["strategy"] for _, t in rows if t["model"] == "rl" and not t["novel"]}
        assert other <= base_methods


def test_novel_false_outside_novel_scenario() -> None:
    records, truth = generate(12, 10, 10, seed=2, prevalence=0.5)
    assert any(t["novel"] for t in truth)
    for rows in by_problem(records, truth).values():
        scenario = rows[0][1]["scenario"]
        if scenario != "novel":
            assert not any(t["novel"] for _, t in rows)
            base_methods = {t["strategy"] for _, t in rows if t["model"] == "base"}
            rl_methods = {
                t["strategy"] for _, t in rows if t["model"] == "rl" and not t["degenerate"]
            }
            assert rl_methods <= base_methods


def test_rare_scenario() -> None:
    n_rl = 40
    records, truth = generate(8, 40, n_rl, scenarios="rare", seed=11)
    for rows in by_problem(records, truth).values():
        base = Counter(t["strategy"] for _, t in rows if t["model"] == "base")
        rl = Counter(t["strategy"] for _, t in rows if t["model"] == "rl")
        rare = [s for s in base if 1 <= base[s] <= 2 and 0.3 <= rl[s] / n_rl <= 0.5]
        assert len(rare) == 1
        assert not any(t["novel"] for _, t in rows)


def test_degenerate_scenario() -> None:
    n_rl = 50
    records, truth = generate(8, 10, n_rl, scenarios="degenerate", seed=4)
    for rows in by_problem(records, truth).values():
        degen = [t for _, t in rows if t["degenerate"]]
        assert 0.2 <= len(degen) / n_rl <= 0.4
        assert all(t["model"] == "rl" and not t["novel"] for t in degen)
        assert {t["strategy"] for t in degen} <= set(KINDS)
        loops = [r for r, t in rows if t["strategy"] == "loop"]
        assert all(not r["correct"] for r in loops)


def test_every_format_appears_and_families_are_varied() -> None:
    _, truth = generate(16, 30, 5, seed=0)
    assert {"prose", "code", "table", "list", "mixed"} <= {t["format"] for t in truth}
    assert len(FAMILIES) == 8
    non_math = [f for f in FAMILIES.values() if f.domain != "math"]
    assert len(non_math) >= 4
    for key, fam in FAMILIES.items():
        assert not re.search(r"\d", key)
        assert 4 <= len(fam.methods) <= 6
        assert len({m.name for m in fam.methods}) == len(fam.methods)
        assert len({m.format for m in fam.methods}) >= 3


def test_methods_agree_on_answers() -> None:
    for fam in FAMILIES.values():
        for s in range(15):
            inst = fam.make(Random(s))
            truth = fam.solve(inst)
            for m in fam.methods:
                _, ans = m.render(inst, Ph(Random(s)))
                assert ans == truth, (fam.key, m.name, inst)


def test_wrong_share_is_small_but_present() -> None:
    records, truth = generate(16, 40, 10, seed=6)
    ok = [r["correct"] for r, t in zip(records, truth, strict=True) if not t["degenerate"]]
    wrong = 1 - sum(ok) / len(ok)
    assert 0.04 <= wrong <= 0.15


def test_restyle_and_recheck_change_rl_text() -> None:
    records, truth = generate(12, 16, 16, scenarios=["restyle", "recheck"], seed=8)
    for rows in by_problem(records, truth).values():
        base = [r["text"] for r, t in rows if t["model"] == "base"]
        rl = [r["text"] for r, t in rows if t["model"] == "rl"]
        assert all(t["restyled"] == (t["model"] == "rl") for _, t in rows)
        assert all(any(x.startswith(o) for o in OPENERS) for x in rl)
        assert not any(any(x.startswith(o) for o in OPENERS) for x in base)
        ratio = sum(map(words, rl)) / len(rl) / (sum(map(words, base)) / len(base))
        if rows[0][1]["scenario"] == "recheck":
            assert 1.8 <= ratio <= 4.5
        else:
            assert ratio < 1.6


def test_restyle_rewrites_most_lines() -> None:
    """Few prose/list lines of a restyled RL trace appear verbatim in any base trace."""

    def lines(text: str) -> list[str]:
        out, code = [], False
        for line in text.split("\n"):
            if line.startswith("```"):
                code = not code
            elif not code and line.strip() and not line.startswith(("|", "$$")):
                out.append(line.strip())
        return out

    records, _ = generate(8, 30, 30, scenarios="restyle", seed=4)
    base: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r["model"] == "base":
            base[r["problem_id"]].update(lines(r["text"]))
    rl_lines = [
        (r["problem_id"], line) for r in records if r["model"] == "rl" for line in lines(r["text"])
    ]
    shared = sum(line in base[pid] for pid, line in rl_lines)
    assert shared / len(rl_lines) < 0.35


def test_restyle_probability_outside_style_scenarios() -> None:
    _, never = generate(6, 4, 20, scenarios="reweight", restyle=0.0)
    assert not any(t["restyled"] for t in never)
    _, always = generate(6, 4, 20, scenarios="reweight", restyle=1.0)
    assert all(t["restyled"] == (t["model"] == "rl") for t in always)


def test_novel_traces_share_problem_content() -> None:
    """Every trace of a problem restates it, so numbers and names recur across samples."""
    records, truth = generate(8, 6, 6, scenarios="novel", seed=9)
    for rows in by_problem(records, truth).values():
        texts = [r["text"] for r, t in rows if not t["degenerate"]]
        tokens = [set(re.findall(r"\b\d+\b|\b[A-Z][a-z]+\b", x)) for x in texts]
        common = set.intersection(*tokens)
        assert common, rows[0][0]["problem_id"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_base": 0}, "n_base"),
        ({"n_rl": 0}, "n_rl"),
        ({"prevalence": -0.1}, "prevalence"),
        ({"prevalence": 1.5}, "prevalence"),
        ({"restyle": 2.0}, "restyle"),
        ({"scenarios": "bogus"}, "unknown scenario"),
        ({"scenarios": ["novel", "nope"]}, "unknown scenario"),
        ({"scenarios": []}, "at least one"),
    ],
)
def test_argument_checking(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate(2, **{"n_base": 3, "n_rl": 3, **kwargs})


def test_default_size_is_fast() -> None:
    start = time.perf_counter()
    records, _ = generate(12, 64, 64)
    assert len(records) == 12 * 128
    assert time.perf_counter() - start < 4.0
