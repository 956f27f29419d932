"""Tests of the synthetic trace generator: determinism, the planted truth, and the fixtures."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from novelty.datasets.synth import FAMILIES, SCENARIOS, generate, write_jsonl
from novelty.datasets.synth.render import fill
from novelty.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
RECORD_KEYS = {"id", "problem_id", "model", "text", "correct", "domain"}
TRUTH_KEYS = {"id", "problem_id", "model", "strategy", "novel", "scenario", "restyled", "long"}
VERIFY = re.compile(
    r"double-check|let me verify|re-examine|make sure|check again|recompute", re.IGNORECASE
)
BOXED = re.compile(r"\\boxed\{(.+)\}")
UNFILLED = re.compile(r"(?<!\\begin)(?<!\\end)\{[A-Za-z_]\w*\}")  # a template placeholder left over


@pytest.fixture(scope="module")
def planted() -> tuple[list[dict], list[dict]]:
    """Two problems of each family, every scenario at least three times."""
    return generate(n_problems=14, n_base=32, n_rl=32, seed=3)


def _strategies(truth: list[dict]) -> dict[str, dict[str, Counter]]:
    """problem_id -> model -> Counter of strategies."""
    out: dict[str, dict[str, Counter]] = defaultdict(lambda: {"base": Counter(), "rl": Counter()})
    for t in truth:
        out[t["problem_id"]][t["model"]][t["strategy"]] += 1
    return out


def _scenario(truth: list[dict]) -> dict[str, str]:
    return {t["problem_id"]: t["scenario"] for t in truth}


def test_same_seed_gives_identical_output():
    assert generate(n_problems=4, n_base=10, n_rl=10, seed=5) == generate(
        n_problems=4, n_base=10, n_rl=10, seed=5
    )


def test_different_seeds_differ():
    a, _ = generate(n_problems=4, n_base=10, n_rl=10, seed=5)
    b, _ = generate(n_problems=4, n_base=10, n_rl=10, seed=6)
    assert {r["text"] for r in a} != {r["text"] for r in b}
    assert len({r["text"] for r in a} & {r["text"] for r in b}) < len(a) // 2


def test_a_problem_does_not_depend_on_how_many_follow():
    small, _ = generate(n_problems=2, n_base=8, n_rl=8, seed=1)
    large, _ = generate(n_problems=5, n_base=8, n_rl=8, seed=1)
    head = {r["problem_id"] for r in small}
    assert sorted(map(json.dumps, small)) == sorted(
        json.dumps(r) for r in large if r["problem_id"] in head
    )


def test_records_follow_the_input_contract(planted):
    records, truth = planted
    assert len(records) == len(truth) == 14 * 64
    assert len({r["id"] for r in records}) == len(records)
    for rec, tr in zip(records, truth, strict=True):
        assert set(rec) == RECORD_KEYS
        assert set(tr) == TRUTH_KEYS
        assert rec["id"] == tr["id"] and rec["problem_id"] == tr["problem_id"]
        assert rec["model"] == tr["model"] and rec["model"] in ("base", "rl")
        assert isinstance(rec["problem_id"], str) and isinstance(rec["id"], str)
        assert isinstance(rec["text"], str) and rec["text"].strip()
        assert isinstance(rec["correct"], bool) and isinstance(tr["novel"], bool)
        assert rec["domain"] in {f.domain for f in FAMILIES.values()}
        assert BOXED.search(rec["text"][-60:])  # ends with the boxed answer
        assert not UNFILLED.search(rec["text"]), rec["text"]


def test_each_problem_gets_its_samples_and_records_are_shuffled(planted):
    records, truth = planted
    per = _strategies(truth)
    assert len(per) == 14
    for counts in per.values():
        assert sum(counts["base"].values()) == 32 and sum(counts["rl"].values()) == 32
    # Not grouped by problem or model in file order.
    assert len({r["problem_id"] for r in records[:64]}) > 5
    assert {r["model"] for r in records[:10]} == {"base", "rl"}


def test_families_keep_their_order():
    # generate cycles FAMILIES in this order, so reordering the registry changes every output.
    assert list(FAMILIES) == [
        "quadratic",
        "linear_system",
        "counting",
        "geometry",
        "modular",
        "probability",
        "series",
    ]
    assert all(name == fam.name for name, fam in FAMILIES.items())


def test_import_novelty_does_not_load_the_generator():
    code = "import novelty, sys; print(sorted(m for m in sys.modules if 'datasets' in m))"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_problems_cycle_families_and_scenarios(planted):
    _, truth = planted
    scen = _scenario(truth)
    for i in range(14):
        fam = list(FAMILIES)[i % len(FAMILIES)]
        assert scen[f"{fam}-{i:03d}"] == SCENARIOS[i % len(SCENARIOS)]


def test_every_method_of_every_family_is_written():
    _, truth = generate(
        n_problems=len(FAMILIES) * 4,
        n_base=40,
        n_rl=40,
        scenarios="novel",
        prevalence=0.3,
        long_fraction=0.2,
        seed=11,
    )
    seen = {(t["problem_id"].rsplit("-", 1)[0], t["strategy"]) for t in truth}
    expected = {(f.name, m.name) for f in FAMILIES.values() for m in f.methods}
    assert seen == expected
    assert all(len(f.methods) >= 4 for f in FAMILIES.values()) and len(FAMILIES) >= 6


def test_every_template_renders_for_many_problem_instances():
    # Sampling may never draw a rare paraphrase; render all of them against many instances.
    rng = np.random.default_rng(0)
    for fam in FAMILIES.values():
        templates = [*fam.restate, *fam.setup, *fam.checks, *fam.digressions]
        templates += [t for m in fam.methods for step in m.steps for t in step.templates]
        for _ in range(40):
            ctx, wrongs = fam.make(rng)
            assert wrongs and ctx["ans"] not in wrongs
            for template in templates:
                assert not UNFILLED.search(fill(template, ctx)), template


def test_novel_methods_never_appear_in_base_samples_of_their_problem(planted):
    _, truth = planted
    per, scen = _strategies(truth), _scenario(truth)
    for t in truth:
        base_used = per[t["problem_id"]]["base"]
        assert t["novel"] == (t["model"] == "rl" and base_used[t["strategy"]] == 0)
    for pid, counts in per.items():
        novel = [s for s in counts["rl"] if counts["base"][s] == 0]
        if scen[pid] == "novel":
            assert len(novel) == 1 and counts["rl"][novel[0]] == round(0.3 * 32)
        else:
            assert novel == []


def test_rare_methods_are_in_one_or_two_base_samples_and_amplified(planted):
    _, truth = planted
    per, scen = _strategies(truth), _scenario(truth)
    rare_problems = [pid for pid, s in scen.items() if s == "rare"]
    assert len(rare_problems) >= 3
    for pid in rare_problems:
        base, rl = per[pid]["base"], per[pid]["rl"]
        amplified = [s for s in rl if base[s] in (1, 2) and rl[s] >= 0.3 * 32 - 0.5]
        assert len(amplified) == 1
        assert rl[amplified[0]] <= 0.5 * 32 + 0.5


def test_reweight_keeps_the_base_methods_and_improves_accuracy(planted):
    records, truth = planted
    per, scen = _strategies(truth), _scenario(truth)
    for pid, s in scen.items():
        if s in ("reweight", "restyle"):
            assert set(per[pid]["rl"]) <= set(per[pid]["base"])
    acc = {m: [r["correct"] for r in records if r["model"] == m] for m in ("base", "rl")}
    assert sum(acc["rl"]) / len(acc["rl"]) > sum(acc["base"]) / len(acc["base"])


def test_restyled_rl_texts_verify_more_often_than_base(planted):
    records, truth = planted
    scen = _scenario(truth)

    def rate(rows):
        return sum(bool(VERIFY.search(r["text"])) for r in rows) / len(rows)

    pairs = list(zip(records, truth, strict=True))
    base = [r for r, t in pairs if t["model"] == "base"]
    restyled = [r for r, t in pairs if t["restyled"]]
    plain_rl = [r for r, t in pairs if t["model"] == "rl" and not t["restyled"]]
    assert rate(restyled) > 2 * rate(base) and rate(restyled) > 0.5
    assert rate(plain_rl) < 0.5 * rate(restyled)
    # restyle scenario: every RL trace restyled; elsewhere restyle=0.5 mixes it in.
    assert all(
        t["restyled"] for t in truth if t["model"] == "rl" and scen[t["problem_id"]] == "restyle"
    )
    others = [
        t["restyled"] for t in truth if t["model"] == "rl" and scen[t["problem_id"]] != "restyle"
    ]
    assert 0.35 < sum(others) / len(others) < 0.65
    assert not any(t["restyled"] for t in truth if t["model"] == "base")


def test_restyle_zero_leaves_rl_text_plain():
    _, truth = generate(n_problems=3, n_base=8, n_rl=8, scenarios="reweight", restyle=0.0)
    assert not any(t["restyled"] for t in truth)


def test_long_traces_exceed_one_embedding_window():
    records, truth = generate(n_problems=7, n_base=20, n_rl=20, long_fraction=0.1, seed=2)
    long_texts = [r["text"] for r, t in zip(records, truth, strict=True) if t["long"]]
    assert 0.05 < len(long_texts) / len(records) < 0.15
    # ~1,400 characters of math text is more than 256 MiniLM word pieces.
    assert all(len(text) > 1400 for text in long_texts)
    records, truth = generate(n_problems=7, n_base=20, n_rl=20, long_fraction=0.0, seed=2)
    assert not any(t["long"] for t in truth)
    assert sum(len(r["text"]) > 1400 for r in records) < 0.05 * len(records)


def test_wrong_answers_box_a_wrong_value(planted):
    records, _ = planted
    boxed: dict[str, dict[bool, set]] = defaultdict(lambda: {True: set(), False: set()})
    for r in records:
        boxed[r["problem_id"]][r["correct"]].add(BOXED.findall(r["text"])[-1])
    for pid, by_ok in boxed.items():
        assert len(by_ok[True]) == 1, pid
        assert by_ok[False].isdisjoint(by_ok[True]), pid
    assert sum(len(v[False]) > 0 for v in boxed.values()) >= 10


def test_traces_restate_the_problem_numbers(planted):
    records, _ = planted
    for pid in {r["problem_id"] for r in records if r["problem_id"].startswith("linear")}:
        texts = [r["text"] for r in records if r["problem_id"] == pid]
        # The first equation, with its numbers, opens every trace of the problem.
        first_eqs = Counter(re.search(r"x [+-] \d*y = -?\d+", t).group(0) for t in texts)
        assert first_eqs.most_common(1)[0][1] == len(texts)


def test_scenarios_by_mapping_and_single_name():
    _, truth = generate(
        n_problems=8, n_base=8, n_rl=8, scenarios={"quadratic-000": "rare", "counting": "restyle"}
    )
    scen = _scenario(truth)
    assert scen["quadratic-000"] == "rare"
    assert scen["counting-002"] == "restyle"
    assert scen["linear_system-001"] == "reweight"  # default cycle for the rest
    _, truth = generate(n_problems=3, n_base=8, n_rl=8, scenarios="restyle")
    assert set(_scenario(truth).values()) == {"restyle"}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scenarios": ["novel", "discover"]}, "unknown scenario 'discover'"),
        ({"scenarios": {"quadratic-999": "novel"}}, "not generated: quadratic-999"),
        ({"scenarios": []}, "scenarios is empty"),
        ({"families": ["topology"]}, "unknown family 'topology'"),
        ({"prevalence": 1.5}, "prevalence must be between 0 and 1"),
        ({"n_base": 0}, "at least 1"),
    ],
)
def test_bad_settings_raise_config_error(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        generate(n_problems=4, **kwargs)


def test_write_jsonl_plain_and_gz_are_atomic_and_reproducible(tmp_path):
    records, _ = generate(n_problems=2, n_base=4, n_rl=4)
    plain = write_jsonl(records, tmp_path / "sub" / "t.jsonl")
    gz = write_jsonl(records, tmp_path / "t.jsonl.gz")
    first = gz.read_bytes()
    write_jsonl(records, gz)
    assert gz.read_bytes() == first  # no timestamp in the gzip header
    lines = plain.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == records
    with gzip.open(gz, "rt", encoding="utf-8") as fh:
        assert [json.loads(x) for x in fh] == records
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["t.jsonl", "t.jsonl.gz"]


def test_write_jsonl_failure_keeps_the_old_file(tmp_path):
    path = write_jsonl([{"a": 1}], tmp_path / "t.jsonl")
    with pytest.raises(TypeError):
        write_jsonl([{"a": 2}, {"b": object()}], path)
    assert path.read_text() == '{"a": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["t.jsonl"]


def _make_fixtures():
    spec = importlib.util.spec_from_file_location(
        "make_fixtures", ROOT / "scripts" / "make_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixtures_on_disk_equal_what_make_fixtures_regenerates():
    module = _make_fixtures()
    built = module.build()
    assert {p.name for p in built} == {
        "demo.jsonl",
        "demo.truth.jsonl",
        "tiny.jsonl",
        "tiny.truth.jsonl",
    }
    for path, records in built.items():
        assert path.read_bytes() == module._encoded(records), f"{path} is stale: rerun the script"
    assert module.main(["--check"]) == 0


def test_demo_fixture_shape():
    lines = (ROOT / "fixtures" / "demo.jsonl").read_text(encoding="utf-8").splitlines()
    truth = [
        json.loads(x)
        for x in (ROOT / "fixtures" / "demo.truth.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(lines) == len(truth) == 8 * 80
    scen = _scenario(truth)
    assert Counter(scen.values()) == {s: 2 for s in SCENARIOS}
    assert any(t["novel"] for t in truth) and any(t["long"] for t in truth)
