"""Assembly: problems, plans and voices turned into records and aligned ground truth."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

from ._text import pick
from ._types import FORMATS, Family
from .families import FAMILIES
from .plan import SCENARIOS, Slot, plan
from .voices import compose, shortcut

#: Chance that a worked (non-shortcut) trace states a wrong final answer.
SLIP_RATE = 0.06


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _schedule(scenarios: str | Sequence[str] | None) -> tuple[str, ...]:
    if scenarios is None:
        return SCENARIOS
    sched = (scenarios,) if isinstance(scenarios, str) else tuple(scenarios)
    if not sched:
        raise ValueError("scenarios must name at least one scenario")
    bad = [s for s in sched if s not in SCENARIOS]
    if bad:
        raise ValueError(f"unknown scenario(s) {bad!r}; choose from {SCENARIOS}")
    return sched


def generate(
    n_problems: int = 12,
    n_base: int = 64,
    n_rl: int = 64,
    *,
    seed: int = 0,
    prevalence: float = 0.2,
    scenarios: str | Sequence[str] | None = None,
) -> tuple[list[dict], list[dict]]:
    """Synthetic base/RL traces with planted strategy changes, plus per-trace ground truth.

    Parameters
    ----------
    n_problems, n_base, n_rl : int
        Problems, and base and RL samples per problem (all >= 1).
    seed : int
        Problem ``i`` depends only on ``(seed, i)`` and the scenario schedule.
    prevalence : float in [0, 1]
        Share of RL samples that use the held-out method ("novel") or a shortcut
        ("degenerate"); the count is ``round(prevalence * n_rl)``.
    scenarios : str, sequence of str, or None
        Problem ``i`` uses ``sched[i % len(sched)]``; None means every scenario.

    Returns
    -------
    records, truth : list of dict
        ``records`` follow the input contract (id, problem_id, model, text, correct,
        domain); ``truth`` is aligned one-to-one and says which strategy each trace used.
    """
    n_problems = _check_count("n_problems", n_problems)
    n_base = _check_count("n_base", n_base)
    n_rl = _check_count("n_rl", n_rl)
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if (
        isinstance(prevalence, bool)
        or not isinstance(prevalence, Real)
        or not math.isfinite(prevalence)
        or not 0.0 <= prevalence <= 1.0
    ):
        raise ValueError(f"prevalence must be a number in [0, 1], got {prevalence!r}")
    sched = _schedule(scenarios)

    records: list[dict] = []
    truth: list[dict] = []
    for i in range(n_problems):
        scenario = sched[i % len(sched)]
        fam = FAMILIES[(i + seed) % len(FAMILIES)]
        rng = random.Random(f"fourth|{seed}|{i}")
        inst = fam.make(rng)
        held_fmt = FORMATS[(i // len(sched) + seed) % len(FORMATS)]
        p = plan(scenario, fam.methods, rng, n_base, n_rl, float(prevalence), held_fmt)
        pid = f"{fam.key}-{i:03d}"
        for model, slots in (("base", p.base), ("rl", p.rl)):
            for k, slot in enumerate(slots):
                trng = random.Random(f"fourth|{seed}|{i}|{model}|{k}")
                text, ok, strategy, fmt = _trace(fam, inst, slot, trng)
                tid = f"{pid}:{model}:{k:03d}"
                records.append(
                    {
                        "id": tid,
                        "problem_id": pid,
                        "model": model,
                        "text": text,
                        "correct": ok,
                        "domain": fam.domain,
                    }
                )
                truth.append(
                    {
                        "id": tid,
                        "problem_id": pid,
                        "model": model,
                        "strategy": strategy,
                        "novel": slot.novel,
                        "degenerate": bool(slot.shortcut),
                        "scenario": scenario,
                        "restyled": slot.restyled,
                        "format": fmt,
                        "family": fam.key,
                    }
                )
    return records, truth


def _trace(fam: Family, inst: Any, slot: Slot, rng: random.Random) -> tuple[str, bool, str, str]:
    """(text, correct, strategy, format) of one planned sample."""
    method = fam.methods[slot.method]
    if slot.shortcut:
        text, ok = shortcut(slot.shortcut, fam, inst, method, rng)
        fmt = method.fmt if slot.shortcut == "truncated" else "prose"
        return text, ok, slot.shortcut, fmt
    slip = rng.random() < SLIP_RATE and bool(inst.decoys)
    answer = pick(rng, inst.decoys) if slip else inst.answer
    text = compose(
        fam, inst, method, rng, rl_voice=slot.restyled, recheck=slot.recheck, answer=answer
    )
    return text, not slip, method.name, method.fmt
