"""Synthetic reasoning traces with planted strategies, for testing novelty detection honestly.

Real traces come without strategy labels, so detection power and false-discovery control are
measured here, on math traces whose solution method is known. The generator is built so that a
detector cannot win by surface tricks:

- every trace of a problem restates the same statement and numbers, so whole-text embeddings are
  dominated by what all traces share (as with real model output);
- methods differ in what they compute, each step has several paraphrases, and optional steps,
  digressions, mentions of other methods, false starts and long re-derivations blur them;
- RL traces may be *restyled* (self-verification, heavier connectives, other paraphrases) in every
  scenario, so style alone never signals novelty;
- a method that base samples only once or twice (``rare``) is amplified by RL, not discovered.

Ground truth marks an RL trace ``novel`` only when its method appears in no base sample of its
problem. Everything is drawn from one ``np.random.default_rng(seed)`` passed down, so a seed fixes
the output byte for byte.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from novelty import synth_templates as T
from novelty.atomic import atomic_write_bytes
from novelty.errors import ConfigError
from novelty.synth_templates import FAMILIES, Family, Method, Step

__all__ = ["FAMILIES", "SCENARIOS", "generate", "write_jsonl"]

# What RL did to a problem's strategies (see ``generate``).
SCENARIOS = ("novel", "reweight", "restyle", "rare")

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# LaTeX environment names that look like placeholders but are literal.
_LATEX_WORDS = frozenset({"vmatrix", "pmatrix"})
# First words that keep their capital after a connective ("So, Vieta's formulas ...").
_PROPER = frozenset({"Vieta's", "Euler's", "Pascal's", "Cramer's", "Fermat's", "Gauss", "CRT"})
# Steps that already open with a connective get no second one ("So, so ...").
_OPENS_LINKED = frozenset(
    {
        "So",
        "So,",
        "Then",
        "Then,",
        "Hence",
        "Hence,",
        "Thus",
        "Therefore",
        "Now",
        "Now,",
        "Next,",
        "Finally,",
        "First",
        "First,",
        "Since",
        "Adding,",
        "Dividing,",
    }
)
# RL training raises a method's success rate by this much (capped at _P_MAX).
_RL_BONUS, _P_MAX = 0.08, 0.97
# How strongly ``reweight`` sharpens RL toward the most accurate methods: w ∝ n_base · e^{k·p}.
_SHARPEN = 6.0


@dataclass(frozen=True)
class _Style:
    """How a trace is written. Probabilities are per step unless noted."""

    rl: bool
    opener: float  # per trace: open with a generic first sentence
    connective: float  # prefix a step with "So, " / "Okay, so " ...
    verify: float  # re-derive the step after "Wait, let me double-check that."
    again: float  # after a re-check, check a second time
    digress: float  # add an aside after the step
    check: float  # per trace: verify the final result


_BASE = _Style(
    rl=False, opener=0.3, connective=0.15, verify=0.02, again=0.0, digress=0.15, check=0.2
)
_RESTYLED = _Style(
    rl=True, opener=0.85, connective=0.55, verify=0.3, again=0.3, digress=0.15, check=0.75
)


def _fill(template: str, ctx: Mapping[str, str]) -> str:
    """Substitute ``{name}`` placeholders; an unknown name is a template bug, so it raises."""

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in ctx:
            return ctx[key]
        if key in _LATEX_WORDS:
            return m.group(0)
        raise KeyError(f"template placeholder {{{key}}} has no value: {template!r}")

    return _PLACEHOLDER.sub(sub, template)


def _pick(options: Sequence[str], rng: np.random.Generator, style: _Style | None = None) -> str:
    """Choose a paraphrase. Base text favours the first phrasings, restyled RL text the last,
    so the two draw on the same pool with different weights."""
    n = len(options)
    if style is None or n == 1:
        return options[int(rng.integers(n))]
    w = np.arange(1, n + 1, dtype=float) if style.rl else np.arange(n, 0, -1, dtype=float)
    return options[int(rng.choice(n, p=w / w.sum()))]


def _lower_first(text: str) -> str:
    """Lower-case a sentence's first letter so it can follow a connective."""
    first = text.split(" ", 1)[0]
    if len(text) > 1 and text[0].isupper() and text[1].islower() and first not in _PROPER:
        return text[0].lower() + text[1:]
    return text


def _digression(
    fam: Family, method: Method, ctx: Mapping[str, str], rng: np.random.Generator
) -> str:
    """An aside: a fact about the problem, a generic remark, or a mention of another method
    (mentioning a method is not using it, so base traces may name a method they never use)."""
    kind = rng.random()
    if kind < 0.45:
        return _fill(_pick(fam.digressions, rng), ctx)
    if kind < 0.7:
        return _pick(T.GENERIC_DIGRESSIONS, rng)
    others = [m.phrase for m in fam.methods if m.name != method.name]
    return _fill(_pick(T.ALT_MENTIONS, rng), {"alt": _pick(others, rng)})


def _step_text(step: Step, ctx: Mapping[str, str], style: _Style, rng: np.random.Generator) -> str:
    return _fill(_pick(step.templates, rng, style), ctx)


def _body(
    fam: Family,
    method: Method,
    ctx: Mapping[str, str],
    style: _Style,
    rng: np.random.Generator,
    *,
    every_step: bool,
) -> list[str]:
    """The method's steps as paragraphs, with optional steps, connectives, re-checks and asides."""
    out: list[str] = []
    last = len(method.steps) - 1
    for i, step in enumerate(method.steps):
        if not every_step and step.p < 1.0 and rng.random() >= step.p:
            continue
        text = _step_text(step, ctx, style, rng)
        if not text:
            continue
        if out and text.split(" ", 1)[0] not in _OPENS_LINKED and rng.random() < style.connective:
            conn = _pick(T.CONNECTIVES_RL if style.rl else T.CONNECTIVES_BASE, rng)
            text = conn + (text if conn.endswith(". ") else _lower_first(text))
        out.append(text)
        # Re-checks repeat computations ("... = 225"), not statements of intent.
        if i < last and "=" in text and rng.random() < style.verify:
            redo = _step_text(step, ctx, style, rng)
            out.append(f"{_pick(T.VERIFY, rng)} {redo} {_pick(T.CONFIRM, rng)}")
            if rng.random() < style.again:
                redo = _step_text(step, ctx, style, rng)
                out.append(f"{_pick(T.AGAIN, rng)} {redo} {_pick(T.CONFIRM, rng)}")
        if rng.random() < style.digress:
            out.append(_digression(fam, method, ctx, rng))
    return out


def _check(fam: Family, ctx: Mapping[str, str], style: _Style, rng: np.random.Generator) -> str:
    intro = _pick(T.CHECK_INTRO_RL if style.rl else T.CHECK_INTRO_BASE, rng)
    text = _fill(_pick(fam.checks, rng), ctx)
    return intro + (_lower_first(text) if intro.endswith(": ") else text)


def _render(
    fam: Family,
    method: Method,
    ctx: Mapping[str, str],
    style: _Style,
    *,
    long: bool,
    rng: np.random.Generator,
) -> str:
    """One trace: opener, restated problem, the method's steps, checks, and the boxed answer.

    A long trace writes every optional step, may begin with an abandoned attempt at another
    method, and re-derives its steps until it passes ~1,500–2,800 characters, so that it is
    longer than the embedder's 256-word-piece window.
    """
    parts: list[str] = []
    if rng.random() < style.opener:
        parts.append(_pick(T.OPENERS_RL if style.rl else T.OPENERS_BASE, rng))
    parts.append(_fill(_pick(fam.restate, rng), ctx))
    n_setup = min(len(fam.setup), int(rng.random() < 0.6) + int(rng.random() < 0.2))
    parts += [_fill(fam.setup[int(j)], ctx) for j in rng.permutation(len(fam.setup))[:n_setup]]
    if rng.random() < (0.5 if long else 0.03):
        alt = _pick([m.phrase for m in fam.methods if m.name != method.name], rng)
        parts.append(f"{_fill(_pick(T.FALSE_STARTS, rng), {'alt': alt})} {_pick(T.ABANDON, rng)}")
    parts += _body(fam, method, ctx, style, rng, every_step=long)
    if rng.random() < style.check:
        parts.append(_check(fam, ctx, style, rng))
    if long:
        target = rng.uniform(1500, 2800)
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(_pick(T.LONG_RESTART, rng))
            parts += _body(fam, method, ctx, style, rng, every_step=True)
            parts.append(_check(fam, ctx, style, rng))
    parts.append(_fill(_pick(T.ANSWER_RL if style.rl else T.ANSWER_BASE, rng), ctx))
    sep = "\n\n" if style.rl else ("\n", "\n\n", " ")[int(rng.integers(3))]
    return sep.join(parts)


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
            text = _render(
                fam, by_name[name], tctx, _RESTYLED if restyled else _BASE, long=long, rng=rng
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


def write_jsonl(records: Iterable[Mapping], path: str | os.PathLike[str]) -> Path:
    """Write one JSON object per line, gzip-compressed when ``path`` ends in ``.gz``.

    The file appears whole or not at all (temp file in the same directory, then ``os.replace``),
    and the bytes depend only on the records (gzip ``mtime`` is 0), so fixtures can be compared.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    atomic_write_bytes(path, data)
    return path
