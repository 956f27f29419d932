"""Nothing lost: a scan killed with SIGKILL while embedding resumes from the cache, same report.

The scan runs as a real ``python`` process. Its embedder is a hashing embedder slowed down so
the kill lands mid-embedding; it is registered by the test's own launcher script through the
public name registry, so the library has no test-only path.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT
from novelty.datasets.synth import generate, write_jsonl

# Registers "slow-hashing" (4 ms a text) and runs the CLI, exactly as `novelty` would.
LAUNCHER = """
import sys, time
from novelty.embedding import HashingEmbedder, registry

class SlowHashing(HashingEmbedder):
    name = "slow-hashing"
    def encode(self, texts, *, batch_size=32, progress=None):
        time.sleep(0.004 * len(texts))
        return super().encode(texts, batch_size=batch_size, progress=progress)

registry.NAMED["slow-hashing"] = SlowHashing
from novelty.cli import main
sys.argv = ["novelty", *sys.argv[1:]]
main()
"""


def _command(traces: Path, out: Path, cache: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        LAUNCHER,
        "scan",
        str(traces),
        "--model",
        "slow-hashing",
        "--cache-dir",
        str(cache),
        "--out",
        str(out),
        "--quiet",
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _shards(cache: Path) -> list[Path]:
    return list(cache.rglob("*.npz"))


def _comparable(report_path: Path) -> dict:
    """The report without what legitimately differs between a resumed and a fresh run."""
    report = json.loads(report_path.read_text())
    report["summary"].pop("n_from_cache")
    return report


def test_sigkill_mid_embedding_resumes_with_identical_report(tmp_path):
    records, _ = generate(n_problems=3, n_base=100, n_rl=100, seed=3)
    traces = tmp_path / "traces.jsonl"
    write_jsonl(records, traces)
    out, cache = tmp_path / "out", tmp_path / "cache"

    proc = subprocess.Popen(
        _command(traces, out, cache),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not _shards(cache) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, f"scan ended before it could be killed: {proc.stderr.read()}"
    assert _shards(cache), "no cache shard within 120 s"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    n_shards = len(_shards(cache))
    # Killed before the end: no report, not even a half-written temporary one.
    assert not out.exists() or not any(out.iterdir())

    resumed = subprocess.run(
        _command(traces, out, cache), env=_env(), capture_output=True, text=True, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads((out / "report.json").read_text())["summary"]
    # The resumed run reused what the killed one had embedded, and no more than that.
    assert 0 < summary["n_from_cache"] < summary["n_view_texts"]
    assert len(_shards(cache)) > n_shards

    fresh_out = tmp_path / "fresh"
    fresh = subprocess.run(
        _command(traces, fresh_out, tmp_path / "fresh-cache"),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert fresh.returncode == 0, fresh.stderr
    assert _comparable(out / "report.json") == _comparable(fresh_out / "report.json")
