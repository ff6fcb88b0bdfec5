"""Per-LA access in the disclosure walk (issue 25 item 6): a user limited to one LA sees, on every page
and indicator view, exactly what a warehouse holding only that LA would show, whichever LA the address
asks for. So no row, count or name of another LA's children reaches a limited user's screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import indicators
from indicators import access
from pipelines.load import ingest
from tests.identifier_scan import component_text
from tests.integration.cin_builders import big_census
from viewmodels.state import FREQUENCIES, ViewState, to_query

ROLE = "board"
MINE, OTHER = "202", "856"
LOADED_AT = re.compile(r"\b\d{2} \w{3} \d{4} \d{2}:\d{2}\b")  # when a file was loaded differs by warehouse


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict[str, Path]:
    """Two warehouses from the same files and key: both LAs, and only the limited user's LA."""
    base = tmp_path_factory.mktemp("la-access-walk")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    mine = big_census(base / "mine.xml", 30, la=MINE)
    other = big_census(base / "other.xml", 20, la=OTHER)
    both, alone = base / "both.duckdb", base / "alone.duckdb"
    ingest([mine, other], both, progress=None)
    ingest([mine], alone, progress=None)
    yield {"both": both, "alone": alone}
    mp.undo()


def _screens(warehouse: Path, monkeypatch) -> dict[str, str]:
    """The text of every page and every indicator view (each breakdown, each frequency), for an
    address naming each LA, read from this warehouse."""
    from dashboard import app as shell
    from dashboard.pages import indicator as indicator_page

    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))
    out: dict[str, str] = {}
    for la in (MINE, OTHER):
        for freq in FREQUENCIES:
            query = to_query(ViewState(la=la, freq=freq))
            for path, (_, layout) in shell.PAGES.items():
                out[path + query] = component_text(layout(ROLE, query))
            for ind in indicators.registry().values():
                for by in (None, *ind.breakdowns):
                    q = to_query(ViewState(la=la, freq=freq, by=by))
                    out[f"/indicator/{ind.id}{q}"] = component_text(indicator_page.layout(ind.id, ROLE, q))
    return {where: LOADED_AT.sub("(load time)", text) for where, text in out.items()}


def test_a_limited_user_sees_what_a_warehouse_of_their_la_alone_shows(warehouses, monkeypatch):
    alone = _screens(warehouses["alone"], monkeypatch)
    with access.limited_to([MINE]):
        limited = _screens(warehouses["both"], monkeypatch)
    unlimited = _screens(warehouses["both"], monkeypatch)
    assert len(limited) > 100 and limited.keys() == alone.keys()
    differ = [where for where in alone if limited[where] != alone[where]]
    assert differ == [], f"{len(differ)} of {len(alone)} views differ, e.g. {differ[:5]}"
    # The walk can fail: without the limit, the other LA's data shows.
    assert any(unlimited[where] != alone[where] for where in alone)
