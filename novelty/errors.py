"""Errors the CLI turns into one-line messages (exit 1) instead of tracebacks."""

from __future__ import annotations

from pathlib import Path


class NoveltyError(Exception):
    """Base class for every error that is the user's input, not a bug in novelty."""


class InputError(NoveltyError):
    """Bad input data: names the file and, when known, the 1-based line.

    Parameters
    ----------
    message : str
        What is wrong, in words a user can act on.
    path : str or Path, optional
        The file that holds the bad record.
    line : int, optional
        1-based line number of the bad record in ``path``.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class ConfigError(NoveltyError):
    """A setting that cannot work (unknown view, alpha outside (0, 1), missing model path)."""
