"""report.json written piece by piece (issue 13): the same text as ``json.dumps``."""

from __future__ import annotations

import enum
import json

import numpy as np
import pytest

from novelty.jsonout import json_chunks
from novelty.report import Report, finite, plain, write_report
from novelty.rows import TraceRow


class _Level(enum.IntEnum):
    HIGH = 3


def _row(i: int, **kw) -> TraceRow:
    return TraceRow(
        id=f"t{i}", problem_id=i, model="rl", model_name=None, cluster=-1,
        base_nn_distance=float("nan") if i == 1 else 0.25 * i, p_value=None, novel=bool(i % 2),
        correct=None, **kw,
    )  # fmt: skip


def _tricky() -> dict:
    return {
        "schema_version": "1.0",
        "empty": {},
        "none": [],
        "nested": {"a": [1, [], {}, (2.5, None)], 'é\n"q"': "naïve ✓ \u2028", 3: True},
        "keys": {1.5: 1, True: 0, None: 2, 7: -0.0},
        "odd": [float("inf"), -float("inf"), np.float64(0.1), _Level.HIGH, 10**30, 1e-300],
        "rows": [_row(i) for i in range(600)] + [_row(9, map_x=0.5, map_y=-1.0)],
        "last": "end",
    }


@pytest.mark.parametrize("chunk_chars", [1, 64, 1 << 20])
def test_chunks_are_json_dumps(chunk_chars):
    obj = _tricky()
    expected = json.dumps(finite(plain(obj)), indent=2, ensure_ascii=False)
    pieces = list(json_chunks(obj, chunk_chars))
    assert "".join(pieces) == expected
    if chunk_chars == 1:
        assert len(pieces) > 1  # handed out in pieces


@pytest.mark.parametrize("obj", [{}, [], "x", None, 1.5, [{"a": []}], {"a": 1}, {"a": []}])
def test_small_values(obj):
    assert "".join(json_chunks(obj)) == json.dumps(obj, indent=2, ensure_ascii=False)


def test_unserialisable_values_still_fail():
    with pytest.raises(TypeError):
        "".join(json_chunks({"a": {1, 2}}))
    with pytest.raises(TypeError):
        "".join(json_chunks({(1, 2): 1}))


def test_report_file_is_to_json(tmp_path):
    obj = _tricky()
    report = Report(config={"x": 1}, summary={"n": float("nan")}, traces=obj["rows"])
    text = write_report(report, tmp_path).read_text(encoding="utf-8")
    assert text == json.dumps(finite(report.to_dict()), indent=2, ensure_ascii=False) + "\n"
    assert report.to_json() + "\n" == text
