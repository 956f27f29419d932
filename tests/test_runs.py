"""Several RL runs against one base (issue 15): one decision, per-run membership, what RL broke."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import PlantedEmbedder, planted_records
from novelty import scan
from novelty.cli import app
from novelty.datasets.synth import generate
from novelty.decide import ClusterTest, candidate_p_value, cluster_p_value
from novelty.errors import ConfigError
from novelty.html_report import render_html
from novelty.ingest import ingest, rl_runs, run_name
from novelty.render import render_runs
from novelty.runs import RunIndex
from novelty.types import BASE, RL, Trace


def _planted(records, **kw):
    kw.setdefault("view", "whole")
    return scan(records, embedder=PlantedEmbedder(), cache=None, projection="none", **kw)


def _split(records):
    base = [{k: v for k, v in r.items() if k != "model"} for r in records if r["model"] == "base"]
    rl = [{k: v for k, v in r.items() if k != "model"} for r in records if r["model"] == "rl"]
    return base, rl


# ---- membership and the combined test ----


def test_run_index_counts_members_per_run_in_the_order_given():
    traces = [
        Trace("b", "p", BASE, "x"),
        Trace("r1", "p", RL, "x", run="late"),
        Trace("r2", "p", RL, "x", run="early"),
        Trace("r3", "p", RL, "x", run="late"),
    ]
    order = [traces[0], traces[2], traces[1], traces[3]]  # the input listed "early" first
    runs = RunIndex.from_traces(traces, order=order)
    assert runs.names == ("early", "late")
    assert runs.counts([0, 1, 3]) == {"early": 0, "late": 2}
    assert runs.present([0, 1, 2]) == ["early", "late"]
    assert runs.scope([1, 2]) == "shared" and runs.scope([1, 3]) == "run-specific"
    assert runs.scope([0]) is None and runs.name_of(0) is None and runs.name_of(2) == "early"
    three = RunIndex.from_traces([*traces, Trace("r4", "p", RL, "x", run="mid")])
    assert three.scope([1, 2]) == "some" and three.scope([1, 2, 4]) == "shared"
    one = RunIndex.from_traces([Trace("b", "p", BASE, "x"), Trace("r", "p", RL, "x")])
    assert one.names == ("rl",) and one.scope([1]) is None


def test_candidate_p_value_is_the_pooled_test_with_one_run_and_bonferroni_with_several():
    one = ClusterTest(1, 7, 16, 16, 1, 6)
    assert candidate_p_value(one) == cluster_p_value(1, 7, 16, 16)
    lone = ClusterTest(1, 7, 16, 16, 1, 6, by_run=((7, 16), (0, 0)))  # one run sampled it
    assert candidate_p_value(lone) == cluster_p_value(1, 7, 16, 16)
    two = ClusterTest(0, 8, 8, 16, 0, 8, by_run=((8, 8), (0, 8)))
    pooled, alone = cluster_p_value(0, 8, 8, 16), cluster_p_value(0, 8, 8, 8)
    assert alone < pooled
    assert candidate_p_value(two) == pytest.approx(3 * alone)


# ---- ingest: names, files, ids ----


def test_runs_are_named_by_stem_or_given_name_and_duplicates_are_refused(tmp_path):
    a, b = tmp_path / "true-reward.jsonl.gz", tmp_path / "b.jsonl"
    a.write_bytes(b""), b.write_text("")
    assert run_name(a) == "true-reward" and run_name(tmp_path) == tmp_path.name
    assert rl_runs(a) == [("true-reward", a)]
    assert rl_runs([a, ("B", b)]) == [("true-reward", a), ("B", b)]
    with pytest.raises(ConfigError, match="run name 'x' is given twice"):
        rl_runs([("x", a), ("x", b)])
    with pytest.raises(ConfigError, match="given to two RL runs"):
        rl_runs({"x": a, "y": a})
    with pytest.raises(ConfigError, match="given to two RL runs"):
        rl_runs({"x": tmp_path, "y": b})  # b is inside the folder
    with pytest.raises(ConfigError, match="non-empty name"):
        rl_runs({"": a})


def test_runs_reusing_ids_get_ids_prefixed_with_the_run_and_say_so():
    base = [{"id": f"b{i}", "problem_id": "p", "model": "base", "text": f"b {i}"} for i in range(3)]
    a = [{"id": str(i), "problem_id": "p", "text": f"a {i}"} for i in range(3)]
    b = [{"id": str(i), "problem_id": "p", "text": f"b {i}"} for i in range(2)]
    got = ingest((base, {"A": a, "B": b}))
    rl = [t for t in got.traces if t.role == RL]
    assert [(t.id, t.run) for t in rl] == [
        ("A:0", "A"),
        ("A:1", "A"),
        ("A:2", "A"),
        ("B:0", "B"),
        ("B:1", "B"),
    ]
    assert got.n_run_prefixed == 5 and got.record("full")["n_ids_prefixed_with_run"] == 5
    assert {f["run"] for f in got.record("full")["input_files"] if f["role"] == RL} == {"A", "B"}
    # distinct ids stay as they are; a duplicate within one run is still an error
    fresh = [{"id": f"x{i}", "problem_id": "p", "text": f"x {i}"} for i in range(2)]
    assert {t.id for t in ingest((base, {"A": a, "B": fresh})).traces} >= {"0", "x0"}
    with pytest.raises(Exception, match="duplicate id '0'"):
        ingest((base, {"A": a + a[:1], "B": b}))


def test_identical_texts_in_two_runs_get_distinct_derived_ids():
    base = [{"problem_id": "p", "model": "base", "text": f"b {i}"} for i in range(3)]
    same = [{"problem_id": "p", "text": f"same {i}"} for i in range(3)]
    ids = [t.id for t in ingest((base, {"A": same, "B": same})).traces if t.role == RL]
    assert len(set(ids)) == 6 and all(i.startswith(("A-p-", "B-p-")) for i in ids)


# ---- the decision: shared vs run-specific ----


def _synth_two_runs(seed: int, only_a_every: int = 2):
    """Synthetic traces (all problems ``novel``) dealt into runs A and B against one base: on
    every ``only_a_every``-th problem the planted strategy goes to run A alone."""
    recs, truth = generate(n_problems=8, n_base=32, n_rl=64, scenarios="novel", seed=seed)
    pids = sorted({r["problem_id"] for r in recs})
    only_a = set(pids[::only_a_every]) if only_a_every else set()
    rng = np.random.default_rng(seed)
    base, a, b = [], [], []
    n_b: dict[str, int] = {}
    for r, t in zip(recs, truth, strict=True):
        r = {k: v for k, v in r.items() if k != "model"}
        if t["model"] == "base":
            base.append(r)
        elif r["problem_id"] in only_a:
            if not t["novel"] and n_b.get(r["problem_id"], 0) < 32:
                n_b[r["problem_id"]] = n_b.get(r["problem_id"], 0) + 1
                b.append(r)
            else:
                a.append(r)
        else:
            (a if rng.random() < 0.5 else b).append(r)
    return base, a, b, only_a, {t["id"]: t for t in truth}


def test_shared_and_run_specific_strategies_are_told_apart():
    base, a, b, only_a, truth = _synth_two_runs(seed=0)
    report = scan((base, {"A": a, "B": b}), embedder="hashing", cache=None, projection="none")
    planted = [
        c for c in report.clusters if c["n_rl"] and any(truth[i]["novel"] for i in c["trace_ids"])
    ]
    found = [c for c in planted if c["novel"]]
    assert len({c["problem_id"] for c in found} & only_a) >= 3
    assert len({c["problem_id"] for c in found} - only_a) >= 2
    for c in found:
        if c["problem_id"] in only_a:
            assert c["run_scope"] == "run-specific" and c["runs"] == ["A"], c
            assert c["n_rl_by_run"] == {"A": c["n_rl"], "B": 0}
        else:
            assert c["run_scope"] == "shared" and c["runs"] == ["A", "B"], c
            assert sum(c["n_rl_by_run"].values()) == c["n_rl"]
    for c in report.clusters:
        if not c["novel"]:
            assert c["run_scope"] is None or c["support_change"] == "amplified"
    runs = {r["name"]: r for r in report.runs}
    assert list(runs) == ["A", "B"]
    assert runs["A"]["n_rl"] == len(a) and runs["B"]["n_rl"] == len(b)
    shared = sum(c["run_scope"] == "shared" for c in found)
    assert runs["A"]["n_novel_clusters"] == len(found)
    assert runs["B"]["n_novel_clusters"] == runs["B"]["n_shared_novel_clusters"] == shared
    assert runs["A"]["n_novel_traces"] == sum(c["n_rl_by_run"]["A"] for c in found)
    rows = {t["id"]: t for t in report.traces}
    assert {rows[r["id"]]["run"] for r in a} == {"A"} and {rows[r["id"]]["run"] for r in b} == {"B"}
    assert {rows[r["id"]]["run"] for r in base} == {None}
    page = render_html(report.to_dict())
    table = page[page.index('id="run-strategies"') : page.index("</table>", page.index("run-str"))]
    assert table.count("<tr") == 1 + sum(
        c["support_change"] in ("expanded", "amplified") for c in report.clusters
    )
    shown = [c for c in report.clusters if c["support_change"] in ("expanded", "amplified")]
    assert table.count("run-specific") == sum(c["run_scope"] == "run-specific" for c in shown)
    console = Console(record=True, width=300)
    render_runs(report.to_dict()["runs"], console)
    lines = console.export_text().splitlines()
    assert [line.split(":")[0] for line in lines] == ["run A", "run B"]
    assert f"{len(found)} novel cluster(s) ({shared} shared by every run)" in lines[0]


def test_runs_dealt_from_one_file_share_every_strategy_found():
    base, a, b, _, truth = _synth_two_runs(seed=1, only_a_every=0)
    report = scan((base, {"A": a, "B": b}), embedder="hashing", cache=None, projection="none")
    found = [c for c in report.clusters if c["novel"]]
    planted = [c for c in found if sum(truth[i]["novel"] for i in c["trace_ids"]) > c["n_rl"] / 2]
    assert len(planted) >= 4 and len(planted) == len(found)
    for c in planted:
        assert c["run_scope"] == "shared" and c["runs"] == ["A", "B"], c
    for c in report.clusters:
        if c["support_change"] == "amplified":
            assert c["run_scope"] == "shared", c


def test_two_null_runs_make_no_more_false_novel_calls_than_alpha():
    hits = 0
    n_scans = 30
    for seed in range(n_scans):
        recs = planted_records(n_problems=3, n_base=30, n_rl=40, seed=300 + seed)
        base, rl = _split(recs)
        report = _planted((base, {"A": rl[::2], "B": rl[1::2]}))
        hits += report.summary["n_novel_clusters"] > 0
    assert hits / n_scans <= 0.05


def test_one_run_keeps_todays_decision_and_reports_one_run():
    recs = planted_records(rl_mix={"a": 0.4, "b": 0.2, "new": 0.4}, seed=7)
    today = _planted(recs)
    base, rl = _split(recs)
    one = _planted((base, {"only": rl}))
    keys = ("problem_id", "n_base", "n_rl", "trace_ids", "novel", "p_value", "q_value")
    assert [[c[k] for k in keys] for c in one.clusters] == [
        [c[k] for k in keys] for c in today.clusters
    ]
    assert [c["support_change"] for c in one.clusters] == [
        c["support_change"] for c in today.clusters
    ]
    assert one.summary["verdict"] == today.summary["verdict"]
    assert [r["name"] for r in today.runs] == ["rl"] and [r["name"] for r in one.runs] == ["only"]
    (run,) = one.runs
    assert run["n_rl"] == one.summary["n_rl"]
    assert run["n_novel_clusters"] == one.summary["n_novel_clusters"]
    assert run["n_novel_traces"] == one.summary["n_novel_traces"]
    assert all(c["run_scope"] is None for c in one.clusters)
    assert all(c["runs"] == (["only"] if c["n_rl"] else []) for c in one.clusters)


# ---- what RL broke ----


def _lost_records():
    """Base: strategies a, b, c on four problems, all correct. Run A drops c and never solves
    p3; run B keeps everything."""
    rng = np.random.default_rng(5)
    out: dict[str, list[dict]] = {"base": [], "A": [], "B": []}
    for p in range(4):
        for side, names in (("base", "abc"), ("A", "ab"), ("B", "abc")):
            for i in range(30):
                s = names[i % len(names)]
                out[side].append(
                    {
                        "id": f"{side}-{p}-{i}",
                        "problem_id": f"p{p}",
                        "text": f"problem {p} [p{p}_{s}] sample {i} {rng.integers(1e9)}",
                        "correct": not (side == "A" and p == 3),
                    }
                )
    return out


def test_lost_problems_and_strategies_are_per_run():
    recs = _lost_records()
    report = _planted((recs["base"], {"A": recs["A"], "B": recs["B"]}))
    runs = {r["name"]: r for r in report.runs}
    assert runs["A"]["problems_lost"] == ["p3"] and runs["B"]["problems_lost"] == []
    assert runs["A"]["n_problems_base_solved"] == 4
    lost = runs["A"]["strategies_lost"]
    assert sorted(x["problem_id"] for x in lost) == ["p0", "p1", "p2"]
    by_id = {c["id"]: c for c in report.clusters}
    for x in lost:
        members = by_id[x["cluster"]]["trace_ids"]
        assert members and all("_c]" in _text(recs, i) for i in members if i.startswith("base"))
        assert x["q_value"] <= 0.05 and x["n_base_correct"] == 10
    assert runs["B"]["strategies_lost"] == []
    assert runs["A"]["support"]["shrunk"] >= 3 and runs["B"]["support"]["shrunk"] == 0


def _text(recs, trace_id):
    return next(r["text"] for rows in recs.values() for r in rows if r["id"] == trace_id)


# ---- checkpoints stay per run ----


def test_timeline_checkpoints_are_per_run_and_traces_name_theirs():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=9)
    base, rl = _split(recs)
    runs = {"A": [], "B": []}
    for i, r in enumerate(rl):
        runs["A" if i % 2 else "B"].append({**r, "step": 10 if i % 4 < 2 else 20})
    report = _planted((base, runs))
    tl = report.evidence["timeline"]
    assert [(c["run"], c["step"]) for c in tl["checkpoints"]] == [
        ("A", 10),
        ("A", 20),
        ("B", 10),
        ("B", 20),
    ]
    assert sum(c["n_rl"] for c in tl["checkpoints"]) == len(rl)
    novel = [c["id"] for c in report.clusters if c["novel"]]
    assert novel
    assert {(f["cluster"], f["run"]) for f in tl["novel_first_seen"]} <= {
        (c, r) for c in novel for r in ("A", "B")
    }
    assert {f["run"] for f in tl["novel_first_seen"]} == {"A", "B"}
    rows = [t for t in report.traces if t["model"] == "rl"]
    assert {t["checkpoint"] for t in rows} == {"step 10", "step 20"}
    assert all(t["checkpoint"] == f"step {t['step']}" for t in rows)
    assert all(t["checkpoint"] is None for t in report.traces if t["model"] == "base")


def test_one_run_timeline_has_no_run_key():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=9)
    for i, r in enumerate(recs):
        r["step"] = 10 if i % 2 else 20
    tl = _planted(recs).evidence["timeline"]
    assert all("run" not in c for c in tl["checkpoints"])
    assert all("run" not in f for f in tl["novel_first_seen"])


# ---- the CLI ----


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _cli(tmp_path, *args):
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        ["scan", *args, "--model", "hashing", "--no-cache", "--out", str(out), "-q"],
        catch_exceptions=False,
    )
    return res, out


@pytest.fixture
def run_files(tmp_path):
    recs = planted_records(n_problems=2, n_base=12, n_rl=12, rl_mix={"a": 0.5, "new": 0.5})
    base, rl = _split(recs)
    return (
        _write(tmp_path / "base.jsonl", base),
        _write(tmp_path / "true-reward.jsonl", rl[::2]),
        _write(tmp_path / "random.jsonl", rl[1::2]),
        len(rl),
    )


def test_cli_reads_every_rl_file_as_its_own_run(tmp_path, run_files):
    base, a, b, n_rl = run_files
    res, out = _cli(tmp_path, "--base", str(base), "--rl", str(a), "--rl", f"rand={b}")
    assert res.exit_code == 0, res.output
    report = json.loads((out / "report.json").read_text())
    assert report["summary"]["n_rl"] == n_rl  # never one file alone
    assert [r["name"] for r in report["runs"]] == ["true-reward", "rand"]
    assert [r["n_rl"] for r in report["runs"]] == [n_rl // 2, n_rl // 2]
    assert "run true-reward:" in res.output and "run rand:" in res.output
    html = (out / "report.html").read_text()
    assert 'id="run-strategies"' in html or "No novel or amplified cluster" in html
    assert 'id="run-summary"' in html


@pytest.mark.parametrize(
    "rl_args, needle",
    [
        (["x={a}", "x={b}"], "run name 'x' is given twice"),
        (["{a}", "{a}"], "run name 'true-reward' is given twice"),
        (["one={a}", "two={a}"], "given to two RL runs"),
        (["={a}"], "bad --rl"),
    ],
)
def test_cli_refuses_a_run_given_twice(tmp_path, run_files, rl_args, needle):
    base, a, b, _ = run_files
    args = ["--base", str(base)]
    for v in rl_args:
        args += ["--rl", v.format(a=a, b=b)]
    res, out = _cli(tmp_path, *args)
    assert res.exit_code == 2, res.output
    assert needle in res.output
    assert not (out / "report.json").exists()


def test_cli_passk_gives_a_table_per_run(tmp_path, run_files):
    base, a, b, _ = run_files
    args = ["passk", "--base", str(base), "--rl", f"A={a}", "--rl", f"B={b}", "--json"]
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert set(json.loads(res.output)["runs"]) == {"A", "B"}


# ---- the real model, end to end ----


@pytest.mark.slow
def test_two_runs_with_the_real_model(tmp_path):
    base, a, b, only_a, truth = _synth_two_runs(seed=2)
    report = scan((base, {"A": a, "B": b}), cache=tmp_path / "cache", projection="none")
    found = [c for c in report.clusters if c["novel"]]
    assert found
    for c in found:
        assert all(truth[i]["novel"] for i in c["trace_ids"] if truth[i]["model"] == "rl") or (
            sum(truth[i]["novel"] for i in c["trace_ids"]) >= 0.9 * c["n_rl"]
        )
        want = "run-specific" if c["problem_id"] in only_a else "shared"
        assert c["run_scope"] == want, c
    assert {c["problem_id"] for c in found} & only_a
    assert {c["problem_id"] for c in found} - only_a


def test_global_scope_never_calls_a_question_the_run_was_not_asked_lost():
    """Base answers p0 and p1, the run p1 and p2 (global scope): p0's strategies are not lost."""
    recs = planted_records(n_problems=3, n_base=20, n_rl=20, base_strategies=("a", "b"))
    base = [r for r in recs if r["model"] == "base" and r["problem_id"] != "p2"]
    rl = [r for r in recs if r["model"] == "rl" and r["problem_id"] != "p0"]
    for r in recs:
        r["correct"] = True
    report = _planted(base + rl, scope="global")
    (run,) = report.runs
    assert run["strategies_lost"] == [] and run["problems_lost"] == []
    p0 = {r["id"] for r in base if r["problem_id"] == "p0"}
    only_p0 = [c for c in report.clusters if c["trace_ids"] and set(c["trace_ids"]) <= p0]
    assert only_p0  # base-only clusters exist
    assert run["support"]["shrunk"] == 0
