"""Browser test: the Child deaths page (/cdop) in real Chromium, as the board sees it (demo mode):
no console errors, no serious axe-core findings, and no count of 1-5 in its tables, charts or CSV
downloads."""

from __future__ import annotations

import csv
import io
import re

from tests.browser.conftest import axe_violations
from tests.browser.test_pages import _settled

SMALL = re.compile(r"^[1-5]$")
TABLES = (
    "cdop-trend-table",
    "cdop-age-table",
    "cdop-expected-table",
    "cdop-category-table",
    "cdop-backlog-table",
    "cdop-timeliness-table",
    "cdop-national-table",
)
COUNT_CHARTS = ("cdop-age-chart", "cdop-category-chart", "cdop-backlog-chart")


def _cells(page, table_id: str) -> list[list[str]]:
    rows = page.locator(f"#{table_id} tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


def test_cdop_page_loads_and_never_shows_a_count_of_1_to_5(page, demo_server, console_errors):
    page.goto(demo_server + "/cdop")
    _settled(page)
    assert page.locator("#main h1").inner_text().strip() == "Child deaths"
    body = page.inner_text("body")
    assert "Something went wrong" not in body and "No Child Death Overview Panel" not in body
    withheld = 0
    for table_id in TABLES:
        rows = _cells(page, table_id)
        assert rows, table_id
        for row in rows:
            assert not any(SMALL.match(cell) for cell in row[1:]), (table_id, row)
            withheld += row.count("c")
    assert withheld > 0, "yearly CDOP counts are small: the board view must withhold some"
    national = _cells(page, "cdop-national-table")
    assert national[0][:4] == ["England (NCMD)", "2023-24", "3,577", "29.8"]
    # Chart data (bar lengths, hover text) carries no small count either.
    for chart_id in COUNT_CHARTS:
        numbers = page.evaluate(
            """id => document.getElementById(id).querySelector('.js-plotly-plot')._fullData
                  .flatMap(t => [t.x, t.y, t.customdata].flatMap(a => a ? Array.from(a) : []))""",
            chart_id,
        )
        assert numbers, chart_id
        assert not any(SMALL.match(str(v)) for v in numbers), (chart_id, numbers)
    assert console_errors == []
    assert axe_violations(page) == []


def test_cdop_download_is_the_suppressed_table(page, demo_server, console_errors):
    page.goto(demo_server + "/cdop")
    _settled(page)
    on_screen = _cells(page, "cdop-age-table")
    with page.expect_download() as info:
        page.locator("#cdop-age-table").locator("xpath=../..").get_by_role(
            "button", name="Download CSV"
        ).click()
    text = open(info.value.path(), encoding="utf-8").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Age at death", "Deaths notified"]
    assert rows[1:] == on_screen
    assert not any(SMALL.match(c) for row in rows[1:] for c in row[1:])
    assert console_errors == []
