"""Read-only access to the curated warehouse, with the helper relations indicator SQL expects."""

from __future__ import annotations

import os
import threading
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from indicators import access
from vocabulary import settings
from vocabulary.settings import resolve_warehouse

CALENDAR_FIRST = date(1990, 1, 1)
CALENDAR_LAST = date(2040, 12, 31)


class WarehouseMissing(FileNotFoundError):
    """There is no warehouse yet: load data first."""


@cache
def working_day_calendar() -> pa.Table:
    """Every day 1990-2040 with the count of England and Wales working days up to and including it."""
    from indicators.working_days import working_days_between_arrays

    days = np.arange(np.datetime64(CALENDAR_FIRST), np.datetime64(CALENDAR_LAST) + 1, dtype="datetime64[D]")
    base = np.full(days.shape, np.datetime64(CALENDAR_FIRST) - 1, dtype="datetime64[D]")
    numbers = working_days_between_arrays(base, days)
    return pa.table(
        {
            "day": pa.array(days, type=pa.date32()),
            "working_day_number": pa.array(numbers.astype(np.int32), type=pa.int32()),
        }
    )


def warehouse_version(path: str | Path | None = None) -> tuple:
    """Identity of the current warehouse file (changes whenever a load swaps in a new file) and of the
    caller's LA limit (indicators.access), so every cache keyed by it is kept apart per limit."""
    return (*_file_version(path), access.current_scope())


def _file_version(path: str | Path | None = None) -> tuple[str, int, int]:
    p = resolve_warehouse(path)
    if not p.exists():
        raise WarehouseMissing(
            f"no warehouse at {p}: run `safeguarding demo` or `safeguarding ingest FILE...` first"
        )
    st = os.stat(p)
    return (str(p.resolve()), st.st_ino, st.st_mtime_ns)


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection with the `working_days` calendar registered."""
    p = resolve_warehouse(path)
    if not p.exists():
        raise WarehouseMissing(
            f"no warehouse at {p}: run `safeguarding demo` or `safeguarding ingest FILE...` first"
        )
    # A private in-memory database that ATTACHes the file: duckdb.connect(path) would hand back
    # the process's cached instance for that path while any old connection is still open, i.e.
    # the file that a load has just replaced (tests/integration/test_concurrency.py).
    limit = settings.get("limits.read_memory")  # bounds the blocks DuckDB keeps cached for a server
    con = duckdb.connect(":memory:", config={"memory_limit": limit} if limit else {})
    con.execute("ATTACH '{}' AS warehouse (READ_ONLY)".format(str(p.resolve()).replace("'", "''")))
    con.execute("USE warehouse")
    calendar = working_day_calendar()
    con.register("working_days", calendar)
    return con


_OPEN: dict[str, tuple[tuple, duckdb.DuckDBPyConnection, tuple[str, ...] | None]] = {}
_LOCK = threading.Lock()


def cursor(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on a shared read-only connection; a new connection opens when the file changes.

    Loads replace the warehouse file atomically, so a changed inode means new data: the app picks
    it up without a restart, while queries already running finish on the old file.
    """
    version = _file_version(path)
    key = version[0]
    with _LOCK:
        held = _OPEN.get(key)
        if held is None or held[0] != version:
            _OPEN[key] = (version, connect(path), None)
        con, tables = _OPEN[key][1], _OPEN[key][2]
        scope = access.current_scope()
        if scope is not None and tables is None:
            tables = access.limited_tables(con)
            _OPEN[key] = (version, con, tables)
    cur = con.cursor()
    cur.execute("USE warehouse")  # USE is per connection; a cursor is a new connection
    cur.register("working_days", working_day_calendar())
    access.limit_cursor(cur, scope, tables or ())
    return cur


def sql(query: str, params: dict | list | None = None, warehouse: str | Path | None = None) -> pd.DataFrame:
    """Run read-only SQL on the curated warehouse (values go in `params`, never in the text)."""
    con = cursor(warehouse)
    try:
        return con.execute(query, params or []).df()
    finally:
        con.close()


def health_check(path: str | Path | None = None) -> tuple[bool, str]:
    """Open the warehouse and read a row of every table: (True, 'ok' or 'missing') or
    (False, why it cannot be read, with what to do). Used by /health and `safeguarding serve`."""
    p = resolve_warehouse(path)
    if not p.exists():
        return True, "missing"
    version = _file_version(p)
    if _HEALTHY.get(version[0]) == version:  # this very file was read in full already
        return True, "ok"
    try:
        con = connect(p)
        try:
            tables = con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'warehouse'"
            ).fetchall()
            for schema, table in tables:
                con.execute(f'select * from "{schema}"."{table}" limit 1').fetchall()
        finally:
            con.close()
    except (duckdb.Error, OSError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return False, (
            f"the warehouse cannot be read ({detail}): restore it from backup, or move it aside and "
            "rebuild it with `safeguarding ingest` (or `safeguarding demo`)"
        )
    _HEALTHY[version[0]] = version
    return True, "ok"


_HEALTHY: dict[str, tuple] = {}
