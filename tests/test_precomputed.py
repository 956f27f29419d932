"""Precomputed vectors (issue 13): ``scan(source, embeddings=...)`` and ``--embeddings``."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import PlantedEmbedder, planted_records
from novelty import InputError, scan
from novelty.cli import app
from novelty.config import ScanConfig
from novelty.embedding import embed_views
from novelty.ingest import ingest
from novelty.views import apply_view

runner = CliRunner()


def _records(seed: int = 0) -> list[dict]:
    """Planted traces with one RL-only strategy, in a shuffled line order."""
    records = planted_records(n_problems=3, rl_mix={"a": 0.4, "b": 0.2, "new": 0.4}, seed=seed)
    random.Random(seed).shuffle(records)
    return records


def _embedder_vectors(records: list[dict]) -> np.ndarray:
    """What the planted embedder gives each trace under the default view, in input order."""
    traces = ingest(records).traces
    return embed_views(apply_view(traces, ScanConfig().view), PlantedEmbedder()).vectors


def _decisions(report) -> dict:
    d = json.loads(report.to_json())
    members = {c["id"]: sorted(c["trace_ids"]) for c in d["clusters"]}
    return {
        "traces": {
            t["id"]: (members.get(t["cluster"]), t["novel"], t["p_value"], t["base_nn_distance"])
            for t in d["traces"]
        },
        "clusters": sorted(
            (members[c["id"]], c["novel"], c["p_value"], c["q_value"], c["support_change"])
            for c in d["clusters"]
        ),
        "behaviours": [(b["trace_ids"], b["novel"], b["p_value"]) for b in d["behaviours"]],
        "novel": d["summary"]["novel"],
        "conclusion": d["summary"]["conclusion"],
    }


def test_same_verdicts_as_the_embedder_when_the_vectors_are_the_same(tmp_path):
    records = _records()
    vectors = _embedder_vectors(records)
    by_model = scan(records, embedder=PlantedEmbedder(), cache=None, projection="none")
    given = scan(records, embeddings=vectors, cache=None, projection="none")
    assert _decisions(given) == _decisions(by_model)
    assert given.summary.novel  # the planted strategy is found, so the comparison has teeth
    assert given.config["embedder"] == "precomputed"
    assert given.summary.view == "precomputed" and given.summary.n_view_texts == 0
    # From a file, and with rows that are not unit length (they are normalised).
    path = tmp_path / "v.npy"
    np.save(path, vectors * 3.0)
    from_file = scan(records, embeddings=path, cache=None, projection="none")
    assert _decisions(from_file)["clusters"] == _decisions(by_model)["clusters"]


def test_rows_follow_the_input_order_not_the_scan_order():
    records = _records(seed=1)
    vectors = _embedder_vectors(records)
    swapped = vectors.copy()
    swapped[[0, -1]] = swapped[[-1, 0]]  # two traces exchange vectors
    a = _decisions(scan(records, embeddings=vectors, cache=None, projection="none"))
    b = _decisions(scan(records, embeddings=swapped, cache=None, projection="none"))
    first, last = records[0]["id"], records[-1]["id"]
    assert a["traces"][first][3] != b["traces"][first][3] or a["traces"][last] != b["traces"][last]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda v: v[:-1], "rows but the scan read"),
        (lambda v: v[0], "2-D"),
        (lambda v: v[None], "2-D"),
        (lambda v: np.zeros((len(v), 0), np.float32), "0 dimensions"),
        (lambda v: np.where(np.arange(len(v))[:, None] == 7, np.nan, v), "row 7 .* NaN"),
        (lambda v: np.where(np.arange(len(v))[:, None] == 3, np.inf, v), "row 3 .* NaN"),
        (lambda v: np.where(np.arange(len(v))[:, None] == 5, 0.0, v), "row 5 .* zeros"),
        (lambda v: v.astype(str), "numeric"),
    ],
)
def test_bad_arrays_are_clear_errors_naming_the_file(make, match, tmp_path):
    records = _records()
    bad = make(_embedder_vectors(records))
    with pytest.raises(InputError, match=match):
        scan(records, embeddings=bad, cache=None)
    path = tmp_path / "bad.npy"
    np.save(path, bad)
    with pytest.raises(InputError, match=match) as err:
        scan(records, embeddings=path, cache=None)
    assert str(path) in str(err.value)


def test_not_an_npy_file(tmp_path):
    path = tmp_path / "v.npy"
    path.write_text("not an array")
    with pytest.raises(InputError, match=r"v\.npy"):
        scan(_records(), embeddings=path, cache=None)


def test_cli_embeddings(tmp_path):
    records = _records()
    traces = tmp_path / "t.jsonl"
    traces.write_text("".join(json.dumps(r) + "\n" for r in records))
    vectors = _embedder_vectors(records)
    np.save(tmp_path / "v.npy", vectors)
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        ["scan", str(traces), "--embeddings", str(tmp_path / "v.npy"), "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    report = json.loads((out / "report.json").read_text())
    expected = scan(records, embedder=PlantedEmbedder(), cache=None)
    assert report["summary"]["n_novel_clusters"] == expected.summary.n_novel_clusters > 0
    assert report["config"]["embedder"] == "precomputed"
    # A count mismatch: exit 1, a message naming the file, and no report written.
    np.save(tmp_path / "short.npy", vectors[:-2])
    bad_out = tmp_path / "bad"
    res = runner.invoke(
        app,
        ["scan", str(traces), "--embeddings", str(tmp_path / "short.npy"), "--out", str(bad_out)],
    )
    assert res.exit_code == 1
    assert "short.npy" in res.output and "rows but the scan read" in res.output
    assert not (bad_out / "report.json").exists()
    # --model and --embeddings together are a usage error.
    res = runner.invoke(
        app,
        ["scan", str(traces), "--embeddings", str(tmp_path / "v.npy"), "--model", "hashing"],
    )
    assert res.exit_code == 2 and "--embeddings" in res.output
