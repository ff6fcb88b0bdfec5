"""The Dash app shell: header, navigation, demo banner and the page router."""

from __future__ import annotations

import logging
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from flask import Flask

import indicators
from dashboard import auth, ids, security
from dashboard.audit import AuditLog
from dashboard.pages import about, agencies, assurance, cdop, data_quality, indicator, overview
from dashboard.state import DEMO_LA
from indicators.partners import partner_registry
from indicators.store import WarehouseMissing, health_check
from safeguarding.partners import declaration

LOG = logging.getLogger(__name__)
ASSETS = Path(__file__).parent / "assets"
APP_TITLE = "Safeguarding partnership: child protection performance"
_STATE = {"demo": False, "warm": False}  # warm: the server's start-up pre-computation has finished

PAGES = {
    "/": ("Scorecard", overview.layout),
    "/data-quality": ("Data quality", data_quality.layout),
    "/about": ("About and definitions", about.layout),
}
PAGES[cdop.PATH] = (cdop.TITLE, cdop.layout)  # Child deaths (CDOP)
PAGES[agencies.PATH] = (agencies.TITLE, agencies.layout)  # Partner agencies (one page each below)
PAGES[assurance.PATH] = (assurance.TITLE, assurance.layout)  # s.11, audits and actions (sub-pages below)


def mark_warm() -> None:
    """Called when the start-up pre-computation is done (reported by /health)."""
    _STATE["warm"] = True


def session_role() -> str:
    return auth.current_role(_STATE["demo"])


ROLE_WORDS = {
    "board": "board role: numbers of 1 to 5 are withheld (c)",
    "analyst": "analyst role: unsuppressed figures, not for circulation",
}


def signed_in_words() -> str:
    """Who is signed in and in which role, for the header."""
    role = session_role()
    if _STATE["demo"]:
        return f"Demo (no sign-in), {ROLE_WORDS[role]}"
    return f"Signed in as {auth.current_user() or '?'}, {ROLE_WORDS[role]}"


def _banner(demo: bool):
    if not demo:
        return None
    return html.Div(
        f"Demo mode: synthetic data shown as Leicester ({DEMO_LA}), beside Leicester's real published "
        "figures; no login, 127.0.0.1 only. Small numbers are suppressed as for the board.",
        id=ids.DEMO_BANNER,
        className="alert alert-warning mb-0 rounded-0 text-center",
        role="status",
    )


def _sign_out():
    """Sign out is a POST carrying this session's CSRF token (the layout is built per request)."""
    from flask_wtf.csrf import generate_csrf

    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf(), id="sign-out-token"),
            html.Button("Sign out", type="submit", className="btn btn-link nav-link"),
        ],
        method="POST",
        action="/logout",
        className="d-flex",
    )


def _shell(demo: bool) -> html.Div:
    nav = [dbc.NavItem(dbc.NavLink(label, href=path, active="exact")) for path, (label, _) in PAGES.items()]
    nav.insert(
        1,
        dbc.DropdownMenu(
            [
                dbc.DropdownMenuItem(ind.short_title, href=f"/indicator/{ind.id}")
                for ind in indicators.registry().values()
            ],
            label="Indicators",
            nav=True,
            in_navbar=True,
            id="nav-indicators",
        ),
    )
    if not demo:
        nav.append(dbc.NavItem(_sign_out()))
    return html.Div(
        [
            html.A("Skip to main content", href="#main", className="visually-hidden-focusable"),
            _banner(demo),
            dbc.Navbar(
                dbc.Container(
                    [
                        html.Span(APP_TITLE, className="navbar-brand mb-0 h1 text-wrap"),
                        dbc.Nav(nav, navbar=True),
                        html.Span(id=ids.SIGNED_IN, className="navbar-text text-light small ms-lg-3"),
                    ]
                ),
                color="dark",
                dark=True,
                className="mb-4",
            ),
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Download(id=ids.DOWNLOAD),
            html.Main(dbc.Container(id=ids.PAGE), id="main", tabIndex=-1),
        ]
    )


def create_app(demo: bool = False, secret_dir: Path = Path("data/secrets")) -> Dash:
    """Build the app. Outside demo mode every request needs a signed-in user."""
    _STATE["demo"] = demo
    server = Flask(__name__)
    # Security headers, body cap, cross-origin writes refused; with login, the shared login limiter
    # and the audit log (data/logs/, keyed by data/secrets/audit.key); then the sign-in itself.
    if demo:
        security.install(server, login=False)
    else:
        audit_log = security.audit_file(secret_dir.parent / "logs" / "audit.jsonl")
        security.install(
            server,
            login=True,
            audit=AuditLog(audit_log, secret_dir / "audit.key"),
            limiter=security.LoginRateLimiter(auth.sessions()),
        )
        auth.install_login(server, secret_dir / "session.key")

    @server.route("/health")
    def _health():
        ok, detail = health_check()  # opens the warehouse: a damaged one is an error, not "ok"
        if not ok:
            LOG.error("health check: %s", detail)
            return {"status": "error", "warm": _STATE["warm"]}, 503
        return {"status": "ok", "warm": _STATE["warm"]}

    app = Dash(
        __name__,
        server=server,
        assets_folder=str(ASSETS),
        title=APP_TITLE,
        suppress_callback_exceptions=True,
        update_title=None,
        # assets/session.js leaves the page for the sign-in page when the idle timeout has passed
        meta_tags=[] if demo else [{"name": "session-idle-seconds", "content": str(int(auth.timeouts()[0]))}],
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = (lambda: _shell(demo)) if not demo else _shell(demo)

    @app.callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"), State(ids.URL, "search"))
    def _route(pathname: str | None, search: str | None):
        try:
            return _page(pathname or "/", search)
        except WarehouseMissing as exc:
            return dbc.Alert([html.H1("No data loaded yet", className="h4"), html.P(str(exc))], color="info")
        except Exception:  # never show a traceback to a board member
            LOG.exception("page %s failed", pathname)
            return dbc.Alert(
                [
                    html.H1("Something went wrong", className="h4"),
                    html.P(
                        "This page could not be shown. The error has been logged "
                        "for the analysts; other pages still work."
                    ),
                ],
                color="danger",
            )

    @app.callback(Output(ids.SIGNED_IN, "children"), Input(ids.URL, "pathname"))
    def _signed_in(_pathname: str | None):
        return signed_in_words()

    def _page(pathname: str, search: str | None):
        if pathname.startswith("/indicator/"):
            indicator_id = pathname.removeprefix("/indicator/").strip("/")
            if indicator_id in indicators.registry() or indicator_id in partner_registry():
                return indicator.layout(indicator_id, session_role(), search)
        if pathname.startswith(agencies.AGENCY_PREFIX):  # one page per partner agency
            agency_id = pathname.removeprefix(agencies.AGENCY_PREFIX).strip("/")
            if agency_id in {a.id for a in declaration().agencies}:
                return agencies.agency_layout(agency_id, session_role(), search)
        label, layout = PAGES.get(pathname) or assurance.SUBPAGES.get(pathname.rstrip("/"), (None, None))
        if layout is None:
            return html.Div(
                [
                    html.H1("Page not found", className="h2"),
                    html.P(
                        ["There is no page at this address. ", dcc.Link("Go to the overview", href="/"), "."]
                    ),
                ]
            )
        return layout(session_role(), search)

    # Every callback is defined now: allow exactly the index page's inline scripts (no 'unsafe-inline').
    security.allow_inline_scripts(server, app.csp_hashes())
    return app
