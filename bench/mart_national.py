"""Benchmark of the indicator mart on the national warehouse (152 LAs x 10 census years, `make bench`).

Measured on the warehouse `bench.national` loads (its load built the mart, as every CLI load does):
- the full mart build (`mart.build`: every indicator, period, LA, the partnership and every
  breakdown), timed in place when the warehouse's mart was built by other code (so this code's mart
  is then read below), otherwise on a copy;
- the first indicator view and the first page from a cold process, with its peak RSS;
- the server side: the server's start-up (`dashboard.server.warm_up`), then 200 random indicator and
  scorecard callbacks over every LA (`bench.dashboard_bench`), with the process's peak RSS;
- one new LA-year: the Isles of Scilly (420, the one English LA the national set leaves out) is
  given a typical LA's population, its 2024-25 return is loaded into a copy of the national
  warehouse, then its 2025-26 return: the second load's mart refresh is timed (through the real
  load, `after_curate=mart.refresh`), and the LA's mart rows are compared with the unit-level
  computation for that LA on the whole warehouse.

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
from bench.warehouses import OUT, la_codes

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

# Asked in another process: this one must not hold the file open (the shared read connection) when
# it opens the warehouse to write.
IS_CURRENT = """
import json, sys
from indicators.mart import is_current
print(json.dumps({"current": is_current(sys.argv[1])}))
"""


def _full_build(warehouse: Path, base: Path) -> dict:
    """The full mart build, timed: in place when the warehouse's mart was built by other code (it
    must be rebuilt before it can be read), otherwise on a copy."""
    from indicators import mart

    current = _subprocess(IS_CURRENT, str(warehouse), env=dict(os.environ))["current"]
    target = warehouse if not current else base / "full.duckdb"
    if current:
        shutil.copyfile(warehouse, target)
    con = duckdb.connect(str(target))
    try:
        started = time.perf_counter()
        built = mart.build(con)
        seconds = time.perf_counter() - started
        rows = con.execute("select count(*) from indicator_mart").fetchone()[0]
    finally:
        con.close()
    if current:
        target.unlink()
    where = "on a copy" if current else "in place (the mart was built by other code)"
    return {"seconds": round(seconds, 1), "rows": rows, "scopes": len(built.full), "where": where}


def _new_la_year(warehouse: Path, base: Path) -> dict:
    """420's first year, then its second, into a copy of the warehouse: the second load's mart
    refresh, and the LA's mart rows against the unit-level computation on the whole warehouse."""
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
    compared, differ = _against_unit_level(target, NEW_LA)
    target.unlink()
    return {
        "la": NEW_LA,
        "file_mb": round(second.stat().st_size / 1e6, 1),
        "mart_refresh_s": round(seconds, 2),
        "rows_written": built.rows,
        "scopes_rebuilt_in_full": len(built.full),
        "scopes_updated": len(built.partial),
        "whole_load_s": round(load_s, 1),
        "rows_of_the_la": compared,
        "rows_differing_from_unit_level": differ,
    }


def _against_unit_level(warehouse: Path, la: str) -> tuple[int, int]:
    """The LA's mart rows against `engine.indicator_values` for that LA on the whole warehouse (the
    plain read path, every LA's tables): (rows compared, rows differing)."""
    from indicators import engine, mart, store
    from indicators.coverage import coverage, covered_periods
    from indicators.periods import PERIOD_KINDS
    from indicators.registry import registry

    con = store.connect(warehouse)
    compared = differ = 0
    keys = ["period", "breakdown", "group"]
    try:
        for indicator in registry().values():
            cov = coverage(con, indicator.sources)
            for kind in PERIOD_KINDS:
                periods = list(covered_periods(cov, kind, la))
                if not periods:
                    continue
                labels = tuple(p.label for p in periods)
                want = engine.indicator_values(con, indicator, periods, None, la)
                for breakdown, part in want.groupby("breakdown"):
                    got = mart.rows(con, indicator.id, labels, la, breakdown)
                    both = part.merge(got, on=keys, how="outer", suffixes=("", "_mart"), indicator=True)
                    same = (
                        (both["_merge"] == "both")
                        & (
                            both["numerator"].astype("Float64") == both["numerator_mart"].astype("Float64")
                        ).fillna(both["numerator"].isna() & both["numerator_mart"].isna())
                        & (
                            both["denominator"].astype("Float64")
                            == both["denominator_mart"].astype("Float64")
                        ).fillna(both["denominator"].isna() & both["denominator_mart"].isna())
                        & (both["status"] == both["status_mart"])
                    )
                    compared += len(both)
                    differ += int((~same).sum())
    finally:
        con.close()
    return compared, differ


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
    las = la_codes(warehouse)
    full_build = _full_build(warehouse, base)  # first: a mart built by other code is rebuilt here
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
        "full_build": full_build,
        "cold_start": _subprocess(FIRST_VIEW, str(warehouse), env=env),
        "server_side": _subprocess(SERVER_SIDE, str(warehouse), ",".join(las), env=env),
        "new_la_year": _new_la_year(warehouse, base),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
