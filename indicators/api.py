"""The analyst API: indicator series and latest values as tidy pandas DataFrames (read-only)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from indicators import engine, store
from indicators.periods import Period, parse_period, periods_between
from indicators.registry import Indicator, get, registry
from indicators.targets import load_targets, rag

Frequency = Literal["year", "quarter", "month", "rolling12"]
RESULT_COLUMNS = ["indicator_id", "period", "frequency", "period_start", "period_end", "la_code",
                  "breakdown", "group", "numerator", "denominator", "value", "unit", "target",
                  "rag", "status"]


@lru_cache(maxsize=1)
def _target_book():
    return load_targets()


def _with_targets(df: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    book = _target_book()
    targets, rags = [], []
    for row in df.itertuples(index=False):
        target = book.target_for(indicator.id, row.la_code, row.period_end)
        targets.append(target.describe() if target else None)
        value = None if pd.isna(row.value) else row.value
        rags.append(rag(value, target, indicator.polarity) if row.breakdown == "total" else "none")
    return df.assign(target=targets, rag=rags)[RESULT_COLUMNS]


def available_periods(frequency: Frequency = "year", la: str | None = None,
                      warehouse: str | Path | None = None) -> list[Period]:
    """Complete periods of this frequency that the loaded census returns cover."""
    con = store.connect(warehouse)
    try:
        cov = engine.coverage(con)
    finally:
        con.close()
    spans = cov.spans.get(la, []) if la else [s for v in cov.spans.values() for s in v]
    if not spans:
        return []
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    return [p for p in periods_between(first, last, frequency)
            if any(cov.covers(code, p) for code in ([la] if la else cov.spans))]


@lru_cache(maxsize=512)
def _cached(version: tuple, indicator_id: str, labels: tuple[str, ...], by: str,
            la: str | None, warehouse: str | None) -> pd.DataFrame:
    indicator = get(indicator_id)
    periods = [parse_period(label) for label in labels]
    con = store.connect(warehouse)
    try:
        df = engine.indicator_values(con, indicator, periods, by, la)
    finally:
        con.close()
    return _with_targets(df, indicator)


def values(indicator_id: str, periods: list[Period | str], la: str | None = None,
           by: str | None = None, warehouse: str | Path | None = None) -> pd.DataFrame:
    """Values of one indicator at the given periods (labels like '2023-24', '2024-25-Q3')."""
    labels = tuple(p.label if isinstance(p, Period) else parse_period(p).label for p in periods)
    wh = str(warehouse) if warehouse else None
    if not labels:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    df = _cached(store.warehouse_version(warehouse), indicator_id, labels, by or "total", la, wh)
    return df.copy()


def series(indicator_id: str, la: str | None = None, freq: Frequency = "year",
           by: str | None = None, warehouse: str | Path | None = None) -> pd.DataFrame:
    """Every covered period of `freq` for one indicator, optionally broken down.

    Returns a tidy DataFrame: indicator_id, period, frequency, period_start, period_end,
    la_code, breakdown, group, numerator, denominator, value, unit, target, rag, status.

    >>> series("cpp_repeat_pct", la="856", freq="quarter", by="ethnic_group")  # doctest: +SKIP
    """
    return values(indicator_id, available_periods(freq, la, warehouse), la, by, warehouse)


def latest(indicator_id: str | None = None, la: str | None = None, freq: Frequency = "year",
           warehouse: str | Path | None = None) -> pd.DataFrame:
    """The latest covered period's value of one indicator, or of every indicator."""
    periods = available_periods(freq, la, warehouse)
    if not periods:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    ids = [indicator_id] if indicator_id else list(registry())
    return pd.concat([values(i, [periods[-1]], la, None, warehouse) for i in ids],
                     ignore_index=True)


def sql(query: str, params: dict | list | None = None,
        warehouse: str | Path | None = None) -> pd.DataFrame:
    """Run read-only SQL on the curated warehouse (values go in `params`, never in the text)."""
    con = store.connect(warehouse)
    try:
        return con.execute(query, params or []).df()
    finally:
        con.close()


