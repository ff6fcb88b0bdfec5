"""Time the quarterly exception report (build, charts, HTML, PDF) on the demo warehouse.

Goal (issue 9): a 10-exception report in under 30 s. The demo LA has at most 7 exceptions in a quarter, so the
benchmark times the real 7-exception report (2022-23-Q3, analyst role) and also a 10-section report: the same
report with three more indicators given full exception sections (chart, breakdown, benchmarks), costing what
three more real exceptions would.

    .venv/bin/python bench/report_bench.py [WAREHOUSE]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from reports import build  # noqa: E402
from reports.exceptions import Assessment, Reason  # noqa: E402
from reports.render import write_report  # noqa: E402

QUARTER, LA, ROLE = "2022-23-Q3", "856", "analyst"
GOAL_SECONDS = 30.0


def _forced(report: build.Report, total: int, warehouse: str) -> build.Report:
    """Give non-exception indicators exception sections until `total` sections exist (bench only)."""
    from indicators.periods import parse_period
    from indicators.targets import load_targets
    from viewmodels.indicator import indicator_view
    from viewmodels.state import ViewState

    end = parse_period(report.quarter, "quarter").end
    for entry in report.entries:
        if len(report.exceptions) >= total:
            break
        if entry.is_exception or entry.no_data:
            continue
        ind = entry.indicator
        view = indicator_view(
            ind.id, ViewState(la=report.la, freq="quarter", end=report.quarter), report.role, warehouse
        )
        entry.assessment = Assessment(
            entry.assessment.snapshot, [Reason("target", f"{ind.short_title} (bench)")]
        )
        entry.charts.append(
            build._trend_chart(
                ind, view, load_targets().target_for(ind.id, report.la, end), report.quarter, report.la_name
            )
        )
        explanation, chart = build._explain(
            ind, report.quarter, entry.assessment.snapshot.prev_period, report.la, report.role, warehouse
        )
        entry.explanation = explanation
        if chart is not None:
            entry.charts.append(chart)
        entry.benchmarks = build._benchmarks(ind, report.la, end, warehouse)
    return report


def _time(
    warehouse: str, sections: int | None, quarter: str = QUARTER, la: str = LA, role: str = ROLE
) -> dict:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        report = build.build_report(quarter, la, role, warehouse)
        if sections:
            report = _forced(report, sections, warehouse)
        built = time.perf_counter() - t0
        written = write_report(report, Path(out))
        total = time.perf_counter() - t0
        return {
            "exceptions": len(report.exceptions),
            "charts": written.charts,
            "seconds": round(total, 2),
            "build_seconds": round(built, 2),
            **{f"{k}_seconds": round(v, 2) for k, v in written.seconds.items()},
            "pdf_kb": round(written.pdf.stat().st_size / 1024),
        }


def run(warehouse: str | Path | None = None) -> dict:
    """Time the real report for the quarter and a 10-exception report; the goal is under 30 s."""
    if warehouse is None:
        from bench.warehouses import demo_warehouse

        warehouse = demo_warehouse()
    wh = str(warehouse)
    build.build_report(QUARTER, LA, ROLE, wh)  # warm the warehouse file cache, as a second run would be
    real = _time(wh, None)
    ten = _time(wh, 10)
    return {
        "quarter": QUARTER,
        "la": LA,
        "role": ROLE,
        "real": real,
        "ten_exceptions": ten,
        "goal_seconds": GOAL_SECONDS,
        "meets_goal": ten["seconds"] < GOAL_SECONDS,
    }


def run_once(warehouse: str | Path, quarter: str, la: str, role: str = ROLE) -> dict:
    """The real report for one LA and quarter (e.g. on the national warehouse), first run and again."""
    wh = str(warehouse)
    first = _time(wh, None, quarter, la, role)
    second = _time(wh, None, quarter, la, role)
    return {"quarter": quarter, "la": la, "role": role, "first": first, "second": second}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else None), indent=2))
