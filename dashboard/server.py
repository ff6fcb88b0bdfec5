"""Serve the dashboard: waitress (production WSGI) by default, Dash's dev server only with --debug."""

from __future__ import annotations

import os
from pathlib import Path

from vocabulary.settings import WAREHOUSE_ENV

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def run(
    host: str = "127.0.0.1",
    port: int = 8050,
    demo: bool = False,
    debug: bool = False,
    warehouse: str | Path | None = None,
) -> None:
    if debug and not (demo and host in LOOPBACK):
        raise ValueError(
            "--debug (Dash's development server, with tracebacks in the browser) is "
            "only allowed with --demo on 127.0.0.1, never with real data or logins"
        )
    if demo and host not in LOOPBACK:
        raise ValueError(
            "demo mode has no login, so it only binds to 127.0.0.1 "
            f"(asked for {host}); drop --demo and add users to serve on a network"
        )
    if warehouse:
        os.environ[WAREHOUSE_ENV] = str(warehouse)
    from dashboard.app import create_app
    from dashboard.auth import load_users, users_file

    if not demo and not load_users():
        raise ValueError(
            f"no users in {users_file()}: add one with "
            "`safeguarding users add NAME --role board|analyst`, or use --demo"
        )
    # The session and audit keys live with the users file (data/secrets/ unless
    # $SAFEGUARDING_USERS_FILE says otherwise); the audit log in logs/ beside that folder.
    app = create_app(demo=demo, secret_dir=users_file().parent)
    _warm_in_background()
    mode = "demo mode (no login)" if demo else "login required"
    print(f"Serving the dashboard on http://{host}:{port}/ ({mode})", flush=True)
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    from waitress import serve

    from dashboard.security import MAX_BODY

    # waitress refuses a larger body (413) before reading it; Flask's MAX_CONTENT_LENGTH is the same.
    serve(app.server, host=host, port=port, threads=8, ident="safeguarding", max_request_body_size=MAX_BODY)


def warm_up() -> None:
    """What the server does at start-up, before it reports itself warm on /health. With a current
    indicator mart (persisted at load) nothing: every view reads its own LA's rows from the mart, so
    a scorecard is built when first asked for, and the process holds only what was viewed. Without
    one (a warehouse from an older version), every indicator and every LA's scorecards are computed
    once, so that the first clicks are fast."""
    from dashboard.app import mark_warm
    from dashboard.pages.overview import warm_scorecards
    from indicators.api import warm_cache, warm_in_background
    from indicators.mart import is_current

    current = is_current()
    if not current:
        warm_cache()
    warm_in_background()  # a later load is warmed when first seen (if it has no current mart)
    if not current:
        warm_scorecards()
    mark_warm()


def _warm_in_background() -> None:
    """`warm_up` in a background thread: the server answers meanwhile, one LA at a time."""
    import logging
    import threading

    def warm() -> None:
        try:
            warm_up()
        except Exception:  # no warehouse yet, or a load in progress: pages compute on demand
            logging.getLogger(__name__).warning("could not pre-compute indicators", exc_info=True)

    threading.Thread(target=warm, name="warm-indicator-cache", daemon=True).start()
