"""The indicator page's published-benchmark chart and England map, drawn once per indicator, LA and year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from charts.figures import benchmark_figure
from dashboard.england_map import MapView, england_map_figure, map_rows, map_view
from indicators import get, store
from viewmodels.benchmark import BenchmarkView, benchmark_view
from viewmodels.cells import fmt


@dataclass(frozen=True)
class DrawnBenchmarks:
    """What the page draws from one BenchmarkView: the same for every frequency, period and breakdown
    of an indicator and LA, so it is drawn once per warehouse file (and LA limit) rather than on every
    callback. The figures are shared: callers hand them to dcc.Graph and must not change them."""

    bench: BenchmarkView
    figure: object  # the published-by-year chart (charts.figures.benchmark_figure)
    map: MapView | None  # every LA's published value (dashboard.england_map), None when not drawn
    map_title: str = ""
    map_figure: dict | None = None
    map_rows: list[list[str]] | None = None


def drawn_benchmarks(indicator_id: str, la: str | None, period_end: date) -> DrawnBenchmarks | None:
    """The published comparators of the year holding `period_end` (viewmodels.benchmark.benchmark_view),
    drawn; None when DfE publishes nothing for this indicator or LA."""
    if la is None:
        return None
    year = period_end.year + (period_end.month > 3)  # the year ending 31 March that holds the period end
    return _drawn(store.warehouse_version(), indicator_id, la, year)


@lru_cache(maxsize=1024)  # indicators x LAs x years viewed
def _drawn(version: tuple, indicator_id: str, la: str, year: int) -> DrawnBenchmarks | None:
    b = benchmark_view(indicator_id, la, date(year, 3, 31))
    if b is None:
        return None
    ind = get(indicator_id)
    figure = benchmark_figure(b.series, f"{ind.short_title}: this LA and England, published", ind.unit)
    mv = map_view(b.benchmark, lambda v: fmt(ind, v, False)) if b.benchmark is not None else None
    if mv is None:
        return DrawnBenchmarks(b, figure, None)
    title = f"{ind.short_title}: every LA in England by quartile band, {mv.year}"
    return DrawnBenchmarks(b, figure, mv, title, england_map_figure(mv, title), map_rows(mv))
