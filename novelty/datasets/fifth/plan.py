"""Per-problem sampling plans: which method (or shortcut) each base and RL sample uses.

The plan alone decides the ground truth of a scenario: which method is held out of the
base samples, which one is rare, how proportions shift, which RL samples are restyled,
re-checked or degenerate.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from .core import FORMATS, Family
from .shortcuts import KINDS

SCENARIOS: tuple[str, ...] = ("novel", "reweight", "restyle", "recheck", "rare", "degenerate")
MIN_BASE = 3  # every commonly used method appears in at least this many base samples


@dataclass(frozen=True)
class Spec:
    """One sample: its model, method index or shortcut kind, and how it is written."""

    model: str
    method: int | None
    shortcut: str | None = None
    restyled: bool = False
    recheck: bool = False


def allocate(n: int, weights: Sequence[float], floor: int = 0) -> list[int]:
    """Split n in proportion to weights (largest remainder), each >= floor where n allows."""
    k = len(weights)
    if k == 0 or n <= 0:
        return [0] * k
    floor = min(floor, n // k)
    rest = n - floor * k
    total = sum(weights)
    raw = [rest * w / total for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(k), key=lambda j: (-(raw[j] - counts[j]), j))
    for j in order[: rest - sum(counts)]:
        counts[j] += 1
    return [floor + c for c in counts]


def held_out(fam: Family, fmt_index: int, rng: random.Random) -> int:
    """A method of the requested format, or of the nearest format the family has."""
    for step in range(len(FORMATS)):
        cands = fam.of_format(FORMATS[(fmt_index + step) % len(FORMATS)])
        if cands:
            return rng.choice(cands)
    raise ValueError(f"family {fam.key} has no methods")


def _expand(methods: Sequence[int], counts: Sequence[int]) -> list[int]:
    return [m for m, c in zip(methods, counts, strict=False) for _ in range(c)]


def _weights(rng: random.Random, k: int) -> list[float]:
    return [rng.uniform(0.6, 1.8) for _ in range(k)]


def plan(
    scenario: str,
    fam: Family,
    fmt_index: int,
    n_base: int,
    n_rl: int,
    prevalence: float,
    rng: random.Random,
) -> list[Spec]:
    """n_base base specs followed by n_rl RL specs for one problem."""
    m_all = list(range(len(fam.methods)))
    rare = -1
    special = round(prevalence * n_rl)
    rl_special: list[Spec] = []
    if scenario == "novel":
        held = held_out(fam, fmt_index, rng)
        common = [j for j in m_all if j != held]
        rl_special = [Spec("rl", held) for _ in range(special)]
    elif scenario == "rare":
        rare = rng.choice(m_all)
        common = [j for j in m_all if j != rare]
        rl_special = [Spec("rl", rare) for _ in range(special)]
    elif scenario == "degenerate":
        common = m_all
        kinds = list(KINDS)
        rng.shuffle(kinds)
        rl_special = [Spec("rl", None, kinds[k % len(kinds)]) for k in range(special)]
    else:
        common, special = m_all, 0
    weights = _weights(rng, len(common))
    rl_weight = dict(zip(common, weights, strict=False))
    if scenario == "reweight":
        # skewed base proportions, then the ranking inverted for RL
        profile = [0.55**r for r in range(len(common))]
        rank = rng.sample(range(len(common)), len(common))
        weights = [profile[r] for r in rank]
        rl_weight = {j: profile[len(common) - 1 - r] for j, r in zip(common, rank, strict=False)}
    n_rare = min(rng.choice([1, 2]), n_base) if scenario == "rare" else 0
    base_counts = allocate(n_base - n_rare, weights, MIN_BASE)
    base = _expand(common, base_counts) + [rare] * n_rare
    # RL's ordinary samples only use methods some base sample used
    used = [j for j, c in zip(common, base_counts, strict=False) if c > 0] or sorted(set(base))
    rl_weights = [rl_weight.get(j, 1.0) for j in used]
    rl_methods = _expand(used, allocate(n_rl - len(rl_special), rl_weights))
    restyled = scenario == "restyle"
    rl = [
        Spec(
            "rl",
            j,
            restyled=restyled or (scenario == "recheck" and rng.random() < 0.3),
            recheck=scenario == "recheck",
        )
        for j in rl_methods
    ]
    rl += rl_special
    base_specs = [Spec("base", j) for j in base]
    rng.shuffle(base_specs)
    rng.shuffle(rl)
    return base_specs + rl
