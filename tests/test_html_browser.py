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
