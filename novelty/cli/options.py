"""Option declarations several commands share: help panels, choices and common settings.

Choices are str-valued Enums built from the same tuples the library checks settings against
(:data:`novelty.config.PARAMETER_CONSTRAINTS`, the formats, the ``--text`` parts), so
``--help`` lists the values and a value the library would refuse is a usage error up front.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from novelty.config import FDR_METHODS, SCOPES
from novelty.ingest import format_names
from novelty.projection import PROJECTIONS
from novelty.think import TEXT_CHOICES
from novelty.views import VIEWS

__all__ = [
    "PANEL_INPUT",
    "PANEL_MODEL",
    "PANEL_OUTPUT",
    "PANEL_STATS",
    "TRACES",
    "Alpha",
    "BatchSize",
    "CacheDir",
    "FdrMethod",
    "InputFormat",
    "MinCluster",
    "ModelName",
    "Projection",
    "Scope",
    "ScopeOpt",
    "Seed",
    "TextPart",
    "View",
    "ViewOpt",
    "choices",
]

PANEL_INPUT = "Input"
PANEL_MODEL = "Embedding"
PANEL_STATS = "Statistics"
PANEL_OUTPUT = "Output"


def choices(name: str, values: Iterable[str]) -> type[Enum]:
    """A str-valued Enum whose members are ``values`` (typer shows them in ``--help``)."""
    return Enum(name, [(v, v) for v in values], type=str)


InputFormat = choices("InputFormat", format_names())
TextPart = choices("TextPart", TEXT_CHOICES)
View = choices("View", VIEWS)
Scope = choices("Scope", SCOPES)
FdrMethod = choices("FdrMethod", FDR_METHODS)
Projection = choices("Projection", PROJECTIONS)

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
Seed = Annotated[
    int, typer.Option(min=0, help="Random seed.", rich_help_panel=PANEL_STATS)
]  # numpy's generators take seeds >= 0
ScopeOpt = Annotated[
    Scope,
    typer.Option(
        help="'problem' (compare within a problem) or 'global'.", rich_help_panel=PANEL_STATS
    ),
]

# What is embedded, with what, and where the vectors are kept: `scan` and `embed` share these.
TRACES = Annotated[
    Path | None,
    typer.Argument(
        help="Traces: a .jsonl, .jsonl.gz or .parquet file, a folder of them (sub-folders "
        "included), or - for standard input.",
        show_default=False,
    ),
]
ModelName = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="sentence-transformers model name or path \\[default: offline all-MiniLM-L6-v2].",
        metavar="NAME|PATH",
        rich_help_panel=PANEL_MODEL,
    ),
]
ViewOpt = Annotated[
    View,
    typer.Option(
        "--view",
        help="What is embedded: 'steps' (each step that computes, once, averaged), "
        "'strategy' (the trace without hesitation, as one text) or 'whole'.",
        rich_help_panel=PANEL_MODEL,
    ),
]
BatchSize = Annotated[
    int,
    typer.Option(
        "--batch-size", min=1, help="Texts embedded per batch.", rich_help_panel=PANEL_MODEL
    ),
]
CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Embedding cache folder (default ~/.cache/novelty or $NOVELTY_CACHE_DIR).",
        file_okay=False,
        rich_help_panel=PANEL_MODEL,
    ),
]
