"""``novelty.embed`` / ``novelty embed``: the cache filled ahead of a scan (local engine, hashing).

The Ray engine has its own file (tests/test_ray_engine.py); here only what needs no cluster,
including the message when the ``ray`` extra is missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, planted_records
from novelty import ConfigError, embed, scan
from novelty.cli import app
from novelty.embedding import HashingEmbedder, open_cache
from novelty.embedding.fill import fill_cache
from novelty.embedding.ray_engine import Pool, plan_pool, portable
from novelty.embedding.sentence_transformer import SentenceTransformerEmbedder

runner = CliRunner()
RECORDS = planted_records(n_problems=3, n_base=20, n_rl=20)


def _decisions(report) -> tuple:
    d = report.to_dict()
    return (
        d["summary"]["verdict"],
        [(t["id"], t["cluster"], t["novel"], t["p_value"]) for t in d["traces"]],
        [(c["trace_ids"], c["novel"], c["q_value"]) for c in d["clusters"]],
    )


def test_embed_then_scan_embeds_nothing_and_decides_the_same(tmp_path: Path) -> None:
    counts = embed(RECORDS, embedder="hashing", cache=tmp_path / "c", view="whole")
    assert counts.n_traces == len(RECORDS)
    assert counts.n_cached == 0 and counts.n_embedded == counts.n_distinct <= counts.n_view_texts
    assert counts.cache_dir == str(tmp_path / "c") and counts.engine == "local"

    after = scan(RECORDS, embedder="hashing", cache=tmp_path / "c", view="whole")
    assert after.summary.n_from_cache == after.summary.n_view_texts == counts.n_view_texts
    plain = scan(RECORDS, embedder="hashing", cache=None, view="whole")
    assert plain.summary.n_from_cache == 0
    assert _decisions(after) == _decisions(plain)


def test_a_second_embed_finds_everything_cached(tmp_path: Path) -> None:
    first = embed(RECORDS, embedder="hashing", cache=tmp_path)
    again = embed(RECORDS, embedder="hashing", cache=tmp_path)
    assert (again.n_cached, again.n_embedded) == (first.n_distinct, 0)


def test_embed_fills_only_what_a_scan_left_out(tmp_path: Path) -> None:
    some = [r for r in RECORDS if r["problem_id"] == "p0"]
    embed(some, embedder="hashing", cache=tmp_path)
    known = embed(some, embedder="hashing", cache=tmp_path).n_distinct
    counts = embed(RECORDS, embedder="hashing", cache=tmp_path)
    assert counts.n_cached == known
    assert counts.n_embedded == counts.n_distinct - known > 0


def test_the_view_is_part_of_what_is_filled(tmp_path: Path) -> None:
    embed(RECORDS, embedder="hashing", cache=tmp_path, view="whole")
    other = scan(RECORDS, embedder="hashing", cache=tmp_path, view="strategy")
    assert other.summary.n_from_cache < other.summary.n_view_texts


def test_bad_settings_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="fills the embedding cache"):
        embed(RECORDS, embedder="hashing", cache=None)
    with pytest.raises(ConfigError, match="engine must be one of local, ray"):
        embed(RECORDS, embedder="hashing", cache=tmp_path, engine="spark")
    with pytest.raises(ConfigError, match="for engine='ray'"):
        embed(RECORDS, embedder="hashing", cache=tmp_path, address="auto")
    with pytest.raises(ConfigError, match="concurrency must be >= 1"):
        plan_pool({"CPU": 4}, 0)


def test_fill_cache_writes_shards_of_flush_every_texts(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    texts = [f"text {i}" for i in range(25)] + ["text 3"]
    filled = fill_cache(texts, HashingEmbedder(16), cache=cache, view="v", flush_every=10)
    assert (filled.n_texts, filled.n_distinct, filled.n_embedded) == (26, 25, 25)
    assert len(list(filled.path.glob("*.npz"))) == 3  # 10 + 10 + 5


def test_the_ray_pool_follows_the_cluster() -> None:
    assert plan_pool({"CPU": 8.0}, None) == Pool(8, 0)
    assert plan_pool({"CPU": 8.0, "GPU": 2.0}, None) == Pool(2, 1)
    assert plan_pool({"CPU": 8.0, "GPU": 2.0}, 5) == Pool(5, 1)
    assert Pool(2, 1).resources() == {"num_gpus": 1}
    assert Pool(3, 0).resources() == {"num_cpus": 1}


def test_actors_get_the_precision_the_driver_keyed_the_cache_with() -> None:
    st = SentenceTransformerEmbedder("some/model", window=128)
    sent = portable(st, "fp32")
    assert (sent.model, sent.window, sent.precision, sent.name) == (
        "some/model",
        128,
        "fp32",
        st.name,
    )
    hashing = HashingEmbedder(8)
    assert portable(hashing, None) is hashing


def test_ray_engine_without_the_extra_names_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
    with pytest.raises(ImportError, match=r"pip install 'novelty\[ray\]'"):
        embed(RECORDS, embedder="hashing", cache=tmp_path, engine="ray")
    res = runner.invoke(
        app,
        [
            "embed",
            str(FIXTURES / "tiny.jsonl"),
            "--model",
            "hashing",
            "--cache-dir",
            str(tmp_path),
            "--engine",
            "ray",
        ],
    )
    assert res.exit_code == 1
    assert "pip install 'novelty[ray]'" in res.output


# ------------------------------------------------------------------ the command
def _embed_cli(tmp_path: Path, *extra: str):
    return runner.invoke(
        app,
        [
            "embed",
            str(FIXTURES / "tiny.jsonl"),
            "--model",
            "hashing",
            "--cache-dir",
            str(tmp_path / "cache"),
            *extra,
        ],
    )


def test_cli_embed_prints_the_counts_and_a_scan_then_embeds_nothing(tmp_path: Path) -> None:
    res = _embed_cli(tmp_path)
    assert res.exit_code == 0, res.output
    line = res.stdout.strip()
    assert "already cached" in line and "embedded now" in line
    assert str(tmp_path / "cache") in line

    again = _embed_cli(tmp_path, "--json")
    counts = json.loads(again.stdout)
    assert counts["n_embedded"] == 0 and counts["n_cached"] == counts["n_distinct"] > 0
    assert f"0 already cached, {counts['n_distinct']} embedded now" in line

    scanned = runner.invoke(
        app,
        [
            "scan",
            str(FIXTURES / "tiny.jsonl"),
            "--model",
            "hashing",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--out",
            str(tmp_path / "out"),
            "--json",
        ],
    )
    assert scanned.exit_code == 0, scanned.output
    summary = json.loads(scanned.stdout)
    assert summary["n_from_cache"] == summary["n_view_texts"] == counts["n_view_texts"]


def test_cli_ray_options_need_the_ray_engine(tmp_path: Path) -> None:
    res = _embed_cli(tmp_path, "--address", "auto")
    assert res.exit_code == 2
    assert "--engine ray" in res.output


def test_cli_embed_shares_scans_embedding_options() -> None:
    import typer.main

    group = typer.main.get_command(app)
    scan_opts = {p.name: p for p in group.commands["scan"].params}
    embed_opts = {p.name: p for p in group.commands["embed"].params}
    for name in ("traces", "model", "view", "batch_size", "cache_dir", "base", "rl", "text"):
        assert embed_opts[name].help == scan_opts[name].help
        assert embed_opts[name].opts == scan_opts[name].opts


def test_neither_import_nor_scan_nor_local_embed_imports_ray(tmp_path: Path) -> None:
    code = (
        "import sys; import novelty; from novelty.cli import app;"
        "from typer.testing import CliRunner; r = CliRunner();"
        f"base = ['--model', 'hashing', '--cache-dir', {str(tmp_path / 'c')!r}];"
        f"f = {str(FIXTURES / 'tiny.jsonl')!r};"
        "a = r.invoke(app, ['embed', f, *base]); assert a.exit_code == 0, a.output;"
        f"b = r.invoke(app, ['scan', f, *base, '--out', {str(tmp_path / 'o')!r}]);"
        "assert b.exit_code == 0, b.output;"
        "bad = [m for m in sys.modules if m == 'ray' or m.startswith('ray.')]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
