"""Several RL runs against one base: which file is which run, and their names.

Research questions compare runs (true vs random reward, seeds, PPO vs GRPO) against one base
model, so the RL side of a ``(base, rl)`` source may be several files or folders, each one run:
``--rl FILE`` repeated (named by the file's stem) or ``--rl NAME=PATH``, and from Python
``(base, {"true-reward": p1, "random-reward": p2})``. A run given twice, by name or by file, is
an error: one silently replacing another is how data goes missing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from novelty.errors import ConfigError
from novelty.ingest.read import SUFFIXES, list_files
from novelty.types import RL

__all__ = ["DEFAULT_RUN", "check_distinct_files", "parse_run", "rl_runs", "run_name"]

# The run of RL traces that no file or name placed (one source, the ``model`` field decides).
DEFAULT_RUN = RL


def run_name(path: str | os.PathLike) -> str:
    """A file's stem without its input suffix (``grpo.jsonl.gz`` -> ``grpo``); a folder's name."""
    name = Path(path).name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return Path(name).stem or name


def parse_run(value: str) -> tuple[str | None, Path]:
    """``--rl`` value: ``PATH`` (named later by its stem) or ``NAME=PATH``.

    A value that exists as a path is a path even when it holds ``=``; otherwise the text before
    the first ``=`` is the run's name. Raises ConfigError for an empty name or path.
    """
    if "=" not in value or Path(value).exists():
        return None, Path(value)
    name, path = value.split("=", 1)
    if not name.strip() or not path:
        raise ConfigError(f"bad --rl {value!r}: use PATH or NAME=PATH")
    return name.strip(), Path(path)


def rl_runs(rl: Any) -> list[tuple[str, Any]]:
    """The RL side of a pair source as ``[(run name, path or records), ...]``, in the order given.

    ``rl`` is one path (one run named by its stem), a mapping ``{name: path or records}``, or a
    sequence of paths or ``(name, path)`` pairs (a path alone is named by its stem). Raises
    ConfigError for an empty or non-string name, a name given twice, and a file given to two
    runs (:func:`check_distinct_files`).
    """
    if isinstance(rl, Mapping):
        runs = [(name, src) for name, src in rl.items()]
    elif isinstance(rl, str | os.PathLike):
        runs = [(run_name(rl), rl)]
    elif isinstance(rl, Sequence) and rl and all(_is_run_item(x) for x in rl):
        runs = [(x[0], x[1]) if isinstance(x, tuple) else (run_name(x), x) for x in rl]
    else:
        raise ConfigError(
            "the RL side of (base, rl) is a path, a list of paths, or {run name: path}; "
            f"got {type(rl).__name__}"
        )
    if not runs:
        raise ConfigError("no RL run given")
    seen: dict[str, Any] = {}
    for name, src in runs:
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"an RL run needs a non-empty name, got {name!r}")
        if name in seen:
            raise ConfigError(
                f"RL run name {name!r} is given twice ({seen[name]} and {src}); "
                "name the runs apart with --rl NAME=PATH"
            )
        seen[name] = src
    check_distinct_files(runs)
    return runs


def check_distinct_files(runs: Sequence[tuple[str, Any]]) -> None:
    """No file belongs to two runs (the same path twice, or a file inside a folder given too)."""
    owner: dict[Path, str] = {}
    for name, src in runs:
        if not isinstance(src, str | os.PathLike) or not Path(src).exists():
            continue  # records from Python, or a missing file the reader will name
        for f in list_files(src):
            key = f.resolve()
            if key in owner and owner[key] != name:
                raise ConfigError(
                    f"{f} is given to two RL runs ({owner[key]!r} and {name!r}); "
                    "each run must be its own file or folder"
                )
            owner[key] = name


def _is_run_item(x: Any) -> bool:
    return isinstance(x, str | os.PathLike) or (
        isinstance(x, tuple) and len(x) == 2 and isinstance(x[1], str | os.PathLike)
    )
