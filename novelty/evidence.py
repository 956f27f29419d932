"""The evidence a careful reader asks for around the verdict, gathered into ``report.evidence``.

This module only orchestrates: pass@k (:mod:`novelty.passk`), support changes
(:mod:`novelty.support`), budget (:mod:`novelty.budget`), diversity (:mod:`novelty.diversity`)
and drift (:mod:`novelty.drift`), plus the timeline, domain and base-likelihood views, which
re-use the same functions on subsets of the traces. Nothing is re-clustered: every part reads
the scan's clusters. A part whose input is missing (no ``correct``, ``step`` or several RL
model names, ``domain`` or ``base_logprob``) is listed in ``skipped`` with the reason, never
guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any

import numpy as np

from novelty.budget import FEW_BASE_UPPER, cluster_budget, prevalence_upper, problem_budget
from novelty.checkpoints import find_checkpoints
from novelty.decide import (
    Decision,
    base_enrichment_p,
    restricted_change,
    rl_within_radius,
)
from novelty.diversity import matched_diversity, ratio, side_diversity
from novelty.drift import scan_drift
from novelty.ingest import rl_names
from novelty.passk import correct_counts, passk_from_traces, passk_table
from novelty.problem import ProblemStats
from novelty.runs import RunIndex
from novelty.support import support_counts
from novelty.types import BASE, RL, Trace


class _Scan:
    """A finished scan seen by scope: its traces, reported clusters and per-problem statistics.

    Built from the decision itself, so nothing is read back from report rows or measured
    again: "within the radius" is the problem's own RL-to-base distance matrix.
    """

    def __init__(
        self,
        clusters: Sequence[Mapping[str, Any]],
        decision: Decision,
        stats: Sequence[ProblemStats],
        traces: list[Trace],
        local: np.ndarray,
        seed: int,
    ):
        self.clusters = clusters
        self.seed = seed
        self.traces = traces
        self.local = local
        self.stats = {s.problem_id: s for s in stats}
        self.key: list[Any] = [None] * len(traces)
        self.pos = np.zeros(len(traces), dtype=np.int64)  # position within its scope and side
        for s in stats:
            for k, i in enumerate(s.order.tolist()):
                self.key[i] = s.problem_id
                self.pos[i] = k if k < s.n_base else k - s.n_base
        self.scopes = {s.problem_id: sorted(s.order.tolist()) for s in stats}
        self.label = np.array([decision.cluster_of(i) for i in range(len(traces))], np.int64)
        self.is_rl = np.array([t.role == RL for t in traces], dtype=bool)
        self.n_base = {s.problem_id: s.n_base for s in stats}
        self.n_rl = {s.problem_id: s.n_rl for s in stats}
        self.members = [np.array(c.members, dtype=np.int64) for c in decision.clusters]
        self.family_q = decision.family_q

    def _scope_of(self, c: int) -> ProblemStats:
        return self.stats[self.key[int(self.members[c][0])]]

    def rl_near_base(self, c: int, rl_mask: np.ndarray) -> bool:
        """Whether an RL trace picked by ``rl_mask`` lies within the radius of a base member."""
        mem = self.members[c]
        base = mem[~self.is_rl[mem]]
        if not len(base):
            return False
        s = self._scope_of(c)
        return rl_within_radius(s, self.pos[base], rl_mask[s.order[s.n_base :]])

    def m_within_radius(self, c: int) -> int:
        """Base traces of the scope within the radius of one of the cluster's RL members."""
        mem = self.members[c]
        rl = mem[self.is_rl[mem]]
        if not len(rl):
            return 0
        s = self._scope_of(c)
        if not np.isfinite(s.radius) or not s.n_base:
            return 0
        return int((s.rl_to_base[self.pos[rl]] <= s.radius).any(axis=0).sum())


def compute_evidence(
    clusters: Sequence[Mapping[str, Any]],
    decision: Decision,
    stats: Sequence[ProblemStats],
    traces: list[Trace],
    local: np.ndarray,
    config: Any,
    runs: RunIndex | None = None,
    drift: Future | None = None,
) -> dict[str, Any]:
    """Every evidence part for a finished scan (the report's ``evidence`` section).

    Parameters
    ----------
    clusters : sequence of mapping
        The report's cluster rows, in the order of ``decision.clusters``.
    decision : Decision
        What :func:`novelty.decide.decide_scan` decided.
    stats : sequence of ProblemStats
        Each problem's statistics (radius, RL-to-base distances).
    traces : list of Trace
        The scan's traces, in the scan's order.
    local : ndarray of shape (n_traces, dim)
        Each trace's vector in the scan's space (centred within its problem), unit-norm.
    config : ScanConfig
        ``alpha``, ``scope``, ``seed`` and ``rl_model`` (checkpoint names) are read.
    runs : RunIndex, optional
        Each trace's RL run (issue 15): with several, the timeline's checkpoints are per run.
    drift : Future, optional
        :func:`~novelty.drift.scan_drift` already under way (issue 13); computed here if not.

    Returns
    -------
    dict
        ``passk``, ``support``, ``budget``, ``diversity``, ``drift``, ``timeline``, ``domains``,
        ``base_likelihood`` (each present unless skipped) and ``skipped``.
    """
    scan = _Scan(clusters, decision, stats, traces, local, config.seed)
    ev: dict[str, Any] = {"skipped": []}

    def skip(part: str, reason: str) -> None:
        ev["skipped"].append({"part": part, "reason": reason})

    table = passk_from_traces(traces, seed=config.seed)
    if table is None:
        skip("passk", "no trace carries correct or reward on both sides of a problem")
    else:
        ev["passk"] = {**table, "pooled": _pooled(traces)}

    ev["support"] = _support(scan, config.alpha, skip)
    ev["budget"] = _budget(scan)
    ev["diversity"] = {**_diversity(scan), "pooled": _pooled(traces)}
    ev["drift"] = drift.result() if drift else scan_drift(local, traces, stats, config.seed)

    checkpoints = find_checkpoints(traces, rl_names(config.rl_model), runs)
    if checkpoints is not None:
        ev["timeline"] = _timeline(scan, *checkpoints)
    else:
        skip("timeline", "no RL trace carries step, and fewer than two RL model names were given")
    if any(t.domain is not None for t in traces):
        ev["domains"] = _domains(scan)
    else:
        skip("domains", "no trace carries domain")
    if any(t.base_logprob is not None for t in traces if t.role == BASE):
        ev["base_likelihood"] = _base_likelihood(scan)
    else:
        skip("base_likelihood", "no base trace carries base_logprob")
    return ev


def _pooled(traces: Sequence[Trace]) -> str:
    """Which traces a pooled figure compares (issue 12): with several RL runs, models or
    checkpoints, every one of them is pooled into "RL", which moves diversity and pass@k."""
    groups = sorted(
        {
            (t.run or "", t.model or "", -1 if t.step is None else t.step)
            for t in traces
            if t.role == RL
        }
    )
    if len(groups) <= 1:
        return "every base trace against every RL trace, problem by problem"
    names = [
        " ".join(x for x in (run, model, f"step {step}" if step >= 0 else "") if x) or "unnamed"
        for run, model, step in groups
    ]
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return (
        f"every base trace against the RL traces of {len(groups)} RL runs/models/checkpoints "
        f"pooled ({shown}), problem by problem; evidence.timeline gives each checkpoint alone"
    )


def _support(scan: _Scan, alpha: float, skip) -> dict[str, Any]:
    """Count every cluster's support-change label overall, per problem, and on the correct
    traces."""
    labels = [row["support_change"] for row in scan.clusters]
    has_base = [row["n_base"] > 0 for row in scan.clusters]
    has_rl = [row["n_rl"] > 0 for row in scan.clusters]
    out: dict[str, Any] = {
        "overall": support_counts(labels, has_base, has_rl),
        "per_problem": _per_problem(scan, labels, has_base, has_rl),
        "shrunk": _shrunk_tests(scan, labels, alpha),
    }
    out["overall"]["shrunk_significant"] = sum(r["significant"] for r in out["shrunk"])
    correct = np.array([t.correct is True for t in scan.traces], dtype=bool)
    if not any(t.correct is not None for t in scan.traces):
        skip("support_correct", "no trace carries correct or reward")
        return out
    sub = _restricted(scan, labels, correct)
    out["correct"] = {
        "overall": support_counts(*sub),
        "per_problem": _per_problem(scan, *sub),
        "note": "clusters relabelled on their correct members (novelty.support.restricted_change)",
    }
    return out


def _shrunk_tests(scan: _Scan, labels: list[str], alpha: float) -> list[dict[str, Any]]:
    """Base-enrichment p-value of every shrunk cluster, and its q-value in the decision's one
    family (:meth:`novelty.decide.Decision.family_q`, issue 12).

    A shrunk cluster is judged by the same step-up as the expanded and amplified calls, so a
    cluster and its mirror image with one p-value get one answer; its p-value (picked by the
    outcome: only base members) does not join the family's count, so no novel call moves.
    """
    rows = [c for j, c in enumerate(scan.clusters) if labels[j] == "shrunk"]
    if not rows:
        return []
    p = np.array(
        [
            base_enrichment_p(
                c["n_base"], c["n_rl"], scan.n_base[c["problem_id"]], scan.n_rl[c["problem_id"]]
            )
            for c in rows
        ]
    )
    q = scan.family_q(p)
    return [
        {
            "cluster": c["id"],
            "problem_id": c["problem_id"],
            "n_base": c["n_base"],
            "p_value": float(p[j]),
            "q_value": float(q[j]),
            "significant": bool(q[j] <= alpha),
        }
        for j, c in enumerate(rows)
    ]


def _restricted(scan: _Scan, labels: list[str], mask: np.ndarray):
    """Labels, has_base, has_rl of every cluster on the traces picked by ``mask``."""
    out, has_base, has_rl = [], [], []
    for c, lab in enumerate(labels):
        mem = scan.members[c][mask[scan.members[c]]]
        nb = int((~scan.is_rl[mem]).sum())
        nr = len(mem) - nb
        near = nr == 0 and nb > 0 and scan.rl_near_base(c, mask)
        out.append(restricted_change(lab, nb, nr, near))
        has_base.append(nb > 0)
        has_rl.append(nr > 0)
    return out, has_base, has_rl


def _per_problem(scan: _Scan, labels, has_base, has_rl) -> list[dict[str, Any]]:
    # Issue 13: each problem's clusters gathered once (a scan over clusters per problem was
    # quadratic in problems).
    of: dict[Any, list[int]] = {}
    for i, c in enumerate(scan.clusters):
        of.setdefault(c["problem_id"], []).append(i)
    rows = []
    for pid in scan.scopes:
        mine = of.get(pid, [])
        counts = support_counts(
            [labels[i] for i in mine], [has_base[i] for i in mine], [has_rl[i] for i in mine]
        )
        rows.append({"problem_id": pid, **counts})
    return rows


def _budget(scan: _Scan) -> dict[str, Any]:
    """Miss probabilities of every RL cluster, unseen base mass per problem, few-sample calls."""
    clusters = []
    for c, row in enumerate(scan.clusters):
        if row["n_rl"] == 0:
            continue
        m = row["m"] if row["m"] is not None else scan.m_within_radius(c)
        entry = cluster_budget(row["id"], row["problem_id"], m, scan.n_base[row["problem_id"]])
        entry["m_source"] = "scan" if row["m"] is not None else "within_radius"
        clusters.append(entry)
    problems = []
    for key, idx in scan.scopes.items():
        base = [i for i in idx if not scan.is_rl[i]]
        problems.append(problem_budget(key, scan.label[base].tolist()))
    few = [
        {
            "cluster": row["id"],
            "problem_id": row["problem_id"],
            "n_base": scan.n_base[row["problem_id"]],
            "prevalence_upper_95": prevalence_upper(scan.n_base[row["problem_id"]]),
        }
        for row in scan.clusters
        if row["novel"] and prevalence_upper(scan.n_base[row["problem_id"]]) > FEW_BASE_UPPER
    ]
    return {
        "clusters": clusters,
        "problems": problems,
        "few_base_samples": few,
        "few_base_threshold": FEW_BASE_UPPER,
    }


def _diversity(scan: _Scan, rl_mask: np.ndarray | None = None) -> dict[str, Any]:
    """Per problem and side: clusters, entropy, Vendi; RL/base ratios; and their means.

    The ratios compare equal sample sizes: the larger side is subsampled to the smaller one's
    size (``matched``), since every one of these figures grows with the number of samples.
    """
    rng = np.random.default_rng(scan.seed)
    rows = []
    for key, idx in scan.scopes.items():
        idx = np.array(idx)
        base = idx[~scan.is_rl[idx]]
        rl = idx[scan.is_rl[idx]]
        if rl_mask is not None:
            rl = rl[rl_mask[rl]]
        if not len(rl) or not len(base):
            continue
        b = side_diversity(scan.label[base].tolist(), scan.local[base])
        r = side_diversity(scan.label[rl].tolist(), scan.local[rl])
        size = min(len(base), len(rl))
        # a side already of the matched size is its own match (issue 13: not measured twice)
        mb = (
            dict(b)
            if size >= len(base)
            else matched_diversity(scan.label[base].tolist(), scan.local[base], size, rng)
        )
        mr = (
            dict(r)
            if size >= len(rl)
            else matched_diversity(scan.label[rl].tolist(), scan.local[rl], size, rng)
        )
        rows.append(
            {
                "problem_id": key,
                "base": b,
                "rl": r,
                "matched": {"n": size, "base": mb, "rl": mr},
                "ratio": {f: ratio(mr[f], mb[f]) for f in ("n_clusters", "entropy", "vendi")},
            }
        )
    mean = {}
    for f in ("n_clusters", "entropy", "vendi"):
        vals = [x["ratio"][f] for x in rows if x["ratio"][f] is not None]
        mean[f] = float(np.mean(vals)) if vals else None
    return {"per_problem": rows, "mean_ratio": mean}


def _timeline(
    scan: _Scan, source: str, checkpoints: list[dict[str, Any]], at: np.ndarray
) -> dict[str, Any]:
    """The figures per RL checkpoint, and the first checkpoint at which each novel cluster
    appears (see :func:`novelty.checkpoints.find_checkpoints` for where checkpoints come from;
    with several runs, first per run)."""
    labels = [c["support_change"] for c in scan.clusters]
    rows = []
    for k, ckpt in enumerate(checkpoints):
        at_s = scan.is_rl & (at == k)
        mask = ~scan.is_rl | at_s
        sub = [t for t, keep in zip(scan.traces, mask, strict=True) if keep]
        table = passk_from_traces(sub, seed=scan.seed)
        relabelled, has_base, has_rl = _restricted(scan, labels, mask)
        # Only the problems this checkpoint sampled: elsewhere nothing was lost, only not drawn.
        sampled = {scan.key[i] for i in np.flatnonzero(at_s)}
        relabelled = [
            lab if c["problem_id"] in sampled else None
            for lab, c in zip(relabelled, scan.clusters, strict=True)
        ]
        div = _diversity(scan, rl_mask=at_s)
        rows.append(
            {
                **ckpt,
                "n_rl": int(at_s.sum()),
                "problems": sorted({str(scan.key[i]) for i in np.flatnonzero(at_s)}),
                "rl_pass_at_1": table["rl"][0] if table else None,
                "base_pass_at_1": table["base"][0] if table else None,
                "passk": _short_passk(table),
                "support": support_counts(relabelled, has_base, has_rl),  # sampled problems
                "n_novel_clusters_present": sum(
                    c["novel"] and bool(at_s[scan.members[j]].any())
                    for j, c in enumerate(scan.clusters)
                ),
                "diversity_mean_ratio": div["mean_ratio"],
            }
        )
    first = []
    for j, c in enumerate(scan.clusters):
        if c["novel"]:
            seen = at[scan.members[j]]
            seen = seen[seen >= 0]
            # issue 15: with several runs, the first checkpoint within each run that has one
            by_run: dict[Any, int] = {}
            for k in sorted(seen.tolist()):
                by_run.setdefault(checkpoints[k].get("run"), k)
            for run, k in by_run.items() or [(None, -1)]:
                ckpt = checkpoints[k] if k >= 0 else {"step": None, "name": None}
                entry = {"cluster": c["id"], "first_step": ckpt["step"]}
                entry["first_checkpoint"] = ckpt["name"]
                first.append(entry if run is None else {**entry, "run": run})
    rl_traces = [t for t in scan.traces if t.role == RL]
    how = "step" if source == "step" else "model name, in the order given (step not read)"
    return {
        "source": source,
        "checkpoints": rows,
        "novel_first_seen": first,
        "n_rl_without_step": sum(t.step is None for t in rl_traces),
        "n_rl_without_checkpoint": int((scan.is_rl & (at < 0)).sum()),
        "note": f"RL traces grouped by {how}; base traces are the same at every checkpoint",
    }


def _short_passk(table: dict[str, Any] | None) -> dict[str, Any] | None:
    """The means, coverage and the tested calls (``crossover_k``, ``rl_ahead_at_every_k`` rest
    on ``diff_ci``, issue 12) of a pass@k table; ``crossover_k_point`` is the untested crossing."""
    if table is None:
        return None
    keep = ("k", "base", "rl", "crossover_k", "rl_ahead_at_every_k", "problems_at_k", "coverage")
    keep += ("diff_ci", "crossover_k_point")
    return {k: table[k] for k in keep}


def _domains(scan: _Scan) -> dict[str, Any]:
    """Novelty and pass@k per domain; a cluster's domain is its members' most common one."""
    names = sorted({t.domain for t in scan.traces if t.domain is not None})
    cluster_domain = []
    for j in range(len(scan.clusters)):
        doms = Counter(scan.traces[i].domain for i in scan.members[j])
        cluster_domain.append(doms.most_common(1)[0][0] if doms else None)
    out = []
    for d in names:
        mine = [t for t in scan.traces if t.domain == d]
        rows = [c for c, cd in zip(scan.clusters, cluster_domain, strict=True) if cd == d]
        counts = correct_counts(mine)
        usable = any(v[BASE][0] and v[RL][0] for v in counts.values())
        out.append(
            {
                "domain": d,
                "n_base": sum(t.role == BASE for t in mine),
                "n_rl": sum(t.role == RL for t in mine),
                "n_problems": len({t.problem_id for t in mine}),
                "n_clusters": len(rows),
                "n_novel_clusters": sum(c["novel"] for c in rows),
                "n_novel_traces": sum(c["n_rl"] for c in rows if c["novel"]),
                "passk": _short_passk(passk_table(counts, seed=scan.seed)) if usable else None,
            }
        )
    n_missing = sum(t.domain is None for t in scan.traces)
    return {"per_domain": out, "n_traces_without_domain": n_missing}


def _base_likelihood(scan: _Scan) -> dict[str, Any]:
    """Where each novel cluster's RL traces fall among the base model's own log-probabilities.

    The percentile of a trace is the share of base traces of its problem whose
    ``base_logprob`` is at or below its own. A novel cluster whose median member sits at or
    above the base median (``likely_under_base``) is a strategy the base model finds as
    likely as its typical sample: sharpening rather than discovery.
    """
    base_lp: dict[Any, np.ndarray] = {}
    for key, idx in scan.scopes.items():
        vals = [scan.traces[i].base_logprob for i in idx if not scan.is_rl[i]]
        base_lp[key] = np.sort([v for v in vals if v is not None])
    rows = []
    for j, c in enumerate(scan.clusters):
        if not c["novel"]:
            continue
        ref = base_lp.get(c["problem_id"], np.zeros(0))
        lps = [
            scan.traces[i].base_logprob
            for i in scan.members[j]
            if scan.is_rl[i] and scan.traces[i].base_logprob is not None
        ]
        if not len(ref) or not lps:
            rows.append({"cluster": c["id"], "problem_id": c["problem_id"], "n_with_logprob": 0})
            continue
        pct = np.searchsorted(ref, lps, side="right") / len(ref)
        med = float(np.median(pct))
        rows.append(
            {
                "cluster": c["id"],
                "problem_id": c["problem_id"],
                "n_with_logprob": len(lps),
                "n_base_with_logprob": len(ref),
                "percentile_median": med,
                "percentile_min": float(pct.min()),
                "percentile_max": float(pct.max()),
                "likely_under_base": med >= 0.5,
            }
        )
    return {"clusters": rows, "threshold": 0.5}
