"""Every page loads in real Chromium with no console errors and no serious axe-core findings."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

import indicators
from indicators.registry import THEMES
from tests.browser.conftest import SCREENSHOTS, axe_violations

PAGES = ["/", "/data-quality", "/about"] + [f"/indicator/{i}" for i in indicators.registry()]


def _settled(page):
    """Wait until Dash has rendered and no callback is pending."""
    page.wait_for_selector("#main h1", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=30_000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors_or_axe_violations(page, demo_server, console_errors, path):
    page.goto(demo_server + path)
    _settled(page)
    expect(page.get_by_role("status")).to_contain_text("Demo mode")
    assert page.locator("#main h1").inner_text().strip()
    assert "Something went wrong" not in page.inner_text("body")
    assert console_errors == []
    assert axe_violations(page) == []


def test_scorecard_shows_every_indicator_with_real_numbers(page, demo_server, console_errors):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(demo_server + "/")
    _settled(page)
    rows = page.locator("#scorecard tbody tr")
    assert rows.count() == len(indicators.registry())
    on_plan = rows.filter(has_text="Children on a plan").locator("td").nth(1).inner_text()
    assert 150 < int(on_plan.replace(",", "")) < 700  # the demo LA has ~300-450 on a plan
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-1366x768.png"))
    assert console_errors == []


def test_indicator_page_screenshot_and_chart_table_agree(page, demo_server, console_errors):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(demo_server + "/indicator/cpp_at_end?freq=year")
    _settled(page)
    summary = page.locator("#indicator-summary").inner_text()
    last_row = page.locator("#indicator-trend-table tbody tr").last
    # The active title states the latest value; the table's last row is the same number.
    value = last_row.locator("td").nth(1).inner_text()
    assert re.search(rf"\b{re.escape(value)} in ", summary)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "indicator-1366x768.png"))
    assert console_errors == []


def test_unknown_page_says_not_found(page, demo_server, console_errors):
    page.goto(demo_server + "/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible(timeout=20_000)
    assert console_errors == []


def test_scorecard_prints_one_a4_landscape_page_per_theme(page, demo_server, tmp_path):
    # With the front door the scorecard has more rows than one A4 page holds, so it is grouped by
    # theme (registry `theme`) and each theme prints on a page of its own: the PDF has one A4
    # landscape page per theme, and each page holds its theme's heading and every indicator of it.
    page.goto(demo_server + "/")
    _settled(page)
    pdf = tmp_path / "scorecard.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    data = pdf.read_bytes()
    themes = list(
        dict.fromkeys(t for t in THEMES if any(i.theme == t for i in indicators.registry().values()))
    )
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == len(themes) == 3
    # A4 landscape is 841.9 x 595.3 points, every page.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes and all(abs(float(w) - 841.9) < 1.5 and abs(float(h) - 595.3) < 1.5 for w, h in boxes)
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    text = done.stdout
    pages = [set(re.findall(r"\w+", p)) for p in text.split("\f")]
    for n, theme in enumerate(themes):
        # Table cells wrap across lines, so each page is checked for every word of its heading and of
        # each of its indicators' names.
        assert set(re.findall(r"\w+", THEMES[theme])) <= pages[n], theme
        for ind in (i for i in indicators.registry().values() if i.theme == theme):
            assert set(re.findall(r"\w+", ind.short_title)) <= pages[n], (theme, ind.short_title)
