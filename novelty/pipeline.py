"""``scan``: load → view → embed → neighbours → conformal → cluster → decide → Report.

This module only chains the stages; each stage's logic lives in its own module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import numpy as np

from novelty.behaviours import (
    MIN_PROBLEMS,
    MIN_TRACES,
    behaviour_rows,
    behaviour_space,
    behaviour_tests,
    roles,
)
from novelty.checkpoints import checkpoint_label, find_checkpoints
from novelty.config import ScanConfig, config_record, with_overrides
from novelty.decide import (
    Decision,
    conclusion,
    decide_scan,
    min_detectable_rl,
    scan_power,
    verdict,
    zero_event_upper,
)
from novelty.degenerate import set_label
from novelty.describe import clip_text, describe_clusters
from novelty.drift import start_scan_drift
from novelty.embedding import as_embedder, embed_views, open_cache
from novelty.embedding.precomputed import PRECOMPUTED, load_embeddings, precomputed_embeddings
from novelty.errors import InputError
from novelty.evidence import compute_evidence
from novelty.ingest import rl_names
from novelty.lexical import lexical_support
from novelty.maps import Maps, scan_maps
from novelty.negative_control import control_finding, negative_control
from novelty.pool import problem_phase, problem_pool
from novelty.problem import ProblemStats, decision_rows
from novelty.progress import Progress
from novelty.report import SCHEMA_VERSION, Report
from novelty.rows import ClusterRow, ProblemRow, Summary, TraceRow
from novelty.run_report import run_rows
from novelty.runs import RunIndex
from novelty.sentence_support import sentence_support
from novelty.threads import in_thread, one_thread
from novelty.types import BASE, NOISE, RL, Trace
from novelty.views import apply_view
from novelty.wordspace import scan_word_weights

# Characters of a cluster's exemplar kept in ``exemplar_excerpt`` (``exemplar_text`` keeps more).
_EXCERPT_CHARS = 200


def _sort_key(t: Trace) -> tuple:
    """Order independent of the input's line order: problem, side, id."""
    return (type(t.problem_id).__name__, str(t.problem_id), t.role, t.id)


def load_source(source: Any, config: ScanConfig) -> tuple[list[Trace], dict[str, Any]]:
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
    embeddings: Any = None,
    **overrides: Any,
) -> Report:
    """Decide which RL strategy clusters no base sample of the same problem uses.

    Parameters
    ----------
    source : path, records, ``(base_path, rl_path)`` or list of Trace
        A file (``.jsonl``, ``.jsonl.gz``, ``.parquet``) or folder of them in any format of
        :mod:`novelty.ingest` (the config's ``ingest`` options say how to read it), an
        iterable of dicts, or a pair of files or folders whose traces are all base / all RL.
        The RL side of a pair may be several runs, ``(base, {"true-reward": p1, "random": p2})``,
        scanned against the same base in one decision (``report.runs``).
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
    embeddings : ndarray or path of a ``.npy`` file, optional
        Precomputed vectors, one row per trace in the order the traces are read (issue 13):
        they replace the embedding stage (no view, no embedder, no cache); see
        :mod:`novelty.embedding.precomputed`.

    Returns
    -------
    Report
        Plain data following DESIGN.md's output contract; ``report.to_json()`` is the file.
    """
    config = with_overrides(config, **overrides)
    config.validate()

    loaded, ingest_info = load_source(source, config)
    input_order = sorted(range(len(loaded)), key=lambda i: _sort_key(loaded[i]))
    traces = [loaded[i] for i in input_order]
    runs = RunIndex.from_traces(traces, order=loaded)  # issue 15: named in the order given
    sentences = None
    if embeddings is not None:  # issue 13: vectors the caller computed, one per trace
        embedded = _given_vectors(embeddings, ingest_info, np.asarray(input_order, np.int64))
    else:
        embedder, cache = as_embedder(embedder), open_cache(cache)
        embedded = embed_views(
            apply_view(traces, config.view),
            embedder,
            cache=cache,
            batch_size=config.batch_size,
            progress=progress,
        )
        sentences = sentence_support(traces, config, embedder, cache)
    vectors, emb_info = embedded.vectors, embedded.record()

    # Issue 13: small matrices per problem; extra BLAS/OpenMP threads only spin-wait.
    groups = _group(traces, config.scope)
    # Issue 13: each problem alone (a process pool when there are many), then decided.
    lexical = lexical_support(traces, config)  # texts only: the words' corpus counts too
    with one_thread(), problem_pool(len(groups)) as pool:
        phase = problem_phase(
            groups,
            traces,
            vectors,
            config,
            runs.of if runs.several else None,
            pool=pool,
            words=scan_word_weights(traces, config, lexical),
        )
        stats, local, shortcuts = phase.stats, phase.local, phase.reasons
        # Issue 12: behaviours across problems, tested in the clusters' one family.
        space = behaviour_space(
            traces,
            vectors,
            min_cluster_size=config.min_cluster_size,
            seed=config.seed,
            centred=local if config.scope == "problem" and config.center else None,
            pool=pool,
        )
        found = behaviour_tests(space, roles(traces), config)
        decision = decide_scan(
            stats,
            config,
            runs.of if runs.several else None,
            [b.test.p_value for b in found],
            shortcuts=frozenset(i for i, r in enumerate(shortcuts) if r),
            lexical=lexical,
            per_problem=phase.candidates,
            sentences=sentences,
        )
        # Issue 13: the clusters' descriptions (their keywords: in the pool's workers, when
        # there is one) are made while this process builds the other rows.
        described = in_thread(
            "novelty-describe",
            _describe,
            decision,
            stats,
            traces,
            decision_rows(stats, local),
            pool,
        )
        behaviours = behaviour_rows(found, decision.behaviour_q, space, traces, config)
        n_behaviour_traces = len(space.index)
        del space  # issue 13: its vectors are not read again
        control = None
        if config.negative_control:
            control = negative_control(traces, vectors, groups, config, progress=progress)
        maps = scan_maps(vectors, stats, phase.maps, config.projection, config.seed)
        del vectors, embedded  # issue 13: the rest reads ``local`` (1.5 GB at a million)
        # Issue 13: the drift test reads no decision; it runs beside the report stages.
        drift = start_scan_drift(local, traces, stats, config.seed)
        checkpoints = find_checkpoints(traces, rl_names(config.rl_model), runs)
        trace_rows = _trace_rows(traces, stats, decision, maps, runs, checkpoints)
        problems = _problem_rows(stats, decision, maps, config)
        clusters = _cluster_rows(decision, stats, traces, runs, shortcuts, described)
        summary = _summary(
            traces,
            problems,
            clusters,
            trace_rows,
            config,
            emb_info,
            maps,
            ingest_info,
            behaviours=behaviours,
            control=control,
            n_behaviour_traces=n_behaviour_traces,
        )
        evidence = compute_evidence(
            clusters, decision, stats, traces, local, config, runs, drift=drift
        )
        return Report(
            config={**config_record(config, emb_info), **ingest_info},
            summary=summary,
            problems=problems,
            clusters=clusters,
            traces=trace_rows,
            schema_version=SCHEMA_VERSION,
            evidence=evidence,
            runs=run_rows(runs, traces, stats, decision, clusters, config),
            behaviours=behaviours,
            negative_control=control,
        )


def _given_vectors(embeddings: Any, ingest_info: Mapping[str, Any], order: np.ndarray) -> Any:
    """The caller's vectors as the scan's trace vectors (issue 13), checked against the
    traces read; lines skipped as invalid would shift every later row, so they are an error."""
    if ingest_info.get("n_skipped"):
        name = load_embeddings(embeddings)[1]
        raise InputError(
            f"{ingest_info['n_skipped']} input line(s) were skipped as invalid, so the rows of "
            f"{name} cannot be matched to the traces: fix or remove those lines (and their rows)"
        )
    return precomputed_embeddings(embeddings, len(order), order)


def _trace_rows(
    traces: list[Trace],
    stats: list[ProblemStats],
    decision: Decision,
    maps: Maps,
    runs: RunIndex,
    checkpoints: tuple[str, list[dict[str, Any]], np.ndarray] | None,
) -> list[TraceRow]:
    """One row per trace, in the scan's order (issue 13: every column gathered as a list
    first, so a million rows cost one object each)."""
    n = len(traces)
    nn = np.zeros(n)
    p: list[float | None] = [None] * n
    for s in stats:
        nn[s.order[: s.n_base]] = s.base_loo
        nn[s.order[s.n_base :]] = s.rl_nn
        for i, pv in zip(s.order[s.n_base :].tolist(), s.rl_p.tolist(), strict=True):
            p[i] = pv
    cluster = [decision.cluster_of(i) for i in range(n)]
    novel = [c >= 0 and decision.clusters[c].novel for c in cluster]
    run = [None if k < 0 else runs.names[k] for k in runs.of.tolist()]
    checkpoint = [_checkpoint_of(i, checkpoints) for i in range(n)] if checkpoints else [None] * n
    xy: Iterable[tuple[float | None, ...]] = [(None,) * 4] * n  # no map: the fields are left out
    if maps.overall is not None:
        xy = (
            (round(a, 4), round(b, 4), round(c, 4), round(d, 4))
            for a, b, c, d in np.hstack([maps.overall, maps.within]).tolist()
        )
    columns = zip(traces, cluster, nn.tolist(), p, novel, xy, run, checkpoint, strict=True)
    # positional, in TraceRow's field order: a million keyword calls cost seconds
    return [
        TraceRow(t.id, t.problem_id, t.role, t.model, c, d, pv, nv, t.correct, *w, r, t.step, ck)
        for t, c, d, pv, nv, w, r, ck in columns
    ]


def _checkpoint_of(i: int, checkpoints: tuple | None) -> str | None:
    """The timeline checkpoint of scan trace ``i`` as a reader names it (None: none)."""
    if checkpoints is None or checkpoints[2][i] < 0:
        return None
    return checkpoint_label(checkpoints[1][checkpoints[2][i]])


def _describe(
    decision: Decision,
    stats: list[ProblemStats],
    traces: list[Trace],
    local: np.ndarray,
    pool: Executor | None,
) -> tuple[list[int], list[dict[str, Any]]]:
    """Each reported cluster's exemplar (its medoid) and description (in ``pool``'s workers
    when there is one)."""
    exemplars = [c.members[_medoid(local[c.members])] for c in decision.clusters]
    described = describe_clusters(
        [
            (stats[c.problem].problem_id, c.members, e)
            for c, e in zip(decision.clusters, exemplars, strict=True)
        ],
        {s.problem_id: s.order.tolist() for s in stats},
        traces,
        local,
        pool,
    )
    return exemplars, described


def _cluster_rows(
    decision: Decision,
    stats: list[ProblemStats],
    traces: list[Trace],
    runs: RunIndex,
    shortcuts: list[tuple[str, ...]],
    described: Future,
) -> list[ClusterRow]:
    """One row per reported cluster: the decision, the exemplar and description (``described``,
    :func:`_describe`'s, maybe still being made) and whether it is a degenerate shortcut
    (``shortcuts``: each trace's reasons)."""
    exemplars, described = described.result()
    rows = []
    for k, (c, e, desc) in enumerate(zip(decision.clusters, exemplars, described, strict=True)):
        s = stats[c.problem]
        degenerate, why = set_label(c.members, traces, shortcuts)
        rl_pos = {int(i): j for j, i in enumerate(s.order[s.n_base :])}
        rl_nn = [float(s.rl_nn[rl_pos[i]]) for i in c.members if i in rl_pos]
        known = [traces[i].correct for i in c.members if traces[i].correct is not None]
        rows.append(
            ClusterRow(
                id=k,
                problem_id=s.problem_id,
                n_base=c.n_base,
                n_rl=c.n_rl,
                trace_ids=[traces[i].id for i in c.members],
                novel=c.novel,
                p_value=c.p_value,
                q_value=c.q_value,
                m=c.m,
                min_base_distance=min(rl_nn) if rl_nn and s.n_base else None,
                prevalence_upper_95=zero_event_upper(s.n_base) if c.novel else None,
                correct_rate=float(np.mean(known)) if known else None,
                exemplar_ids=[traces[e].id],
                exemplar_excerpt=clip_text(traces[e].text, _EXCERPT_CHARS),
                support_change=c.support_change,
                **desc,
                runs=runs.present(c.members),
                n_rl_by_run=runs.counts(c.members),
                run_scope=runs.scope(c.members)
                if c.support_change in ("expanded", "amplified")
                else None,
                degenerate=degenerate,
                degenerate_reasons=why,
            )
        )
    return rows


def _problem_rows(
    stats: list[ProblemStats], decision: Decision, maps: Maps, config: ScanConfig
) -> list[ProblemRow]:
    mine: dict[int, list] = defaultdict(list)
    for c in decision.clusters:
        mine[c.problem].append(c)
    rows = []
    for j, s in enumerate(stats):
        cs = mine[j]
        rows.append(
            ProblemRow(
                problem_id=s.problem_id,
                n_base=s.n_base,
                n_rl=s.n_rl,
                radius=s.radius,
                min_attainable_p=1.0 / (s.n_base + 1),
                n_candidates_tested=decision.n_candidates[j],
                n_noise=int((s.labels == NOISE).sum()),
                n_clusters=len(cs),
                n_novel_clusters=sum(c.novel for c in cs),
                n_novel_traces=sum(c.n_rl for c in cs if c.novel),
                projection=maps.per_problem[j] if maps.per_problem else None,
                min_detectable_rl=min_detectable_rl(
                    s.n_base,
                    s.n_rl,
                    alpha=config.alpha,
                    n_tests=len(decision.candidates) + len(decision.behaviour_q),
                    min_cluster_size=config.min_cluster_size,
                    method=config.fdr_method,
                ),
                base_only=s.n_rl == 0,
            )
        )
    return rows


def _medoid(vectors: np.ndarray) -> int:
    """Index of the member with the highest mean cosine to the others."""
    return int(np.argmax((vectors @ vectors.T).sum(axis=1)))


def _group(traces: list[Trace], scope: str) -> dict[Any, list[int]]:
    """Indices of each problem's traces (one group for the global scope)."""
    groups: dict[Any, list[int]] = defaultdict(list)
    for i, t in enumerate(traces):
        groups["*" if scope == "global" else t.problem_id].append(i)
    return dict(groups)


def _summary(
    traces,
    problems,
    clusters,
    rows,
    config,
    emb_info,
    maps: Maps,
    ingest_info,
    *,
    behaviours=(),
    control=None,
    n_behaviour_traces=0,
) -> Summary:
    n_novel = sum(c.novel for c in clusters)
    n_novel_degenerate = sum(c.novel and c.degenerate for c in clusters)
    n_novel_behaviours = sum(b.novel for b in behaviours)
    # A problem no RL trace answers has no RL trace to judge: its radius says nothing here.
    radii = [p.radius for p in problems if np.isfinite(p.radius) and not p.base_only]
    n_prob_novel = sum(p.n_novel_clusters > 0 for p in problems)
    n_base_min = min((p.n_base for p in problems if p.n_novel_clusters), default=None)
    n_candidates = sum(p.n_candidates_tested for p in problems)
    power = scan_power(
        [(p.n_base, p.n_rl) for p in problems],
        [p.min_detectable_rl for p in problems],
        alpha=config.alpha,
        n_tests=n_candidates + len(behaviours),  # the one family, as problems[] count it
        min_cluster_size=config.min_cluster_size,
        method=config.fdr_method,
        behaviour_limits=(MIN_PROBLEMS, MIN_TRACES),
    )
    # Issue 12: novel behaviours count as novel calls, and their power as power.
    said = conclusion(
        n_novel=n_novel + n_novel_behaviours,
        n_problems_powered=power.n_problems_powered,
        n_behaviour_tests_powered=int(power.behaviours_powered),
    )
    rl_clusters = [c for c in clusters if c.n_rl and not c.novel]
    n_unconfirmed = sum(c.support_change == "unconfirmed" for c in rl_clusters)
    return Summary(
        n_traces=len(traces),
        n_base=sum(t.role == BASE for t in traces),
        n_rl=sum(t.role == RL for t in traces),
        n_problems=len(problems),
        n_clusters=len(clusters),
        n_novel_clusters=n_novel,
        n_novel_traces=sum(r.novel for r in rows),
        n_problems_with_novel=n_prob_novel,
        min_base_samples_behind_novel=n_base_min,
        radius=float(np.median(radii)) if radii else None,
        alpha=config.alpha,
        fdr_method=config.fdr_method,
        n_chunked=emb_info["n_chunked"],
        n_view_texts=emb_info["n_view_texts"],
        n_from_cache=emb_info["n_from_cache"],
        view=config.view if emb_info["embedder"] != PRECOMPUTED else PRECOMPUTED,
        view_kept_fraction_mean=emb_info["view_kept_fraction_mean"],
        verdict=verdict(
            n_novel_clusters=n_novel,
            n_problems_with_novel=n_prob_novel,
            n_problems=len(problems),
            min_base_behind_novel=n_base_min,
            alpha=config.alpha,
            conclusion=said,
            power=power,
            n_supported=len(rl_clusters) - n_unconfirmed,
            n_unconfirmed=n_unconfirmed,
            n_novel_degenerate=n_novel_degenerate,
            n_novel_behaviours=n_novel_behaviours,
            n_base_total=sum(t.role == BASE for t in traces),
            n_behaviours_tested=len(behaviours),
        ),
        novel=bool(n_novel or n_novel_behaviours),
        projection=maps.used,
        n_skipped=ingest_info["n_skipped"],
        conclusion=said,
        n_candidates_tested=n_candidates,
        min_detectable_rl=power.min_detectable_rl,
        n_unconfirmed_clusters=n_unconfirmed,
        detectable_prevalence=power.prevalence,
        samples_per_side_to_detect=power.samples_per_side,
        n_novel_degenerate_clusters=n_novel_degenerate,
        n_behaviours=len(behaviours),
        n_novel_behaviours=n_novel_behaviours,
        n_behaviour_traces=n_behaviour_traces,
        negative_control_finding=control_finding(control) if control is not None else None,
        n_tests=power.n_tests,
        behaviours_powered=power.behaviours_powered,
    )
