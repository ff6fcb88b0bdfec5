"""The "compare LAs" view: the partnership's `la` breakdown, members named, the partnership beside them."""

from __future__ import annotations

import pandas as pd

from viewmodels.benchmark import benchmark_view
from vocabulary.partnership import PARTNERSHIP

PARTNERSHIP_LABEL = "Partnership (all members)"


def compare_las(view) -> tuple[pd.DataFrame, list[list[str]]]:
    """The breakdown cells to draw and the rows of its table. For the partnership's `la` breakdown each
    member is named ("Leicester (856)") and the partnership's own value is the last bar and row, as
    the trend shows it for the same period (so nothing is shown that the page does not show already);
    any other breakdown is returned as it is."""
    cells, rows = view.breakdown, view.breakdown_rows
    if view.state.by != "la" or view.state.la != PARTNERSHIP or view.trend is None or view.trend.empty:
        return cells, rows
    last = view.trend.iloc[-1]
    if last["period"] != view.breakdown_period:
        return cells, rows
    named = {code: f"{view.las.get(code, code)} ({code})" for code in cells["group"]}
    cells = pd.concat(
        [
            cells.assign(group=cells["group"].map(named)),
            pd.DataFrame(
                [{"group": PARTNERSHIP_LABEL, "value": last["value"], "suppressed": last.suppressed}]
            ),
        ],
        ignore_index=True,
    )
    rows = [[named.get(r[0], r[0]), *r[1:]] for r in rows] + [[PARTNERSHIP_LABEL, *view.trend_rows[-1][2:5]]]
    england = _england(view, last["period_end"])
    if england is not None:  # the published comparator, as one more bar and row
        label, value, shown = england
        cells = pd.concat([cells, pd.DataFrame([{"group": label, "value": value, "suppressed": False}])])
        rows.append([label, shown, "", ""])
    return cells.reset_index(drop=True), rows


def _england(view, period_end) -> tuple[str, float, str] | None:
    """England's published value for the year of the period (DfE, via the first member with one)."""
    for code in view.breakdown["group"]:
        bench = benchmark_view(view.indicator.id, code, period_end)
        b = bench.benchmark if bench is not None else None
        if b is not None and b.england is not None and not pd.isna(b.england):
            return f"England (published, {bench.year})", float(b.england), bench.rows[1][1]
    return None


def published_rows(view) -> list[list[str]]:
    """Each member's published DfE value beside England's and its region's, for the compare-LAs view
    (the latest published year up to the period shown); [] when DfE publishes nothing for it."""
    if view.state.by != "la" or view.state.la != PARTNERSHIP or view.trend is None or view.trend.empty:
        return []
    end = view.trend.iloc[-1]["period_end"]
    out = []
    for code in view.breakdown["group"]:
        bench = benchmark_view(view.indicator.id, code, end)
        if bench is not None:
            out.append([f"{view.las.get(code, code)} ({code})", bench.year, *(r[1] for r in bench.rows[:4])])
    return out


PUBLISHED_HEADERS = [
    "Member LA",
    "Published year",
    "LA (published)",
    "England",
    "Region",
    "Statistical neighbours",
]
