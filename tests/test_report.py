import json
import math

from rich.console import Console

from conftest import PlantedEmbedder, planted_records
from novelty import read_report, scan, write_report
from novelty.atomic import atomic_write_text
from novelty.render import render_summary
from novelty.report import Report


def _report():
    recs = planted_records(rl_mix={"a": 0.5, "new": 0.5}, seed=9)
    return scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole")


def test_json_round_trip_and_schema(tmp_path):
    r = _report()
    path = write_report(r, tmp_path / "out")
    assert path.name == "report.json"
    d = json.loads(path.read_text())
    assert d["schema_version"] == r.schema_version
    back = read_report(tmp_path / "out")
    assert back.to_json() == r.to_json()


def test_non_finite_numbers_become_null():
    r = Report(config={}, summary={"radius": math.inf, "x": [math.nan, 1.0]})
    d = json.loads(r.to_json())
    assert d["summary"] == {"radius": None, "x": [None, 1.0]}


def test_atomic_write_leaves_no_temp_files(tmp_path):
    atomic_write_text(tmp_path / "a.json", "{}")
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_terminal_summary_names_novel_clusters():
    r = _report()
    console = Console(record=True, width=120)
    render_summary(r.to_dict(), console)
    text = console.export_text()
    assert "verdict" in text and "per problem" in text
    assert r.summary["novel"] and "novel cluster" in text
    assert r.novel_clusters[0]["exemplar_excerpt"][:20] in text
