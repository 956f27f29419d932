"""A rich progress bar behind :class:`novelty.progress.Progress` (the library never draws)."""

from __future__ import annotations

from typing import Any

from novelty.progress import Progress

__all__ = ["RichProgress"]


class RichProgress(Progress):
    """A rich progress bar drawn on ``console`` (stderr) and removed when done."""

    def __init__(self, console: Any) -> None:
        from rich import progress as rich_progress

        self._bar = rich_progress.Progress(
            "[progress.description]{task.description}",
            rich_progress.BarColumn(),
            rich_progress.MofNCompleteColumn(),
            rich_progress.TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task = None

    def start(self, stage: str, total: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task(stage, total=total)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def finish(self) -> None:
        self._bar.stop()
