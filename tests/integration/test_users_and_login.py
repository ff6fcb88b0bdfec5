"""Users file and login, through the CLI and the Flask test client (no browser needed)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from dashboard.auth import check_login


def _cli(*args, stdin: str | None = None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "safeguarding.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def users_env(tmp_path, monkeypatch):
    path = tmp_path / "users.json"
    monkeypatch.setenv("SAFEGUARDING_USERS_FILE", str(path))
    import os

    return path, dict(os.environ)


def test_users_add_list_remove_store_only_hashes(users_env):
    path, env = users_env
    done = _cli(
        "users", "add", "chair", "--role", "board", "--password-stdin", stdin="a long enough pass\n", env=env
    )
    assert done.returncode == 0, done.stderr
    stored = json.loads(path.read_text())
    assert stored["chair"]["role"] == "board"
    assert "a long enough pass" not in path.read_text()
    assert stored["chair"]["password_hash"].startswith("scrypt:")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert check_login("chair", "a long enough pass", path) == "board"
    assert check_login("chair", "wrong", path) is None
    assert _cli("users", "list", env=env).stdout.strip() == "chair\tboard"
    assert _cli("users", "add", "x", "--password-stdin", stdin="short\n", env=env).returncode == 2
    assert _cli("users", "remove", "chair", env=env).returncode == 0
    assert _cli("users", "remove", "chair", env=env).returncode == 1


def test_serve_refuses_demo_mode_off_loopback_and_no_users(users_env, tmp_path):
    _, env = users_env
    done = _cli("serve", "--demo", "--host", "0.0.0.0", env=env)
    assert done.returncode == 2 and "only binds to 127.0.0.1" in done.stderr
    done = _cli("serve", "--host", "127.0.0.1", env=env)
    assert done.returncode == 2 and "no users" in done.stderr


def test_every_route_needs_login_outside_demo_mode(users_env, tmp_path):
    from dashboard.app import create_app
    from dashboard.auth import add_user

    path, _ = users_env
    add_user("analyst", "another long pass", "analyst", path)
    app = create_app(demo=False, secret_dir=tmp_path / "secrets")
    client = app.server.test_client()
    for route in ("/", "/indicator/cpp_at_end", "/data-quality", "/_dash-layout"):
        response = client.get(route)
        assert response.status_code in (302, 401), route
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/assets/bootstrap.min.css").status_code == 200
    form = {"username": "analyst", "password": "another long pass"}
    assert client.post("/login", data=form).status_code == 400  # no CSRF token: refused
    page = client.get("/login").get_data(as_text=True)
    form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data=form)
    assert response.status_code == 302
    assert client.get("/_dash-layout").status_code == 200


def test_users_role_and_remove_end_or_change_sessions(users_env):
    from dashboard.auth import add_user, sessions

    path, env = users_env
    add_user("chair", "a long enough pass", "board", path)
    store = sessions(path)
    store.create("chair", 60, 600)
    assert _cli("users", "role", "chair", "--role", "analyst", env=env).returncode == 0
    assert json.loads(path.read_text())["chair"]["role"] == "analyst"
    assert store.count("chair") == 1  # a role change keeps the session; the role is read per request
    assert _cli("users", "role", "chair", "--role", "admin", env=env).returncode == 2
    assert _cli("users", "role", "nobody", "--role", "board", env=env).returncode == 1
    add_user("chair", "a new long password", "analyst", path)  # a new password ends sessions
    assert store.count("chair") == 0
    store.create("chair", 60, 600)
    assert _cli("users", "remove", "chair", env=env).returncode == 0
    assert store.count("chair") == 0


def test_a_sign_in_writes_its_log_line(users_env, tmp_path, monkeypatch):
    """Sign-ins and failed sign-ins reach the LA's log as structured lines (vocabulary.logs), as the
    audit log's copy (dashboard.audit); the password never does."""
    import logging

    from dashboard.app import create_app
    from dashboard.auth import add_user
    from vocabulary.logs import configure_logging

    path, _ = users_env
    log_file = tmp_path / "logs" / "safeguarding.log"
    monkeypatch.setenv("SAFEGUARDING_LOG_FILE", str(log_file))
    monkeypatch.delenv("SAFEGUARDING_LOG_LEVEL", raising=False)
    add_user("chair", "a long enough pass", "board", path)
    app = create_app(demo=False, secret_dir=tmp_path / "secrets")
    root = logging.getLogger("safeguarding")
    before = (root.level, root.propagate)
    handler = configure_logging()  # what the command line's entry point does before `serve`
    try:
        client = app.server.test_client()
        for password in ("not the password", "a long enough pass"):
            page = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            form = {"username": "chair", "password": password, "csrf_token": token}
            client.post("/login", data=form, environ_base={"REMOTE_ADDR": "10.0.0.5"})
        handler.flush()
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(before[0])
        root.propagate = before[1]
    lines = [line.split(" ", 1)[1] for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        "WARNING safeguarding.audit event=login_failed user=chair address=10.0.0.5",
        "INFO safeguarding.audit event=login user=chair role=board address=10.0.0.5",
    ]
    assert "pass" not in log_file.read_text(encoding="utf-8")
