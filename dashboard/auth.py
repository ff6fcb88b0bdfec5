"""Dashboard login: the users file, server-side sessions that end, and CSRF tokens.

Users and roles live in a local file with hashed passwords (no login only in demo mode). Sessions
end on sign-out, removal, a new password and timeout.

The cookie (Flask's signed session) carries only an opaque session id and the CSRF token. The user's
role is read from the users file on every request, so a role change applies at once; the session
itself lives in `session_store.SessionStore`, shared by every server process.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from flask import Flask, Response, current_app, g, redirect, request, session
from flask_wtf.csrf import generate_csrf, validate_csrf
from markupsafe import escape
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms.validators import ValidationError

from dashboard.oidc import install_oidc
from dashboard.session_store import SessionStore, secret_bytes, store_file
from indicators import access
from vocabulary import settings

Role = Literal["board", "analyst"]
ROLES: tuple[Role, ...] = ("board", "analyst")
USERS_ENV = "SAFEGUARDING_USERS_FILE"
DEFAULT_USERS_FILE = Path("data/secrets/users.json")
IDLE_ENV = "SAFEGUARDING_SESSION_IDLE_SECONDS"
LIFETIME_ENV = "SAFEGUARDING_SESSION_LIFETIME_SECONDS"
DEFAULT_IDLE = 30 * 60
DEFAULT_LIFETIME = 10 * 60 * 60
# Routes open without signing in, matched by the route Flask resolved (not by a path prefix), so
# /loginx, /healthz, /assets/ and /login%2f..%2f_dash-layout all fall to Dash's catch-all: closed.
OPEN_ROUTES = frozenset(
    {"/login", "/login/sso", "/login/sso/callback", "/health", "/assets/<path:filename>", "/_favicon.ico"}
)
SIGNED_OUT = {
    "logout": "You have signed out.",
    "idle": "You were signed out because the dashboard was not used for {idle}.",
    "expired": "You were signed out because your session reached its limit of {lifetime}. Sign in again.",
    "ended": "You were signed out: your session was ended (signed out elsewhere, or your account was "
    "changed or removed).",
}


def users_file() -> Path:
    return settings.get_path("paths.users_file", DEFAULT_USERS_FILE)  # type: ignore[return-value]


def load_users(path: Path | None = None) -> dict[str, dict[str, str]]:
    path = path or users_file()
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def sessions(path: Path | None = None) -> SessionStore:
    """The session store beside the users file."""
    return SessionStore(store_file(path or users_file()))


def add_user(
    username: str, password: str, role: Role, path: Path | None = None, la_codes: list[str] | None = None
) -> None:
    """Create or update a user; the password is stored only as a salted scrypt hash. Updating an
    existing user (a new password) ends that user's sessions. `la_codes` limits the user to those
    LAs (indicators.access); None sees every LA."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    limit = access.normalise(la_codes)
    if len(password) < 12:
        raise ValueError("passwords must be at least 12 characters")
    path = path or users_file()
    users = load_users(path)
    existed = username in users
    users[username] = {"password_hash": generate_password_hash(password, method="scrypt"), "role": role}
    if limit is not None:
        users[username]["la_codes"] = sorted(limit)
    _write_users(users, path)
    if existed:
        sessions(path).end_user(username)


def set_role(username: str, role: Role, path: Path | None = None) -> bool:
    """Change a user's role; signed-in sessions see the new role on their next request."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    path = path or users_file()
    users = load_users(path)
    if username not in users:
        return False
    users[username]["role"] = role
    _write_users(users, path)
    return True


def _write_users(users: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(users, fh, indent=2)
    os.replace(tmp, path)


def remove_user(username: str, path: Path | None = None) -> bool:
    """Remove a user and end their sessions."""
    path = path or users_file()
    users = load_users(path)
    if users.pop(username, None) is None:
        return False
    _write_users(users, path)
    sessions(path).end_user(username)
    return True


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A scrypt hash of a random password, checked when the username is unknown: same cost."""
    if not _DUMMY:
        _DUMMY.append(generate_password_hash(secrets.token_hex(16), method="scrypt"))
    return _DUMMY[0]


def check_login(username: str, password: str, path: Path | None = None) -> Role | None:
    """The user's role if the password is right. Takes as long whether or not the user exists."""
    user = load_users(path).get(username)
    ok = check_password_hash(user["password_hash"] if user else _dummy_hash(), password)
    return user["role"] if user and ok else None  # type: ignore[return-value]


def timeouts() -> tuple[float, float]:
    """(idle, lifetime) in seconds: $SAFEGUARDING_SESSION_IDLE_SECONDS (default 30 min) and
    $SAFEGUARDING_SESSION_LIFETIME_SECONDS (default 10 h)."""
    values = []
    for key, name, default in (
        ("sessions.idle_seconds", IDLE_ENV, DEFAULT_IDLE),
        ("sessions.lifetime_seconds", LIFETIME_ENV, DEFAULT_LIFETIME),
    ):
        raw = settings.get(key) or str(default)
        if not raw.isdigit() or int(raw) <= 0:
            raise ValueError(f"${name} must be a positive whole number of seconds, not {raw!r}")
        values.append(float(raw))
    return values[0], values[1]


def _span(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        n, unit = int(seconds // 3600), "hour"
    elif seconds >= 60 and seconds % 60 == 0:
        n, unit = int(seconds // 60), "minute"
    else:
        n, unit = int(seconds), "second"
    return f"{n} {unit}{'s' if n != 1 else ''}"


def current_role(demo: bool) -> Role:
    """The signed-in user's role, read from the users file for this request; demo mode shows the
    board view (suppressed)."""
    if demo:
        return "board"
    return g.get("role") or "board"


def current_user() -> str | None:
    """The signed-in user's name for this request (None in demo mode or before sign-in)."""
    return g.get("user")


LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in - Safeguarding performance</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container py-5" style="max-width:28rem">
<h1 class="h3 mb-4">Sign in</h1>{notice}{error}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{token}">
<div class="mb-3"><label class="form-label" for="username">Username</label>
<input class="form-control" id="username" name="username" autocomplete="username" required></div>
<div class="mb-3"><label class="form-label" for="password">Password</label>
<input class="form-control" id="password" name="password" type="password"
 autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">Sign in</button></form>{sso}</main></body></html>"""


def _alert(kind: str, text: str, role: str = "alert") -> str:
    return f'<div class="alert alert-{kind}" role="{role}">{escape(text)}</div>'


def _login_page(error: str = "", status: int = 200) -> Response:
    reason = request.args.get("signed_out", "")
    notice = ""
    if reason in SIGNED_OUT:
        idle, lifetime = timeouts()
        notice = _alert(
            "info", SIGNED_OUT[reason].format(idle=_span(idle), lifetime=_span(lifetime)), "status"
        )
    label = current_app.extensions.get("safeguarding_sso_label")
    sso = f'<p class="mt-4"><a class="btn btn-outline-primary" href="/login/sso">{escape(label)}</a></p>'
    page = LOGIN_PAGE.format(notice=notice, error=error, token=generate_csrf(), sso=sso if label else "")
    return Response(page, status, {"Content-Type": "text/html; charset=utf-8"})


def _csrf_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except ValidationError:
        return False
    return True


def _signed_out(reason: str) -> Response:
    """Where a request without a live session goes: 401 for Dash's own requests (the page's
    script then opens the sign-in page with the reason), else a redirect to the sign-in page."""
    if request.path.startswith("/_dash"):
        return Response("Sign in required", 401, {"X-Signed-Out": reason} if reason else {})
    return redirect("/login" + (f"?signed_out={quote(reason)}" if reason else ""))


def install_login(server: Flask, secret_file: Path) -> None:
    """Require a live server-side session for every request except the open routes."""
    server.secret_key = secret_bytes(secret_file)
    # The token lives as long as the (browser-session) cookie that holds its secret; the session
    # itself is bounded by the idle and absolute timeouts.
    server.config.update(WTF_CSRF_TIME_LIMIT=None)
    idle, lifetime = timeouts()
    store = sessions()
    _dummy_hash()

    @server.before_request
    def _require_login():
        g.user = g.role = None
        # Why this cookie's session ended, kept in the cookie so that the page's later requests,
        # refused too, give the same reason as the first (until the sign-in page is shown).
        reason = session.get("signed_out", "")
        token = session.get("sid")
        if token:
            user, reason = store.check(token, idle, lifetime)
            record = load_users().get(user) if user else None
            if record is None and user and session.get("sso_role") in ROLES:  # signed in by dashboard.oidc
                record = {"role": session["sso_role"]}
            if record is None:
                if user:  # removed from the users file by hand: end the session here
                    store.end(token)
                    reason = "ended"
                session.pop("sid", None)
                if reason:
                    session["signed_out"] = reason
            else:
                g.user, g.role = user, record["role"]
                # Every read in this request (pages, callbacks, downloads) is limited to the user's LAs.
                g.la_scope_token = access.set_scope(access.user_scope(g.role, record.get("la_codes")))
        if g.user or (request.url_rule is not None and request.url_rule.rule in OPEN_ROUTES):
            return None
        return _signed_out(reason or "")

    config = install_oidc(
        server, store, idle, lifetime, lambda text, status: _login_page(_alert("danger", text), status)
    )
    if config is not None:
        server.extensions["safeguarding_sso_label"] = config.label

    @server.teardown_request
    def _end_la_scope(_exc=None):
        token = g.pop("la_scope_token", None)
        if token is not None:
            access.reset_scope(token)

    @server.route("/login", methods=["GET", "POST"])
    def _login():
        if request.method == "GET":
            session.pop("signed_out", None)
            return _login_page()
        if not _csrf_ok():
            text = "The sign-in form had expired or came from another site. Please sign in again."
            return _login_page(_alert("danger", text), 400)
        audit = current_app.extensions["safeguarding_audit"]
        limiter = current_app.extensions["safeguarding_limiter"]
        address = request.remote_addr or "?"
        username = request.form.get("username", "")
        wait = limiter.attempt(address, username)  # counted before the password is checked
        if wait:
            count = limiter.refused(address)
            if count:
                audit.write("login_rate_limited", user=username[:100], address=address, count=count)
            return Response(
                "Too many sign-in attempts. Wait a few minutes and try again.",
                429,
                {"Retry-After": str(wait)},
            )
        role = check_login(username, request.form.get("password", ""))
        if not role:
            audit.write("login_failed", user=username[:100], address=address)
            return _login_page(_alert("danger", f"Wrong username or password for {username}."))
        limiter.succeeded(address, username)
        session.clear()  # a fresh cookie: new session id and new CSRF secret
        session["sid"] = store.create(username, idle, lifetime)
        audit.write("login", user=username[:100], role=role, address=address)
        return redirect("/")

    @server.route("/logout", methods=["POST"])
    def _logout():
        if not _csrf_ok():
            return Response("Refused: the sign-out form had no valid token.", 400)
        store.end(session["sid"])
        audit = current_app.extensions["safeguarding_audit"]
        audit.write("logout", user=g.user, address=request.remote_addr or "?")
        session.clear()
        return redirect("/login?signed_out=logout")
