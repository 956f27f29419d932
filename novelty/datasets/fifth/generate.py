"""The public entry point: validate arguments, then build each problem independently.

Every random choice for problem i comes from string-seeded `random.Random` objects keyed
by (seed, i, ...), so a problem never depends on how many problems were requested.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .core import FORMATS, Family, Instance
from .families import FAMILIES
from .plan import SCENARIOS, Spec, plan
from .shortcuts import shortcut
from .voices import VOICES, write

SLIP_RATE = 0.05
LONG_RATE = 0.3
THINK_RATE = 0.25


def family_for(seed: int, i: int) -> Family:
    """The family of problem i: rotates with the seed so every family meets every scenario."""
    return FAMILIES[(i + seed) % len(FAMILIES)]


def instance_for(seed: int, i: int) -> Instance:
    """The concrete instance of problem i (independent of scenario and sample counts)."""
    return family_for(seed, i).make(random.Random(f"fifth|{seed}|{i}|instance"))


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


def _schedule(scenarios: str | Sequence[str] | None) -> tuple[str, ...]:
    if scenarios is None:
        return SCENARIOS
    sched = (scenarios,) if isinstance(scenarios, str) else tuple(scenarios)
    if not sched:
        raise ValueError("scenarios must name at least one scenario")
    for s in sched:
        if s not in SCENARIOS:
            raise ValueError(f"unknown scenario {s!r}; expected one of {', '.join(SCENARIOS)}")
    return sched


def _voices(rng: random.Random) -> tuple[str, ...]:
    """One primary restyle voice, sometimes preceded by a compatible secondary one."""
    primary = rng.choice(VOICES)
    extra = [v for v in ("bold", "reworded", "first_person", "numbered_steps") if v != primary]
    if primary != "terse" and rng.random() < 0.4:
        return (rng.choice(extra), primary)
    return (primary,)


def _trace(
    fam: Family, inst: Instance, spec: Spec, rng: random.Random
) -> tuple[str, bool, str, str]:
    """Text, correctness, strategy name and format for one sample."""
    if spec.shortcut is not None:
        text, stated = shortcut(spec.shortcut, fam, inst, rng)
        return text, stated == inst.answer, spec.shortcut, "prose"
    method = fam.methods[spec.method]
    slip = bool(inst.wrong) and rng.random() < SLIP_RATE
    ans = rng.choice(inst.wrong) if slip else inst.answer
    voices = _voices(rng) if spec.restyled else ()
    text = write(
        fam,
        inst,
        method,
        rng,
        ans,
        long=rng.random() < LONG_RATE,
        think=rng.random() < THINK_RATE,
        voices=voices,
        recheck=spec.recheck,
    )
    return text, not slip, method.name, method.fmt


def problem(
    seed: int, i: int, scenario: str, n_base: int, n_rl: int, prevalence: float, period: int = 1
) -> tuple[list[dict], list[dict]]:
    """Records and truth rows for problem i; period is the schedule length.

    The held-out format index (i // period + seed) % 4 rotates the planted format across
    successive passes through the schedule and across seeds.
    """
    fam = family_for(seed, i)
    inst = instance_for(seed, i)
    fmt_index = (i // period + seed) % len(FORMATS)
    prng = random.Random(f"fifth|{seed}|{i}|plan|{scenario}|{n_base}|{n_rl}|{prevalence!r}")
    specs = plan(scenario, fam, fmt_index, n_base, n_rl, prevalence, prng)
    base_used = {s.method for s in specs if s.model == "base"}
    pid = f"{fam.key}-{i:03d}"
    records, truth = [], []
    counters = {"base": 0, "rl": 0}
    for spec in specs:
        k = counters[spec.model]
        counters[spec.model] += 1
        rid = f"{pid}:{spec.model}:{k:03d}"
        rng = random.Random(f"fifth|{seed}|{i}|{spec.model}|{k}|{scenario}|{n_base}|{n_rl}")
        text, correct, strategy, fmt = _trace(fam, inst, spec, rng)
        novel = spec.shortcut is None and spec.method not in base_used
        records.append(
            {
                "id": rid,
                "problem_id": pid,
                "model": spec.model,
                "text": text,
                "correct": correct,
                "domain": fam.domain,
            }
        )
        truth.append(
            {
                "id": rid,
                "problem_id": pid,
                "model": spec.model,
                "strategy": strategy,
                "novel": novel,
                "degenerate": spec.shortcut is not None,
                "scenario": scenario,
                "restyled": spec.restyled,
                "format": fmt,
                "family": fam.key,
            }
        )
    return records, truth


def generate(
    n_problems: int = 12,
    n_base: int = 64,
    n_rl: int = 64,
    *,
    seed: int = 0,
    prevalence: float = 0.2,
    scenarios: str | Sequence[str] | None = None,
) -> tuple[list[dict], list[dict]]:
    """Synthetic base/RL traces with ground truth; see the package docstring for scenarios."""
    _count("n_problems", n_problems)
    _count("n_base", n_base)
    _count("n_rl", n_rl)
    if isinstance(prevalence, bool) or not isinstance(prevalence, (int, float)):
        raise ValueError(f"prevalence must be a number in [0, 1], got {prevalence!r}")
    if not 0.0 <= prevalence <= 1.0:
        raise ValueError(f"prevalence must be in [0, 1], got {prevalence!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    sched = _schedule(scenarios)
    records: list[dict] = []
    truth: list[dict] = []
    for i in range(n_problems):
        r, t = problem(seed, i, sched[i % len(sched)], n_base, n_rl, prevalence, len(sched))
        records += r
        truth += t
    return records, truth


__all__ = ["FORMATS", "SCENARIOS", "family_for", "generate", "instance_for", "problem"]
