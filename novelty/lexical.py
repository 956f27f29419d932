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

A candidate has lexical base support when at least :data:`COVERED_SHARE` of its RL members
contain some base trace as well as a typical base trace contains its nearest other base trace
(the ``level`` quantile of those leave-one-out containments). The rule only ever raises ``m``,
after Benjamini–Hochberg, so it can hide a discovery but never make a false one.

Measured on both synthetic generators (``scripts/evaluate_synth.py``): see the README's "How
it decides" for the figures and the known limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from novelty.types import Trace

# A word, a number, or any other single non-space character (operators, arrows, brackets).
TOKEN_PATTERN = r"(?u)[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d+)?|[^\sA-Za-z0-9]"
# Share of a candidate's RL members that must contain a base trace for lexical support.
COVERED_SHARE = 0.5
# Traces whose tokens estimate the cross-problem document frequency, at most (seeded sample).
CORPUS_SAMPLE = 20_000


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
        :data:`CORPUS_SAMPLE` traces).

    Notes
    -----
    Nothing is computed until :meth:`support` is first called (only for candidates that would
    otherwise be novel), so scans with no such candidate pay nothing.
    """

    def __init__(self, traces: Sequence[Trace], level: float, *, seed: int = 0) -> None:
        self.traces = traces
        self.level = level
        self.seed = seed
        self._corpus: tuple[dict[str, int], int] | None = None
        self._problem: dict[tuple[bytes, int], np.ndarray] = {}

    def support(self, order: np.ndarray, n_base: int, rl_members: np.ndarray) -> int:
        """``m`` of the lexical rule: base traces the members contain (0 when too few do).

        ``order`` maps problem positions to scan indices (base first), ``rl_members`` are RL
        positions ``0 .. n_rl - 1`` of the candidate.
        """
        if n_base < 2 or not len(rl_members):
            return 0
        cont = self._containment(order, n_base)
        loo = cont[:, :n_base].copy()
        np.fill_diagonal(loo, -np.inf)
        typical = float(np.quantile(loo.max(axis=0), 1.0 - self.level))
        hits = cont[:, n_base + np.asarray(rl_members)] >= max(typical, 1e-12)
        if hits.any(axis=0).mean() < COVERED_SHARE:
            return 0
        return int(hits.any(axis=1).sum())

    def _containment(self, order: np.ndarray, n_base: int) -> np.ndarray:
        """``cont[b, x]`` for every base trace ``b`` and trace ``x`` of one problem (cached)."""
        key = (np.asarray(order, dtype=np.int64).tobytes(), n_base)
        if key not in self._problem:
            chosen = [self.traces[int(i)] for i in order]
            weights = self._weights([t.text for t in chosen], [t.problem_id for t in chosen])
            present = (weights > 0).astype(np.float64)
            squared = weights[:n_base].multiply(weights[:n_base])
            cont = np.asarray((squared @ present.T).todense())
            # Only a base trace of the trace's own problem (the global scope mixes problems,
            # and the content of another question says nothing about this one's strategy).
            ids = np.unique([str(t.problem_id) for t in chosen], return_inverse=True)[1]
            cont[ids[:n_base, None] != ids[None, :]] = 0.0
            self._problem[key] = cont
        return self._problem[key]

    def _weights(self, texts: list[str], problems: list[Any]):
        """Rows of within-problem IDF times cross-problem IDF, L2-normalised (sparse).

        "Within" is each trace's own problem, also in the global scope: two answers to one
        question share its numbers, which says nothing about their strategy.
        """
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        vec = _vectorizer(CountVectorizer)
        try:
            counts = vec.fit_transform(texts)
        except ValueError:  # no token at all
            return sparse.csr_matrix((len(texts), 1))
        vocab = vec.get_feature_names_out()
        codes = np.unique([str(p) for p in problems], return_inverse=True)[1]
        one_hot = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))))
        df = (one_hot @ counts).tocsr()  # per problem: traces holding each token
        size = np.asarray(one_hot.sum(axis=1)).ravel()
        coo = counts.tocoo()
        held = np.asarray(df[codes[coo.row], coo.col]).ravel()
        within = np.log((size[codes[coo.row]] + 1) / (held + 1))
        by_problem, n_problems = self._corpus_df()
        across = np.log((n_problems + 1) / (np.array([by_problem.get(t, 0) for t in vocab]) + 1))
        w = sparse.csr_matrix((within * across[coo.col], (coo.row, coo.col)), shape=counts.shape)
        norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ w

    def _corpus_df(self) -> tuple[dict[str, int], int]:
        """In how many problems each token occurs, over a seeded sample of traces."""
        if self._corpus is None:
            from scipy import sparse
            from sklearn.feature_extraction.text import CountVectorizer

            n = len(self.traces)
            pick = np.arange(n)
            if n > CORPUS_SAMPLE:
                pick = np.sort(np.random.default_rng(self.seed).choice(n, CORPUS_SAMPLE, False))
            texts = [self.traces[int(i)].text for i in pick]
            problems = np.unique(
                [str(self.traces[int(i)].problem_id) for i in pick], return_inverse=True
            )[1]
            vec = _vectorizer(CountVectorizer)
            try:
                counts = vec.fit_transform(texts)
            except ValueError:  # no token at all
                self._corpus = ({}, int(problems.max(initial=-1)) + 1)
                return self._corpus
            one_hot = sparse.csr_matrix(
                (np.ones(len(problems)), (problems, np.arange(len(problems))))
            )
            per_token = np.asarray(((one_hot @ counts) > 0).sum(axis=0)).ravel()
            vocab = vec.get_feature_names_out()
            self._corpus = (dict(zip(vocab, per_token.tolist(), strict=True)), one_hot.shape[0])
        return self._corpus


def lexical_support(traces: Sequence[Trace], config: Any) -> LexicalSupport | None:
    """The rule at ``config.support_lexical`` for these traces; None when it is off."""
    if config.support_lexical is None:
        return None
    return LexicalSupport(traces, config.support_lexical, seed=config.seed)


def _vectorizer(cls: Any):
    """The one tokenisation: lower-cased words, numbers and symbols, presence only."""
    return cls(token_pattern=TOKEN_PATTERN, lowercase=True, binary=True, dtype=np.float64)
