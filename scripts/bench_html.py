"""How report.html scales: build time, file size and time until Chromium shows the map.

Synthetic report dicts (no embedding) with n traces, half base and half RL, one novel cluster
per problem. Above 50k traces the map downsamples base points, so the page should stop
growing. Prints figures and ratios to the smallest n; asserts nothing.

    PYTHONPATH=$PWD python scripts/bench_html.py [--browser] [N ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from novelty.html_report import render_html


def synthetic_report(n: int, *, n_problems: int = 50, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    traces, clusters = [], []
    per = n // n_problems
    for p in range(n_problems):
        base_c, novel_c = len(clusters), len(clusters) + 1
        for cid, novel, n_base in ((base_c, False, per // 2), (novel_c, True, 0)):
            clusters.append(
                {
                    "id": cid,
                    "problem_id": f"p{p}",
                    "n_base": n_base,
                    "n_rl": per // 4,
                    "trace_ids": [],
                    "novel": novel,
                    "p_value": 1e-6 if novel else 0.5,
                    "q_value": 1e-4 if novel else 0.9,
                    "m": 0 if novel else 3,
                    "min_base_distance": 0.3,
                    "prevalence_upper_95": 0.01 if novel else None,
                    "correct_rate": 0.5,
                    "exemplar_ids": [f"p{p}-x"],
                    "exemplar_excerpt": "…",
                    "keywords": ["alpha", "beta"],
                    "exemplar_text": "text " * 200,
                    "nearest_base_id": f"p{p}-b0",
                    "nearest_base_distance": 0.3,
                    "nearest_base_text": "base " * 200,
                }
            )
        for i in range(per):
            role = "base" if i < per // 2 else "rl"
            cid = base_c if role == "base" or i < 3 * per // 4 else novel_c
            xy = rng.normal(size=4) + (4.0 if cid == novel_c else 0.0)
            traces.append(
                {
                    "id": f"p{p}-{i}",
                    "problem_id": f"p{p}",
                    "model": role,
                    "cluster": cid,
                    "base_nn_distance": float(rng.random()),
                    "p_value": None,
                    "novel": cid == novel_c,
                    "correct": None,
                    "map_x": float(xy[0]),
                    "map_y": float(xy[1]),
                    "problem_map_x": float(xy[2]),
                    "problem_map_y": float(xy[3]),
                }
            )
    summary = {
        "n_traces": len(traces),
        "n_base": n // 2,
        "n_rl": n // 2,
        "n_problems": n_problems,
        "n_clusters": len(clusters),
        "n_novel_clusters": n_problems,
        "n_novel_traces": n // 4,
        "radius": 0.2,
        "alpha": 0.05,
        "fdr_method": "bh",
        "view": "strategy",
        "verdict": "novel: synthetic",
        "novel": True,
        "projection": "pca",
        "min_base_samples_behind_novel": per // 2,
    }
    problems = [
        {
            "problem_id": f"p{p}",
            "n_base": per // 2,
            "n_rl": per // 2,
            "radius": 0.2,
            "n_novel_clusters": 1,
            "projection": "pca",
        }
        for p in range(n_problems)
    ]
    return {
        "schema_version": "1.0",
        "config": {"seed": 0, "min_cluster_size": 5, "embedder": "synthetic"},
        "summary": summary,
        "problems": problems,
        "clusters": clusters,
        "traces": traces,
    }


def browser_seconds(path: Path) -> float:
    """Seconds from navigation until the overall map's SVG is visible in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page()
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("#map-overall .main-svg", state="visible", timeout=300_000)
        page.wait_for_selector("#map-problem .main-svg", state="visible", timeout=300_000)
        elapsed = time.perf_counter() - t
        browser.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", type=int, default=[5_000, 50_000, 100_000])
    ap.add_argument("--browser", action="store_true", help="also time Chromium drawing it")
    args = ap.parse_args()
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            report = synthetic_report(n)
            t = time.perf_counter()
            page = render_html(report)
            build = time.perf_counter() - t
            path = Path(tmp) / f"r{n}.html"
            path.write_text(page, encoding="utf-8")
            size = path.stat().st_size / 1e6
            shown = "all" if n <= 50_000 else "downsampled"
            draw = browser_seconds(path) if args.browser else float("nan")
            first = first or (build, size, draw)
            print(
                f"n={n:>7,}: build {build:6.2f} s ({build / first[0]:5.1f}x), "
                f"file {size:6.1f} MB ({size / first[1]:4.1f}x), "
                f"browser {draw:6.2f} s ({draw / first[2]:4.1f}x), map points {shown}"
            )


if __name__ == "__main__":
    main()
