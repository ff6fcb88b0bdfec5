"""Child Death Overview Panel (CDOP) indicators: the read-side helpers behind the Child deaths page (what
the engine needs of CDOP is in indicators/cdop_source.py).

Median days from death to review (`cdop_review_median_days`) cannot be summed across units, so its
registry entry says `statistic: median`: the engine then takes DuckDB's `median()` of the unit
numerators (days) per group; numerator and denominator stay the summed days and reviews.
"""

from __future__ import annotations

import csv
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb
import pandas as pd

from indicators import engine, store
from indicators.periods import Period
from indicators.registry import get
from vocabulary.cdop_codes import AGE_BANDS, CATEGORY_OF_DEATH
from vocabulary.reference import reference_file

GROUP_ORDER = (
    *AGE_BANDS,
    *CATEGORY_OF_DEATH.values(),
    "Expected",
    "Unexpected",
    "Under 6 months",
    "6 to 12 months",
    "Over 12 months",
)
BACKLOG_BANDS = ("Under 6 months", "6 to 12 months", "Over 12 months")
NATIONAL_CSV = reference_file("ncmd_child_deaths_england.csv")


def median_days(days) -> float | None:
    """The median of a list of day counts (mean of the middle two for an even count); None if empty.
    The engine uses DuckDB's median(), which agrees; this is the plain reference for tests and notebooks."""
    values = sorted(float(d) for d in days if d is not None and not pd.isna(d))
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def national_context(path: Path | Traversable = NATIONAL_CSV) -> list[dict]:
    """Published national figures (NCMD), each with its source, from vocabulary/reference."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["deaths"] = int(row["deaths"])
        row["rate_per_100k"] = float(row["rate_per_100k"])
    return rows


def cdop_las(warehouse: str | Path | None = None) -> list[str]:
    """LAs with CDOP extracts loaded."""
    con = store.cursor(warehouse)
    try:
        return [
            la for (la,) in con.execute("select distinct la_code from cdop_extracts order by 1").fetchall()
        ]
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def pooled_values(
    indicator_id: str, periods: list, la: str | None, by: str | None, warehouse: str | Path | None = None
) -> pd.DataFrame:
    """One indicator over several consecutive periods pooled into one (e.g. three years, because
    yearly CDOP counts are small): the total row and, if `by` is given, that breakdown's rows.
    Counts and percentages pool correctly; rates and medians are not offered pooled."""
    indicator = get(indicator_id)
    if indicator.unit not in ("count", "percent") or not periods:
        raise ValueError(f"{indicator_id} cannot be pooled over periods")
    label = periods[0].label if len(periods) == 1 else f"{periods[0].label} to {periods[-1].label}"
    pooled = Period(label, periods[0].kind, periods[0].start, periods[-1].end)
    con = store.cursor(warehouse)
    try:
        df = engine.indicator_values(con, indicator, [pooled], (by,) if by else (), la)
    finally:
        con.close()
    return df.assign(target=None, rag="none")


def review_backlog(la: str, dates: list[date], warehouse: str | Path | None = None) -> pd.DataFrame:
    """Deaths awaiting review on each date: in-scope deaths notified by then whose review was not
    yet completed, by time since death (under 6 months, 6 to 12 months, over 12 months).
    Tidy rows in the indicator layout (a total row per date), ready for disclosure.suppress."""
    con = store.cursor(warehouse)
    try:
        con.register("backlog_dates", pd.DataFrame({"as_at": pd.to_datetime(dates).date}))
        rows = con.execute(
            """
            with deaths as (
                select date_of_death, notification_date, review_completed_date
                from cdop_deaths
                where la_code = ? and in_scope
            ),

            waiting as (
                select
                    b.as_at,
                    case
                        when d.date_of_death > (b.as_at - interval 6 month)::date then 'Under 6 months'
                        when d.date_of_death > (b.as_at - interval 12 month)::date then '6 to 12 months'
                        else 'Over 12 months' end as band
                from backlog_dates as b
                join deaths as d
                    on d.notification_date <= b.as_at
                    and (d.review_completed_date is null or d.review_completed_date > b.as_at)
            ),

            final as (
                select as_at, band, count(*) as deaths from waiting group by all
            )

            select * from final
        """,
            [la],
        ).fetchall()
    finally:
        con.close()
    counts = {(a, b): n for a, b, n in rows}
    out = []
    for as_at in dates:
        label = f"{as_at:%d %b %Y}"
        total = sum(counts.get((as_at, b), 0) for b in BACKLOG_BANDS)
        out.append((label, as_at, "total", "All", total))
        out += [(label, as_at, "time_since_death", b, counts.get((as_at, b), 0)) for b in BACKLOG_BANDS]
    df = pd.DataFrame(out, columns=["period", "period_end", "breakdown", "group", "numerator"])
    return df.assign(
        indicator_id="cdop_review_backlog",
        la_code=la,
        denominator=None,
        value=df["numerator"].astype(float),
        unit="count",
    )


def order_groups(df: pd.DataFrame) -> pd.DataFrame:
    """CDOP breakdown rows in reading order: age bands and categories as listed, unknowns last."""

    def key(group: str) -> tuple:
        return (
            group in ("Not known", "Not yet reviewed"),
            GROUP_ORDER.index(group) if group in GROUP_ORDER else 99,
            group,
        )

    return df.sort_values("group", key=lambda s: s.map(key)).reset_index(drop=True)
