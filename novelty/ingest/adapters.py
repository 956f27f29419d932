"""One adapter per input format: a raw record in, canonical records (DESIGN.md) out.

An adapter only renames and reshapes: it never judges a value (types, emptiness, NaN), because
every canonical record then goes through :class:`novelty.ingest.validate.Validator`, the one
place that does. It fails only when the record lacks the shape its format promises (``resps``
not a list), and then names the raw field. Reasoning kept apart by chat APIs
(``reasoning_content``) is put back inside ``<think>…</think>`` so that ``--text think`` can
select it like any other trace's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from novelty.errors import InputError
from novelty.ingest.validate import PROBLEM_ID_FIELDS

__all__ = ["Context", "prompt_problem_id"]

# Keys that hold the problem statement when a record has no problem id.
PROMPT_FIELDS = ("prompt", "question", "problem", "input", "instruction")
# Keys that hold one generated text.
TEXT_FIELDS = ("completion", "response", "output", "generation", "text", "content")
# Keys of a row that hold a list of samples for one problem.
SAMPLE_LIST_FIELDS = (
    "rollouts",
    "samples",
    "responses",
    "generations",
    "completions",
    "outputs",
    "code",
)
# Keys inside one sample (or parallel lists beside the samples) that say whether it is right.
CORRECT_FIELDS = ("correct", "is_correct", "correctness")
REWARD_FIELDS = ("reward", "score", "rewards", "scores")
# lm-evaluation-harness per-sample metrics that are a verdict on one generation.
LM_EVAL_METRICS = ("exact_match", "acc", "pass@1", "correct")
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Context:
    """Where a raw record came from, for error messages, and what the adapter keeps per file.

    ``state`` is one dict per file, shared by all its records (lm-eval repeats a document once
    per answer filter; the adapter remembers which filter it reads).
    """

    path: str
    line: int
    state: dict = field(default_factory=dict)

    def fail(self, message: str) -> InputError:
        return InputError(message, path=self.path, line=self.line)


Adapter = Callable[[Mapping, Context], list[dict]]


def prompt_problem_id(prompt: Any) -> str:
    """A problem id from the prompt itself, for dumps without ids: ``p-`` + 12 hex digits.

    The prompt is normalised first (chat messages joined as ``role: content``, Unicode NFKC,
    runs of whitespace collapsed, ends stripped) so the same question written by two tools,
    say a base and an RL run, gets the same id.
    """
    if isinstance(prompt, list):
        prompt = "\n".join(
            f"{m.get('role', '')}: {_content(m.get('content'))}"
            if isinstance(m, Mapping)
            else str(m)
            for m in prompt
        )
    norm = _WS.sub(" ", unicodedata.normalize("NFKC", str(prompt))).strip()
    return "p-" + hashlib.sha1(norm.encode("utf-8", "surrogatepass")).hexdigest()[:12]


# ------------------------------------------------------------------------------ helpers
def _first(rec: Mapping, names: tuple[str, ...]) -> tuple[str | None, Any]:
    for name in names:
        if rec.get(name) is not None:
            return name, rec[name]
    return None, None


def _content(value: Any) -> Any:
    """Chat content as text: a string, or the text parts of a list of parts joined."""
    if isinstance(value, list):
        parts = [p.get("text") for p in value if isinstance(p, Mapping)]
        if parts and all(isinstance(p, str) for p in parts):
            return "".join(parts)
    return value


def _with_reasoning(content: Any, reasoning: Any) -> Any:
    """Reasoning kept apart by the API, put back as ``<think>reasoning</think>content``."""
    if isinstance(reasoning, str) and reasoning.strip():
        tail = content if isinstance(content, str) else ""
        return f"<think>{reasoning}</think>{tail}"
    return content


def _message_text(msg: Any) -> Any:
    if not isinstance(msg, Mapping):
        return msg
    reasoning = msg.get("reasoning_content", msg.get("reasoning"))
    return _with_reasoning(_content(msg.get("content")), reasoning)


def _keys(rec: Mapping, n: int = 8) -> str:
    """The first ``n`` keys of a record, for a message that says what was found instead."""
    keys = [str(k) for k in rec]
    return (", ".join(keys[:n]) + (", ..." if len(keys) > n else "")) or "none"


def _carry(rec: Mapping, out: dict) -> dict:
    """Copy the canonical fields a foreign record may also have (model, step, domain, id)."""
    for name in ("model", "step", "domain", *PROBLEM_ID_FIELDS):
        if name not in out and rec.get(name) is not None:
            out[name] = rec[name]
    return out


def _verdict(value: Any, out: dict) -> None:
    """A correctness value of unknown kind: a bool is ``correct``, anything else a ``reward``."""
    if value is None:
        return
    if isinstance(value, bool):
        out["correct"] = value
    else:
        out["reward"] = value


def _with_prompt(rec: Mapping, out: dict) -> dict:
    _, prompt = _first(rec, PROMPT_FIELDS)
    if prompt is not None:
        out["prompt"] = prompt
    return _carry(rec, out)


# ------------------------------------------------------------------------------ adapters
def canonical(rec: Mapping, ctx: Context) -> list[dict]:
    return [dict(rec)]


def lm_eval(rec: Mapping, ctx: Context) -> list[dict]:
    """lm-evaluation-harness ``--log_samples``: ``resps`` is one list of generations per request.

    A task with several answer filters (gsm8k's strict and flexible match) logs each document
    once per filter with the same generations; only the first filter's lines are read.
    """
    first_filter = ctx.state.setdefault("filter", rec.get("filter"))
    if rec.get("filter") != first_filter:
        return []
    resps = rec.get("resps")
    if not isinstance(resps, list) or not resps:
        raise ctx.fail("field 'resps' must be a non-empty list (lm-eval --log_samples)")
    samples = resps[0] if isinstance(resps[0], list) else resps
    if len(resps) > 1 and isinstance(resps[0], list):
        raise ctx.fail(
            f"field 'resps' holds {len(resps)} requests: a loglikelihood task, not generations"
        )
    metric_name, metric = _first(rec, LM_EVAL_METRICS)
    out = []
    for text in samples:
        row = _carry(rec, {"text": text, "problem_id": rec.get("doc_id")})
        if metric_name is not None and len(samples) == 1:  # a per-doc metric judges one sample
            _verdict(metric, row)
        out.append(row)
    return out


def grpo(rec: Mapping, ctx: Context) -> list[dict]:
    """GRPO rollout logs: ``question_index`` is the problem, ``phase`` early/late the role."""
    row = {
        "text": rec.get("response"),
        "problem_id": rec.get("question_index"),
        "reward": rec.get("reward"),
    }
    phase = rec.get("phase")
    if phase is not None and "model" not in rec:
        roles = {"early": "base", "late": "rl"}
        if not isinstance(phase, str) or phase not in roles:
            raise ctx.fail(f"field 'phase' must be 'early' or 'late', found {phase!r}")
        row["model"] = roles[phase]
    parts = [rec.get(k) for k in ("run", "step", "question_index", "rollout_index")]
    if all(isinstance(p, str | int) and not isinstance(p, bool) for p in parts):
        row["id"] = "/".join(str(p) for p in parts)
    return [_carry(rec, row)]


def verl(rec: Mapping, ctx: Context) -> list[dict]:
    """verl generation dumps: ``input`` prompt, ``output`` text, ``score`` reward, ``step``.

    verl writes one file per step (``<step>.jsonl``); the ingester takes a missing step from it.
    """
    row = {"text": rec.get("output"), "prompt": rec.get("input")}
    _verdict(rec.get("score"), row)
    return [_carry(rec, row)]


def trl(rec: Mapping, ctx: Context) -> list[dict]:
    """TRL completions logs: ``prompt``/``completion`` (text or chat), one column per reward."""
    completion = rec.get("completion")
    if isinstance(completion, list):  # conversational: the assistant turns
        completion = "\n".join(str(_message_text(m)) for m in completion)
    row = {"text": completion, "prompt": rec.get("prompt")}
    if rec.get("reward") is not None:
        _verdict(rec["reward"], row)
    else:
        # No total column: the rewards are the per-function columns; their sum is the total.
        cols = [k for k in rec if "reward" in str(k).lower() and rec[k] is not None]
        values = [rec[k] for k in cols]
        if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            row["reward"] = float(sum(values))
        elif values:
            raise ctx.fail(f"reward columns {', '.join(cols)} must be numbers")
    return [_carry(rec, row)]


def chat(rec: Mapping, ctx: Context) -> list[dict]:
    """OpenAI / vLLM chat: ``messages`` ending in the assistant's turn, or ``choices``."""
    choices = rec.get("choices")
    if choices is not None:
        if not isinstance(choices, list) or not choices:
            raise ctx.fail("field 'choices' must be a non-empty list")
        out = []
        for k, choice in enumerate(choices):
            if not isinstance(choice, Mapping):
                raise ctx.fail("every item of 'choices' must be an object")
            if "message" not in choice and "text" not in choice:
                raise ctx.fail(
                    f"choice {k} has neither 'message' nor 'text' "
                    f"(its keys: {_keys(choice)}); force another format with --format"
                )
            text = _message_text(choice["message"]) if "message" in choice else choice.get("text")
            row = {"text": text}
            if rec.get("messages") is not None:
                row["prompt"] = rec["messages"]
            out.append(_with_prompt(rec, row))
        return out
    messages = rec.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ctx.fail("field 'messages' must be a non-empty list")
    last = messages[-1]
    if not isinstance(last, Mapping) or last.get("role") != "assistant":
        raise ctx.fail("the last of 'messages' must be the assistant's turn (role 'assistant')")
    row = {"text": _message_text(last), "prompt": messages[:-1]}
    return [_carry(rec, row)]


def fastchat(rec: Mapping, ctx: Context) -> list[dict]:
    """FastChat / MT-Bench answer files (``gen_model_answer.py``): one question per line.

    Each choice is one sample, its ``turns`` (the answers to the question's turns, in order)
    joined by a blank line; ``question_id`` is the problem and ``model_id`` the model. A choice's
    id is the line's ``answer_id`` and the choice's index.
    """
    choices = rec.get("choices")
    if not isinstance(choices, list) or not choices:
        raise ctx.fail("field 'choices' must be a non-empty list (FastChat answer file)")
    out = []
    for k, choice in enumerate(choices):
        turns = choice.get("turns") if isinstance(choice, Mapping) else None
        if not isinstance(turns, list) or not all(isinstance(t, str) for t in turns):
            raise ctx.fail(f"choice {k}: field 'turns' must be a list of strings (FastChat)")
        row = {"text": "\n\n".join(turns), "problem_id": rec.get("question_id")}
        if rec.get("model_id") is not None:
            row["model"] = rec["model_id"]
        answer_id = rec.get("answer_id")
        if isinstance(answer_id, str) and answer_id:
            row["id"] = f"{answer_id}-{choice.get('index', k)}"
        out.append(_carry(rec, row))
    return out


def openai_batch(rec: Mapping, ctx: Context) -> list[dict]:
    """OpenAI Batch API output (also vLLM's ``run_batch``): one request per line.

    ``custom_id`` names the problem; the body is a chat or text completion (every choice is a
    sample) or a Responses API response (one sample). A line whose ``error`` is set or whose
    ``status_code`` is not 200 is a bad line that says what the API answered.
    """
    custom_id = rec.get("custom_id")
    error = rec.get("error")
    if error:
        raise ctx.fail(f"request {custom_id!r} failed: {_api_error(error)}")
    response = rec.get("response")
    if not isinstance(response, Mapping):
        raise ctx.fail(f"request {custom_id!r} has no 'response' object (OpenAI Batch output)")
    body = response.get("body")
    status = response.get("status_code")
    if status != 200:
        why = _api_error(body.get("error")) if isinstance(body, Mapping) else None
        raise ctx.fail(f"request {custom_id!r} returned HTTP status {status}: {why or 'no body'}")
    if not isinstance(body, Mapping):
        raise ctx.fail(f"request {custom_id!r}: 'response.body' must be an object")
    if isinstance(body.get("choices"), list):
        rows = chat(body, ctx)
    elif isinstance(body.get("output"), list):
        rows = [{"text": _responses_text(body["output"])}]
    else:
        raise ctx.fail(
            f"request {custom_id!r}: 'response.body' has neither 'choices' nor 'output' "
            f"(its keys: {_keys(body)})"
        )
    line_id = rec.get("id")
    for k, row in enumerate(rows):
        row.pop("prompt", None)
        row["problem_id"] = custom_id
        if body.get("model") is not None:
            row["model"] = body["model"]
        if isinstance(line_id, str) and line_id:
            row["id"] = f"{line_id}-{k}"
    return rows


def _api_error(error: Any) -> str:
    """An API error object as ``code: message`` (or however much of it there is)."""
    if not isinstance(error, Mapping):
        return str(error)
    parts = [str(error[k]) for k in ("code", "message") if error.get(k)]
    return ": ".join(parts) or str(dict(error))


def _responses_text(output: list) -> Any:
    """A Responses API ``output``: the message's text, its reasoning summary as <think>."""
    texts = [t for item in output for t in _part_texts(item, "message", "content")]
    thought = "\n".join(t for item in output for t in _part_texts(item, "reasoning", "summary"))
    text = "".join(texts) if texts else None
    return _with_reasoning(text, thought) if text is not None or thought else None


def _part_texts(item: Any, kind: str, key: str) -> list[str]:
    """The ``text`` of each part under ``item[key]`` when ``item`` is of type ``kind``."""
    if not isinstance(item, Mapping) or item.get("type") != kind:
        return []
    parts = item.get(key) or []
    return [p["text"] for p in parts if isinstance(p, Mapping) and isinstance(p.get("text"), str)]


def rollouts(rec: Mapping, ctx: Context) -> list[dict]:
    """One problem per row, its samples in a list; verdicts inside them or in a parallel list."""
    name = next((n for n in SAMPLE_LIST_FIELDS if isinstance(rec.get(n), list)), None)
    if name is None:
        raise ctx.fail(f"no list of samples (one of {', '.join(SAMPLE_LIST_FIELDS)})")
    samples = rec[name]
    parallel = _parallel_verdicts(rec, name, len(samples), ctx)
    out = []
    for k, sample in enumerate(samples):
        if isinstance(sample, Mapping):
            _, text = _first(sample, TEXT_FIELDS)
            text = _with_reasoning(text, sample.get("reasoning_content", sample.get("reasoning")))
            row = {"text": text}
            _, verdict = _first(sample, CORRECT_FIELDS + REWARD_FIELDS)
            _verdict(verdict, row)
            for key in ("id", "step"):
                if sample.get(key) is not None:
                    row[key] = sample[key]
        else:
            row = {"text": sample}
        if parallel is not None and "correct" not in row and "reward" not in row:
            _verdict(parallel[k], row)
        out.append(_with_prompt(rec, row))
    return out


def _parallel_verdicts(rec: Mapping, name: str, n: int, ctx: Context) -> list | None:
    """A list beside the samples that judges them (``correctness_*``, ``score``, ``rewards``)."""
    keys = [k for k in rec if str(k).startswith("correctness")]
    keys += [k for k in CORRECT_FIELDS + REWARD_FIELDS if k in rec and k not in keys]
    for key in keys:
        value = rec[key]
        if isinstance(value, list):
            if len(value) != n:
                raise ctx.fail(f"field {key!r} has {len(value)} items but {name!r} has {n}")
            return value
    return None


def prompt_completion(rec: Mapping, ctx: Context) -> list[dict]:
    """A prompt and one completion per line, ids optional (MATH-500 results, ad-hoc dumps)."""
    _, text = _first(rec, TEXT_FIELDS[:4])
    row = {"text": text}
    metrics = rec.get("metrics")
    _, verdict = _first(rec, CORRECT_FIELDS + REWARD_FIELDS)
    if verdict is None and isinstance(metrics, Mapping):
        _, verdict = _first(metrics, CORRECT_FIELDS + REWARD_FIELDS)
    _verdict(verdict, row)
    return [_with_prompt(rec, row)]
