"""Tidy downloads of an indicator page's data, ready for analysis (as in DfE's Explore Education Statistics):
numbers in numeric columns, a status column for the EES markers (c withheld, x not available, z not
applicable) instead of letters among the numbers, metadata columns saying what the figures are, a file
name that names the breakdown, and CSV as UTF-8 with a byte-order mark so Excel reads the en dash."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from indicators.labels import unit_name
from indicators.status import targets_by_period
from viewmodels.cells import safe_cell
from viewmodels.indicator import IndicatorView
from viewmodels.state import BREAKDOWN_LABELS
from vocabulary.spreadsheet import safe_frame

SUPPRESSION_NOTE = {
    "board": "Counts of 1 to 5, and figures built on them, are withheld (status c), with secondary "
    "suppression.",
    "analyst": "Unsuppressed figures (analyst role): not for circulation beyond analysts.",
}
STATUS_WORDS = {
    "c": "withheld to protect confidentiality (small numbers)",
    "x": "not available",
    "z": "not applicable (no cases in the period)",
}
COLUMNS = [
    "indicator_id",
    "indicator",
    "la_code",
    "la_name",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "group",
    "numerator",
    "denominator",
    "value",
    "value_status",
    "unit",
    "target_low",
    "target_high",
    "rag",
    "role",
    "suppression_note",
    "definition",
    "source",
    "extract_date",
]


def _status(row) -> str:
    """The EES marker for a row without a published value ('' when the value is shown)."""
    if row.suppressed:
        return "c"
    if row.value is not None and not pd.isna(row.value):
        return ""
    return "z" if row.status == "no cases in the period" else "x"


def _group_name(view: IndicatorView, which: str, group: str) -> str:
    """A group as the page names it: an LA of the `la` breakdown (compare LAs) as 'Leicester (856)'."""
    if which == "breakdown" and view.state.by == "la" and group in view.las:
        return f"{view.las[group]} ({group})"
    return group


def tidy_frame(view: IndicatorView, which: str, role: str, today: date | None = None) -> pd.DataFrame:
    """The trend or the breakdown of a view as a tidy table (see the module docstring)."""
    ind = view.indicator
    data = view.trend if which == "trend" else view.breakdown
    if data is None:
        data = view.trend.iloc[0:0]
    data = data.reset_index(drop=True)
    status = [_status(r) for r in data.itertuples()]
    hidden = pd.Series([s != "" for s in status], index=data.index)

    def numbers(col: str) -> pd.Series:
        return pd.to_numeric(data[col], errors="coerce").where(~hidden)

    targets = targets_by_period(data) if len(data) else []
    low = [t[0] if isinstance(t, tuple) else t for t in targets]
    high = [t[1] if isinstance(t, tuple) else t for t in targets]
    out = pd.DataFrame(
        {
            "indicator_id": ind.id,
            "indicator": ind.title,
            "la_code": data["la_code"],
            "la_name": view.las.get(view.state.la, ""),
            "period": data["period"],
            "period_start": pd.to_datetime(data["period_start"]).dt.date,
            "period_end": pd.to_datetime(data["period_end"]).dt.date,
            "breakdown": [BREAKDOWN_LABELS.get(b, b) for b in data["breakdown"]],
            "group": [safe_cell(_group_name(view, which, str(g))) for g in data["group"]],
            "numerator": numbers("numerator").round(0).astype("Int64"),
            "denominator": numbers("denominator").round(0).astype("Int64"),
            "value": numbers("value").round(ind.decimals + 1),
            "value_status": status,
            "unit": unit_name(ind.unit),
            "target_low": pd.to_numeric(pd.Series(low, dtype=object), errors="coerce"),
            "target_high": pd.to_numeric(pd.Series(high, dtype=object), errors="coerce"),
            "rag": ["withheld" if h else r for h, r in zip(hidden, data["rag"], strict=True)],
            "role": role,
            "suppression_note": SUPPRESSION_NOTE[role],
            "definition": safe_cell(ind.definition),
            "source": safe_cell(ind.dfe_source),
            "extract_date": today or date.today(),
        },
        index=data.index,
    )
    return out[COLUMNS]


FREQUENCY_WORDS = {
    "quarter": "quarterly",
    "year": "yearly",
    "month": "monthly",
    "rolling12": "rolling 12 months",
}


def plain_file_name(*parts: str, ext: str) -> str:
    """A download's file name in words a board member reads in their downloads folder, not internal
    ids: the parts joined by hyphens, each reduced to letters, digits and hyphens (period labels such
    as 2025-26-Q3 keep their form), e.g. Repeat-plans-NI65-by-Ethnic-group-Leicester-2025-26.csv."""
    words = "-".join(re.sub(r"[^A-Za-z0-9]+", "-", p).strip("-") for p in parts if p)
    return f"{words[:150].rstrip('-')}.{ext}"


def file_name(view: IndicatorView, which: str, fmt: str) -> str:
    """e.g. Repeat-plans-NI65-by-Ethnic-group-Leicester-2025-26.csv, or
    Repeat-plans-NI65-quarterly-2019-20-Q1-to-2025-26-Q4-Leicester.csv"""
    s = view.state
    place = view.las.get(s.la, s.la or "")
    title = view.indicator.short_title
    if which == "trend":
        return plain_file_name(
            title, FREQUENCY_WORDS.get(s.freq, s.freq), f"{s.start} to {s.end}", place, ext=fmt
        )
    label = BREAKDOWN_LABELS.get(s.by or "", s.by or "")
    return plain_file_name(title, f"by {label}", place, view.breakdown_period or "", ext=fmt)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the en dash and accents correctly."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """The data sheet plus an 'about' sheet with the markers' meanings and the suppression note."""
    import io

    about = pd.DataFrame(
        [["value_status " + k, v] for k, v in STATUS_WORDS.items()]
        + [["role", frame["role"].iloc[0] if len(frame) else ""]]
        + [["suppression", frame["suppression_note"].iloc[0] if len(frame) else ""]]
        + [["definition", frame["definition"].iloc[0] if len(frame) else ""]],
        columns=["item", "meaning"],
    )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, sheet_name="data", index=False)
        safe_frame(about).to_excel(writer, sheet_name="about", index=False)
    return buf.getvalue()
