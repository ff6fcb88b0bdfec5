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
from dashboard.session import is_demo, session_role, set_demo
from indicators.registry import partner_registry
from indicators.store import WarehouseMissing, health_check
from viewmodels.state import DEMO_LA
from vocabulary.partners import declaration

LOG = logging.getLogger(__name__)
ASSETS = Path(__file__).parent / "assets"
APP_TITLE = "Safeguarding partnership: child protection performance"
_STATE = {"warm": False}  # warm: the server's start-up pre-computation has finished

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


ROLE_WORDS = {
    "board": "board role: numbers of 1 to 5 are withheld (c)",
    "analyst": "analyst role: unsuppressed figures, not for circulation",
}


def signed_in_words() -> str:
    """Who is signed in and in which role, for the header."""
    role = session_role()
    if is_demo():
        return f"Demo (no sign-in), {ROLE_WORDS[role]}"
    return f"Signed in as {auth.current_user() or '?'}, {ROLE_WORDS[role]}"


def _banner(demo: bool):
    """GOV.UK's phase banner: in demo mode, a "Demo" tag and what the data is."""
    if not demo:
        return None
    return html.Div(
        html.P(
            [
                html.Strong("Demo", className="govuk-tag govuk-phase-banner__content__tag"),
                html.Span(
                    f"Demo mode: synthetic data shown as Leicester ({DEMO_LA}), beside Leicester's real "
                    "published figures; no login, 127.0.0.1 only. Small numbers are suppressed as for "
                    "the board.",
                    className="govuk-phase-banner__text",
                ),
            ],
            className="govuk-phase-banner__content",
        ),
        id=ids.DEMO_BANNER,
        className="govuk-phase-banner govuk-width-container",
        role="status",
    )


def _sign_out():
    """Sign out is a POST carrying this session's CSRF token (the layout is built per request)."""
    from flask_wtf.csrf import generate_csrf

    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf(), id="sign-out-token"),
            html.Button("Sign out", type="submit", className="btn btn-link govuk-service-navigation__link"),
        ],
        method="POST",
        action="/logout",
        className="d-flex",
    )


def _partner_menu() -> list:
    """Partner measures in the Indicators menu, under a heading per agency."""
    decl, out = declaration(), []
    for a in decl.agencies:
        out += [dbc.DropdownMenuItem(divider=True), dbc.DropdownMenuItem(a.name, header=True)]
        out += [
            dbc.DropdownMenuItem(partner_registry()[m.id].short_title, href=f"/indicator/{m.id}")
            for m in decl.measures_of(a.id)
        ]
    return out


def _nav_item(child) -> html.Li:
    return html.Li(child, className="govuk-service-navigation__item")


def _shell(demo: bool) -> html.Div:
    """GOV.UK header and service navigation, the phase banner in demo mode, then the page."""
    nav = [
        _nav_item(dbc.NavLink(label, href=path, active="exact", className="govuk-service-navigation__link"))
        for path, (label, _) in PAGES.items()
    ]
    nav.insert(
        1,
        _nav_item(
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem(ind.short_title, href=f"/indicator/{ind.id}")
                    for ind in indicators.registry().values()
                ]
                + _partner_menu(),
                label="Indicators",
                nav=True,
                id="nav-indicators",
                toggle_class_name="govuk-service-navigation__link",
            )
        ),
    )
    if not demo:
        nav.append(_nav_item(_sign_out()))
    return html.Div(
        [
            html.A("Skip to main content", href="#main", className="govuk-skip-link"),
            html.Header(
                html.Div(
                    html.Div(
                        html.A(
                            html.Span("Safeguarding partnership", className="govuk-header__product-name"),
                            href="/",
                            className="govuk-header__homepage-link",
                        ),
                        className="govuk-header__logo",
                    ),
                    className="govuk-header__container govuk-width-container",
                ),
                className="govuk-header",
            ),
            html.Section(
                html.Div(
                    html.Div(
                        [
                            html.Span(
                                "Child protection performance",
                                className="govuk-service-navigation__service-name",
                            ),
                            html.Nav(
                                html.Ul(nav, className="govuk-service-navigation__list"),
                                className="govuk-service-navigation__wrapper",
                                **{"aria-label": "Menu"},
                            ),
                            html.Span(id=ids.SIGNED_IN, className="board-signed-in"),
                        ],
                        className="govuk-service-navigation__container",
                    ),
                    className="govuk-width-container",
                ),
                className="govuk-service-navigation",
                **{"aria-label": "Service information"},
            ),
            _banner(demo),
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Download(id=ids.DOWNLOAD),
            html.Main(
                dbc.Container(id=ids.PAGE, fluid=True, className="govuk-width-container mt-4"),
                id="main",
                tabIndex=-1,
            ),
        ],
        className="govuk-frontend-supported",
    )


def create_app(demo: bool = False, secret_dir: Path = Path("data/secrets")) -> Dash:
    """Build the app. Outside demo mode every request needs a signed-in user."""
    set_demo(demo)
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
