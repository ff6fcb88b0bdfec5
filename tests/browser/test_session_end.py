"""Browser tests: when the server ends a session the page opens the sign-in page, which says why
(dashboard/assets/session.js): on its own after the idle timeout, and on the next click after the
user is removed."""

from __future__ import annotations

import pytest

from tests.browser.conftest import start_server
from tests.browser.test_pages import _settled

PASSWORD = "correct horse battery"


def _login_server(demo_warehouse, tmp_path_factory, user: str, idle_seconds: int):
    users = tmp_path_factory.mktemp("session_end") / "secrets" / "users.json"
    env = {"SAFEGUARDING_USERS_FILE": str(users), "SAFEGUARDING_SESSION_IDLE_SECONDS": str(idle_seconds)}
    from dashboard.auth import add_user

    add_user(user, PASSWORD, "board", users)
    proc, url = start_server(demo_warehouse, [], env)
    yield url, users
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def idle_server(demo_warehouse, tmp_path_factory):
    """A server whose sessions end after 20 s without a request."""
    yield from _login_server(demo_warehouse, tmp_path_factory, "chair1", 20)


@pytest.fixture(scope="module")
def removal_server(demo_warehouse, tmp_path_factory):
    """A server with a long idle timeout, so that on a slow machine the session cannot end as idle
    before the removed user's click (the reason would then be 'idle', not 'ended')."""
    yield from _login_server(demo_warehouse, tmp_path_factory, "leaver1", 3600)


def _sign_in(page, url: str, user: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#main h1", timeout=60_000)


def test_an_idle_page_leaves_for_the_sign_in_page_with_the_reason(page, idle_server):
    url, _ = idle_server
    _sign_in(page, url, "chair1")
    # no click: 20 s after the page's last request it leaves, and the server says why
    page.wait_for_url("**/login?signed_out=idle", timeout=90_000)
    assert "not used for 20 seconds" in page.inner_text("body")
    assert page.locator("#scorecard").count() == 0


def test_a_removed_user_is_sent_to_the_sign_in_page_on_the_next_click(page, removal_server):
    from dashboard.auth import remove_user

    url, users = removal_server
    _sign_in(page, url, "leaver1")
    assert remove_user("leaver1", users)
    _settled(page)  # the scorecard's own callbacks have answered (slow on a loaded machine)
    page.get_by_role("link", name="About and definitions").click()  # a Dash callback: refused (401)
    page.wait_for_url("**/login?signed_out=ended", timeout=90_000)
    assert "your session was ended" in page.inner_text("body")
