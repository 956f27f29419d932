"""Hostile input through the CLI: never a traceback, always the file and line, the right exit code.

Hypothesis writes files mixing good canonical lines with broken JSON, wrong types, huge lines,
invalid UTF-8, NaN rewards, empty texts, duplicate ids and records of no known format, and runs
``scan`` (hash embedder) and ``inspect`` through typer's CliRunner. A handful of real processes
check the same through ``python -m novelty``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from novelty.cli import app

runner = CliRunner()
WORDS = ("add", "both", "equations", "factor", "square", "substitute", "check", "root", "sum")
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Line:
    """One generated line: its bytes and whether it is bad on its own (``bad``) or is a good
    trace whose ``id`` repeats an earlier one (``dup_of``). A plain class with a short repr:
    hypothesis would print a dataclass field by field, huge lines included."""

    __slots__ = ("bad", "dup_of", "raw")

    def __init__(self, raw: bytes, bad: bool, dup_of: int | None = None) -> None:
        self.raw, self.bad, self.dup_of = raw, bad, dup_of

    def __repr__(self) -> str:  # huge lines would flood a failure report
        raw = self.raw
        shown = raw if len(raw) <= 80 else raw[:60] + b"...(%d bytes)" % len(raw)
        return f"Line({shown!r}, bad={self.bad}, dup_of={self.dup_of})"


def _good(i: int, problem: int, role: str, words: list[str], reward: float | None) -> bytes:
    rec = {"id": f"g{i}", "problem_id": f"p{problem}", "model": role, "text": " ".join(words)}
    if reward is not None:
        rec["reward"] = reward
    return json.dumps(rec).encode()


def _canonical(**over) -> bytes:
    rec = {"problem_id": "p0", "model": "base", "text": "add both equations", **over}
    return json.dumps(rec, allow_nan=True).encode()


HOSTILE = {
    "broken json": st.sampled_from(
        [
            b'{"text": "a", ',
            b"{not json}",
            b'{"text": "unterminated}',
            b"}",
            b"{'a': 1}",
            b"nul\x00",
        ]
    ),
    "random bytes": st.binary(min_size=1, max_size=60).filter(
        lambda b: b.strip() and b"\n" not in b
    ),
    "not an object": st.sampled_from([b"[1, 2]", b'"text"', b"3", b"null", b"true"]),
    "wrong type": st.sampled_from(
        [
            _canonical(text=123),
            _canonical(problem_id=[1]),
            _canonical(problem_id=1.5),
            _canonical(model=5),
            _canonical(step="x"),
            _canonical(step=1.5),
            _canonical(correct="yes"),
            _canonical(id={"a": 1}),
            _canonical(domain=3),
            _canonical(model="policy"),
        ]
    ),
    "nan reward": st.sampled_from(
        [_canonical(reward=float("nan")), _canonical(reward=float("inf")), _canonical(reward="0.5")]
    ),
    "empty text": st.sampled_from(
        [_canonical(text=""), _canonical(text="  \t"), _canonical(text=None)]
    ),
    "invalid utf-8": st.sampled_from(
        [b'{"text": "\xff\xfe"}', b"\xc3\x28", b'{"a\xed\xa0\x80": 1}']
    ),
    "huge line": st.sampled_from(
        [b'{"text": "' + b"x" * 2_000_000, b"[" * 100_000, b'{"text": ' + b"1" * 1_000_000 + b"}"]
    ),
    "unknown format": st.sampled_from([b"{}", b'{"foo": 1}', b'{"question": "q", "score": 2}']),
}


@st.composite
def hostile_files(draw) -> list[Line]:
    """Good lines over two problems, with hostile lines (and duplicate ids) among them."""
    n = draw(st.integers(1, 30))
    lines: list[Line] = []
    good_ids: list[int] = []
    for i in range(n):
        kind = draw(st.sampled_from(["good"] * 4 + ["dup", *HOSTILE]))
        if kind == "dup" and good_ids:
            k = draw(st.sampled_from(good_ids))
            lines.append(Line(_good(k, 0, "rl", ["dup"], None), bad=False, dup_of=k))
        elif kind in HOSTILE:
            lines.append(Line(draw(HOSTILE[kind]), bad=True))
        else:
            words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
            reward = draw(st.none() | st.floats(0, 1))
            role = draw(st.sampled_from(["base", "rl"]))
            lines.append(Line(_good(i, i % 2, role, words, reward), bad=False))
            good_ids.append(i)
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(Line(draw(st.sampled_from([b"", b"  ", b"\t"])), bad=False))  # blank
    return lines


def _write(path: Path, lines: list[Line]) -> None:
    path.write_bytes(b"\n".join(line.raw for line in lines) + b"\n")


def _bad_lines(lines: list[Line]) -> list[int]:
    """1-based numbers of the lines a reader must reject: bad ones and repeated ids."""
    return [n for n, line in enumerate(lines, start=1) if line.bad or line.dup_of is not None]


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


def _error_line(output: str, path: Path) -> int | None:
    """The line number the one-line error names for ``path`` (None: the whole file)."""
    m = re.search(re.escape(f"error: {path}") + r"(?::(\d+))?: ", output)
    assert m is not None, output
    return int(m[1]) if m[1] else None


@SETTINGS
@given(lines=hostile_files(), skip=st.booleans())
def test_scan_survives_hostile_lines(tmp_path, lines, skip):
    path, out = tmp_path / "hostile.jsonl", tmp_path / "out"
    _write(path, lines)
    (out / "report.json").unlink(missing_ok=True)
    args = ["scan", str(path), "--model", "hashing", "--no-cache", "--out", str(out), "--quiet"]
    result = runner.invoke(app, [*args, "--min-cluster-size", "2", *(["--skip-invalid"] * skip)])
    _no_traceback(result)
    assert result.exit_code in (0, 1), result.output
    bad = _bad_lines(lines)
    if result.exit_code == 1:
        assert not (out / "report.json").exists()  # nothing half written, nothing stale
        where = _error_line(result.output, path)
        if bad and not skip:
            assert where == bad[0], result.output  # the first bad line, by number
    else:
        assert not bad or skip
        report = json.loads((out / "report.json").read_text())
        assert report["summary"]["n_skipped"] == len(bad)
        listed = report["config"]["skipped"]
        assert all(s.startswith(f"{path}:") for s in listed)
        assert [int(s[len(str(path)) + 1 :].split(":")[0]) for s in listed] == bad[:20]


@SETTINGS
@given(lines=hostile_files())
def test_inspect_lists_every_bad_line(tmp_path, lines):
    path = tmp_path / "hostile.jsonl"
    _write(path, lines)
    result = runner.invoke(app, ["inspect", str(path), "--json"])
    _no_traceback(result)
    assert result.exit_code in (0, 1), result.output
    bad = _bad_lines(lines)
    if not result.stdout.startswith("{"):  # an error before any inspection: the whole file,
        where = _error_line(result.output, path)  # or a first record of no known format
        assert result.exit_code == 1 and where in (None, bad[0] if bad else None), result.output
        return
    info = json.loads(result.stdout)
    assert info["n_skipped"] == len(bad)
    listed = [int(s[len(str(path)) + 1 :].split(":")[0]) for s in info["skipped"]]
    assert listed == bad[:20]
    assert (info["fatal"] is not None) == (result.exit_code == 1)
    if bad:
        assert result.exit_code == 1 and info["fatal"].startswith(f"{path}:{bad[0]}:")


MAP_FIELD = st.sampled_from(["text", "problem_id", "bogus", "", "text ", "reward"])
MAP_PATH = st.text(alphabet="ab.0=", max_size=6)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(field=MAP_FIELD, sep=st.sampled_from(["=", ":", ""]), path=MAP_PATH)
def test_map_syntax_is_usage_error_or_accepted(field, sep, path):
    item = f"{field}{sep}{path}"
    result = runner.invoke(app, ["inspect", str(FIXTURES / "tiny.jsonl"), "--map", item])
    _no_traceback(result)
    name, eq, dotted = item.partition("=")
    segments_ok = bool(dotted.strip()) and "" not in dotted.strip().split(".")
    valid = eq == "=" and name.strip() in ("text", "problem_id", "reward") and segments_ok
    if valid:
        assert result.exit_code in (0, 1), result.output  # read; the path may lead nowhere
    else:
        assert result.exit_code == 2, result.output


@pytest.mark.parametrize(
    "args",
    [
        ["scan", "--no-such-option"],
        ["scan", str(FIXTURES / "tiny.jsonl"), "--format", "csv"],
        ["scan", str(FIXTURES / "tiny.jsonl"), "--map", "text"],
        ["scan", str(FIXTURES / "tiny.jsonl"), "--text", "reasoning"],
        ["scan", str(FIXTURES / "tiny.jsonl"), "--base-steps", "20-1", "--rl-steps", "30-40"],
        ["scan"],
        ["inspect"],
        ["inspect", str(FIXTURES / "tiny.jsonl"), "--format", "nope"],
        ["inspect", "--base", str(FIXTURES / "tiny.jsonl")],
        ["scan", str(FIXTURES / "tiny.jsonl"), "--base-steps", "1-5"],
    ],
)
def test_bad_usage_exits_2(args):
    result = runner.invoke(app, args)
    _no_traceback(result)
    assert result.exit_code == 2, result.output


HOSTILE_FILES = {
    "broken json": ([_canonical(id="1"), b"{oops", _canonical(id="3", model="rl")], 2),
    "invalid utf-8": ([_canonical(id="1"), b'{"text": "\xff"}'], 2),
    "nan reward": ([_canonical(id="1"), _canonical(id="2", model="rl", reward=float("nan"))], 2),
    "unknown format": ([b'{"foo": 1}', _canonical(id="2")], 1),
    "huge line": ([_canonical(id="1"), b'{"text": "' + b"y" * 3_000_000], 2),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
@pytest.mark.parametrize("command", ["scan", "inspect"])
def test_real_process_names_file_and_line(case, command, tmp_path):
    lines, line_no = HOSTILE_FILES[case]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    extra = ["--model", "hashing", "--out", str(tmp_path / "out")] if command == "scan" else []
    env = {**os.environ, "NOVELTY_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "novelty", command, str(path), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{path}:{line_no}: " in proc.stderr
    assert not (tmp_path / "out").exists()
