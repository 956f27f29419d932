"""``novelty scan`` (traces in, report out) and ``novelty report`` (re-render its HTML)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from novelty.cli.inputs import Inputs, with_inputs
from novelty.cli.options import (
    PANEL_MODEL,
    PANEL_OUTPUT,
    PANEL_STATS,
    TRACES,
    Alpha,
    BatchSize,
    CacheDir,
    FdrMethod,
    MinCluster,
    ModelName,
    Projection,
    Scope,
    ScopeOpt,
    Seed,
    View,
    ViewOpt,
)
from novelty.views import DEFAULT_VIEW

__all__ = ["report", "scan", "writable_problem", "write_outputs"]


@with_inputs("traces", TRACES)
def scan(
    inputs: Inputs,
    model: ModelName = None,
    view: ViewOpt = View[DEFAULT_VIEW],
    batch_size: BatchSize = 32,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Do not read or write the embedding cache.",
            rich_help_panel=PANEL_MODEL,
        ),
    ] = False,
    cache_dir: CacheDir = None,
    embeddings: Annotated[
        Path | None,
        typer.Option(
            help="Precomputed vectors (.npy, one row per trace in input order) used instead "
            "of embedding: no model, view or cache is used.",
            exists=True,
            dir_okay=False,
            metavar="FILE",
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
            help="HDBSCAN min_cluster_size \\[default: min-cluster-size].",
            rich_help_panel=PANEL_STATS,
        ),
    ] = None,
    scope: ScopeOpt = Scope["problem"],
    fdr: Annotated[
        FdrMethod,
        typer.Option(
            help="'bh' (Benjamini–Hochberg) or 'by' (any dependence).", rich_help_panel=PANEL_STATS
        ),
    ] = FdrMethod["bh"],
    seed: Seed = 0,
    negative_control: Annotated[
        bool,
        typer.Option(
            "--negative-control",
            help="Also split each problem's base samples in two, one half as RL, and decide "
            "them the same way (3 seeded splits): the false-novel rate on these data.",
            rich_help_panel=PANEL_STATS,
        ),
    ] = False,
    out: Annotated[
        Path,
        typer.Option(
            help="Folder for report.json, report.html and traces.parquet.",
            file_okay=False,
            rich_help_panel=PANEL_OUTPUT,
        ),
    ] = Path("novelty-out"),
    projection: Annotated[
        Projection,
        typer.Option(
            "--projection",
            help="2-D map of the traces: 'auto' (UMAP when umap-learn is installed, else PCA), "
            "'umap', 'pca' or 'none'.",
            rich_help_panel=PANEL_OUTPUT,
        ),
    ] = Projection["auto"],
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

    from novelty.cli.progress import RichProgress
    from novelty.config import ScanConfig
    from novelty.pipeline import scan as run_scan
    from novelty.render import render_summary

    config = ScanConfig(
        alpha=alpha,
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        hdbscan_min_cluster_size=hdbscan_min_cluster_size,
        view=view.value,
        scope=scope.value,
        fdr_method=fdr.value,
        seed=seed,
        reward_threshold=inputs.reward_threshold,
        base_model=inputs.base_model,
        rl_model=inputs.rl_model,
        batch_size=batch_size,
        projection=projection.value,
        ingest=inputs.options,
        negative_control=negative_control,
    )
    if embeddings is not None and model is not None:  # issue 13: one source of vectors
        from novelty.errors import ConfigError

        raise ConfigError("--embeddings replaces the model: give --embeddings or --model")
    # Where the results and the cache go is checked before any input is read or embedded.
    check_writable("--out", out)
    if not no_cache and embeddings is None:
        check_writable("--cache-dir", cache_dir if cache_dir is not None else None)
    err = Console(stderr=True)
    progress = None if quiet or not err.is_terminal else RichProgress(err)
    cache = None if no_cache else (cache_dir if cache_dir is not None else "default")
    result = run_scan(
        inputs.source,
        config,
        embedder=model,
        cache=cache,
        progress=progress,
        embeddings=embeddings,
    )
    path = write_outputs(result, out)
    if as_json:
        typer.echo(json.dumps(result.to_dict()["summary"], indent=2))
        return
    console = Console()
    render_summary(result.to_dict(), console)
    for f in result.config.get("input_files", []):
        how = "detected from its keys" if f["detected"] else "forced with --format"
        console.print(f"input {f['path']}: format {f['format']} ({how})", highlight=False)
    console.print(f"report: {path} (and report.html, traces.parquet)")


def check_writable(flag: str, folder: Path | None, *, no_cache: bool = True) -> None:
    """A usage error (exit 2) now, rather than a failure after the whole scan, when files
    cannot be written in ``folder`` (None: the default embedding cache; ``no_cache``: the
    command has ``--no-cache`` to suggest)."""
    from novelty.atomic import probe_writable_dir
    from novelty.embedding import default_cache_dir
    from novelty.errors import ConfigError

    where = default_cache_dir() if folder is None else folder
    try:
        probe_writable_dir(where)
    except OSError as err:
        why = writable_problem(err, where)
        if folder is None:
            raise ConfigError(
                f"the embedding cache cannot be kept in {where}: {why}; give --cache-dir DIR "
                "(or set NOVELTY_CACHE_DIR)" + (", or --no-cache" if no_cache else "")
            ) from None
        raise typer.BadParameter(why, param_hint=f"'{flag}'") from None


def writable_problem(err: OSError, where: Path) -> str:
    """What :func:`novelty.atomic.probe_writable_dir`'s error says, in words."""
    import errno

    name = err.filename or where
    if err.errno == errno.ENOTDIR:
        return f"{name} is a file, not a folder"
    return f"cannot write in {name} ({err.strerror or err})"


def write_outputs(report, out: Path) -> Path:
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


def report(
    directory: Annotated[
        Path,
        typer.Argument(
            help="A folder written by `novelty scan` (or its report.json).", show_default=False
        ),
    ],
) -> None:
    """Re-render DIR/report.html from DIR/report.json (no re-embedding)."""
    from novelty.html_report import write_html_text
    from novelty.report import read_report_dict

    d = read_report_dict(directory)
    out = directory if directory.is_dir() else directory.parent
    path = write_html_text(_render_read_report(d, directory), out)
    typer.echo(f"wrote {path}")


def _render_read_report(d: dict, where: Path) -> str:
    """The page of a report read from disk; one that novelty did not write, or that was edited
    out of shape, is an input error naming the file rather than a traceback from the template."""
    from jinja2.exceptions import UndefinedError

    from novelty.errors import InputError
    from novelty.html_report import render_html

    try:
        return render_html(d)
    except (KeyError, TypeError, ValueError, AttributeError, UndefinedError) as err:
        name = where / "report.json" if where.is_dir() else where
        raise InputError(
            f"report.json is not shaped as novelty writes it ({type(err).__name__}: {err}); "
            "run `novelty scan` again to rewrite it",
            path=name,
        ) from err
