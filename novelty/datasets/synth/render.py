"""How one trace is written: a method's steps filled from a problem's context, in a style.

Base and restyled RL text draw on the same phrase pools with different weights, so style alone
never signals novelty. Every choice comes from the ``rng`` passed in, so a seed fixes the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from novelty.datasets.synth import phrases
from novelty.datasets.synth.family import Family, Method, Step

__all__ = ["BASE_STYLE", "RESTYLED_STYLE", "Style", "fill", "render_trace"]

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


@dataclass(frozen=True)
class Style:
    """How a trace is written. Probabilities are per step unless noted."""

    rl: bool
    opener: float  # per trace: open with a generic first sentence
    connective: float  # prefix a step with "So, " / "Okay, so " ...
    verify: float  # re-derive the step after "Wait, let me double-check that."
    again: float  # after a re-check, check a second time
    digress: float  # add an aside after the step
    check: float  # per trace: verify the final result


BASE_STYLE = Style(
    rl=False, opener=0.3, connective=0.15, verify=0.02, again=0.0, digress=0.15, check=0.2
)
RESTYLED_STYLE = Style(
    rl=True, opener=0.85, connective=0.55, verify=0.3, again=0.3, digress=0.15, check=0.75
)


def fill(template: str, ctx: Mapping[str, str]) -> str:
    """Substitute ``{name}`` placeholders; an unknown name is a template bug, so it raises."""

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in ctx:
            return ctx[key]
        if key in _LATEX_WORDS:
            return m.group(0)
        raise KeyError(f"template placeholder {{{key}}} has no value: {template!r}")

    return _PLACEHOLDER.sub(sub, template)


def _pick(options: Sequence[str], rng: np.random.Generator, style: Style | None = None) -> str:
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
        return fill(_pick(fam.digressions, rng), ctx)
    if kind < 0.7:
        return _pick(phrases.GENERIC_DIGRESSIONS, rng)
    others = [m.phrase for m in fam.methods if m.name != method.name]
    return fill(_pick(phrases.ALT_MENTIONS, rng), {"alt": _pick(others, rng)})


def _step_text(step: Step, ctx: Mapping[str, str], style: Style, rng: np.random.Generator) -> str:
    return fill(_pick(step.templates, rng, style), ctx)


def _body(
    fam: Family,
    method: Method,
    ctx: Mapping[str, str],
    style: Style,
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
            conn = _pick(phrases.CONNECTIVES_RL if style.rl else phrases.CONNECTIVES_BASE, rng)
            text = conn + (text if conn.endswith(". ") else _lower_first(text))
        out.append(text)
        # Re-checks repeat computations ("... = 225"), not statements of intent.
        if i < last and "=" in text and rng.random() < style.verify:
            redo = _step_text(step, ctx, style, rng)
            out.append(f"{_pick(phrases.VERIFY, rng)} {redo} {_pick(phrases.CONFIRM, rng)}")
            if rng.random() < style.again:
                redo = _step_text(step, ctx, style, rng)
                out.append(f"{_pick(phrases.AGAIN, rng)} {redo} {_pick(phrases.CONFIRM, rng)}")
        if rng.random() < style.digress:
            out.append(_digression(fam, method, ctx, rng))
    return out


def _check(fam: Family, ctx: Mapping[str, str], style: Style, rng: np.random.Generator) -> str:
    intro = _pick(phrases.CHECK_INTRO_RL if style.rl else phrases.CHECK_INTRO_BASE, rng)
    text = fill(_pick(fam.checks, rng), ctx)
    return intro + (_lower_first(text) if intro.endswith(": ") else text)


def render_trace(
    fam: Family,
    method: Method,
    ctx: Mapping[str, str],
    style: Style,
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
        parts.append(_pick(phrases.OPENERS_RL if style.rl else phrases.OPENERS_BASE, rng))
    parts.append(fill(_pick(fam.restate, rng), ctx))
    n_setup = min(len(fam.setup), int(rng.random() < 0.6) + int(rng.random() < 0.2))
    parts += [fill(fam.setup[int(j)], ctx) for j in rng.permutation(len(fam.setup))[:n_setup]]
    if rng.random() < (0.5 if long else 0.03):
        alt = _pick([m.phrase for m in fam.methods if m.name != method.name], rng)
        parts.append(
            f"{fill(_pick(phrases.FALSE_STARTS, rng), {'alt': alt})} {_pick(phrases.ABANDON, rng)}"
        )
    parts += _body(fam, method, ctx, style, rng, every_step=long)
    if rng.random() < style.check:
        parts.append(_check(fam, ctx, style, rng))
    if long:
        target = rng.uniform(1500, 2800)
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(_pick(phrases.LONG_RESTART, rng))
            parts += _body(fam, method, ctx, style, rng, every_step=True)
            parts.append(_check(fam, ctx, style, rng))
    parts.append(fill(_pick(phrases.ANSWER_RL if style.rl else phrases.ANSWER_BASE, rng), ctx))
    sep = "\n\n" if style.rl else ("\n", "\n\n", " ")[int(rng.integers(3))]
    return sep.join(parts)
