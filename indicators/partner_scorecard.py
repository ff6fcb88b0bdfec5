"""Agency scorecards, the all-agencies matrix and ranked agency gaps, already suppressed for the role.

Read side only: values come through the indicator API (indicators.api.values / spc_series), so the
targets, RAG, SPC and disclosure rules are those of every other indicator. For the board, a count of
1-5 (or a percentage built on one) shows as `c`, its RAG as "withheld", and SPC is not shown for a
series with a withheld point, as on the indicator pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from indicators import api
from indicators.disclosure import display, suppress
from indicators.partner_gaps import Gap, failing_run, measure_gap, rank, return_gaps
from indicators.partners import commentary, tracker
from indicators.registry import partner_registry
from vocabulary.partners import OBA_QUESTIONS, declaration

NATIVE = {"monthly": "month", "quarterly": "quarter"}


@dataclass
class MeasureCard:
    """One row of an agency scorecard at one quarter (every field is display text)."""

    measure_id: str
    title: str
    oba: str
    theme: str
    value: str
    target: str
    rag: str  # green | amber | red | none | withheld
    spc: str
    commentary: str
    quarters: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # one per quarter, for the matrix
    rags: list[str] = field(default_factory=list)
    variation_icon: str | None = None


def quarter_values(measure_id: str, last: str, role: str, warehouse) -> pd.DataFrame:
    """A measure's quarterly values up to `last`, suppressed for the role (the scorecards and the matrix)."""
    periods = [p for p in api.available_periods("quarter", None, warehouse, measure_id) if p.label <= last]
    if not periods:
        return pd.DataFrame()
    df = api.values(measure_id, periods, declaration().partnership.la_code, None, warehouse)
    return suppress(df, role).reset_index(drop=True)


def _spc(measure, last_end: date, role: str, warehouse) -> tuple[str, str | None]:
    freq = NATIVE[measure.frequency]
    la = declaration().partnership.la_code
    periods = [p for p in api.available_periods(freq, la, warehouse, measure.id) if p.end <= last_end]
    if len(periods) < 15:
        return f"SPC not shown: {len(periods)} {freq}ly points (15 needed)", None
    df = suppress(api.values(measure.id, periods, la, None, warehouse), role)
    if df["suppressed"].any():
        return "SPC not shown: some values are withheld (small numbers)", None
    _, result = api.spc_series(measure.id, la, freq, warehouse, periods=[p.label for p in periods])
    if not result.available:
        return result.reason or "SPC not available", None
    return f"{result.variation_text} ({len(periods)} {freq}ly points)", result.variation_icon


def agency_scorecard(agency: str, quarter: str, role: str, warehouse=None) -> list[MeasureCard]:
    """Every measure of the agency at `quarter`, with its quarterly history up to it."""
    decl = declaration()
    notes = commentary(warehouse)
    cards = []
    for m in decl.measures_of(agency):
        ind = partner_registry()[m.id]
        df = quarter_values(m.id, quarter, role, warehouse)
        labels = list(df["period"]) if len(df) else []
        shown = [
            display(v, ind.decimals, s, ind.unit)
            for v, s in zip(df.get("value", []), df.get("suppressed", []), strict=True)
        ]
        rags = [
            "withheld" if s else r for r, s in zip(df.get("rag", []), df.get("suppressed", []), strict=True)
        ]
        at = labels.index(quarter) if quarter in labels else None
        end = df["period_end"].iloc[at] if at is not None else None
        spc_text, icon = (
            _spc(m, end, role, warehouse) if end is not None else ("No value for this quarter", None)
        )
        cards.append(
            MeasureCard(
                m.id,
                m.short_title,
                OBA_QUESTIONS[m.oba],
                decl.themes[m.theme],
                shown[at] if at is not None else "no return",
                (df["target"].iloc[at] or "no target") if at is not None else "",
                rags[at] if at is not None else "none",
                spc_text,
                notes.get((m.id, quarter), ""),
                labels,
                shown,
                rags,
                icon,
            )
        )
    return cards


def latest_quarter(warehouse=None) -> str | None:
    df = (
        api.sql("select max(quarter) as q from partner_returns", warehouse=warehouse)
        if _has_returns(warehouse)
        else None
    )
    return None if df is None or df["q"].isna().all() else str(df["q"].iloc[0])


def _has_returns(warehouse) -> bool:
    try:
        return bool(len(api.sql("select 1 from partner_returns limit 1", warehouse=warehouse)))
    except Exception:  # a warehouse built before partner returns
        return False


def agency_gaps(quarter: str, role: str, warehouse=None, as_of: date | None = None) -> list[Gap]:
    """Every agency gap at `quarter`, ranked by the priority score (indicators/partner_gaps.py)."""
    decl = declaration()
    gaps = return_gaps(tracker(warehouse, quarter, as_of), decl, quarter)
    for agency in decl.agencies:
        for card in agency_scorecard(agency.id, quarter, role, warehouse):
            if not card.quarters or card.quarters[-1] != quarter:
                continue
            gap = measure_gap(
                decl.measure(card.measure_id),
                decl,
                quarter,
                card.rags,
                card.variation_icon,
                value=card.value,
                target=card.target,
                commentary=card.commentary,
            )
            if gap is not None:
                gaps.append(gap)
    return rank(gaps)


__all__ = [
    "MeasureCard",
    "agency_gaps",
    "agency_scorecard",
    "failing_run",
    "latest_quarter",
    "quarter_values",
]
