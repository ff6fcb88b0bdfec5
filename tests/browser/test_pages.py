"""Every page loads in real Chromium with no console errors and no serious axe-core findings."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

import indicators
from indicators.registry import THEMES
from tests.browser.conftest import SCREENSHOTS, axe_violations
from tests.identifier_scan import identifier_tokens

PAGES = (
    ["/", "/data-quality", "/about", "/cdop", "/agencies", "/assurance"]
    + ["/assurance/section11", "/assurance/audits", "/assurance/actions"]
    + [f"/indicator/{i}" for i in indicators.registry()]
)
# Text the board reads: the page's own text and every chart's (SVG text is not in innerText).
PAGE_TEXT = """() => document.body.innerText + ' | ' +
  [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' | ')"""


def _settled(page):
    """Wait until Dash has rendered and no callback is pending."""
    page.wait_for_selector("#main h1", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=30_000)
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="session")
def users_names(demo_warehouse) -> set[str]:
    from tests.integration.test_plain_words import users_names

    return users_names(str(demo_warehouse))


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors_or_axe_violations(
    page, demo_server, console_errors, users_names, path
):
    """Every page at 1366x900: loads, no console error, no serious axe finding, no internal name on
    screen (tests.identifier_scan), and a full-page screenshot in test-results/screenshots/."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + path)
    _settled(page)
    expect(page.get_by_role("status")).to_contain_text("Demo mode")
    assert page.locator("#main h1").inner_text().strip()
    assert "Something went wrong" not in page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-") or "scorecard"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-1366x900.png"), full_page=True)
    assert identifier_tokens(page.evaluate(PAGE_TEXT), users_names) == []
    assert console_errors == []
    assert axe_violations(page) == []


def test_repeat_plans_by_domestic_abuse_at_the_assessment_before(
    page, demo_server, console_errors, users_names
):
    """The repeat-plan page broken down by a factor at assessment: the three groups in the table, the
    repeat-against-first sentence, no internal name, no console error and no serious axe finding."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + "/indicator/cpp_repeat_pct?freq=year&by=factor_domestic_abuse")
    _settled(page)
    table = page.locator("#indicator-breakdown-table").inner_text()
    for group in ("Identified", "Not identified", "No assessment with factors before the plan"):
        assert group in table
    note = page.locator("#indicator-factor-note").inner_text()
    assert re.search(
        r"Of the [\d,]+ repeat plans .* had domestic abuse identified .* of the [\d,]+ first plans, \d+%",
        note,
    )
    assert identifier_tokens(page.evaluate(PAGE_TEXT), users_names) == []
    assert console_errors == []
    assert axe_violations(page) == []


def test_each_scorecard_theme_fits_one_screen(page, demo_server, console_errors):
    """At 1366x900 every theme's table of the scorecard is at most one screen tall (900 px), so the
    board reads a theme without scrolling, and the page does not scroll sideways."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + "/")
    _settled(page)
    heights = page.evaluate(
        """() => [...document.querySelectorAll('table.scorecard')].map(t => [
            t.querySelector('caption span').innerText, t.querySelectorAll('tbody tr').length,
            t.getBoundingClientRect().height])"""
    )
    assert [theme for theme, _, _ in heights] == list(THEMES.values())[:3]
    assert all(rows >= 5 for _, rows, _ in heights)
    assert [(theme, h) for theme, _, h in heights if h > 900] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert console_errors == []


def test_england_map_draws_offline_with_its_table(page, demo_server, console_errors):
    """The benchmark section's map of England: drawn from shipped boundaries, with no request to any
    host but the app's own (no tiles, no CDN), its key and table there, and no serious axe finding."""
    hosts = []
    page.on("request", lambda r: hosts.append(r.url.split("/")[2]))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + "/indicator/cpp_rate_per_10k?freq=year")
    _settled(page)
    graph = page.locator("#indicator-england-map")
    graph.scroll_into_view_if_needed()
    expect(graph.locator(".legendtext").filter(has_text="Chosen LA")).to_have_count(1)
    assert graph.locator("path.js-fill").count() >= 150  # every English LA filled
    rows = page.locator("#indicator-england-map-table tbody tr")
    assert rows.count() >= 150
    assert rows.filter(has_text="Chosen LA").count() == 1
    assert rows.filter(has_text="Statistical neighbour").count() >= 5
    assert set(hosts) == {demo_server.split("/")[2]}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    graph.screenshot(path=str(SCREENSHOTS / "england-map-1366x900.png"))
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
    page.get_by_text("Show the data table").first.click()  # the period table is folded
    last_row = page.locator("#indicator-trend-table tbody tr").last
    # The active title states the latest value; the table's last row is the same number.
    value = last_row.locator("td").nth(1).inner_text()
    assert re.fullmatch(r"[\d,]+", value)
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
