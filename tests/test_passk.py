"""pass@k against direct enumeration of subsets, the averaging over unequal counts, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import combinations

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT, read_jsonl
from novelty.cli import app
from novelty.passk import k_grid, pass_at_k, passk_from_traces, passk_table
from novelty.types import Trace


def _enumerated(n: int, c: int, k: int) -> float:
    """Share of all k-subsets of n samples (the first c correct) holding a correct one."""
    subsets = list(combinations(range(n), k))
    return sum(any(i < c for i in s) for s in subsets) / len(subsets)


@pytest.mark.parametrize("n", [1, 2, 5, 8, 10])
def test_pass_at_k_matches_enumeration_of_subsets(n):
    for c in range(n + 1):
        for k in range(1, n + 1):
            assert pass_at_k(n, c, k) == pytest.approx(_enumerated(n, c, k), abs=1e-12)


def test_pass_at_k_rejects_impossible_counts():
    with pytest.raises(ValueError, match="1 <= k <= n"):
        pass_at_k(4, 1, 5)
    with pytest.raises(ValueError, match="0 <= c <= n"):
        pass_at_k(4, 5, 1)


def test_k_grid_is_powers_of_two_and_n():
    assert k_grid(1) == [1]
    assert k_grid(8) == [1, 2, 4, 8]
    assert k_grid(10) == [1, 2, 4, 8, 10]
    assert k_grid(0) == []


def test_unequal_counts_average_only_problems_with_k_samples_on_both_sides():
    counts = {
        "a": {"base": (4, 1), "rl": (4, 2)},
        "b": {"base": (2, 0), "rl": (8, 1)},  # min(n) = 2: takes part at k = 1, 2 only
    }
    t = passk_table(counts)
    assert t["k"] == [1, 2, 4]
    assert t["problems_at_k"] == [2, 2, 1]
    # k = 1: base (1/4 + 0) / 2, RL (2/4 + 1/8) / 2
    assert t["base"][0] == pytest.approx((0.25 + 0.0) / 2)
    assert t["rl"][0] == pytest.approx((0.5 + 0.125) / 2)
    # k = 4: problem a alone
    assert t["base"][2] == pytest.approx(_enumerated(4, 1, 4))
    assert t["rl"][2] == pytest.approx(_enumerated(4, 2, 4))
    b = next(r for r in t["per_problem"] if r["problem_id"] == "b")
    assert b["base"] == [0.0, 0.0, None]  # base has only 2 samples: no pass@4
    assert b["rl"][2] == pytest.approx(_enumerated(8, 1, 4))


def test_crossover_when_base_overtakes_rl():
    # RL: always right on one problem, never on the other (sharpened);
    # base: right 1 in 4 on both (wider coverage).
    counts = {
        "p": {"base": (4, 1), "rl": (4, 4)},
        "q": {"base": (4, 1), "rl": (4, 0)},
    }
    t = passk_table(counts)
    assert t["base"][0] == 0.25 and t["rl"][0] == 0.5
    assert t["base"][-1] == 1.0 and t["rl"][-1] == 0.5
    first = next(k for k, b, r in zip(t["k"], t["base"], t["rl"], strict=True) if b > r)
    assert t["crossover_k"] == first == 4  # pass@2 ties at 0.5: base is not ahead yet
    assert t["rl_ahead_at_every_k"] is False
    assert t["coverage"] == {"base_only": ["q"], "rl_only": [], "both": ["p"], "neither": []}


def test_rl_ahead_at_every_k_and_coverage_sets():
    counts = {
        "p": {"base": (4, 0), "rl": (4, 1)},
        "q": {"base": (4, 1), "rl": (4, 2)},
        "r": {"base": (4, 0), "rl": (4, 0)},
    }
    t = passk_table(counts)
    assert t["crossover_k"] is None and t["rl_ahead_at_every_k"] is True
    assert t["coverage"] == {"base_only": [], "rl_only": ["p"], "both": ["q"], "neither": ["r"]}


def _trace(i, pid, role, correct):
    return Trace(f"{role}{pid}{i}", pid, role, "t", correct=correct)


def test_from_traces_skips_unknown_correctness_and_says_how_many():
    traces = [_trace(i, "p", "base", i < 1) for i in range(3)]
    traces += [_trace(i, "p", "rl", i < 2) for i in range(3)]
    traces += [_trace(9, "p", "rl", None), _trace(0, "q", "base", None), _trace(0, "q", "rl", None)]
    t = passk_from_traces(traces)
    assert t["per_problem"][0]["n_rl"] == 3 and t["per_problem"][0]["c_rl"] == 2
    assert t["n_traces_unknown_correct"] == 3
    assert t["n_problems_without_correctness"] == 1
    assert passk_from_traces([_trace(0, "p", "base", None), _trace(0, "p", "rl", True)]) is None


runner = CliRunner()


def test_passk_command_prints_the_table_and_json():
    res = runner.invoke(app, ["passk", str(FIXTURES / "tiny.jsonl")])
    assert res.exit_code == 0, res.output
    assert "pass@k" in res.output and "problems solved by base only" in res.output
    res = runner.invoke(app, ["passk", str(FIXTURES / "tiny.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    t = json.loads(res.stdout)
    rows = read_jsonl(FIXTURES / "tiny.jsonl")
    n = {(r["problem_id"], r["model"]) for r in rows}
    assert len(t["per_problem"]) == len({p for p, _ in n})
    first = t["per_problem"][0]
    mine = [r for r in rows if r["problem_id"] == first["problem_id"] and r["model"] == "rl"]
    assert first["n_rl"] == len(mine) and first["c_rl"] == sum(r["correct"] for r in mine)


def test_passk_command_without_correctness_says_so(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        "".join(
            json.dumps({k: v for k, v in r.items() if k != "correct"}) + "\n"
            for r in read_jsonl(FIXTURES / "tiny.jsonl")
        )
    )
    res = runner.invoke(app, ["passk", str(path)])
    assert res.exit_code == 1
    assert "correct" in res.output and str(path) in res.output


def test_passk_command_imports_no_torch():
    code = (
        "import sys; from novelty.cli import app; from typer.testing import CliRunner; "
        f"r = CliRunner().invoke(app, ['passk', {str(FIXTURES / 'tiny.jsonl')!r}, '--json']); "
        "assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'faiss') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_passk_command_reads_other_formats_from_two_files(tmp_path):
    def rows(verdicts):
        return "".join(
            json.dumps(
                {"problem_id": f"q{i}", "rollouts": [{"text": "t", "correct": v} for v in vs]}
            )
            + "\n"
            for i, vs in enumerate(verdicts)
        )

    (tmp_path / "base.jsonl").write_text(rows([[True, False, False, False], [False, False]]))
    (tmp_path / "rl.jsonl").write_text(rows([[True, True], [False, False]]))
    res = runner.invoke(
        app,
        [
            "passk",
            "--base",
            str(tmp_path / "base.jsonl"),
            "--rl",
            str(tmp_path / "rl.jsonl"),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    t = json.loads(res.stdout)
    by_id = {p["problem_id"]: p for p in t["per_problem"]}
    assert (by_id["q0"]["n_base"], by_id["q0"]["c_base"], by_id["q0"]["c_rl"]) == (4, 1, 2)
    assert t["coverage"]["neither"] == ["q1"]


def test_rl_ahead_everywhere_is_a_wider_boundary_only_with_problems_only_rl_solves():
    from novelty.render import _passk_line

    t = {
        "k": [1, 2],
        "base": [0.4, 0.9],
        "rl": [1.0, 1.0],
        "crossover_k": None,
        "rl_ahead_at_every_k": True,
        "n_problems": 2,
        "coverage": {"base_only": [], "rl_only": [], "both": ["a", "b"], "neither": []},
    }
    assert "sharper, not a wider boundary" in _passk_line(t)
    t["coverage"] = {"base_only": [], "rl_only": ["b"], "both": ["a"], "neither": []}
    assert "expanded boundary" in _passk_line(t)
