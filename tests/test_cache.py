"""EmbeddingCache: round trips, atomic shards, corrupt shards, namespaces, concurrent writers."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from novelty.embedding.cache import EmbeddingCache, default_cache_dir, namespace_dir_name


def _unit(n: int, d: int = 8, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_round_trip_survives_a_new_instance(tmp_path: Path) -> None:
    vecs = _unit(5)
    keys = [f"k{i}" for i in range(5)]
    EmbeddingCache(tmp_path).put_many("m/whole", keys, vecs, windows=[1, 2, 1, 3, 1])

    fresh = EmbeddingCache(tmp_path)  # reads the shard from disk
    got = fresh.get_many("m/whole", [*keys, "absent"])
    assert set(got) == set(keys)
    for i, k in enumerate(keys):
        np.testing.assert_array_equal(got[k], vecs[i])
        assert got[k].dtype == np.float32
    assert fresh.get_windows("m/whole", keys) == dict(zip(keys, [1, 2, 1, 3, 1], strict=True))


def test_each_put_writes_one_complete_shard(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cache.put_many("ns", ["a", "b"], _unit(2))
    cache.put_many("ns", ["c"], _unit(1, seed=1))
    shards = sorted(cache.path_of("ns").glob("*.npz"))
    assert len(shards) == 2
    assert not list(cache.path_of("ns").glob(".tmp-*"))  # temporaries renamed, none left
    assert set(EmbeddingCache(tmp_path).get_many("ns", ["a", "b", "c"])) == {"a", "b", "c"}


def test_corrupt_and_partial_shards_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = EmbeddingCache(tmp_path)
    good = cache.put_many("ns", ["a", "b"], _unit(2))
    assert good is not None
    other = cache.put_many("ns", ["c", "d"], _unit(2, seed=3))
    assert other is not None
    other.write_bytes(other.read_bytes()[:100])  # a shard cut short
    (good.parent / "zz-garbage.npz").write_bytes(b"not a zip file")
    np.savez(good.parent / "zz-wrong.npz", keys=np.array(["e"]), vectors=np.ones((2, 8)))
    (good.parent / ".tmp-abc.part").write_bytes(b"half written")  # a killed writer's leftover

    with caplog.at_level(logging.WARNING, logger="novelty.embedding.cache"):
        got = EmbeddingCache(tmp_path).get_many("ns", ["a", "b", "c", "d", "e"])
    assert set(got) == {"a", "b"}
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "garbage" in warned and "wrong" in warned and other.name in warned
    assert ".tmp-abc" not in warned  # never even opened


def test_namespaces_are_isolated(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cache.put_many("model/whole", ["k"], _unit(1))
    assert EmbeddingCache(tmp_path).get_many("model/strategy", ["k"]) == {}
    assert namespace_dir_name("a/b") != namespace_dir_name("a_b")  # slugs alike, dirs not
    assert "/" not in namespace_dir_name("/models/x/whole")


def test_put_many_rejects_mismatched_input(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    with pytest.raises(ValueError, match="one vector row per key"):
        cache.put_many("ns", ["a", "b"], _unit(3))
    with pytest.raises(ValueError, match="one window count per key"):
        cache.put_many("ns", ["a"], _unit(1), windows=[1, 2])
    cache.put_many("ns", ["a"], _unit(1, d=8))
    with pytest.raises(ValueError, match="holds 8-d vectors"):
        cache.put_many("ns", ["b"], _unit(1, d=4))
    assert cache.put_many("ns", [], np.zeros((0, 8), np.float32)) is None


def test_default_directory_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOVELTY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "novelty"
    monkeypatch.setenv("NOVELTY_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    assert EmbeddingCache().directory == tmp_path / "mine"
    monkeypatch.delenv("NOVELTY_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "novelty"


def _writer(directory: str, tag: str) -> None:
    cache = EmbeddingCache(Path(directory))
    for j in range(20):
        cache.put_many("shared", [f"{tag}-{j}"], _unit(1, seed=j))


def test_concurrent_writers_do_not_clobber_each_other(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), tag)) for tag in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    keys = [f"{tag}-{j}" for tag in "ab" for j in range(20)]
    assert len(EmbeddingCache(tmp_path).get_many("shared", keys)) == 40


def test_sigkill_mid_writing_leaves_only_whole_shards(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    script = textwrap.dedent(
        f"""
        import numpy as np
        from pathlib import Path
        from novelty.embedding.cache import EmbeddingCache
        cache = EmbeddingCache(Path({str(tmp_path)!r}))
        rng = np.random.default_rng(0)
        i = 0
        while True:
            keys = [f"k{{i}}-{{j}}" for j in range(256)]
            cache.put_many("ns", keys, rng.normal(size=(256, 384)).astype(np.float32))
            i += 1
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        ns_dir = EmbeddingCache(tmp_path).path_of("ns")
        while time.monotonic() < deadline and len(list(ns_dir.glob("*.npz"))) < 5:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    with caplog.at_level(logging.WARNING, logger="novelty.embedding.cache"):
        cache = EmbeddingCache(tmp_path)
        n_keys = len(cache.get_many("ns", [f"k0-{j}" for j in range(256)]))
    assert n_keys == 256
    assert len(cache) % 256 == 0 and len(cache) >= 5 * 256
    assert not caplog.records


def test_rescan_of_5000_cached_vectors_is_fast(tmp_path: Path) -> None:
    keys = [f"{i:064x}" for i in range(5000)]
    cache = EmbeddingCache(tmp_path)
    vecs = _unit(5000, d=384)
    for start in range(0, 5000, 256):
        cache.put_many("ns", keys[start : start + 256], vecs[start : start + 256])
    t0 = time.perf_counter()
    got = EmbeddingCache(tmp_path).get_many("ns", keys)
    elapsed = time.perf_counter() - t0
    assert len(got) == 5000
    np.testing.assert_array_equal(got[keys[4321]], vecs[4321])
    assert elapsed < 1.0, f"reading 5000 cached vectors took {elapsed:.2f} s"
