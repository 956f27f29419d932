"""The input options, declared once: which files, how to read them, which traces are which.

``scan``, ``inspect`` and ``passk`` take the same options. :func:`with_inputs` adds them to a
command's signature (typer reads ``__signature__``) and hands the command one parsed
:class:`Inputs` instead of a dozen loose values.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from novelty.cli.options import PANEL_INPUT, InputFormat, TextPart
from novelty.errors import ConfigError, InputError
from novelty.ingest import IngestOptions, parse_field_map, parse_run, parse_steps, rl_runs, run_name
from novelty.ingest.read import is_stdin

__all__ = ["INPUT_OPTIONS", "SOURCES", "Inputs", "read_inputs", "with_inputs"]

R = TypeVar("R")

SOURCES = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Files or folders read as one source (like scan's TRACES); - is standard input.",
        metavar="FILE",
        show_default=False,
    ),
]


def _option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


# In the order --help lists them, after the command's argument.
INPUT_OPTIONS: tuple[inspect.Parameter, ...] = (
    _option(
        "base",
        Annotated[
            Path | None,
            typer.Option(
                "--base",
                help="A file or folder whose traces are all base (with --rl); - is standard input.",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
    _option(
        "rl",
        Annotated[
            list[str] | None,
            typer.Option(
                "--rl",
                help="A file or folder whose traces are all RL (with --base); - is standard input. "
                "One RL run, named by its stem, or NAME=PATH. Repeat it for several runs against "
                "the same base.",
                metavar="[NAME=]PATH",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
    _option(
        "base_model",
        Annotated[
            str | None,
            typer.Option(
                help="The `model` value that marks base traces.",
                metavar="NAME",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
    _option(
        "rl_model",
        Annotated[
            list[str] | None,
            typer.Option(
                help="The `model` value that marks RL traces; repeat it for RL checkpoints in "
                "training order (the timeline's checkpoints).",
                metavar="NAME",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
    _option(
        "correct_threshold",
        Annotated[
            float,
            typer.Option(
                help="A `reward` at or above this counts as correct.", rich_help_panel=PANEL_INPUT
            ),
        ],
        0.5,
    ),
    _option(
        "input_format",
        Annotated[
            InputFormat | None,
            typer.Option(
                "--format",
                help="Input format.",
                show_default="detected per file from its first record's keys",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
    _option(
        "field_map",
        Annotated[
            list[str] | None,
            typer.Option(
                "--map",
                help="FIELD=dotted.path: read a canonical field (text, problem_id, model, id, "
                "correct, reward, step, domain, prompt) from anywhere in a record; repeatable.",
                metavar="FIELD=PATH",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
    _option(
        "text",
        Annotated[
            TextPart,
            typer.Option(
                "--text",
                help="What of a trace to keep: 'full', 'think' (inside <think>…</think>) or "
                "'answer' (after </think>); a trace without a think block is kept whole.",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        TextPart["full"],
    ),
    _option(
        "skip_invalid",
        Annotated[
            bool,
            typer.Option(
                "--skip-invalid",
                help="Leave bad lines out (counted and listed) instead of stopping at the first.",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        False,
    ),
    _option(
        "base_steps",
        Annotated[
            str | None,
            typer.Option(
                help="Steps FIRST-LAST whose traces are base (with --rl-steps; one file or "
                "folder), or that the --base file keeps.",
                metavar="FIRST-LAST",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
    _option(
        "rl_steps",
        Annotated[
            str | None,
            typer.Option(
                help="Steps FIRST-LAST whose traces are RL (or that the --rl file keeps).",
                metavar="FIRST-LAST",
                rich_help_panel=PANEL_INPUT,
            ),
        ],
        None,
    ),
)


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the input options name: the source, how to read it, and who is base or RL."""

    source: Path | list[Path] | tuple[Path, Path] | tuple[Path, dict[str, Path]]
    options: IngestOptions
    base_model: str | None
    rl_model: str | tuple[str, ...] | None
    reward_threshold: float

    def roles(self) -> dict[str, Any]:
        """The keywords that tell base from RL and correct from not (as ``ingest`` takes them)."""
        return {
            "base_model": self.base_model,
            "rl_model": self.rl_model,
            "reward_threshold": self.reward_threshold,
        }


def with_inputs(
    argument: str = "files", annotation: Any = SOURCES
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Give a command the input options; its first parameter receives them as one Inputs.

    ``argument`` names the command's positional FILES argument (``annotation`` declares it):
    ``scan`` takes one TRACES path, ``inspect`` and ``passk`` several.
    """

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        # The command's own options, annotations evaluated (typer needs the objects); the
        # first parameter, the Inputs, is replaced by the shared options.
        own = [
            p.replace(annotation=_evaluated(p.annotation, fn), kind=inspect.Parameter.KEYWORD_ONLY)
            for p in list(inspect.signature(fn).parameters.values())[1:]
        ]
        first = _option(argument, annotation, None)
        shared = (first, *INPUT_OPTIONS)

        @functools.wraps(fn)
        def command(**kwargs: Any) -> R:
            given = {p.name: kwargs.pop(p.name) for p in shared}
            files = given.pop(argument)
            paths = [files] if isinstance(files, Path) else list(files or [])
            return fn(read_inputs(paths, **given), **kwargs)

        params = [*shared, *own]
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return decorate


def _evaluated(annotation: Any, fn: Callable[..., Any]) -> Any:
    """A string annotation (``from __future__ import annotations``) as the object it names."""
    return eval(annotation, fn.__globals__) if isinstance(annotation, str) else annotation


def read_inputs(
    files: list[Path],
    *,
    base: Path | None,
    rl: list[str] | None,
    base_model: str | None,
    rl_model: list[str] | None,
    correct_threshold: float,
    input_format: Any,
    field_map: list[str] | None,
    text: Any,
    skip_invalid: bool,
    base_steps: str | None,
    rl_steps: str | None,
) -> Inputs:
    """Parse the option values (a bad ``--map`` or step range is a usage error, as click's
    own would be) and check that the source they name exists."""
    options = IngestOptions(
        format=None if input_format is None else input_format.value,
        field_map=_parse("--map", parse_field_map, field_map or []),
        text=text.value,
        skip_invalid=skip_invalid,
        base_steps=_parse("--base-steps", parse_steps, base_steps),
        rl_steps=_parse("--rl-steps", parse_steps, rl_steps),
    )
    return Inputs(
        source=_source(files, base, rl),
        options=options,
        base_model=base_model,
        rl_model=_rl_model(rl_model),
        reward_threshold=correct_threshold,
    )


def _parse(flag: str, parser: Callable[[Any], Any], value: Any) -> Any:
    """``parser(value)``; its ConfigError becomes click's "Invalid value for '--flag'"."""
    try:
        return parser(value)
    except ConfigError as err:
        raise typer.BadParameter(str(err), param_hint=f"'{flag}'") from None


def _rl_model(values: list[str] | None) -> str | tuple[str, ...] | None:
    """One --rl-model as the plain name (as before), several as the checkpoints' tuple."""
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def _source(
    files: list[Path], base: Path | None, rl: list[str] | None
) -> Path | list[Path] | tuple[Path, Path] | tuple[Path, dict[str, Path]]:
    """The source the options name: one path, several, or a (base, rl) pair; checked to exist.

    Every ``--rl`` is one RL run (issue 15): one plain path stays ``(base, path)``; a named or
    repeated ``--rl`` becomes ``(base, {name: path})``, names and files checked by
    :func:`novelty.ingest.rl_runs` (a name or file given twice is an error, never dropped).
    """
    if (base is None) != (not rl):
        raise typer.BadParameter("--base and --rl go together")
    if not files and base is None:
        raise typer.BadParameter("give a traces file or folder, or --base PATH --rl PATH")
    if files and base is not None:
        raise typer.BadParameter("give traces files or --base/--rl, not both")
    runs = [_parse("--rl", parse_run, value) for value in rl or []]
    for p in (*files, base, *(path for _, path in runs)):
        if p is not None and not is_stdin(p) and not p.exists():
            raise InputError("file not found", path=p)
    if base is None:
        return files[0] if len(files) == 1 else list(files)
    if len(runs) == 1 and runs[0][0] is None:
        return (base, runs[0][1])
    named = rl_runs([(name or run_name(path), path) for name, path in runs])
    return (base, dict(named))
