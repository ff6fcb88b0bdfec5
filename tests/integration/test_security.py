"""Access controls, security headers, cookies, debug mode, the login rate limit and the audit log
(issue 8, parts 5 and 7), through the Flask test client of the real app."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from pathlib import Path

import pytest

from dashboard.auth import OPEN_ROUTES, add_user, load_users
from dashboard.security import SECURITY_HEADERS, AuditLog, LoginRateLimiter, content_security_policy
from dashboard.session_store import SessionStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cdop"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    from pipelines.load import ingest

    folder = tmp_path_factory.mktemp("security")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    target = folder / "warehouse.duckdb"
    ingest([FIXTURES / "cdop_302_2024-03-31.csv", FIXTURES / "population_302.csv"], target, progress=None)
    mp.undo()
    return target


def _ensure_page_callbacks() -> None:
    """Dash moves @callback registrations into the first app that serves a request; if another
    test in this process built an app already, re-import the pages so this app has them too."""
    import importlib

    from dash import _callback

    if any(k.startswith("download.data") for k in _callback.GLOBAL_CALLBACK_MAP):
        return
    from dashboard.pages import cdop, data_quality, indicator, overview

    for module in (overview, indicator, data_quality, cdop):
        importlib.reload(module)


@pytest.fixture(scope="module")
def app(tmp_path_factory, warehouse):
    from dashboard.app import create_app

    folder = tmp_path_factory.mktemp("security_app")
    users = folder / "users.json"
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_USERS_FILE", str(users))
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))
    mp.setenv("SAFEGUARDING_AUDIT_LOG", str(folder / "logs" / "audit.jsonl"))
    for name, role in (("chair", "board"), ("analyst", "analyst"), ("victim", "board")):
        add_user(name, PASSWORD, role, users)
    _ensure_page_callbacks()
    dash_app = create_app(demo=False, secret_dir=folder / "secrets")
    yield dash_app
    mp.undo()


@pytest.fixture(autouse=True)
def _fresh_limits(app):
    yield
    app.server.extensions["safeguarding_limiter"].store.clear_attempts()


def _token(client, **kw) -> str:
    page = client.get("/login", **kw).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login(client, user="chair", password=PASSWORD, **kw):
    data = {"username": user, "password": password, "csrf_token": _token(client, **kw)}
    return client.post("/login", data=data, **kw)


def _audit(app) -> AuditLog:
    return app.server.extensions["safeguarding_audit"]


def _dependencies(app) -> list[dict]:
    client = app.server.test_client()
    assert _login(client).status_code == 302
    return client.get("/_dash-dependencies").get_json()


def test_every_route_and_callback_refuses_unauthenticated_requests(app):
    server = app.server
    client = server.test_client()
    rules = list(server.url_map.iter_rules())
    checked = 0
    for rule in rules:
        path = (
            rule.rule.replace("<path:path>", "indicator/cpp_at_end")
            .replace("<string:package_name>", "dash")
            .replace("<path:fingerprinted_path>", "dash_renderer.js")
            .replace("<path:filename>", "x.css")
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            if rule.rule in OPEN_ROUTES:
                continue
            assert response.status_code in (302, 401), (method, path, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].endswith("/login")
            checked += 1
    assert checked >= 8
    # Every Dash callback, posted as the browser would, is refused before it runs.
    callbacks = _dependencies(app)
    assert len(callbacks) >= 3
    for cb in callbacks:
        body = {"output": cb["output"], "outputs": [], "inputs": [], "state": [], "changedPropIds": []}
        assert client.post("/_dash-update-component", json=body).status_code == 401, cb["output"]
    # And the open paths hold nothing sensitive.
    assert client.get("/health").get_json() == {"status": "ok", "warm": False}


def test_passwords_use_a_modern_kdf(app):
    users = Path(os.environ["SAFEGUARDING_USERS_FILE"])
    stored = load_users(users)
    for user in stored.values():
        method, n, r, p = user["password_hash"].split("$")[0].split(":")
        assert method == "scrypt" and int(n) >= 2**15 and int(r) >= 8
        assert PASSWORD not in json.dumps(stored)
    assert stat.S_IMODE(users.stat().st_mode) == 0o600


def test_session_cookie_is_httponly_samesite_and_secure_over_tls(app):
    plain = _login(app.server.test_client())
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    tls = _login(app.server.test_client(), base_url="https://dashboard.example")
    cookie = tls.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_security_headers_on_every_kind_of_response(app):
    client = app.server.test_client()
    responses = [
        client.get("/login"),
        client.get("/"),
        client.get("/health"),
        client.post("/_dash-update-component", json={}),
        _login(client),
        client.get("/_dash-layout"),
        client.get("/assets/bootstrap.min.css"),
    ]
    policy = content_security_policy(app.csp_hashes())
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            expected = policy if name == "Content-Security-Policy" else value
            assert response.headers.get(name) == expected, (response.request.path, name)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert client.get("/_dash-layout").headers["Cache-Control"] == "no-store"


def _executable_inline_scripts(page: str) -> list[str]:
    """Inline <script> bodies a browser would run (not JSON data blocks, not inside comments)."""
    page = re.sub(r"<!--.*?-->", "", page, flags=re.S)
    scripts = re.findall(r"<script((?:(?!src=)[^>])*)>(.*?)</script>", page, flags=re.S)
    return [body for attrs, body in scripts if "application/json" not in attrs]


def test_content_security_policy_allows_scripts_by_origin_and_hash_only(app):
    """No 'unsafe-inline' and no 'unsafe-eval' for scripts: the index page's inline scripts (Dash's
    renderer bootstrap) are allowed by their sha256, and nothing else inline is."""
    client = app.server.test_client()
    _login(client)
    page = client.get("/")
    directives = dict(d.split(" ", 1) for d in page.headers["Content-Security-Policy"].split("; "))
    inline = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _executable_inline_scripts(page.get_data(as_text=True))
    }
    assert len(inline) >= 1  # the renderer bootstrap, at least
    script = directives.pop("script-src").split()
    assert script[0] == "'self'" and set(script[1:]) == inline
    assert directives == {
        "default-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",  # React and Plotly set inline style attributes
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def test_debug_mode_is_never_on(app):
    from dashboard.server import run

    assert app.server.debug is False and app.server.config["DEBUG"] is False
    with pytest.raises(ValueError, match="--debug"):
        run(host="0.0.0.0", debug=True)
    with pytest.raises(ValueError, match="--debug"):
        run(host="127.0.0.1", debug=True, demo=False)
    # The production path is waitress: Dash's dev server only runs behind --debug --demo.
    source = (Path(__file__).resolve().parents[2] / "dashboard" / "server.py").read_text()
    assert "from waitress import serve" in source


def test_login_attempts_are_rate_limited_per_user_and_source(app):
    """Issue 26 item 6: 5 attempts per username from one address; no lockout of a username from
    everywhere (anyone could lock a named user out); refusals aggregated in the audit log."""
    client = app.server.test_client()
    here = {"REMOTE_ADDR": "10.0.0.1"}
    mark = len(_audit(app).events())
    for _ in range(5):
        assert _login(client, user="victim", password="wrong password!", environ_base=here).status_code == 200
    blocked = _login(client, user="victim", environ_base=here)  # even the right password waits
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    # the victim can still sign in from their own address, and another user from this one
    assert _login(client, user="victim", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302
    assert _login(client, user="analyst", environ_base=here).status_code == 302
    for _ in range(50):  # a flood of refused attempts writes one audit line a minute, not 50
        assert _login(client, user="victim", environ_base=here).status_code == 429
    events = [e["event"] for e in _audit(app).events()[mark:]]
    assert events.count("login_failed") == 5 and events.count("login_rate_limited") == 1


def test_login_limit_per_source_over_all_usernames(app):
    client = app.server.test_client()
    here = {"REMOTE_ADDR": "10.0.0.2"}
    for i in range(30):
        assert (
            _login(client, user=f"guess{i}", password="wrong password!", environ_base=here).status_code == 200
        )
    assert _login(client, user="analyst", environ_base=here).status_code == 429


def test_unknown_and_known_usernames_take_the_same_time(tmp_path):
    """Issue 26 item 6: before, an unknown username answered in ~9 ms and a known one in ~167 ms."""
    import statistics
    import time

    from dashboard.auth import check_login

    users = tmp_path / "users.json"
    add_user("known", PASSWORD, "board", users)
    check_login("nobody", "x", users)  # the dummy hash is made once, on first use

    times: dict[str, list[float]] = {"known": [], "nobody": []}
    for _ in range(7):  # interleaved, so that load from other work falls on both alike
        for name, seen in times.items():
            start = time.perf_counter()
            assert check_login(name, "wrong password!", users) is None
            seen.append(time.perf_counter() - start)
    known, unknown = statistics.median(times["known"]), statistics.median(times["nobody"])
    assert 0.5 < unknown / known < 2, (known, unknown)


def test_rate_limiter_window_expires(tmp_path):
    now = [0.0]
    limiter = LoginRateLimiter(SessionStore(tmp_path / "s.sqlite3", clock=lambda: now[0]), limit=3, window=60)
    for _ in range(3):
        assert limiter.attempt("1.2.3.4", "bob") == 0
    assert limiter.attempt("1.2.3.4", "bob") > 0
    assert limiter.attempt("5.6.7.8", "bob") == 0  # per username and source, not username alone
    now[0] = 61
    assert limiter.attempt("1.2.3.4", "bob") == 0


def test_open_routes_match_exactly(app):
    """Issue 26 item 8: these served Dash's index page (with its versions) to anyone."""
    client = app.server.test_client()
    for path in ("/loginx", "/healthz", "/assets/", "/login%2f..%2f_dash-layout", "/login/../_dash-layout"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/login"), path
        assert "dash" not in response.get_data(as_text=True).lower(), path
    assert client.get("/assets/bootstrap.min.css").status_code == 200


def test_hsts_only_over_tls_and_bodies_are_capped(app):
    from dashboard.security import MAX_BODY

    assert "Strict-Transport-Security" not in app.server.test_client().get("/login").headers
    tls = app.server.test_client().get("/login", base_url="https://dashboard.example")
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert app.server.config["MAX_CONTENT_LENGTH"] == MAX_BODY
    client = app.server.test_client()
    _login(client)
    big = client.post("/_dash-update-component", data=b"x" * (MAX_BODY + 1), content_type="application/json")
    assert big.status_code == 413


def test_audit_log_records_logins_logouts_and_downloads(app):
    client = app.server.test_client()
    log = _audit(app)
    mark = len(log.events())
    assert _login(client, password="nope nope nope").status_code == 200
    assert _login(client, user="analyst").status_code == 302
    client.get("/_dash-layout")
    cdop_download = next(  # several pages send files through `download`: take the CDOP tables' callback
        cb
        for cb in client.get("/_dash-dependencies").get_json()
        if cb["output"].startswith("download.data@") and any("cdop-download" in i["id"] for i in cb["inputs"])
    )
    trigger = {"table": "age", "type": "cdop-download"}
    body = {
        "output": cdop_download["output"],
        "outputs": {"id": "download", "property": "data"},
        "inputs": [[{"id": trigger, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "url", "property": "search", "value": "?la=302"}],
        "changedPropIds": [json.dumps(trigger, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    sent = re.search(r'"filename":\s*"([^"]+)"', response.get_data(as_text=True))
    assert sent and re.fullmatch(r"Child-deaths-by-age-at-death-[A-Za-z0-9-]+\.csv", sent.group(1))
    assert client.post("/logout", data={"csrf_token": _layout_token(client)}).status_code == 302
    events = log.events()[mark:]
    assert [e["event"] for e in events] == ["login_failed", "login", "download", "logout"]
    assert events[1]["user"] == "analyst" and events[1]["role"] == "analyst"
    assert events[2] | {"at": None, "prev": None, "seq": None, "mac": None} == {
        "at": None,
        "prev": None,
        "seq": None,
        "mac": None,
        "event": "download",
        "user": "analyst",
        "role": "analyst",
        "file": sent.group(1),
        "address": "127.0.0.1",
    }
    assert events[3]["user"] == "analyst"
    assert all("password" not in json.dumps(e) for e in events)
    assert log.verify()
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def _layout_token(client) -> str:
    """The sign-out form's CSRF token, as the page's layout carries it."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("name") == "csrf_token":
                yield node["props"]["value"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return next(walk(client.get("/_dash-layout").get_json()))


def test_behind_a_proxy_the_limit_and_hsts_use_the_forwarded_client(tmp_path, monkeypatch):
    """Issue 26 item 6: with $SAFEGUARDING_TRUSTED_PROXIES=1 (ProxyFix), the limit is per real
    client address and X-Forwarded-Proto: https gets HSTS and a Secure cookie."""
    from dashboard.app import create_app

    users = tmp_path / "secrets" / "users.json"
    add_user("chair", PASSWORD, "board", users)
    monkeypatch.setenv("SAFEGUARDING_USERS_FILE", str(users))
    monkeypatch.setenv("SAFEGUARDING_AUDIT_LOG", str(tmp_path / "logs" / "audit.jsonl"))
    monkeypatch.setenv("SAFEGUARDING_TRUSTED_PROXIES", "1")
    client = create_app(demo=False, secret_dir=tmp_path / "secrets").server.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def via(address: str, **headers) -> dict:
        return {"environ_base": proxy, "headers": {"X-Forwarded-For": address, **headers}}

    for _ in range(5):
        assert _login(client, password="wrong password!", **via("203.0.113.5")).status_code == 200
    assert _login(client, **via("203.0.113.5")).status_code == 429
    assert _login(client, **via("203.0.113.6")).status_code == 302  # another client behind the proxy
    tls = _login(client, **via("203.0.113.7", **{"X-Forwarded-Proto": "https"}))
    assert tls.status_code == 302 and "Secure" in tls.headers["Set-Cookie"]
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=")
    monkeypatch.setenv("SAFEGUARDING_TRUSTED_PROXIES", "yes")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        create_app(demo=False, secret_dir=tmp_path / "secrets")
