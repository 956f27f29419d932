"""The scan's result as plain data, and its atomic JSON file (the output contract of DESIGN.md).

JSON is the source of truth: the terminal summary and any later HTML are rendered from
:meth:`Report.to_dict`, never from state the JSON lacks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from novelty.atomic import atomic_path
from novelty.jsonout import INDENT, json_chunks

SCHEMA_VERSION = "1.0"
REPORT_NAME = "report.json"


@dataclass(slots=True)
class Report:
    """Everything a scan found.

    ``traces`` and ``clusters`` follow DESIGN.md's output contract field for field; ``problems``
    holds the per-problem counts and radius; ``summary`` the totals and the verdict;
    ``evidence`` what a reader checks around the verdict (pass@k, support changes, budget,
    diversity, drift, timeline, domains, base likelihood; :mod:`novelty.evidence`); ``runs``
    one row per RL run (:mod:`novelty.run_report`). A scan
    fills the rows with the frozen records of :mod:`novelty.rows`; a report read back from
    JSON holds plain dicts. Both read the same way (``row["novel"]``).
    """

    config: dict[str, Any]
    summary: Mapping[str, Any]
    problems: list[Mapping[str, Any]] = field(default_factory=list)
    clusters: list[Mapping[str, Any]] = field(default_factory=list)
    traces: list[Mapping[str, Any]] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION
    evidence: dict[str, Any] = field(default_factory=dict)
    runs: list[Mapping[str, Any]] = field(default_factory=list)  # issue 15: one per RL run
    # Issue 12: behaviours across problems; the negative control when it was run.
    behaviours: list[Mapping[str, Any]] = field(default_factory=list)
    negative_control: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts and lists (copies) in the order readers expect: schema first, traces
        last."""
        return plain(self._ordered())

    def _ordered(self) -> dict[str, Any]:
        """The top-level fields in the file's order, rows as they are (no copies)."""
        out = {
            "schema_version": self.schema_version,
            "config": self.config,
            "summary": self.summary,
            "problems": self.problems,
            "clusters": self.clusters,
            "runs": self.runs,
            "behaviours": self.behaviours,
        }
        if self.negative_control is not None:
            out["negative_control"] = self.negative_control
        return {**out, "evidence": self.evidence, "traces": self.traces}

    def to_json(self, *, indent: int | None = 2) -> str:
        """JSON text; non-finite floats become null so every JSON reader accepts it."""
        if indent == INDENT:  # issue 13: the same text, without the pure-Python encoder
            return "".join(json_chunks(self._ordered()))
        return json.dumps(finite(self.to_dict()), indent=indent, ensure_ascii=False)

    def json_chunks(self) -> Iterator[str]:
        """:meth:`to_json`'s text in pieces, for writing a large report without holding it."""
        return json_chunks(self._ordered())

    @property
    def novel_clusters(self) -> list[dict[str, Any]]:
        return [c for c in self.clusters if c["novel"]]

    @property
    def novel_trace_ids(self) -> list[str]:
        return [t["id"] for t in self.traces if t["novel"]]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        return cls(
            config=d["config"],
            summary=d["summary"],
            problems=d.get("problems", []),
            clusters=d.get("clusters", []),
            traces=d.get("traces", []),
            schema_version=d.get("schema_version", SCHEMA_VERSION),
            evidence=d.get("evidence", {}),
            runs=d.get("runs", []),
            behaviours=d.get("behaviours", []),
            negative_control=d.get("negative_control"),
        )


def plain(obj: Any) -> Any:
    """Mappings (typed rows included) as new dicts and sequences as new lists, recursively."""
    if isinstance(obj, Mapping):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    return obj


def finite(obj: Any) -> Any:
    """Replace NaN/inf (not valid JSON) with None, recursively."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj


def write_report(report: Report, out_dir: str | Path) -> Path:
    """Write ``out_dir/report.json`` atomically and return its path."""
    path = Path(out_dir) / REPORT_NAME
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        for piece in report.json_chunks():
            fh.write(piece)
        fh.write("\n")
    return path


def read_report_dict(path: str | Path) -> dict[str, Any]:
    """The plain dict of a report file (a directory or the JSON file), every key kept.

    Raises :class:`~novelty.errors.InputError`, naming the file, when it is missing, is not
    JSON, or is not a novelty report.
    """
    from novelty.errors import InputError

    p = Path(path)
    if p.is_dir():
        p = p / REPORT_NAME
    if not p.is_file():
        raise InputError("no report here (run `novelty scan ... --out DIR` first)", path=p)
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise InputError(f"not valid JSON ({err})", path=p, line=line) from None
    if not isinstance(d, dict):
        raise InputError("not a novelty report (not a JSON object)", path=p)
    missing = [k for k in ("schema_version", "summary", "clusters", "traces") if k not in d]
    if missing:
        raise InputError(f"not a novelty report (missing {', '.join(missing)})", path=p)
    return d


def read_report(path: str | Path) -> Report:
    """Load a report written by :func:`write_report` (a directory or the JSON file)."""
    p = Path(path)
    if p.is_dir():
        p = p / REPORT_NAME
    return Report.from_dict(json.loads(p.read_text(encoding="utf-8")))
