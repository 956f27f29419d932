"""Known errors as one line on stderr and an exit code, in one place around the whole app.

Like huggingface_hub's CLI error mappings: a table says which exception types are the user's
to fix and with which exit code; anything else is a bug and keeps its traceback.
``NOVELTY_DEBUG=1`` shows the traceback of a known error too.
"""

from __future__ import annotations

import os
import sys

import typer
from typer.core import TyperGroup

from novelty.errors import ConfigError, NoveltyError

__all__ = ["ERROR_EXIT_CODES", "FriendlyErrors", "exit_code_for", "one_line"]

# Exception type -> exit code, the most specific first. The message is always
# "error: <the exception>", which for bad data reads "error: file:line: what is wrong".
ERROR_EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (ConfigError, 2),  # a setting that cannot work: bad usage, as click's own usage errors
    (NoveltyError, 1),  # bad input data (InputError) and anything else the user can fix
    # A package that is missing or fails to import (novelty._optional.require says which and
    # what to install): the installation's to fix, not a bug of novelty.
    (ImportError, 1),
    # The file system refused (a folder that cannot be created, permission, a full disk).
    (OSError, 1),
)


def exit_code_for(err: BaseException) -> int | None:
    """The exit code :data:`ERROR_EXIT_CODES` gives ``err``; None for an unknown error."""
    return next((code for kind, code in ERROR_EXIT_CODES if isinstance(err, kind)), None)


def one_line(err: BaseException) -> str:
    """The message after ``error: ``: the exception, or for the file system what and where."""
    if isinstance(err, OSError) and not isinstance(err, NoveltyError) and err.strerror:
        where = err.filename if err.filename is not None else ""
        return f"{where}: {err.strerror}" if where else err.strerror
    return " ".join(str(err).split("\n")) or type(err).__name__


class FriendlyErrors(TyperGroup):
    """The app's command group: every command runs inside the error mapping."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`novelty inspect ... | head`): nothing to say, as with any
            # Unix tool; stdout goes to /dev/null so flushing it at exit cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as err:
            code = exit_code_for(err)
            if code is None or os.environ.get("NOVELTY_DEBUG") == "1":
                raise
            typer.echo(f"error: {one_line(err)}", err=True)
            raise typer.Exit(code) from None
