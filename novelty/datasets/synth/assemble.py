"""Problems and their samples: which method each base and RL sample uses, per scenario.

Ground truth marks an RL trace ``novel`` only when its method appears in no base sample of its
problem. Everything is drawn from one ``np.random.default_rng(seed)`` passed down, so a seed fixes
the output byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from novelty.datasets.synth.families import FAMILIES
from novelty.datasets.synth.family import Family
from novelty.datasets.synth.render import BASE_STYLE, RESTYLED_STYLE, render_trace
from novelty.errors import ConfigError

__all__ = ["SCENARIOS", "generate"]

# What RL did to a problem's strategies (see ``generate``).
SCENARIOS = ("novel", "reweight", "restyle", "rare")

# RL training raises a method's success rate by this much (capped at _P_MAX).
_RL_BONUS, _P_MAX = 0.08, 0.97
# How strongly ``reweight`` sharpens RL toward the most accurate methods: w ∝ n_base · e^{k·p}.
_SHARPEN = 6.0


def _normalise(w: np.ndarray) -> np.ndarray:
    return w / w.sum()


def _problem(
    index: int,
    fam: Family,
    scenario: str,
    *,
    n_base: int,
    n_rl: int,
    prevalence: float,
    restyle: float,
    long_fraction: float,
    rng: np.random.Generator,
) -> tuple[list[dict], list[dict]]:
    """Records and truth for one problem instance (see ``generate`` for the scenarios)."""
    ctx, wrongs = fam.make(rng)
    pid = f"{fam.name}-{index:03d}"
    by_name = {m.name: m for m in fam.methods}
    names = list(by_name)
    # One method is never sampled by base; only the ``novel`` scenario lets RL use it.
    held = names[int(rng.integers(len(names)))]
    pool = [x for x in names if x != held]
    p_ok = {x: by_name[x].p_correct for x in names}
    p_ok[held] = min(0.95, max(p_ok.values()) + 0.1)  # discovered methods can be better ones

    rare = None
    if scenario == "rare":
        rare = pool[int(rng.integers(len(pool)))]
        rest = [x for x in pool if x != rare]
        k = min(int(rng.integers(1, 3)), n_base)
        draws = rng.choice(rest, size=n_base - k, p=rng.dirichlet(np.full(len(rest), 0.8)))
        base = [rare] * k + [str(x) for x in draws]
        base = [base[i] for i in rng.permutation(n_base)]
    else:
        draws = rng.choice(pool, size=n_base, p=rng.dirichlet(np.full(len(pool), 0.8)))
        base = [str(x) for x in draws]

    # RL samples only methods some base sample used, except the planted ones below.
    present = [x for x in names if x in base and x != rare] or [x for x in names if x in base]
    counts = np.array([base.count(x) for x in present], dtype=float)
    if scenario == "restyle":
        w_rl = _normalise(counts)
    else:
        acc = np.array([p_ok[x] for x in present])
        w_rl = _normalise(counts * np.exp(_SHARPEN * (acc - acc.max())))
    special, n_special = None, 0
    if scenario == "novel" and prevalence > 0:
        special, n_special = held, max(1, round(prevalence * n_rl))
    elif scenario == "rare":
        special, n_special = rare, max(1, round(rng.uniform(0.3, 0.5) * n_rl))
    n_special = min(n_special, n_rl)
    rl = [special] * n_special + [
        str(x) for x in rng.choice(present, size=n_rl - n_special, p=w_rl)
    ]
    rl = [rl[i] for i in rng.permutation(n_rl)]
    p_restyle = 1.0 if scenario == "restyle" else restyle

    used_by_base = set(base)
    records, truth = [], []
    for model, methods in (("base", base), ("rl", rl)):
        for j, name in enumerate(methods):
            restyled = model == "rl" and rng.random() < p_restyle
            long = bool(rng.random() < long_fraction)
            p = p_ok[name] + (_RL_BONUS if model == "rl" else 0.0)
            correct = bool(rng.random() < min(p, _P_MAX))
            tctx = ctx if correct else {**ctx, "ans": wrongs[int(rng.integers(len(wrongs)))]}
            text = render_trace(
                fam,
                by_name[name],
                tctx,
                RESTYLED_STYLE if restyled else BASE_STYLE,
                long=long,
                rng=rng,
            )
            tid = f"{pid}.{model}.{j:03d}"
            records.append(
                {
                    "id": tid,
                    "problem_id": pid,
                    "model": model,
                    "text": text,
                    "correct": correct,
                    "domain": fam.domain,
                }
            )
            truth.append(
                {
                    "id": tid,
                    "problem_id": pid,
                    "model": model,
                    "strategy": name,
                    "novel": model == "rl" and name not in used_by_base,
                    "scenario": scenario,
                    "restyled": restyled,
                    "long": long,
                }
            )
    return records, truth


def _scenario_list(
    scenarios: str | Sequence[str] | Mapping[str, str] | None, problems: list[tuple[str, str]]
) -> list[str]:
    """Scenario of each (problem_id, family) pair. A sequence cycles over problems; a mapping
    names problems (or whole families) and leaves the rest to the default cycle."""
    if scenarios is None or isinstance(scenarios, Mapping):
        cycle: Sequence[str] = SCENARIOS
    elif isinstance(scenarios, str):
        cycle = (scenarios,)
    else:
        cycle = tuple(scenarios)
    if not cycle:
        raise ConfigError("scenarios is empty; give at least one of " + ", ".join(SCENARIOS))
    out = [cycle[i % len(cycle)] for i in range(len(problems))]
    if isinstance(scenarios, Mapping):
        known = {k for pf in problems for k in pf}
        unknown = sorted(set(scenarios) - known)
        if unknown:
            raise ConfigError(
                f"scenarios names problems or families that are not generated: {', '.join(unknown)}"
            )
        out = [
            scenarios.get(pid, scenarios.get(fam, s))
            for (pid, fam), s in zip(problems, out, strict=True)
        ]
    bad = sorted(set(out) - set(SCENARIOS))
    if bad:
        raise ConfigError(f"unknown scenario {bad[0]!r}; choose from {', '.join(SCENARIOS)}")
    return out


def generate(
    *,
    n_problems: int = 12,
    n_base: int = 64,
    n_rl: int = 64,
    scenarios: str | Sequence[str] | Mapping[str, str] | None = None,
    prevalence: float = 0.3,
    restyle: float = 0.5,
    long_fraction: float = 0.1,
    families: Sequence[str] | None = None,
    seed: int = 0,
) -> tuple[list[dict], list[dict]]:
    """Generate base and RL reasoning traces with known strategies.

    Problem ``i`` belongs to family ``families[i % len(families)]`` and gets its own numbers.
    Base samples mix all but one of the family's methods with Dirichlet weights (some methods
    come out rare). What RL does depends on the problem's scenario:

    - ``reweight``: the same methods, sharpened toward the more accurate ones;
    - ``restyle``: the base mixture unchanged, every RL trace restyled (self-checks, connectives);
    - ``novel``: a share ``prevalence`` of RL samples use the method base never samples, the rest
      reweight; only these traces are ``novel`` in the truth;
    - ``rare``: a method used by 1–2 base samples takes 30–50 % of RL samples (amplified, so not
      novel).

    Parameters
    ----------
    n_problems : int, default 12
        Problem instances (``problem_id`` like ``"quadratic-000"``).
    n_base, n_rl : int, default 64
        Samples per problem from each model.
    scenarios : str, sequence of str, mapping or None
        One scenario for all problems, a sequence cycled over problems, or a mapping from
        problem id or family name to scenario (others follow the default cycle). None cycles
        ``("novel", "reweight", "restyle", "rare")``.
    prevalence : float, default 0.3
        Share of RL samples that use the held-out method in ``novel`` problems.
    restyle : float, default 0.5
        Probability that an RL trace is restyled outside ``restyle`` problems (there it is 1).
    long_fraction : float, default 0.1
        Share of traces (both models) written long: every optional step plus re-derivations,
        1,500–2,800 characters, more than one 256-word-piece window.
    families : sequence of str, optional
        Family names to cycle (default all of ``FAMILIES``, in order).
    seed : int, default 0
        Seeds ``np.random.default_rng``; the output is a function of the arguments alone.

    Returns
    -------
    records : list of dict
        Canonical input records ``{id, problem_id, model, text, correct, domain}``, shuffled.
    truth : list of dict
        Aligned with ``records``: ``{id, problem_id, model, strategy, novel, scenario,
        restyled, long}``.
    """
    if n_problems < 1 or n_base < 1 or n_rl < 1:
        raise ConfigError("n_problems, n_base and n_rl must each be at least 1")
    for name, value in (
        ("prevalence", prevalence),
        ("restyle", restyle),
        ("long_fraction", long_fraction),
    ):
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"{name} must be between 0 and 1, got {value}")
    fam_names = list(FAMILIES) if families is None else list(families)
    unknown = [f for f in fam_names if f not in FAMILIES]
    if unknown or not fam_names:
        raise ConfigError(
            f"unknown family {unknown[0] if unknown else '(none given)'!r}; "
            f"choose from {', '.join(FAMILIES)}"
        )
    fams = [FAMILIES[fam_names[i % len(fam_names)]] for i in range(n_problems)]
    plan = _scenario_list(scenarios, [(f"{f.name}-{i:03d}", f.name) for i, f in enumerate(fams)])

    rng = np.random.default_rng(seed)
    records: list[dict] = []
    truth: list[dict] = []
    # One child generator per problem: problem i does not depend on how many follow it.
    for i, (fam, scenario, child) in enumerate(zip(fams, plan, rng.spawn(n_problems), strict=True)):
        recs, tr = _problem(
            i,
            fam,
            scenario,
            n_base=n_base,
            n_rl=n_rl,
            prevalence=prevalence,
            restyle=restyle,
            long_fraction=long_fraction,
            rng=child,
        )
        records += recs
        truth += tr
    order = rng.permutation(len(records))
    return [records[i] for i in order], [truth[i] for i in order]
