"""Browser test: when the server ends a session (idle timeout), the next click opens the sign-in
page, which says why (dashboard/assets/session.js)."""

from __future__ import annotations

import time

from tests.browser.conftest import start_server


def test_an_idle_session_ends_on_the_next_click_with_the_reason(page, demo_warehouse, tmp_path):
    from dashboard.auth import add_user

    users = tmp_path / "secrets" / "users.json"
    add_user("chair1", "correct horse battery", "board", users)
    env = {"SAFEGUARDING_USERS_FILE": str(users), "SAFEGUARDING_SESSION_IDLE_SECONDS": "20"}
    proc, url = start_server(demo_warehouse, [], env)
    try:
        page.goto(url + "/login")
        page.fill("#username", "chair1")
        page.fill("#password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_selector("#main h1", timeout=60_000)
        time.sleep(25)  # 20 s idle; a slow first callback may have used the session a little later
        page.get_by_role("link", name="About and definitions").click()  # a Dash callback: refused
        page.wait_for_url("**/login?signed_out=idle")
        assert "not used for 20 seconds" in page.inner_text("body")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
