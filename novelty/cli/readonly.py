"""Commands that read the input and embed nothing: ``inspect`` and ``passk``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from novelty.cli.inputs import Inputs, with_inputs
from novelty.cli.options import PANEL_MODEL, PANEL_OUTPUT, Scope, ScopeOpt, View
from novelty.errors import InputError
from novelty.views import DEFAULT_VIEW

__all__ = ["inspect", "passk"]


@with_inputs()
def passk(
    inputs: Inputs,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the table as JSON.", rich_help_panel=PANEL_OUTPUT),
    ] = False,
) -> None:
    """pass@k of base and RL per problem and averaged (no embedding): the crossover k."""
    from rich.console import Console
    from rich.markup import escape

    from novelty.ingest import ingest
    from novelty.passk import passk_from_traces
    from novelty.render import render_passk
    from novelty.runs import RunIndex

    got = ingest(inputs.source, inputs.options, **inputs.roles(), per_problem=False)
    runs = RunIndex.from_traces(got.traces)
    # issue 15: several RL runs get a table each against the same base, never one pooled table
    tables = {}
    for k, name in enumerate(runs.names):
        keep = (runs.of == -1) | (runs.of == k)
        tables[name] = passk_from_traces([t for t, m in zip(got.traces, keep, strict=True) if m])
    if all(table is None for table in tables.values()):
        raise InputError(
            "no problem has traces with 'correct' or 'reward' on both sides; pass@k needs them",
            path=inputs.source if isinstance(inputs.source, Path) else None,
        )
    if as_json:
        only = next(iter(tables.values())) if len(tables) == 1 else {"runs": tables}
        typer.echo(json.dumps(only, indent=2))
        return
    console = Console()
    for name, table in tables.items():
        if runs.several:
            console.print(f"[bold]run {escape(name)}[/bold] against base", highlight=False)
        if table is None:
            console.print("no problem has correctness on both sides for this run")
            continue
        render_passk(table, console)


@with_inputs()
def inspect(
    inputs: Inputs,
    scope: ScopeOpt = Scope["problem"],
    view: Annotated[
        View,
        typer.Option(
            help="The scan's --view: traces with a piece of it over the embedder's window are "
            "counted as the scan counts them (n_chunked).",
            rich_help_panel=PANEL_MODEL,
        ),
    ] = View[DEFAULT_VIEW],
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the inspection as JSON.", rich_help_panel=PANEL_OUTPUT),
    ] = False,
) -> None:
    """Show how the input would be read (format, fields, counts, what is skipped); embeds nothing.

    Exits 1 when a scan with the same options would stop on this input.
    """
    from rich.console import Console

    from novelty.ingest import inspect_source, render_inspection

    info = inspect_source(
        inputs.source, inputs.options, **inputs.roles(), scope=scope.value, view=view.value
    )
    if as_json:
        typer.echo(json.dumps(info, indent=2, ensure_ascii=False, default=str))
    else:
        render_inspection(info, Console())
    if info["fatal"] is not None:
        if not as_json:
            typer.echo(f"error: {info['fatal']}", err=True)
        raise typer.Exit(1)
