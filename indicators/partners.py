"""Partner agency measures as indicators, and the return tracker and commentary behind their scorecards.

Each measure in indicators/partner_measures.yaml (vocabulary/partners.py) becomes an
:class:`~indicators.registry.Indicator` whose SQL (indicators/sql/partner_value.sql) reads the current
returns in `partner_values`, so targets, RAG, SPC, indicator pages and downloads work for it as for
the LA's own indicators. `indicators.get(id)` finds them (`registry.partner_registry`); `registry()`
stays the LA's indicators.

Coverage (indicators/coverage.py): a period is covered for a measure when the returns hold a value
for every returned period in it (merged spans of the returned quarters or months). A quarterly
measure is offered by quarter and financial year only; a monthly one also by month and rolling 12
months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from indicators.periods import Period, parse_period, quarter_of
from indicators.registry import Indicator
from indicators.store import sql
from vocabulary.partners import Declaration, declaration


def is_partner(indicator: Indicator) -> bool:
    return indicator.partner_measure is not None


# ---- Submission tracker -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnStatus:
    agency: str
    quarter: str
    due_on: date
    received_on: date | None
    status: str  # on time | late | missing | not yet due

    @property
    def days_late(self) -> int:
        if self.received_on is None or self.received_on <= self.due_on:
            return 0
        return (self.received_on - self.due_on).days


def track_returns(
    received: dict[tuple[str, str], date], decl: Declaration, quarters: list[Period], as_of: date
) -> list[ReturnStatus]:
    """On time, late, missing or not yet due, per agency and quarter (pure).

    `received` maps (agency, quarter label) to the date the current return was submitted. A return is
    on time if submitted on or before its due date (decl.due_date: the quarter end plus the agency's
    or the partnership's due_days, default 30), late if after it, missing if none had arrived by
    `as_of` and the due date has passed, and not yet due otherwise.
    """
    out = []
    for agency in decl.agencies:
        for q in quarters:
            due = decl.due_date(agency.id, q.end)
            got = received.get((agency.id, q.label))
            if got is not None:
                status = "on time" if got <= due else "late"
            else:
                status = "missing" if as_of > due else "not yet due"
            out.append(ReturnStatus(agency.id, q.label, due, got, status))
    return out


def quarters_between(first: str, last: str) -> list[Period]:
    out, q = [], parse_period(first, "quarter")
    end = parse_period(last, "quarter")
    while q.start <= end.start:
        out.append(q)
        q = q.next()
    return out


def returns_frame(warehouse=None) -> pd.DataFrame:
    """The current return per agency and quarter (curated partner_returns), empty if none."""
    try:
        return sql(
            "select agency, quarter, quarter_end, submitted_on, file_name, versions, measures_returned "
            "from partner_returns order by agency, quarter_end",
            warehouse=warehouse,
        )
    except duckdb.CatalogException:
        return pd.DataFrame(
            columns=[
                "agency",
                "quarter",
                "quarter_end",
                "submitted_on",
                "file_name",
                "versions",
                "measures_returned",
            ]
        )


def tracker(warehouse=None, last_quarter: str | None = None, as_of: date | None = None) -> list[ReturnStatus]:
    """The tracker over the loaded returns: from the first quarter any agency returned to
    `last_quarter` (default the latest quarter returned), judged as of `as_of` (default today)."""
    df = returns_frame(warehouse)
    if df.empty:
        return []
    first = quarter_of(min(df["quarter_end"])).label
    last = last_quarter or quarter_of(max(df["quarter_end"])).label
    received = {
        (a, q): pd.Timestamp(d).date()
        for a, q, d in zip(df["agency"], df["quarter"], df["submitted_on"], strict=True)
    }
    return track_returns(received, declaration(), quarters_between(first, last), as_of or date.today())


def commentary(warehouse=None) -> dict[tuple[str, str], str]:
    """(measure id, quarter label) -> the agency's commentary in its current return for that quarter
    (a monthly measure's month notes are joined, each said once)."""
    try:
        df = sql(
            "select measure_id, quarter, string_agg(distinct commentary, ' ') as commentary "
            "from partner_values where commentary is not null group by measure_id, quarter",
            warehouse=warehouse,
        )
    except duckdb.CatalogException:
        return {}
    return {(m, q): c for m, q, c in zip(df["measure_id"], df["quarter"], df["commentary"], strict=True)}
