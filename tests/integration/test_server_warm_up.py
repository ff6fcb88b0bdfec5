"""The server's start-up (dashboard.server.warm_up): nothing is pre-computed when the warehouse holds a
current indicator mart, and every indicator and scorecard is when it does not."""

from __future__ import annotations

import pytest

from dashboard import app, server
from dashboard.pages import overview
from indicators import api, mart
from pipelines.load import ingest
from tests.integration.front_door_history import write_fixture_files


@pytest.fixture()
def calls(monkeypatch):
    """Which pre-computations warm_up asked for (recorded, not run)."""
    made: list[str] = []
    monkeypatch.setattr(api, "warm_cache", lambda *a, **k: made.append("indicators"))
    monkeypatch.setattr(overview, "warm_scorecards", lambda *a, **k: made.append("scorecards"))
    monkeypatch.setitem(app._STATE, "warm", False)
    return made


def _warehouse(tmp_path, monkeypatch, with_mart: bool):
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(tmp_path / "key"))
    target = tmp_path / "warehouse.duckdb"
    hook = mart.refresh if with_mart else None
    ingest(write_fixture_files(tmp_path / "raw"), target, progress=None, after_curate=hook)
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(target))
    return target


def test_with_a_current_mart_the_server_computes_nothing_at_start(tmp_path, monkeypatch, calls):
    _warehouse(tmp_path, monkeypatch, with_mart=True)
    server.warm_up()
    assert calls == []
    assert app._STATE["warm"] is True


def test_without_a_mart_the_server_computes_every_indicator_and_scorecard(tmp_path, monkeypatch, calls):
    _warehouse(tmp_path, monkeypatch, with_mart=False)
    server.warm_up()
    assert calls == ["indicators", "scorecards"]
    assert app._STATE["warm"] is True
