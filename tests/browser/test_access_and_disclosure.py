"""Browser tests: login is required without --demo; the board role never sees a count of 1-5."""

from __future__ import annotations

import re

import indicators
from tests.browser.conftest import axe_violations, start_server
from tests.browser.test_interaction import _table
from tests.browser.test_pages import _settled

SMALL = re.compile(r"^[1-5]$")


def test_login_is_required_without_demo(page, demo_warehouse, tmp_path, console_errors):
    from dashboard.auth import add_user

    users = tmp_path / "users.json"
    add_user("analyst1", "correct horse battery", "analyst", users)
    env = {"SAFEGUARDING_USERS_FILE": str(users)}
    proc, url = start_server(demo_warehouse, [], env)
    try:
        page.goto(url + "/indicator/cpp_at_end")
        assert page.url.endswith("/login")
        assert axe_violations(page) == []  # the sign-in page
        page.fill("#username", "analyst1")
        page.fill("#password", "wrong password here")
        page.click("button[type=submit]")
        assert "Wrong username or password" in page.inner_text("body")
        page.fill("#username", "analyst1")
        page.fill("#password", "correct horse battery")
        page.click("button[type=submit]")
        _settled(page)
        assert page.get_by_role("status").count() == 0  # no demo banner outside demo mode
        assert page.locator("#scorecard").count() == 1
        assert axe_violations(page) == []  # with the sign-out form in the navigation
        page.get_by_role("button", name="Sign out").click()  # a POST carrying the CSRF token
        page.wait_for_url("**/login?signed_out=logout")
        assert "You have signed out." in page.inner_text("body")
        page.goto(url + "/")  # the session is over: back to the sign-in page
        assert page.url.endswith("/login")
        assert console_errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_board_role_never_sees_a_count_of_1_to_5(page, demo_server):
    # Demo mode shows the board view. Visit every indicator with its widest breakdowns.
    for ind in indicators.registry().values():
        for by in ("ethnicity", "area", "age_band", "category"):
            if by not in ind.breakdowns:
                continue
            page.goto(f"{demo_server}/indicator/{ind.id}?freq=month&by={by}")
            _settled(page)
            for table_id in ("indicator-trend-table", "indicator-breakdown-table"):
                if page.locator(f"#{table_id}").count() == 0:
                    continue
                for row in _table(page, table_id):
                    counts = row[3:5] if table_id == "indicator-trend-table" else row[2:4]
                    assert not any(SMALL.match(c) for c in counts), (ind.id, by, row)
                    if ind.unit == "count":
                        value = row[2] if table_id == "indicator-trend-table" else row[1]
                        assert not SMALL.match(value), (ind.id, by, row)


def test_board_downloads_never_contain_a_count_of_1_to_5(page, demo_server):
    import csv

    for ind_id, by in (("cpp_starts", "ethnicity"), ("cpp_at_end", "area"), ("cpp_repeat_pct", "age_band")):
        page.goto(f"{demo_server}/indicator/{ind_id}?freq=month&by={by}")
        _settled(page)
        for button in range(page.locator("button", has_text="Download CSV").count()):
            with page.expect_download() as info:
                page.locator("button", has_text="Download CSV").nth(button).click()
            with open(info.value.path(), encoding="utf-8-sig") as fh:  # tidy CSV, with a BOM
                rows = list(csv.reader(fh))
            header = rows[0]
            counts = ("numerator", "denominator", "value") if indicators.get(ind_id).unit == "count" else None
            count_columns = [i for i, h in enumerate(header) if h in (counts or ("numerator", "denominator"))]
            assert len(count_columns) >= 2, header
            for row in rows[1:]:
                assert not any(SMALL.match(row[i]) for i in count_columns), (ind_id, by, row)
