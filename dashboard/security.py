"""Web hardening for the dashboard: security headers, Secure cookies over TLS, a login rate limit
and an append-only audit log of sign-ins and downloads.

`install(server, ...)` is called once from `dashboard.app.create_app`. Everything here works from
Flask request hooks, so page modules need no changes: a download is recognised as a Dash callback
whose output is the shared `dcc.Download` (ids.DOWNLOAD), and a sign-in by the response of
``POST /login`` (a redirect means success, the form shown again means failure).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, g, request, session
from flask.sessions import SecureCookieSessionInterface

from dashboard import ids

AUDIT_ENV = "SAFEGUARDING_AUDIT_LOG"
DEFAULT_AUDIT_LOG = Path("data/logs/audit.jsonl")

# Scripts only from this origin, plus the inline scripts Dash writes into its index page (the
# renderer bootstrap, and any inline clientside callbacks) allowed by their sha256 hashes, set by
# `allow_inline_scripts` from `Dash.csp_hashes()` when the app is built: no 'unsafe-inline' and no
# 'unsafe-eval' (Plotly's traces used here draw without eval; tests/browser check every page for CSP
# violations). Styles keep 'unsafe-inline': React and Plotly set inline style attributes. No framing.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(script_hashes: list[str] | tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy header, with these inline-script hashes ('sha256-...') allowed."""
    policy = dict(POLICY)
    policy["script-src"] = " ".join([POLICY["script-src"], *script_hashes])
    return "; ".join(f"{name} {value}" for name, value in policy.items())


CONTENT_SECURITY_POLICY = content_security_policy()
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def audit_file(default: Path = DEFAULT_AUDIT_LOG) -> Path:
    """$SAFEGUARDING_AUDIT_LOG, else `default` (create_app: data/logs/audit.jsonl beside
    data/secrets)."""
    return Path(os.environ.get(AUDIT_ENV, default))


class AuditLog:
    """Append-only JSON lines. Each line carries the sha256 of the line before it, so a line
    removed or edited later breaks the chain (`verify`). The file is opened O_APPEND, mode 0600,
    and each event is one write(2)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def _last_hash(self) -> str:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return "0" * 64
        with open(self.path, "rb") as fh:
            fh.seek(max(0, self.path.stat().st_size - 65536))
            last = fh.read().rstrip(b"\n").rsplit(b"\n", 1)[-1]
        return hashlib.sha256(last).hexdigest()

    def write(self, event: str, **fields: object) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            record = {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "event": event,
                **fields,
                "prev": self._last_hash(),
            }
            line = (json.dumps(record, sort_keys=True, default=str) + "\n").encode()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def events(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line]

    def verify(self) -> bool:
        """True if every line's `prev` is the hash of the line before it."""
        prev = "0" * 64
        for line in self.path.read_bytes().splitlines() if self.path.exists() else []:
            if json.loads(line)["prev"] != prev:
                return False
            prev = hashlib.sha256(line).hexdigest()
        return True


class LoginRateLimiter:
    """At most `limit` failed sign-ins per client address, and per username, in `window` seconds;
    beyond that POST /login answers 429 until the oldest failure leaves the window."""

    def __init__(self, limit: int = 5, window: float = 300.0, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, address: str, username: str) -> tuple[str, str]:
        return f"ip:{address}", f"user:{username.strip().lower()}"

    def retry_after(self, address: str, username: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(address, username):
                times = self._failures.get(key)
                if not times:
                    continue
                while times and now - times[0] > self.window:
                    times.popleft()
                if len(times) >= self.limit:
                    wait = max(wait, self.window - (now - times[0]))
        return int(wait) + 1 if wait else 0

    def failed(self, address: str, username: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(address, username):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, address: str, username: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(address, username)[1], None)


class _TlsAwareSessions(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over TLS (or the config says so)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _is_download_callback() -> bool:
    if request.path != "/_dash-update-component" or request.method != "POST":
        return False
    body = request.get_json(silent=True) or {}
    output = str(body.get("output", ""))
    return output.split("@")[0] == f"{ids.DOWNLOAD}.data" or output.startswith(f"..{ids.DOWNLOAD}.data")


def _download_name(response: Response) -> str | None:
    try:
        data = json.loads(response.get_data())
        return data["response"][ids.DOWNLOAD]["data"]["filename"]
    except (ValueError, KeyError, TypeError):
        return None


def install(
    server: Flask, *, login: bool, audit: AuditLog | None = None, limiter: LoginRateLimiter | None = None
) -> None:
    """Add headers to every response; with `login`, rate-limit and audit sign-ins and audit
    downloads. Call after `auth.install_login`."""
    audit = audit or AuditLog(audit_file())
    limiter = limiter or LoginRateLimiter()
    server.extensions["safeguarding_audit"] = audit
    server.extensions["safeguarding_limiter"] = limiter
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    server.session_interface = _TlsAwareSessions()
    if server.debug:
        raise RuntimeError("the dashboard must not run with Flask debug on outside tests")

    @server.before_request
    def _limit_logins():
        g.audit_user = session.get("user")  # known here even for /logout, which clears it
        if not login or request.path != "/login" or request.method != "POST":
            return None
        address = request.remote_addr or "?"
        username = request.form.get("username", "")
        wait = limiter.retry_after(address, username)
        if wait:
            audit.write("login_rate_limited", user=username[:100], address=address)
            return Response(
                "Too many sign-in attempts. Wait a few minutes and try again.",
                429,
                {"Retry-After": str(wait)},
            )
        return None

    @server.after_request
    def _after(response: Response) -> Response:
        headers = {**SECURITY_HEADERS, **server.extensions.get("safeguarding_headers", {})}
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if not request.path.startswith("/assets/"):
            response.headers.setdefault("Cache-Control", "no-store")
        if not login:
            return response
        if request.path == "/login" and request.method == "POST" and response.status_code != 429:
            address = request.remote_addr or "?"
            username = request.form.get("username", "")
            if response.status_code in (301, 302, 303):
                limiter.succeeded(address, username)
                audit.write("login", user=username[:100], role=session.get("role"), address=address)
            else:
                limiter.failed(address, username)
                audit.write("login_failed", user=username[:100], address=address)
        elif request.path == "/logout":
            audit.write("logout", user=g.get("audit_user"), address=request.remote_addr or "?")
        elif response.status_code == 200 and _is_download_callback():
            name = _download_name(response)
            if name:
                audit.write(
                    "download",
                    user=session.get("user"),
                    role=session.get("role"),
                    file=name,
                    address=request.remote_addr or "?",
                )
        return response


def allow_inline_scripts(server: Flask, script_hashes: list[str]) -> None:
    """Allow the Dash index page's inline scripts by hash (call with `app.csp_hashes()` once every
    callback is defined)."""
    server.extensions["safeguarding_headers"] = {
        "Content-Security-Policy": content_security_policy(script_hashes)
    }
