"""A fourth held-out generator of base/RL reasoning traces with planted strategy changes.

Nine task families (scheduling, meeting rooms, shortest routes, a logic grid, strings,
packing, probability, average speed, code-output prediction), each solved by four or five
methods written as code, tables, line-per-case lists or prose. Every problem follows one
scenario: ``novel`` (RL uses a method no base sample used), ``reweight``, ``restyle``,
``recheck``, ``rare`` (a method 1-2 base samples used becomes common in RL) or
``degenerate`` (RL shortcuts). Only ``novel`` plants traces with ``novel=True``.
"""

from __future__ import annotations

from .generate import generate
from .plan import SCENARIOS

__all__ = ["SCENARIOS", "generate"]
