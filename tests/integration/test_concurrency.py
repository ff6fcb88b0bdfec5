"""Concurrency (issue 8, part 3): while a load rebuilds and swaps the warehouse, ten threads keep
calling the dashboard's data endpoints (Dash callbacks, through the Flask app) with no errors, and
the running app shows the new data without a restart."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from indicators import store
from pipelines.load import ingest
from tests.integration.cin_builders import big_census

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cdop"
PAGES = ("/data-quality", "/cdop", "/")
FAILURE_TEXT = ("Something went wrong", "No data loaded yet", "Traceback")


def _route(client, pathname: str):
    body = {
        "output": "page-content.children",
        "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": pathname}],
        "state": [{"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["url.pathname"],
    }
    return client.post("/_dash-update-component", json=body)


@pytest.fixture
def served(tmp_path, monkeypatch):
    from dashboard.app import create_app

    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(tmp_path / "key"))
    warehouse = tmp_path / "curated" / "warehouse.duckdb"
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))
    ingest([FIXTURES / "cdop_302_2024-03-31.csv", FIXTURES / "population_302.csv"], warehouse, progress=None)
    app = create_app(demo=True, secret_dir=tmp_path / "secrets")
    return app, warehouse


def test_ten_readers_during_a_rebuild_see_no_errors_and_the_new_data(served, tmp_path):
    app, warehouse = served
    big = big_census(tmp_path / "raw" / "cin_concurrency.xml", 5_000, la="203")
    client = app.server.test_client()
    first = _route(client, "/data-quality")
    assert first.status_code == 200 and "cin_concurrency.xml" not in first.get_data(as_text=True)
    old_version = store.warehouse_version()

    stop = threading.Event()
    errors: list[str] = []
    calls = [0] * 10
    during_swap = [0] * 10  # calls that ran while the load was in progress

    def reader(n: int) -> None:
        c = app.server.test_client()
        i = 0
        while not stop.is_set():
            path = PAGES[(n + i) % len(PAGES)]
            i += 1
            try:
                response = _route(c, path)
                text = response.get_data(as_text=True)
                if response.status_code != 200 or any(f in text for f in FAILURE_TEXT):
                    errors.append(f"{path}: {response.status_code} {text[:200]}")
                cur = store.cursor()
                cur.execute("select count(*) from loads").fetchone()
                cur.close()
            except Exception as exc:  # noqa: BLE001 - any error at all fails the test
                errors.append(f"{path}: {exc!r}")
            calls[n] += 1
            if loading.is_set():
                during_swap[n] += 1

    loading = threading.Event()
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # readers are running before the load starts
    loading.set()
    started = time.perf_counter()
    ingest([big], warehouse, progress=None)
    seconds = time.perf_counter() - started
    loading.clear()
    time.sleep(0.5)  # and keep running after the swap
    stop.set()
    for t in threads:
        t.join(timeout=60)

    assert not errors, errors[:5]
    assert all(n > 0 for n in during_swap), (during_swap, seconds)
    assert sum(calls) >= 30
    # The running app picks up the new warehouse file without a restart.
    assert store.warehouse_version() != old_version
    after = _route(client, "/data-quality").get_data(as_text=True)
    assert "cin_concurrency.xml" in after
    cur = store.cursor()
    assert cur.execute("select count(*) from loads").fetchone()[0] == 3
