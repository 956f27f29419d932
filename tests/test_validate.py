"""Tests for novelty.ingest.read and .validate: the input contract of DESIGN.md and its errors.

Every load goes through :func:`novelty.ingest.ingest`, the one way in.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re

import numpy as np
import pytest

from novelty.errors import ConfigError, InputError
from novelty.ingest import ingest
from novelty.ingest.read import read_records
from novelty.types import BASE, RL, Trace


def load_traces(source, **kwargs):
    """The traces of one source (a file or records), read the way ``novelty scan`` reads them."""
    return ingest(source, **kwargs).traces


def load_pair(base, rl, **kwargs):
    """The traces of a ``--base BASE --rl RL`` pair."""
    return ingest((base, rl), **kwargs).traces


def rec(model="base", pid="p1", text="some reasoning", **extra):
    return {"model": model, "problem_id": pid, "text": text, **extra}


def derived(prefix, pid, text="some reasoning", k=0):
    """The id ``ingest`` derives for a line without one: model, problem, SHA-1 of the text,
    and ``-k`` for the (k+1)-th identical text of the same model and problem."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{pid}-{digest}" + (f"-{k}" if k else "")


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def good(tmp_path):
    return write_jsonl(
        tmp_path / "traces.jsonl",
        [rec("base", "p1"), rec("rl", "p1"), rec("base", "p2"), rec("rl", "p2")],
    )


def raises_at(path, line, match):
    """pytest.raises for an InputError at ``path``:``line`` whose message matches."""
    where = re.escape(f"{path}:{line}: ") if line is not None else re.escape(f"{path}: ")
    return pytest.raises(InputError, match="^" + where + match)


# --------------------------------------------------------------------------- happy paths


def test_loads_fields_roles_and_provenance(tmp_path):
    path = write_jsonl(
        tmp_path / "t.jsonl",
        [
            rec("base", "p1", "base text", id="b1", correct=True, step=0, domain="math"),
            rec("rl", "p1", "rl text", id="r1", correct=False, step=200),
        ],
    )
    traces = load_traces(path)
    assert traces == [
        Trace("b1", "p1", BASE, "base text", "base", True, 0, "math", str(path), 1),
        Trace("r1", "p1", RL, "rl text", "rl", False, 200, None, str(path), 2),
    ]


def test_returns_file_order_and_skips_blank_lines_but_counts_them(tmp_path):
    path = tmp_path / "t.jsonl"
    lines = [rec("rl", "p2"), rec("base", "p1"), rec("base", "p2"), rec("rl", "p1")]
    path.write_text(
        "\n".join(json.dumps(r) for r in lines[:2])
        + "\n\n   \n"
        + "\n".join(json.dumps(r) for r in lines[2:])
    )
    traces = load_traces(path)
    assert [(t.role, t.problem_id) for t in traces] == [
        (RL, "p2"),
        (BASE, "p1"),
        (BASE, "p2"),
        (RL, "p1"),
    ]
    assert [t.line for t in traces] == [1, 2, 5, 6]


def test_read_records_yields_line_and_dict(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 2}\n')
    assert list(read_records(path)) == [(1, {"a": 1}), (3, {"b": 2})]


def test_accepts_str_path_and_keeps_it_as_source(good):
    traces = load_traces(str(good))
    assert {t.source for t in traces} == {str(good)}


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (json.dumps(rec()) + "\n" + json.dumps(rec("rl"))).encode())
    assert [t.role for t in load_traces(path)] == [BASE, RL]


def test_windows_line_endings(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes((json.dumps(rec()) + "\r\n" + json.dumps(rec("rl")) + "\r\n").encode())
    assert [t.line for t in load_traces(path)] == [1, 2]


# --------------------------------------------------------------------------- problem id


@pytest.mark.parametrize("alias", ["problem_id", "prompt_id", "qid", "doc_id", "idx"])
def test_problem_id_aliases(tmp_path, alias):
    records = [{"model": m, "text": "t", alias: 7} for m in ("base", "rl")]
    traces = load_traces(write_jsonl(tmp_path / "t.jsonl", records))
    assert [t.problem_id for t in traces] == [7, 7]


def test_problem_id_alias_priority_follows_documented_order(tmp_path):
    records = [
        {"model": m, "text": "t", "idx": 0, "qid": "q", "prompt_id": "pr"} for m in ("base", "rl")
    ]
    traces = load_traces(write_jsonl(tmp_path / "t.jsonl", records))
    assert {t.problem_id for t in traces} == {"pr"}


def test_problem_id_keeps_its_type(tmp_path):
    records = [rec("base", 3), rec("rl", 3), rec("base", "3b"), rec("rl", "3b")]
    traces = load_traces(write_jsonl(tmp_path / "t.jsonl", records))
    assert [t.problem_id for t in traces] == [3, 3, "3b", "3b"]


# --------------------------------------------------------------------------- correct / reward


def test_reward_becomes_correct_at_threshold(tmp_path):
    records = [
        rec("base", reward=0.5),
        rec("base", reward=0.49),
        rec("rl", reward=1),
        rec("rl", reward=0),
        rec("rl"),
    ]
    path = write_jsonl(tmp_path / "t.jsonl", records)
    assert [t.correct for t in load_traces(path)] == [True, False, True, False, None]
    high = load_traces(path, reward_threshold=0.9)
    assert [t.correct for t in high] == [False, False, True, False, None]


def test_correct_wins_over_reward(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec(correct=False, reward=1.0), rec("rl")])
    assert load_traces(path)[0].correct is False


def test_null_optional_fields_count_as_absent(tmp_path):
    records = [rec(id=None, correct=None, reward=None, step=None, domain=None), rec("rl")]
    t = load_traces(write_jsonl(tmp_path / "t.jsonl", records))[0]
    assert (t.id, t.correct, t.step, t.domain) == (derived("base", "p1"), None, None, None)


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_reward_is_an_error(tmp_path, bad):
    path = tmp_path / "t.jsonl"
    path.write_text(
        json.dumps(rec()) + "\n" + f'{{"model": "rl", "problem_id": "p1", '
        f'"text": "t", "reward": {bad}}}\n'
    )
    with raises_at(path, 2, "field 'reward' must be a finite number, found number " + bad):
        load_traces(path)


@pytest.mark.parametrize("value", [float("nan"), -1.0 * float("inf"), True, "0.5"])
def test_reward_threshold_must_be_a_finite_number(good, value):
    with pytest.raises(ConfigError, match="reward_threshold must be a finite number"):
        load_traces(good, reward_threshold=value)


# --------------------------------------------------------------------------- ids


def test_derived_ids_hash_the_text_and_count_only_identical_texts(tmp_path):
    records = [
        rec("base", "p1", "a"),
        rec("rl", "p1", "a"),
        rec("base", "p1", "a"),
        rec("base", "p1", "b"),
        rec("base", 2, "a"),
        rec("rl", 2, "a"),
        rec("base", "p1", "a", id="given"),
        rec("base", "p1", "a"),
    ]
    traces = load_traces(write_jsonl(tmp_path / "t.jsonl", records))
    assert [t.id for t in traces] == [
        derived("base", "p1", "a"),
        derived("rl", "p1", "a"),
        derived("base", "p1", "a", 1),
        derived("base", "p1", "b"),
        derived("base", 2, "a"),
        derived("rl", 2, "a"),
        "given",
        derived("base", "p1", "a", 2),
    ]
    assert re.fullmatch(r"base-p1-[0-9a-f]{10}", traces[0].id)
    assert traces[0].id != traces[3].id  # different texts, different digests


def test_shuffled_lines_get_the_same_ids(tmp_path):
    records = [
        rec("base", "p1", "first"),
        rec("base", "p1", "second"),
        rec("base", "p1", "same"),
        rec("base", "p1", "same"),  # identical text: one gets the -1 suffix
        rec("rl", "p1", "first"),
        rec("rl", "p1", "third"),
        rec("base", "p2", "first"),
        rec("rl", "p2", "other"),
        rec("rl", "p2", "given", id="g1"),
    ]

    def pairs(order, name):
        traces = load_traces(write_jsonl(tmp_path / name, order))
        return {(t.id, t.text) for t in traces}

    expected = pairs(records, "in_order.jsonl")
    assert len(expected) == len(records)  # every line kept, every id distinct
    assert (derived("base", "p1", "same"), "same") in expected
    assert (derived("base", "p1", "same", 1), "same") in expected
    orders = [records[::-1]]
    for seed in range(3):
        order = records.copy()
        random.Random(seed).shuffle(order)
        orders.append(order)
    for i, order in enumerate(orders):
        assert order != records
        assert pairs(order, f"shuffled{i}.jsonl") == expected


def test_derived_ids_use_the_model_name(tmp_path):
    records = [rec("Qwen-7B", "p1"), rec("Qwen-7B-GRPO", "p1")]
    traces = load_traces(
        write_jsonl(tmp_path / "t.jsonl", records), base_model="Qwen-7B", rl_model="Qwen-7B-GRPO"
    )
    assert [t.id for t in traces] == [derived("Qwen-7B", "p1"), derived("Qwen-7B-GRPO", "p1")]


def test_integer_ids_become_strings(tmp_path):
    traces = load_traces(write_jsonl(tmp_path / "t.jsonl", [rec(id=1), rec("rl", id=2)]))
    assert [t.id for t in traces] == ["1", "2"]


def test_duplicate_id_names_both_lines(tmp_path):
    records = [rec(id="a"), rec("rl", id="b"), rec("rl", id="a")]
    path = write_jsonl(tmp_path / "t.jsonl", records)
    with raises_at(path, 3, r"duplicate id 'a' \(also at line 1\)"):
        load_traces(path)


def test_int_and_str_id_with_same_text_are_duplicates(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec(id=5), rec("rl", id="5")])
    with raises_at(path, 2, r"duplicate id '5' \(also at line 1\)"):
        load_traces(path)


def test_derived_id_colliding_with_a_later_given_id_is_an_error(tmp_path):
    clash = derived("base", "p1")
    records = [rec("base", "p1"), rec("rl", "p1", id=clash)]
    path = write_jsonl(tmp_path / "t.jsonl", records)
    with raises_at(path, 1, rf"derived id '{clash}' .* collides with the id at line 2"):
        load_traces(path)


def test_derived_id_colliding_with_an_earlier_given_id_is_an_error(tmp_path):
    clash = derived("base", "p1")
    records = [rec("rl", "p1", id=clash), rec("base", "p1")]
    path = write_jsonl(tmp_path / "t.jsonl", records)
    with raises_at(path, 2, rf"derived id '{clash}' .* collides with the id at line 1"):
        load_traces(path)


# --------------------------------------------------------------------------- model names


def test_model_names_map_to_roles(tmp_path):
    records = [rec("Qwen-base"), rec("Qwen-rl"), rec("base"), rec("rl")]
    traces = load_traces(
        write_jsonl(tmp_path / "t.jsonl", records), base_model="Qwen-base", rl_model="Qwen-rl"
    )
    assert [(t.role, t.model) for t in traces] == [
        (BASE, "Qwen-base"),
        (RL, "Qwen-rl"),
        (BASE, "base"),
        (RL, "rl"),
    ]


def test_given_name_overrides_a_colliding_literal(tmp_path):
    # A checkpoint literally named "rl" that is the base model here.
    records = [rec("rl"), rec("ppo")]
    traces = load_traces(
        write_jsonl(tmp_path / "t.jsonl", records), base_model="rl", rl_model="ppo"
    )
    assert [t.role for t in traces] == [BASE, RL]


def test_unknown_model_suggests_the_mapping_flags(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec("base"), rec("Qwen2.5-7B")])
    with raises_at(
        path,
        2,
        re.escape(
            "model 'Qwen2.5-7B' is neither 'base' nor 'rl'; map model names with "
            "--base-model NAME --rl-model NAME"
        ),
    ):
        load_traces(path)


def test_unknown_model_with_mapping_lists_known_names(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec("a"), rec("c")])
    with raises_at(path, 2, "model 'c' is not one of 'a', 'b', 'base', 'rl'"):
        load_traces(path, base_model="a", rl_model="b")


def test_model_names_are_case_sensitive_with_a_hint(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec("base"), rec("RL")])
    with raises_at(path, 2, r"model 'RL' is neither 'base' nor 'rl' \(names are case-sensitive\)"):
        load_traces(path)


def test_same_base_and_rl_model_is_a_config_error(good):
    with pytest.raises(ConfigError, match="base_model and rl_model are both 'x'"):
        load_traces(good, base_model="x", rl_model="x")


def test_empty_model_option_is_a_config_error(good):
    with pytest.raises(ConfigError, match="base_model must be a non-empty model name"):
        load_traces(good, base_model="")


# --------------------------------------------------------------------------- gzip


def test_reads_gzip(tmp_path):
    path = tmp_path / "t.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(rec()) + "\n\n" + json.dumps(rec("rl")) + "\n")
    traces = load_traces(path)
    assert [(t.role, t.line, t.source) for t in traces] == [
        (BASE, 1, str(path)),
        (RL, 3, str(path)),
    ]


def test_gzip_is_detected_by_content_not_name(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes(gzip.compress((json.dumps(rec()) + "\n" + json.dumps(rec("rl"))).encode()))
    assert len(load_traces(path)) == 2


def test_truncated_gzip_is_an_error(tmp_path):
    body = "".join(json.dumps(rec(text=f"trace {i} " * 20)) + "\n" for i in range(200))
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(gzip.compress(body.encode())[:-200])
    with pytest.raises(InputError, match=r"cannot read gzip data") as err:
        load_traces(path)
    assert err.value.path == str(path)


def test_gz_name_without_gzip_content_is_an_error(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl.gz", [rec(), rec("rl")])
    with raises_at(path, None, "name ends in .gz but the file is not gzip-compressed"):
        load_traces(path)


def test_corrupt_gzip_is_an_error(tmp_path):
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(b"\x1f\x8b" + b"\x00" * 30)
    with pytest.raises(InputError, match=r"t\.jsonl\.gz:1: cannot read gzip data"):
        load_traces(path)


# --------------------------------------------------------------------------- file-level errors


def test_missing_file(tmp_path):
    path = tmp_path / "nope.jsonl"
    with raises_at(path, None, "file not found$"):
        load_traces(path)


def test_directory(tmp_path):
    with raises_at(tmp_path, None, "is a directory"):
        list(read_records(tmp_path))


def test_folder_without_trace_files(tmp_path):
    (tmp_path / "notes.txt").write_text("not traces")
    with raises_at(tmp_path, None, r"folder holds no \*\.jsonl, \*\.jsonl\.gz, \*\.parquet file"):
        load_traces(tmp_path)


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "t.jsonl"
    path.write_text(content)
    with raises_at(path, None, "file is empty"):
        load_traces(path)


def test_invalid_json_names_line_and_parser_message(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(rec()) + "\n" + '{"model": "rl", "text": "t",}\n')
    with raises_at(path, 2, r"invalid JSON \(Expecting property name .* at column \d+\)"):
        load_traces(path)


def test_truncated_last_line_is_invalid_json(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(rec()) + "\n" + json.dumps(rec("rl"))[:-5])
    with raises_at(path, 2, "invalid JSON"):
        load_traces(path)


def test_json_array_file_gets_a_hint(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([rec(), rec("rl")], indent=2))
    with raises_at(path, 1, "invalid JSON .*expected JSON Lines"):
        load_traces(path)


@pytest.mark.parametrize(
    ("line", "found"),
    [("[1, 2]", "array"), ("42", "integer"), ('"text"', "string"), ("null", "null")],
)
def test_line_that_is_not_an_object(tmp_path, line, found):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(rec()) + "\n" + line + "\n")
    with raises_at(path, 2, f"expected a JSON object, found {found}$"):
        load_traces(path)


def test_invalid_utf8(tmp_path):
    path = tmp_path / "t.jsonl"
    good_line = json.dumps(rec()).encode() + b"\n"
    path.write_bytes(good_line + good_line.replace(b"some", b"s\xffme"))
    with raises_at(path, 2, r"not valid UTF-8 \(byte 0xff"):
        load_traces(path)


def test_non_ascii_text_is_fine(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec(text="∫ x dx, 答案"), rec("rl")])
    assert load_traces(path)[0].text == "∫ x dx, 答案"


# --------------------------------------------------------------------------- record errors


@pytest.mark.parametrize(
    ("record", "match"),
    [
        (
            {"model": "rl", "problem_id": "p1", "response": "x"},
            r"missing field 'text' \(fields present: model, problem_id, response\)",
        ),
        ({}, r"missing field 'text' \(the record is empty\)"),
        (rec("rl", text=""), "field 'text' is empty$"),
        (rec("rl", text=" \n\t"), "field 'text' is empty$"),
        (rec("rl", text=["a"]), r"field 'text' must be a string, found array \[\"a\"\]"),
        (
            {"model": "rl", "text": "t"},
            r"missing field 'problem_id' \(or one of prompt_id, qid, doc_id, idx\)",
        ),
        (rec("rl", pid=True), "field 'problem_id' must be a string or integer, found boolean"),
        (rec("rl", pid=1.5), "field 'problem_id' must be a string or integer, found number 1.5"),
        (rec("rl", pid=""), "field 'problem_id' is empty"),
        (
            {"model": "rl", "text": "t", "qid": [1]},
            "field 'qid' must be a string or integer, found array",
        ),
        ({"problem_id": "p1", "text": "t"}, "missing field 'model' .*--base-model NAME"),
        (rec(7), "field 'model' must be a string, found integer 7"),
        (rec("rl", id=1.0), "field 'id' must be a string or integer, found number 1.0"),
        (rec("rl", id=False), "field 'id' must be a string or integer, found boolean false"),
        (rec("rl", id=" "), "field 'id' is empty"),
        (rec("rl", correct=1), "field 'correct' must be a boolean, found integer 1"),
        (rec("rl", correct="yes"), "field 'correct' must be a boolean, found string \"yes\""),
        (rec("rl", reward="0.9"), "field 'reward' must be a finite number, found string"),
        (rec("rl", step=True), "field 'step' must be an integer, found boolean true"),
        (rec("rl", step="ten"), "field 'step' must be an integer, found string \"ten\""),
        (rec("rl", step=1.5), "field 'step' must be an integer, found number 1.5"),
        (rec("rl", domain=3), "field 'domain' must be a string, found integer 3"),
    ],
)
def test_bad_record_names_field_line_and_types(tmp_path, record, match):
    path = write_jsonl(tmp_path / "t.jsonl", [rec("base"), rec("rl"), record])
    with raises_at(path, 3, match):
        load_traces(path)


def test_long_bad_values_are_shortened(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec(text=["x" * 1000])])
    with pytest.raises(InputError) as err:
        load_traces(path)
    assert len(err.value.message) < 100
    assert err.value.message.endswith("...")


def test_error_carries_path_and_line(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec(), rec("rl", text="")])
    with pytest.raises(InputError) as err:
        load_traces(path)
    assert (err.value.path, err.value.line) == (str(path), 2)
    assert str(err.value) == f"{path}:2: field 'text' is empty"


# --------------------------------------------------------------------------- whole-file checks


def test_no_base_traces(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec("rl"), rec("rl")])
    with raises_at(path, None, "no base traces"):
        load_traces(path)


def test_no_rl_traces(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec("base"), rec("base", "p2")])
    with raises_at(path, None, "no RL traces"):
        load_traces(path)


def test_rl_problem_without_base_names_problem_and_first_line(tmp_path):
    records = [
        rec("base", "p1"),
        rec("rl", "p1"),
        rec("rl", "p9"),
        rec("rl", "p9"),
        rec("rl", "p8"),
    ]
    path = write_jsonl(tmp_path / "t.jsonl", records)
    with raises_at(
        path, 3, re.escape("problem 'p9' has RL traces but no base traces (1 more such problems)")
    ):
        load_traces(path)


def test_base_problem_without_rl_is_fine(tmp_path):
    path = write_jsonl(
        tmp_path / "t.jsonl", [rec("base", "p1"), rec("rl", "p1"), rec("base", "p2")]
    )
    assert len(load_traces(path)) == 3


def test_problem_id_type_mismatch_gets_a_hint(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [rec("base", 1), rec("rl", "1")])
    with raises_at(path, 2, "problem '1' has RL traces but no base traces; base traces use 1"):
        load_traces(path)


# --------------------------------------------------------------------------- two files


def test_load_pair_takes_roles_from_files(tmp_path):
    base = write_jsonl(tmp_path / "base.jsonl", [{"problem_id": "p1", "text": "b"}] * 2)
    rl = write_jsonl(
        tmp_path / "rl.jsonl",
        [{"problem_id": "p1", "text": "r", "model": "Qwen-GRPO", "reward": 1.0}],
    )
    traces = load_pair(base, rl)
    assert [(t.id, t.role, t.model, t.source, t.line, t.correct) for t in traces] == [
        (derived("base", "p1", "b"), BASE, None, str(base), 1, None),
        (derived("base", "p1", "b", 1), BASE, None, str(base), 2, None),
        (derived("Qwen-GRPO", "p1", "r"), RL, "Qwen-GRPO", str(rl), 1, True),
    ]


def test_load_pair_same_model_name_in_both_files_keeps_ids_unique(tmp_path):
    base = write_jsonl(tmp_path / "base.jsonl", [rec("qwen", "p1")])
    rl = write_jsonl(tmp_path / "rl.jsonl", [rec("qwen", "p1")])
    assert [t.id for t in load_pair(base, rl)] == [
        derived("qwen", "p1"),
        derived("qwen", "p1", k=1),
    ]


def test_load_pair_rejects_swapped_files(tmp_path):
    base = write_jsonl(tmp_path / "base.jsonl", [rec("rl")])
    rl = write_jsonl(tmp_path / "rl.jsonl", [rec("rl")])
    with raises_at(base, 1, "model 'rl' means rl but this is the base file; were --base and --rl"):
        load_pair(base, rl)


def test_load_pair_duplicate_id_across_files_names_the_other_file(tmp_path):
    base = write_jsonl(tmp_path / "base.jsonl", [rec(id="x")])
    rl = write_jsonl(tmp_path / "rl.jsonl", [rec("rl", id="y"), rec("rl", id="x")])
    with raises_at(rl, 2, re.escape(f"duplicate id 'x' (also at {base}:1)")):
        load_pair(base, rl)


def test_load_pair_rl_problem_without_base(tmp_path):
    base = write_jsonl(tmp_path / "base.jsonl", [rec(pid="p1")])
    rl = write_jsonl(tmp_path / "rl.jsonl", [rec("rl", "p1"), rec("rl", "p2")])
    with raises_at(rl, 2, "problem 'p2' has RL traces but no base traces"):
        load_pair(base, rl)


def test_load_pair_empty_rl_file(tmp_path):
    base = write_jsonl(tmp_path / "base.jsonl", [rec()])
    rl = tmp_path / "rl.jsonl"
    rl.write_text("")
    with raises_at(rl, None, "file is empty"):
        load_pair(base, rl)


# --------------------------------------------------------------------------- records from Python


def test_records_from_python():
    traces = load_traces([rec("base"), rec("rl", correct=True)])
    assert [(t.source, t.line, t.role, t.correct) for t in traces] == [
        ("<records>", 1, BASE, None),
        ("<records>", 2, RL, True),
    ]


def test_records_from_a_generator_report_position():
    records = (r for r in [rec("base"), rec("rl"), rec("rl", text="")])
    with pytest.raises(InputError, match=r"^<records>:3: field 'text' is empty$"):
        load_traces(records)


def test_records_must_be_mappings():
    with pytest.raises(InputError, match=r"^<records>:2: expected a mapping, found list$"):
        load_traces([rec(), ["not", "a", "dict"]])


def test_no_records():
    with pytest.raises(InputError, match=r"^<records>: no records$"):
        load_traces([])


def test_numpy_scalars_from_python_are_accepted():
    records = [
        rec("base", np.int64(3), step=np.int64(5), correct=np.bool_(True)),
        rec("rl", np.int64(3), reward=np.float32(0.25)),
    ]
    traces = load_traces(records)
    assert [(t.problem_id, t.step, t.correct) for t in traces] == [(3, 5, True), (3, None, False)]
    assert type(traces[0].problem_id) is int and type(traces[0].step) is int
    assert type(traces[0].correct) is bool
