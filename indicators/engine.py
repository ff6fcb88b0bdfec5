"""Computes indicator values: runs an indicator's unit SQL, adds breakdowns, aggregates, rates."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from indicators.coverage import Coverage, coverage
from indicators.enrich import (
    MULTI_VALUED,
    enriched_sql,
    la_params,
    multi_valued_units,
    periods_frame,
    shares_of_total,
)
from indicators.periods import Period
from indicators.registry import Indicator
from indicators.rollup import aggregate_by_month
from vocabulary.partnership import PARTNERSHIP, partnership

# The columns of indicator_values, in order (the analyst API adds target and rag before status).
VALUE_COLUMNS = [
    "indicator_id",
    "period",
    "frequency",
    "period_start",
    "period_end",
    "la_code",
    "breakdown",
    "group",
    "numerator",
    "denominator",
    "value",
    "unit",
    "status",
]


def aggregate(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    periods: list[Period],
    breakdowns: tuple[str, ...] | None = None,
    la_code: str | None = None,
) -> pd.DataFrame:
    """Numerator and denominator per period, LA, breakdown and group, in one pass.

    The unit rows are enriched once (materialised) and grouped once per breakdown.
    """
    wanted = ("total",) + tuple(breakdowns if breakdowns is not None else indicator.breakdowns)
    for b in wanted:
        if b != "total" and b not in indicator.breakdowns:
            raise ValueError(
                f"{indicator.id} cannot be broken down by {b!r}; allowed: {', '.join(indicator.breakdowns)}"
            )
    if rolls_up_months(indicator):
        rolled = aggregate_by_month(con, indicator, periods, wanted, la_code)
        if rolled is not None:
            return shares_of_total(rolled)
    run_periods = _one_per_end(periods) if indicator.measured_at == "period_end" else periods
    con.register("periods", periods_frame(run_periods))
    median = ", median(numerator)::double as median_value" if indicator.statistic == "median" else ""
    groupings = "\nunion all\n".join(_grouping(b, median) for b in wanted)
    query = f"""
        {enriched_sql(con, indicator, wanted, la_code)}
        {groupings}
    """
    raw = shares_of_total(con.execute(query, la_params(la_code) | indicator.sql_params()).df())
    if run_periods is periods:
        return raw
    # Hand each shared computation to every period that ends on that day.
    rep = {p.end: p.label for p in run_periods}
    labels = pd.DataFrame({"period": [rep[p.end] for p in periods], "label": [p.label for p in periods]})
    out = raw.merge(labels, on="period").drop(columns="period").rename(columns={"label": "period"})
    return out[raw.columns]


def _grouping(breakdown: str, median: str) -> str:
    """The numerator and denominator of each group of one breakdown over `enriched`. A multi-valued
    breakdown's groups count their units; their denominators come from the total (shares_of_total)."""
    if breakdown in MULTI_VALUED:  # a ratio only (indicators/registry.py)
        return (
            f"select period, la_code, '{breakdown}' as breakdown, grp as \"group\", "
            f"units::bigint as numerator, null::bigint as denominator "
            f"from {multi_valued_units(breakdown)}"
        )
    return (
        f"select period, la_code, '{breakdown}' as breakdown, grp_{breakdown} as \"group\", "
        f"sum(numerator)::bigint as numerator, sum(denominator)::bigint as denominator{median} "
        f"from enriched group by period, la_code, grp_{breakdown}"
    )


def in_label_order(df: pd.DataFrame, labels: tuple[str, ...]) -> pd.DataFrame:
    """The rows ordered by their period's position in `labels` (stable within a period)."""
    order = {label: n for n, label in enumerate(labels)}
    return df.iloc[df["period"].map(order).argsort(kind="stable")]


def rolls_up_months(indicator: Indicator) -> bool:
    """Computed month by month and summed into longer periods (indicators/rollup.py), so asking for
    more periods costs little more."""
    return indicator.measured_at == "event_month" and indicator.statistic == "ratio"


def _one_per_end(periods: list[Period]) -> list[Period]:
    """The first period ending on each distinct day."""
    first: dict[date, Period] = {}
    for p in periods:
        first.setdefault(p.end, p)
    return list(first.values())


def mid_year_for(period_end: date) -> int:
    """DfE rates use the latest ONS mid-year (30 June) estimate on or before the period end:
    mid-2023 for the year ending 31 March 2024."""
    return period_end.year if (period_end.month, period_end.day) >= (6, 30) else period_end.year - 1


def _population_lookup(con: duckdb.DuckDBPyConnection) -> dict[str, dict[int, int]]:
    rows = con.execute(
        "select old_la_code, year, population from population "
        "where geographic_level = 'Local authority' and population is not null "
        "and old_la_code is not null"
    ).fetchall()
    out: dict[str, dict[int, int]] = {}
    for la, year, pop in rows:
        out.setdefault(la, {})[year] = pop
    members = [out.get(la, {}) for la in partnership().la_codes]
    years = set.intersection(*(set(m) for m in members))  # years every member has an estimate for
    if years:
        out[PARTNERSHIP] = {y: sum(m[y] for m in members) for y in years}
    return out


def _area_population_lookup(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[int, int]]:
    rows = con.execute("select la_code, area_name, year, population_0_17 from area_population").fetchall()
    out: dict[tuple[str, str], dict[int, int]] = {}
    for la, area, year, pop in rows:
        out.setdefault((la, area), {})[year] = pop
        if la in partnership().la_codes:  # areas lie within one member LA
            out.setdefault((PARTNERSHIP, area), {})[year] = pop
    return out


def _pick_year(by_year: dict[int, int] | None, wanted: int) -> tuple[int | None, str]:
    """The estimate for `wanted`, else the latest earlier one (carried forward, and said so)."""
    if not by_year:
        return None, "no population estimate"
    if wanted in by_year:
        return by_year[wanted], "ok"
    earlier = [y for y in by_year if y < wanted]
    if earlier:
        y = max(earlier)
        return by_year[y], f"population carried forward from {y}"
    return None, "no population estimate"


def indicator_values(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    periods: list[Period],
    breakdowns: tuple[str, ...] | None = None,
    la_code: str | None = None,
) -> pd.DataFrame:
    """Tidy values: one row per period, LA and group, with value and a plain-words status.

    Periods the loaded data does not cover are returned with value None and status
    'not covered by loaded data' rather than a misleading zero.
    """
    raw = aggregate(con, indicator, periods, breakdowns, la_code)
    cov = coverage(con, indicator.sources)
    las = [la_code] if la_code else cov.las
    by_label = {p.label: p for p in periods}
    # Every period x LA gets a total row, even when nothing happened (a real zero).
    grid = pd.DataFrame(
        [(p.label, la, "total", "All") for p in periods for la in las],
        columns=["period", "la_code", "breakdown", "group"],
    )
    totals = grid.merge(
        raw[raw["breakdown"] == "total"], how="left", on=["period", "la_code", "breakdown", "group"]
    )
    totals["numerator"] = totals["numerator"].fillna(0)
    if indicator.unit in ("percent", "days"):
        totals["denominator"] = totals["denominator"].fillna(0)
    raw = pd.concat([totals, raw[raw["breakdown"] != "total"]], ignore_index=True)
    raw = raw.astype({"numerator": "float64", "denominator": "float64"})
    pmeta = pd.DataFrame(
        {
            "period": [p.label for p in periods],
            "frequency": [p.kind for p in periods],
            "period_start": [p.start for p in periods],
            "period_end": [p.end for p in periods],
        }
    )
    df = raw.merge(pmeta, on="period", how="left")
    df["status"] = "ok"
    if indicator.denominator_source == "population_0_17":
        df = _population_denominators(con, df)
    df["value"] = _values(indicator, df["numerator"], df["denominator"], df["frequency"])
    if indicator.statistic == "median":  # e.g. median days from death to review (indicators/cdop.py)
        df["value"] = df["median_value"].astype("object").where(df["median_value"].notna(), None)
    pairs = df[["la_code", "period"]].drop_duplicates()
    pairs["covered"] = [cov.covers(la, by_label[label]) for la, label in pairs.itertuples(index=False)]
    # A join, not a Python loop over rows: a national build has millions of rows.
    is_covered = pd.Series(
        df[["la_code", "period"]]
        .merge(pairs, on=["la_code", "period"], how="left")["covered"]
        .to_numpy(dtype=bool),
        index=df.index,
    )
    no_cases = df["value"].isna() & (df["status"] == "ok")
    df.loc[no_cases, "status"] = "no cases in the period"
    if indicator.lookback_days:
        early = _too_early(df, cov, by_label, indicator.lookback_days) & is_covered
        df.loc[early, "value"] = None  # the counts stay, so breakdowns still add up
        df.loc[early, "status"] = NOT_YET_MEASURABLE
    df.loc[~is_covered, "value"] = None
    df.loc[~is_covered, "status"] = "not covered by loaded data"
    df["indicator_id"] = indicator.id
    df["unit"] = indicator.unit
    for col in ("numerator", "denominator"):
        df[col] = df[col].astype("Int64")
    return df[VALUE_COLUMNS]


NOT_YET_MEASURABLE = "not yet measurable: too little earlier data loaded"


def _too_early(df: pd.DataFrame, cov: Coverage, by_label: dict, lookback_days: int) -> pd.Series:
    """Rows whose period has less than `lookback_days` of loaded data before it."""
    from datetime import timedelta

    early = {}
    for la, label in df[["la_code", "period"]].drop_duplicates().itertuples(index=False):
        p = by_label[label]
        need = Period(label, p.kind, p.start - timedelta(days=lookback_days), p.end)
        early[(la, label)] = not cov.covers(la, need)
    return pd.Series([early[k] for k in zip(df["la_code"], df["period"], strict=True)], index=df.index)


def _population_denominators(con: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> pd.DataFrame:
    """Replace denominators with children aged 0-17: ONS for LA rows, area files for areas."""
    la_pop = _population_lookup(con)
    area_pop = _area_population_lookup(con)
    cache: dict[tuple, tuple[int | None, str]] = {}
    dens, statuses = [], []
    for la, breakdown, group, end in zip(
        df["la_code"], df["breakdown"], df["group"], df["period_end"], strict=True
    ):
        if breakdown == "la":  # the member LAs of the partnership, each with its own population
            la = group
        key = (la, breakdown == "area" and group, end)
        if key not in cache:
            if breakdown == "area":
                cache[key] = _pick_year(area_pop.get((la, group)), end.year + (end.month > 3))
            else:
                cache[key] = _pick_year(la_pop.get(la), mid_year_for(end))
        den, status = cache[key]
        dens.append(den)
        statuses.append(status)
    return df.assign(denominator=pd.Series(dens, index=df.index, dtype="float64"), status=statuses)


PER_YEAR = {"month": 12, "quarter": 4, "year": 1, "rolling12": 1}


def _values(indicator: Indicator, num: pd.Series, den: pd.Series, freq: pd.Series | None = None) -> pd.Series:
    if indicator.unit == "count":
        return num.astype("float64")
    ok = den.notna() & (den != 0) & num.notna()
    out = pd.Series(float("nan"), index=num.index)
    scale = 1.0
    if indicator.annualised and freq is not None:
        scale = freq.map(PER_YEAR).fillna(1).astype("float64")[ok]
    out[ok] = num[ok] * indicator.per / den[ok] * scale
    return out.astype("object").where(ok, None)
