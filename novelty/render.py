"""The terminal summary, rendered from the report's plain dict (never from pipeline state)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


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
    for col in ("problem", "base", "RL", "clusters", "novel clusters", "novel RL traces", "radius"):
        table.add_column(col, justify="right" if col != "problem" else "left")
    for p in report["problems"]:
        table.add_row(
            escape(str(p["problem_id"])),
            str(p["n_base"]),
            str(p["n_rl"]),
            str(p["n_clusters"]),
            str(p["n_novel_clusters"]),
            str(p["n_novel_traces"]),
            _fmt(p["radius"]),
        )
    console.print(table)

    novel = [c for c in report["clusters"] if c["novel"]]
    for c in novel[:max_novel]:
        console.print(
            f"[bold green]novel[/bold green] cluster {c['id']} "
            f"(problem {escape(str(c['problem_id']))}): "
            f"{c['n_rl']} RL / {c['n_base']} base, p={_fmt(c['p_value'], '.2g')}, "
            f"q={_fmt(c['q_value'], '.2g')}"
        )
        console.print(
            f"    keywords: {escape(', '.join(c.get('keywords') or []) or '—')}; "
            f"nearest base trace {escape(str(c.get('nearest_base_id')))} at "
            f"{_fmt(c.get('nearest_base_distance', c['min_base_distance']))}",
            highlight=False,
        )
        # Trace text is data: escaped so "[...]" in a trace is printed, not read as markup.
        console.print(f"    [dim]“{escape(c['exemplar_excerpt'])}”[/dim]", highlight=False)
    if len(novel) > max_novel:
        console.print(f"… and {len(novel) - max_novel} more novel cluster(s) in report.json")
    colour = "green" if s["novel"] else "yellow"
    console.print(
        f"radius (median over problems): {_fmt(s['radius'])}   alpha: {s['alpha']} "
        f"({s['fdr_method'].upper()})"
    )
    render_evidence(report.get("evidence") or {}, s, console)
    render_behaviours(report, console, max_shown=max_novel)
    console.print(f"[bold {colour}]verdict[/bold {colour}]: {s['verdict']}")
    _render_skipped(report, console)


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
        console.print(_passk_line(ev["passk"]))
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
    if tl and tl["checkpoints"]:
        first, last = tl["checkpoints"][0], tl["checkpoints"][-1]
        console.print(
            f"timeline: {len(tl['checkpoints'])} RL checkpoint(s), {_checkpoint(first)} → "
            f"{_checkpoint(last)}; RL pass@1 {_fmt(first['rl_pass_at_1'], '.2f')} → "
            f"{_fmt(last['rl_pass_at_1'], '.2f')}"
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


def _passk_line(t: dict[str, Any]) -> str:
    """pass@1 and pass@max-k of both sides, and where (or whether) base overtakes RL."""
    k_max = t["k"][-1]
    if t["crossover_k"] is not None:
        tail = f"base overtakes RL at k={t['crossover_k']}"
    elif t["rl_ahead_at_every_k"] and t["coverage"]["rl_only"]:
        tail = f"RL ahead at every k up to {k_max} (the signature of an expanded boundary)"
    elif t["rl_ahead_at_every_k"]:
        tail = (
            f"RL ahead at every k up to {k_max}, but base solves every problem RL solves: "
            "sharper, not a wider boundary"
        )
    else:
        tail = "base never ahead (ties at some k)"
    cov = {name: len(ids) for name, ids in t["coverage"].items()}
    return (
        f"pass@1 base {t['base'][0]:.3f} / RL {t['rl'][0]:.3f}; pass@{k_max} base "
        f"{t['base'][-1]:.3f} / RL {t['rl'][-1]:.3f} ({t['n_problems']} problem(s)); {tail}; "
        f"problems solved by base only {cov['base_only']}, RL only {cov['rl_only']}, "
        f"both {cov['both']}, neither {cov['neither']}"
    )


def render_passk(t: dict[str, Any], console: Console) -> None:
    """The pass@k table of ``novelty passk``: k, both means, problems averaged, and coverage."""
    table = Table(title="pass@k (unbiased estimator, mean over problems)")
    for col in ("k", "base", "RL", "RL − base", "problems"):
        table.add_column(col, justify="right")
    for k, b, r, n in zip(t["k"], t["base"], t["rl"], t["problems_at_k"], strict=True):
        table.add_row(str(k), f"{b:.3f}", f"{r:.3f}", f"{r - b:+.3f}", str(n))
    console.print(table)
    console.print(_passk_line(t))
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
