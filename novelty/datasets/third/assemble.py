"""`generate`: problems -> plans -> traces, returned as detector records plus ground truth."""

from __future__ import annotations

from collections.abc import Sequence
from random import Random
from typing import Any

from .core import Family
from .families import FAMILIES
from .phrasing import Ph
from .plan import SCENARIOS, Plan, Slot, make_plan
from .recheck import recheck
from .segments import Segment, join
from .shortcuts import shortcut
from .styling import restyle, restyle_body
from .traces import base_segments, base_text, lengthen, work

LONG_SHARE = 0.1  # traces with digressions, restatements and redone steps
RL_SLIP_FACTOR = 0.6  # RL slips less where it re-weighted toward accurate methods
SHORTCUT_RIGHT = 0.6  # degenerate answers are right this often


def _schedule(scenarios: str | Sequence[str] | None) -> tuple[str, ...]:
    if scenarios is None:
        sched: tuple[str, ...] = SCENARIOS
    elif isinstance(scenarios, str):
        sched = (scenarios,)
    else:
        sched = tuple(scenarios)
    if not sched:
        raise ValueError("scenarios must name at least one scenario")
    unknown = [s for s in sched if s not in SCENARIOS]
    if unknown:
        raise ValueError(f"unknown scenario(s) {unknown}; choose from {SCENARIOS}")
    return sched


def _check(n_problems: int, n_base: int, n_rl: int, prevalence: float, restyle_p: float) -> None:
    if n_problems < 0:
        raise ValueError(f"n_problems must be >= 0, got {n_problems}")
    if n_base < 1:
        raise ValueError(f"n_base must be >= 1, got {n_base}")
    if n_rl < 1:
        raise ValueError(f"n_rl must be >= 1, got {n_rl}")
    if not 0.0 <= prevalence <= 1.0:
        raise ValueError(f"prevalence must be in [0, 1], got {prevalence}")
    if not 0.0 <= restyle_p <= 1.0:
        raise ValueError(f"restyle must be in [0, 1], got {restyle_p}")


def _method_trace(
    fam: Family, inst: Any, idx: int, rl: bool, scenario: str, restyle_p: float, rng: Random
) -> tuple[str, bool, bool]:
    """One worked trace: (text, correct, restyled)."""
    method = fam.methods[idx]
    factor = RL_SLIP_FACTOR if rl and scenario not in ("restyle", "recheck") else 1.0
    slip = rng.random() < method.error * factor
    long = rng.random() < LONG_SHARE
    restyled = rl and (rng.random() < restyle_p or scenario in ("restyle", "recheck"))
    worked, lines, ans = work(fam, method, inst, slip, rng)
    segs = base_segments(fam, method, inst, lines, ans, rng)
    if long:
        segs = lengthen(segs, fam, inst, rng)
    if restyled:
        segs = restyle(segs, rng)
        if scenario == "recheck":

            def redo() -> list[Segment]:
                again, _ = method.render(worked, Ph(rng))
                style = rng.choice(("step", "paren", "keep", "bullet"))
                return [("body", restyle_body(x, rng, style)) for x in again]

            segs = recheck(segs, lines, redo, rng)
    else:
        segs = base_text(segs, rng)
    return join(segs), ans == fam.solve(inst), restyled


def _shortcut_trace(fam: Family, inst: Any, kind: str, pool: list[int], rng: Random) -> tuple:
    """One degenerate trace: (text, correct)."""
    truth = fam.solve(inst)
    ans = truth if rng.random() < SHORTCUT_RIGHT else fam.solve(fam.perturb(inst, rng))
    ph = Ph(rng)
    first = fam.methods[rng.choice(pool)].render(inst, ph)[0][0]
    text, answered = shortcut(kind, fam.restate(inst, ph), first, fam.show(inst, ans), rng)
    return text, answered and ans == truth


def _problem(
    i: int, fam: Family, scenario: str, n_base: int, n_rl: int, seed: int,
    prevalence: float, restyle_p: float,
) -> tuple[list[dict], list[dict]]:  # fmt: skip
    rng = Random(f"third|{seed}|{i}|plan")
    inst = fam.make(rng)
    plan: Plan = make_plan(fam, scenario, n_base, n_rl, prevalence, rng)
    pid = f"{fam.key}-{i:03d}"
    pool = sorted(set(plan.base))
    records: list[dict] = []
    truth: list[dict] = []
    slots = [("base", j, Slot(m)) for j, m in enumerate(plan.base)]
    slots += [("rl", j, s) for j, s in enumerate(plan.rl)]
    for model, j, slot in slots:
        trng = Random(f"third|{seed}|{i}|{model}|{j}")
        rid = f"{pid}-{model}-{j:03d}"
        if slot.method is None:
            assert slot.shortcut is not None
            text, correct = _shortcut_trace(fam, inst, slot.shortcut, pool, trng)
            strategy, fmt, restyled, degenerate = slot.shortcut, "prose", False, True
        else:
            text, correct, restyled = _method_trace(
                fam, inst, slot.method, model == "rl", scenario, restyle_p, trng
            )
            method = fam.methods[slot.method]
            strategy, fmt, degenerate = method.name, method.format, False
        records.append(
            {
                "id": rid,
                "problem_id": pid,
                "model": model,
                "text": text,
                "correct": bool(correct),
                "domain": fam.domain,
            }
        )
        truth.append(
            {
                "id": rid,
                "problem_id": pid,
                "model": model,
                "strategy": strategy,
                "novel": slot.novel and scenario == "novel",
                "degenerate": degenerate,
                "scenario": scenario,
                "restyled": restyled,
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
    restyle: float = 0.15,
) -> tuple[list[dict], list[dict]]:
    """Synthetic base/RL reasoning traces with known strategies, plus aligned ground truth.

    Problem i uses family i mod 8 and scenario i mod len(scenarios), and is seeded from
    (seed, i) alone, so it is identical however many problems are generated.
    """
    _check(n_problems, n_base, n_rl, prevalence, restyle)
    sched = _schedule(scenarios)
    keys = list(FAMILIES)
    records: list[dict] = []
    truth: list[dict] = []
    for i in range(n_problems):
        fam = FAMILIES[keys[i % len(keys)]]
        r, t = _problem(i, fam, sched[i % len(sched)], n_base, n_rl, seed, prevalence, restyle)
        records += r
        truth += t
    return records, truth
