"""What a scan would read, without embedding anything (``novelty inspect``).

For each file: the format detected (or forced) and where each canonical field comes from; then
counts per role, model and problem, samples per problem, how many traces a scan would split
because a piece of their view exceeds the embedder's window (the scan's own ``n_chunked``), and
every line that a scan would stop at (or skip with ``--skip-invalid``). Word pieces are counted
with the bundled model's own tokenizer file (:mod:`~novelty.ingest.wordpieces`), so neither
torch nor the model is loaded.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from novelty.errors import InputError
from novelty.ingest.formats import get_format
from novelty.ingest.roles import check_base_samples, check_roles
from novelty.ingest.source import FileSummary, Ingested, IngestOptions, ingest
from novelty.ingest.wordpieces import count_word_pieces
from novelty.natural import natural_key
from novelty.types import BASE, RL, Trace
from novelty.views import DEFAULT_VIEW, apply_view

__all__ = ["DEFAULT_WINDOW", "count_word_pieces", "inspect_source", "render_inspection"]

# all-MiniLM-L6-v2's window in word pieces, [CLS] and [SEP] included: the max_seq_length of
# its sentence_bert_config.json.
DEFAULT_WINDOW = 256
_MAX_LISTED = 20
# What chose a file's format, in words (FileSummary.decided_by).
_HOW = {
    "keys": "detected from the first record's keys",
    "--format": "forced with --format",
    "--map": "canonical, from the fields named with --map",
}


def inspect_source(
    source: Any,
    options: IngestOptions | None = None,
    *,
    base_model: str | None = None,
    rl_model: str | Sequence[str] | None = None,
    reward_threshold: float = 0.5,
    scope: str = "problem",
    window: int = DEFAULT_WINDOW,
    view: str = DEFAULT_VIEW,
) -> dict[str, Any]:
    """Describe ``source`` as a scan with these settings would read it (plain dict, JSON-ready).

    Every bad line is listed (the first :data:`_MAX_LISTED`) and counted, as ``--skip-invalid``
    would skip it; ``fatal`` holds the error a scan would stop at, or None.
    ``would_skip_invalid`` tells whether the scan itself was asked to skip them. ``view`` is
    the scan's ``--view``: the window count is over the pieces that view embeds.
    """
    options = options or IngestOptions()
    asked_skip = options.skip_invalid
    lenient = replace(options, skip_invalid=True)
    got = ingest(
        source,
        lenient,
        base_model=base_model,
        rl_model=rl_model,
        reward_threshold=reward_threshold,
        per_problem=scope == "problem",
        check=False,
    )
    fatal = None
    if got.skipped and not asked_skip:
        # Leaving bad lines out is advice only when some lines are good.
        advice = " (use --skip-invalid to leave such lines out)" if got.traces else ""
        fatal = str(_first(got.skipped)) + advice
    else:
        try:
            names = [f.path for f in got.files]
            check_roles(got.traces, names[0], names[-1], scope == "problem")
            check_base_samples(got.traces, scope)
        except InputError as err:
            fatal = str(err)
    out: dict[str, Any] = {
        "files": [_file_entry(f, options) for f in got.files],
        **_counts(got.traces),
        "window": _window(got.traces, window, view),
        "n_skipped": len(got.skipped),
        "skipped": [str(e) for e in sorted(got.skipped, key=_where)[:_MAX_LISTED]],
        "n_outside_steps": got.n_outside_steps,
        "n_no_think": got.n_no_think if options.text != "full" else None,
        "text": options.text,
        "skip_invalid": asked_skip,
        "fatal": fatal,
        "warnings": _warnings(got),
    }
    return out


def _where(err: InputError) -> tuple[str, int]:
    return (err.path or "", err.line or 0)


def _first(errors: list[InputError]) -> InputError:
    return min(errors, key=_where)


def _file_entry(f: FileSummary, options: IngestOptions) -> dict[str, Any]:
    fields: dict[str, str] = {}
    if f.format is not None:
        fields.update(get_format(f.format).fields)
    fields.update({field: f"{path} (--map)" for field, path in options.field_map})
    return {
        "path": f.path,
        "role": f.role,
        "format": f.format,
        "how": _HOW[f.decided_by],
        "fields": fields,
        "n_records": f.n_records,
        "n_traces": f.n_traces,
        "step_from_name": f.step_from_name,
        "run": f.run,  # issue 15: the RL run this file is
    }


def _counts(traces: list[Trace]) -> dict[str, Any]:
    by_role: dict[str, Counter] = {BASE: Counter(), RL: Counter()}
    models: Counter = Counter()
    for t in traces:
        by_role[t.role][t.problem_id] += 1
        models[(t.role, t.model)] += 1
    problems = sorted(set(by_role[BASE]) | set(by_role[RL]), key=natural_key)
    per_role = {}
    for role, counter in by_role.items():
        sizes = list(counter.values())
        per_role[role] = {
            "n_traces": sum(sizes),
            "n_problems": len(sizes),
            "samples_per_problem": None
            if not sizes
            else {
                "min": min(sizes),
                "median": statistics.median(sizes),
                "max": max(sizes),
            },
            "n_correct": sum(t.correct is True for t in traces if t.role == role),
            "n_with_correct": sum(t.correct is not None for t in traces if t.role == role),
        }
    steps = sorted({t.step for t in traces if t.step is not None})
    return {
        "n_traces": len(traces),
        "roles": per_role,
        "models": [
            {"role": role, "model": model, "n_traces": n}
            for (role, model), n in sorted(models.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
        ],
        "n_problems": len(problems),
        "problems": [
            {"problem_id": p, "n_base": by_role[BASE][p], "n_rl": by_role[RL][p]} for p in problems
        ],
        "steps": None if not steps else {"min": steps[0], "max": steps[-1], "n": len(steps)},
    }


def _window(traces: list[Trace], window: int, view: str) -> dict[str, Any]:
    """How many traces the scan would split into windows: those with a piece of ``view``
    longer than ``window`` word pieces (special tokens included), as the scan counts them."""
    viewed = apply_view(traces, view) if traces else None
    counts = count_word_pieces([p for ps in viewed.pieces for p in ps]) if viewed else []
    if counts is None:
        return {"size": window, "n_over": None, "note": "tokenizer not found: not counted"}
    over, k = 0, 0
    for pieces in viewed.pieces if viewed else []:
        over += any(n > window for n in counts[k : k + len(pieces)])
        k += len(pieces)
    return {
        "size": window,
        "view": view,
        "n_over": over,
        "max_word_pieces": max(counts, default=0),
        "note": "longer pieces are split into windows and mean-pooled, never cut",
    }


def _warnings(got: Ingested) -> list[str]:
    out = []
    if got.n_no_think:
        out.append(f"{got.n_no_think} trace(s) have no think block; their whole text is kept")
    if got.n_outside_steps:
        out.append(f"{got.n_outside_steps} trace(s) lie outside the step ranges and are left out")
    return out


def render_inspection(info: dict[str, Any], console: Any, *, max_problems: int = 10) -> None:
    """The inspection as a few tables on a rich console (the CLI's; the library never prints)."""
    from rich.markup import escape
    from rich.table import Table

    for f in info["files"]:
        role = f" ({f['role']} side)" if f["role"] else ""
        if f.get("run") is not None:
            role = f" (RL run {escape(f['run'])})"
        console.print(
            f"[bold]{escape(f['path'])}[/bold]{role}: format [cyan]{f['format']}[/cyan] "
            f"({f['how']}); {f['n_records']} record(s) -> {f['n_traces']} trace(s)"
            + (f", step {f['step_from_name']} from its name" if f["step_from_name"] else "")
        )
        for field, where in f["fields"].items():
            console.print(f"    {field:<10} <- {escape(where)}", highlight=False)
    table = Table(title="per role")
    for col in ("role", "traces", "problems", "samples/problem min·median·max", "correct"):
        table.add_column(col)
    for role, r in info["roles"].items():
        spp = r["samples_per_problem"]
        table.add_row(
            role,
            str(r["n_traces"]),
            str(r["n_problems"]),
            "—" if spp is None else f"{spp['min']} · {spp['median']:g} · {spp['max']}",
            f"{r['n_correct']}/{r['n_with_correct']}" if r["n_with_correct"] else "—",
        )
    console.print(table)
    for m in info["models"]:
        name = "no model field" if m["model"] is None else f"model {m['model']!r}"
        console.print(f"{m['role']}: {m['n_traces']} trace(s), {escape(name)}", highlight=False)
    problems = info["problems"]
    console.print(
        f"{info['n_problems']} problem(s); first {min(max_problems, len(problems))}: "
        + ", ".join(
            f"{escape(str(p['problem_id']))} ({p['n_base']} base/{p['n_rl']} RL)"
            for p in problems[:max_problems]
        ),
        highlight=False,
    )
    if info["steps"]:
        st = info["steps"]
        console.print(f"steps {st['min']}–{st['max']} ({st['n']} distinct)")
    w = info["window"]
    if w["n_over"] is None:
        console.print(f"window: {w['note']}")
    else:
        console.print(
            f"{w['n_over']} trace(s) have a piece of the '{w['view']}' view over the "
            f"embedder's {w['size']}-word-piece window (longest piece {w['max_word_pieces']}); "
            f"{w['note']}"
        )
    if info["n_skipped"]:
        verb = "skipped" if info["skip_invalid"] else "invalid (a scan stops at the first)"
        console.print(f"[yellow]{info['n_skipped']} line(s) {verb}[/yellow]:")
        for line in info["skipped"]:
            console.print(f"    {escape(line)}", highlight=False)
    for warning in info["warnings"]:
        console.print(f"[yellow]note[/yellow]: {escape(warning)}")
    if info["fatal"] is None:
        console.print("[green]a scan with these options would read this input[/green]")
