"""``report.html``: one self-contained page, rendered from the report's plain dict only.

The page has the verdict and its numbers, a 2-D map of every trace (overall and per problem),
pass@k and budget curves when the report carries them, and a card per novel cluster with its
exemplar beside the nearest base trace. It opens offline: plotly.js (from the ``plotly``
package) is inlined, and nothing is fetched.

Trace text is data. Markup goes through Jinja's autoescaping; figure data travels as JSON in a
``<script type="application/json">`` block whose ``<``, ``>``, ``&`` and U+2028/9 are escaped,
so a trace holding ``</script>`` cannot end the block; strings inside figures (hover text) are
HTML-escaped too, since plotly reads a few tags in them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from novelty.atomic import atomic_write_text
from novelty.natural import natural_key
from novelty.report import finite

HTML_NAME = "report.html"
# Above this many points a map shows every RL trace and a seeded sample of the base traces.
MAP_MAX_POINTS = 50_000
# Rows of the cluster table (RL clusters, most significant first).
MAX_TABLE_ROWS = 200

BASE_COLOUR = "#9e9e9e"
NOISE_COLOUR = "#c5cae9"
# A qualitative palette (the D3 "category10" colours without its grey).
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
)
NOVEL_MARKER = {"symbol": "diamond", "size": 10, "line": {"color": "#000000", "width": 1.2}}
# Pixels above every plot for plotly's mode bar, which would otherwise cover the top of the
# plot or the first entries of a legend there.
_MODEBAR_ROOM = 36
# Below every curve chart: a legend on the right squeezes the plot to nothing on a phone.
_LEGEND_BELOW = {"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0, "xanchor": "left"}


def render_html(report: dict[str, Any]) -> str:
    """The whole page as text, from a report dict (as read from ``report.json``)."""
    from jinja2 import Environment, select_autoescape

    report = finite(report)
    seed = int(report.get("config", {}).get("seed", 0) or 0)
    traces = [t for t in report.get("traces", []) if t.get("map_x") is not None]
    overall, overall_note = map_figure(traces, report["clusters"], seed=seed, local=False)
    by_problem: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for t in traces:
        by_problem[t["problem_id"]].append(t)
    global_scope = report.get("config", {}).get("scope") == "global"
    problems = []
    problem_figs = []
    for p in report.get("problems", []):
        mine = traces if global_scope else by_problem.get(p["problem_id"], [])
        if not mine:
            continue
        fig, note = map_figure(mine, report["clusters"], seed=seed, local=True)
        problems.append({**p, "note": note, "key": str(len(problem_figs))})
        problem_figs.append(fig)
    problems.sort(key=lambda p: (-p["n_novel_clusters"], natural_key(p["problem_id"])))
    evidence = report.get("evidence") or {}
    figures = {"map-overall": overall} if traces else {}
    passk = passk_figure(evidence.get("passk"))
    if passk:
        figures["passk"] = passk
    novel_ids = {c["id"] for c in report["clusters"] if c["novel"]}
    budget = budget_figure(evidence.get("budget"), novel_ids=novel_ids)
    if budget:
        figures["budget"] = budget
    runs = report.get("runs") or []  # issue 15: one per RL run
    runs_passk = runs_passk_figure(runs)
    if runs_passk:
        figures["passk-runs"] = runs_passk

    plotly_js = _plotly_js()
    app_js = _resource("templates/report.js")
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["num"] = _num
    template = env.from_string(_resource("templates/report.html.j2"))
    return template.render(
        r=report,
        s=report["summary"],
        novel=sorted(
            (c for c in report["clusters"] if c["novel"]),
            key=lambda c: (c["q_value"] if c["q_value"] is not None else 1.0, c["id"]),
        ),
        table=_table_rows(report["clusters"]),
        behaviours=sorted(report.get("behaviours") or [], key=lambda b: (b["q_value"], b["id"])),
        n_rl_clusters=sum(c["n_rl"] > 0 for c in report["clusters"]),
        max_rows=MAX_TABLE_ROWS,
        problems=problems,
        overall_note=overall_note,
        has_map=bool(traces),
        has_passk=bool(passk),
        has_budget=bool(budget),
        runs=runs,
        run_names=[run["name"] for run in runs],
        run_strategies=run_strategy_rows(report["clusters"]),
        has_runs_passk=bool(runs_passk),
        budget_shown=len(budget["data"]) if budget else 0,
        budget_total=len((evidence.get("budget") or {}).get("clusters") or []),
        figures_json=script_json({"static": figures, "problems": problem_figs}),
        plotly_js=plotly_js,
        app_js=app_js,
        # Only these two scripts may run: an injected <script> or onerror= is refused by the
        # browser even if escaping ever failed (defence in depth, not the first line).
        script_hashes=" ".join(_csp_hash(js) for js in (plotly_js, app_js)),
    )


def write_html_text(page: str, out_dir: str | Path) -> Path:
    """Write an already rendered page to ``out_dir/report.html`` atomically."""
    path = Path(out_dir) / HTML_NAME
    atomic_write_text(path, page)
    return path


def script_json(obj: Any) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>``, ``&`` or line separators survive raw."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, esc)
    return text


def map_figure(
    traces: list[dict[str, Any]],
    clusters: list[dict[str, Any]],
    *,
    seed: int = 0,
    local: bool = False,
    max_points: int = MAP_MAX_POINTS,
) -> tuple[dict[str, Any], str | None]:
    """A plotly scatter of traces: base grey, RL coloured by cluster, novel clusters marked.

    ``local`` draws a problem's own map (``problem_map_x``/``_y``, one legend entry per
    cluster); otherwise the overall map (``map_x``/``_y``, three legend entries). Returns the
    figure and, when base points were sampled down to ``max_points``, a note that says so.
    """
    kx, ky = ("problem_map_x", "problem_map_y") if local else ("map_x", "map_y")
    novel_ids = {c["id"] for c in clusters if c["novel"]}
    shown, note = _downsample(traces, novel_ids, max_points, seed)
    base = [t for t in shown if t["model"] != "rl"]
    rl = [t for t in shown if t["model"] == "rl"]
    data = [_scatter(base, kx, ky, "base", {"color": BASE_COLOUR, "size": 5, "opacity": 0.55})]
    if local:
        for cid in sorted({t["cluster"] for t in rl}):
            pts = [t for t in rl if t["cluster"] == cid]
            if cid < 0:
                name, marker = "RL, no cluster", {"color": NOISE_COLOUR, "size": 6}
            elif cid in novel_ids:
                name, marker = f"cluster {cid} (novel)", {**NOVEL_MARKER, "color": _colour(cid)}
            else:
                name, marker = f"RL in cluster {cid}", {"color": _colour(cid), "size": 6}
            data.append(_scatter(pts, kx, ky, name, marker))
    else:
        plain = [t for t in rl if t["cluster"] not in novel_ids]
        marked = [t for t in rl if t["cluster"] in novel_ids]
        colours = [NOISE_COLOUR if t["cluster"] < 0 else _colour(t["cluster"]) for t in plain]
        data.append(_scatter(plain, kx, ky, "RL (colour: cluster)", {"color": colours, "size": 6}))
        colours = [_colour(t["cluster"]) for t in marked]
        data.append(
            _scatter(marked, kx, ky, "RL, novel cluster", {**NOVEL_MARKER, "color": colours})
        )
    layout = {
        "height": 520,
        "margin": {"l": 30, "r": 10, "t": _MODEBAR_ROOM, "b": 30},
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.08},
        "xaxis": {"showticklabels": False, "zeroline": False, "title": {"text": ""}},
        "yaxis": {"showticklabels": False, "zeroline": False, "scaleanchor": "x"},
        "plot_bgcolor": "#ffffff",
    }
    return {"data": [d for d in data if d["x"]], "layout": layout}, note


def passk_figure(passk: dict[str, Any] | None) -> dict[str, Any] | None:
    """Mean pass@k of base and RL against k (log scale), with the crossover marked."""
    if not passk or not passk.get("k"):
        return None
    data = [
        _line(passk["k"], passk.get(side) or [], label, colour)
        for side, label, colour in (("base", "base", BASE_COLOUR), ("rl", "RL", PALETTE[0]))
        if passk.get(side)
    ]
    shapes = []
    if passk.get("crossover_k") is not None:
        x = passk["crossover_k"]
        shapes.append({"type": "line", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1})
        shapes[0]["line"] = {"dash": "dot", "color": "#555555"}
    layout = _curve_layout("k (samples)", "mean pass@k", shapes, passk["k"])
    return {"data": data, "layout": layout}


def budget_figure(
    budget: dict[str, Any] | None,
    *,
    novel_ids: set[int] | frozenset[int] = frozenset(),
    max_lines: int = 12,
) -> dict[str, Any] | None:
    """Per RL cluster: the probability that k base samples all miss it, against k.

    Novel clusters come first (they are why the chart is read) and are drawn thicker; each
    line is named by its problem and cluster, as the cards and the table name them.
    """
    rows = (budget or {}).get("clusters") or []
    if not rows:
        return None
    rows = sorted(rows, key=lambda c: (c["cluster"] not in novel_ids, c["cluster"]))[:max_lines]
    data = []
    for c in rows:
        novel = c["cluster"] in novel_ids
        what = f"cluster {c['cluster']}" + (", novel" if novel else f" (m={c.get('m')})")
        problem = html.escape(str(c.get("problem_id")))
        line = _line(c["k"], c["miss_probability"], "", _colour(int(c["cluster"])))
        # A long id goes on a line of its own rather than off the edge of a phone's screen.
        line["name"] = f"{problem}<br>{what}" if len(problem) > 16 else f"{problem} · {what}"
        line["line"]["width"] = 3 if novel else 1.5
        if not novel:
            line["line"]["dash"] = "dot"
        data.append(line)
    ks = sorted({k for c in rows for k in c["k"]})
    return {"data": data, "layout": _curve_layout("k (base samples)", "P(all k miss)", [], ks)}


def runs_passk_figure(runs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Mean pass@k of each RL run against k, with base's (issue 15); None with fewer than two
    runs, where the pass@k figure already shows the one run."""
    tables = [(run["name"], run.get("passk")) for run in runs]
    tables = [(name, t) for name, t in tables if t and t.get("k")]
    if len(runs) < 2 or not tables:
        return None
    first = tables[0][1]
    data = [_line(first["k"], first["base"], "base", BASE_COLOUR)]
    data += [_line(t["k"], t["rl"], name, _colour(j)) for j, (name, t) in enumerate(tables)]
    ks = sorted({k for _, t in tables for k in t["k"]})
    return {"data": data, "layout": _curve_layout("k (samples)", "mean pass@k", [], ks)}


def run_strategy_rows(clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The novel and amplified clusters (issue 15's run × strategy table), novel first, then by
    q-value; at most :data:`MAX_TABLE_ROWS`."""
    rows = [c for c in clusters if c.get("support_change") in ("expanded", "amplified")]
    rows.sort(
        key=lambda c: (not c["novel"], c["q_value"] if c["q_value"] is not None else 2, c["id"])
    )
    return rows[:MAX_TABLE_ROWS]


def _downsample(traces, novel_ids, max_points, seed) -> tuple[list[dict], str | None]:
    """All RL traces and a seeded sample of base traces, at most ``max_points`` in all."""
    if len(traces) <= max_points:
        return traces, None
    rng = np.random.default_rng(seed)
    base = [t for t in traces if t["model"] != "rl"]
    rl = [t for t in traces if t["model"] == "rl"]
    keep_rl = rl
    if len(rl) > max_points // 2:  # RL alone is large: keep novel traces, sample the rest
        novel = [t for t in rl if t["cluster"] in novel_ids]
        rest = [t for t in rl if t["cluster"] not in novel_ids]
        take = max(max_points // 2 - len(novel), 0)
        keep_rl = novel + [rest[i] for i in sorted(rng.choice(len(rest), take, replace=False))]
    room = max(max_points - len(keep_rl), 0)
    keep_base = [base[i] for i in sorted(rng.choice(len(base), min(room, len(base)), False))]
    note = (
        f"{len(traces):,} traces are too many to draw: the map shows "
        f"{len(keep_base):,} of {len(base):,} base traces and {len(keep_rl):,} of {len(rl):,} "
        f"RL traces (every trace of a novel cluster), sampled with seed {seed}."
    )
    return keep_base + keep_rl, note


def _scatter(pts, kx, ky, name, marker) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [t[kx] for t in pts],
        "y": [t[ky] for t in pts],
        "hovertext": [_hover(t) for t in pts],
        "hoverinfo": "text",
        "marker": marker,
    }


def _hover(t: dict[str, Any]) -> str:
    where = "no cluster" if t["cluster"] < 0 else f"cluster {t['cluster']}"
    novel = " (novel)" if t.get("novel") else ""
    d = t.get("base_nn_distance")
    dist = "" if d is None else f"<br>nearest base {d:.3f}"
    return (
        f"{html.escape(str(t['id']))}<br>problem {html.escape(str(t['problem_id']))} · "
        f"{t['model']} · {where}{novel}{dist}"
    )


def _line(x, y, name, colour) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": html.escape(name),
        "x": list(x),
        "y": list(y),
        "line": {"color": colour},
    }


def _curve_layout(xtitle: str, ytitle: str, shapes: list, ks: list) -> dict[str, Any]:
    """Log-k axis ticked at 1, 2, 5, 10, 20, … and the largest k (readable on a phone too),
    the legend below the plot."""
    top = max(ks, default=1)
    ticks = [v for v in _log_ticks(top) if min(ks, default=1) <= v < top] + [top]
    return {
        "height": 380,
        "margin": {"l": 60, "r": 10, "t": _MODEBAR_ROOM, "b": 50},
        "xaxis": {"type": "log", "title": {"text": xtitle}, "tickvals": ticks},
        "yaxis": {"title": {"text": ytitle}, "rangemode": "tozero"},
        "legend": _LEGEND_BELOW,
        "shapes": shapes,
    }


def _log_ticks(top: float) -> list[int]:
    """1, 2, 5, 10, 20, 50, … up to ``top``."""
    out, decade = [], 1
    while decade <= top:
        out += [m * decade for m in (1, 2, 5) if m * decade <= top]
        decade *= 10
    return out


def _colour(cluster_id: int) -> str:
    return PALETTE[cluster_id % len(PALETTE)]


def _table_rows(clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [c for c in clusters if c["n_rl"] > 0]
    rows.sort(
        key=lambda c: (not c["novel"], c["q_value"] if c["q_value"] is not None else 2, c["id"])
    )
    return rows[:MAX_TABLE_ROWS]


def _num(x: Any, spec: str = ".3f") -> str:
    """Jinja filter: a number formatted, or a dash for a missing one."""
    if x is None:
        return "—"
    if isinstance(x, float) and spec == "p":
        return f"{x:.2g}"
    return format(x, spec)


def _resource(name: str) -> str:
    return resources.files("novelty").joinpath(name).read_text("utf-8")


def _plotly_js() -> str:
    """plotly.js as shipped inside the plotly package (nothing is fetched)."""
    from novelty._optional import require

    require("plotly")
    js = resources.files("plotly").joinpath("package_data/plotly.min.js").read_text("utf-8")
    # Inlined, the text must not close its own <script> element.
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"
