"""A second, blind synthetic generator of base-vs-RL reasoning traces.

Why it exists: the detector's defaults were tuned on the project's first generator and then
failed on held-out traces written differently. This generator was written without looking at the
first one or at the detector, so defaults can be measured on data nobody tuned against.

Each problem comes from a family (planning: routes, meetings, blocks, packing; code: pairs,
subarray; maths: modpow, urn, recurrence, triangle) with fresh numbers and entities. Every family
has 4-6 genuinely different methods written in characteristic formats (prose, ```python``` code,
line-per-case tables, numbered lists, or "mixed"), and every trace restates the problem, so
whole-text similarity is dominated by shared content. About 10% of traces are long (digressions,
false starts, redone work, a second restatement). Base samples mix all but one method with
Dirichlet weights; the held-out method is what RL may discover.

Scenarios (what RL does on a problem):

- ``novel``: a share ``prevalence`` of RL samples use the held-out method (truth novel=True);
  the rest re-weight base methods toward the accurate ones.
- ``reweight``: same methods as base, sharpened toward the more accurate ones.
- ``restyle``: base mixture unchanged; every RL trace is written in an RL style (connectives,
  "Let me think step by step", bold headers, other paraphrases).
- ``recheck``: like restyle, plus heavy re-verification of intermediate results.
- ``rare``: a method used by exactly 1-2 base samples takes 30-50% of RL samples (not novel).
- ``degenerate``: 20-40% of RL samples are shortcuts (answer only, repeated answer, a truncated
  loop); truth degenerate=True, novel=False; the rest re-weight.

Outside restyle/recheck each RL trace is restyled with probability ``restyle``.
"""

from __future__ import annotations

from .assemble import FAMILIES, SCENARIOS, generate, instances

__all__ = ["FAMILIES", "SCENARIOS", "generate", "instances"]
