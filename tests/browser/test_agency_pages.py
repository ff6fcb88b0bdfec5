"""Partner agency pages in real Chromium: the all-agencies matrix, the returns tracker, the ranked gaps
and an agency page show the demo returns' real values, with no console errors and no serious axe
findings; a partner measure's indicator page works like any other."""

from __future__ import annotations

import csv
import re

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
    cells = matrix.locator("tbody td .govuk-tag")
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


def _choose_by_keyboard(page, label: str, option: str) -> None:
    """Tab to a control (no mouse) and pick an option by typing its first letters, as a keyboard user."""
    control = page.get_by_label(label, exact=True)
    page.locator("#main").focus()
    for _ in range(40):  # Tab through the page until the control has the focus
        page.keyboard.press("Tab")
        if control.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError(f"{label} cannot be reached with the Tab key")
    page.keyboard.type(option[:4], delay=50)  # a focused <select> picks the option that starts so
    expect(control.locator("option:checked")).to_have_text(option)
    _settled(page)


def test_scorecard_filters_by_agency_and_theme_with_the_keyboard(
    page, demo_server, demo_warehouse, console_errors
):
    expected = _police_24h(demo_warehouse.parent / "raw")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + "/")
    page.wait_for_selector("#scorecard", timeout=120_000)  # the first scorecard of a cold server
    _settled(page)
    rows = page.locator("#scorecard tbody tr")
    _choose_by_keyboard(page, "Agency", "Police")
    expect(page).to_have_url(re.compile(r"agency=police"))
    expect(rows).to_have_count(5)  # the police measures in indicators/partner_measures.yaml
    police = rows.filter(has_text="DA notifications shared in 24 hours")
    expect(police.locator("th")).to_contain_text("(Police)")
    assert police.locator("td").nth(1).inner_text() == expected
    _choose_by_keyboard(page, "Priority theme", "Domestic abuse (board priority)")
    expect(page).to_have_url(re.compile(r"theme=domestic_abuse"))
    expect(rows).to_have_count(2)  # the police's two domestic abuse measures
    _choose_by_keyboard(page, "Agency", "All agencies (the LA and its partners)")
    # The whole picture: the LA's two repeat-plan indicators beside six partner measures.
    expect(rows).to_have_count(8)
    expect(rows.first).to_contain_text("Repeat plans (NI65)")
    expect(rows.filter(has_text="Operation Encompass acknowledged")).to_have_count(1)
    assert console_errors == []
    assert axe_violations(page) == []


def test_matrix_download_matches_the_matrix(page, demo_server, demo_warehouse, console_errors):
    expected = _police_24h(demo_warehouse.parent / "raw")
    page.goto(demo_server + "/agencies?agency=police")
    _settled(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the matrix (CSV)").click()
    download = info.value
    assert download.suggested_filename == "Agency-matrix-Police-2026-27-Q2.csv"
    with open(download.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 * 8  # the five police measures over the matrix's eight quarters
    latest = next(
        r for r in rows if r["measure_id"] == "police_da_notify_24h_pct" and r["quarter"] == "2026-27-Q2"
    )
    assert f"{float(latest['value']):.1f}%" == expected and latest["rag"] == "red"
    assert {r["role"] for r in rows} == {"board"}  # the demo shows the board's view
    assert console_errors == []
