"""Tests for ``novelty inspect``: formats, counts, window overflow, skipped lines, no torch."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, REAL, ROOT
from novelty.cli import app
from novelty.ingest import IngestOptions, inspect_source
from novelty.ingest.survey import count_word_pieces

runner = CliRunner()
GRPO = REAL / "grpo_rollouts_qwen25_math_1p5b"
MATH = REAL / "math500_base_vs_instruct"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_counts_per_role_model_and_problem(tmp_path):
    long_text = "reason " * 400  # ~400 word pieces: over the 256 window
    rows = [
        {"text": "a b", "problem_id": "p1", "model": "qwen", "correct": True},
        {"text": "c d", "problem_id": "p1", "model": "qwen"},
        {"text": long_text, "problem_id": "p2", "model": "qwen"},
        {"text": "e f", "problem_id": "p1", "model": "qwen-rl", "step": 10, "correct": False},
    ]
    info = inspect_source(write(tmp_path / "t.jsonl", rows), base_model="qwen", rl_model="qwen-rl")
    assert info["files"][0]["format"] == "canonical"
    assert info["roles"]["base"]["samples_per_problem"] == {"min": 1, "median": 1.5, "max": 2}
    assert info["roles"]["rl"]["n_traces"] == 1 and info["roles"]["base"]["n_correct"] == 1
    assert info["models"] == [
        {"role": "base", "model": "qwen", "n_traces": 3},
        {"role": "rl", "model": "qwen-rl", "n_traces": 1},
    ]
    assert info["problems"] == [
        {"problem_id": "p1", "n_base": 2, "n_rl": 1},
        {"problem_id": "p2", "n_base": 1, "n_rl": 0},
    ]
    assert info["window"]["n_over"] == 1 and info["window"]["max_word_pieces"] > 400
    assert info["steps"] == {"min": 10, "max": 10, "n": 1}
    assert info["fatal"] is None


def test_word_pieces_come_from_the_model_tokenizer():
    counts = count_word_pieces(["hello world", "unbelievably"])
    # [CLS] hello world [SEP]; "unbelievably" splits into several word pieces.
    assert counts[0] == 4 and counts[1] > 3


def test_lists_bad_lines_and_names_the_fatal_one(tmp_path):
    path = tmp_path / "t.jsonl"
    ok = [
        json.dumps({"text": f"x y {k}", "problem_id": "p", "model": m})
        for k, m in enumerate(("base", "rl", "base"))
    ]
    path.write_text(
        "\n".join([ok[0], "{bad", ok[1], '{"text": 5, "problem_id": "p"}', ok[2]]) + "\n"
    )
    info = inspect_source(path)
    assert info["n_skipped"] == 2
    assert [s.split(": ")[0] for s in info["skipped"]] == [f"{path}:2", f"{path}:4"]
    assert info["fatal"].startswith(f"{path}:2: invalid JSON")
    assert inspect_source(path, IngestOptions(skip_invalid=True))["fatal"] is None


def test_missing_role_is_fatal_but_still_counted(tmp_path):
    path = write(tmp_path / "t.jsonl", [{"text": "a", "problem_id": "p", "model": "base"}])
    info = inspect_source(path)
    assert info["roles"]["base"]["n_traces"] == 1
    assert "no RL traces" in info["fatal"]


def test_cli_exit_codes_and_json(tmp_path):
    res = runner.invoke(app, ["inspect", str(FIXTURES / "tiny.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["files"][0]["how"] == "detected from the first record's keys"
    assert info["n_traces"] == 48
    res = runner.invoke(app, ["inspect", str(FIXTURES / "tiny.jsonl")])
    assert res.exit_code == 0 and "canonical" in res.output and "would read" in res.output
    bad = write(tmp_path / "b.jsonl", [{"text": "a", "problem_id": "p", "model": "base"}])
    res = runner.invoke(app, ["inspect", str(bad)])
    assert res.exit_code == 1 and f"error: {bad}: no RL traces" in res.output


def test_several_files_are_one_source(tmp_path):
    a = write(tmp_path / "a.jsonl", [{"text": t, "problem_id": "p", "model": "base"} for t in "ab"])
    b = write(tmp_path / "b.jsonl", [{"text": "b", "problem_id": "p", "model": "rl"}])
    res = runner.invoke(app, ["inspect", str(a), str(b), "--json"])
    assert res.exit_code == 0, res.output
    assert [f["path"] for f in json.loads(res.stdout)["files"]] == [str(a), str(b)]


def test_inspect_does_not_import_torch():
    code = (
        "import sys; from novelty.cli import app; from typer.testing import CliRunner;"
        f"r = CliRunner().invoke(app, ['inspect', {str(FIXTURES / 'tiny.jsonl')!r}, '--json']);"
        "assert r.exit_code == 0, r.output;"
        "bad = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=ROOT)


# ------------------------------------------------------------------------------ real sets
@needs_real
def test_real_grpo_paired_file():
    info = inspect_source(GRPO / "paired_early_late_same_question.jsonl")
    assert info["files"][0]["format"] == "grpo"
    assert info["n_problems"] == 3 and info["fatal"] is None
    assert info["roles"]["rl"]["samples_per_problem"] == {"min": 8, "median": 8, "max": 8}
    assert info["roles"]["base"]["n_traces"] == 184


@needs_real
def test_real_grpo_by_step_ranges_needs_global_scope():
    opts = IngestOptions(base_steps=(1, 20), rl_steps=(181, 200))
    info = inspect_source(GRPO / "r1_zero_reference.jsonl", opts)
    assert info["roles"]["base"]["n_traces"] == 160 and info["roles"]["rl"]["n_traces"] == 160
    assert info["n_outside_steps"] == 1600 - 320
    assert "no base traces" in info["fatal"] and "--scope global" in info["fatal"]
    assert inspect_source(GRPO / "r1_zero_reference.jsonl", opts, scope="global")["fatal"] is None


@needs_real
def test_real_math500_pair_needs_global_scope():
    info = inspect_source(
        (MATH / "base_results.jsonl", MATH / "instruct_results.jsonl"),
    )
    assert [f["format"] for f in info["files"]] == ["prompt-completion"] * 2
    assert info["n_problems"] == 500
    assert info["roles"]["base"]["samples_per_problem"]["max"] == 1
    assert "single base sample" in info["fatal"] and "--scope global" in info["fatal"]


# ------------------------------------------------------------------ issue 14
def _chunky(tmp_path):
    """The tiny fixture plus RL traces whose whole text is far over the window while every
    sentence fits, and two whose one long step does not: the scan chunks only the latter."""
    rows = [json.loads(line) for line in (FIXTURES / "tiny.jsonl").read_text().splitlines()]
    pid = rows[0]["problem_id"]
    many = " ".join(f"Step {k}: {k} + {k} = {2 * k}." for k in range(200))  # ~2,400 pieces
    one = "so the value x = " + " plus ".join(str(k) for k in range(400))  # one step, ~800
    extra = [
        {"id": f"x{k}", "problem_id": pid, "model": "rl", "text": text}
        for k, text in enumerate([many, many + " Done: 1 = 1.", one, one + " + 1"])
    ]
    return write(tmp_path / "t.jsonl", rows + extra)


@pytest.mark.slow
def test_inspect_counts_the_chunks_the_scan_counts(tmp_path):
    path = _chunky(tmp_path)
    for view in ("steps", "whole"):
        res = runner.invoke(app, ["inspect", str(path), "--view", view, "--json"])
        assert res.exit_code == 0, res.output
        inspected = json.loads(res.stdout)["window"]["n_over"]
        out = tmp_path / f"out-{view}"
        args = ["scan", str(path), "--view", view, "--out", str(out), "-q"]
        res = runner.invoke(app, [*args, "--cache-dir", str(tmp_path / "cache"), "--json"])
        assert res.exit_code == 0, res.output
        assert inspected == json.loads(res.stdout)["n_chunked"], view
        # Steps: only the two long single steps; whole: those, the long lists, and more.
        assert inspected == 2 if view == "steps" else inspected >= 4


def test_inspect_says_what_chose_the_format(tmp_path):
    rows = [{"out": {"text": f"x = {k}."}, "pid": "p", "who": m} for k, m in enumerate("ab")]
    path = write(tmp_path / "t.jsonl", rows)
    maps = ["--map", "text=out.text", "--map", "problem_id=pid", "--map", "model=who"]
    res = runner.invoke(app, ["inspect", str(path), *maps, "--base-model", "a", "--rl-model", "b"])
    said = " ".join(res.output.split())
    assert "format canonical (canonical, from the fields named with --map)" in said
    assert "detected" not in said.split("per role")[0]
    tiny = FIXTURES / "tiny.jsonl"
    res = runner.invoke(app, ["inspect", str(tiny), "--format", "canonical", "--json"])
    assert json.loads(res.stdout)["files"][0]["how"] == "forced with --format"
    res = runner.invoke(app, ["inspect", str(tiny), "--json"])
    assert json.loads(res.stdout)["files"][0]["how"] == "detected from the first record's keys"
