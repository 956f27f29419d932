"""``traces.parquet``: one row per trace with its cluster, scores and map position.

For tools that read tables, not nested JSON (embedding-atlas, pandas, DuckDB). Written from the
report dict, so it always agrees with ``report.json``. ``problem_id`` is a string column, since
the input may mix numbers and strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from novelty._optional import require
from novelty.atomic import atomic_path

TABLE_NAME = "traces.parquet"

_FLOATS = ("base_nn_distance", "p_value", "map_x", "map_y", "problem_map_x", "problem_map_y")


def traces_table(report: dict[str, Any]) -> Any:
    """A ``pyarrow.Table``: id, problem_id, model, cluster, base_nn_distance, p_value, novel,
    correct, map_x, map_y, problem_map_x, problem_map_y, run, step, checkpoint (missing values
    are null)."""
    pa = require("pyarrow")
    rows = report.get("traces", [])
    cols: dict[str, Any] = {
        "id": pa.array([str(t["id"]) for t in rows], pa.string()),
        "problem_id": pa.array([str(t["problem_id"]) for t in rows], pa.string()),
        "model": pa.array([t["model"] for t in rows], pa.string()),
        "cluster": pa.array([int(t["cluster"]) for t in rows], pa.int64()),
    }
    for name in _FLOATS[:2]:
        cols[name] = pa.array([t.get(name) for t in rows], pa.float64())
    cols["novel"] = pa.array([bool(t["novel"]) for t in rows], pa.bool_())
    cols["correct"] = pa.array([t.get("correct") for t in rows], pa.bool_())
    for name in _FLOATS[2:]:
        cols[name] = pa.array([t.get(name) for t in rows], pa.float64())
    # issue 15 (and 12): the RL run, the step and the timeline checkpoint (null when absent)
    cols["run"] = pa.array([t.get("run") for t in rows], pa.string())
    cols["step"] = pa.array([t.get("step") for t in rows], pa.int64())
    cols["checkpoint"] = pa.array([t.get("checkpoint") for t in rows], pa.string())
    return pa.table(cols)


def write_table(table: Any, out_dir: str | Path) -> Path:
    """Write ``out_dir/traces.parquet`` atomically (temp file, then rename); returns its path."""
    pq = require("pyarrow.parquet")
    path = Path(out_dir) / TABLE_NAME
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return path
