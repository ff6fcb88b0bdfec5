"""The formula guard for every CSV and XLSX the product writes: text that a spreadsheet would run as a
formula gets a leading quote; numbers, including negative ones, stay numbers."""

from __future__ import annotations

import re

import pandas as pd

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A negative number as text ("-3", "-1,234.5", "-2.5%") is a number to a spreadsheet, not a formula.
_NEGATIVE_NUMBER = re.compile(r"-(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?(?:[eE][-+]?\d+)?%?")


def safe_cell(value):
    """`value` with a leading quote if it is text a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NEGATIVE_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell guarded; numeric, date and boolean columns are left as they are,
    and so are the column names unless they are text that would run."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(safe_cell, na_action="ignore")
    out.columns = [safe_cell(c) for c in out.columns]
    return out
