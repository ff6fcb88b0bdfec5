"""Browser tests: when the server ends a session the page opens the sign-in page, which says why
(dashboard/assets/session.js): on its own after the idle timeout, and on the next click after the
user is removed."""

from __future__ import annotations

import pytest

from tests.browser.conftest import start_server

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def login_server(demo_warehouse, tmp_path_factory):
    users = tmp_path_factory.mktemp("session_end") / "secrets" / "users.json"
    env = {"SAFEGUARDING_USERS_FILE": str(users), "SAFEGUARDING_SESSION_IDLE_SECONDS": "20"}
    from dashboard.auth import add_user

    add_user("chair1", PASSWORD, "board", users)
    add_user("leaver1", PASSWORD, "board", users)
    proc, url = start_server(demo_warehouse, [], env)
    yield url, users
    proc.terminate()
    proc.wait(timeout=10)


def _sign_in(page, url: str, user: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#main h1", timeout=60_000)


def test_an_idle_page_leaves_for_the_sign_in_page_with_the_reason(page, login_server):
    url, _ = login_server
    _sign_in(page, url, "chair1")
    # no click: 20 s after the page's last request it leaves, and the server says why
    page.wait_for_url("**/login?signed_out=idle", timeout=90_000)
    assert "not used for 20 seconds" in page.inner_text("body")
    assert page.locator("#scorecard").count() == 0


def test_a_removed_user_is_sent_to_the_sign_in_page_on_the_next_click(page, login_server):
    from dashboard.auth import remove_user

    url, users = login_server
    _sign_in(page, url, "leaver1")
    assert remove_user("leaver1", users)
    page.get_by_role("link", name="About and definitions").click()  # a Dash callback: refused (401)
    page.wait_for_url("**/login?signed_out=ended")
    assert "your session was ended" in page.inner_text("body")
