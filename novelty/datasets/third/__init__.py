"""A third, independently written synthetic generator of base-vs-RL reasoning traces.

Eight problem families (logic, games, math, calendar, planning, code, puzzles), each with
4-5 genuinely different solution methods written in their own formats, and six scenarios
for what RL did to a problem: a novel method, re-weighting, restyling, re-checking, a rare
base method amplified, or degenerate shortcuts. `generate` returns detector records and
aligned ground truth.
"""

from __future__ import annotations

from .assemble import generate
from .families import FAMILIES
from .plan import SCENARIOS

__all__ = ["FAMILIES", "SCENARIOS", "generate"]
