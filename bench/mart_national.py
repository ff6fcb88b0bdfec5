"""Benchmark of the indicator mart on the national warehouse (152 LAs x 10 census years, `make bench`).

Measured on the warehouse `bench.national` loads (its load built the mart, as every CLI load does):
- one new LA-year: the Isles of Scilly (420, the one English LA the national set leaves out) is
  given a typical LA's population, its 2024-25 return is loaded into a copy of the national
  warehouse, then its 2025-26 return: the second load's mart refresh is timed (through the real
  load, `after_curate=mart.refresh`); then the full mart build of that copy is timed (`mart.build`:
  every indicator, period, LA, the partnership and every breakdown) and the LA's incremental rows
  are checked against it;
- the first indicator view and the first page from a cold process, with its peak RSS;
- the server side: 200 random indicator and scorecard callbacks (`bench.dashboard_bench`, which
  starts as `safeguarding serve` does), with the process's peak RSS.

    .venv/bin/python -m bench.mart_national
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.mart_bench import FIRST_VIEW, PEAK_RSS, ROOT
from bench.national import national_warehouse
from bench.warehouses import OUT

NEW_LA = "420"
NEW_LA_CHILDREN = 60_000.0  # about the median English LA's 0-17 population
SERVER_SIDE = (
    PEAK_RSS
    + """
import json, sys
from pathlib import Path
from bench import dashboard_bench
out = dashboard_bench.run(Path(sys.argv[1]), sys.argv[2].split(","), calls=200)
print(json.dumps({"start_up_s": round(out["warm_cache_s"], 2),
                  "indicator_p50_ms": round(out["indicator"]["p50_ms"], 1),
                  "indicator_p95_ms": round(out["indicator"]["p95_ms"], 1),
                  "scorecard_p95_ms": round(out["scorecard"]["p95_ms"], 1), "peak_rss_mb": peak_rss_mb()}))
"""
)


def _la_codes(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [c for (c,) in con.execute("select distinct la_code from cp_plans order by 1").fetchall()]
    finally:
        con.close()


def _new_la_year_and_full_build(warehouse: Path, base: Path) -> dict:
    """420's first year, then its second: the second load's mart refresh; then a full build of the
    same warehouse, timed, and the LA's incremental rows against it."""
    from indicators import mart
    from pipelines.demo.benchmark import generate_las
    from pipelines.load import ingest

    files = generate_las(
        base / "new-la",
        la_codes=[NEW_LA],
        first_year=2025,
        last_year=2026,
        seed=11,
        populations={NEW_LA: NEW_LA_CHILDREN},
    )
    first, second = sorted(files)
    target = base / "incremental.duckdb"
    shutil.copyfile(warehouse, target)
    timings: list[tuple[float, mart.MartBuild]] = []

    def timed(con, loaded):
        started = time.perf_counter()
        built = mart.refresh(con, loaded)
        timings.append((time.perf_counter() - started, built))

    ingest([first], target, progress=None, after_curate=timed)
    started = time.perf_counter()
    ingest([second], target, progress=None, after_curate=timed)
    load_s = time.perf_counter() - started
    seconds, built = timings[-1]
    con = duckdb.connect(str(target))
    try:
        incremental = con.execute(
            "select count(*) from indicator_mart where la_code = ?", [NEW_LA]
        ).fetchone()[0]
        con.execute(
            "create table incremental_rows as select * from indicator_mart where la_code = ?", [NEW_LA]
        )
        started = time.perf_counter()
        full = mart.build(con)
        full_s = time.perf_counter() - started
        full_rows = con.execute("select count(*) from indicator_mart").fetchone()[0]
        differ = con.execute(
            """select count(*) from (
                 (select * exclude (value), round(value, 9) as v from incremental_rows
                  except all select * exclude (value), round(value, 9) from indicator_mart where la_code = ?)
                 union all
                 (select * exclude (value), round(value, 9) from indicator_mart where la_code = ?
                  except all select * exclude (value), round(value, 9) as v from incremental_rows))""",
            [NEW_LA, NEW_LA],
        ).fetchone()[0]
    finally:
        con.close()
    target.unlink()
    new_la_year = {
        "la": NEW_LA,
        "file_mb": round(second.stat().st_size / 1e6, 1),
        "mart_refresh_s": round(seconds, 2),
        "rows_written": built.rows,
        "scopes_rebuilt_in_full": len(built.full),
        "scopes_updated": len(built.partial),
        "whole_load_s": round(load_s, 1),
        "rows_of_the_la": incremental,
        "rows_differing_from_full_build": differ,
    }
    full_build = {"seconds": round(full_s, 1), "rows": full_rows, "scopes": len(full.full)}
    return {"full_build": full_build, "new_la_year": new_la_year}


def _subprocess(script: str, *args: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def run() -> dict:
    warehouse, loaded = national_warehouse(OUT)
    base = OUT / "mart-national"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    env = {
        **os.environ,
        "SAFEGUARDING_KEY_FILE": str(OUT / "bench.key"),
        "SAFEGUARDING_AUDIT_LOG": os.devnull,
    }
    os.environ.update(env)
    las = _la_codes(warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        mart_rows = con.execute("select count(*) from indicator_mart").fetchone()[0]
    finally:
        con.close()
    return {
        "warehouse": f"national ({len(las)} LAs, {loaded['gb']} GB of XML)",
        "warehouse_gb": round(warehouse.stat().st_size / 1e9, 2),
        "mart_rows": mart_rows,
        "load_seconds_with_mart": loaded["load_seconds"],
        "cold_start": _subprocess(FIRST_VIEW, str(warehouse), env=env),
        "server_side": _subprocess(SERVER_SIDE, str(warehouse), ",".join(las), env=env),
        **_new_la_year_and_full_build(warehouse, base),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
