"""The Dash app shell: header, navigation, demo banner and the page router."""

from __future__ import annotations

from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from flask import Flask

from dashboard import auth, ids
import indicators
from dashboard.pages import indicator, overview

ASSETS = Path(__file__).parent / "assets"
APP_TITLE = "Safeguarding partnership: child protection performance"
_STATE = {"demo": False}

PAGES = {"/": ("Overview", overview.layout)}


def session_role() -> str:
    return auth.current_role(_STATE["demo"])


def _banner(demo: bool):
    if not demo:
        return None
    return html.Div(
        "Demo mode: synthetic data for a made-up local authority, no login, served on "
        "127.0.0.1 only. Small numbers are suppressed as for the board.",
        id=ids.DEMO_BANNER, className="alert alert-warning mb-0 rounded-0 text-center",
        role="status",
    )


def _shell(demo: bool) -> html.Div:
    nav = [dbc.NavItem(dbc.NavLink(label, href=path, active="exact"))
           for path, (label, _) in PAGES.items()]
    if not demo:
        nav.append(dbc.NavItem(dbc.NavLink("Sign out", href="/logout", external_link=True)))
    return html.Div([
        html.A("Skip to main content", href="#main", className="visually-hidden-focusable"),
        _banner(demo),
        dbc.Navbar(dbc.Container([
            html.Span(APP_TITLE, className="navbar-brand mb-0 h1 text-wrap"),
            dbc.Nav(nav, navbar=True),
        ]), color="dark", dark=True, className="mb-4"),
        dcc.Location(id=ids.URL, refresh="callback-nav"),
        dcc.Download(id=ids.DOWNLOAD),
        html.Main(dbc.Container(id=ids.PAGE), id="main", tabIndex=-1),
    ])


def create_app(demo: bool = False, secret_dir: Path = Path("data/secrets")) -> Dash:
    """Build the app. Outside demo mode every request needs a signed-in user."""
    _STATE["demo"] = demo
    server = Flask(__name__)
    if not demo:
        auth.install_login(server, secret_dir / "session.key")

    @server.route("/health")
    def _health():
        return {"status": "ok"}

    app = Dash(__name__, server=server, assets_folder=str(ASSETS), title=APP_TITLE,
               suppress_callback_exceptions=True, update_title=None)
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = _shell(demo)

    @app.callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"), State(ids.URL, "search"))
    def _route(pathname: str | None, search: str | None):
        pathname = pathname or "/"
        if pathname.startswith("/indicator/"):
            indicator_id = pathname.removeprefix("/indicator/").strip("/")
            if indicator_id in indicators.registry():
                return indicator.layout(indicator_id, session_role(), search)
        label, layout = PAGES.get(pathname, (None, None))
        if layout is None:
            return html.Div([html.H1("Page not found", className="h2"),
                             html.P(["There is no page at this address. ",
                                     dcc.Link("Go to the overview", href="/"), "."])])
        return layout(session_role())

    return app
