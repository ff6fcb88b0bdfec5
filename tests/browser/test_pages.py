"""Every page loads in real Chromium with no console errors and no serious axe-core findings."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

import indicators
from bench.page_heights import KEY_COLUMNS, OPEN_DETAILS, TABLE_FIT
from indicators.registry import THEMES, partner_registry
from indicators.targets import load_targets
from tests.browser.conftest import SCREENSHOTS, axe_violations
from tests.identifier_scan import identifier_tokens
from viewmodels.cells import RAG_WORDS
from viewmodels.headline import VARIATION_SHORT
from vocabulary.partners import declaration

# Every page: the main ones, each LA indicator, each partner agency's page and each partner measure's
# indicator page (the ids from the registries and the partnership's file).
PAGES = (
    ["/", "/data-quality", "/about", "/cdop", "/agencies", "/assurance"]
    + ["/assurance/section11", "/assurance/audits", "/assurance/actions"]
    + [f"/indicator/{i}" for i in indicators.registry()]
    + [f"/agency/{a.id}" for a in declaration().agencies]
    + [f"/indicator/{i}" for i in partner_registry()]
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
    if path.startswith("/indicator/"):
        assert table_fit_problems(page) == []


def table_fit_problems(page) -> list[str]:
    """With every folded table opened, each drawn table that is wider than its container, and each key
    cell (bench.page_heights.KEY_COLUMNS: the period table's period, period end and value, a
    breakdown's group and value, any other table's first column) whose text takes two lines."""
    page.evaluate(OPEN_DETAILS)
    out = []
    for t in page.evaluate(TABLE_FIT, KEY_COLUMNS):
        if t["width"] > t["room"]:
            out.append(f"{t['table']}: {t['width']} px wide in {t['room']} px")
        out += [f"{t['table']}: {cell!r} wraps" for cell in t["wrapped"]]
    return out


def _each_breakdown_once() -> list[str]:
    """Every kind of breakdown in the registry, on the first indicator that offers it, by year (the
    board sees most breakdowns for whole years only)."""
    first: dict[str, str] = {}
    for ind in indicators.registry().values():
        for by in ind.breakdowns:
            first.setdefault(by, ind.id)
    return [f"/indicator/{i}?freq=year&by={by}" for by, i in first.items()]


@pytest.mark.parametrize("path", _each_breakdown_once())
def test_indicator_tables_fit_1366_with_key_cells_on_one_line(page, demo_server, path):
    """At 1366x900 the period table, the breakdown and every other table of an indicator page fit
    their container (no sideways scroll) and keep their key cells on one line."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + path)
    _settled(page)
    page.evaluate(OPEN_DETAILS)
    expect(page.locator("#indicator-trend-table")).to_be_visible()
    expect(page.locator("#indicator-breakdown-table")).to_be_visible()
    assert table_fit_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_the_table_fit_check_catches_a_wide_table_and_a_wrapped_key_cell(page, demo_server):
    """The check above can fail: a key cell squeezed onto two lines and a table made wider than its
    container (through the CSS object model, which the page's CSP allows) are both reported."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + "/indicator/cpp_at_end?freq=year&by=area")
    _settled(page)
    assert table_fit_problems(page) == []
    page.evaluate(
        """() => {
          const cell = document.querySelector('#indicator-trend-table tbody th');
          cell.textContent = 'A period label far too long to stay on one line';
          cell.style.whiteSpace = 'normal'; cell.style.width = '4em'; cell.style.maxWidth = '4em';
          document.querySelector('#indicator-breakdown-table').style.minWidth = '2000px';
        }"""
    )
    problems = table_fit_problems(page)
    assert "indicator-trend-table: 'A period label far too long to stay on one line' wraps" in problems
    assert any(p.startswith("indicator-breakdown-table: 2000 px wide in ") for p in problems), problems


# NI67 (reviews in timescale), quarterly by area: a target in indicators/targets.yaml, an SPC verdict
# (enough quarters), DfE's published England and neighbour figures, and an area breakdown the board
# may see by quarter.
HEADLINE_INDICATOR = "cpp_reviewed_in_time_pct"


def _row_values(page, table: str) -> dict[str, str]:
    """A two-column table's rows as {row header: value}."""
    return dict(
        page.evaluate(
            """(id) => [...document.querySelectorAll(`#${id} tbody tr`)].map(tr =>
                [tr.children[0].innerText, tr.children[1].innerText])""",
            table,
        )
    )


def test_indicator_page_opens_with_the_headline_then_the_chart_then_the_breakdown(
    page, demo_server, console_errors
):
    """The page opens with one sentence in words: the latest value, its target and RAG, the SPC verdict
    and the published figure against England and the statistical neighbours; each taken from the page's
    own tables. Then the chart, then the breakdown; the period table is folded in a closed <details>."""
    ind = indicators.get(HEADLINE_INDICATOR)
    assert ind.id in {t.indicator_id for t in load_targets().targets}
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + f"/indicator/{ind.id}?freq=quarter&by=area")
    _settled(page)
    headline = page.locator("#indicator-summary").inner_text()

    # Order: nothing drawn (no chart, no table) before the headline; headline < chart < breakdown.
    order = page.evaluate(
        """(ids) => { const all = [...document.querySelectorAll('#main *')];
            const first = all.findIndex(e => e.matches('table, .dash-graph, details:not(#help-panel)'));
            return [first, ...ids.map(id => all.indexOf(document.getElementById(id)))]; }""",
        ["indicator-summary", "indicator-trend", "indicator-breakdown", "indicator-breakdown-table"],
    )
    first_drawn, summary, chart, breakdown, breakdown_table = order
    assert -1 < summary < first_drawn
    assert summary < chart < breakdown < breakdown_table, order

    # The period table is behind a closed "Show the data table", and opens with it.
    folded = page.locator("details").filter(has=page.locator("#indicator-trend-table"))
    assert folded.count() == 1
    assert folded.get_attribute("open") is None
    expect(folded.locator("summary")).to_have_text("Show the data table")
    expect(page.locator("#indicator-trend-table")).to_be_hidden()
    folded.locator("summary").click()
    expect(page.locator("#indicator-trend-table")).to_be_visible()

    # Value, period, target and RAG: the period table's last row.
    period, _, value, _, _, target, rag, _ = (
        page.locator("#indicator-trend-table tbody tr").last.locator("th, td").all_inner_texts()
    )
    assert headline.startswith(f"{ind.short_title}: {value} in {period}, against a target of ")
    assert f"against a target of {target.split(' (')[0]}" in headline
    assert f"({rag})." in headline and rag in (RAG_WORDS["green"], RAG_WORDS["amber"], RAG_WORDS["red"])
    # The SPC verdict in words, the same verdict as the SPC line under the chart.
    verdict = re.search(r"Statistical process control shows (.+?\))\.", headline)
    assert verdict and verdict.group(1) in VARIATION_SHORT.values(), headline
    kind = re.search(r"\((common cause|special cause)", verdict.group(1)).group(1)
    assert kind in page.locator("#indicator-spc").inner_text().lower()
    # England and the neighbours: the published comparators' table, compared in words.
    published = _row_values(page, "indicator-benchmark-table")
    own = next(v for k, v in published.items() if k.endswith("(published)"))
    england = published["England"]
    neighbours = next(v for k, v in published.items() if k.startswith("Statistical neighbours"))

    def words(a: str, b: str) -> str:
        x, y = (float(re.sub(r"[^\d.]", "", v)) for v in (a, b))
        return "the same as" if a == b else "higher than" if x > y else "lower than"

    assert f"had {own}: {words(own, england)} England ({england})" in headline, headline
    assert f"{words(own, neighbours)} the statistical neighbours' mean ({neighbours})" in headline
    assert console_errors == []


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
