"""Disclosure control: counts of 1-5 (and values built on them) become 'c' for the board role."""

from __future__ import annotations

from typing import Literal

import pandas as pd

Role = Literal["board", "analyst"]
SMALL_MIN, SMALL_MAX = 1, 5
SUPPRESSED = "c"
GROUP_KEYS = ["indicator_id", "period", "la_code", "breakdown"]


def _small(x) -> bool:
    return x is not None and not pd.isna(x) and SMALL_MIN <= x <= SMALL_MAX


def suppress(df: pd.DataFrame, role: Role) -> pd.DataFrame:
    """Return a copy with small numbers withheld for the board role; analysts see everything.

    Primary: a cell whose numerator or denominator is 1-5 is withheld (numerator, denominator
    and value). Secondary: where exactly one cell of a breakdown is withheld, the next smallest
    cell is withheld too, so the total cannot reveal it. Adds a boolean `suppressed` column.
    """
    out = df.copy()
    out["suppressed"] = False
    if role == "analyst" or out.empty:
        return out
    primary = out["numerator"].map(_small) | out["denominator"].map(_small)
    out.loc[primary, "suppressed"] = True
    breakdown_rows = out["breakdown"] != "total"
    for _, idx in out[breakdown_rows].groupby(GROUP_KEYS, dropna=False).groups.items():
        cells = out.loc[idx]
        if len(cells) > 1 and cells["suppressed"].sum() == 1:
            candidates = cells[~cells["suppressed"]].copy()
            candidates["size"] = candidates["numerator"].fillna(0)
            out.loc[candidates["size"].idxmin(), "suppressed"] = True
    out["numerator"] = out["numerator"].astype("object")
    out["denominator"] = out["denominator"].astype("object")
    out["value"] = out["value"].astype("object")
    out.loc[out["suppressed"], ["numerator", "denominator", "value"]] = None
    return out


def display(value, decimals: int, suppressed: bool, unit: str = "count") -> str:
    """How a value is shown on screen and in exports: 'c' when withheld, '-' when missing."""
    if suppressed:
        return SUPPRESSED
    if value is None or pd.isna(value):
        return "-"
    text = f"{value:,.{decimals}f}"
    return f"{text}%" if unit == "percent" else text
