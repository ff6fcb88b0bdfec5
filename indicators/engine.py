"""Computes indicator values: runs an indicator's unit SQL, adds breakdowns, aggregates, rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from indicators.periods import Period
from indicators.registry import Indicator
from safeguarding.codes import CATEGORY_OF_ABUSE, ETHNIC_GROUP_OF

# Breakdown -> SQL expression over the enriched unit rows. Only these fixed expressions are
# ever placed in the query text; every value goes in as a parameter or a registered relation.
AGE_YEARS = "date_sub('year', coalesce(c.birth_month, c.expected_birth_month), pe.period_end)"
BREAKDOWN_SQL: dict[str, str] = {
    "total": "'All'",
    "la": "u.la_code",
    "area": "coalesce(a.area_name, 'Area not known')",
    "ethnicity": "coalesce(c.ethnicity, 'Not known')",
    "ethnic_group": "coalesce(eg.ethnic_group, 'Not known')",
    "sex": "case c.sex when 'M' then 'Male' when 'F' then 'Female' else 'Not known' end",
    "age_band": f"""case
        when coalesce(c.birth_month, c.expected_birth_month) is null then 'Not known'
        when coalesce(c.birth_month, c.expected_birth_month) > pe.period_end then 'Unborn'
        when {AGE_YEARS} < 1 then 'Under 1'
        when {AGE_YEARS} < 5 then '1 to 4'
        when {AGE_YEARS} < 10 then '5 to 9'
        when {AGE_YEARS} < 16 then '10 to 15'
        when {AGE_YEARS} < 18 then '16 to 17'
        else '18 and over' end""",
    "category": "coalesce(cat_i.name, 'Not applicable')",
    "latest_category": "coalesce(cat_l.name, 'Not applicable')",
}
ETHNIC_GROUPS = pd.DataFrame({"ethnicity": list(ETHNIC_GROUP_OF),
                              "ethnic_group": list(ETHNIC_GROUP_OF.values())})
CATEGORIES = pd.DataFrame({"code": list(CATEGORY_OF_ABUSE), "name": list(CATEGORY_OF_ABUSE.values())})


@dataclass(frozen=True)
class Coverage:
    """The days each LA's loaded census returns cover, as merged [start, end] spans."""

    spans: dict[str, list[tuple[date, date]]]

    def covers(self, la_code: str, period: Period) -> bool:
        return any(s <= period.start and period.end <= e for s, e in self.spans.get(la_code, []))


def coverage(con: duckdb.DuckDBPyConnection) -> Coverage:
    rows = con.execute(
        "select la_code, period_start, reference_date from loads "
        "where source_type = 'cin_census' and status = 'loaded' order by la_code, period_start"
    ).fetchall()
    spans: dict[str, list[tuple[date, date]]] = {}
    for la, start, end in rows:
        merged = spans.setdefault(la, [])
        if merged and start <= date.fromordinal(merged[-1][1].toordinal() + 1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return Coverage(spans)


def _periods_frame(periods: list[Period]) -> pd.DataFrame:
    return pd.DataFrame({"label": [p.label for p in periods], "kind": [p.kind for p in periods],
                         "period_start": [p.start for p in periods],
                         "period_end": [p.end for p in periods]})


def aggregate(con: duckdb.DuckDBPyConnection, indicator: Indicator, periods: list[Period],
              breakdown: str = "total", la_code: str | None = None) -> pd.DataFrame:
    """Numerator and denominator per period, LA and group, straight from the unit SQL."""
    if breakdown != "total" and breakdown not in indicator.breakdowns:
        raise ValueError(f"{indicator.id} cannot be broken down by {breakdown!r}; allowed: "
                         f"{', '.join(indicator.breakdowns)}")
    con.register("periods", _periods_frame(periods))
    con.register("ethnic_groups", ETHNIC_GROUPS)
    con.register("categories", CATEGORIES)
    group_sql = BREAKDOWN_SQL[breakdown]
    query = f"""
        with units as ({indicator.sql_text()}),
        enriched as (
            select u.period, u.la_code, u.numerator, u.denominator, {group_sql} as grp
            from units as u
            join periods as pe on pe.label = u.period
            left join children as c on c.child_key = u.child_key
            left join area_lookup as a on a.child_key = u.child_key
            left join ethnic_groups as eg on eg.ethnicity = c.ethnicity
            left join categories as cat_i on cat_i.code = u.initial_category
            left join categories as cat_l on cat_l.code = u.latest_category
            where $la is null or u.la_code = $la
        )
        select period, la_code, grp as "group", sum(numerator)::bigint as numerator,
            sum(denominator)::bigint as denominator
        from enriched
        group by period, la_code, grp
    """
    return con.execute(query, {"la": la_code}).df()


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
    return out


def _area_population_lookup(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[int, int]]:
    rows = con.execute("select la_code, area_name, year, population_0_17 from area_population").fetchall()
    out: dict[tuple[str, str], dict[int, int]] = {}
    for la, area, year, pop in rows:
        out.setdefault((la, area), {})[year] = pop
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


def indicator_values(con: duckdb.DuckDBPyConnection, indicator: Indicator, periods: list[Period],
                     breakdown: str = "total", la_code: str | None = None) -> pd.DataFrame:
    """Tidy values: one row per period, LA and group, with value and a plain-words status.

    Periods the loaded data does not cover are returned with value None and status
    'not covered by loaded data' rather than a misleading zero.
    """
    raw = aggregate(con, indicator, periods, breakdown, la_code)
    cov = coverage(con)
    las = [la_code] if la_code else sorted(cov.spans)
    by_label = {p.label: p for p in periods}
    # Every period x LA gets a total row, even when nothing happened (a real zero).
    if breakdown == "total":
        grid = pd.DataFrame([(p.label, la, "All") for p in periods for la in las],
                            columns=["period", "la_code", "group"])
        raw = grid.merge(raw, on=["period", "la_code", "group"], how="left")
        raw["numerator"] = raw["numerator"].fillna(0).astype("int64")
        if indicator.unit in ("percent", "days"):
            raw["denominator"] = raw["denominator"].fillna(0).astype("int64")
    raw = raw.astype({"numerator": "float64", "denominator": "float64"})
    la_pop = _population_lookup(con) if indicator.denominator_source else {}
    area_pop = _area_population_lookup(con) if indicator.denominator_source else {}
    records = []
    for row in raw.itertuples(index=False):
        period = by_label[row.period]
        num, den = row.numerator, row.denominator
        status = "ok"
        if indicator.denominator_source == "population_0_17":
            if breakdown == "area":
                den, status = _pick_year(area_pop.get((row.la_code, row.group)),
                                         period.end.year + (period.end.month > 3))
            else:
                den, status = _pick_year(la_pop.get(row.la_code), mid_year_for(period.end))
        value = _value(indicator, num, den)
        if not cov.covers(row.la_code, period):
            value, status = None, "not covered by loaded data"
        elif value is None and status == "ok":
            status = "no cases in the period"
        records.append((indicator.id, period.label, period.kind, period.start, period.end,
                        row.la_code, breakdown, row.group, _int(num), _int(den), value,
                        indicator.unit, status))
    return pd.DataFrame.from_records(records, columns=[
        "indicator_id", "period", "frequency", "period_start", "period_end", "la_code",
        "breakdown", "group", "numerator", "denominator", "value", "unit", "status"])


def _int(x: float | int | None) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def _value(indicator: Indicator, num: float, den: float | None) -> float | None:
    if indicator.unit == "count":
        return None if pd.isna(num) else float(num)
    if den is None or pd.isna(den) or den == 0 or pd.isna(num):
        return None
    return float(num) * indicator.per / float(den)
