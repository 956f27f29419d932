"""The one progress protocol: long stages report to it, the CLI draws a bar from it.

The library never prints; a caller that wants a bar passes an object with these three methods
(the CLI's rich bar is one). ``None`` wherever a ``progress`` is accepted means "report nothing".
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives one stage at a time: its name and size, increments of work done, its end.

    ``start(stage, total)`` opens a stage of ``total`` units (texts, for embedding);
    ``advance(n)`` says ``n`` more units are done, the increments adding up to ``total``;
    ``finish()`` closes the stage.
    """

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self) -> None: ...
