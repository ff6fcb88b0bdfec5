"""The demo partnership in real Chromium: the partnership chosen on the scorecard, and the "compare LAs"
view of an indicator page, show real values, no console error and no serious or critical axe finding."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import indicators
from tests.browser.conftest import SCREENSHOTS, axe_violations
from vocabulary.partnership import PARTNERSHIP

SHOWN = re.compile(r"c|-?[\d,]+(\.\d+)?%?")  # a value as the board sees it: a number, or c (withheld)
MEMBERS = {"855": "Leicestershire", "856": "Leicester", "857": "Rutland"}
SLOW = 120_000  # the first view of the partnership computes every member (ms)


def _settled(page):
    page.wait_for_selector("#main h1", timeout=SLOW)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=SLOW)
    page.wait_for_load_state("networkidle", timeout=SLOW)


def _rows(page, selector: str) -> list[list[str]]:
    rows = page.locator(f"{selector} tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


@pytest.fixture(scope="module")
def partnership_values(partnership_demo):
    """values(indicator, period, la) as the analyst sees them, from the served warehouse."""
    warehouse = partnership_demo["warehouse"]
    return lambda ind, period, la: indicators.values(ind, [period], la, None, warehouse).iloc[0]


def test_scorecard_shows_the_partnership_chosen(page, partnership_server, console_errors, partnership_values):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(partnership_server + "/?freq=year")
    _settled(page)
    expect(page.locator("#main h1")).to_have_text("Safeguarding scorecard")
    page.get_by_label("Local authority").select_option(PARTNERSHIP)
    expect(page).to_have_url(re.compile(rf"la={PARTNERSHIP}"), timeout=SLOW)
    _settled(page)
    rows = [r for r in _rows(page, "#scorecard") if len(r) == 11]  # rows with a value (not 'no data')
    values = {r[0]: r[2] for r in rows}
    assert len(values) >= 20, values  # child protection and front door indicators at least
    assert all(SHOWN.fullmatch(v) for v in values.values()), values
    assert sum(v != "c" for v in values.values()) >= 20
    # Real partnership values: children on a plan is the three members' sum (no average, no one LA).
    row = next(r for r in rows if r[0] == indicators.get("cpp_at_end").short_title)
    period = row[1].rstrip(" *")
    members = [int(partnership_values("cpp_at_end", period, la)["value"]) for la in MEMBERS]
    assert row[2] == f"{sum(members):,}" and min(members) > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "scorecard-partnership-1366x900.png"), full_page=True)
    assert console_errors == []
    assert axe_violations(page) == []


def test_compare_las_shows_each_member_and_the_partnership_on_one_chart(
    page, partnership_server, console_errors, partnership_values
):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(partnership_server + f"/indicator/icpc_15wd_pct?la={PARTNERSHIP}&freq=year")
    _settled(page)
    page.get_by_label("Break down by").select_option("la")
    expect(page).to_have_url(re.compile(r"by=la"), timeout=SLOW)
    _settled(page)
    labels = page.locator("#indicator-breakdown svg text").all_text_contents()
    named = [f"{name} ({code})" for code, name in MEMBERS.items()]
    for label in [*named, "Partnership (all members)"]:
        assert label in labels, labels
    england = [t for t in labels if t.startswith("England (published, ")]
    assert len(england) == 1, labels  # the published comparator beside them
    assert page.locator("#indicator-breakdown .bars path").count() == 5  # five bars on one chart
    published = {r[0]: r for r in _rows(page, "#indicator-compare-published")}
    assert set(published) == set(named)  # each member's published DfE figure, with England's
    assert all(
        re.fullmatch(r"\d{4}-\d{2}", r[1]) and r[2].endswith("%") and r[3].endswith("%")
        for r in published.values()
    )
    table = {r[0]: r[1:] for r in _rows(page, "#indicator-breakdown-table")}
    period = page.locator("#main h2").filter(has_text="By local authority").inner_text()
    period = re.search(r"\((.+)\)", period).group(1)
    for code, label in zip(MEMBERS, named, strict=True):
        truth = partnership_values("icpc_15wd_pct", period, code)
        assert table[label][1:] == [f"{int(truth.numerator):,}", f"{int(truth.denominator):,}"]
    pooled = partnership_values("icpc_15wd_pct", period, PARTNERSHIP)
    assert table["Partnership (all members)"][0] == f"{pooled.value:.1f}%"
    assert all(SHOWN.fullmatch(v[0]) for v in table.values()), table
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "compare-las-1366x900.png"), full_page=True)
    assert console_errors == []
    assert axe_violations(page) == []
