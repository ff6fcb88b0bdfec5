"""Benchmark: every indicator x every period (year, quarter, month, rolling 12) x every breakdown."""

from __future__ import annotations

import time
from pathlib import Path

from indicators import api, engine, store
from indicators.registry import registry

FREQUENCIES = ("year", "quarter", "month", "rolling12")


def build_all(warehouse: Path) -> dict:
    """One query per indicator covering all frequencies and breakdowns; returns rows and seconds."""
    api._cached.cache_clear()
    started = time.perf_counter()
    periods = [p for f in FREQUENCIES for p in api.available_periods(f, warehouse=warehouse)]
    con = store.cursor(warehouse)
    rows = 0
    try:
        for ind in registry().values():
            rows += len(engine.indicator_values(con, ind, periods, None, None))
    finally:
        con.close()
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "periods": len(periods),
        "indicators": len(registry()),
    }


def build_via_api(warehouse: Path) -> dict:
    """The way the dashboard asks: per indicator and frequency, every breakdown read from cache."""
    api._cached.cache_clear()
    started = time.perf_counter()
    rows = 0
    for f in FREQUENCIES:
        for ind in registry().values():
            for by in (None, *ind.breakdowns):
                rows += len(api.series(ind.id, freq=f, by=by, warehouse=warehouse))
    return {"seconds": time.perf_counter() - started, "rows": rows}
