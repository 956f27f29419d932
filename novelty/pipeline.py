"""``scan``: load → view → embed → neighbours → conformal → cluster → decide → Report.

This module only chains the stages; each stage's logic lives in its own module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from novelty.config import ScanConfig, config_record, with_overrides
from novelty.decide import decide
from novelty.describe import describe_clusters
from novelty.evidence import compute_evidence
from novelty.problem import analyse_problem, emit_clusters
from novelty.projection import project_2d, resolve_projection
from novelty.report import SCHEMA_VERSION, Report
from novelty.types import BASE, RL, Trace
from novelty.views import PIECE_KIND, apply_view


class Progress(Protocol):
    """What the pipeline reports long work to (the CLI draws a bar; the library is silent)."""

    def start(self, stage: str, total: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


def _sort_key(t: Trace) -> tuple:
    """Order independent of the input's line order: problem, side, id."""
    return (type(t.problem_id).__name__, str(t.problem_id), t.role, t.id)


def _load(source: Any, config: ScanConfig) -> tuple[list[Trace], dict[str, Any]]:
    """Traces from any source, and what ``report.config`` keeps of how they were read."""
    from novelty.ingest import check_base_samples, ingest

    if isinstance(source, list) and source and isinstance(source[0], Trace):
        return list(source), {"n_skipped": 0}
    got = ingest(
        tuple(source) if isinstance(source, tuple) else source,
        config.ingest,
        base_model=config.base_model,
        rl_model=config.rl_model,
        reward_threshold=config.reward_threshold,
        per_problem=config.scope == "problem",
    )
    check_base_samples(got.traces, config.scope)
    return got.traces, got.record(config.ingest.text)


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
        :mod:`novelty.formats` (the config's ``ingest`` options say how to read it), an
        iterable of dicts, or a pair of files or folders whose traces are all base / all RL.
    config : ScanConfig, optional
        Settings; keyword ``overrides`` (``alpha=0.1``, ``view="whole"``, and the ingest
        options flat: ``text="think"``, …) replace fields (:func:`novelty.config.with_overrides`).
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
    config = with_overrides(config, **overrides)
    config.validate()

    loaded, ingest_info = _load(source, config)
    traces = sorted(loaded, key=_sort_key)
    vectors, emb_info = _embed(traces, config, embedder, cache, progress)

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
        config={**config_record(config, emb_info), **ingest_info},
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


def _embed(traces, config, embedder, cache, progress) -> tuple[np.ndarray, dict]:
    """Unit vectors of the traces' views, and what the report says about embedding them."""
    from novelty.cache import EmbeddingCache, default_cache_dir
    from novelty.embed import as_embedder, embed_texts

    emb = as_embedder(embedder)
    if cache == "default":
        cache = EmbeddingCache(default_cache_dir())
    elif isinstance(cache, str | Path):
        cache = EmbeddingCache(Path(cache))
    viewed = apply_view(traces, config.view)
    flat = [piece for pieces in viewed.pieces for piece in pieces]
    if progress is not None:
        progress.start("embedding", len(flat))
    piece_vectors, n_cached, windows = embed_texts(
        flat,
        emb,
        cache=cache,
        view=PIECE_KIND.get(config.view, config.view),
        batch_size=config.batch_size,
        progress=progress.advance if progress is not None else None,
        return_windows=True,
    )
    vectors, n_chunked = _pool(piece_vectors, windows, [len(p) for p in viewed.pieces])
    if progress is not None:
        progress.finish()
    info = {
        "embedder": emb.name,
        "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0,
        "device": getattr(emb, "device_", None),
        "precision": getattr(emb, "precision_", None),
        "window": getattr(emb, "window_", None),
        "n_chunked": n_chunked,
        "n_view_texts": len(flat),
        "n_from_cache": int(n_cached),
        "view_kept_fraction_mean": float(viewed.kept_fraction.mean()) if traces else 1.0,
        "view_kept_fraction_min": float(viewed.kept_fraction.min()) if traces else 1.0,
    }
    return vectors, info


def _pool(
    piece_vectors: np.ndarray, windows: np.ndarray, counts: list[int]
) -> tuple[np.ndarray, int]:
    """Each trace's unit vector: the re-normalised mean of its pieces' vectors; and how many
    traces had a piece longer than the embedder's window (split, never cut)."""
    if not counts:
        return piece_vectors[:0], 0
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sums = np.add.reduceat(piece_vectors.astype(np.float64), starts, axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    vectors = (sums / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    chunked = np.add.reduceat((np.asarray(windows) > 1).astype(np.int64), starts) > 0
    return vectors, int(chunked.sum())


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
