"""report.html from the report dict: content, escaping, downsampling; traces.parquet; the
`novelty report` command. The real-browser check is in test_html_browser.py."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, PlantedEmbedder, planted_records
from novelty import scan
from novelty.cli import app
from novelty.html_report import map_figure, render_html, script_json
from novelty.table import traces_table

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'


def hostile_report(projection: str = "pca") -> dict:
    """A scan whose trace texts, ids and a problem id carry script payloads, plus evidence."""
    recs = planted_records(n_problems=2, rl_mix={"a": 0.5, "new": 0.5}, seed=9)
    for r in recs:
        r["text"] = f"{SCRIPT} {r['text']} {IMG} </script> \u2028 & done"
        if r["problem_id"] == "p1":
            r["problem_id"] = f"p1 {IMG}"
    recs[0]["id"] = f"base {SCRIPT}"
    rep = scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole", projection=projection)
    d = json.loads(rep.to_json())
    novel = [c for c in d["clusters"] if c["novel"]]
    d["evidence"] = {
        "passk": {"k": [1, 2, 4, 8], "base": [0.2, 0.3, 0.4, 0.5], "rl": [0.4, 0.45, 0.5, 0.52]},
        "budget": {
            "clusters": [
                {
                    "cluster": c["id"],
                    "problem_id": c["problem_id"],
                    "m": 0,
                    "n_base": 40,
                    "k": [1, 10, 40],
                    "miss_probability": [1.0, 1.0, 1.0],
                    "prevalence_upper_95": 0.07,
                }
                for c in novel
            ]
        },
    }
    d["evidence"]["passk"]["crossover_k"] = 8
    return d


def test_script_json_cannot_close_its_element():
    text = script_json({"t": "</script><!-- \u2028\u2029 & >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"t": "</script><!-- \u2028\u2029 & >"}


def test_page_escapes_every_trace_string_and_has_the_parts():
    d = hostile_report()
    page = render_html(d)
    assert SCRIPT not in page and IMG not in page and 'onerror="' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page  # visible as text in cards
    # Scripts: plotly.js, the figure JSON and the page's own code, nothing else.
    assert page.count("<script") == 3
    assert 'id="map-overall"' in page and 'id="map-problem"' in page
    for c in d["clusters"]:
        if c["novel"]:
            assert f'id="novel-{c["id"]}"' in page
    assert 'id="passk"' in page and 'id="budget"' in page
    assert (
        "http://" not in page.split("<script>")[0] and "https://" not in page.split("<script>")[0]
    )


def test_without_evidence_the_curves_say_why():
    d = hostile_report()
    del d["evidence"]
    page = render_html(d)
    assert 'id="passk"' not in page and "no pass@k curves" in page
    assert "no budget curves" in page


def test_map_marks_novel_clusters_and_downsamples_base_points():
    d = hostile_report()
    fig, note = map_figure(d["traces"], d["clusters"])
    names = [t["name"] for t in fig["data"]]
    assert note is None and names[0] == "base" and "RL, novel cluster" in names
    n_novel = sum(t["novel"] for t in d["traces"])
    assert len(fig["data"][names.index("RL, novel cluster")]["x"]) == n_novel
    # 120 points for 80 base and 80 RL: RL keeps every novel trace within half the room.
    small, note = map_figure(d["traces"], d["clusters"], max_points=120, seed=1)
    shown = {n["name"]: len(n["x"]) for n in small["data"]}
    assert shown == {"base": 60, "RL (colour: cluster)": 60 - n_novel, "RL, novel cluster": n_novel}
    assert "sampled with seed 1" in note and "60 of 80 base traces and 60 of 80 RL" in note
    again, _ = map_figure(d["traces"], d["clusters"], max_points=120, seed=1)
    assert again == small


def test_traces_table_matches_report():
    d = hostile_report()
    table = traces_table(d)
    assert table.num_rows == len(d["traces"])
    cols = table.to_pydict()
    for k in ("id", "problem_id", "model", "cluster", "base_nn_distance", "p_value", "novel"):
        assert k in cols
    assert cols["map_x"] == [t["map_x"] for t in d["traces"]]
    assert sum(cols["novel"]) == sum(t["novel"] for t in d["traces"])
    assert cols["p_value"][0] is None  # base traces have no conformal p-value


def test_cli_scan_writes_three_files_and_report_rerenders(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["scan", str(FIXTURES / "tiny.jsonl"), "--model", "hashing", "--no-cache"]
    res = runner.invoke(app, [*args, "--projection", "pca", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert {p.name for p in out.iterdir()} == {"report.json", "report.html", "traces.parquet"}
    first = (out / "report.html").read_text()
    (out / "report.html").unlink()
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "report.html").read_text() == first


@pytest.mark.parametrize(
    ("content", "needle"),
    [(None, "no report here"), ("{oops", "not valid JSON"), ('{"a": 1}', "not a novelty report")],
)
def test_report_command_rejects_what_is_not_a_report(tmp_path, content, needle):
    if content is not None:
        (tmp_path / "report.json").write_text(content)
    res = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert res.exit_code == 1 and needle in res.output and str(tmp_path) in res.output
    assert not (tmp_path / "report.html").exists()


def test_bad_map_option_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(
        app,
        [
            "scan",
            str(FIXTURES / "tiny.jsonl"),
            "--model",
            "hashing",
            "--no-cache",
            "--projection",
            "x",
        ],
    )
    assert res.exit_code == 2 and "projection" in res.output


def test_global_scope_and_no_map():
    recs = planted_records(n_problems=2, rl_mix={"a": 0.5, "new": 0.5}, seed=9)
    rep = scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole", scope="global")
    d = json.loads(rep.to_json())
    # Judged among all traces: the nearest base trace and keywords come from every base trace.
    rl_cluster = next(c for c in d["clusters"] if c["n_rl"])
    assert rl_cluster["problem_id"] == "*" and rl_cluster["nearest_base_id"] is not None
    page = render_html(d)
    assert 'id="map-problem"' in page and '<option value="0">*' in page
    for t in d["traces"]:
        del t["map_x"], t["map_y"]
    page = render_html(d)
    assert 'id="map-overall"' not in page and "No map" in page
