"""Shell conventions and the mistakes people make, through the CLI (issue 14).

Standard input as ``-``, ``--version``, ``-h``, shell completion, help that shows values not
Python types, errors before any work for an output that cannot be written, one line for every
error the user can fix, natural order of problem ids at 80 columns, base-only problems.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT, planted_records
from novelty import __version__
from novelty.cli import app

runner = CliRunner()
TINY = FIXTURES / "tiny.jsonl"
COMMANDS = ("scan", "report", "passk", "inspect", "synth")


def scan_args(tmp_path: Path, *args: str) -> list[str]:
    return ["scan", *args, "--model", "hashing", "--no-cache", "--out", str(tmp_path / "out")]


def said(res) -> str:
    """The output with rich's boxes and line breaks taken out."""
    return " ".join(res.output.replace("│", " ").split())


# ------------------------------------------------------------------ standard input
def test_scan_and_inspect_read_standard_input(tmp_path):
    res = runner.invoke(app, [*scan_args(tmp_path, "-"), "-q"], input=TINY.read_bytes())
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["summary"]["n_traces"] == 48
    assert report["config"]["input_files"][0]["path"] == "<stdin>"
    # gzip on standard input is detected from its first bytes, as for a file.
    res = runner.invoke(app, ["inspect", "-", "--json"], input=gzip.compress(TINY.read_bytes()))
    assert res.exit_code == 0 and json.loads(res.stdout)["n_traces"] == 48
    # A bad line is named as <stdin>:LINE.
    lines = TINY.read_text().splitlines()
    res = runner.invoke(app, ["inspect", "-"], input="\n".join([lines[0], "{oops"]) + "\n")
    assert res.exit_code == 1 and "<stdin>:2: invalid JSON" in said(res)


def test_standard_input_in_a_real_process(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "novelty", "passk", "-", "--json"],
        input=TINY.read_bytes(),
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["k"][0] == 1


# ------------------------------------------------------------------ --version, -h, completion
def test_version_short_help_and_completion(monkeypatch):
    # typer finds the shell from the process tree; under nohup or a scheduler there is none
    monkeypatch.setattr("typer.completion._get_shell_name", lambda: "bash")
    res = runner.invoke(app, ["--version"])
    assert (res.exit_code, res.output) == (0, f"novelty {__version__}\n")
    for args in (["-h"], *([c, "-h"] for c in COMMANDS)):
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and "Usage:" in res.output, args
    top = runner.invoke(app, ["--help"]).output
    assert "--install-completion" in top and "--show-completion" in top
    res = runner.invoke(app, ["--show-completion", "bash"], prog_name="novelty")
    assert res.exit_code == 0 and "complete -o default -F _novelty_completion novelty" in res.output


def test_help_shows_values_defaults_and_choices_not_python_types():
    for command in ("", *COMMANDS):
        res = runner.invoke(app, [c for c in (command, "--help") if c], env={"COLUMNS": "200"})
        assert res.exit_code == 0
        for noise in ("<bool>", "<str>", "<list["):
            assert noise not in res.output, (command, noise)
    scan_help = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "200"}).output
    for shown in (
        "--map FIELD=PATH",
        "--base-steps FIRST-LAST",
        "--base-model NAME",
        "--model NAME|PATH",
        "[default: 0.05]",
        "[default: novelty-out]",
        "<steps|strategy|whole>",
    ):
        assert shown in " ".join(scan_help.replace("│", " ").split()), shown
    for name in ("fastchat", "openai-batch"):  # the new formats are listed
        assert f"|{name}" in scan_help


# ------------------------------------------------------------------ outputs that cannot be written
@pytest.mark.parametrize("where", ["under-a-file", "virtual-fs"])
def test_unwritable_out_is_a_usage_error_before_any_work(tmp_path, where):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    out = blocker / "out" if where == "under-a-file" else Path("/proc/novelty-test/out")
    bad_input = tmp_path / "bad.jsonl"
    bad_input.write_text("{not json\n")
    # The input is bad too: the --out error comes first, so nothing was read or embedded.
    res = runner.invoke(app, ["scan", str(bad_input), "--model", "hashing", "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "Invalid value for '--out'" in said(res) and "invalid JSON" not in res.output
    assert not (blocker.parent / "out").exists()


def test_unwritable_cache_and_synth_targets_are_usage_errors(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    res = runner.invoke(app, [*scan_args(tmp_path, str(TINY))[:-3], "--cache-dir", str(blocker)])
    assert res.exit_code == 2 and "--cache-dir" in said(res)
    res = runner.invoke(
        app, scan_args(tmp_path, str(TINY))[:-3], env={"NOVELTY_CACHE_DIR": str(blocker / "c")}
    )
    assert res.exit_code == 2 and "--no-cache" in res.stderr and "is a file" in res.stderr
    res = runner.invoke(app, ["synth", str(blocker / "traces.jsonl")])
    assert res.exit_code == 2 and f"{blocker} is a file, not a folder" in said(res)


def test_a_missing_package_and_the_file_system_are_one_line(tmp_path, monkeypatch):
    import novelty._optional as optional

    real = optional.importlib.import_module

    def no_hdbscan(name, *args):
        if name == "hdbscan":
            raise ModuleNotFoundError("No module named 'hdbscan'")
        return real(name, *args)

    monkeypatch.setattr(optional.importlib, "import_module", no_hdbscan)
    res = runner.invoke(app, scan_args(tmp_path, str(TINY)))
    assert res.exit_code == 1 and res.exception.__class__ is SystemExit
    assert res.stderr.startswith("error: novelty needs 'hdbscan'") and "pip install" in res.stderr
    assert res.stderr.count("\n") == 1
    monkeypatch.undo()
    # report.html cannot be written where report.json was read: one line, exit 1.
    res = runner.invoke(app, scan_args(tmp_path, str(TINY)))
    assert res.exit_code == 0, res.output
    html = tmp_path / "out" / "report.html"
    html.unlink()
    html.mkdir()  # a folder in the way of the rename
    (html / "x").write_text("")
    res = runner.invoke(app, ["report", str(tmp_path / "out")])
    assert res.exit_code == 1 and res.stderr.startswith("error: ") and res.stderr.count("\n") == 1


def test_a_bad_log_level_is_a_warning_not_a_traceback():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NOVELTY_LOG": "chatty"}
    proc = subprocess.run(
        [sys.executable, "-m", "novelty", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "NOVELTY_LOG='CHATTY' is not a logging level" in proc.stderr


# ------------------------------------------------------------------ per-problem tables
def _problem_column(output: str) -> list[str]:
    """The problem ids of the summary's per-problem table, folded lines joined back."""
    body = output.split("┡", 1)[1].split("└", 1)[0].splitlines()[1:]
    ids: list[str] = []
    for line in body:
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[1]:  # a count in the next column starts a row
            ids.append(cells[0])
        else:
            ids[-1] += cells[0]
    return ids


def test_problem_ids_sort_naturally_and_are_never_cut_at_80_columns(tmp_path):
    names = {f"p{k}": f"gsm8k-main-test-question-{n}" for k, n in enumerate((10, 2, 1, 100))}
    rows = planted_records(n_problems=4, n_base=8, n_rl=8)
    path = tmp_path / "t.jsonl"
    path.write_text(
        "".join(json.dumps({**r, "problem_id": names[r["problem_id"]]}) + "\n" for r in rows)
    )
    res = runner.invoke(app, scan_args(tmp_path, str(path)), env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    assert max(len(line) for line in res.stdout.splitlines()) <= 80
    assert _problem_column(res.stdout) == [f"gsm8k-main-test-question-{n}" for n in (1, 2, 10, 100)]
    res = runner.invoke(app, ["inspect", str(path)], env={"COLUMNS": "80"})
    listed = re.findall(r"question-(\d+) \(", said(res).replace("question- ", "question-"))
    assert listed == ["1", "2", "10", "100"]


def test_a_problem_with_base_traces_only_is_named_and_left_out_of_the_radius(tmp_path):
    rows = planted_records(n_problems=3, n_base=12, n_rl=12)
    rows = [r for r in rows if not (r["problem_id"] == "p2" and r["model"] == "rl")]
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    res = runner.invoke(app, scan_args(tmp_path, str(path)), env={"COLUMNS": "100"})
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    by_id = {p["problem_id"]: p for p in report["problems"]}
    assert [by_id[p]["base_only"] for p in ("p0", "p1", "p2")] == [False, False, True]
    both = sorted(by_id[p]["radius"] for p in ("p0", "p1"))
    assert report["summary"]["radius"] == pytest.approx(sum(both) / 2)  # median of two
    assert by_id["p2"]["radius"] not in both  # it would have moved the median
    assert "1 problem(s) have base traces only" in said(res)
    p2_row = next(line for line in res.stdout.splitlines() if line.startswith("│ p2"))
    assert "base only" in p2_row


@pytest.mark.parametrize(
    "args",
    [
        ["scan", str(TINY), "--seed", "-1", "--model", "hashing"],
        ["synth", "x.jsonl", "--seed", "-1"],
    ],
)
def test_a_negative_seed_is_a_usage_error_not_a_traceback(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and not isinstance(res.exception, ValueError), res.output


@pytest.mark.parametrize(
    "report",
    [
        {"schema_version": "1.0", "summary": {}, "clusters": [], "traces": []},
        {"schema_version": "1.0", "summary": [], "clusters": {}, "traces": 5},
    ],
)
def test_a_report_json_out_of_shape_is_one_line(tmp_path, report):
    (tmp_path / "report.json").write_text(json.dumps(report))
    res = runner.invoke(app, ["report", str(tmp_path)])
    assert res.exit_code == 1 and res.stderr.count("\n") == 1
    assert res.stderr.startswith(f"error: {tmp_path / 'report.json'}: report.json is not shaped")
