"""How ``--help`` shows options: a value's meaning instead of its Python type.

typer prints each option's type beside it (``<bool>`` for a flag, ``<str>``, ``<list[str]>``),
which tells a user nothing: a flag takes no value, and a name or a range deserves a word that
says what to write. Commands declare such metavars (``NAME``, ``FIELD=PATH``, ``FIRST-LAST``);
the classes here blank the type of every flag, typer's own ``--help`` included.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand

__all__ = ["Command", "FlagsShowNoType"]


class FlagsShowNoType:
    """A click command mixin: flags (``--json``, ``--help``) show no ``<bool>`` in the help,
    and an argument with a declared metavar (``FILE...``) no ``<list[Path]>`` beside it."""

    def get_params(self, ctx: Any) -> list:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
            elif isinstance(param, TyperArgument) and param.metavar is not None:
                param.display_type_rich = _no_type  # the metavar already names the value
        return params


def _no_type(ctx: Any) -> None:
    return None


class Command(FlagsShowNoType, TyperCommand):
    """Every ``novelty`` subcommand."""
