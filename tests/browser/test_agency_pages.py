"""Partner agency pages in real Chromium: the all-agencies matrix, the returns tracker, the ranked gaps
and an agency page show the demo returns' real values, with no console errors and no serious axe
findings; a partner measure's indicator page works like any other."""

from __future__ import annotations

import csv

from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, axe_violations
from tests.browser.test_pages import _settled


def _police_24h(raw) -> str:
    """Police DA notifications within 24 hours in 2026-27-Q2, summed over its three months by hand."""
    with open(raw / "partner_return_police_2026-27-Q2.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["measure_id"] == "police_da_notify_24h_pct"]
    assert [r["period"] for r in rows] == ["2026-07", "2026-08", "2026-09"]
    num = sum(int(r["numerator"]) for r in rows)
    den = sum(int(r["denominator"]) for r in rows)
    return f"{100 * num / den:.1f}%"


def test_agency_matrix_tracker_and_gaps(page, demo_server, demo_warehouse, console_errors):
    expected = _police_24h(demo_warehouse.parent / "raw")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + "/agencies")
    _settled(page)
    matrix = page.locator("#agency-matrix")
    header = matrix.locator("thead th")
    assert header.last.inner_text() == "2026-27-Q2"
    police = matrix.locator("tbody tr").filter(has_text="DA notifications shared in 24 hours")
    assert police.locator("td").last.inner_text() == f"{expected} (off target)"
    # Every cell carries words, not colour alone.
    cells = matrix.locator("tbody td .badge")
    assert cells.count() == 25 * 8
    assert all("(" in t for t in cells.all_inner_texts())
    probation = page.locator("#returns-tracker tbody tr").filter(has_text="Probation Service")
    assert probation.locator("td").last.inner_text() == "late, 15 days late"
    first_gap = page.locator("#agency-gaps tbody tr").first
    expect(first_gap).to_contain_text("DA notifications shared in 24 hours")
    expect(page.locator("#agency-gaps")).to_contain_text("Probation Service quarterly return")
    expect(page.locator("#agency-gaps")).to_contain_text("Health reports at ICPC")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "agencies-1366x900.png"), full_page=True)
    assert console_errors == []
    assert axe_violations(page) == []


def test_matrix_filters_by_theme_and_shows_the_whole_picture(page, demo_server, console_errors):
    page.goto(demo_server + "/agencies?theme=domestic_abuse")
    _settled(page)
    rows = page.locator("#agency-matrix tbody tr")
    assert rows.count() == 6  # the domestic abuse measures of police, health, education and probation
    theme = page.locator("#theme-table")
    expect(theme).to_contain_text("Repeat plans (NI65)")  # the LA's own indicator beside its partners'
    expect(theme).to_contain_text("Operation Encompass acknowledged")
    assert console_errors == []
    assert axe_violations(page) == []


def test_agency_page_shows_scorecard_spc_and_commentary(page, demo_server, demo_warehouse, console_errors):
    expected = _police_24h(demo_warehouse.parent / "raw")
    page.goto(demo_server + "/agency/police")
    _settled(page)
    row = page.locator("#agency-scorecard tbody tr").filter(has_text="DA notifications shared in 24 hours")
    cells = row.locator("td")
    assert cells.nth(2).inner_text() == expected
    assert cells.nth(3).inner_text() == "95% or higher (amber within 3)"
    assert cells.nth(4).inner_text() == "Off target"
    assert cells.nth(5).inner_text() == "Special cause variation: concerning (lower) (36 monthly points)"
    assert "new crime recording system" in cells.nth(6).inner_text()
    assert console_errors == []
    assert axe_violations(page) == []


def test_partner_measure_indicator_page(page, demo_server, console_errors):
    page.goto(demo_server + "/indicator/health_icpc_report_pct?freq=quarter")
    _settled(page)
    expect(page.locator("#main h1")).to_have_text("Health reports at ICPC")
    expect(page.locator("#indicator-summary")).to_contain_text("2026-27-Q2")
    assert "Something went wrong" not in page.inner_text("body")
    assert console_errors == []
    assert axe_violations(page) == []
