"""The CLI through typer's CliRunner (hash embedder), and bad input through a real process."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, read_jsonl
from novelty.cli import app

runner = CliRunner()


def _scan(args, tmp_path):
    return runner.invoke(
        app, ["scan", *args, "--model", "hashing", "--cache-dir", str(tmp_path / "cache")]
    )


def test_scan_writes_report_and_summary(tmp_path):
    out = tmp_path / "out"
    res = _scan([str(FIXTURES / "tiny.jsonl"), "--out", str(out)], tmp_path)
    assert res.exit_code == 0, res.output
    report = json.loads((out / "report.json").read_text())
    assert report["summary"]["n_traces"] == len(read_jsonl(FIXTURES / "tiny.jsonl"))
    assert "verdict" in res.output and "per problem" in res.output
    assert report["config"]["embedder"] == "hashing-256"


def test_json_summary_on_stdout(tmp_path):
    res = _scan([str(FIXTURES / "tiny.jsonl"), "--out", str(tmp_path / "o"), "--json"], tmp_path)
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["n_problems"] == 2 and "verdict" in summary


def test_two_files_and_model_names(tmp_path):
    rows = read_jsonl(FIXTURES / "tiny.jsonl")
    base, rl = tmp_path / "b.jsonl", tmp_path / "r.jsonl"
    base.write_text(
        "".join(json.dumps({**r, "model": "qwen"}) + "\n" for r in rows if r["model"] == "base")
    )
    rl.write_text(
        "".join(json.dumps({**r, "model": "qwen-rl"}) + "\n" for r in rows if r["model"] == "rl")
    )
    res = _scan(
        ["--base", str(base), "--rl", str(rl), "--out", str(tmp_path / "o"), "--json"], tmp_path
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["n_base"] == sum(r["model"] == "base" for r in rows)

    both = tmp_path / "both.jsonl"
    both.write_text(base.read_text() + rl.read_text())
    res = _scan(
        [
            str(both),
            "--base-model",
            "qwen",
            "--rl-model",
            "qwen-rl",
            "--out",
            str(tmp_path / "o2"),
            "--json",
        ],
        tmp_path,
    )
    assert res.exit_code == 0, res.output


def test_gzip_input(tmp_path):
    gz = tmp_path / "t.jsonl.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "tiny.jsonl").read_bytes()))
    res = _scan([str(gz), "--out", str(tmp_path / "o"), "--json"], tmp_path)
    assert res.exit_code == 0, res.output


def _good(**kw):
    base = {"problem_id": "p", "model": "base", "text": "a trace"}
    return json.dumps({**base, **kw})


BAD = {
    "invalid json": ([_good(id="1"), "{not json", _good(id="3", model="rl")], 2, "JSON"),
    "missing text": ([_good(id="1"), json.dumps({"problem_id": "p", "model": "rl"})], 2, "text"),
    "wrong type": ([_good(id="1"), _good(id="2", model="rl", step="x")], 2, "step"),
    "empty text": ([_good(id="1"), _good(id="2", model="rl", text="  ")], 2, "empty"),
    "duplicate id": ([_good(id="1"), _good(id="1", model="rl")], 2, "duplicate"),
    "no base": ([_good(id="1", model="rl")], None, "no base"),
    "no rl": ([_good(id="1")], None, "no RL"),
    "rl without base": ([_good(id="1"), _good(id="2", model="rl", problem_id="q")], 2, "q"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_file_and_line_and_writes_nothing(case, tmp_path):
    lines, line_no, needle = BAD[case]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    env = {**os.environ, "NOVELTY_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "novelty",
            "scan",
            str(path),
            "--out",
            str(out),
            "--model",
            "hashing",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    where = f"{path}:{line_no}" if line_no else str(path)
    assert where in proc.stderr, proc.stderr
    assert needle in proc.stderr
    assert not out.exists()


def test_missing_file_and_bad_usage(tmp_path):
    res = runner.invoke(app, ["scan", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 1 and "not found" in res.output
    res = runner.invoke(app, ["scan", "--base", str(FIXTURES / "tiny.jsonl")])
    assert res.exit_code == 2
    res = runner.invoke(
        app,
        ["scan", str(FIXTURES / "tiny.jsonl"), "--alpha", "2", "--model", "hashing", "--no-cache"],
    )
    assert res.exit_code == 2 and "alpha" in res.output


def test_synth_writes_traces_and_truth(tmp_path):
    out = tmp_path / "s.jsonl"
    res = runner.invoke(
        app,
        [
            "synth",
            str(out),
            "--problems",
            "2",
            "--base",
            "6",
            "--rl",
            "6",
            "--scenarios",
            "novel",
            "--prevalence",
            "0.5",
        ],
    )
    assert res.exit_code == 0, res.output
    rows, truth = read_jsonl(out), read_jsonl(tmp_path / "s.truth.jsonl")
    assert len(rows) == len(truth) == 24
    assert sum(t["novel"] for t in truth) == 6


def test_help_does_not_import_torch():
    code = (
        "import sys; from novelty.cli import app; from typer.testing import CliRunner;"
        "r = CliRunner().invoke(app, ['scan', '--help']); assert r.exit_code == 0;"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# ------------------------------------------------------------------ how the CLI is declared
def _params(command: str) -> dict:
    import typer.main

    group = typer.main.get_command(app)
    return {p.name: p for p in group.commands[command].params}


def test_input_options_are_declared_once_and_shared():
    from novelty.cli.inputs import INPUT_OPTIONS

    names = [p.name for p in INPUT_OPTIONS]
    for command in ("scan", "inspect", "passk"):
        params = _params(command)
        assert list(params)[1 : 1 + len(names)] == names  # after the FILES/TRACES argument
        for name in names:
            ref = _params("scan")[name]
            assert (params[name].opts, params[name].help) == (ref.opts, ref.help)
            assert params[name].rich_help_panel == "Input"
    assert _params("scan")["input_format"].opts == ["--format"]
    assert _params("scan")["field_map"].opts == ["--map"]


def _choices(param) -> tuple[str, ...]:
    """The values an Enum-typed option accepts."""
    from enum import Enum
    from typing import get_args

    ann = param.type_descriptor.annotation
    enum = next(a for a in (ann, *get_args(ann)) if isinstance(a, type) and issubclass(a, Enum))
    return tuple(m.value for m in enum)


def test_choices_come_from_the_declared_allowed_values():
    from novelty.config import PARAMETER_CONSTRAINTS
    from novelty.ingest import format_names
    from novelty.think import TEXT_CHOICES

    scan_params = _params("scan")
    for option, setting in [
        ("view", "view"),
        ("scope", "scope"),
        ("fdr", "fdr_method"),
        ("projection", "projection"),
    ]:
        assert _choices(scan_params[option]) == PARAMETER_CONSTRAINTS[setting][0].values
    assert _choices(scan_params["input_format"]) == tuple(format_names())
    assert _choices(_params("passk")["text"]) == TEXT_CHOICES
    assert _choices(_params("inspect")["scope"]) == ("problem", "global")


def test_help_lists_the_choices():
    res = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "240"})
    assert res.exit_code == 0
    for shown in ("<steps|strategy|whole>", "<problem|global>", "<bh|by>", "<full|think|answer>"):
        assert shown in res.output
    assert "<auto|umap|pca|none>" in res.output
    assert "[default: offline all-MiniLM-L6-v2]" in res.output


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["--map", "text"], "Invalid value for '--map': --map 'text': expected FIELD=dotted.path"),
        (["--base-steps", "20-1"], "Invalid value for '--base-steps': bad step range '20-1'"),
        (["--rl-steps", "x"], "Invalid value for '--rl-steps': bad step range 'x'"),
        (["--text", "reasoning"], "'reasoning' is not one of 'full', 'think', 'answer'"),
        (["--scope", "world"], "'world' is not one of 'problem', 'global'"),
    ],
)
def test_unparsable_input_options_are_usage_errors(args, shown):
    for command in ("scan", "inspect", "passk"):
        if command == "passk" and "--scope" in args:
            continue
        res = runner.invoke(app, [command, str(FIXTURES / "tiny.jsonl"), *args])
        assert res.exit_code == 2, res.output
        assert shown in " ".join(res.output.replace("│", " ").split()), res.output


def test_known_errors_are_one_line_in_one_place(tmp_path, monkeypatch):
    from novelty.cli.errors import exit_code_for
    from novelty.errors import ConfigError, InputError

    assert exit_code_for(ConfigError("x")) == 2 and exit_code_for(InputError("x")) == 1
    assert exit_code_for(ValueError("a bug")) is None
    args = ["scan", str(FIXTURES / "tiny.jsonl"), "--alpha", "2", "--model", "hashing"]
    res = runner.invoke(app, [*args, "--no-cache"])
    assert res.exit_code == 2
    assert res.stderr == "error: alpha must be a number in (0, 1), got 2.0\n"
    res = runner.invoke(app, ["passk", str(tmp_path / "nope.jsonl")])
    assert (res.exit_code, res.stderr) == (1, f"error: {tmp_path / 'nope.jsonl'}: file not found\n")
    monkeypatch.setenv("NOVELTY_DEBUG", "1")  # the traceback, for a developer
    res = runner.invoke(app, [*args, "--no-cache"])
    assert isinstance(res.exception, ConfigError)


def test_cli_modules_stay_small():
    import novelty.cli

    for path in Path(novelty.cli.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) < 500, path


def test_with_inputs_hands_a_new_command_one_parsed_object():
    import typer

    from novelty import IngestOptions
    from novelty.cli.inputs import Inputs, with_inputs

    got = []
    mini = typer.Typer()

    @mini.command()
    @with_inputs()
    def embed(inputs: Inputs, n: int = 1) -> None:
        got.append((inputs, n))

    @mini.command()
    def other() -> None: ...

    tiny = FIXTURES / "tiny.jsonl"
    args = ["--text", "think", "--map", "text=a.b", "--base-steps", "3", "--rl-steps", "5-9"]
    res = runner.invoke(mini, ["embed", str(tiny), *args, "--rl-model", "x", "--rl-model", "y"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(mini, ["embed", "--base", str(tiny), "--rl", str(tiny), "--n", "3"])
    assert res.exit_code == 0, res.output
    (first, n1), (second, n2) = got
    assert (first.source, n1) == (tiny, 1) and (second.source, n2) == ((tiny, tiny), 3)
    assert first.options == IngestOptions(
        text="think", field_map=(("text", "a.b"),), base_steps=(3, 3), rl_steps=(5, 9)
    )
    assert first.roles() == {"base_model": None, "rl_model": ("x", "y"), "reward_threshold": 0.5}
    assert second.options == IngestOptions() and second.rl_model is None
