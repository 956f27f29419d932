"""Which method (or shortcut) each sample of one problem uses, per scenario."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from random import Random

from .core import Family
from .shortcuts import KINDS

SCENARIOS = ("novel", "reweight", "restyle", "recheck", "rare", "degenerate")


@dataclass(frozen=True)
class Slot:
    """One RL sample's assignment: a method index, or a shortcut kind."""

    method: int | None
    shortcut: str | None = None
    novel: bool = False


@dataclass(frozen=True)
class Plan:
    scenario: str
    held_out: int  # never used by base samples
    rare: int | None  # the rare-in-base method (rare scenario only)
    base: list[int]
    rl: list[Slot]


def dirichlet(rng: Random, keys: list[int], alpha: float = 1.5, floor: float = 0.06) -> dict:
    """Random mixture weights; the floor keeps every base method visibly present."""
    raw = {k: max(rng.gammavariate(alpha, 1.0), 1e-9) for k in keys}
    total = sum(raw.values())
    floored = {k: max(v / total, floor) for k, v in raw.items()}
    total = sum(floored.values())
    return {k: v / total for k, v in floored.items()}


def allocate(weights: dict[int, float], n: int) -> list[int]:
    """Exactly n draws in proportion to the weights (largest remainder), unshuffled."""
    if n <= 0 or not weights:
        return []
    total = sum(weights.values())
    quota = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(q) for k, q in quota.items()}
    by_rest = sorted(quota, key=lambda k: (counts[k] - quota[k], k))
    for k in by_rest[: n - sum(counts.values())]:
        counts[k] += 1
    return [k for k in sorted(counts) for _ in range(counts[k])]


def sharpen(weights: dict[int, float], errors: dict[int, float]) -> dict[int, float]:
    """RL's reweighting: concentrate on the methods that are right more often."""
    best = min(errors[k] for k in weights)
    return {k: w**1.5 * math.exp(-15.0 * (errors[k] - best)) for k, w in weights.items()}


def share(rng: Random, n: int, lo: float, hi: float) -> int:
    """A count whose share of n lies in [lo, hi] whenever some integer allows it."""
    a, b = math.ceil(lo * n - 1e-9), math.floor(hi * n + 1e-9)
    return rng.randint(a, b) if a <= b else round((lo + hi) / 2 * n)


def make_plan(
    fam: Family, scenario: str, n_base: int, n_rl: int, prevalence: float, rng: Random
) -> Plan:
    m = len(fam.methods)
    held = rng.randrange(m)
    pool = [x for x in range(m) if x != held]
    weights = dirichlet(rng, pool)
    errors = {x: fam.methods[x].error for x in range(m)}
    rare = None
    if scenario == "rare":
        rare = rng.choice(pool)
        r = min(rng.choice((1, 2)), n_base)
        base = [rare] * r + allocate({k: w for k, w in weights.items() if k != rare}, n_base - r)
    else:
        base = allocate(weights, n_base)
    counts = Counter(base)
    # RL re-weights methods base actually shows more than a couple of times.
    common = [x for x in pool if x != rare and counts[x] >= min(3, max(counts.values()))]
    common = common or [x for x in pool if counts[x] > 0]
    rl_w = {x: weights[x] for x in common}
    if scenario not in ("restyle", "recheck"):
        rl_w = sharpen(rl_w, errors)
    special: list[Slot] = []
    if scenario == "novel":
        special = [Slot(held, novel=True)] * round(prevalence * n_rl)
    elif scenario == "rare":
        special = [Slot(rare)] * share(rng, n_rl, 0.3, 0.5)
    elif scenario == "degenerate":
        special = [Slot(None, rng.choice(KINDS)) for _ in range(share(rng, n_rl, 0.2, 0.4))]
    rl = special + [Slot(x) for x in allocate(rl_w, n_rl - len(special))]
    rng.shuffle(base)
    rng.shuffle(rl)
    return Plan(scenario, held, rare, base, rl)
