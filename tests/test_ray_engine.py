"""Embedding with Ray Data on a local 2-CPU cluster (skipped without the ``ray`` extra).

One cluster for the session (conftest's ``ray_cluster``); the hashing embedder keeps it fast,
and one slow test runs the real model in the actors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES, planted_records
from novelty import NoveltyError, embed, scan
from novelty.embedding import CallableEmbedder, HashingEmbedder, embed_texts, open_cache
from novelty.embedding.cache import namespace_of, text_key
from novelty.embedding.ray_engine import ray_batches


def _worded(records: list[dict]) -> list[dict]:
    """Planted records whose strategy tag becomes words of its own, so that the hashing
    embedder separates strategies and a scan has novel clusters to agree on."""
    out = []
    for r in records:
        tag = r["text"].split("[")[1].split("]")[0]
        words = " ".join(f"{tag}w{j}" for j in range(8))
        out.append({**r, "text": f"{words} sample {r['id']}"})
    return out


RECORDS = _worded(planted_records(n_problems=3, n_base=20, n_rl=20, rl_mix={"a": 0.5, "new": 0.5}))


def _shards(folder: Path) -> dict[str, np.ndarray]:
    """Every vector in a cache folder, by key."""
    out: dict[str, np.ndarray] = {}
    for shard in folder.glob("*/*.npz"):
        with np.load(shard) as data:
            out.update(zip(data["keys"].tolist(), data["vectors"], strict=True))
    return out


def test_cli_without_address_starts_and_stops_a_local_cluster(tmp_path) -> None:
    # First in the file, before the session's cluster exists; RAY_ADDRESS=local makes Ray start
    # its own even if a cluster that `ray start` left is running on this machine.
    pytest.importorskip("ray.data")
    cache = str(tmp_path / "c")
    cmd = [sys.executable, "-m", "novelty", "embed", str(FIXTURES / "tiny.jsonl")]
    cmd += ["--model", "hashing", "--cache-dir", cache, "--engine", "ray", "--concurrency", "1"]
    env = {**os.environ, "RAY_ADDRESS": "local"}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert "embedded now with hashing-256 (ray)" in done.stdout
    assert "Started a local Ray instance" not in done.stderr  # Ray's notices are held back
    again = subprocess.run([*cmd[:-4], "--json"], capture_output=True, text=True, timeout=300)
    counts = json.loads(again.stdout)
    assert counts["n_embedded"] == 0 and counts["n_cached"] == counts["n_distinct"] > 0


def test_ray_fills_the_cache_a_scan_reads_and_decides_as_local(ray_cluster, tmp_path) -> None:
    local = embed(RECORDS, embedder="hashing", cache=tmp_path / "local")
    on_ray = embed(RECORDS, embedder="hashing", cache=tmp_path / "ray", engine="ray")
    assert on_ray.engine == "ray"
    assert (on_ray.n_view_texts, on_ray.n_distinct, on_ray.n_embedded) == (
        local.n_view_texts,
        local.n_distinct,
        local.n_distinct,
    )
    a, b = _shards(tmp_path / "local"), _shards(tmp_path / "ray")
    assert a.keys() == b.keys() and len(a) == local.n_distinct
    assert all(np.allclose(a[k], b[k], atol=1e-6) for k in a)

    reports = [scan(RECORDS, embedder="hashing", cache=tmp_path / d) for d in ("local", "ray")]
    for r in reports:
        assert r.summary.n_from_cache == r.summary.n_view_texts
    assert reports[0].summary.n_novel_clusters > 0  # something to agree on
    assert reports[0].to_dict() == reports[1].to_dict()


class _Recorder:
    """A Progress that keeps what it was told."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def start(self, stage: str, total: int) -> None:
        self.events.append(("start", stage, total))

    def advance(self, n: int) -> None:
        self.events.append(("advance", n))

    def finish(self) -> None:
        self.events.append(("finish",))


def test_ray_embeds_only_what_the_cache_lacks(ray_cluster, tmp_path) -> None:
    some = [r for r in RECORDS if r["problem_id"] == "p1"]
    known = embed(some, embedder="hashing", cache=tmp_path).n_distinct
    seen = _Recorder()
    counts = embed(
        RECORDS, embedder="hashing", cache=tmp_path, engine="ray", concurrency=2, progress=seen
    )
    assert counts.n_cached == known and counts.n_embedded == counts.n_distinct - known
    assert seen.events[0] == ("start", "embedding", counts.n_embedded)
    assert seen.events[-1] == ("finish",)
    assert sum(e[1] for e in seen.events if e[0] == "advance") == counts.n_embedded


def test_every_row_comes_back_once_with_its_own_vector(ray_cluster) -> None:
    texts = [f"row {i} says {i % 13} things" for i in range(700)]
    got = list(ray_batches(texts, HashingEmbedder(32), precision=None, gather=100))
    rows = np.concatenate([r for r, _, _ in got])
    assert all(len(r) <= 100 for r, _, _ in got)
    assert np.array_equal(np.sort(rows), np.arange(len(texts)))
    vectors = np.concatenate([v for _, v, _ in got])
    expected = HashingEmbedder(32).encode([texts[i] for i in rows]).vectors
    np.testing.assert_allclose(vectors, expected, atol=1e-6)


def test_a_failure_in_an_actor_is_one_clear_error(ray_cluster) -> None:
    def corrupt(texts):  # nested: Ray ships it by value (workers cannot import test modules)
        raise ValueError("model weights are corrupt")

    failing = CallableEmbedder(corrupt, name="corrupt")
    with pytest.raises(NoveltyError, match=r"^embedding on Ray failed: ValueError: model weights"):
        list(ray_batches(["a", "b"], failing, precision=None))


def test_cli_joins_a_running_cluster_with_address(ray_cluster, tmp_path) -> None:
    _, address = ray_cluster
    args = ["--model", "hashing", "--cache-dir", str(tmp_path / "c")]
    tiny = str(FIXTURES / "tiny.jsonl")
    cmd = [sys.executable, "-m", "novelty", "embed", tiny, *args, "--engine", "ray"]
    done = subprocess.run(
        [*cmd, "--address", address, "--json"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert counts["engine"] == "ray" and counts["n_embedded"] == counts["n_distinct"] > 0
    out = str(tmp_path / "o")
    scanned = subprocess.run(
        [sys.executable, "-m", "novelty", "scan", tiny, *args, "--out", out, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert scanned.returncode == 0, scanned.stderr
    summary = json.loads(scanned.stdout)
    assert summary["n_from_cache"] == summary["n_view_texts"] == counts["n_view_texts"]


@pytest.mark.slow
def test_the_real_model_on_ray_matches_the_local_vectors(ray_cluster, tmp_path) -> None:
    from novelty.embedding import SentenceTransformerEmbedder
    from novelty.views import whole_view

    texts = [r["text"] for r in RECORDS[:40]] + ["a longer text " * 200]  # one split in windows
    on_ray = embed(
        [{**r, "text": t} for r, t in zip(RECORDS, texts, strict=False)],
        cache=tmp_path / "ray",
        engine="ray",
        view="whole",
        scope="global",
    )
    assert on_ray.n_embedded == on_ray.n_distinct
    st = SentenceTransformerEmbedder()
    texts = [whole_view(t) for t in texts]  # what the view embeds
    local = embed_texts(texts, st, cache=None, view="whole")
    cache = open_cache(tmp_path / "ray")
    ns = namespace_of(st.name, "whole", precision=local.precision)
    keys = [text_key(st.name, "whole", t, precision=local.precision) for t in texts]
    found = cache.get_many(ns, keys)
    assert len(found) == len(set(texts))  # same keys, precision included
    np.testing.assert_allclose(np.stack([found[k] for k in keys]), local.vectors, atol=1e-5)
    assert cache.get_windows(ns, keys[-1:]) == {keys[-1]: int(local.windows[-1])} != {keys[-1]: 1}
