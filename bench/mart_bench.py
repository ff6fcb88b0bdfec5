"""Benchmark of the indicator mart on the demo partnership: full and incremental builds, cold start.

Measured side by side in one run, on the warehouse `safeguarding demo --partnership` builds (LAs 856,
855 and 857, ten census years each, all three in the partnership):
- the full mart build, and the incremental one when 857's latest census return is loaded into a
  warehouse holding everything else (through the real load, `after_curate=mart.refresh`);
- the first indicator view from a cold process, reading the mart against computing (the same
  warehouse with its mart removed), with each process's peak RSS.

    .venv/bin/python -m bench.mart_bench
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

from bench.warehouses import OUT

ROOT = Path(__file__).resolve().parents[1]
SAFEGUARDING = [sys.executable, "-m", "safeguarding.cli"]
LAST_RETURN = "cin_census_857_2026.xml"  # the one LA-year loaded last
OTHER_LA = "873"  # an LA outside the partnership (a quarter of the demo LA's size), two years
# Prepended to each subprocess's script: its peak RSS in MB, from VmHWM, not ru_maxrss, which Linux
# carries from the parent across fork and exec.
PEAK_RSS = """
import re


def peak_rss_mb():
    return round(int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) / 1024)
"""
FIRST_VIEW = (
    PEAK_RSS
    + """
import json, sys, time
started = time.perf_counter()
import indicators
indicators.series("cpp_repeat_pct", la="856", freq="quarter", warehouse=sys.argv[1])
first = time.perf_counter() - started
indicators.series("cpp_repeat_pct", la="856", freq="quarter", by="ethnic_group", warehouse=sys.argv[1])
indicators.latest(la="856", freq="quarter", warehouse=sys.argv[1])
page = time.perf_counter() - started
print(json.dumps({"first_view_s": round(first, 3), "first_page_s": round(page, 3),
                  "peak_rss_mb": peak_rss_mb()}))
"""
)


def _demo(base: Path, env: dict[str, str]) -> tuple[Path, float]:
    warehouse = base / "demo.duckdb"
    started = time.perf_counter()
    cmd = [*SAFEGUARDING, "demo", "--partnership", "--warehouse", str(warehouse), "--out", str(base / "raw")]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
    return warehouse, time.perf_counter() - started


def _incremental(base: Path, env: dict[str, str]) -> dict:
    """Everything but 857's last return, then that return alone: the second load's mart time. Then
    one LA-year of an LA outside the partnership (OTHER_LA), whose first year was loaded before."""
    from indicators import mart
    from pipelines.load import expand_paths, ingest
    from vocabulary.reference import reference_paths

    os.environ.update(env)
    raw = base / "raw"
    from pipelines.demo.benchmark import generate_las

    other = generate_las(base / "other", la_codes=[OTHER_LA], first_year=2025, last_year=2026, scale=0.25)
    other_last = next(p for p in other if p.name.endswith("_2026.xml"))
    files = [p for p in expand_paths([raw, raw / "partnership"]) if p.name != LAST_RETURN]
    files += [p for p in other if p != other_last]
    target = base / "incremental.duckdb"
    target.unlink(missing_ok=True)
    timings: list[tuple[float, mart.MartBuild]] = []

    def timed(con, loaded):
        started = time.perf_counter()
        built = mart.refresh(con, loaded)
        timings.append((time.perf_counter() - started, built))

    from safeguarding.cli import DEMO_REFERENCE

    with reference_paths(*DEMO_REFERENCE) as reference:
        ingest(files + list(reference), target, progress=None, after_curate=timed)
    started = time.perf_counter()
    ingest([raw / "partnership" / LAST_RETURN], target, progress=None, after_curate=timed)
    load_s = time.perf_counter() - started
    ingest([other_last], target, progress=None, after_curate=timed)
    other_s, other_built = timings[-1]
    copy = base / "rebuilt.duckdb"
    shutil.copyfile(target, copy)
    con = duckdb.connect(str(copy))
    try:
        started = time.perf_counter()
        mart.build(con)
        full_s = time.perf_counter() - started
        rows = con.execute("select count(*) from indicator_mart").fetchone()[0]
    finally:
        con.close()
    (incremental_s, built) = timings[-2]
    return {
        "mart_rows": rows,
        "full_build_s": round(full_s, 2),
        "incremental_one_la_year_s": round(incremental_s, 2),
        "incremental_rows": built.rows,
        "incremental_pairs_rebuilt_in_full": len(built.full),
        "incremental_pairs_updated": len(built.partial),
        "incremental_load_total_s": round(load_s, 2),
        "speed_ratio": round(full_s / incremental_s, 2),
        "incremental_other_la_year_s": round(other_s, 2),
        "incremental_other_la_rows": other_built.rows,
        "other_speed_ratio": round(full_s / other_s, 1),
    }


def _cold_start(warehouse: Path, base: Path, env: dict[str, str]) -> dict:
    """The first view in a fresh process, with the mart and with the mart removed (computed)."""
    without = base / "no_mart.duckdb"
    shutil.copyfile(warehouse, without)
    con = duckdb.connect(str(without))
    con.execute("drop table indicator_mart_builds")
    con.execute("drop table indicator_mart")
    con.close()
    out = {}
    for name, path in (("mart", warehouse), ("computed", without)):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_VIEW, str(path)], env=env, cwd=ROOT, check=True, capture_output=True
        )
        out[name] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    out["first_view_ratio"] = round(out["computed"]["first_view_s"] / out["mart"]["first_view_s"], 1)
    return out


SERVER_SIDE = (
    PEAK_RSS
    + """
import json, sys
from pathlib import Path
from bench import dashboard_bench
out = dashboard_bench.run(Path(sys.argv[1]), ["856", "855", "857"], calls=100)
print(json.dumps({"warm_up_s": round(out["warm_cache_s"], 2), "indicator_p95_ms": out["indicator"]["p95_ms"],
                  "scorecard_p95_ms": out["scorecard"]["p95_ms"], "peak_rss_mb": peak_rss_mb()}))
"""
)


def _server_side(warehouse: Path, env: dict[str, str]) -> dict:
    """The dashboard's start-up warm-up and 100 random indicator and scorecard callbacks (server side,
    bench/dashboard_bench.py), reading the mart and computing (the warehouse of _cold_start without it)."""
    out = {}
    for name, path in (("mart", warehouse), ("computed", warehouse.parent / "no_mart.duckdb")):
        done = subprocess.run(
            [sys.executable, "-c", SERVER_SIDE, str(path)], env=env, cwd=ROOT, check=True, capture_output=True
        )
        out[name] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return out


def run(base: Path | None = None) -> dict:
    base = base or OUT / "mart"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    env = {**os.environ, "SAFEGUARDING_KEY_FILE": str(base / "key"), "SAFEGUARDING_AUDIT_LOG": os.devnull}
    load_at_start = os.getloadavg()[0]  # a shared machine: said with the results
    warehouse, demo_s = _demo(base, env)
    out = {
        "warehouse": "demo partnership (856, 855, 857; 2016-17 to 2025-26)",
        "demo_load_with_mart_s": round(demo_s, 1),
        "builds": _incremental(base, env),
        "cold_start": _cold_start(warehouse, base, env),
        "server_side": _server_side(warehouse, env),
    }
    return out | {"load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)]}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
