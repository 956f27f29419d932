"""Fifth synthetic generator: base vs RL reasoning traces with planted strategy shifts.

Written blind to the detector as a held-out test.  Each problem draws one instance of a
task family (Hanoi variants, register allocation, time zones, CNF model counting, recipe
scaling, record deduplication, grid robots, Hamming distance, critical paths) and samples
traces from 4-5 genuinely different methods per family, each written in a fixed format
(code, table, list or prose).  Scenarios:

- novel: some RL samples use a method no base sample uses (the only novel=True traces);
- reweight: same methods, inverted proportions;
- restyle: same methods and proportions, RL written in another voice;
- recheck: RL re-verifies its work 2-4 times;
- rare: a method used by 1-2 base samples becomes common in RL;
- degenerate: some RL samples are shortcuts (bare answers, guesses, loops, cut-offs, filler).
"""

from __future__ import annotations

from .generate import generate
from .plan import SCENARIOS

__all__ = ["SCENARIOS", "generate"]
