"""Files other tools write, read through the CLI as a new user would (issue 14).

Every file here is shaped exactly like the other tool's documented output; the comment above
each builder says where that shape comes from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, read_jsonl
from novelty.cli import app
from novelty.ingest import ingest

runner = CliRunner()


def write(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def inspect_json(*args: str) -> tuple[int, dict | None, str]:
    res = runner.invoke(app, ["inspect", *args, "--json"])
    info = json.loads(res.stdout) if res.stdout.strip().startswith("{") else None
    return res.exit_code, info, res.output


def scan(tmp_path: Path, *args: str):
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        ["scan", *args, "--model", "hashing", "--no-cache", "--out", str(out), "-q"],
    )
    report = json.loads((out / "report.json").read_text()) if res.exit_code == 0 else None
    return res, report


def tiny_by_problem() -> dict[str, dict[str, list[str]]]:
    """The tiny fixture's texts: problem -> side -> texts (12 per side, 2 problems)."""
    out: dict[str, dict[str, list[str]]] = {}
    for r in read_jsonl(FIXTURES / "tiny.jsonl"):
        out.setdefault(r["problem_id"], {}).setdefault(r["model"], []).append(r["text"])
    return out


# ------------------------------------------------------------------ FastChat / MT-Bench
# Shape: lm-sys/FastChat fastchat/llm_judge/gen_model_answer.py writes, per question, one line
#   {"question_id": q, "answer_id": shortuuid, "model_id": model_id,
#    "choices": [{"index": i, "turns": [answer to turn 1, answer to turn 2, ...]}],
#    "tstamp": time.time()}
# to data/mt_bench/model_answer/<model_id>.jsonl (one file per model).
def fastchat_line(qid: int, model_id: str, answers: list[list[str]]) -> dict:
    return {
        "question_id": qid,
        "answer_id": f"{sum(map(ord, model_id)):x}Q{qid}",  # a shortuuid: unique per line
        "model_id": model_id,
        "choices": [{"index": i, "turns": turns} for i, turns in enumerate(answers)],
        "tstamp": 1700000000.0 + qid,
    }


def test_fastchat_answer_folder_reads_turns_question_and_model(tmp_path):
    texts = tiny_by_problem()
    answers = tmp_path / "mt_bench" / "model_answer"
    for side, model_id in (("base", "llama-2-7b"), ("rl", "llama-2-7b-grpo")):
        rows = [
            fastchat_line(81 + k, model_id, [[t, "And the follow-up turn."] for t in by[side]])
            for k, by in enumerate(texts.values())
        ]
        write(answers / f"{model_id}.jsonl", rows)
    code, info, out = inspect_json(
        str(answers), "--base-model", "llama-2-7b", "--rl-model", "llama-2-7b-grpo"
    )
    assert code == 0, out
    assert {f["format"] for f in info["files"]} == {"fastchat"}
    assert info["problems"] == [
        {"problem_id": 81, "n_base": 12, "n_rl": 12},
        {"problem_id": 82, "n_base": 12, "n_rl": 12},
    ]
    res, report = scan(
        tmp_path, str(answers), "--base-model", "llama-2-7b", "--rl-model", "llama-2-7b-grpo"
    )
    assert res.exit_code == 0, res.output
    traces = {t["id"]: t for t in report["traces"]}
    first = fastchat_line(81, "llama-2-7b", [])["answer_id"] + "-0"  # answer_id-index
    assert traces[first]["model_name"] == "llama-2-7b" and traces[first]["problem_id"] == 81
    # Each choice is one trace: its turns in order, a blank line apart.
    got = ingest(answers, base_model="llama-2-7b", rl_model="llama-2-7b-grpo")
    text = next(t.text for t in got.traces if t.id == first)
    assert text == texts[next(iter(texts))]["base"][0] + "\n\nAnd the follow-up turn."
    assert report["summary"]["n_traces"] == 48


def test_fastchat_read_as_chat_says_what_it_found(tmp_path):
    line = fastchat_line(81, "vicuna-7b", [["Hawaii trip.", "Rewritten."]])
    path = write(tmp_path / "vicuna-7b.jsonl", [line])
    res = runner.invoke(app, ["inspect", str(path), "--format", "chat"])
    assert res.exit_code == 1
    assert f"{path}:1: choice 0 has neither 'message' nor 'text' (its keys: index, turns)" in (
        " ".join(res.output.split())
    )
    assert "fields present: text" not in res.output  # the old self-contradicting message


# ------------------------------------------------------------------ OpenAI Batch API output
# Shape: OpenAI Batch API output file (platform.openai.com/docs/guides/batch, and the
# BatchRequestOutput schema of the OpenAPI spec): one line per request,
#   {"id": "batch_req_...", "custom_id": "...", "response": {"status_code": 200,
#    "request_id": "req_...", "body": <chat.completion object>}, "error": null}
# a failed request has "response": null and "error": {"code": ..., "message": ...}; an HTTP
# error keeps the response with its status_code and an error body. vLLM's run_batch writes
# the same lines.
def batch_line(n: int, custom_id: str, model: str, texts: list[str]) -> dict:
    return {
        "id": f"batch_req_{model[-2:]}{n:04d}",
        "custom_id": custom_id,
        "response": {
            "status_code": 200,
            "request_id": f"req_{n:04d}",
            "body": {
                "id": f"chatcmpl-{n}",
                "object": "chat.completion",
                "created": 1711652795,
                "model": model,
                "choices": [
                    {
                        "index": i,
                        "message": {"role": "assistant", "content": t, "refusal": None},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                    for i, t in enumerate(texts)
                ],
                "usage": {"prompt_tokens": 22, "completion_tokens": 2, "total_tokens": 24},
                "system_fingerprint": "fp_123",
            },
        },
        "error": None,
    }


def test_openai_batch_output_every_choice_is_a_sample(tmp_path):
    texts = tiny_by_problem()
    files = {}
    for side, model in (("base", "qwen2.5-7b"), ("rl", "qwen2.5-7b-rl")):
        rows = [batch_line(k, pid, model, by[side]) for k, (pid, by) in enumerate(texts.items())]
        files[side] = write(tmp_path / f"batch_{side}_output.jsonl", rows)
    res, report = scan(tmp_path, "--base", str(files["base"]), "--rl", str(files["rl"]))
    assert res.exit_code == 0, res.output
    assert {f["format"] for f in report["config"]["input_files"]} == {"openai-batch"}
    assert sorted(p["problem_id"] for p in report["problems"]) == sorted(texts)
    assert report["summary"]["n_base"] == report["summary"]["n_rl"] == 24
    assert {t["model_name"] for t in report["traces"]} == {"qwen2.5-7b", "qwen2.5-7b-rl"}


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            {"response": None, "error": {"code": "batch_expired", "message": "not run in time"}},
            "request 'p9' failed: batch_expired: not run in time",
        ),
        (
            {
                "response": {
                    "status_code": 400,
                    "request_id": "req_x",
                    "body": {"error": {"message": "max_tokens is too large", "code": None}},
                },
            },
            "request 'p9' returned HTTP status 400: max_tokens is too large",
        ),
    ],
)
def test_openai_batch_failed_request_is_a_bad_line(tmp_path, broken, message):
    texts = tiny_by_problem()
    pid, by = next(iter(texts.items()))
    good = batch_line(0, pid, "m-base", by["base"])
    bad = {**batch_line(1, "p9", "m-base", ["x"]), **broken}
    path = write(tmp_path / "out.jsonl", [good, bad])
    res = runner.invoke(app, ["inspect", str(path), "--base-model", "m-base"])
    assert res.exit_code == 1
    assert f"{path}:2: {message}" in " ".join(res.output.split())
    # The same file with --skip-invalid leaves the failed request out and keeps the rest.
    _, info, _ = inspect_json(str(path), "--base-model", "m-base", "--skip-invalid")
    assert info["n_skipped"] == 1 and info["roles"]["base"]["n_traces"] == 12


# ------------------------------------------------------------------ folders and steps
def test_folders_are_searched_recursively_and_string_steps_are_numbers(tmp_path):
    # verl writes one folder per run, one <step>.jsonl dump per step; TRL one folder per split.
    texts = tiny_by_problem()
    root = tmp_path / "runs"
    for k, (prompt, by) in enumerate(texts.items()):
        for run, side, step in (("run-a", "base", "0"), ("run-b", "rl", "200")):
            rows = [{"input": prompt, "output": t, "score": 1.0, "step": step} for t in by[side]]
            write(root / run / "rollouts" / f"part{k}.jsonl", rows)
    (root / ".cache").mkdir()
    write(root / ".cache" / "stale.jsonl", [{"nothing": "to read"}])  # hidden: left out
    code, info, out = inspect_json(str(root), "--base-steps", "0-0", "--rl-steps", "1-500")
    assert code == 0, out
    assert len(info["files"]) == 4 and all(f["format"] == "verl" for f in info["files"])
    assert info["steps"] == {"min": 0, "max": 200, "n": 2}
    assert info["roles"]["base"]["n_traces"] == info["roles"]["rl"]["n_traces"] == 24


# ------------------------------------------------------------------ one model per file
# Shape: lm-evaluation-harness --log_samples writes samples_<task>_<date>.jsonl, one line per
# document: {"doc_id", "doc", "target", "arguments", "resps": [[generation]],
# "filtered_resps", "filter", "metrics", "doc_hash", "prompt_hash", "target_hash",
# <metric>: value} (lm_eval/loggers/evaluation_tracker.py, lm_eval/evaluator.py).
def lm_eval_line(doc_id: int, text: str) -> dict:
    return {
        "doc_id": doc_id,
        "doc": {"question": f"q{doc_id}", "answer": "4"},
        "target": "4",
        "arguments": [["Question: q\nAnswer:", {"until": ["\n\n"], "do_sample": False}]],
        "resps": [[text]],
        "filtered_resps": [text],
        "filter": "strict-match",
        "metrics": ["exact_match"],
        "doc_hash": "a" * 64,
        "prompt_hash": "b" * 64,
        "target_hash": "c" * 64,
        "exact_match": 1.0,
    }


def test_a_single_model_file_gets_the_two_file_hint(tmp_path):
    path = write(tmp_path / "samples_gsm8k.jsonl", [lm_eval_line(k, "It is 4.") for k in range(3)])
    for command in ("inspect", "scan"):
        res = runner.invoke(app, [command, str(path), "--skip-invalid"])
        assert res.exit_code == 1, res.output
        said = " ".join(res.output.split())
        assert f"{path}:1: this lm-eval file names no model" in said
        assert "--base BASE --rl RL" in said and "--base-steps" in said
        assert "use --skip-invalid" not in said and "--base-model NAME" not in said
    # A verl folder alone, the other format the issue names.
    verl = write(tmp_path / "verl" / "100.jsonl", [{"input": "q", "output": "a", "score": 1}])
    res = runner.invoke(app, ["inspect", str(verl.parent)])
    assert res.exit_code == 1 and "this verl file names no model" in " ".join(res.output.split())
    # Given as two files, the same samples read.
    other = write(tmp_path / "samples_rl.jsonl", [lm_eval_line(k, "Four.") for k in range(3)])
    code, _, out = inspect_json("--base", str(path), "--rl", str(other), "--scope", "global")
    assert code == 0, out


def test_a_canonical_file_of_one_model_names_the_way_out(tmp_path):
    path = write(tmp_path / "t.jsonl", [{"text": "x = 1.", "problem_id": "p"}])
    res = runner.invoke(app, ["inspect", str(path)])
    said = " ".join(res.output.split())
    assert res.exit_code == 1 and "missing field 'model'" in said
    assert "give two files, --base BASE --rl RL" in said
    assert "use --skip-invalid" not in said  # it would drop every line


# ------------------------------------------------------------------ same file twice
@pytest.mark.parametrize("how", ["same", "dot", "folder"])
def test_the_same_file_as_base_and_rl_is_refused(tmp_path, how):
    path = write(tmp_path / "d" / "t.jsonl", read_jsonl(FIXTURES / "tiny.jsonl"))
    rl = {"same": str(path), "dot": str(tmp_path / "d" / "." / "t.jsonl"), "folder": str(path)}
    base = str(path.parent) if how == "folder" else str(path)
    for command in ("inspect", "scan"):
        res = runner.invoke(app, [command, "--base", base, "--rl", rl[how]])
        assert res.exit_code == 2, res.output
        said = " ".join(res.output.split())
        assert "--base and --rl" in said and "a trace cannot be both base and RL" in said
        assert "duplicate id" not in said and "--skip-invalid" not in said
