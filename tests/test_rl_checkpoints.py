"""Several RL model names as checkpoints: loading, the scan's timeline and the CLI option."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import PlantedEmbedder, planted_records
from novelty import scan
from novelty.cli import app
from novelty.errors import ConfigError
from novelty.ingest import ingest, rl_names
from novelty.types import BASE, RL

CKPTS = ("ckpt-100", "ckpt-200", "ckpt-400")
runner = CliRunner()


def _records(seed: int = 1) -> list[dict]:
    """Planted traces: base as 'qwen-base'; RL spread over CKPTS, the novel strategy only
    from ckpt-200 on. Every RL trace carries step 7, which the names must override."""
    recs = planted_records(rl_mix={"a": 0.4, "b": 0.3, "new": 0.3}, seed=seed)
    for i, r in enumerate(recs):
        if r["model"] == "base":
            r["model"] = "qwen-base"
            continue
        novel = "_new]" in r["text"]
        r["model"] = CKPTS[1 + i % 2] if novel else CKPTS[i % 3]
        r["step"] = 7
    return recs


def _scan(records, **kw):
    return scan(records, embedder=PlantedEmbedder(), cache=None, view="whole", **kw)


@pytest.fixture(scope="module")
def report():
    return _scan(_records(), base_model="qwen-base", rl_model=list(CKPTS))


def test_rl_names_keeps_the_order_given():
    assert rl_names(None) == ()
    assert rl_names("qwen-rl") == ("qwen-rl",)
    assert rl_names(["c2", "c1"]) == ("c2", "c1")
    with pytest.raises(ConfigError, match="rl_model names 'c1' more than once"):
        rl_names(["c1", "c2", "c1"])
    with pytest.raises(ConfigError, match="rl_model must be a non-empty model name"):
        rl_names(["c1", ""])


def test_every_name_marks_rl_and_a_shared_name_is_an_error():
    recs = _records()[:200]
    traces = ingest(recs, base_model="qwen-base", rl_model=CKPTS).traces
    for r, t in zip(recs, traces, strict=True):
        assert t.role == (BASE if r["model"] == "qwen-base" else RL)
        assert t.model == r["model"]
    with pytest.raises(ConfigError, match="base_model and rl_model are both 'ckpt-200'"):
        ingest(recs, base_model="ckpt-200", rl_model=CKPTS)


def test_timeline_per_named_checkpoint_matches_a_hand_count(report):
    recs = _records()
    tl = report.evidence["timeline"]
    assert tl["source"] == "model"
    rows = tl["checkpoints"]
    assert [c["name"] for c in rows] == list(CKPTS)
    assert [c["step"] for c in rows] == [0, 1, 2]  # the order index: step 7 is not read
    assert tl["n_rl_without_checkpoint"] == 0 and tl["n_rl_without_step"] == 0
    for row in rows:
        mine = [r for r in recs if r["model"] == row["name"]]
        assert row["n_rl"] == len(mine)
        assert row["problems"] == sorted({r["problem_id"] for r in mine})
        per_problem = []
        for pid in row["problems"]:
            correct = [r["correct"] for r in mine if r["problem_id"] == pid]
            per_problem.append(sum(correct) / len(correct))
        assert row["rl_pass_at_1"] == pytest.approx(np.mean(per_problem))


def test_novel_clusters_first_seen_at_the_planted_checkpoint(report):
    tl = report.evidence["timeline"]
    n_novel = report.summary["n_novel_clusters"]
    assert n_novel == 4  # one planted per problem
    assert [(f["first_checkpoint"], f["first_step"]) for f in tl["novel_first_seen"]] == [
        ("ckpt-200", 1)
    ] * n_novel
    by_name = {c["name"]: c for c in tl["checkpoints"]}
    assert by_name["ckpt-100"]["n_novel_clusters_present"] == 0
    assert by_name["ckpt-100"]["support"]["expanded"] == 0
    assert by_name["ckpt-200"]["n_novel_clusters_present"] == n_novel
    assert by_name["ckpt-400"]["support"]["expanded"] == n_novel


def test_rl_traces_outside_the_names_have_no_checkpoint():
    recs = _records()
    recs[-1]["model"] = "rl"  # the literal role: RL, but no checkpoint
    tl = _scan(recs, base_model="qwen-base", rl_model=CKPTS).evidence["timeline"]
    assert tl["n_rl_without_checkpoint"] == 1
    assert (
        sum(c["n_rl"] for c in tl["checkpoints"])
        == sum(r["model"] != "qwen-base" for r in recs) - 1
    )


def test_one_rl_name_keeps_the_step_timeline():
    recs = planted_records(n_problems=2, rl_mix={"a": 0.5, "new": 0.5}, seed=4)
    for i, r in enumerate(recs):
        r["step"] = 10 + i % 2
    renamed = [{**r, "model": "my-rl" if r["model"] == "rl" else r["model"]} for r in recs]
    plain = _scan(recs)
    named = _scan(renamed, rl_model="my-rl")
    assert named.config["rl_model"] == "my-rl"
    assert named.evidence["timeline"] == plain.evidence["timeline"]
    tl = named.evidence["timeline"]
    assert tl["source"] == "step" and [c["step"] for c in tl["checkpoints"]] == [10, 11]
    assert all(c["name"] is None for c in tl["checkpoints"])


def _write(tmp_path, recs):
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    return path


def _names_args():
    return ["--base-model", "qwen-base", *(a for n in CKPTS for a in ("--rl-model", n))]


def test_cli_repeated_rl_model_scan_passk_inspect(tmp_path):
    recs = _records()[:160]  # problems p0 and p1: 40 base and 40 RL traces each
    path = _write(tmp_path, recs)
    out = tmp_path / "out"
    args = [str(path), *_names_args(), "--out", str(out), "--model", "hashing"]
    res = runner.invoke(app, ["scan", *args, "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    assert "3 RL checkpoint(s), ckpt-100 → ckpt-400;" in res.output
    report = json.loads((out / "report.json").read_text())
    assert report["config"]["rl_model"] == list(CKPTS)
    rows = report["evidence"]["timeline"]["checkpoints"]
    assert [(c["name"], c["n_rl"]) for c in rows] == [
        (n, sum(r["model"] == n for r in recs)) for n in CKPTS
    ]

    res = runner.invoke(app, ["passk", str(path), *_names_args(), "--json"])
    assert res.exit_code == 0, res.output
    n_rl = {p["problem_id"]: p["n_rl"] for p in json.loads(res.stdout)["per_problem"]}
    rl = [r for r in recs if r["model"] in CKPTS]
    assert n_rl == {p: sum(r["problem_id"] == p for r in rl) for p in ("p0", "p1")}

    res = runner.invoke(app, ["inspect", str(path), *_names_args(), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["fatal"] is None and info["roles"]["rl"]["n_traces"] == len(rl)
    models = {m["model"]: (m["role"], m["n_traces"]) for m in info["models"]}
    assert models == {
        "qwen-base": ("base", len(recs) - len(rl)),
        **{n: ("rl", sum(r["model"] == n for r in recs)) for n in CKPTS},
    }


def test_cli_a_name_given_as_base_and_rl_is_a_usage_error(tmp_path):
    path = _write(tmp_path, _records()[:160])
    for command in ("scan", "passk", "inspect"):
        args = [command, str(path), "--base-model", "qwen-base"]
        args += ["--rl-model", "ckpt-100", "--rl-model", "qwen-base"]
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (command, res.output)
        assert "base_model and rl_model are both 'qwen-base'" in res.output
