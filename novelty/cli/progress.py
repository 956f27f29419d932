"""A rich progress bar behind the pipeline's ``Progress`` protocol (the library never draws)."""

from __future__ import annotations

from typing import Any

__all__ = ["RichProgress"]


class RichProgress:
    """Adapts a rich progress bar to :class:`novelty.pipeline.Progress`; drawn on ``console``
    (stderr) and removed when done."""

    def __init__(self, console: Any) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
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
