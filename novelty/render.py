"""The terminal summary, rendered from the report's plain dict (never from pipeline state)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _fmt(x: Any, spec: str = ".3f") -> str:
    return "—" if x is None else format(x, spec)


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
            f"{c['n_rl']} RL / {c['n_base']} base, nearest base trace at "
            f"{_fmt(c['min_base_distance'])}, p={_fmt(c['p_value'], '.2g')}, "
            f"q={_fmt(c['q_value'], '.2g')}"
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
    console.print(f"[bold {colour}]verdict[/bold {colour}]: {s['verdict']}")
    _render_skipped(report, console)


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
