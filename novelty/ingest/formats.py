"""Input formats as adapters onto the canonical table, chosen by the keys of a file's first record.

Each :class:`Format` says which keys identify it, how its fields map onto the canonical ones (for
``novelty inspect``) and which adapter reshapes a record. Detection tries the formats in the
order of :data:`FORMATS` and takes the first whose keys are all present, so it is deterministic
and a canonical file is never mistaken for anything else. ``--format`` skips detection and
``--map field=dotted.path`` fills any canonical field from anywhere in the raw record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from novelty.errors import ConfigError, InputError
from novelty.ingest import adapters as _a
from novelty.ingest.adapters import Context, prompt_problem_id
from novelty.ingest.mapping import MISSING, resolve_path
from novelty.ingest.validate import PROBLEM_ID_FIELDS

__all__ = ["FORMATS", "FORMAT_NAMES", "Format", "adapt", "detect", "format_names", "get_format"]


@dataclass(frozen=True, slots=True)
class Format:
    """One input format: its name, how to recognise it, and its adapter.

    ``match`` is true for a first record of this format; ``keys`` says in words what it looks
    for; ``fields`` maps each canonical field to where the adapter reads it.
    """

    name: str
    description: str
    keys: str
    match: Callable[[Mapping], bool]
    fields: dict[str, str]
    adapter: Callable[[Mapping, Context], list[dict]]


def _has(*names: str) -> Callable[[Mapping], bool]:
    return lambda rec: all(n in rec for n in names)


def _any_list(names: tuple[str, ...]) -> Callable[[Mapping], bool]:
    return lambda rec: any(isinstance(rec.get(n), list) for n in names)


def _fastchat(rec: Mapping) -> bool:
    choices = rec.get("choices")
    return (
        "question_id" in rec
        and isinstance(choices, list)
        and bool(choices)
        and isinstance(choices[0], Mapping)
        and "turns" in choices[0]
    )


def _prompt_and_text(rec: Mapping) -> bool:
    return any(k in rec for k in _a.PROMPT_FIELDS) and any(k in rec for k in _a.TEXT_FIELDS[:4])


_PROMPT_ID = "problem_id (or alias), else hash of " + "|".join(_a.PROMPT_FIELDS)

# Detection order: the first match wins, most specific key sets first.
FORMATS: tuple[Format, ...] = (
    Format(
        "canonical",
        "novelty's own JSONL (DESIGN.md input contract)",
        "text",
        _has("text"),
        {"text": "text", "problem_id": "problem_id|prompt_id|qid|doc_id|idx", "model": "model"},
        _a.canonical,
    ),
    Format(
        "lm-eval",
        "lm-evaluation-harness --log_samples",
        "doc_id + resps",
        _has("doc_id", "resps"),
        {"text": "resps[0][*]", "problem_id": "doc_id", "reward": "exact_match|acc (1 sample)"},
        _a.lm_eval,
    ),
    Format(
        "grpo",
        "GRPO rollout logs (run, step, question_index, rollout_index, response, reward)",
        "question_index + response",
        _has("question_index", "response"),
        {
            "text": "response",
            "problem_id": "question_index",
            "model": "phase (early=base, late=rl)",
            "reward": "reward",
            "step": "step",
            "id": "run/step/question_index/rollout_index",
        },
        _a.grpo,
    ),
    Format(
        "verl",
        "verl generation dumps",
        "input + output",
        _has("input", "output"),
        {
            "text": "output",
            "problem_id": "hash of input",
            "reward": "score",
            "step": "step",
        },
        _a.verl,
    ),
    Format(
        "trl",
        "TRL completions logs (parquet or JSONL)",
        "step + prompt + completion",
        _has("step", "prompt", "completion"),
        {
            "text": "completion",
            "problem_id": "hash of prompt",
            "reward": "reward, else sum of *reward* columns",
            "step": "step",
        },
        _a.trl,
    ),
    Format(
        "fastchat",
        "FastChat / MT-Bench answer files (gen_model_answer.py)",
        "question_id + choices[*].turns",
        _fastchat,
        {
            "text": "choices[*].turns joined by a blank line",
            "problem_id": "question_id",
            "model": "model_id",
            "id": "answer_id-index",
        },
        _a.fastchat,
    ),
    Format(
        "openai-batch",
        "OpenAI Batch API output (also vLLM run_batch)",
        "custom_id + response",
        _has("custom_id", "response"),
        {
            "text": "response.body.choices[*].message.content|text, or the Responses output",
            "problem_id": "custom_id",
            "model": "response.body.model",
            "id": "id-index",
        },
        _a.openai_batch,
    ),
    Format(
        "chat",
        "OpenAI / vLLM chat outputs",
        "choices or messages",
        lambda rec: isinstance(rec.get("choices"), list) or isinstance(rec.get("messages"), list),
        {
            "text": "choices[*].message.content|text or last assistant message, "
            "reasoning_content|reasoning as <think>",
            "problem_id": "hash of prompt|messages",
            "model": "model",
        },
        _a.chat,
    ),
    Format(
        "rollouts",
        "one problem per row with a list of samples",
        "a list in " + "|".join(_a.SAMPLE_LIST_FIELDS),
        _any_list(_a.SAMPLE_LIST_FIELDS),
        {
            "text": "<list>[*] or <list>[*].text|content|response|completion",
            "problem_id": _PROMPT_ID,
            "correct": "<list>[*].correct|correctness|score|reward or parallel correctness_*|score",
        },
        _a.rollouts,
    ),
    Format(
        "prompt-completion",
        "a prompt and one completion per line (e.g. MATH-500 results)",
        "prompt|question + completion|response|output",
        _prompt_and_text,
        {
            "text": "completion|response|output|generation",
            "problem_id": _PROMPT_ID,
            "reward": "correct|reward|score, or metrics.reward",
        },
        _a.prompt_completion,
    ),
)
_BY_NAME = {f.name: f for f in FORMATS}
FORMAT_NAMES = tuple(_BY_NAME)


def format_names() -> list[str]:
    """Names ``--format`` accepts, in detection order."""
    return list(FORMAT_NAMES)


def get_format(name: str) -> Format:
    """The format called ``name``; an unknown name is a ConfigError listing the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ConfigError(f"unknown format {name!r}; one of {', '.join(FORMAT_NAMES)}") from None


def detect(record: Mapping, *, path: str, line: int, field_map: tuple = ()) -> Format:
    """The first format of :data:`FORMATS` that ``record`` matches.

    With no match, ``--map`` that gives ``text`` makes it a canonical record with mapped fields;
    otherwise an InputError names the file, the line and the keys it saw.
    """
    for fmt in FORMATS:
        if fmt.match(record):
            return fmt
    if any(field == "text" for field, _ in field_map):
        return _BY_NAME["canonical"]
    keys = ", ".join(str(k) for k in list(record)[:12]) or "none"
    raise InputError(
        f"unknown input format (keys: {keys}); force one with --format "
        f"({'|'.join(FORMAT_NAMES)}) or name the fields with --map text=PATH --map "
        "problem_id=PATH",
        path=path,
        line=line,
    )


def adapt(
    fmt: Format, record: Mapping, ctx: Context, field_map: tuple[tuple[str, str], ...] = ()
) -> list[dict]:
    """Canonical records for one raw record: the adapter, then ``--map``, then prompt hashing.

    A mapped path applies to every sample of the record (a row of several samples shares it).
    A record with a ``prompt`` and no problem id gets :func:`prompt_problem_id`.
    """
    rows = fmt.adapter(record, ctx)
    for field, path in field_map:
        value = resolve_path(record, path)
        if value is MISSING:
            raise ctx.fail(f"--map {field}={path}: no such path in this record")
        for row in rows:
            row[field] = value
    for row in rows:
        prompt = row.pop("prompt", None)
        if prompt is not None and not any(row.get(n) is not None for n in PROBLEM_ID_FIELDS):
            row["problem_id"] = prompt_problem_id(prompt)
    return rows
