"""Degenerate shortcuts: traces that repeat themselves, skip the work, or stop mid-sentence.

RL trained on problems that are too hard can collapse into shortcuts (repeat the answer, state
it bare, loop until the token budget runs out). Those are new in exactly the sense the scan
tests, no base sample does that, so a cluster of them can be novel; this module says so by
labelling them, never by hiding them.

Every feature is label-blind (no strategy, correctness or ground truth is read) and wording-
blind (no phrase list): it is measured on the bytes of the text and decided against the base
traces the decision compared the trace with (its problem's, or every base trace in the global
scope). Thresholds sit at a margin beyond a quantile of the base traces rather than their
extreme, so a few base samples that are themselves degenerate do not switch a label off.

Reasons (a trace may carry several)
-----------------------------------
repeats
    The most repetitive 1 KiB window of the trace compresses (zlib) more than
    ``REPEAT_MARGIN`` times the 95th percentile of the base traces' windows: a loop or a
    repeated answer. Windows, not the whole text, so a long trace that redoes its work is not
    taken for a loop. Or a unit of one to ``LOOP_PERIOD`` sentences (or lines) follows itself,
    word for word, more times in a row than ``REPEAT_MARGIN`` times the base traces' 95th
    percentile, and at least ``LOOP_MIN`` times: a short loop in a short text, which the
    statement around it keeps from compressing like a window of the loop alone (a trace that
    redoes a computation repeats a block of many lines, or puts a sentence between repeats).
skips_computation
    Its information content (zlib-compressed bytes) is below ``1 / SKIP_FACTOR`` of the base
    traces' 5th percentile: it reaches its end with far less work than base traces of the
    problem, however often it repeats what little it says. Or, where the scan knows which
    tokens most problems use (:func:`problem_content`), it holds less than ``1 /
    SKIP_FACTOR`` of the base traces' 5th percentile of the problem's own content: the tokens
    at least ``CONTENT_SHARE`` of its base traces (``CONTENT_MIN_BASE`` or more) use that most
    problems do not (its names, numbers, strings). A paragraph of generic text before an
    answer carries information but no work on this problem; every way of working the
    problem, new methods included, uses its names and numbers (issue 11, three generators by
    three authors, 12 seeds each: new methods' traces held at least two thirds of the base
    traces' 5th percentile of it, every other RL trace at least half; boilerplate shortcuts
    0-0.55, 122 of 123 under half).
answer_only
    Skips the computation and its distinct text (each sentence or line counted once) is at
    most ``ANSWER_SENTENCES`` sentences: essentially just an answer.
truncated
    It stops where base traces do not: it ends open (last character a letter or
    ``, ; : - (``, i.e. mid-sentence) while at most ``OPEN_SHARE_MAX`` of the base traces do;
    or, where at least ``ENDING_SHARE`` of the base traces end alike (the shape of their last
    word, its non-word characters: ``</>`` for ``... 29 </answer>``), it ends otherwise and is
    longer than ``LONG_QUANTILE`` of them (cut off by a token budget before the closing every
    base trace writes). Where base traces end in no common way, only the first applies; where
    they routinely end on a word, neither.

A far longer trace is not labelled on its length alone: growing longer chains of thought is
what RL is often credited for; a long trace that loops is caught by ``repeats``, one cut by a
token budget by ``truncated``.

A set of traces (a cluster, a behaviour) is degenerate when more than half of its RL members
are, and at least two (:func:`members_label`). Shortcuts and a new method can sit under one
node of a problem's cluster tree, where the node, larger and just as free of base traces, is
the most significant; :func:`mixes_shortcuts` lets the decision prefer the purer nodes below it
(:func:`novelty.decide.nesting.choose`), so a strategy is not hidden in a shortcut cluster nor
a shortcut in a strategy.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

import numpy as np

from novelty.lexical import STYLE_SHARE, TOKEN_PATTERN
from novelty.types import RL, Trace

REASONS = ("repeats", "skips_computation", "answer_only", "truncated")

# repeats: window size and stride (bytes) of the most repetitive window, and the margin beyond
# the base traces' REPEAT_QUANTILE.
WINDOW = 1024
REPEAT_QUANTILE = 0.95
REPEAT_MARGIN = 1.5
# repeats, as a loop of sentences: a unit of at most LOOP_PERIOD sentences that follows itself
# at least LOOP_MIN times in a row (and beyond the base traces' quantile, with the margin).
LOOP_PERIOD = 3
LOOP_MIN = 4
# skips_computation: below the base traces' SKIP_QUANTILE of information by this factor.
SKIP_QUANTILE = 0.05
SKIP_FACTOR = 2.0
# answer_only: at most this many distinct sentences or lines.
ANSWER_SENTENCES = 2
# skips_computation, in the problem's own content: a token is the problem's when at least this
# share of its base traces use it (and at most half of the scan's problems do).
CONTENT_SHARE = 0.5
# ... read only with at least this many base traces: what most of a problem's samples use is its
# content; one or two samples' tokens are their own wording (MATH-500, one base trace a problem:
# two instruct answers in three would hold less than half of the base answer's tokens).
CONTENT_MIN_BASE = 10
# truncated: ending open counts only where at most OPEN_SHARE_MAX of the base traces do; a
# missing closing only where ENDING_SHARE of them share one, and beyond their LONG_QUANTILE
# length.
OPEN_SHARE_MAX = 0.1
ENDING_SHARE = 0.9
LONG_QUANTILE = 0.95
# A set of traces is degenerate when more than MEMBER_SHARE of its RL members are, and at
# least MIN_MEMBERS of them (one trace is an accident, not a shortcut RL learned); a reason is
# listed when at least REASON_SHARE of its degenerate RL members carry it (never empty: each
# of them carries one of the four).
MEMBER_SHARE = 0.5
MIN_MEMBERS = 2
REASON_SHARE = 0.25
# A novel candidate whose members are between MIX_SHARE and 1 - MIX_SHARE degenerate mixes a
# shortcut with a strategy: the decision lets purer nested candidates speak first.
MIX_SHARE = 0.2

_LEVEL = 9
_OVERHEAD = len(zlib.compress(b"", _LEVEL))  # header and checksum of an empty stream
_SENTENCE = re.compile(r"\n+|(?<=[.!?;])\s+")
_OPEN_PUNCT = frozenset(",;:-(")
_WORD = re.compile(r"\w")
_TOKEN = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What the reasons are decided on, measured on one text.

    ``info`` is the zlib-compressed size in bytes (less the empty stream's), ``window_ratio``
    the highest compression ratio of a ``WINDOW``-byte window (the whole text when shorter),
    ``n_sentences`` the number of distinct sentences or lines, ``ends_open`` whether the last
    non-space character is a letter or one of ``, ; : - (``, ``ending`` the non-word characters
    of the last word (``</>`` for ``</answer>``, ``""`` for ``42``), ``n_bytes`` the length,
    ``loop`` the most times a unit of at most ``LOOP_PERIOD`` sentences follows itself.
    """

    info: int
    window_ratio: float
    n_sentences: int
    ends_open: bool
    ending: str
    n_bytes: int
    loop: int


@dataclass(frozen=True, slots=True)
class Reference:
    """Thresholds drawn from one problem's base traces (see the module docstring)."""

    repeat_above: float
    loop_above: float
    info_below: float
    truncation_on: bool
    ending: str | None  # the closing nearly every base trace writes, if there is one
    long_from: float
    n_base: int
    content_below: float | None = None  # the share of the problem's own content (None: unknown)


def _compressed(data: bytes) -> int:
    return max(len(zlib.compress(data, _LEVEL)) - _OVERHEAD, 1)


def _window_ratio(data: bytes) -> float:
    """Compression ratio of the most repetitive window (windows overlap by half)."""
    if len(data) <= WINDOW:
        return len(data) / _compressed(data) if data else 0.0
    starts = range(0, len(data) - WINDOW + 1, WINDOW // 2)
    return max(WINDOW / _compressed(data[i : i + WINDOW]) for i in starts)


def _loop(sentences: Sequence[str]) -> int:
    """Most times a unit of 1 to ``LOOP_PERIOD`` sentences follows itself word for word."""
    best = 1
    for period in range(1, LOOP_PERIOD + 1):
        run = 0
        for i in range(period, len(sentences)):
            run = run + 1 if sentences[i] == sentences[i - period] else 0
            best = max(best, 1 + run // period)
    return best


def text_features(text: str) -> TextFeatures:
    """The features of one trace's text."""
    data = text.encode("utf-8")
    in_order = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    sentences = set(in_order)
    last = text.rstrip()[-1:]
    words = text.rsplit(maxsplit=1)  # the last word is all that is read
    info = _compressed(data) if data else 0
    return TextFeatures(
        info=info,
        # a text no longer than a window is its own window: compressed once, not twice
        window_ratio=len(data) / info if 0 < len(data) <= WINDOW else _window_ratio(data),
        n_sentences=len(sentences),
        ends_open=bool(last) and (last.isalpha() or last in _OPEN_PUNCT),
        ending=_WORD.sub("", words[-1]) if words else "",
        n_bytes=len(data),
        loop=_loop(in_order),
    )


def reference(
    base: Sequence[TextFeatures], content: Sequence[float] | None = None
) -> Reference | None:
    """Thresholds from the base traces' features; ``None`` without base traces (no label).
    ``content``: each base trace's share of the problem's own content (:func:`content_share`),
    when the problem has any."""
    if not base:
        return None
    ratio = np.array([f.window_ratio for f in base])
    info = np.array([f.info for f in base], dtype=float)
    open_share = float(np.mean([f.ends_open for f in base]))
    ending, n_ending = Counter(f.ending for f in base).most_common(1)[0]
    return Reference(
        repeat_above=float(np.quantile(ratio, REPEAT_QUANTILE)) * REPEAT_MARGIN,
        loop_above=max(
            float(np.quantile([f.loop for f in base], REPEAT_QUANTILE)) * REPEAT_MARGIN,
            LOOP_MIN - 0.5,
        ),
        info_below=float(np.quantile(info, SKIP_QUANTILE)) / SKIP_FACTOR,
        truncation_on=open_share <= OPEN_SHARE_MAX,
        ending=ending if n_ending >= ENDING_SHARE * len(base) else None,
        long_from=float(np.quantile([f.n_bytes for f in base], LONG_QUANTILE)),
        n_base=len(base),
        content_below=float(np.quantile(content, SKIP_QUANTILE)) / SKIP_FACTOR
        if content is not None and len(content)
        else None,
    )


def reasons(
    features: TextFeatures, ref: Reference | None, content: float | None = None
) -> tuple[str, ...]:
    """The reasons (in ``REASONS`` order) one trace is degenerate against ``ref``; empty if none.
    ``content``: the trace's share of the problem's own content, when the problem has any."""
    if ref is None:
        return ()
    skips = features.info < ref.info_below or (
        content is not None and ref.content_below is not None and content < ref.content_below
    )
    unclosed = (
        ref.ending is not None
        and features.ending != ref.ending
        and features.n_bytes > ref.long_from
    )
    found = {
        "repeats": features.window_ratio > ref.repeat_above or features.loop > ref.loop_above,
        "skips_computation": skips,
        "answer_only": skips and features.n_sentences <= ANSWER_SENTENCES,
        "truncated": (ref.truncation_on and features.ends_open) or unclosed,
    }
    return tuple(r for r in REASONS if found[r])


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text.lower()))


def problem_content(
    base_texts: Sequence[str], held: Mapping[str, int], n_problems: int
) -> frozenset[str]:
    """The problem's own content: the tokens at least ``CONTENT_SHARE`` of its base traces use
    and at most half of the scan's problems do (``held``: in how many of ``n_problems``
    problems each token occurs, :class:`~novelty.wordspace.WordWeights`). Its names, numbers
    and strings; never words of the language, nor of a whole family of problems. Empty with
    fewer than two problems (nothing tells the problem's words from everyone's) or fewer than
    ``CONTENT_MIN_BASE`` base traces."""
    if n_problems < 2 or len(base_texts) < CONTENT_MIN_BASE:
        return frozenset()
    df = Counter(t for text in base_texts for t in _tokens(text))
    bar, style = CONTENT_SHARE * len(base_texts), STYLE_SHARE * n_problems
    return frozenset(t for t, n in df.items() if n >= bar and held.get(t, 0) <= style)


def content_share(text: str, content: Set[str]) -> float:
    """Share of the problem's own content (:func:`problem_content`) that ``text`` uses."""
    return len(_tokens(text) & content) / len(content) if content else 1.0


def label_texts(
    texts: Sequence[str], base_texts: Sequence[str], content: Set[str] = frozenset()
) -> list[tuple[str, ...]]:
    """Reasons of each of ``texts``, decided against ``base_texts`` (one problem);
    ``content``: the problem's own tokens (:func:`problem_content`; empty: not read)."""
    base_shares: list[float] | None = None
    shares: list[float | None] = [None] * len(texts)
    if content:
        base_shares = [content_share(t, content) for t in base_texts]
        shares = [content_share(t, content) for t in texts]
    ref = reference([text_features(t) for t in base_texts], base_shares)
    return [reasons(text_features(t), ref, c) for t, c in zip(texts, shares, strict=True)]


def scan_reasons(
    traces: Sequence[Trace],
    groups: Iterable[tuple[Sequence[int], Sequence[int]]],
    held: tuple[Mapping[str, int], int] | None = None,
) -> list[tuple[str, ...]]:
    """Reasons of every trace of a scan, indexed like ``traces``.

    ``groups`` are ``(base indices, RL indices)`` of each scope the decision compared traces
    in (a problem, or everything in the global scope). RL traces are decided against their
    group's base traces; base traces get no reasons (the rule reads RL members only).
    ``held``: in how many of how many problems each token occurs (the scan's
    :class:`~novelty.wordspace.WordWeights`), for the problem's own content
    (:func:`problem_content`); without it only the bytes are read.
    """
    out: list[tuple[str, ...]] = [()] * len(traces)
    for base_idx, rl_idx in groups:
        base_texts = [traces[i].text for i in base_idx]
        content = problem_content(base_texts, *held) if held is not None else frozenset()
        got = label_texts([traces[i].text for i in rl_idx], base_texts, content)
        for i, r in zip(rl_idx, got, strict=True):
            out[int(i)] = r
    return out


def members_label(member_reasons: Sequence[Sequence[str]]) -> tuple[bool, list[str]]:
    """Whether a set of RL traces is degenerate, and why.

    Parameters
    ----------
    member_reasons : sequence of sequence of str
        The reasons of each RL member (base members are left out by the caller).

    Returns
    -------
    (bool, list of str)
        Degenerate when more than ``MEMBER_SHARE`` of the members, and at least
        ``MIN_MEMBERS``, carry a reason; the reasons carried by at least ``REASON_SHARE`` of
        the degenerate members, in ``REASONS`` order (empty when not degenerate).
    """
    flagged = [r for r in member_reasons if r]
    if len(flagged) < MIN_MEMBERS or len(flagged) <= MEMBER_SHARE * len(member_reasons):
        return False, []
    counts = Counter(x for r in flagged for x in set(r))
    return True, [x for x in REASONS if counts[x] >= REASON_SHARE * len(flagged)]


def set_label(
    members: Iterable[int], traces: Sequence[Trace], trace_reasons: Sequence[Sequence[str]]
) -> tuple[bool, list[str]]:
    """:func:`members_label` of any set of scan trace indices (a cluster, a behaviour)."""
    return members_label([trace_reasons[i] for i in members if traces[i].role == RL])


def mixes_shortcuts(members: Sequence[int], shortcuts: Set[int]) -> bool:
    """Whether between ``MIX_SHARE`` and ``1 - MIX_SHARE`` of ``members`` are in ``shortcuts``
    (the scan indices of traces that carry a reason)."""
    if not members or not shortcuts:
        return False
    share = sum(i in shortcuts for i in members) / len(members)
    return MIX_SHARE <= share <= 1.0 - MIX_SHARE
