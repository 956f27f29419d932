"""Tests for the formats, adapters and mapping of novelty.ingest: every adapter, detection,
--map, folders, steps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REAL
from novelty.errors import ConfigError, InputError
from novelty.ingest import IngestOptions, ingest, parse_field_map, parse_steps
from novelty.ingest.adapters import prompt_problem_id
from novelty.ingest.formats import FORMATS, detect, get_format
from novelty.ingest.mapping import MISSING, resolve_path
from novelty.ingest.read import list_files, step_from_name
from novelty.types import BASE, RL

GRPO_PAIRED = REAL / "grpo_rollouts_qwen25_math_1p5b" / "paired_early_late_same_question.jsonl"


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def pair(tmp_path: Path, base: list[dict], rl: list[dict], name: str = "x.jsonl"):
    (tmp_path / "b").mkdir(exist_ok=True)
    (tmp_path / "r").mkdir(exist_ok=True)
    return write(tmp_path / "b" / name, base), write(tmp_path / "r" / name, rl)


def traces_of(source, **options):
    got = ingest(source, IngestOptions(**options))
    return got, sorted(got.traces, key=lambda t: (t.role, str(t.problem_id), t.text))


# ------------------------------------------------------------------------------ adapters
def test_rollouts_with_verdicts_inside(tmp_path):
    row = {
        "problem_id": "q1",
        "rollouts": [{"text": "add them", "correct": True}, {"text": "subtract", "correct": False}],
    }
    got, ts = traces_of(pair(tmp_path, [row], [{**row, "problem_id": "q1"}]))
    assert got.files[0].format == "rollouts"
    assert [(t.role, t.problem_id, t.text, t.correct) for t in ts[:2]] == [
        (BASE, "q1", "add them", True),
        (BASE, "q1", "subtract", False),
    ]
    assert len({t.id for t in ts}) == 4


@pytest.mark.parametrize(
    ("row", "verdicts"),
    [
        ({"prompt": "P", "code": ["x = 1", "x = 2"], "score": [1.0, 0.0]}, [True, False]),
        (
            {
                "question": "Q",
                "generations": ["a b", "c d"],
                "correctness_math_verify": [False, True],
            },
            [False, True],
        ),
        (
            {
                "prompt": "P",
                "responses": [{"content": "a b", "correctness": True}, {"content": "c"}],
            },
            [True, None],
        ),
        ({"prompt": "P", "outputs": [{"text": "a"}, {"text": "b"}]}, [None, None]),
    ],
)
def test_rollouts_parallel_lists_and_sample_objects(tmp_path, row, verdicts):
    _, ts = traces_of(pair(tmp_path, [row], [row]))
    base = [t for t in ts if t.role == BASE]
    assert sorted((t.correct is None, t.correct) for t in base) == sorted(
        (v is None, v) for v in verdicts
    )
    prompt = row.get("prompt", row.get("question"))
    assert {t.problem_id for t in ts} == {prompt_problem_id(prompt)}


def test_rollouts_parallel_list_of_wrong_length_names_the_line(tmp_path):
    base, rl = pair(
        tmp_path,
        [
            {"prompt": "P", "code": ["a"], "score": [1.0]},
            {"prompt": "P", "code": ["a"], "score": []},
        ],
        [{"prompt": "P", "code": ["a"], "score": [1.0]}],
    )
    with pytest.raises(InputError, match=re.escape(f"{base}:2: field 'score' has 0 items")):
        ingest((base, rl))


def test_lm_eval_log_samples(tmp_path):
    def sample(doc_id, resps, **metrics):
        return {
            "doc_id": doc_id,
            "doc": {"problem": "p"},
            "arguments": [["prompt", {}]],
            "resps": resps,
            "filtered_resps": [r[0] for r in resps],
            "doc_hash": "abc",
            "prompt_hash": "def",
            **metrics,
        }

    base, rl = pair(
        tmp_path,
        [
            sample(0, [["first try"]], exact_match=1.0),
            sample(1, [["a", "b", "c"]], exact_match=0.0),
        ],
        [sample(0, [["again"]], exact_match=0.0), sample(1, [["d"]])],
    )
    got, ts = traces_of((base, rl))
    assert [f.format for f in got.files] == ["lm-eval", "lm-eval"]
    by_text = {t.text: t for t in ts}
    assert by_text["first try"].problem_id == 0 and by_text["first try"].correct is True
    assert by_text["again"].correct is False
    # A per-document metric cannot judge one of several repeats: left unknown.
    assert by_text["a"].correct is None and by_text["c"].problem_id == 1
    assert len(ts) == 6


def test_lm_eval_reads_the_first_filter_only(tmp_path):
    def sample(doc_id, flt, match):
        return {"doc_id": doc_id, "resps": [[f"gen {doc_id}"]], "filter": flt, "exact_match": match}

    rows = [sample(0, "strict-match", 0.0), sample(0, "flexible-extract", 1.0)]
    rows += [sample(1, "strict-match", 1.0), sample(1, "flexible-extract", 1.0)]
    base, rl = pair(tmp_path, rows, rows)
    got, ts = traces_of((base, rl))
    assert len(ts) == 4 and got.files[0].n_records == 4
    assert [(t.problem_id, t.correct) for t in ts if t.role == BASE] == [(0, False), (1, True)]


def test_lm_eval_loglikelihood_task_is_refused(tmp_path):
    row = {"doc_id": 0, "resps": [[["-1.5", "False"]], [["-0.5", "True"]]], "filtered_resps": []}
    base, rl = pair(tmp_path, [row], [row])
    with pytest.raises(InputError, match=re.escape(f"{base}:1: ") + ".*loglikelihood"):
        ingest((base, rl))


def test_verl_dump_step_from_file_name(tmp_path):
    for side, steps in (("base", (0,)), ("rl", (100, 200))):
        (tmp_path / side).mkdir()
        for step in steps:
            write(
                tmp_path / side / f"{step}.jsonl",
                [
                    {"input": "Solve  x+1=2", "output": f"x is 1 ({side} {step})", "score": 1.0},
                    {"input": "Solve x+1=2", "output": f"x = 1 ({side} {step})", "score": 0.0},
                ],
            )
    got, ts = traces_of((tmp_path / "base", tmp_path / "rl"))
    assert [Path(f.path).name for f in got.files] == ["0.jsonl", "100.jsonl", "200.jsonl"]
    assert {f.format for f in got.files} == {"verl"}
    assert sorted({t.step for t in ts if t.role == RL}) == [100, 200]
    # Whitespace differences in the prompt do not split the problem.
    assert len({t.problem_id for t in ts}) == 1
    assert sum(t.correct for t in ts) == 3


def test_trl_parquet_sums_reward_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    def table(offset):
        return pa.table(
            {
                "step": [10 + offset, 10 + offset],
                "prompt": ["What is 2+2?", "What is 3+3?"],
                "completion": [f"four {offset}", f"six {offset}"],
                "accuracy_reward": [1.0, 0.0],
                "format_reward": [0.25, 0.25],
                "advantage": [0.5, -0.5],
            }
        )

    (tmp_path / "b").mkdir()
    (tmp_path / "r").mkdir()
    pq.write_table(table(0), tmp_path / "b" / "completions.parquet")
    pq.write_table(table(1), tmp_path / "r" / "completions.parquet")
    got, ts = traces_of(
        (tmp_path / "b" / "completions.parquet", tmp_path / "r" / "completions.parquet")
    )
    assert [f.format for f in got.files] == ["trl", "trl"]
    assert [(t.text, t.step, t.correct) for t in ts if t.role == BASE] == [
        ("four 0", 10, True),  # 1.25 >= 0.5
        ("six 0", 10, False),  # 0.25
    ]
    assert got.traces[0].line == 1 and got.traces[1].line == 2  # row numbers, for messages


def test_bad_parquet_is_an_input_error(tmp_path):
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match=re.escape(f"{bad}: cannot read parquet")):
        ingest(bad)


def test_chat_choices_with_reasoning_and_messages(tmp_path):
    msgs = [{"role": "user", "content": "Add 2 and 2."}]
    choice = {
        "index": 0,
        "message": {"role": "assistant", "content": "4", "reasoning_content": "two plus two"},
    }
    base_row = {"id": "chatcmpl-1", "model": "qwen", "messages": msgs, "choices": [choice, choice]}
    rl_row = {
        "model": "qwen-rl",
        "messages": [*msgs, {"role": "assistant", "content": [{"type": "text", "text": "4!"}]}],
    }
    got, ts = traces_of(pair(tmp_path, [base_row], [rl_row]), text="think")
    assert [f.format for f in got.files] == ["chat", "chat"]
    base = [t for t in ts if t.role == BASE]
    assert [t.text for t in base] == ["two plus two"] * 2 and base[0].model == "qwen"
    rl = [t for t in ts if t.role == RL]
    assert rl[0].text == "4!" and got.n_no_think == 1  # no reasoning: kept whole, counted
    assert len({t.problem_id for t in ts}) == 1  # same user turn, same problem


def test_prompt_completion_math500_shape(tmp_path):
    row = {"prompt": "Q1", "ground_truth": "3", "response": "it is 3", "metrics": {"reward": 1.0}}
    _, ts = traces_of(
        pair(tmp_path, [row, {**row, "prompt": "Q2"}], [row, {**row, "prompt": "Q2"}])
    )
    assert {t.problem_id for t in ts} == {prompt_problem_id("Q1"), prompt_problem_id("Q2")}
    assert all(t.correct for t in ts)


def test_grpo_phase_gives_role(tmp_path):
    def row(phase, step, k):
        return {
            "run": "r",
            "step": step,
            "phase": phase,
            "question_index": 7,
            "rollout_index": k,
            "question": "q",
            "response": f"reasoning {phase} {k}",
            "reward": 1.0,
        }

    path = write(tmp_path / "g.jsonl", [row("early", 1, 0), row("early", 1, 1), row("late", 90, 0)])
    got, ts = traces_of(path)
    assert got.files[0].format == "grpo"
    assert [(t.role, t.id, t.step) for t in ts] == [
        (BASE, "r/1/7/0", 1),
        (BASE, "r/1/7/1", 1),
        (RL, "r/90/7/0", 90),
    ]
    bad = write(tmp_path / "bad.jsonl", [row("early", 1, 0), row("middle", 5, 0)])
    with pytest.raises(InputError, match=re.escape(f"{bad}:2: field 'phase'")):
        ingest(bad)


@pytest.mark.skipif(not GRPO_PAIRED.is_file(), reason="../shared/data/real is absent")
def test_grpo_adapter_reads_the_real_rollouts_as_the_script_did():
    """scripts/real_grpo.py once converted these rows by hand; the adapter must agree with it."""
    rows = [json.loads(line) for line in GRPO_PAIRED.read_text().splitlines() if line.strip()]
    got = ingest(GRPO_PAIRED, IngestOptions(format="grpo"))
    assert got.files[0].format == "grpo" and not got.skipped
    assert [(t.problem_id, t.role, t.text, t.correct, t.step) for t in got.traces] == [
        (
            r["question_index"],
            BASE if r["phase"] == "early" else RL,
            r["response"],
            r["reward"] >= 0.5,
            r["step"],
        )
        for r in rows
    ]
    assert len({t.id for t in got.traces}) == len(rows)


# ------------------------------------------------------------------------------ detection
def test_detection_order_is_fixed_and_canonical_comes_first():
    assert FORMATS[0].name == "canonical"
    # A canonical record with extra keys that other formats use is still canonical.
    rec = {"text": "t", "problem_id": 1, "model": "rl", "prompt": "p", "response": "r"}
    assert detect(rec, path="f", line=1).name == "canonical"
    assert detect({"doc_id": 1, "resps": [["a"]]}, path="f", line=1).name == "lm-eval"
    assert detect({"input": "q", "output": "a"}, path="f", line=1).name == "verl"
    assert detect({"prompt": "q", "completion": "a", "step": 1}, path="f", line=1).name == "trl"
    assert detect({"prompt": "q", "completion": "a"}, path="f", line=1).name == "prompt-completion"


def test_unknown_format_names_file_line_keys_and_hints(tmp_path):
    path = write(tmp_path / "u.jsonl", [{"foo": 1, "bar": [2]}])
    with pytest.raises(InputError) as info:
        ingest(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}:1: unknown input format (keys: foo, bar)")
    assert "--format" in msg and "--map text=PATH" in msg


def test_forced_format_and_field_map(tmp_path):
    rows = [
        {"meta": {"qid": "q1", "who": "base"}, "out": {"choices": [{"text": "alpha beta"}]}},
        {"meta": {"qid": "q1", "who": "rl"}, "out": {"choices": [{"text": "gamma"}]}},
    ]
    path = write(tmp_path / "m.jsonl", rows)
    fmap = parse_field_map(["text=out.choices.0.text", "problem_id=meta.qid", "model=meta.who"])
    got, ts = traces_of(path, field_map=fmap)
    assert got.files[0].format == "canonical"  # no format matched; --map made it canonical
    assert [(t.role, t.problem_id, t.text) for t in ts] == [
        (BASE, "q1", "alpha beta"),
        (RL, "q1", "gamma"),
    ]
    missing = write(tmp_path / "miss.jsonl", [rows[0], {"meta": {"qid": "q1", "who": "rl"}}])
    with pytest.raises(InputError, match=re.escape(f"{missing}:2: --map text=out.choices.0.text")):
        ingest(missing, IngestOptions(field_map=fmap))
    # Forcing a format that does not fit: the loader says what is missing, with the line.
    with pytest.raises(InputError, match=re.escape(f"{path}:1: ") + "field 'resps'"):
        ingest(path, IngestOptions(format="lm-eval"))


@pytest.mark.parametrize(
    ("items", "match"),
    [
        (["text"], "expected FIELD=dotted.path"),
        (["=a"], "expected FIELD=dotted.path"),
        (["texts=a"], "unknown field 'texts'"),
        (["text=a..b"], "empty segment"),
        (["text=a", "text=b"], "gives 'text' twice"),
    ],
)
def test_bad_map_syntax(items, match):
    with pytest.raises(ConfigError, match=match):
        parse_field_map(items)


def test_resolve_path():
    rec = {"a": {"b": [10, {"c": "x"}]}}
    assert resolve_path(rec, "a.b.1.c") == "x"
    assert resolve_path(rec, "a.b.-2") == 10
    assert resolve_path(rec, "a.b.5") is MISSING
    assert resolve_path(rec, "a.z") is MISSING
    assert resolve_path(rec, "a.b.c") is MISSING


def test_prompt_problem_id_normalises_whitespace_only():
    assert prompt_problem_id("Solve  x\n+1") == prompt_problem_id(" Solve x +1 ")
    assert prompt_problem_id("Solve x+1") != prompt_problem_id("solve x+1")
    assert re.fullmatch(r"p-[0-9a-f]{12}", prompt_problem_id("q"))


def test_get_format_unknown():
    with pytest.raises(ConfigError, match="unknown format 'csv'; one of canonical, lm-eval"):
        get_format("csv")


# ------------------------------------------------------------------------------ sources
def test_folder_lists_supported_files_sorted(tmp_path):
    for name in ("b.jsonl", "a.jsonl.gz", "c.parquet", "notes.txt", "d.json"):
        (tmp_path / name).write_text("")
    assert [p.name for p in list_files(tmp_path)] == ["a.jsonl.gz", "b.jsonl", "c.parquet"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=re.escape(f"{empty}: folder holds no")):
        list_files(empty)


@pytest.mark.parametrize(
    ("name", "step"),
    [("120.jsonl", 120), ("step_7.parquet", 7), ("step-3.jsonl.gz", 3), ("rollouts.jsonl", None)],
)
def test_step_from_name(name, step):
    assert step_from_name(Path(name)) == step


def test_step_ranges_give_roles_and_drop_the_rest(tmp_path):
    rows = [
        {"text": f"t{s}-{k}", "problem_id": "p", "step": s}
        for s in (1, 5, 50, 181, 200)
        for k in (0, 1)
    ]
    path = write(tmp_path / "s.jsonl", rows)
    got, ts = traces_of(path, base_steps=(1, 20), rl_steps=(181, 200))
    assert sorted({(t.role, t.step) for t in ts}) == [(BASE, 1), (BASE, 5), (RL, 181), (RL, 200)]
    assert got.n_outside_steps == 2
    no_step = write(tmp_path / "n.jsonl", [*rows, {"text": "x", "problem_id": "p"}])
    with pytest.raises(InputError, match=re.escape(f"{no_step}:11: no integer 'step'")):
        ingest(no_step, IngestOptions(base_steps=(1, 20), rl_steps=(181, 200)))


def test_step_ranges_filter_each_side_of_a_pair(tmp_path):
    rows = [{"text": f"t{s}", "problem_id": "p", "step": s} for s in (1, 2, 3)]
    base, rl = pair(tmp_path, rows, rows)
    _, ts = traces_of((base, rl), base_steps=(1, 1), rl_steps=(3, 3))
    assert [(t.role, t.step) for t in ts] == [(BASE, 1), (RL, 3)]


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"base_steps": (1, 20)}, "go together"),
        ({"base_steps": (1, 20), "rl_steps": (10, 30)}, "overlap"),
        ({"text": "reasoning"}, "text must be one of"),
        ({"format": "csv"}, "unknown format"),
    ],
)
def test_bad_options(tmp_path, kw, match):
    path = write(tmp_path / "t.jsonl", [{"text": "a", "problem_id": "p", "model": "base"}])
    with pytest.raises(ConfigError, match=match):
        ingest(path, IngestOptions(**kw))


@pytest.mark.parametrize(
    ("value", "expected"), [("181-200", (181, 200)), ("5", (5, 5)), (None, None)]
)
def test_parse_steps(value, expected):
    assert parse_steps(value) == expected


@pytest.mark.parametrize("value", ["20-1", "a-b", "1-", "-3"])
def test_parse_steps_rejects(value):
    with pytest.raises(ConfigError, match="bad step range"):
        parse_steps(value)


def test_skip_invalid_collects_errors_in_order(tmp_path):
    path = tmp_path / "s.jsonl"
    good = [
        json.dumps({"text": f"t{i}", "problem_id": "p", "model": m})
        for i, m in enumerate(["base", "rl"] * 3)
    ]
    lines = [
        good[0],
        "{broken",
        good[1],
        json.dumps({"text": "", "problem_id": "p", "model": "rl"}),
        *good[2:],
    ]
    path.write_text("\n".join(lines) + "\n")
    got = ingest(path, IngestOptions(skip_invalid=True))
    assert len(got.traces) == 6
    assert [(e.line, e.message.split(" (")[0]) for e in got.skipped] == [
        (2, "invalid JSON"),
        (4, "field 'text' is empty"),
    ]
    record = got.record("full")
    assert record["n_skipped"] == 2 and record["skipped"][0].startswith(f"{path}:2: invalid JSON")
    with pytest.raises(InputError, match=re.escape(f"{path}:2: invalid JSON")):
        ingest(path)


def test_empty_think_block_is_a_line_error(tmp_path):
    rows = [
        {"text": "<think>a</think>x", "problem_id": "p", "model": "base"},
        {"text": "<think> </think>x", "problem_id": "p", "model": "rl"},
    ]
    path = write(tmp_path / "t.jsonl", rows)
    with pytest.raises(
        InputError, match=re.escape(f"{path}:2: the think part of the trace is empty")
    ):
        ingest(path, IngestOptions(text="think"))


# ------------------------------------------------------------------------------ robustness
_KEYS = sorted(
    {
        "text", "problem_id", "model", "id", "step", "reward", "correct", "prompt", "question",
        "response", "completion", "output", "input", "score", "doc_id", "resps", "choices",
        "messages", "rollouts", "samples", "code", "correctness_x", "question_index", "phase",
        "metrics", "content", "role", "message", "reasoning_content",
    }
)  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
_RECORDS = st.lists(
    st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=7), min_size=1, max_size=6
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    records=_RECORDS,
    fmt=st.sampled_from([None, *(f.name for f in FORMATS)]),
    text=st.sampled_from(["full", "think", "answer"]),
)
def test_any_json_records_give_traces_or_an_input_error(records, fmt, text):
    """Whatever shape the records have, every format either adapts them or names the record."""
    try:
        ingest(records, IngestOptions(format=fmt, text=text))
    except InputError as err:
        assert err.path == "<records>"
