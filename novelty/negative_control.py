"""The negative control: each problem's base samples split in two halves, one half playing RL,
decided by the same rules (per-problem clusters and behaviours across problems).

Both halves come from the same model, so every novel call the control makes is false: the
counts are the tool's empirical false-novel rate on the user's own data, at the user's sample
sizes and settings, with half the base samples per side. It reuses the scan's stages on the
base traces' vectors (nothing is embedded again): :func:`novelty.problem.problem_stats`,
:mod:`novelty.behaviours` and :func:`novelty.decide.decide_scan`, with the same one family of
tests. No clustering sees the labels, so the candidates of each problem and the behaviours are
found once on the base traces and only the tests are repeated for each split.

Splits are seeded (``[seed, split]``) and drawn over the scan's sorted traces, so the control
is the same for the same input and seed whatever the order of its lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from novelty.behaviours import behaviour_space, behaviour_tests, roles
from novelty.decide import behaviour_novel, decide_scan
from novelty.lexical import lexical_support
from novelty.problem import Clustering, candidate_clusters, problem_space, problem_stats
from novelty.progress import Progress
from novelty.rows import NegativeControlRow
from novelty.types import RL, Trace
from novelty.wordspace import WordWeights, scan_word_weights

# Splits of the base samples: enough to average out one unlucky split, few enough to keep the
# control (with the behaviours) within a third of a cached rescan.
N_SPLITS = 3


def split_base(traces: Sequence[Trace], rng: np.random.Generator) -> list[Trace]:
    """The traces with a random half (rounded down) of each problem's base traces marked RL."""
    by_problem: dict[tuple[str, str], list[int]] = {}
    for i, t in enumerate(traces):
        if t.role != RL:
            by_problem.setdefault((type(t.problem_id).__name__, str(t.problem_id)), []).append(i)
    out = list(traces)
    for key in sorted(by_problem):
        idx = by_problem[key]
        for i in rng.permutation(idx)[: len(idx) // 2].tolist():
            out[i] = replace(traces[i], role=RL)
    return out


def negative_control(
    traces: Sequence[Trace],
    vectors: np.ndarray,
    groups: Mapping[Any, Sequence[int]],
    config: Any,
    *,
    n_splits: int = N_SPLITS,
    progress: Progress | None = None,
) -> NegativeControlRow:
    """Run the control and count its (false) novel calls, summed over ``n_splits`` splits.

    Parameters
    ----------
    traces, vectors : the scan's traces (sorted) and their unit vectors.
    groups : mapping of scope key to scan indices
        How the scan grouped its traces (problems, or ``"*"``); only base traces are used.
    config : ScanConfig
        The scan's settings; ``seed`` seeds the splits.
    progress : Progress, optional
        Told of each split as it is decided.
    """
    is_base = ~roles(traces)
    base_idx = np.flatnonzero(is_base)
    if progress is not None:
        progress.start("negative control", n_splits + 1)
    space = behaviour_space(
        traces, vectors, base_idx, min_cluster_size=config.min_cluster_size, seed=config.seed
    )
    scopes = {key: base for key, idx in groups.items() if (base := [i for i in idx if is_base[i]])}
    lexical = lexical_support(traces, config)  # texts only: one for every split
    words = scan_word_weights(traces, config, lexical)
    clustered = {
        key: _clustering(base, traces, vectors, config, words) for key, base in scopes.items()
    }
    if progress is not None:
        progress.advance(1)
    per_split = []
    for split in range(n_splits):
        pseudo = split_base(traces, np.random.default_rng([config.seed, split]))
        stats = [
            problem_stats(key, base, pseudo, vectors, config, clustered[key], words)
            for key, base in scopes.items()
        ]
        pseudo_rl = roles(pseudo) & is_base
        found = behaviour_tests(space, pseudo_rl, config, full_support=False)
        p_behaviours = [b.test.p_value for b in found]
        decision = decide_scan(
            stats,
            config,
            behaviour_p=p_behaviours,
            support_p_max=config.alpha,
            lexical=lexical,
        )
        flagged: set[int] = set()
        n_clusters = 0
        for c in decision.clusters:
            if c.novel:
                n_clusters += 1
                flagged.update(i for i in c.members if pseudo_rl[i])
        n_behaviours = 0
        for b, q in zip(found, decision.behaviour_q.tolist(), strict=True):
            if behaviour_novel(b.test, q, alpha=config.alpha, min_rl=config.min_cluster_size):
                n_behaviours += 1
                flagged.update(i for i in b.members if pseudo_rl[i])
        per_split.append(
            {
                "split": split,
                "n_false_novel_clusters": n_clusters,
                "n_false_novel_behaviours": n_behaviours,
                "n_false_novel_traces": len(flagged),
                "n_pseudo_rl_traces": int(pseudo_rl.sum()),
            }
        )
        if progress is not None:
            progress.advance(1)
    if progress is not None:
        progress.finish()
    total = {k: sum(s[k] for s in per_split) for k in per_split[0] if k != "split"}
    return NegativeControlRow(
        n_splits=n_splits,
        n_false_novel_clusters=total["n_false_novel_clusters"],
        n_false_novel_traces=total["n_false_novel_traces"],
        false_trace_rate=(
            total["n_false_novel_traces"] / total["n_pseudo_rl_traces"]
            if total["n_pseudo_rl_traces"]
            else None
        ),
        n_false_novel_behaviours=total["n_false_novel_behaviours"],
        n_pseudo_rl_traces=total["n_pseudo_rl_traces"],
        per_split=per_split,
    )


def _clustering(
    base: list[int],
    traces: Sequence[Trace],
    vectors: np.ndarray,
    config: Any,
    words: WordWeights | None = None,
) -> Clustering:
    """The candidates of one scope's base traces, found once for every split (in the space
    the scan decides in: :func:`~novelty.problem.problem_space`)."""
    index = np.asarray(base, dtype=np.int64)
    local = problem_space(index, traces, vectors, config, words)
    return Clustering(index, *candidate_clusters(local, config))


def control_finding(control: Mapping[str, Any]) -> str:
    """One sentence for the summary: what the control found and how to read it."""
    if not control["n_pseudo_rl_traces"]:
        return (
            "negative control: no problem has two base samples to split, so it measured "
            "nothing; the scan's novel calls have no empirical false-novel rate here"
        )
    n_calls = control["n_false_novel_clusters"] + control["n_false_novel_behaviours"]
    head = (
        f"negative control ({control['n_splits']} splits of the base samples, one half as RL): "
        f"{control['n_false_novel_clusters']} false novel cluster(s), "
        f"{control['n_false_novel_behaviours']} false novel behaviour(s), "
        f"{control['n_false_novel_traces']} of {control['n_pseudo_rl_traces']} pseudo-RL traces "
        f"({control['false_trace_rate']:.2%}) called novel"
    )
    if n_calls == 0:
        return head + ": no false novel call on these data at half the base samples per side"
    return head + ": read the scan's novel calls against this false-novel rate"
