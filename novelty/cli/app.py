"""The ``novelty`` app: wires the commands together and runs them inside the error mapping."""

from __future__ import annotations

import logging
import os
from typing import Annotated

import typer

from novelty.cli import embed, readonly, scan, synth
from novelty.cli.errors import FriendlyErrors
from novelty.cli.help import Command, FlagsShowNoType

__all__ = ["app", "main"]


class _Group(FlagsShowNoType, FriendlyErrors):
    """The app's command group: known errors as one line, flags without a type in the help."""


app = typer.Typer(
    cls=_Group,
    help="Does RL teach new reasoning strategies? Calibrated novelty of RL traces vs base.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# In the order `novelty --help` lists them.
app.command("scan", cls=Command)(scan.scan)
app.command("report", cls=Command)(scan.report)
app.command("embed", cls=Command)(embed.embed)
app.command("passk", cls=Command)(readonly.passk)
app.command("inspect", cls=Command)(readonly.inspect)
app.command("synth", cls=Command)(synth.synth)


def _version(value: bool) -> None:
    if value:
        from novelty import __version__

        typer.echo(f"novelty {__version__}")
        raise typer.Exit()


@app.callback()
def _app(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print novelty's version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Does RL teach new reasoning strategies? Calibrated novelty of RL traces vs base."""


def main() -> None:
    """Console-script entry point; logging is configured here, never in the library."""
    level = os.environ.get("NOVELTY_LOG", "WARNING").upper()
    if not isinstance(logging.getLevelName(level), int):
        typer.echo(
            f"warning: NOVELTY_LOG={level!r} is not a logging level "
            "(DEBUG, INFO, WARNING, ERROR); using WARNING",
            err=True,
        )
        level = "WARNING"
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    app()
