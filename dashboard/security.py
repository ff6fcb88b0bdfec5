"""Web hardening for the dashboard: headers, TLS cookies, body cap, origin check, login limiter.

Also: HSTS over TLS, ProxyFix when configured, and the audit of downloads.

`install(server, ...)` is called once from `dashboard.app.create_app`. Everything here works from
Flask request hooks, so page modules need no changes: a download is recognised as a Dash callback
whose output is the shared `dcc.Download` (ids.DOWNLOAD). Sign-ins and sign-outs are audited by the
views in `dashboard.auth`.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import ids
from dashboard.audit import AuditLog
from dashboard.session_store import SessionStore
from vocabulary import settings

__all__ = ["AuditLog", "LoginRateLimiter", "install", "content_security_policy", "SECURITY_HEADERS"]

AUDIT_ENV = "SAFEGUARDING_AUDIT_LOG"
DEFAULT_AUDIT_LOG = Path("data/logs/audit.jsonl")
PROXIES_ENV = "SAFEGUARDING_TRUSTED_PROXIES"  # how many reverse proxies set X-Forwarded-* (default 0)
MAX_BODY = 2 * 2**20  # bytes: Dash callback bodies here are a few KB; anything larger is refused (413)
HSTS = "max-age=31536000; includeSubDomains"  # sent on every response that came over TLS
REFUSAL_LOG_EVERY = 60.0  # seconds: at most one audit line per address for refused sign-ins
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

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
    return settings.get_path("paths.audit_log", default)  # type: ignore[return-value]


class LoginRateLimiter:
    """Sign-in attempts, counted in the shared session store before the password is checked.

    At most `limit` attempts per username from one address, and `source_limit` per address over
    all usernames, in `window` seconds; beyond that POST /login answers 429 until the oldest
    attempt leaves the window. A success forgives that username's attempts from that address.
    There is no lockout per username alone: anyone could lock a named user out with one."""

    def __init__(self, store: SessionStore, limit: int = 5, window: float = 300.0, source_limit: int = 30):
        self.store, self.limit, self.window, self.source_limit = store, limit, window, source_limit

    @staticmethod
    def _keys(address: str, username: str) -> tuple[str, str]:
        return f"user:{username.strip().lower()}|{address}", f"source:{address}"

    def attempt(self, address: str, username: str) -> int:
        """Count this attempt; returns 0 if it may go ahead, else the seconds to wait."""
        user_key, source_key = self._keys(address, username)
        wait = self.store.attempt([(user_key, self.limit), (source_key, self.source_limit)], self.window)
        return int(wait) + 1 if wait else 0

    def succeeded(self, address: str, username: str) -> None:
        self.store.forgive(*self._keys(address, username))

    def refused(self, address: str) -> int:
        """How many refusals from `address` to report in one audit line now (0: none this minute)."""
        return self.store.refused(f"429:{address}", every=REFUSAL_LOG_EVERY)


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


def cross_origin_refusal() -> Response | None:
    """403 for a state-changing request sent by another site. Browsers say where a request comes
    from in Sec-Fetch-Site (which pages cannot set), and in Origin: it must be this server, or
    "null" on a same-origin form post (Chrome sends that under Referrer-Policy: no-referrer).
    Behind a TLS proxy, ProxyFix ($SAFEGUARDING_TRUSTED_PROXIES) tells this server its public
    scheme and host. A request with neither header (not from a browser) carries no ambient cookie
    risk and passes."""
    if request.method not in UNSAFE_METHODS:
        return None
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    here = request.host_url.rstrip("/")
    same_site = site is None or site in ("same-origin", "none")
    same_origin = origin is None or origin == here or (origin == "null" and site == "same-origin")
    if same_site and same_origin:
        return None
    return Response(
        f"Refused: a request from another site ({origin or site}) cannot change anything here ({here}).",
        403,
        {"Content-Type": "text/plain; charset=utf-8"},
    )


def trusted_proxies() -> int:
    value = settings.get("sessions.trusted_proxies") or "0"
    if not value.isdigit():
        raise ValueError(f"${PROXIES_ENV} must be a whole number of reverse proxies, not {value!r}")
    return int(value)


def install(
    server: Flask, *, login: bool, audit: AuditLog | None = None, limiter: LoginRateLimiter | None = None
) -> None:
    """Headers on every response (HSTS over TLS), a body-size cap, cross-origin writes refused;
    with `login`, the shared login limiter and the audit log (used by `auth`'s sign-in views) and
    the audit of downloads. Call before `auth.install_login`, so the origin check runs first."""
    if audit:
        server.extensions["safeguarding_audit"] = audit
    if limiter:
        server.extensions["safeguarding_limiter"] = limiter
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", MAX_CONTENT_LENGTH=MAX_BODY
    )
    server.session_interface = _TlsAwareSessions()
    proxies = trusted_proxies()
    if proxies:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    if server.debug:
        raise RuntimeError("the dashboard must not run with Flask debug on outside tests")

    @server.before_request
    def _same_origin_only():
        return cross_origin_refusal()

    @server.after_request
    def _after(response: Response) -> Response:
        headers = {**SECURITY_HEADERS, **server.extensions.get("safeguarding_headers", {})}
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if not request.path.startswith("/assets/"):
            response.headers.setdefault("Cache-Control", "no-store")
        if login and audit and response.status_code == 200 and _is_download_callback():
            name = _download_name(response)
            if name:
                audit.write(
                    "download",
                    user=g.get("user"),
                    role=g.get("role"),
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
