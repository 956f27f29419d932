"""``novelty scan`` on other pipelines' files: formats, --skip-invalid, folders, the real sets."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, REAL, read_jsonl
from novelty.cli import app

runner = CliRunner()
GRPO = REAL / "grpo_rollouts_qwen25_math_1p5b"
MATH = REAL / "math500_base_vs_instruct"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")


def _scan(args, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        [
            "scan",
            *args,
            "--model",
            "hashing",
            "--cache-dir",
            str(tmp_path / "c"),
            "--out",
            str(out),
        ],
    )
    report = json.loads((out / "report.json").read_text()) if res.exit_code == 0 else None
    return res, report


def test_skip_invalid_reports_skipped_lines(tmp_path):
    lines = (FIXTURES / "tiny.jsonl").read_text().splitlines()
    bad = tmp_path / "t.jsonl"
    bad.write_text("\n".join([lines[0], "{oops", *lines[1:5], '{"text": 3}', *lines[5:]]) + "\n")
    res, _ = _scan([str(bad)], tmp_path)
    assert res.exit_code == 1 and f"{bad}:2: invalid JSON" in res.output
    res, report = _scan([str(bad), "--skip-invalid"], tmp_path)
    assert res.exit_code == 0, res.output
    assert report["summary"]["n_skipped"] == 2
    assert report["summary"]["n_traces"] == len(lines)
    assert report["config"]["skipped"][0].startswith(f"{bad}:2: invalid JSON")
    assert report["config"]["skipped"][1].startswith(f"{bad}:7: ")
    assert report["config"]["input_files"] == [
        {
            "path": str(bad),
            "role": None,
            "format": "canonical",
            "detected": True,
            "decided_by": "keys",
        }
    ]
    assert "skipped 2 invalid line(s)" in res.output and f"{bad}:7" in res.output


def test_folders_of_rollout_rows_with_format_and_text(tmp_path):
    rows = read_jsonl(FIXTURES / "tiny.jsonl")
    for side in ("base", "rl"):
        (tmp_path / side).mkdir()
        problems = sorted({r["problem_id"] for r in rows})
        for k, pid in enumerate(problems):
            mine = [r for r in rows if r["problem_id"] == pid and r["model"] == side]
            row = {
                "problem_id": pid,
                "samples": [
                    {"text": f"<think>{r['text']}</think> done", "correct": r.get("correct")}
                    for r in mine
                ],
            }
            (tmp_path / side / f"{k}.jsonl").write_text(json.dumps(row) + "\n")
    args = ["--base", str(tmp_path / "base"), "--rl", str(tmp_path / "rl"), "--text", "think"]
    res, report = _scan([*args, "--format", "rollouts"], tmp_path)
    assert res.exit_code == 0, res.output
    assert report["summary"]["n_traces"] == len(rows)
    assert {f["format"] for f in report["config"]["input_files"]} == {"rollouts"}
    assert all(not f["detected"] for f in report["config"]["input_files"])
    assert report["config"]["text"] == "think" and report["config"]["n_no_think"] == 0

    # The same traces in canonical form give the same clusters: adapters add no second path.
    _, canonical = _scan([str(FIXTURES / "tiny.jsonl")], tmp_path / "again")

    def shape(r):
        return sorted((c["problem_id"], c["n_base"], c["n_rl"], c["novel"]) for c in r["clusters"])

    assert shape(report) == shape(canonical)
    assert report["summary"]["n_novel_clusters"] == canonical["summary"]["n_novel_clusters"]


@needs_real
def test_real_math500_needs_global_scope(tmp_path):
    args = [
        "--base",
        str(MATH / "base_results.jsonl"),
        "--rl",
        str(MATH / "instruct_results.jsonl"),
    ]
    res, _ = _scan(args, tmp_path)
    assert res.exit_code == 1
    assert "single base sample" in res.output and "--scope global" in res.output
    res, report = _scan([*args, "--scope", "global", "--json"], tmp_path)
    assert res.exit_code == 0, res.output
    assert report["summary"]["n_base"] == 500 and report["summary"]["n_rl"] == 500


@needs_real
def test_real_grpo_rollouts_by_phase_and_by_step(tmp_path):
    res, report = _scan([str(GRPO / "paired_early_late_same_question.jsonl")], tmp_path)
    assert res.exit_code == 0, res.output
    assert report["summary"]["n_problems"] == 3 and report["summary"]["n_rl"] == 24
    assert report["config"]["input_files"][0]["format"] == "grpo"
    steps = ["--base-steps", "1-20", "--rl-steps", "181-200", "--scope", "global"]
    res, report = _scan([str(GRPO / "r1_zero_reference.jsonl"), *steps], tmp_path / "s")
    assert res.exit_code == 0, res.output
    assert report["summary"]["n_base"] == 160 and report["summary"]["n_rl"] == 160
    assert report["config"]["n_outside_steps"] == 1280
    assert report["config"]["base_steps"] == [1, 20]


def _prompt_rows(prompts, side):
    return "".join(
        json.dumps({"prompt": p, "response": f"{side} answer to {p} with words {k}"}) + "\n"
        for k, p in enumerate(prompts)
    )


def test_one_base_sample_per_problem_says_use_global_scope(tmp_path):
    prompts = [f"question {k}" for k in range(12)]
    base, rl = tmp_path / "base.jsonl", tmp_path / "rl.jsonl"
    base.write_text(_prompt_rows(prompts, "base"))
    rl.write_text(_prompt_rows(prompts, "rl"))
    res, _ = _scan(["--base", str(base), "--rl", str(rl)], tmp_path)
    assert res.exit_code == 1
    assert f"error: {base}: every problem has a single base sample" in res.output
    assert "--scope global" in res.output
    res, report = _scan(["--base", str(base), "--rl", str(rl), "--scope", "global"], tmp_path)
    assert res.exit_code == 0, res.output
    assert report["summary"]["n_problems"] == 1  # one global group


def test_global_scope_accepts_rl_problems_without_base(tmp_path):
    base, rl = tmp_path / "base.jsonl", tmp_path / "rl.jsonl"
    base.write_text(_prompt_rows([f"q{k}" for k in range(10)], "base"))
    rl.write_text(_prompt_rows([f"other {k}" for k in range(10)], "rl"))
    res, _ = _scan(["--base", str(base), "--rl", str(rl)], tmp_path)
    assert res.exit_code == 1 and "has RL traces but no base traces" in res.output
    res, report = _scan(["--base", str(base), "--rl", str(rl), "--scope", "global"], tmp_path)
    assert res.exit_code == 0, res.output
    assert report["summary"]["n_rl"] == 10
