"""The words and cells every table and download shows: RAG and polarity words, formatted values and
counts (c when withheld), table headers, and cells made safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

from indicators.disclosure import display
from indicators.registry import Indicator
from viewmodels.state import BREAKDOWN_LABELS
from vocabulary import spreadsheet

RAG_WORDS = {
    "green": "on target",
    "amber": "close to target",
    "red": "off target",
    "none": "no target",
    "withheld": "withheld (small numbers)",
}
POLARITY_WORDS = {
    "higher_better": "Higher is better.",
    "lower_better": "Lower is better.",
    "lower_better_not_zero": "Lower is better, but zero is not the aim.",
    "context": "Context measure: no better or worse direction.",
}
NOT_AVAILABLE = "x"


def fmt(ind: Indicator, value, suppressed: bool) -> str:
    return display(value, ind.decimals, bool(suppressed), ind.unit)


def count_text(x, suppressed: bool) -> str:
    if suppressed:
        return "c"
    if x is None or pd.isna(x):
        return ""
    return f"{int(x):,}"


def trend_headers(ind: Indicator) -> list[str]:
    return [
        "Period",
        "Period end",
        ind.short_title,
        "Numerator",
        "Denominator",
        "Target",
        "RAG",
        "SPC and notes",
    ]


def breakdown_headers(ind: Indicator, by: str) -> list[str]:
    return [BREAKDOWN_LABELS[by], ind.short_title, "Numerator", "Denominator"]


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formula injection (vocabulary.spreadsheet): = + - @ get a quote,
    negative numbers stay numbers."""
    return spreadsheet.safe_cell(text)


def export_frame(headers: list[str], rows: list[list[str]]) -> pd.DataFrame:
    """Exactly the table on screen (suppressed cells stay 'c'), safe to open in a spreadsheet."""
    clean = [[safe_cell(NOT_AVAILABLE if c == "-" else c) for c in row] for row in rows]
    return pd.DataFrame(clean, columns=headers)
