"""The ``novelty`` app: wires the commands together and runs them inside the error mapping."""

from __future__ import annotations

import logging
import os

import typer

from novelty.cli import readonly, scan, synth
from novelty.cli.errors import FriendlyErrors

__all__ = ["app", "main"]

app = typer.Typer(
    cls=FriendlyErrors,
    help="Does RL teach new reasoning strategies? Calibrated novelty of RL traces vs base.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
# In the order `novelty --help` lists them.
app.command("scan")(scan.scan)
app.command("report")(scan.report)
app.command("passk")(readonly.passk)
app.command("inspect")(readonly.inspect)
app.command("synth")(synth.synth)


def main() -> None:
    """Console-script entry point; logging is configured here, never in the library."""
    logging.basicConfig(
        level=os.environ.get("NOVELTY_LOG", "WARNING").upper(),
        format="%(levelname)s %(name)s: %(message)s",
    )
    app()
