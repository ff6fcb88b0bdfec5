"""Browser tests: controls change the view, the URL reproduces it, downloads match the table."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.browser.conftest import SECOND_LA
from tests.browser.test_pages import _settled

OPEN_DETAILS = "id => { const d = document.getElementById(id)?.closest('details'); if (d) d.open = true; }"


def _table(page, table_id: str) -> list[list[str]]:
    """The table's cells, as a reader sees them after opening "Show the data table" if it is folded."""
    page.evaluate(OPEN_DETAILS, table_id)
    rows = page.locator(f"#{table_id} tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


def test_changing_la_period_and_breakdown_changes_chart_and_table(page, demo_server, console_errors):
    page.goto(demo_server + "/indicator/cpp_at_end?freq=year")
    _settled(page)
    before = _table(page, "indicator-trend-table")
    assert len(before) == 10  # ten census years for the demo LA
    page.get_by_label("Local authority").select_option(SECOND_LA)
    expect(page).to_have_url(re.compile(rf"la={SECOND_LA}"), timeout=20_000)
    _settled(page)
    after = _table(page, "indicator-trend-table")
    assert after != before and len(after) == 2  # the second LA has two years loaded
    page.get_by_label("Local authority").select_option("856")
    _settled(page)
    page.get_by_label("From").select_option("2020-21")
    expect(page).to_have_url(re.compile(r"from=2020-21"), timeout=20_000)
    _settled(page)
    assert _table(page, "indicator-trend-table")[0][0] == "2020-21"
    page.get_by_label("Break down by").select_option("sex")
    expect(page.locator("#indicator-breakdown-table")).to_be_visible(timeout=20_000)
    groups = [r[0] for r in _table(page, "indicator-breakdown-table")]
    assert "Female" in groups and "Male" in groups
    # For the board, 'Not known' is 1-5, so Female is withheld too: one bar would mislead, so a note says why
    expect(page.locator("#indicator-breakdown-note")).to_contain_text("2 of 3 groups are withheld")
    page.get_by_label("Break down by").select_option("age_band")
    expect(page).to_have_url(re.compile(r"by=age_band"), timeout=20_000)
    _settled(page)
    assert page.locator("#indicator-breakdown .bars path").count() >= 2  # a readable breakdown is drawn
    assert console_errors == []


def test_a_url_reproduces_a_view_and_back_restores_it(page, demo_server, console_errors):
    url = demo_server + "/indicator/cpp_repeat_pct?la=856&freq=year&by=age_band&from=2019-20&to=2023-24"
    page.goto(url)
    _settled(page)
    first = _table(page, "indicator-trend-table")
    assert [r[0] for r in first] == ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
    assert page.get_by_label("Break down by").input_value() == "age_band"
    page.get_by_label("How often").select_option("quarter")
    expect(page).to_have_url(re.compile(r"freq=quarter"), timeout=20_000)
    _settled(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"freq=year"), timeout=20_000)
    _settled(page)
    assert _table(page, "indicator-trend-table") == first
    assert console_errors == []


def test_csv_download_matches_the_table_on_screen(page, demo_server, console_errors):
    page.goto(demo_server + "/indicator/cpp_starts?la=856&freq=year&by=ethnic_group")
    _settled(page)
    on_screen = _table(page, "indicator-breakdown-table")
    with page.expect_download() as info:
        page.locator("button", has_text="Download CSV").nth(1).click()
    assert info.value.suggested_filename == "Plans-starting-by-Ethnic-group-Leicester-2025-26.csv"
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # Tidy: one row per group with the same group and value as on screen (c -> status c, no number).
    assert [r["group"] for r in rows] == [r[0] for r in on_screen]
    for row, shown in zip(rows, on_screen, strict=True):
        if shown[1] == "c":
            assert (row["value"], row["value_status"]) == ("", "c")
        else:
            assert float(row["value"]) == float(shown[1].replace(",", "")) and row["value_status"] == ""
    assert console_errors == []
