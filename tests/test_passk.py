"""pass@k against direct enumeration of subsets, the averaging over unequal counts, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import combinations

import numpy as np
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
    assert t["crossover_k_point"] == first == 4  # pass@2 ties at 0.5: base is not ahead yet
    # Two problems cannot show it: too few for an interval at all.
    assert t["crossover_k"] is None and t["diff_ci"] == [[None, None]] * 3
    assert t["rl_ahead_at_every_k"] is False
    assert t["coverage"] == {"base_only": ["q"], "rl_only": [], "both": ["p"], "neither": []}
    # Forty problems of the same two kinds do: base is significantly ahead at k = 4.
    many = {f"{pid}{i}": d for i in range(20) for pid, d in counts.items()}
    t = passk_table(many)
    assert t["crossover_k"] == t["crossover_k_point"] == 4
    assert t["diff_ci"][-1][1] < 0 and t["diff_ci"][0][0] > 0  # RL ahead at k = 1 all the same
    assert t["rl_ahead_at_every_k"] is False


def test_rl_ahead_at_every_k_needs_intervals_above_zero():
    counts = {
        "p": {"base": (4, 0), "rl": (4, 1)},
        "q": {"base": (4, 1), "rl": (4, 2)},
        "r": {"base": (4, 0), "rl": (4, 0)},
    }
    t = passk_table(counts)
    assert all(r > b for b, r in zip(t["base"], t["rl"], strict=True))  # ahead on the means
    assert t["rl_ahead_at_every_k"] is False  # but three problems cannot show it
    assert t["coverage"] == {"base_only": [], "rl_only": ["p"], "both": ["q"], "neither": ["r"]}
    many = {f"{pid}{i}": d for i in range(15) for pid, d in counts.items()}
    t = passk_table(many)
    assert t["crossover_k"] is None and t["crossover_k_point"] is None
    assert t["rl_ahead_at_every_k"] is True
    assert all(lo > 0 for lo, _ in t["diff_ci"])


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
    said = " ".join(res.output.split())  # rich wraps lines at the terminal's width
    assert "pass@k" in said and "problems solved by base only" in said
    assert "95% CI" in said and "2000 resamples, seed 0" in said
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
    from novelty.render import passk_line

    t = {
        "k": [1, 2],
        "base": [0.4, 0.9],
        "rl": [1.0, 1.0],
        "crossover_k": None,
        "rl_ahead_at_every_k": True,
        "diff_ci": [[0.4, 0.8], [0.02, 0.2]],
        "n_problems": 2,
        "coverage": {"base_only": [], "rl_only": [], "both": ["a", "b"], "neither": []},
    }
    assert "sharper, not a wider boundary" in passk_line(t)
    t["coverage"] = {"base_only": [], "rl_only": ["b"], "both": ["a"], "neither": []}
    assert "expanded boundary" in passk_line(t)


def test_passk_line_claims_only_what_the_intervals_show():
    from novelty.render import passk_line

    t = {
        "k": [1, 2, 4],
        "base": [0.5, 0.7, 0.9],
        "rl": [0.6, 0.7, 0.8],
        "crossover_k": None,
        "crossover_k_point": 4,
        "rl_ahead_at_every_k": False,
        "diff_ci": [[-0.1, 0.3], [-0.2, 0.2], [-0.3, 0.1]],
        "n_problems": 5,
        "coverage": {"base_only": [], "rl_only": ["b"], "both": ["a"], "neither": []},
    }
    line = passk_line(t)
    assert "no significant difference at any k" in line and "overtakes" not in line
    assert "cross at k=4, within the noise" in line
    t["diff_ci"][0] = [0.05, 0.3]
    assert "RL ahead at k = 1; no significant difference at k = 2, 4" in passk_line(t)
    t["crossover_k"], t["diff_ci"][2] = 4, [-0.3, -0.01]
    assert "RL ahead at k = 1 and base overtakes RL at k=4" in passk_line(t)
    old = {k: v for k, v in t.items() if k not in ("diff_ci", "crossover_k_point")}
    old["rl_ahead_at_every_k"] = True  # a point-estimate call of a report before the intervals
    assert "ahead" not in passk_line(old) and "no intervals" in passk_line(old)


def _base_split_counts(seed: int, n_problems: int = 30, n: int = 8) -> dict:
    """Base samples only, split in two halves: "RL" is base. Each problem has its own rate."""
    rng = np.random.default_rng(seed)
    rate = rng.beta(0.6, 0.6, size=n_problems)
    return {
        f"q{i}": {"base": (n, int(rng.binomial(n, r))), "rl": (n, int(rng.binomial(n, r)))}
        for i, r in enumerate(rate)
    }


def test_intervals_cover_the_means_and_are_seeded():
    counts = _base_split_counts(0)
    t = passk_table(counts)
    assert t["n_bootstrap"] == 2000 and t["seed"] == 0 and t["ci_level"] == 0.95
    for name, mean in (("base_ci", t["base"]), ("rl_ci", t["rl"])):
        assert len(t[name]) == len(t["k"])
        for (lo, hi), m in zip(t[name], mean, strict=True):
            assert lo - 1e-12 <= m <= hi + 1e-12 and 0 <= lo <= hi <= 1
    for (lo, hi), b, r in zip(t["diff_ci"], t["base"], t["rl"], strict=True):
        assert lo - 1e-12 <= r - b <= hi + 1e-12
    assert passk_table(counts) == t  # same seed, same intervals
    other = passk_table(counts, seed=1)
    assert other["diff_ci"] != t["diff_ci"] and other["base"] == t["base"]
    # fewer problems widen it; under six there is none
    few = passk_table(dict(list(counts.items())[:6]))
    assert few["diff_ci"][0][1] - few["diff_ci"][0][0] > t["diff_ci"][0][1] - t["diff_ci"][0][0]
    five = passk_table(dict(list(counts.items())[:5]))
    assert five["diff_ci"][0] == five["base_ci"][0] == [None, None]
    assert five["rl_ahead_at_every_k"] is False and five["crossover_k"] is None


def test_interval_of_a_column_where_every_problem_is_solved_is_a_point():
    t = passk_table({f"q{i}": {"base": (4, 4), "rl": (4, 3)} for i in range(8)})
    assert t["base_ci"][0] == [1.0, 1.0] and t["diff_ci"][-1] == [0.0, 0.0]
    assert t["rl_ahead_at_every_k"] is False and t["crossover_k"] is not None  # 0.75 < 1


def test_base_against_base_shows_no_significant_difference():
    """The issue's complaint: base split against base printed "RL ahead at every k" or "base
    overtakes RL". On the means a crossing is common; on the intervals it is rare."""
    tables = [passk_table(_base_split_counts(seed)) for seed in range(200)]
    point = sum(t["crossover_k_point"] is not None for t in tables)
    ahead = sum(t["rl_ahead_at_every_k"] for t in tables)
    cross = sum(t["crossover_k"] is not None for t in tables)
    assert point >= 60  # about half the splits cross on the means
    assert ahead <= 10 and cross <= 20  # 95% intervals: at most a few percent each


def test_base_against_base_traces_of_the_generator():
    from novelty.datasets.synth import generate

    records, _ = generate(n_problems=12, n_base=16, n_rl=4, scenarios="reweight", seed=5)
    traces = []
    for r in records:
        if r["model"] != "base":
            continue
        half = "rl" if int(r["id"].rsplit(".", 1)[-1]) % 2 else "base"
        traces.append(Trace(r["id"], r["problem_id"], half, r["text"], correct=r["correct"]))
    t = passk_from_traces(traces, seed=3)
    assert t["n_problems"] == 12 and t["k"][-1] == 8
    assert t["rl_ahead_at_every_k"] is False and t["crossover_k"] is None
    from novelty.render import passk_line

    assert "significant" in passk_line(t) or "ahead at k" in passk_line(t)
