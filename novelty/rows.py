"""The report's rows as frozen, typed records: one per trace, cluster and problem, and the summary.

Each row is built once, by the stage that knows its whole content, and never changed after.
Rows read like the plain dicts of the output contract (``row["novel"]``, ``row.get("map_x")``,
``dict(row)``) because they are read-only mappings over their fields, in the contract's order;
a field marked optional is absent, not null, when it was not computed (the map coordinates
with ``--projection none``), exactly as in ``report.json``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, ClassVar


@cache
def _keys(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


class Row(Mapping[str, Any]):
    """A frozen dataclass that reads as a mapping of its fields (the JSON object it becomes)."""

    __slots__ = ()
    # Fields left out of the mapping while they are None (not computed, not null).
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()

    def __getitem__(self, key: str) -> Any:
        if key not in _keys(type(self)):
            raise KeyError(key)
        value = getattr(self, key)
        if value is None and key in self.OPTIONAL:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return (
            k for k in _keys(type(self)) if k not in self.OPTIONAL or getattr(self, k) is not None
        )

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def pairs(self) -> list[tuple[str, Any]]:
        """``list(self.items())`` without a lookup per key: the JSON writer reads a million rows."""
        optional = self.OPTIONAL
        return [
            (k, v)
            for k in _keys(type(self))
            if (v := getattr(self, k)) is not None or k not in optional
        ]


@dataclass(frozen=True, slots=True, eq=False)
class TraceRow(Row):
    """``traces[]``: one per input trace. ``base_nn_distance`` is the cosine distance to the
    nearest base trace of the problem (for a base trace, the nearest *other* one), in the
    space the decision used; ``p_value`` the conformal p-value (RL only)."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset(
        {"map_x", "map_y", "problem_map_x", "problem_map_y"}
    )

    id: str
    problem_id: str | int
    model: str
    model_name: str | None
    cluster: int
    base_nn_distance: float
    p_value: float | None
    novel: bool
    correct: bool | None
    map_x: float | None = None
    map_y: float | None = None
    problem_map_x: float | None = None
    problem_map_y: float | None = None
    # issue 15 (and issue 12's checkpoint name): the trace's RL run (null for base), its step as
    # read, and the timeline checkpoint it belongs to (model name or "step N"; null outside one)
    run: str | None = None
    step: int | None = None
    checkpoint: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ClusterRow(Row):
    """``clusters[]``: one per reported cluster.

    Two pairs of fields say nearly the same thing and are kept for readers of schema 1.0:
    ``min_base_distance`` (the smallest ``base_nn_distance`` of the RL members) is
    ``nearest_base_distance`` before clipping at 0, and ``exemplar_excerpt`` is the first 200
    characters of ``exemplar_text`` (1,500).
    """

    id: int
    problem_id: str | int
    n_base: int
    n_rl: int
    trace_ids: list[str]
    novel: bool
    p_value: float | None
    q_value: float | None
    m: int | None
    min_base_distance: float | None
    prevalence_upper_95: float | None
    correct_rate: float | None
    exemplar_ids: list[str]
    exemplar_excerpt: str
    keywords: list[str]
    exemplar_text: str
    nearest_base_id: str | None
    nearest_base_distance: float | None
    nearest_base_text: str | None
    support_change: str
    # Issue 15: a degenerate shortcut (most RL members repeat, skip the work, or are cut off;
    # novelty.degenerate), and the reasons most of them share.
    degenerate: bool = False
    degenerate_reasons: list[str] = field(default_factory=list)
    # issue 15: the runs with an RL member, each run's RL members, and for novel and amplified
    # clusters whether every run ("shared"), one ("run-specific") or some use it (null: one run)
    runs: list[str] = field(default_factory=list)
    n_rl_by_run: dict[str, int] = field(default_factory=dict)
    run_scope: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ProblemRow(Row):
    """``problems[]``: one per problem (one ``"*"`` row in the global scope)."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"projection"})

    problem_id: str | int
    n_base: int
    n_rl: int
    radius: float
    min_attainable_p: float
    n_candidates_tested: int
    n_noise: int
    n_clusters: int
    n_novel_clusters: int
    n_novel_traces: int
    projection: str | None = None
    # Issue 12: the fewest RL traces, with no base trace among them, a cluster of this problem
    # needs to be called novel as a lone discovery in this scan (None: no size can be).
    min_detectable_rl: int | None = None
    # Issue 14: no RL trace answers this problem; its radius is left out of summary.radius.
    base_only: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Summary(Row):
    """``summary``: totals, the radius (median over problems), the verdict."""

    n_traces: int
    n_base: int
    n_rl: int
    n_problems: int
    n_clusters: int
    n_novel_clusters: int
    n_novel_traces: int
    n_problems_with_novel: int
    min_base_samples_behind_novel: int | None
    radius: float | None
    alpha: float
    fdr_method: str
    n_chunked: int
    n_view_texts: int
    n_from_cache: int
    view: str
    view_kept_fraction_mean: float
    verdict: str
    novel: bool
    projection: str | None
    n_skipped: int
    # Issue 12: "novel", "not novel" or "inconclusive" (nothing could have been called novel);
    # the FDR family's size, the smallest RL-only cluster that could have been called novel
    # (over problems), the RL-only clusters not called novel, and the samples per side that
    # make a strategy of ``detectable_prevalence`` (share of RL samples) detectable.
    conclusion: str
    n_candidates_tested: int
    min_detectable_rl: int | None
    n_unconfirmed_clusters: int
    detectable_prevalence: float
    samples_per_side_to_detect: int | None
    # Issue 15: novel clusters that are degenerate shortcuts (counted in n_novel_clusters too).
    n_novel_degenerate_clusters: int

    # Issue 12: behaviours across problems, and the negative control's sentence (None: not run).
    n_behaviours: int = 0
    n_novel_behaviours: int = 0
    n_behaviour_traces: int = 0  # traces the behaviour analysis saw (problems of 3+ traces)
    negative_control_finding: str | None = None
    # Issue 12: the whole FDR family (candidates and behaviours), and whether a behaviour used
    # by ``detectable_prevalence`` of RL samples across problems could have been called novel.
    n_tests: int = 0
    behaviours_powered: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class RunRow(Row):
    """``runs[]`` (issue 15): one per RL run scanned against the base, in the order given.

    Counts are of the run's own traces; ``support`` relabels every cluster on the base traces and
    this run's (on the problems the run sampled); ``problems_lost`` are problems base solved at
    least once and the run never did; ``strategies_lost`` the base strategies of correct traces
    the run significantly stopped using (:mod:`novelty.run_report`).
    """

    name: str
    n_rl: int
    n_problems: int
    n_novel_clusters: int
    n_novel_traces: int
    n_shared_novel_clusters: int
    n_amplified_clusters: int
    pass_at_1: float | None
    base_pass_at_1: float | None
    passk: dict[str, Any] | None
    support: dict[str, Any]
    n_problems_base_solved: int
    problems_lost: list[str | int]
    strategies_lost: list[dict[str, Any]]


@dataclass(frozen=True, slots=True, eq=False)
class BehaviourRow(Row):
    """``behaviours[]`` (issue 12): one per strategy that recurs across problems.

    ``p_value`` is two-sided (labels permuted within each problem); ``support_change`` says
    which side holds more of it. ``novel`` only when no base trace of any problem is a member
    or lies within the radius of one (``m = 0``). ``prevalence_upper_95`` bounds the share of
    all base samples that use it (members and ``m`` counted as users; one-sided 95%).
    """

    id: int
    n_base: int
    n_rl: int
    n_problems: int
    trace_ids: list[str]
    novel: bool
    support_change: str
    p_value: float
    q_value: float
    keywords: list[str]
    exemplar_ids: list[str]
    prevalence_upper_95: float
    m: int
    exemplar_excerpt: str


@dataclass(frozen=True, slots=True, eq=False)
class NegativeControlRow(Row):
    """``negative_control`` (issue 12): base samples split against each other, decided by the
    same rules; every count is summed over the splits. ``false_trace_rate`` is the false novel
    traces (of novel clusters or behaviours) over the pseudo-RL traces (None when no problem
    had two base samples to split)."""

    n_splits: int
    n_false_novel_clusters: int
    n_false_novel_traces: int
    false_trace_rate: float | None
    n_false_novel_behaviours: int
    n_pseudo_rl_traces: int
    per_split: list[dict[str, int]]
