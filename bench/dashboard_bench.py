"""Benchmark: server-side callback work for the dashboard pages (152 LAs x 10 years in `make bench`).

Each call does what the page callback does: build the view (indicator values, suppression, SPC,
breakdowns), build the figures and tables, and serialise the result to JSON as Dash does.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

import plotly.io as pio

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LA_CODES = [str(c) for c in range(301, 321)]  # 20 synthetic LAs


def build_warehouse(out: Path) -> Path:
    """Generate and load 20 LAs x 10 years (cached in bench/out)."""
    from pipelines.demo.benchmark import generate_las

    target = out / "la20.duckdb"
    if target.exists():
        return target
    raw = out / "la20-raw"
    if not (raw / ".complete").exists():
        generate_las(raw, la_codes=LA_CODES, first_year=2017, last_year=2026, seed=11)
        (raw / ".complete").write_text("ok\n")
    from bench.national import safeguarding_cli

    safeguarding_cli("ingest", "--warehouse", target, raw, key_file=out / "bench.key")
    return target


def _serialise(component) -> int:
    return len(pio.json.to_json_plotly(component.to_plotly_json()))


def run(warehouse: Path, la_codes: list[str] = LA_CODES, calls: int = 200) -> dict:
    """Warm-up as the server does at start, then `calls` random views per page: p50 and p95."""
    from dashboard import server
    from dashboard.pages import indicator, overview
    from indicators.registry import registry
    from viewmodels.indicator import indicator_view
    from viewmodels.state import ViewState

    os.environ["SAFEGUARDING_WAREHOUSE"] = str(warehouse)
    rng = random.Random(7)
    ids = list(registry())
    started = time.perf_counter()
    server.warm_up()  # what `safeguarding serve` does in the background at start-up
    results = {"warm_cache_s": time.perf_counter() - started}
    for page in ("indicator", "scorecard"):
        timings = []
        for _ in range(calls):
            state = ViewState(la=rng.choice(la_codes), freq=rng.choice(["year", "quarter", "month"]))
            started = time.perf_counter()
            if page == "indicator":
                ind = rng.choice(ids)
                by = rng.choice([None, *registry()[ind].breakdowns])
                view = indicator_view(ind, state.with_(by=by), "board")
                _serialise(indicator.html.Div(indicator.content(view)))
            else:
                state, rows = overview.scorecard_rows(state, "board")
                _serialise(overview.scorecard_table(rows, ""))
            timings.append(time.perf_counter() - started)
        timings.sort()
        results[page] = {
            "calls": calls,
            "p50_ms": 1000 * statistics.median(timings),
            "p95_ms": 1000 * timings[int(0.95 * len(timings)) - 1],
            "first_call_ms": 1000 * timings[-1],
        }
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import json

    (HERE / "out").mkdir(exist_ok=True)
    print(json.dumps(run(build_warehouse(HERE / "out")), indent=2))
