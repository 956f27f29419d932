"""``novelty embed``: fill the embedding cache for a scan's view, here or on a Ray cluster."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from novelty.cli.inputs import Inputs, with_inputs
from novelty.cli.options import (
    PANEL_MODEL,
    PANEL_OUTPUT,
    TRACES,
    BatchSize,
    CacheDir,
    ModelName,
    Scope,
    ScopeOpt,
    View,
    ViewOpt,
    choices,
)
from novelty.embedding.fill import ENGINES
from novelty.views import DEFAULT_VIEW

__all__ = ["embed", "summary_line"]

PANEL_RAY = "Ray"
Engine = choices("Engine", ENGINES)


@with_inputs("traces", TRACES)
def embed(
    inputs: Inputs,
    model: ModelName = None,
    view: ViewOpt = View[DEFAULT_VIEW],
    batch_size: BatchSize = 32,
    cache_dir: CacheDir = None,
    scope: ScopeOpt = Scope["problem"],
    engine: Annotated[
        Engine,
        typer.Option(
            help="Where to embed: 'local' (this process) or 'ray' (Ray Data, needs "
            "pip install 'novelty\\[ray]').",
            rich_help_panel=PANEL_MODEL,
        ),
    ] = Engine["local"],
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join: 'auto' or the head's HOST:PORT \\[default: $RAY_ADDRESS, "
            "the cluster `ray start` runs here, else a local one started for this run].",
            metavar="ADDRESS",
            rich_help_panel=PANEL_RAY,
        ),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Ray actors, each with its own model \\[default: one per GPU, else per CPU].",
            rich_help_panel=PANEL_RAY,
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the counts as JSON.", rich_help_panel=PANEL_OUTPUT),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar.", rich_help_panel=PANEL_OUTPUT)
    ] = False,
) -> None:
    """Fill the embedding cache with what `novelty scan` would embed, without scanning.

    A scan with the same --model, --view, --text and --cache-dir then embeds nothing.
    """
    from rich.console import Console

    from novelty.cli.progress import RichProgress
    from novelty.config import ScanConfig
    from novelty.prefill import embed as run_embed

    if engine.value != "ray" and (address is not None or concurrency is not None):
        raise typer.BadParameter("--address and --concurrency go with --engine ray")
    config = ScanConfig(
        view=view.value,
        scope=scope.value,
        reward_threshold=inputs.reward_threshold,
        base_model=inputs.base_model,
        rl_model=inputs.rl_model,
        batch_size=batch_size,
        ingest=inputs.options,
    )
    _check_cache(cache_dir)
    err = Console(stderr=True)
    progress = None if quiet or not err.is_terminal else RichProgress(err)
    counts = run_embed(
        inputs.source,
        config,
        embedder=model,
        cache=cache_dir if cache_dir is not None else "default",
        engine=engine.value,
        address=address,
        concurrency=concurrency,
        progress=progress,
    )
    typer.echo(json.dumps(counts.to_dict(), indent=2) if as_json else summary_line(counts))


def summary_line(counts) -> str:
    """One readable line: how many texts, how many were cached already, how many now, where."""
    return (
        f"{counts.n_view_texts:,} view texts of {counts.n_traces:,} traces "
        f"({counts.n_distinct:,} distinct, view {counts.view}): "
        f"{counts.n_cached:,} already cached, {counts.n_embedded:,} embedded now "
        f"with {counts.embedder} ({counts.engine}); cache: {counts.cache_dir}"
    )


def _check_cache(folder) -> None:
    """A usage error now, before anything is read or embedded, when the cache is not writable."""
    from novelty.cli.scan import check_writable

    check_writable("--cache-dir", folder, no_cache=False)
