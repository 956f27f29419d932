"""The ``novelty`` command: a thin layer that builds a config and calls the library."""

from __future__ import annotations

import functools
import json
import logging
import os
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from novelty.errors import ConfigError, InputError, NoveltyError
from novelty.progress import Progress
from novelty.views import DEFAULT_VIEW

PANEL_INPUT = "Input"
PANEL_MODEL = "Embedding"
PANEL_STATS = "Statistics"
PANEL_OUTPUT = "Output"

app = typer.Typer(
    help="Does RL teach new reasoning strategies? Calibrated novelty of RL traces vs base.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

Alpha = Annotated[
    float, typer.Option(help="FDR level for novel clusters.", rich_help_panel=PANEL_STATS)
]
MinCluster = Annotated[
    int,
    typer.Option(
        help="Smallest cluster (and fewest RL traces a novel one needs).",
        rich_help_panel=PANEL_STATS,
    ),
]
Seed = Annotated[int, typer.Option(help="Random seed.", rich_help_panel=PANEL_STATS)]


def _check_format(value: str | None) -> str | None:
    if value is not None:
        from novelty.ingest import format_names

        if value not in format_names():
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(format_names())}")
    return value


def _check_map(values: list[str] | None) -> list[str] | None:
    if values:
        from novelty.formats import parse_field_map

        try:
            parse_field_map(values)
        except ConfigError as err:
            raise typer.BadParameter(str(err)) from None
    return values


def _check_steps(value: str | None) -> str | None:
    if value is not None:
        from novelty.ingest import parse_steps

        try:
            parse_steps(value)
        except ConfigError as err:
            raise typer.BadParameter(str(err)) from None
    return value


def _check_text(value: str) -> str:
    from novelty.think import TEXT_CHOICES

    if value not in TEXT_CHOICES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(TEXT_CHOICES)}")
    return value


FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="Input format: canonical, lm-eval, grpo, verl, trl, chat, rollouts, "
        "prompt-completion.",
        show_default="detected per file from its first record's keys",
        callback=_check_format,
        rich_help_panel=PANEL_INPUT,
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help="FIELD=dotted.path: read a canonical field (text, problem_id, model, id, correct, "
        "reward, step, domain, prompt) from anywhere in a record; repeatable.",
        callback=_check_map,
        rich_help_panel=PANEL_INPUT,
    ),
]
TextOpt = Annotated[
    str,
    typer.Option(
        "--text",
        help="What of a trace to keep: 'full', 'think' (inside <think>…</think>) or 'answer' "
        "(after </think>); a trace without a think block is kept whole.",
        callback=_check_text,
        rich_help_panel=PANEL_INPUT,
    ),
]
SkipInvalid = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Leave bad lines out (counted and listed) instead of stopping at the first.",
        rich_help_panel=PANEL_INPUT,
    ),
]
BaseSteps = Annotated[
    str | None,
    typer.Option(
        help="Steps FIRST-LAST whose traces are base (with --rl-steps; one file or folder), or "
        "that the --base file keeps.",
        callback=_check_steps,
        rich_help_panel=PANEL_INPUT,
    ),
]
RlSteps = Annotated[
    str | None,
    typer.Option(
        help="Steps FIRST-LAST whose traces are RL (or that the --rl file keeps).",
        callback=_check_steps,
        rich_help_panel=PANEL_INPUT,
    ),
]
BaseModel = Annotated[
    str | None,
    typer.Option(help="The `model` value that marks base traces.", rich_help_panel=PANEL_INPUT),
]
RlModel = Annotated[
    list[str] | None,
    typer.Option(
        help="The `model` value that marks RL traces; repeat it for RL checkpoints in training "
        "order (the timeline's checkpoints).",
        metavar="<str>",
        rich_help_panel=PANEL_INPUT,
    ),
]
CorrectThreshold = Annotated[
    float,
    typer.Option(
        help="A `reward` at or above this counts as correct.", rich_help_panel=PANEL_INPUT
    ),
]
Sources = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Files or folders read as one source (like scan's TRACES).", show_default=False
    ),
]
BasePath = Annotated[
    Path | None,
    typer.Option(
        "--base",
        help="A file or folder whose traces are all base (with --rl).",
        rich_help_panel=PANEL_INPUT,
    ),
]
RlPath = Annotated[
    Path | None,
    typer.Option(
        "--rl",
        help="A file or folder whose traces are all RL (with --base).",
        rich_help_panel=PANEL_INPUT,
    ),
]
Scope = Annotated[
    str,
    typer.Option(
        help="'problem' (compare within a problem) or 'global'.", rich_help_panel=PANEL_STATS
    ),
]


class _RichProgress(Progress):
    """A rich progress bar behind :class:`novelty.progress.Progress`."""

    def __init__(self, console) -> None:
        from rich import progress as rich_progress

        self._bar = rich_progress.Progress(
            "[progress.description]{task.description}",
            rich_progress.BarColumn(),
            rich_progress.MofNCompleteColumn(),
            rich_progress.TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task = None

    def start(self, stage: str, total: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task(stage, total=total)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def finish(self) -> None:
        self._bar.stop()


def _friendly_errors(fn):
    """Known errors become one line on stderr and exit 1 (2 for bad settings), no traceback.

    ``NOVELTY_DEBUG=1`` re-raises them with the full traceback.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NoveltyError as e:
            if os.environ.get("NOVELTY_DEBUG") == "1":
                raise
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2 if isinstance(e, ConfigError) else 1) from None

    return wrapper


@app.command()
@_friendly_errors
def scan(
    traces: Annotated[
        Path | None,
        typer.Argument(
            help="Traces: a .jsonl, .jsonl.gz or .parquet file, or a folder of them.",
            show_default=False,
        ),
    ] = None,
    base: BasePath = None,
    rl: RlPath = None,
    base_model: BaseModel = None,
    rl_model: RlModel = None,
    correct_threshold: CorrectThreshold = 0.5,
    input_format: FormatOpt = None,
    field_map: MapOpt = None,
    text: TextOpt = "full",
    skip_invalid: SkipInvalid = False,
    base_steps: BaseSteps = None,
    rl_steps: RlSteps = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="sentence-transformers model name or path [default: offline all-MiniLM-L6-v2].",
            rich_help_panel=PANEL_MODEL,
        ),
    ] = None,
    view: Annotated[
        str,
        typer.Option(
            help="What is embedded: 'steps' (each step that computes, once, averaged), "
            "'strategy' (the trace without hesitation, as one text) or 'whole'.",
            rich_help_panel=PANEL_MODEL,
        ),
    ] = DEFAULT_VIEW,
    batch_size: Annotated[int, typer.Option(min=1, rich_help_panel=PANEL_MODEL)] = 32,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Do not read or write the embedding cache.",
            rich_help_panel=PANEL_MODEL,
        ),
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help="Embedding cache folder (default ~/.cache/novelty or $NOVELTY_CACHE_DIR).",
            file_okay=False,
            rich_help_panel=PANEL_MODEL,
        ),
    ] = None,
    alpha: Alpha = 0.05,
    min_cluster_size: MinCluster = 5,
    min_samples: Annotated[
        int,
        typer.Option(
            min=1, help="HDBSCAN min_samples (density smoothing).", rich_help_panel=PANEL_STATS
        ),
    ] = 1,
    hdbscan_min_cluster_size: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="HDBSCAN min_cluster_size [default: min-cluster-size].",
            rich_help_panel=PANEL_STATS,
        ),
    ] = None,
    scope: Scope = "problem",
    fdr: Annotated[
        str,
        typer.Option(
            help="'bh' (Benjamini–Hochberg) or 'by' (any dependence).", rich_help_panel=PANEL_STATS
        ),
    ] = "bh",
    seed: Seed = 0,
    out: Annotated[
        Path,
        typer.Option(
            help="Folder for report.json, report.html and traces.parquet.",
            file_okay=False,
            rich_help_panel=PANEL_OUTPUT,
        ),
    ] = Path("novelty-out"),
    projection: Annotated[
        str,
        typer.Option(
            "--projection",
            help="2-D map of the traces: 'auto' (UMAP when umap-learn is installed, else PCA), "
            "'umap', 'pca' or 'none'.",
            rich_help_panel=PANEL_OUTPUT,
        ),
    ] = "auto",
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the summary as JSON on stdout.", rich_help_panel=PANEL_OUTPUT
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar.", rich_help_panel=PANEL_OUTPUT)
    ] = False,
) -> None:
    """Scan base and RL traces and write OUT/report.json, report.html and traces.parquet."""
    from rich.console import Console

    from novelty.pipeline import ScanConfig
    from novelty.pipeline import scan as run_scan
    from novelty.render import render_summary

    source = _source([traces] if traces is not None else [], base, rl)

    overrides = dict(
        alpha=alpha,
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        hdbscan_min_cluster_size=hdbscan_min_cluster_size,
        view=view,
        scope=scope,
        fdr_method=fdr,
        seed=seed,
        reward_threshold=correct_threshold,
        base_model=base_model,
        rl_model=_rl_model(rl_model),
        batch_size=batch_size,
        projection=projection,
        **asdict(
            _ingest_options(input_format, field_map, text, skip_invalid, base_steps, rl_steps)
        ),
    )
    err = Console(stderr=True)
    progress = None if quiet or not err.is_terminal else _RichProgress(err)
    cache = None if no_cache else (cache_dir if cache_dir is not None else "default")
    report = run_scan(
        source, ScanConfig(**overrides), embedder=model, cache=cache, progress=progress
    )
    path = _write_outputs(report, out)
    if as_json:
        typer.echo(json.dumps(report.to_dict()["summary"], indent=2))
        return
    console = Console()
    render_summary(report.to_dict(), console)
    for f in report.config.get("input_files", []):
        how = "detected from its keys" if f["detected"] else "forced with --format"
        console.print(f"input {f['path']}: format {f['format']} ({how})", highlight=False)
    console.print(f"report: {path} (and report.html, traces.parquet)")


def _write_outputs(report, out: Path) -> Path:
    """report.json, report.html and traces.parquet: all rendered before any is written, so a
    failure leaves nothing half written."""
    from novelty.html_report import render_html, write_html_text
    from novelty.report import write_report
    from novelty.table import traces_table, write_table

    d = json.loads(report.to_json())
    page = render_html(d)
    table = traces_table(d)
    path = write_report(report, out)
    write_html_text(page, out)
    write_table(table, out)
    return path


@app.command("report")
@_friendly_errors
def report_cmd(
    directory: Annotated[
        Path,
        typer.Argument(
            help="A folder written by `novelty scan` (or its report.json).", show_default=False
        ),
    ],
) -> None:
    """Re-render DIR/report.html from DIR/report.json (no re-embedding)."""
    from novelty.html_report import render_html, write_html_text
    from novelty.report import read_report_dict

    d = read_report_dict(directory)
    out = directory if directory.is_dir() else directory.parent
    path = write_html_text(render_html(d), out)
    typer.echo(f"wrote {path}")


@app.command()
@_friendly_errors
def passk(
    files: Sources = None,
    base: BasePath = None,
    rl: RlPath = None,
    base_model: BaseModel = None,
    rl_model: RlModel = None,
    correct_threshold: CorrectThreshold = 0.5,
    input_format: FormatOpt = None,
    field_map: MapOpt = None,
    text: TextOpt = "full",
    skip_invalid: SkipInvalid = False,
    base_steps: BaseSteps = None,
    rl_steps: RlSteps = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the table as JSON.", rich_help_panel=PANEL_OUTPUT),
    ] = False,
) -> None:
    """pass@k of base and RL per problem and averaged (no embedding): the crossover k."""
    from rich.console import Console

    from novelty.ingest import ingest
    from novelty.passk import passk_from_traces
    from novelty.render import render_passk

    source = _source(list(files or []), base, rl)
    got = ingest(
        source,
        _ingest_options(input_format, field_map, text, skip_invalid, base_steps, rl_steps),
        base_model=base_model,
        rl_model=_rl_model(rl_model),
        reward_threshold=correct_threshold,
        per_problem=False,
    )
    table = passk_from_traces(got.traces)
    if table is None:
        raise InputError(
            "no problem has traces with 'correct' or 'reward' on both sides; pass@k needs them",
            path=source if isinstance(source, Path) else None,
        )
    if as_json:
        typer.echo(json.dumps(table, indent=2))
        return
    render_passk(table, Console())


def _ingest_options(input_format, field_map, text, skip_invalid, base_steps, rl_steps):
    """The IngestOptions that scan, inspect and passk's shared input options name."""
    from novelty.formats import parse_field_map
    from novelty.ingest import IngestOptions, parse_steps

    return IngestOptions(
        format=input_format,
        field_map=parse_field_map(field_map or []),
        text=text,
        skip_invalid=skip_invalid,
        base_steps=parse_steps(base_steps),
        rl_steps=parse_steps(rl_steps),
    )


def _rl_model(values: list[str] | None) -> str | tuple[str, ...] | None:
    """One --rl-model as the plain name (as before), several as the checkpoints' tuple."""
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def _source(files: list[Path], base: Path | None, rl: Path | None):
    """The source the options name: one path, several, or a (base, rl) pair; checked to exist."""
    if (base is None) != (rl is None):
        raise typer.BadParameter("--base and --rl go together")
    if not files and base is None:
        raise typer.BadParameter("give a traces file or folder, or --base PATH --rl PATH")
    if files and base is not None:
        raise typer.BadParameter("give traces files or --base/--rl, not both")
    for p in (*files, base, rl):
        if p is not None and not p.exists():
            raise InputError("file not found", path=p)
    if base is not None:
        return (base, rl)
    return files[0] if len(files) == 1 else list(files)


@app.command()
@_friendly_errors
def inspect(
    files: Sources = None,
    base: BasePath = None,
    rl: RlPath = None,
    base_model: BaseModel = None,
    rl_model: RlModel = None,
    correct_threshold: CorrectThreshold = 0.5,
    input_format: FormatOpt = None,
    field_map: MapOpt = None,
    text: TextOpt = "full",
    skip_invalid: SkipInvalid = False,
    base_steps: BaseSteps = None,
    rl_steps: RlSteps = None,
    scope: Scope = "problem",
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the inspection as JSON.", rich_help_panel=PANEL_OUTPUT),
    ] = False,
) -> None:
    """Show how the input would be read (format, fields, counts, what is skipped); embeds nothing.

    Exits 1 when a scan with the same options would stop on this input.
    """
    from rich.console import Console

    from novelty.inspect import inspect_source, render_inspection

    if scope not in ("problem", "global"):
        raise typer.BadParameter(f"--scope must be 'problem' or 'global', got {scope!r}")
    source = _source(list(files or []), base, rl)
    options = _ingest_options(input_format, field_map, text, skip_invalid, base_steps, rl_steps)
    info = inspect_source(
        source,
        options,
        base_model=base_model,
        rl_model=_rl_model(rl_model),
        reward_threshold=correct_threshold,
        scope=scope,
    )
    if as_json:
        typer.echo(json.dumps(info, indent=2, ensure_ascii=False, default=str))
    else:
        render_inspection(info, Console())
    if info["fatal"] is not None:
        if not as_json:
            typer.echo(f"error: {info['fatal']}", err=True)
        raise typer.Exit(1)


@app.command()
@_friendly_errors
def synth(
    out: Annotated[
        Path,
        typer.Argument(help="Where to write the traces (.jsonl or .jsonl.gz).", dir_okay=False),
    ],
    truth: Annotated[
        Path | None,
        typer.Option(help="Where to write the ground truth (default: OUT with .truth.jsonl)."),
    ] = None,
    problems: Annotated[int, typer.Option(min=1, help="Number of problems.")] = 12,
    n_base: Annotated[int, typer.Option("--base", min=2, help="Base samples per problem.")] = 64,
    n_rl: Annotated[int, typer.Option("--rl", min=1, help="RL samples per problem.")] = 64,
    scenarios: Annotated[
        str,
        typer.Option(
            help="RL scenarios cycled over problems: novel, reweight, restyle, rare (commas)."
        ),
    ] = "novel,reweight,restyle,rare",
    prevalence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of RL samples on a novel method.")
    ] = 0.3,
    restyle: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Probability an RL trace is restyled.")
    ] = 0.5,
    seed: Seed = 0,
) -> None:
    """Write synthetic base/RL traces with known novel strategies, and their ground truth."""
    from novelty.synth import generate, write_jsonl

    names = [s.strip() for s in scenarios.split(",") if s.strip()]
    records, gt = generate(
        n_problems=problems,
        n_base=n_base,
        n_rl=n_rl,
        scenarios=names,
        prevalence=prevalence,
        restyle=restyle,
        seed=seed,
    )
    truth = truth or out.with_name(out.name.split(".")[0] + ".truth.jsonl")
    write_jsonl(records, out)
    write_jsonl(gt, truth)
    n_novel = sum(g["novel"] for g in gt)
    typer.echo(f"wrote {len(records)} traces to {out} ({n_novel} novel) and truth to {truth}")


def main() -> None:
    """Console-script entry point; logging is configured here, never in the library."""
    logging.basicConfig(
        level=os.environ.get("NOVELTY_LOG", "WARNING").upper(),
        format="%(levelname)s %(name)s: %(message)s",
    )
    app()
