"""Published DfE comparators for an indicator page: this LA against England, its region and its
statistical neighbours, with rank, quartile band and trend (from indicators/benchmarks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

import indicators
from viewmodels.cells import fmt
from viewmodels.headline import comparison_words


@dataclass
class BenchmarkView:
    year: str
    rows: list[list[str]]
    series: pd.DataFrame  # period, series name, value: this LA, England, region, neighbour mean
    notes: str
    comparison: str = ""  # the published value against England and the neighbours, in words
    benchmark: object = None  # indicators.benchmarks.Benchmark (the map reads its LA and neighbours)
    year_rows: list[list[str]] | None = None  # the chart's figures: year, then each series' value
    year_headers: list[str] | None = None


def benchmark_view(indicator_id: str, la: str | None, period_end, warehouse=None) -> BenchmarkView | None:
    """Published DfE comparators for the year that contains the period end (or the latest
    published year before it). None when DfE publishes nothing for this indicator or LA."""

    if la is None:
        return None
    version = indicators.store.warehouse_version(warehouse)
    return _benchmark_view(
        version,
        indicator_id,
        la,
        period_end.year + (period_end.month > 3),
        str(warehouse) if warehouse else None,
    )


@lru_cache(maxsize=8192)  # indicators x LAs x years (small entries)
def _benchmark_view(version, indicator_id: str, la: str, year: int, warehouse) -> BenchmarkView | None:
    from indicators import benchmarks

    try:
        mine = benchmarks.published(indicator_id, la=la, warehouse=warehouse)
    except Exception:  # no published tables loaded
        return None
    mine = mine[mine["value"].notna() & (mine["time_period"] <= year)]
    if mine.empty:
        return None
    tp = int(mine["time_period"].max())
    b = benchmarks.benchmark(la, indicator_id, tp, warehouse=warehouse)
    ind = indicators.get(indicator_id)

    def show(v) -> str:
        return "" if v is None or pd.isna(v) else fmt(ind, v, False)

    rows = [
        [f"{b.la_name or la} (published)", show(b.value)],
        ["England", show(b.england)],
        [b.region_name or "Region", show(b.region_value)],
        [f"Statistical neighbours ({b.average} of {b.neighbour_count})", show(b.neighbour_average)],
        ["National rank", f"{b.rank} of {b.rank_of}" if b.rank else ""],
        [
            "Quartile band (A is best)" if b.band_is_judgement else "Quartile band (A lowest)",
            b.quartile_band or "",
        ],
        ["Trend over the last three years", f"{b.trend} ({b.trend_judgement})"],
    ]
    series = []
    for name, frame in (
        ("This LA", mine),
        ("England", benchmarks.published(indicator_id, level="National", warehouse=warehouse)),
    ):
        for r in frame[frame["value"].notna()].itertuples():
            series.append((r.period, r.time_period, name, float(r.value)))
    out = pd.DataFrame(series, columns=["period", "time_period", "series", "value"])
    out = out[out["time_period"] <= tp].sort_values("time_period")
    headers, year_rows = year_table(out, show)
    return BenchmarkView(
        b.period, rows, out, " ".join(b.notes), comparison_words(b, ind.decimals), b, year_rows, headers
    )


def year_table(series: pd.DataFrame, show) -> tuple[list[str], list[list[str]]]:
    """The published-by-year chart's figures as a table: a row per year, a column per series (in the
    chart's order), a blank where a series has no value that year; `show` formats a value."""
    names = list(dict.fromkeys(series["series"]))
    years = series.sort_values("time_period").drop_duplicates("period")["period"].tolist()
    value = {(r.period, r.series): r.value for r in series.itertuples()}
    return ["Year", *names], [[y, *(show(value.get((y, n))) for n in names)] for y in years]
