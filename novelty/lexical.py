"""What a trace computes, whatever the words around it: the lexical support rule (issue 11).

Why: an RL trace that restyles a base strategy ("**Plan of attack:**", connectives, headers) or
re-checks every intermediate result lands beyond the radius of the base traces of that strategy
in the embedding space, and a cluster of them was called novel. Two traces of one strategy on
one problem compute the same things: the same intermediate numbers, moves, names and code
identifiers. A restyled or re-checking trace *contains* the content of a base trace of its
strategy, plus words; a trace of another strategy does not (it computes other things).

The content comes from the traces themselves, label-blind, with no phrase list. Every token
(a word, a number, a symbol) is weighted twice: by how specific it is within its problem (a
token every trace of the problem has, such as the restated question's numbers, weighs
nothing) and by how specific it is across problems (a token most problems' traces use, such as
"let", "check" or "**", weighs little: that is style, not this problem's content). The
containment of base trace ``b`` in trace ``x`` is the share of ``b``'s squared weight on tokens
``x`` also has.

Lines are units of content too (:func:`line_containments`): an RL trace that names a base
method in words of its own ("sort by weight, place greedily" for "first-fit decreasing") but
places every item as the base samples do, line for line, or runs a base program unchanged
(its variables renamed, :mod:`novelty.code_names`) under other prose, holds little of the base
trace's tokens, whose weight sits on the naming words, and most of its lines. A line most
problems' traces have (the voice's openings and closings) weighs nothing, as such a token does,
and the heaviest line two traces share is left out of what one holds of the other: a trace of
another method that restates the question in the words one base sample happened to use, under
the same voice, held most of that sample's lines (a method of one paragraph weighs little
against them).

A candidate has lexical base support when at least :data:`COVERED_SHARE` of its RL members
contain some base trace: in tokens, as well as a typical base trace contains its nearest other
base trace (the ``level`` quantile of those leave-one-out containments), or
:data:`FULL_CONTAINMENT` of it where that bar is higher; or in lines, :data:`LINE_CONTAINMENT`
of them; or all of its program, line for line (:data:`PROGRAM_CONTAINMENT`: the prose around
a common method's program can outweigh the program's lines, which a third of the problem's
traces share). The rule only ever raises ``m``, after Benjamini–Hochberg, so it can hide a discovery
but never make a false one.

The other direction too (``held_level``): a member is covered when some base trace holds its
own content, as fully as a typical base trace's content is held by its fullest other base
trace. An RL side that re-weights the base methods writes their steps under the base voice's
other openings and endings: a member holds a base trace of its method only in part, whose
weight then sits on the sentences that trace happens to say, yet every step the member writes
is in some base trace of its method. A trace of a new method writes steps no base trace holds.
Members that carry a shortcut's reason (:mod:`novelty.degenerate`) are not read this way: a
bare answer writes nothing a base trace does not, and that is what makes it a shortcut.

Measured on both synthetic generators (``scripts/evaluate_synth.py``): see the README's "How
it decides" for the figures and the known limits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from novelty.code_names import FENCE, number_bound_names
from novelty.types import Trace

# A word, a number, or any other single non-space character (operators, arrows, brackets).
TOKEN_PATTERN = r"(?u)[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d+)?|[^\sA-Za-z0-9]"
# Share of a candidate's RL members that must contain a base trace for lexical support.
COVERED_SHARE = 0.5
# A member holding this share of a base trace's weighted content contains it, whatever the bar
# calibrated on the base traces: where they are near-copies of one another that bar nears 1,
# and an RL trace that re-checks the same steps under another heading fell short of it.
FULL_CONTAINMENT = 0.9
# A member holding this share of a base trace's weighted lines, verbatim, contains it too:
# read off the clusters the token rule alone reports, planted groups reach at most 0.32 (half
# of their members), false calls 0.54-0.85, on both generators (README, "How it decides").
LINE_CONTAINMENT = 0.5
# A member that runs all of a base trace's program, line for line (its own names numbered),
# contains it, whatever the prose around the program says (a share, so 1 less rounding).
PROGRAM_CONTAINMENT = 1.0 - 1e-9
# Problems whose traces estimate the cross-problem document frequency, at most (seeded).
CORPUS_PROBLEMS = 200
# A token or line that more than this share of the scan's problems have is style (the voice,
# the language), not any problem's content: it weighs nothing.
STYLE_SHARE = 0.5


class LexicalSupport:
    """Base traces that a candidate's RL members contain, in content tokens (module docstring).

    Parameters
    ----------
    traces : sequence of Trace
        The scan's traces (in scan order: problem statistics index them).
    level : float
        Quantile of the base traces' leave-one-out containments a member must reach
        (``ScanConfig.support_lexical``).
    seed : int
        Seeds the sample of traces behind the cross-problem weights (above
        :data:`CORPUS_PROBLEMS` problems).
    held_level : float, optional
        The same quantile for the other direction, a member whose own content a base trace
        holds (``ScanConfig.support_held``); None reads only the first.

    Notes
    -----
    Nothing is computed until :meth:`support` is first called (only for candidates that would
    otherwise be novel), so scans with no such candidate pay nothing.
    """

    def __init__(
        self,
        traces: Sequence[Trace],
        level: float,
        *,
        seed: int = 0,
        held_level: float | None = None,
    ) -> None:
        self.traces = traces
        self.level = level
        self.held_level = held_level
        self.seed = seed
        self._corpus: tuple[dict[str, int], int] | None = None
        self._corpus_rows: np.ndarray | None = None  # each trace's row in the corpus counts
        self._corpus_counts: Any = None
        self._corpus_vocab: np.ndarray | None = None
        self._blocks: dict[tuple[bytes, int], _Scope] = {}
        self._lines_across: tuple[dict[str, int], int] | None = None

    def support(self, order: np.ndarray, n_base: int, rl_members: np.ndarray) -> int:
        """``m`` of the lexical rule: base traces the members contain (0 when too few do).

        ``order`` maps scope positions to scan indices (base first), ``rl_members`` are RL
        positions ``0 .. n_rl - 1`` of the candidate.
        """
        return covered_support(*self.covering(order, n_base, rl_members))

    def covering(
        self,
        order: np.ndarray,
        n_base: int,
        rl_members: np.ndarray,
        shortcut: np.ndarray | None = None,
    ) -> tuple[np.ndarray, set[int]]:
        """Which members contain some base trace (bool, one per member), and the base
        positions they contain (:meth:`support`'s arguments). With ``held_level``, a member
        whose own content a base trace holds counts too, unless ``shortcut`` (one flag per
        member) marks it."""
        covered = np.zeros(len(rl_members), dtype=bool)
        hit_base: set[int] = set()
        scope = self._scope(order, n_base)
        if scope.typical is None:
            return covered, hit_base
        for k, r in enumerate(np.asarray(rl_members).tolist()):
            block, column = scope.where[n_base + r]
            cont, base_positions, _ = scope.blocks[block]
            lines = scope.lines[block][:, column]
            programs = scope.programs[block][:, column]
            found = (
                (cont[:, column] >= scope.typical)
                | (lines >= LINE_CONTAINMENT)
                | (programs >= PROGRAM_CONTAINMENT)
            )
            if scope.held_bar is not None and (shortcut is None or not shortcut[k]):
                found |= scope.held[block][column] >= scope.held_bar
            hits = base_positions[found]
            covered[k] = bool(len(hits))
            hit_base.update(hits.tolist())
        return covered, hit_base

    def company(
        self,
        order: np.ndarray,
        n_base: int,
        rl_members: np.ndarray,
        count: int,
        margin: float = 0.0,
    ) -> np.ndarray:
        """Base traces that ``count`` members contain more fully than any other base trace
        does, by more than ``margin``: shape ``(n_base,)``, bool, over the scope's base
        positions.

        Why: a strategy that one or two base samples use, written by RL in its own words, is
        contained in most of those RL traces only in part (the weight sits on the sample's
        own phrasing), below :meth:`support`'s bar for half the members; but what the sample
        shares with anything, it shares with them more than with the other base traces, which
        use other methods. A base trace of a common method, even an outlying one, shares most
        with its own method's samples. ``margin`` is a share of the sample's weighted content.
        """
        scope = self._scope(order, n_base)
        hits = np.zeros(n_base, dtype=np.int64)
        for r in np.asarray(rl_members).tolist():
            block, column = scope.where[n_base + r]
            cont, base_positions, own = scope.blocks[block]
            hits[base_positions[cont[:, column] > own + margin]] += 1
        return hits >= count

    def _scope(self, order: np.ndarray, n_base: int) -> _Scope:
        """Containments problem by problem (a trace contains only base traces of its own
        problem: the global scope mixes problems), and the calibrated bar (cached)."""
        order = np.asarray(order, dtype=np.int64)
        key = (order.tobytes(), n_base)
        if key not in self._blocks:
            codes = np.unique(
                [str(self.traces[int(i)].problem_id) for i in order], return_inverse=True
            )[1]
            blocks, lines, programs, where, loo = [], [], [], {}, []
            held, held_loo = [], []
            for c in np.unique(codes):
                pos = np.flatnonzero(codes == c)  # base positions first, as in ``order``
                nb = int((pos < n_base).sum())
                weights = self._weights(order[pos])
                present = (weights > 0).astype(np.float64)
                squared = weights[:nb].multiply(weights[:nb])
                cont = np.asarray((squared @ present.T).todense())
                if self.held_level is not None:  # ``[x, b]``: x's own squared weight b has
                    held.append(np.asarray((weights.multiply(weights) @ present[:nb].T).todense()))
                for column, p in enumerate(pos.tolist()):
                    where[p] = (len(blocks), column)
                # each base trace's fullest containment in another base trace (+inf alone)
                own = np.full(nb, np.inf)
                if nb >= 2:
                    inner = cont[:, :nb].copy()
                    np.fill_diagonal(inner, -np.inf)
                    loo.append(inner.max(axis=0))
                    own = inner.max(axis=1)
                    held_loo.append(own)  # each base trace's content held by another
                blocks.append((cont, pos[:nb], own))
                numbered = [number_bound_names(t) for t in self._texts(order[pos])]
                lines.append(
                    line_containments(
                        numbered,
                        nb,
                        analyzer=_numbered_lines,
                        across=self._line_corpus(),
                        leave_one_out=True,
                    )
                )
                programs.append(line_containments(numbered, nb, analyzer=_numbered_programs))
            typical = _bar(loo, self.level)
            held_bar = _bar(held_loo, self.held_level) if self.held_level is not None else None
            self._blocks[key] = _Scope(blocks, lines, programs, where, typical, held, held_bar)
        return self._blocks[key]

    def _texts(self, idx: np.ndarray) -> list[str]:
        return [self.traces[int(i)].text for i in idx]

    def _line_corpus(self) -> tuple[dict[str, int], int]:
        """In how many of the sampled problems (:meth:`corpus_df`'s) each line occurs, and
        how many there are: a line most problems have is style (:func:`line_containments`)."""
        if self._lines_across is None:
            self._corpus_df()
            picked = np.flatnonzero(self._corpus_rows >= 0)
            per_problem: dict[str, set[str]] = {}
            for i in picked.tolist():
                lines = per_problem.setdefault(str(self.traces[i].problem_id), set())
                lines.update(trace_lines(self.traces[i].text))
            held = Counter(line for lines in per_problem.values() for line in lines)
            self._lines_across = (dict(held), len(per_problem))
        return self._lines_across

    def _weights(self, idx: np.ndarray):
        """One problem's rows (``idx``: scan indices): within-problem IDF times cross-problem
        IDF, L2-normalised."""
        counts, vocab = self._problem_counts(idx)
        return content_weights(counts, vocab, *self._corpus_df(), n_rows=len(idx))

    def corpus_df(self) -> tuple[dict[str, int], int]:
        """In how many of the sampled problems each token occurs, and how many there are: the
        cross-problem half of the weights (:func:`content_weights`)."""
        return self._corpus_df()

    def _problem_counts(self, idx: np.ndarray):
        """:func:`token_counts` of these traces' texts: cut from the corpus's counts when the
        corpus holds them (the same presence counts and the same sorted vocabulary, without
        tokenising the texts a second time), else counted."""
        self._corpus_df()
        rows = self._corpus_rows
        if rows is not None and self._corpus_counts is not None:
            got = rows[np.asarray(idx, dtype=np.int64)]
            if (got >= 0).all():
                block = self._corpus_counts[got]
                used = np.flatnonzero(np.asarray(block.sum(axis=0)).ravel() > 0)
                if len(used):
                    return block[:, used], self._corpus_vocab[used]
                return None, None
        return token_counts(self._texts(idx))

    def _corpus_df(self) -> tuple[dict[str, int], int]:
        """In how many problems each token occurs, over a seeded sample of whole problems."""
        if self._corpus is None:
            from scipy import sparse

            all_problems = np.unique([str(t.problem_id) for t in self.traces], return_inverse=True)[
                1
            ]
            pick = np.arange(len(self.traces))
            n_problems = int(all_problems.max(initial=-1)) + 1
            if n_problems > CORPUS_PROBLEMS:
                # Whole problems, never a few traces of each: a token a quarter of every
                # problem's traces use must still count as in every problem.
                kept = np.random.default_rng(self.seed).choice(n_problems, CORPUS_PROBLEMS, False)
                pick = np.flatnonzero(np.isin(all_problems, kept))
            texts = [self.traces[int(i)].text for i in pick]
            problems = np.unique(all_problems[pick], return_inverse=True)[1]
            counts, vocab = token_counts(texts)
            # each problem's rows are cut from these counts (issue 13: tokenised once)
            self._corpus_rows = np.full(len(self.traces), -1, dtype=np.int64)
            self._corpus_rows[pick] = np.arange(len(pick))
            self._corpus_counts = None if counts is None else counts.tocsr()
            self._corpus_vocab = vocab
            if counts is None:
                self._corpus = ({}, int(problems.max(initial=-1)) + 1)
                return self._corpus
            one_hot = sparse.csr_matrix(
                (np.ones(len(problems)), (problems, np.arange(len(problems))))
            )
            per_token = np.asarray(((one_hot @ counts) > 0).sum(axis=0)).ravel()
            self._corpus = (dict(zip(vocab, per_token.tolist(), strict=True)), one_hot.shape[0])
        return self._corpus


class _Scope(NamedTuple):
    """One scope's containments: per problem ``(cont[b, x], base positions, own)`` (``own``:
    each base trace's fullest containment in another base trace), where each position's
    column lies, and the bar a member must reach (None: nothing to calibrate on)."""

    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    lines: list[np.ndarray]  # per problem, line containments ``[b, x]`` (:func:`line_containments`)
    programs: list[np.ndarray]  # the same over the lines of programs (:func:`program_lines`)
    where: dict[int, tuple[int, int]]
    typical: float | None
    held: list[np.ndarray]  # per problem, ``[x, b]``: x's own content base trace b has (or [])
    held_bar: float | None  # the bar of that direction (None: not read)


def _bar(leave_one_out: list[np.ndarray], level: float) -> float | None:
    """The containment a typical base trace reaches with its fullest other base trace (the
    ``level`` quantile from below), capped at :data:`FULL_CONTAINMENT`; None with nothing to
    calibrate on."""
    if not leave_one_out:
        return None
    typical = float(np.quantile(np.concatenate(leave_one_out), 1.0 - level))
    return min(max(typical, 1e-12), FULL_CONTAINMENT)


def covered_support(covered: np.ndarray, hit_base: set[int]) -> int:
    """``m`` of a containment rule: the base traces contained, when at least
    :data:`COVERED_SHARE` of the members contain one (else 0)."""
    if not len(covered) or covered.sum() < COVERED_SHARE * len(covered):
        return 0
    return len(hit_base)


def lexical_support(traces: Sequence[Trace], config: Any) -> LexicalSupport | None:
    """The rule at ``config.support_lexical`` for these traces; None when it is off."""
    if config.support_lexical is None:
        return None
    held = getattr(config, "support_held", None)
    return LexicalSupport(traces, config.support_lexical, seed=config.seed, held_level=held)


def content_weights(counts, vocab, held: dict[str, int], n_problems: int, *, n_rows: int):
    """Token weights of one problem's traces: within-problem IDF times cross-problem IDF,
    each row L2-normalised (sparse, ``(n_rows, n_tokens)``; one empty column without tokens).

    ``counts`` and ``vocab`` are :func:`token_counts` of the problem's texts; ``held`` and
    ``n_problems`` say in how many problems of the corpus each token occurs.
    """
    from scipy import sparse

    if counts is None:
        return sparse.csr_matrix((n_rows, 1))
    df = np.asarray(counts.sum(axis=0)).ravel()
    within = np.log((n_rows + 1) / (df + 1))
    in_problems = np.array([held.get(t, 0) for t in vocab])
    across = np.log((n_problems + 1) / (in_problems + 1))
    # A token more than half of the problems use is style, whatever its trace: it weighs
    # nothing (else a trace of style tokens alone, re-normalised, would count in full).
    across[in_problems > STYLE_SHARE * n_problems] = 0.0
    w = counts.multiply(within * across).tocsr()
    norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ w


def token_counts(texts: list[str]):
    """The one tokenisation (lower-cased words, numbers and symbols, presence only): a sparse
    ``(n_texts, n_tokens)`` matrix and its vocabulary, or ``(None, None)`` with no token."""
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(
        token_pattern=TOKEN_PATTERN, lowercase=True, binary=True, dtype=np.float64
    )
    try:
        return vec.fit_transform(texts), vec.get_feature_names_out()
    except ValueError:  # empty vocabulary
        return None, None


_MARKER = re.compile(r"^(?:[-*+>\u2022]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"[*_#`]+")


def trace_lines(text: str) -> list[str]:
    """A trace's lines as units of content: lower-cased, list markers and emphasis dropped,
    spaces collapsed, the names a program binds numbered (:mod:`novelty.code_names`); fences
    and lines without a letter or digit dropped."""
    return _numbered_lines(number_bound_names(text))


def program_lines(text: str) -> list[str]:
    """The lines of a trace's fenced programs, names numbered, spaces collapsed (none
    without a program)."""
    return _numbered_programs(number_bound_names(text))


def _numbered_lines(text: str) -> list[str]:
    """:func:`trace_lines` of a text whose programs are numbered already."""
    out = []
    for line in text.lower().splitlines():
        if line.lstrip().startswith("```"):
            continue
        line = " ".join(_EMPHASIS.sub(" ", _MARKER.sub("", line.strip())).split())
        if any(ch.isalnum() for ch in line):
            out.append(line)
    return out


def _numbered_programs(text: str) -> list[str]:
    """:func:`program_lines` of a text whose programs are numbered already."""
    return [
        " ".join(line.lower().split())
        for block in FENCE.findall(text)
        for line in block.splitlines()
        if any(ch.isalnum() for ch in line)
    ]


def line_containments(
    texts: list[str],
    n_base: int,
    analyzer=trace_lines,
    *,
    across: tuple[dict[str, int], int] | None = None,
    leave_one_out: bool = False,
) -> np.ndarray:
    """``[b, x]``: the share of base trace ``b``'s squared line weight that trace ``x`` has
    verbatim, over one problem's traces (base first). A line weighs its within-problem IDF:
    a line most traces share (the restated question, the answer) weighs little. A base trace
    without lines (``analyzer`` finds none) is contained in nothing.

    ``across`` (in how many problems each line occurs, and how many problems there are, two
    or more): a line more than half of the problems have is the voice, not this problem's
    content, and weighs nothing, as a token does (:func:`content_weights`). With
    ``leave_one_out`` the share leaves out the heaviest line the two traces have in common:
    one line two traces happen to phrase alike (a restatement of the question worded the
    same way) is not a method they share.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer=analyzer, binary=True, dtype=np.float64)
    try:
        counts = vec.fit_transform(texts).tocsr()
    except ValueError:  # no line with content
        return np.zeros((n_base, len(texts)))
    df = np.asarray(counts.sum(axis=0)).ravel()
    idf = np.log((len(texts) + 1) / (df + 1))
    if across is not None and across[1] >= 2:
        held, n_problems = across
        lines = vec.get_feature_names_out()
        idf[np.array([held.get(line, 0) > STYLE_SHARE * n_problems for line in lines])] = 0.0
    w = counts.multiply(idf).tocsr()
    w.eliminate_zeros()
    squared = w[:n_base].multiply(w[:n_base]).tocsr()
    total = np.asarray(squared.sum(axis=1)).ravel()
    # A base trace with less line weight than the median one (a bare program, an answer
    # alone) is measured against the median: else a trace sharing its restated question
    # and answer line would hold most of it.
    has = total > 0
    total = np.maximum(total, np.median(total[has]) if has.any() else 0.0)
    total[~has] = np.inf
    present = (counts > 0).astype(np.float64)
    shared = np.asarray((squared @ present.T).todense())
    if leave_one_out:
        shared -= _heaviest_shared(squared, present)
    return shared / total[:, None]


def _heaviest_shared(squared, present) -> np.ndarray:
    """``[b, x]``: the squared weight of the heaviest line of base trace ``b`` that ``x`` has
    (0 when they share none)."""
    out = np.zeros((squared.shape[0], present.shape[0]))
    columns = present.tocsc()
    for b in range(squared.shape[0]):
        row = squared.getrow(b)
        if not row.nnz:
            continue
        heaviest = np.argsort(-row.data, kind="stable")
        has = columns[:, row.indices[heaviest]].toarray() > 0  # (n, b's lines), heaviest first
        out[b] = np.where(has.any(axis=1), row.data[heaviest][has.argmax(axis=1)], 0.0)
    return out
