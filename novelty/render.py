"""The terminal summary, rendered from the report's plain dict (never from pipeline state)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from novelty.natural import natural_key


def _fmt(x: Any, spec: str = ".3f") -> str:
    return "—" if x is None else format(x, spec)


def _checkpoint(row: dict[str, Any]) -> str:
    """A timeline checkpoint as the reader named it: its RL model name, else its step."""
    return row["name"] if row.get("name") is not None else f"step {row['step']}"


def render_summary(report: dict[str, Any], console: Console, *, max_novel: int = 10) -> None:
    """Per-problem counts, the novel clusters with an excerpt, the radius and the verdict."""
    s = report["summary"]
    console.print(
        f"[bold]novelty scan[/bold]: {s['n_traces']} traces ({s['n_base']} base, {s['n_rl']} RL) "
        f"in {s['n_problems']} problem(s); view '{s['view']}', "
        f"{s['n_chunked']} trace(s) longer than the embedder window were chunked"
    )
    table = Table(title="per problem", show_lines=False)
    problems = sorted(report["problems"], key=lambda p: natural_key(p["problem_id"]))
    # An id is folded onto more lines rather than cut: two ids must never look the same.
    table.add_column("problem", overflow="fold")
    # Issue 12: the fewest RL-only traces a cluster needs to be called novel ("—": none can).
    cols = ("base", "RL", "clusters", "novel clusters", "novel RL traces", "radius")
    for col in (*cols, "RL-only needed"):
        table.add_column(col, justify="right")
    for p in problems:
        table.add_row(
            escape(str(p["problem_id"])),
            str(p["n_base"]),
            str(p["n_rl"]),
            str(p["n_clusters"]),
            str(p["n_novel_clusters"]),
            str(p["n_novel_traces"]),
            "base only" if p.get("base_only") else _fmt(p["radius"]),
            _fmt(p.get("min_detectable_rl"), "d"),
        )
    console.print(table)
    base_only = sum(bool(p.get("base_only")) for p in problems)
    if base_only:
        console.print(
            f"{base_only} problem(s) have base traces only (radius 'base only'): nothing to judge "
            "there, and left out of the median radius"
        )

    novel = [c for c in report["clusters"] if c["novel"]]
    for c in novel[:max_novel]:
        console.print(
            f"{_novel_tag(c)} cluster {c['id']} "
            f"(problem {escape(str(c['problem_id']))}): "
            f"{c['n_rl']} RL / {c['n_base']} base, p={_fmt(c['p_value'], '.2g')}, "
            f"q={_fmt(c['q_value'], '.2g')}{_runs_note(c)}"
        )
        console.print(
            f"    keywords: {escape(', '.join(c.get('keywords') or []) or '—')}; "
            f"nearest base trace {escape(str(c.get('nearest_base_id')))} at "
            f"{_fmt(c.get('nearest_base_distance', c['min_base_distance']))}",
            highlight=False,
        )
        if c.get("degenerate"):
            why = ", ".join(c.get("degenerate_reasons") or [])
            console.print(f"    degenerate: {escape(why)} (a shortcut, not a strategy)")
        # Trace text is data: escaped so "[...]" in a trace is printed, not read as markup.
        console.print(f"    [dim]“{escape(c['exemplar_excerpt'])}”[/dim]", highlight=False)
    if len(novel) > max_novel:
        console.print(f"… and {len(novel) - max_novel} more novel cluster(s) in report.json")
    conclusion = s.get("conclusion")  # absent from reports written before issue 12
    colour = "green" if s["novel"] else "red" if conclusion == "inconclusive" else "yellow"
    console.print(
        f"radius (median over problems): {_fmt(s['radius'])}   alpha: {s['alpha']} "
        f"({s['fdr_method'].upper()})"
    )
    render_evidence(report.get("evidence") or {}, s, console)
    render_runs(report.get("runs") or [], console)
    render_behaviours(report, console, max_shown=max_novel)
    sentence = s["verdict"]
    if conclusion and sentence.startswith(f"{conclusion}: "):
        sentence = sentence[len(conclusion) + 2 :]
    label = f"verdict: {conclusion}" if conclusion else "verdict"
    console.print(f"[bold {colour}]{label}[/bold {colour}] — {sentence}")
    _render_skipped(report, console)


def _novel_tag(cluster: dict[str, Any]) -> str:
    """The tag of a novel cluster: novel, or novel, degenerate for a shortcut (issue 15)."""
    if cluster.get("degenerate"):
        return "[bold magenta]novel, degenerate[/bold magenta]"
    return "[bold green]novel[/bold green]"


def render_behaviours(report: dict[str, Any], console: Console, *, max_shown: int = 10) -> None:
    """A line per significant behaviour across problems (issue 12), and the negative control's
    finding when it was run."""
    behaviours = report.get("behaviours") or []
    alpha = report["summary"]["alpha"]
    significant = [b for b in behaviours if b["q_value"] <= alpha]
    if behaviours:
        console.print(
            f"behaviours across problems: {len(behaviours)} found, {len(significant)} with a "
            f"significant difference between base and RL (labels permuted within problems)"
        )
    elif "behaviours" in report:
        seen = report["summary"].get("n_behaviour_traces", 0)
        console.print(
            f"behaviours across problems: none found among {seen} traces of problems with at "
            "least 3 traces"
        )
    for b in significant[:max_shown]:
        head = "[bold green]novel[/bold green] " if b["novel"] else ""
        keywords = escape(", ".join(b.get("keywords") or []) or "—")
        console.print(
            f"  {head}behaviour {b['id']} ({b['support_change']}): {b['n_rl']} RL / "
            f"{b['n_base']} base traces in {b['n_problems']} problems, "
            f"q={_fmt(b['q_value'], '.2g')}; keywords: {keywords}",
            highlight=False,
        )
    if len(significant) > max_shown:
        console.print(f"  … and {len(significant) - max_shown} more in report.json")
    finding = report["summary"].get("negative_control_finding")
    if finding:
        console.print(escape(finding), highlight=False)


def render_evidence(ev: dict[str, Any], summary: dict[str, Any], console: Console) -> None:
    """A few lines of ``report.evidence``: pass@k, support, diversity, drift, warnings."""
    if not ev:
        return
    if ev.get("passk"):
        console.print(passk_line(ev["passk"]))
    sup = ev.get("support", {}).get("overall")
    if sup:
        line = (
            f"strategies: {sup['expanded']} expanded, {sup['amplified']} amplified, "
            f"{sup['preserved']} preserved, {sup['shrunk']} shrunk "
            f"({sup.get('shrunk_significant', 0)} significantly)"
            f", {sup['unconfirmed']} unconfirmed; retention {_fmt(sup['retention'], '.2f')}, "
            f"discovery {_fmt(sup['discovery'], '.2f')}"
        )
        correct = ev["support"].get("correct", {}).get("overall")
        if correct:
            line += (
                f"; on correct traces {correct['expanded']} expanded, {correct['shrunk']} shrunk"
            )
        console.print(line)
    ratios = ev.get("diversity", {}).get("mean_ratio")
    if ratios:
        console.print(
            f"diversity RL/base (mean over problems): clusters {_fmt(ratios['n_clusters'], '.2f')}"
            f", entropy {_fmt(ratios['entropy'], '.2f')}, Vendi {_fmt(ratios['vendi'], '.2f')}"
        )
    drift = ev.get("drift")
    if drift:
        moved = drift["p_value"] <= summary["alpha"]
        gloss = (
            "the distribution moved" if moved else "no detectable shift"
        ) + f", {summary['n_novel_clusters']} novel cluster(s)"
        console.print(
            f"drift: MMD² {drift['mmd2']:.4f} (permutation p={drift['p_value']:.3g}, "
            f"{drift['n_permutations']} permutations): {gloss}"
        )
    tl = ev.get("timeline")
    # issue 15: with several RL runs the checkpoints are per run, and so is the line
    by_run: dict[Any, list[dict[str, Any]]] = {}
    for ckpt in (tl or {}).get("checkpoints", []):
        by_run.setdefault(ckpt.get("run"), []).append(ckpt)
    for run, ckpts in by_run.items():
        first, last = ckpts[0], ckpts[-1]
        whose = "" if run is None else f" of run {escape(str(run))}"
        console.print(
            f"timeline: {len(ckpts)} RL checkpoint(s){whose}, {_checkpoint(first)} → "
            f"{_checkpoint(last)}; RL pass@1 {_fmt(first['rl_pass_at_1'], '.2f')} → "
            f"{_fmt(last['rl_pass_at_1'], '.2f')}",
            highlight=False,
        )
    few = ev.get("budget", {}).get("few_base_samples") or []
    if few:
        n_min = min(f["n_base"] for f in few)
        worst = max(f["prevalence_upper_95"] for f in few)
        console.print(
            f"[bold yellow]warning[/bold yellow]: {len(few)} novel cluster(s) rest on few base "
            f"samples (as few as {n_min}): a base strategy used by up to {worst:.0%} of base "
            "samples could have been missed by all of them"
        )
    likely = [
        c for c in ev.get("base_likelihood", {}).get("clusters", []) if c.get("likely_under_base")
    ]
    if likely:
        console.print(
            f"[bold yellow]warning[/bold yellow]: {len(likely)} novel cluster(s) are as likely "
            "under the base model as its median own sample: sharpening, not discovery"
        )
    for sk in ev.get("skipped", []):
        console.print(f"[dim]skipped {sk['part']}: {escape(sk['reason'])}[/dim]")


def _runs_note(c: dict[str, Any]) -> str:
    """``; shared: A 11, B 8`` for a cluster of a scan of several runs (issue 15), else ""."""
    if not c.get("run_scope"):
        return ""
    counts = ", ".join(f"{escape(k)} {v}" for k, v in c["n_rl_by_run"].items())
    return f"; {c['run_scope']}: {counts}"


def render_runs(runs: list[dict[str, Any]], console: Console) -> None:
    """One line per RL run (issue 15): its novel strategies, pass@1 and what it lost."""
    several = len(runs) > 1
    for run in runs:
        shared = f" ({run['n_shared_novel_clusters']} shared by every run)" if several else ""
        if run["pass_at_1"] is None:  # no problem with correctness on both sides
            tail = "pass@1 and losses not measured (no problem has correctness on both sides)"
        else:
            tail = (
                f"pass@1 {_fmt(run['pass_at_1'])} (base {_fmt(run['base_pass_at_1'])}); "
                f"lost {len(run['problems_lost'])} of {run['n_problems_base_solved']} "
                f"problem(s) base solved and {len(run['strategies_lost'])} strategy(ies) of "
                "correct traces"
            )
        console.print(
            f"run [bold]{escape(run['name'])}[/bold]: {run['n_rl']} RL traces in "
            f"{run['n_problems']} problem(s); {run['n_novel_clusters']} novel cluster(s){shared}, "
            f"{run['n_novel_traces']} novel trace(s), {run['n_amplified_clusters']} amplified; "
            f"{tail}",
            highlight=False,
        )


def passk_line(t: dict[str, Any]) -> str:
    """pass@1 and pass@max-k of both sides, and what the intervals over problems say of the
    difference: where base is significantly ahead, whether RL is at every k, or neither."""
    k_max = t["k"][-1]
    cov = {name: len(ids) for name, ids in t["coverage"].items()}
    head = (
        f"pass@1 base {t['base'][0]:.3f} / RL {t['rl'][0]:.3f}; pass@{k_max} base "
        f"{t['base'][-1]:.3f} / RL {t['rl'][-1]:.3f} ({t['n_problems']} problem(s)); "
    )
    tail = (
        f"; problems solved by base only {cov['base_only']}, RL only {cov['rl_only']}, "
        f"both {cov['both']}, neither {cov['neither']}"
    )
    return head + _passk_call(t) + tail


def _passk_call(t: dict[str, Any]) -> str:
    """The pass@k comparison in words, claiming only what ``diff_ci`` shows."""
    diff = t.get("diff_ci")
    if diff is None:  # a report written before the intervals: point estimates only
        cross = t.get("crossover_k")
        return f"means cross at k={cross} (no intervals)" if cross else "no intervals to compare"
    level = f"{t.get('ci_level', 0.95):.0%} CI"
    k_max = t["k"][-1]
    sig_rl = [k for k, (lo, _) in zip(t["k"], diff, strict=True) if lo is not None and lo > 0]
    if t["crossover_k"] is not None:
        j = t["k"].index(t["crossover_k"])
        lo, hi = diff[j]
        first = f"RL ahead at k = {_ks(sig_rl)} and " if sig_rl else ""
        return (
            f"{first}base overtakes RL at k={t['crossover_k']} (RL − base "
            f"{t['rl'][j] - t['base'][j]:+.3f}, {level} [{lo:+.3f}, {hi:+.3f}])"
        )
    if t["rl_ahead_at_every_k"] and t["coverage"]["rl_only"]:
        return (
            f"RL ahead at every k up to {k_max} ({level} of RL − base above 0; the signature "
            "of an expanded boundary)"
        )
    if t["rl_ahead_at_every_k"]:
        return (
            f"RL ahead at every k up to {k_max} ({level} of RL − base above 0), but base "
            "solves every problem RL solves: sharper, not a wider boundary"
        )
    if sig_rl:
        rest = [k for k in t["k"] if k not in sig_rl]
        return f"RL ahead at k = {_ks(sig_rl)}; no significant difference at k = {_ks(rest)}"
    point = t.get("crossover_k_point")
    crossing = f"; the means cross at k={point}, within the noise" if point else ""
    if all(lo is None for lo, _ in diff):
        return f"no significance tested: too few problems for an interval at any k{crossing}"
    return f"no significant difference at any k ({level}s of RL − base contain 0){crossing}"


def _ks(ks: list[int]) -> str:
    return ", ".join(str(k) for k in ks)


def render_passk(t: dict[str, Any], console: Console) -> None:
    """The pass@k table of ``novelty passk``: k, both means, problems averaged, and coverage."""
    table = Table(title="pass@k (unbiased estimator, mean over problems)")
    level = f"{t.get('ci_level', 0.95):.0%} CI"
    for col in ("k", "base", "RL", "RL − base", level, "problems"):
        table.add_column(col, justify="right")
    diff = t.get("diff_ci") or [[None, None]] * len(t["k"])
    for k, b, r, n, (lo, hi) in zip(
        t["k"], t["base"], t["rl"], t["problems_at_k"], diff, strict=True
    ):
        ci = escape(f"[{_fmt(lo, '+.3f')}, {_fmt(hi, '+.3f')}]")
        table.add_row(str(k), f"{b:.3f}", f"{r:.3f}", f"{r - b:+.3f}", ci, str(n))
    console.print(table)
    console.print(passk_line(t))
    if t.get("ci_method"):
        console.print(
            f"[dim]intervals: {t['ci_method']}; {t['n_bootstrap']} resamples, seed "
            f"{t['seed']}[/dim]"
        )
    if t.get("n_traces_unknown_correct"):
        console.print(
            f"[dim]{t['n_traces_unknown_correct']} trace(s) without correct/reward left out[/dim]"
        )
    console.print(f"[dim]averaging: {t['averaging']}[/dim]")


def _render_skipped(report: dict[str, Any], console: Console, *, shown: int = 5) -> None:
    """Lines left out by ``--skip-invalid``: how many, and where the first few are."""
    n = report["summary"].get("n_skipped") or 0
    if not n:
        return
    console.print(f"[yellow]skipped[/yellow] {n} invalid line(s) (--skip-invalid):")
    for line in report["config"].get("skipped", [])[:shown]:
        console.print(f"    {escape(line)}", highlight=False)
    if n > shown:
        console.print(f"    … {n - shown} more; report.json config.skipped lists the first 20")
