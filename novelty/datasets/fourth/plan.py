"""Scenario planning: which method (or shortcut) each base and RL sample of a problem uses."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from ._types import Method
from .voices import SHORTCUTS

SCENARIOS: tuple[str, ...] = ("novel", "reweight", "restyle", "recheck", "rare", "degenerate")


@dataclass(frozen=True)
class Slot:
    """One planned sample: a method index and how RL changed it."""

    method: int
    shortcut: str = ""
    novel: bool = False
    restyled: bool = False
    recheck: bool = False


@dataclass(frozen=True)
class Plan:
    base: list[Slot]
    rl: list[Slot]
    held_out: int | None = None
    rare: int | None = None


def _mixture(
    rng: random.Random, pool: Sequence[int], n: int, min_each: int, weights: dict[int, float]
) -> list[int]:
    """``n`` method indices over ``pool``: ``min_each`` of each where possible, rest weighted."""
    floor = min(min_each, n // len(pool))
    out = [m for m in pool for _ in range(floor)]
    rest = n - len(out)
    if rest:
        out += rng.choices(list(pool), [weights[m] for m in pool], k=rest)
    rng.shuffle(out)
    return out


def plan(
    scenario: str,
    methods: Sequence[Method],
    rng: random.Random,
    n_base: int,
    n_rl: int,
    prevalence: float,
    held_fmt: str,
) -> Plan:
    """The samples of one problem under ``scenario``.

    ``held_fmt`` is the format of the method held out of base in a "novel" problem
    (rotated by the caller so every format gets planted over a run).
    """
    every = list(range(len(methods)))
    w = {m: rng.uniform(0.5, 2.0) for m in every}
    k = round(prevalence * n_rl)
    if scenario == "novel":
        held = rng.choice([m for m in every if methods[m].fmt == held_fmt])
        pool = [m for m in every if m != held]
        base = [Slot(m) for m in _mixture(rng, pool, n_base, 3, w)]
        rl = [Slot(held, novel=True)] * k + [Slot(m) for m in _mixture(rng, pool, n_rl - k, 0, w)]
        rng.shuffle(rl)
        return Plan(base, rl, held_out=held)
    if scenario == "rare":
        rare = rng.choice(every)
        pool = [m for m in every if m != rare]
        r = min(n_base, rng.choice((1, 2)))
        base = [Slot(m) for m in [rare] * r + _mixture(rng, pool, n_base - r, 3, w)]
        rng.shuffle(base)
        share = min(n_rl, max(1, round(rng.uniform(0.2, 0.4) * n_rl)))
        picks = [rare] * share + _mixture(rng, pool, n_rl - share, 0, w)
        rl = [Slot(m, restyled=True) for m in picks]
        rng.shuffle(rl)
        return Plan(base, rl, rare=rare)
    base = [Slot(m) for m in _mixture(rng, every, n_base, 3, w)]
    if scenario == "reweight":
        dom = min(every, key=lambda m: w[m])  # the base model's least favourite
        n_dom = min(n_rl, round(rng.uniform(0.6, 0.85) * n_rl))
        inv = {m: 1.0 / w[m] for m in every}
        rest = _mixture(rng, [m for m in every if m != dom], n_rl - n_dom, 0, inv)
        rl = [Slot(m) for m in [dom] * n_dom + rest]
    elif scenario == "restyle":
        rl = [Slot(m, restyled=True) for m in _mixture(rng, every, n_rl, 0, w)]
    elif scenario == "recheck":
        rl = [Slot(m, recheck=True) for m in _mixture(rng, every, n_rl, 0, w)]
    elif scenario == "degenerate":
        cuts = [Slot(rng.choice(every), shortcut=rng.choice(SHORTCUTS)) for _ in range(k)]
        rl = cuts + [Slot(m) for m in _mixture(rng, every, n_rl - k, 0, w)]
    else:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {SCENARIOS}")
    rng.shuffle(rl)
    return Plan(base, rl)
