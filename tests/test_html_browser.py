"""report.html in a real headless Chromium: no console error, the map and a novel card visible,
no planted script run. Skips without /usr/bin/chromium unless NOVELTY_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_html_report import IMG, SCRIPT, hostile_report

from novelty.html_report import render_html, write_html_text

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_or_skip():
    required = os.environ.get("NOVELTY_REQUIRE_BROWSER") == "1"
    if not CHROMIUM.exists():
        if required:
            pytest.fail(f"NOVELTY_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    return sync_playwright


def open_report(path: Path, screenshot: Path) -> dict:
    """Load ``path`` in Chromium (network off), return what the page showed and logged."""
    sync_playwright = _browser_or_skip()
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_selector("#map-overall .main-svg", state="visible", timeout=30_000)
            page.wait_for_selector("#map-problem .main-svg", state="visible", timeout=30_000)
            out = {
                "errors": errors,
                "requests": requests,
                "pwned": page.evaluate("typeof window.__pwned"),
                "map_points": page.locator("#map-overall .point").count(),
                "card_visible": page.locator("section.card").first.is_visible(),
                "card_text": page.locator("section.card pre.exemplar").first.inner_text(),
                "problems": page.locator("#problem-select option").count(),
            }
            page.locator("section.card").first.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return out


def test_report_opens_clean_in_chromium(tmp_path):
    d = hostile_report()
    path = write_html_text(render_html(d), tmp_path)
    shot = tmp_path / "report.png"
    seen = open_report(path, shot)
    assert seen["errors"] == []
    assert seen["requests"] == []  # nothing fetched: the page is self-contained
    assert seen["pwned"] == "undefined"
    assert seen["map_points"] == len(d["traces"])
    assert seen["card_visible"]
    assert SCRIPT in seen["card_text"] and IMG in seen["card_text"]  # shown as text
    assert seen["problems"] == len(d["problems"])
    assert shot.stat().st_size > 10_000


# ------------------------------------------------------------------ layout on a desktop and a phone
LAYOUT_JS = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
                        return {l: r.left, r: r.right, t: r.top, b: r.bottom}; };
  const meets = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
  const out = {overlaps: [], modebar_over_plot: [], wrapped: [], budget_legend: [],
               page_width: document.documentElement.scrollWidth};
  for (const id of ["map-overall", "map-problem", "passk", "budget"]) {
    const fig = document.getElementById(id);
    const bar = fig && fig.querySelector(".modebar");
    if (!bar) continue;
    const mb = box(bar);
    fig.querySelectorAll(".legend .traces").forEach((t) => {
      if (meets(mb, box(t))) out.overlaps.push(id + ": " + t.textContent);
    });
    const plot = fig.querySelector(".nsewdrag");
    if (plot && meets(mb, box(plot))) out.modebar_over_plot.push(id);
  }
  document.querySelectorAll("td.n, td.id").forEach((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) out.wrapped.push(td.textContent);
  });
  document.querySelectorAll("#budget .legend .traces").forEach((t) => {
    out.budget_legend.push(t.textContent);
  });
  return out;
}"""


def _layout_report() -> dict:
    """A scan with novel clusters on six problems whose ids sort differently as text, its
    evidence computed by the scan itself, and one very small q-value (``2.8e-05``)."""
    import json as _json

    from conftest import PlantedEmbedder, planted_records
    from novelty import scan

    names = ["gsm8k-2", "gsm8k-10", "gsm8k-1", "math-train-algebra-000123", "gsm8k-3", "p"]
    recs = planted_records(
        n_problems=6, n_base=30, n_rl=30, rl_mix={"a": 0.4, "b": 0.2, "new": 0.4}, seed=3
    )
    for r in recs:
        r["problem_id"] = names[int(r["problem_id"][1:])]
    rep = scan(recs, embedder=PlantedEmbedder(), cache=None, view="whole", projection="pca")
    d = _json.loads(rep.to_json())
    novel = [c for c in d["clusters"] if c["novel"]]
    assert novel and d["evidence"]["budget"]["clusters"] and d["evidence"]["passk"]
    novel[0]["q_value"] = 2.8e-05
    return d


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_layout_on_desktop_and_phone(tmp_path, width, height):
    sync_playwright = _browser_or_skip()
    d = _layout_report()
    path = write_html_text(render_html(d), tmp_path)
    shots = Path(os.environ.get("NOVELTY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(path.resolve().as_uri(), wait_until="load")
            for fig in ("map-overall", "map-problem", "passk", "budget"):
                page.wait_for_selector(f"#{fig} .main-svg", state="visible", timeout=30_000)
            page.wait_for_timeout(300)  # the legend fitting's relayout
            page.screenshot(path=str(shots / f"report-{width}.png"), full_page=True)
            for fig in ("budget", "map-problem"):
                page.locator(f"#{fig}").scroll_into_view_if_needed()
                page.locator(f"#{fig}").hover()  # the mode bar shows on hover
                page.locator(f"#{fig}").screenshot(path=str(shots / f"{fig}-{width}.png"))
            page.locator("#clusters").scroll_into_view_if_needed()
            page.screenshot(path=str(shots / f"clusters-{width}.png"))
            seen = page.evaluate(LAYOUT_JS)
        finally:
            browser.close()
    assert seen["overlaps"] == []  # the mode bar hides no legend entry
    assert seen["modebar_over_plot"] == []  # nor the top of a plot
    assert seen["wrapped"] == []  # no number broken over two lines ("2.8e-" / "05")
    assert seen["page_width"] <= width  # wide tables scroll inside their box, not the page
    assert "2.8e-05" in path.read_text()
    novel = {c["id"] for c in d["clusters"] if c["novel"]}
    problems = {str(p["problem_id"]) for p in d["problems"]}
    legend = seen["budget_legend"]
    n_novel = sum(r["cluster"] in novel for r in d["evidence"]["budget"]["clusters"])
    assert len(legend) == min(12, len(d["evidence"]["budget"]["clusters"]))
    assert all("novel" in entry for entry in legend[:n_novel])  # novel clusters first
    assert not any("novel" in entry for entry in legend[n_novel:])
    assert all(any(entry.startswith(p) for p in problems) for entry in legend)  # named
