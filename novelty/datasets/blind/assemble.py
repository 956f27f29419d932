"""Scenario logic: which methods base and RL use on each problem, and the records/truth rows.

Every problem draws from its own seed stream (seed, problem index, ...), so problem i never
depends on how many problems, or traces, come after it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import (
    blocks,
    meetings,
    modpow,
    packing,
    pairs,
    recurrence,
    routes,
    subarray,
    triangle,
    urn,
)
from .family import Family, Instance, Method
from .writer import BASE, RECHECK, RL, Style, Writer, degenerate

SCENARIOS = ("novel", "reweight", "restyle", "recheck", "rare", "degenerate")
FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        routes.FAMILY,
        meetings.FAMILY,
        blocks.FAMILY,
        packing.FAMILY,
        pairs.FAMILY,
        subarray.FAMILY,
        modpow.FAMILY,
        urn.FAMILY,
        recurrence.FAMILY,
        triangle.FAMILY,
    )
}
DEGENERATE = ("answer_only", "repeat", "loop")
LONG_P = 0.1  # share of traces padded past a 256-word-piece window
_SHUFFLE_KEY = 2**32  # spawn key of the record shuffle, outside any problem index

_REREAD = (
    "Wait, let me re-read the problem to make sure I have everything right.\n\n{r}\n\n"
    "Yes, that's what I used.",
    "Before going further, let me re-check the statement:\n\n{r}\n\nGood, consistent.",
    "Hmm, let me double-check that I copied the problem correctly.\n\n{r}\n\nOK, it matches.",
)
_FACT = (
    "Let me double-check this against the problem once more: {v}.",
    "Wait, let me verify that again: {v}. Yes.",
    "Hmm, let me re-verify the key result: {v}.",
)
_VAGUE = (
    "Wait, let me double-check that last step again... it seems consistent.",
    "Let me re-verify the intermediate result once more. Yes, I get the same thing.",
)
_SHALLOW = (
    "Let me double-check the final result once more... yes, I'm confident in it.",
    "Let me verify by going over the last step again. It still gives the same answer.",
)


@dataclass
class Plan:
    """One trace to write: who wrote it, with which method, and in which style."""

    model: str
    strategy: str
    novel: bool = False
    degenerate: bool = False
    restyled: bool = False
    style: Style = BASE


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _count(x: float, n: int) -> int:
    """round(x) clipped to [1, n] (at least one trace whenever the share is positive)."""
    return 0 if x <= 0 else min(n, max(1, math.floor(x + 0.5)))


def _draw(rng: np.random.Generator, weights: dict[str, float], n: int) -> list[str]:
    names = list(weights)
    p = np.array([weights[k] for k in names], dtype=float)
    return [names[int(i)] for i in rng.choice(len(names), size=n, p=p / p.sum())]


def plan_problem(
    fam: Family,
    scenario: str,
    rng: np.random.Generator,
    *,
    n_base: int,
    n_rl: int,
    prevalence: float,
    restyle: float,
) -> tuple[list[Plan], dict[str, float]]:
    """Base and RL plans for one problem, plus each method's accuracy on it."""
    names = [m.name for m in fam.methods]
    held = names[int(rng.integers(len(names)))]
    pool = [m for m in names if m != held]
    acc = {m.name: float(np.clip(m.accuracy + rng.normal(0, 0.05), 0.2, 0.97)) for m in fam.methods}
    w = dict(zip(pool, rng.dirichlet(np.full(len(pool), 0.7)), strict=True))
    rare = ""
    if scenario == "rare":
        rare = pool[int(rng.integers(len(pool)))]
        k = min(int(rng.integers(1, 3)), n_base - 1)
        rest = {m: v for m, v in w.items() if m != rare}
        base = [rare] * k + _draw(rng, rest, n_base - k)
    else:
        base = _draw(rng, w, n_base)
    present = {m: w[m] for m in pool if m in base}
    tau, beta = rng.uniform(1.0, 1.5), rng.uniform(3.0, 6.0)
    sharp = {m: v**tau * math.exp(beta * acc[m]) for m, v in present.items()}

    special: list[Plan] = []
    if scenario == "novel":
        special = [Plan("rl", held) for _ in range(_count(prevalence * n_rl, n_rl))]
    elif scenario == "rare":
        special = [Plan("rl", rare) for _ in range(_count(rng.uniform(0.3, 0.5) * n_rl, n_rl))]
        sharp = {m: v for m, v in sharp.items() if m != rare} or sharp
    elif scenario == "degenerate":
        k = _count(rng.uniform(0.2, 0.4) * n_rl, n_rl)
        special = [Plan("rl", str(rng.choice(DEGENERATE)), degenerate=True) for _ in range(k)]
    mix = present if scenario in ("restyle", "recheck") else sharp
    rl = special + [Plan("rl", m) for m in _draw(rng, mix, n_rl - len(special))]
    rl = [rl[int(i)] for i in rng.permutation(len(rl))]
    for p in rl:
        if scenario in ("restyle", "recheck"):
            p.restyled, p.style = True, (RECHECK if scenario == "recheck" else RL)
        elif rng.random() < restyle:
            p.restyled, p.style = True, RL
    used = set(base)
    for p in rl:  # novel means: no base sample of this problem uses the method
        p.novel = not p.degenerate and p.strategy not in used
    return [Plan("base", m) for m in base] + rl, acc


def write_trace(
    fam: Family, inst: Instance, plan: Plan, p_ok: float, rng: np.random.Generator
) -> tuple[str, bool]:
    """Render one trace; returns (text, correct)."""
    math_ = fam.domain == "math"
    if plan.degenerate:
        ok = plan.strategy != "loop" and bool(rng.random() < 0.5)
        w = Writer(rng, plan.style, ok, math_)
        return degenerate(rng, plan.strategy, inst.short(ok, rng), inst.restate, w), ok
    ok = bool(rng.random() < p_ok)
    w = Writer(rng, plan.style, ok, math_)
    w.opener()
    inst.restate(w)
    head = len(w.blocks)
    w.header(("Approach", "Solution", "Working it out", "Plan of attack", "Solving"))
    method: Method = fam.method(plan.strategy)
    answer = method.write(w, inst)
    if ok:
        w.verify(inst.verify())
    elif w.chance(plan.style.verify_p / 2):
        w.blocks.append(w.pick(_SHALLOW))
    if plan.style is RECHECK:  # heavy re-checking: re-read the problem, re-verify results
        again = Writer(rng, plan.style, ok, math_)
        inst.restate(again)
        extra = [w.pick(_REREAD).format(r="\n\n".join(again.blocks))]
        facts = inst.verify() if ok else []
        for k in rng.permutation(3)[: w.int(1, 2)]:
            extra.append(_FACT[int(k)].format(v=w.pick(facts)) if facts else _VAGUE[int(k) % 2])
        for text in extra:
            w.blocks.insert(w.int(head, len(w.blocks)), text)
    w.final(answer)
    if rng.random() < LONG_P:

        def redo() -> list[str]:
            scratch = Writer(rng, plan.style, ok, math_)
            method.write(scratch, inst)
            return scratch.blocks

        w.pad(int(rng.integers(1500, 3400)), inst.asides(), lambda: inst.restate(w), redo)
    return w.text(), ok


def _scenarios(
    arg: str | Sequence[str] | Mapping[str, str] | None, pids: list[str], fams: list[str]
) -> list[str]:
    cyc = [SCENARIOS[i % len(SCENARIOS)] for i in range(len(pids))]

    def check(s: object) -> str:
        if s not in SCENARIOS:
            raise ValueError(f"unknown scenario {s!r}; choose from {', '.join(SCENARIOS)}")
        return str(s)

    if arg is None:
        return cyc
    if isinstance(arg, str):
        return [check(arg)] * len(pids)
    if isinstance(arg, Mapping):
        for key, val in arg.items():
            check(val)
            if key not in pids and key not in fams:
                raise ValueError(
                    f"scenario key {key!r} is neither a problem id ({pids[0]}, ...) nor a "
                    f"selected family ({', '.join(fams)})"
                )
        return [
            str(arg.get(pid, arg.get(f, d)))
            for pid, f, d in zip(pids, _fam_of(pids), cyc, strict=True)
        ]
    if isinstance(arg, Sequence):
        seq = [check(s) for s in arg]
        if not seq:
            raise ValueError("scenarios sequence is empty")
        return [seq[i % len(seq)] for i in range(len(pids))]
    raise ValueError(
        f"scenarios must be a str, sequence, mapping or None, not {type(arg).__name__}"
    )


def _fam_of(pids: list[str]) -> list[str]:
    return [p.rsplit("-", 1)[0] for p in pids]


def _int(name: str, v: object, lo: int) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or int(v) < lo:
        raise ValueError(f"{name} must be an integer >= {lo}, got {v!r}")
    return int(v)


def _share(name: str, v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not 0.0 <= float(v) <= 1.0:
        raise ValueError(f"{name} must be a number in [0, 1], got {v!r}")
    return float(v)


def _families(families: Sequence[str] | None) -> list[str]:
    if families is None:
        return list(FAMILIES)
    if isinstance(families, str) or not isinstance(families, Sequence):
        raise ValueError(f"families must be a sequence of names, got {families!r}")
    out = list(families)
    if not out:
        raise ValueError("families is empty")
    unknown = [f for f in out if f not in FAMILIES]
    if unknown:
        raise ValueError(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
    if len(set(out)) != len(out):
        raise ValueError(f"families has duplicates: {out}")
    return out


def instances(
    n_problems: int, families: Sequence[str] | None, seed: int
) -> list[tuple[str, Instance]]:
    """(problem id, instance) pairs exactly as `generate` draws them (for tests and inspection)."""
    fams = _families(families)
    return [
        (f"{fams[i % len(fams)]}-{i:03d}", FAMILIES[fams[i % len(fams)]].make(_rng(seed, i, 0)))
        for i in range(n_problems)
    ]


def generate(
    *,
    n_problems: int = 12,
    n_base: int = 64,
    n_rl: int = 64,
    scenarios: str | Sequence[str] | Mapping[str, str] | None = None,
    prevalence: float = 0.3,
    restyle: float = 0.5,
    families: Sequence[str] | None = None,
    seed: int = 0,
) -> tuple[list[dict], list[dict]]:
    """Records (canonical input rows) and aligned truth rows, shuffled with the seed."""
    n_problems = _int("n_problems", n_problems, 1)
    n_base = _int("n_base", n_base, 2)
    n_rl = _int("n_rl", n_rl, 1)
    seed = _int("seed", seed, 0)
    prevalence, restyle = _share("prevalence", prevalence), _share("restyle", restyle)
    fams = _families(families)
    probs = instances(n_problems, fams, seed)
    pids = [pid for pid, _ in probs]
    scen = _scenarios(scenarios, pids, fams)
    records, truth = [], []
    for i, ((pid, inst), sc) in enumerate(zip(probs, scen, strict=True)):
        fam = FAMILIES[fams[i % len(fams)]]
        plans, acc = plan_problem(
            fam,
            sc,
            _rng(seed, i, 1),
            n_base=n_base,
            n_rl=n_rl,
            prevalence=prevalence,
            restyle=restyle,
        )
        lift = float(_rng(seed, i, 2).uniform(0.03, 0.1))
        fmt = {m.name: m.fmt for m in fam.methods}
        counter = {"base": 0, "rl": 1}
        j = {"base": 0, "rl": 0}
        for plan in plans:
            p_ok = acc.get(plan.strategy, 0.0) + (lift if plan.model == "rl" else 0.0)
            rng = _rng(seed, i, 3 + counter[plan.model], j[plan.model])
            text, ok = write_trace(fam, inst, plan, min(p_ok, 0.98), rng)
            rid = f"{pid}.{plan.model}.{j[plan.model]:03d}"
            j[plan.model] += 1
            records.append(
                {
                    "id": rid,
                    "problem_id": pid,
                    "model": plan.model,
                    "text": text,
                    "correct": ok,
                    "domain": fam.domain,
                }
            )
            truth.append(
                {
                    "id": rid,
                    "problem_id": pid,
                    "model": plan.model,
                    "strategy": plan.strategy,
                    "novel": plan.novel,
                    "degenerate": plan.degenerate,
                    "scenario": sc,
                    "restyled": plan.restyled,
                    "format": fmt.get(plan.strategy, "prose"),
                    "family": fam.name,
                }
            )
    order = _rng(seed, _SHUFFLE_KEY).permutation(len(records))
    return [records[int(k)] for k in order], [truth[int(k)] for k in order]
