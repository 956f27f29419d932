"""The blind second generator: determinism, scenario truth, formats, and argument checking."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from novelty.datasets.blind import FAMILIES, SCENARIOS, generate, instances
from novelty.datasets.blind.assemble import DEGENERATE

PKG = Path(__file__).resolve().parents[1] / "novelty" / "datasets" / "blind"
RECORD_KEYS = {"id", "problem_id", "model", "text", "correct", "domain"}
TRUTH_KEYS = {
    "id", "problem_id", "model", "strategy", "novel", "degenerate", "scenario", "restyled",
    "format", "family",
}  # fmt: skip
N = len(FAMILIES)


@pytest.fixture(scope="module")
def data() -> tuple[list[dict], list[dict]]:
    """Every family under every scenario at least once (2 x 9 problems cycle all 6 scenarios)."""
    return generate(n_problems=2 * N, n_base=24, n_rl=40, prevalence=0.3, seed=7)


def _by_problem(truth: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for t in truth:
        out[t["problem_id"]].append(t)
    return out


def test_deterministic_and_seed_sensitive() -> None:
    a = generate(n_problems=5, n_base=10, n_rl=10, seed=11)
    b = generate(n_problems=5, n_base=10, n_rl=10, seed=11)
    c = generate(n_problems=5, n_base=10, n_rl=10, seed=12)
    assert json.dumps(a) == json.dumps(b)
    assert [r["text"] for r in a[0]] != [r["text"] for r in c[0]]


def test_problem_i_does_not_depend_on_later_problems() -> None:
    small = generate(n_problems=3, n_base=8, n_rl=8, scenarios="novel", seed=2)
    big = generate(n_problems=7, n_base=8, n_rl=8, scenarios="novel", seed=2)
    s = {r["id"]: r["text"] for r in small[0]}
    b = {r["id"]: r["text"] for r in big[0]}
    assert s and all(b[k] == v for k, v in s.items())


def test_rows_aligned_unique_and_counted(data) -> None:
    records, truth = data
    assert len(records) == len(truth) == 2 * N * (24 + 40)
    assert len({r["id"] for r in records}) == len(records)
    for r, t in zip(records, truth, strict=True):
        assert set(r) == RECORD_KEYS and set(t) == TRUTH_KEYS
        assert (r["id"], r["problem_id"], r["model"]) == (t["id"], t["problem_id"], t["model"])
        assert r["domain"] == FAMILIES[t["family"]].domain
        assert re.fullmatch(rf"{t['family']}-\d{{3}}", r["problem_id"])
        assert isinstance(r["correct"], bool) and r["text"].strip()
    counts = Counter((r["problem_id"], r["model"]) for r in records)
    assert set(counts.values()) == {24, 40} and len(counts) == 4 * N
    assert {r["model"] for r in records if counts[(r["problem_id"], r["model"])] == 24} == {"base"}


def test_held_out_method_never_in_base_and_novel_truth(data) -> None:
    _, truth = data
    for pid, rows in _by_problem(truth).items():
        fam = FAMILIES[rows[0]["family"]]
        base = {t["strategy"] for t in rows if t["model"] == "base"}
        assert base < {m.name for m in fam.methods}  # at least one method is held out
        novel = [t for t in rows if t["novel"]]
        for t in novel:
            assert t["model"] == "rl" and not t["degenerate"] and t["strategy"] not in base
        rl_new = [
            t for t in rows if t["model"] == "rl" and not t["degenerate"]
            and t["strategy"] not in base
        ]  # fmt: skip
        assert rl_new == novel  # truth matches the definition exactly
        if rows[0]["scenario"] == "novel":
            assert abs(len(novel) - 0.3 * 40) <= 1
            assert len({t["strategy"] for t in novel}) == 1
        else:
            assert not novel, pid


@pytest.mark.parametrize(("prevalence", "lo", "hi"), [(0.06, 3, 5), (0.12, 7, 8)])
def test_small_novel_groups(prevalence: float, lo: int, hi: int) -> None:
    _, truth = generate(
        n_problems=3, n_base=16, n_rl=64, scenarios="novel", prevalence=prevalence, seed=5
    )
    for rows in _by_problem(truth).values():
        assert lo <= sum(t["novel"] for t in rows) <= hi


def test_rare_method_is_amplified(data) -> None:
    _, truth = data
    seen = 0
    for rows in _by_problem(truth).values():
        if rows[0]["scenario"] != "rare":
            continue
        seen += 1
        base = Counter(t["strategy"] for t in rows if t["model"] == "base")
        rl = Counter(t["strategy"] for t in rows if t["model"] == "rl")
        rare = [m for m, k in base.items() if k <= 2 and 0.3 * 40 - 1 <= rl[m] <= 0.5 * 40 + 1]
        assert rare, (base, rl)
        assert not any(t["novel"] for t in rows)
    assert seen >= 2


def test_degenerate_and_restyle_scenarios(data) -> None:
    _, truth = data
    for rows in _by_problem(truth).values():
        sc = rows[0]["scenario"]
        rl = [t for t in rows if t["model"] == "rl"]
        deg = [t for t in rl if t["degenerate"]]
        if sc == "degenerate":
            assert 0.2 * 40 - 1 <= len(deg) <= 0.4 * 40 + 1
            assert all(t["strategy"] in DEGENERATE and not t["novel"] for t in deg)
        else:
            assert not deg
        if sc in ("restyle", "recheck"):
            assert all(t["restyled"] for t in rl)
        assert not any(t["restyled"] for t in rows if t["model"] == "base")


def test_recheck_traces_recheck_more(data) -> None:
    records, truth = data
    pat = re.compile(r"double-check|re-check|recompute|verify|re-verify|re-read|re-derive", re.I)
    hits: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r, t in zip(records, truth, strict=True):
        if t["scenario"] == "recheck" and not t["degenerate"]:
            hits[(t["model"], "n")].append(len(pat.findall(r["text"])))
    rl, base = hits[("rl", "n")], hits[("base", "n")]
    assert sum(rl) / len(rl) >= 2.0
    assert sum(rl) / len(rl) > 3 * sum(base) / len(base)


def test_every_trace_restates_its_problem(data) -> None:
    records, truth = data
    keys = {pid: inst.keys() for pid, inst in instances(2 * N, None, 7)}
    for r, t in zip(records, truth, strict=True):
        if t["degenerate"]:
            continue
        missing = [k for k in keys[r["problem_id"]] if k not in r["text"]]
        assert not missing, (r["id"], missing)


def test_formats_look_like_their_format(data) -> None:
    records, truth = data
    case_line = re.compile(r"\d.*[^.:?!\s]$")
    by_fmt: Counter = Counter()
    for r, t in zip(records, truth, strict=True):
        by_fmt[t["format"]] += 1
        if t["format"] == "code":
            assert "```python\n" in r["text"], r["id"]
        if t["format"] == "table":
            run = best = 0
            for line in r["text"].splitlines():
                run = run + 1 if case_line.search(line.strip()) else 0
                best = max(best, run)
            assert best >= 3, r["id"]
        if t["format"] == "list":
            assert re.search(r"^(\d+[.)]|\(\d+\)|\*\*Step \d+\.\*\*) ", r["text"], re.M), r["id"]
    assert {"prose", "code", "table", "list", "mixed"} <= set(by_fmt)


def test_long_traces_and_correctness_mix(data) -> None:
    records, truth = data
    plain = [r for r, t in zip(records, truth, strict=True) if not t["degenerate"]]
    long_share = sum(len(r["text"]) > 1500 for r in plain) / len(plain)
    assert 0.05 <= long_share <= 0.4
    assert max(len(r["text"]) for r in plain) > 3000
    assert 0.4 < sum(r["correct"] for r in plain) / len(plain) < 0.97


@pytest.mark.parametrize("family", ["modpow", "recurrence"])
def test_wrong_traces_end_with_wrong_answer(family: str) -> None:
    records, truth = generate(
        n_problems=2, n_base=30, n_rl=10, scenarios="reweight", families=[family], seed=3
    )
    answers = {pid: inst.short(True, None) for pid, inst in instances(2, [family], 3)}
    assert {t["degenerate"] for t in truth} == {False}
    for r in records:
        last = r["text"].strip().splitlines()[-1]
        assert (re.findall(r"-?\d+", last)[-1] == answers[r["problem_id"]]) == r["correct"]


def test_family_registry_shape() -> None:
    domains = Counter(f.domain for f in FAMILIES.values())
    assert domains["planning"] >= 3 and domains["code"] >= 2 and domains["math"] >= 3
    shared_format = mixed = False
    for name, fam in FAMILIES.items():
        assert fam.name == name and 4 <= len(fam.methods) <= 6
        assert len({m.name for m in fam.methods}) == len(fam.methods)
        fmts = Counter(m.fmt for m in fam.methods)
        shared_format |= max(fmts.values()) >= 2
        mixed |= "mixed" in fmts
        assert len(fmts) >= 3, name  # methods differ in format, not only in content
    assert shared_format and mixed


def test_scenario_assignment() -> None:
    _, t = generate(n_problems=4, n_base=4, n_rl=4, scenarios=["rare", "recheck"], seed=1)
    got = {x["problem_id"]: x["scenario"] for x in t}
    assert [got[k] for k in sorted(got, key=lambda p: p[-3:])] == ["rare", "recheck"] * 2
    _, t = generate(
        n_problems=3, n_base=4, n_rl=4, families=["urn", "pairs"],
        scenarios={"pairs": "degenerate", "urn-002": "rare"}, seed=1,
    )  # fmt: skip
    got = {x["problem_id"]: x["scenario"] for x in t}
    assert got == {"urn-000": "novel", "pairs-001": "degenerate", "urn-002": "rare"}
    _, t = generate(n_problems=7, n_base=4, n_rl=4, seed=1)
    got = {x["problem_id"]: x["scenario"] for x in t}
    assert [got[k] for k in sorted(got, key=lambda p: p[-3:])] == [*SCENARIOS, SCENARIOS[0]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scenarios": "bogus"},
        {"scenarios": []},
        {"scenarios": ["novel", "nope"]},
        {"scenarios": {"nowhere-000": "novel"}},
        {"scenarios": {"routes": "bogus"}},
        {"scenarios": 3},
        {"families": ["routes", "nope"]},
        {"families": []},
        {"families": "routes"},
        {"families": ["urn", "urn"]},
        {"n_problems": 0},
        {"n_problems": True},
        {"n_base": 1},
        {"n_rl": 0},
        {"n_rl": 2.5},
        {"prevalence": 1.5},
        {"restyle": -0.1},
        {"seed": -1},
    ],
)
def test_bad_arguments_raise(kwargs: dict) -> None:
    args = {"n_problems": 2, "n_base": 4, "n_rl": 4, **kwargs}
    with pytest.raises(ValueError):
        generate(**args)


def test_modules_stay_small() -> None:
    for path in PKG.glob("*.py"):
        assert len(path.read_text().splitlines()) < 500, path.name
