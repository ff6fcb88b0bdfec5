"""Flow indicators over quarters, years and rolling 12 months, summed from their months.

A flow indicator counts events in a period (plans starting, plans ending, ICPCs held) and its
numerator does not depend on the period (`measured_at: event_month` in the registry). Its unit rows
for a quarter, a year or a rolling 12 months are then exactly the union of those of the months in
it, so the engine groups each month once and sums months into periods, instead of building the
unit rows of every overlapping period (a rolling 12 months repeats each month twelve times: most
of a national build). Age band is the exception, since age is taken at the period end: it is
grouped by birth month first, then banded at each period's end.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from indicators.enrich import (
    BORN,
    BREAKDOWN_SQL,
    MULTI_VALUED,
    age_band_sql,
    enriched_sql,
    la_params,
    multi_valued_units,
    periods_frame,
)
from indicators.periods import Period, periods_between
from indicators.registry import Indicator


def month_membership(periods: list[Period]) -> tuple[list[Period], pd.DataFrame] | None:
    """The months that make up the periods, and (month, period, period_end) rows; None when a
    period is not a whole number of months."""
    months: dict[str, Period] = {}
    rows = []
    for p in periods:
        inside = periods_between(p.start, p.end, "month")
        if not inside or inside[0].start != p.start or inside[-1].end != p.end:
            return None
        for m in inside:
            months.setdefault(m.label, m)
            rows.append((m.label, p.label, p.end))
    return list(months.values()), pd.DataFrame(rows, columns=["month", "period", "period_end"])


def aggregate_by_month(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    periods: list[Period],
    wanted: tuple[str, ...],
    la_code: str | None,
) -> pd.DataFrame | None:
    """Same result as engine.aggregate for a flow indicator; None when the periods are not whole months."""
    membership = month_membership(periods)
    if membership is None:
        return None
    months, month_in_period = membership
    con.register("periods", periods_frame(months))
    con.register("month_in_period", month_in_period)
    flat = tuple(b for b in wanted if b != "age_band")
    parts = [
        f"""select mp.period, m.la_code, '{b}' as breakdown, m.grp as "group",
                sum(m.numerator)::bigint as numerator, sum(m.denominator)::bigint as denominator
            from (select period as month, la_code, grp_{b} as grp,
                    sum(numerator) as numerator, sum(denominator) as denominator
                  from enriched group by all) as m
            join month_in_period as mp on mp.month = m.month
            group by all"""
        for b in flat
        if b in BREAKDOWN_SQL and b not in MULTI_VALUED
    ]
    # A multi-valued breakdown's groups count their units month by month; the engine gives them the
    # totals' denominators (enrich.shares_of_total).
    parts += [
        f"""select mp.period, m.la_code, '{b}' as breakdown, m.grp as "group",
                sum(m.units)::bigint as numerator, null::bigint as denominator
            from {multi_valued_units(b, "month")} as m
            join month_in_period as mp on mp.month = m.month
            group by all"""
        for b in flat
        if b in MULTI_VALUED
    ]
    if "age_band" in wanted:
        band = age_band_sql("m.born", "date_sub('year', m.born, mp.period_end)", "mp.period_end")
        parts.append(
            f"""select mp.period, m.la_code, 'age_band' as breakdown, {band} as "group",
                    sum(m.numerator)::bigint as numerator, sum(m.denominator)::bigint as denominator
                from (select period as month, la_code, born,
                        sum(numerator) as numerator, sum(denominator) as denominator
                      from enriched group by all) as m
                join month_in_period as mp on mp.month = m.month
                group by all"""
        )
    born = f", {BORN} as born" if "age_band" in wanted else ""
    query = f"""
        {enriched_sql(con, indicator, flat, la_code, extra=born)}
        {" union all ".join(parts)}
    """
    return con.execute(query, la_params(la_code) | indicator.sql_params()).df()
