"""Pure view-models for the agency pages: the all-agencies matrix, returns tracker, theme view and gaps."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd

from dashboard.downloads import SUPPRESSION_NOTE, plain_file_name
from indicators import api, store
from indicators.disclosure import display, suppress
from indicators.labels import unit_name
from indicators.partner_gaps import Gap
from indicators.partner_scorecard import (
    MeasureCard,
    agency_gaps,
    agency_scorecard,
    latest_quarter,
    quarter_values,
)
from indicators.partners import tracker
from viewmodels.cells import RAG_WORDS, safe_cell
from vocabulary.partners import OBA_QUESTIONS, declaration

MATRIX_QUARTERS = 8
STATUS_CLASS = {"on time": "green", "late": "amber", "missing": "red", "not yet due": "none"}


def _version(warehouse) -> tuple:
    return store.warehouse_version(warehouse)


@lru_cache(maxsize=32)
def _scorecards(
    version: tuple, quarter: str, role: str, warehouse: str | None
) -> dict[str, list[MeasureCard]]:
    return {a.id: agency_scorecard(a.id, quarter, role, warehouse) for a in declaration().agencies}


def scorecards(quarter: str, role: str, warehouse=None) -> dict[str, list[MeasureCard]]:
    """Every agency's scorecard at `quarter` (cached per warehouse file)."""
    return _scorecards(_version(warehouse), quarter, role, str(warehouse) if warehouse else None)


@lru_cache(maxsize=32)
def _gaps(version: tuple, quarter: str, role: str, warehouse: str | None, as_of: date) -> tuple[Gap, ...]:
    return tuple(agency_gaps(quarter, role, warehouse, as_of))


def gaps(quarter: str, role: str, warehouse=None, as_of: date | None = None) -> list[Gap]:
    return list(
        _gaps(
            _version(warehouse), quarter, role, str(warehouse) if warehouse else None, as_of or date.today()
        )
    )


def quarter_or_latest(warehouse=None) -> str | None:
    return latest_quarter(warehouse)


def matrix(quarter: str, role: str, warehouse=None, agency: str | None = None, theme: str | None = None):
    """(quarter labels, rows): each row is (agency name, measure id, title, [(text, rag), ...]) over the
    last MATRIX_QUARTERS quarters up to `quarter`; every cell has text (value and RAG in words)."""
    decl = declaration()
    cards = scorecards(quarter, role, warehouse)
    labels = sorted({q for cs in cards.values() for c in cs for q in c.quarters})[-MATRIX_QUARTERS:]
    rows = []
    for a in decl.agencies:
        if agency and a.id != agency:
            continue
        for c in cards[a.id]:
            if theme and decl.measure(c.measure_id).theme != theme:
                continue
            by_q = dict(zip(c.quarters, zip(c.values, c.rags, strict=True), strict=True))
            cells = []
            for q in labels:
                value, rag = by_q.get(q, ("no return", "none"))
                words = RAG_WORDS[rag] if value not in ("no return", "-") else "no value"
                cells.append((f"{value} ({words})", rag))
            rows.append((a.name, c.measure_id, c.title, cells))
    return labels, rows


def tracker_rows(
    quarter: str | None, warehouse=None, as_of: date | None = None
) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """(quarter labels, one row per agency of (text, colour key) cells) for the returns tracker."""
    statuses = tracker(warehouse, quarter, as_of)
    labels = sorted({s.quarter for s in statuses})[-MATRIX_QUARTERS:]
    rows = []
    for a in declaration().agencies:
        mine = {s.quarter: s for s in statuses if s.agency == a.id}
        cells = [(a.name, "none")]
        for q in labels:
            s = mine.get(q)
            if s is None:
                cells.append(("-", "none"))
                continue
            when = f", {s.days_late} days late" if s.status == "late" else ""
            cells.append((f"{s.status}{when}", STATUS_CLASS[s.status]))
        rows.append(cells)
    return labels, rows


def theme_rows(theme: str, quarter: str, role: str, warehouse=None) -> list[list[str]]:
    """The theme's LA indicators (at the quarter) and partner measures:
    source, measure, value, target, RAG, id."""
    decl = declaration()
    out = []
    la = decl.partnership.la_code
    for ind_id in decl.theme_indicators.get(theme, ()):
        ind = api.get(ind_id)
        periods = [p for p in api.available_periods("quarter", la, warehouse, ind_id) if p.label <= quarter]
        if not periods:
            out.append(["LA (census)", ind.short_title, "no data", "", RAG_WORDS["none"], ind_id])
            continue
        row = suppress(api.values(ind_id, [periods[-1]], la, None, warehouse), role).iloc[0]
        rag = "withheld" if row["suppressed"] else row["rag"]
        value = display(row["value"], ind.decimals, bool(row["suppressed"]), ind.unit)
        out.append(
            [
                f"LA ({row['period']})",
                ind.short_title,
                value,
                row["target"] or "no target",
                RAG_WORDS[rag],
                ind_id,
            ]
        )
    cards = scorecards(quarter, role, warehouse)
    for a in decl.agencies:
        for c in cards[a.id]:
            if decl.measure(c.measure_id).theme == theme:
                out.append([a.name, c.title, c.value, c.target, RAG_WORDS[c.rag], c.measure_id])
    return out


MATRIX_COLUMNS = [
    "agency_id",
    "agency",
    "measure_id",
    "measure",
    "theme",
    "oba_question",
    "quarter",
    "period_start",
    "period_end",
    "numerator",
    "denominator",
    "value",
    "value_status",
    "unit",
    "target",
    "rag",
    "role",
    "suppression_note",
    "extract_date",
]


def matrix_frame(
    quarter: str,
    role: str,
    warehouse=None,
    agency: str | None = None,
    theme: str | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """The all-agencies matrix as a tidy table: one row per measure and quarter, the same quarters and
    the same (suppressed) values as on screen. Numbers stay numeric; a withheld value is empty with
    value_status c (x: no value returned), and every text cell is guarded against spreadsheet formulas."""
    decl = declaration()
    labels, _ = matrix(quarter, role, warehouse, agency, theme)
    rows = []
    for a in decl.agencies:
        if agency and a.id != agency:
            continue
        for m in decl.measures_of(a.id):
            if theme and m.theme != theme:
                continue
            df = quarter_values(m.id, quarter, role, warehouse)
            by_q = {r.period: r for r in df.itertuples()} if len(df) else {}
            for q in labels:
                r = by_q.get(q)
                shown = r is not None and not r.suppressed and r.value is not None and not pd.isna(r.value)
                withheld = r is not None and bool(r.suppressed)
                rows.append(
                    {
                        "agency_id": a.id,
                        "agency": safe_cell(a.name),
                        "measure_id": m.id,
                        "measure": safe_cell(m.title),
                        "theme": safe_cell(decl.themes[m.theme]),
                        "oba_question": OBA_QUESTIONS[m.oba],
                        "quarter": q,
                        "period_start": pd.Timestamp(r.period_start).date() if r is not None else None,
                        "period_end": pd.Timestamp(r.period_end).date() if r is not None else None,
                        "numerator": r.numerator if shown else None,
                        "denominator": r.denominator if shown else None,
                        "value": round(float(r.value), 2) if shown else None,
                        "value_status": "" if shown else ("c" if withheld else "x"),
                        "unit": unit_name(m.unit),
                        "target": safe_cell(r.target or "") if r is not None else "",
                        "rag": ("withheld" if withheld else r.rag) if r is not None else "none",
                        "role": role,
                        "suppression_note": SUPPRESSION_NOTE[role],
                        "extract_date": today or date.today(),
                    }
                )
    out = pd.DataFrame(rows, columns=MATRIX_COLUMNS)
    for col in ("numerator", "denominator"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round(0).astype("Int64")
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out


def matrix_file_name(quarter: str, agency: str | None = None, theme: str | None = None) -> str:
    """e.g. Agency-matrix-2026-27-Q2.csv, or Agency-matrix-Police-Domestic-abuse-2026-27-Q2.csv (the
    agency's and the theme's names from the partner measures file, not their ids)."""
    decl = declaration()
    names = [decl.agency(agency).name if agency else "", decl.themes.get(theme, theme) if theme else ""]
    return plain_file_name("Agency matrix", *names, quarter, ext="csv")
