"""What the screens say about who is looking: the header names the role (and the user when signed in),
and the analyst's scorecard does not claim that small numbers are withheld."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import start_server
from tests.browser.test_pages import _settled


def test_demo_header_says_board_role(page, demo_server, console_errors):
    page.goto(demo_server + "/indicator/cpp_at_end")
    _settled(page)
    expect(page.locator("#signed-in")).to_contain_text("board role")
    assert console_errors == []


def test_signed_in_analyst_sees_name_and_role_and_no_false_suppression_note(
    page, demo_warehouse, tmp_path, console_errors
):
    from dashboard.auth import add_user

    users = tmp_path / "users.json"
    add_user("analyst1", "correct horse battery", "analyst", users)
    proc, url = start_server(demo_warehouse, [], {"SAFEGUARDING_USERS_FILE": str(users)})
    try:
        page.goto(url + "/")
        page.fill("#username", "analyst1")
        page.fill("#password", "correct horse battery")
        page.click("button[type=submit]")
        _settled(page)
        expect(page.locator("#signed-in")).to_contain_text("Signed in as analyst1, analyst role")
        lead = page.locator("#main .lead").first.inner_text()
        assert "shown as c" not in lead and "analyst role" in lead
        assert console_errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)
