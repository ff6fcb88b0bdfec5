"""Disclosure control: counts of 1-5 (and values built on them) become 'c' for the board role."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from safeguarding.codes import ETHNIC_GROUP_OF

Role = Literal["board", "analyst"]
SMALL_MIN, SMALL_MAX = 1, 5
SUPPRESSED = "c"
GROUP_KEYS = ["indicator_id", "period", "la_code"]
# Units whose denominators are counts of children or plans, so add up across a breakdown like numerators.
ADDITIVE_DENOMINATOR_UNITS = {"percent", "days"}
# A breakdown nested in another: each ethnic group's codes add up to that group's ethnic_group row.
NESTED = {"ethnicity": ("ethnic_group", ETHNIC_GROUP_OF)}


def _small(s: pd.Series) -> np.ndarray:
    x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return (x >= SMALL_MIN) & (x <= SMALL_MAX)


def _numbers(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df:
        return np.zeros(len(df))
    return np.nan_to_num(pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan))


def _tables(df: pd.DataFrame) -> list[tuple[np.ndarray, int]]:
    """Each breakdown (and each nested subset) as (row positions of its cells, position of its margin
    row or -1 when the frame has none). The margin of a breakdown is its `total` row."""
    if "breakdown" not in df or "group" not in df:
        return []
    keys = [k for k in GROUP_KEYS if k in df]
    frame = df.reset_index(drop=True).assign(_pos=np.arange(len(df)))
    tables = []
    for _, fam in frame.groupby(keys, dropna=False, sort=False) if keys else [(None, frame)]:
        totals = fam.loc[fam["breakdown"] == "total", "_pos"]
        total = int(totals.iloc[0]) if len(totals) else -1
        for breakdown, cells in fam[fam["breakdown"] != "total"].groupby("breakdown", sort=False):
            tables.append((cells["_pos"].to_numpy(), total))
            if breakdown in NESTED:
                outer, parent_of = NESTED[breakdown]
                parents = fam[fam["breakdown"] == outer].set_index("group")["_pos"]
                parent = cells["group"].map(lambda g: parent_of.get(g, "Not known"))
                for name, sub in cells.groupby(parent, sort=False):
                    if name in parents.index:
                        tables.append((sub["_pos"].to_numpy(), int(parents[name])))
    return tables


def _fix(cells: np.ndarray, margin: int, hidden: np.ndarray, num: np.ndarray, den: np.ndarray | None,
         names: np.ndarray) -> int | None:
    """The next row to withhold so this table gives nothing away, or None if it is safe.

    With its margin published, a table is safe when no cell is withheld, or when two or more are and
    their sum exceeds their number (each withheld cell is at least 1, zeros being shown, so sums equal
    to the count would pin every one to 1). With its margin withheld, at least one cell must be
    withheld, or the cells would add up to it.
    """
    gone = cells[hidden[cells]]
    k = len(gone)
    if margin >= 0 and hidden[margin]:
        safe = k > 0 or not ((num[cells] > 0) | (den is not None and den[cells] > 0)).any()
    else:
        safe = k == 0 or (k >= 2 and num[gone].sum() > k and (den is None or den[gone].sum() > k))
    if safe:
        return None
    open_ = cells[~hidden[cells]]
    candidates = open_[num[open_] > 0]
    if len(candidates) == 0 and den is not None:
        candidates = open_[den[open_] > 0]
    if len(candidates):
        size = num[candidates] if (num[candidates] > 0).any() else den[candidates]
        order = np.lexsort((names[candidates], size))  # smallest first, ties by group name
        return int(candidates[order[0]])
    return margin if margin >= 0 and not hidden[margin] else None


def suppress(df: pd.DataFrame, role: Role) -> pd.DataFrame:
    """Return a copy with small numbers withheld for the board role; analysts see everything.

    Primary: a row whose numerator or denominator is 1-5 (or, for a count, whose value is) is
    withheld: numerator, denominator and value become None and `suppressed` is True. Zero is shown.
    Secondary, per indicator, period and LA, repeated until nothing changes: in each breakdown (its
    margin is the `total` row) and each ethnic group's set of ethnicity codes (margin: that group's
    ethnic_group row), a single withheld cell, or withheld cells that must all be 1, also withholds the
    smallest non-zero published cell (ties by group name); if there is none, the margin is withheld.
    A withheld margin needs at least one withheld cell in each of its breakdowns. Pass breakdown rows
    together with their total rows, or the totals cannot be checked. `status` is kept as it is.
    """
    out = df.copy()
    out["suppressed"] = False
    if role == "analyst" or out.empty:
        return out
    if role != "board":
        raise ValueError("role must be 'board' or 'analyst'")
    count_rows = (out["unit"] == "count").to_numpy() if "unit" in out else np.zeros(len(out), dtype=bool)
    hidden = _small(out["numerator"]) | _small(out["denominator"]) | (count_rows & _small(out["value"]))
    num = _numbers(out, "numerator")
    additive = out["unit"].isin(ADDITIVE_DENOMINATOR_UNITS).to_numpy() if "unit" in out else count_rows
    den = _numbers(out, "denominator")
    names = out["group"].astype(str).to_numpy() if "group" in out else np.full(len(out), "")
    tables = _tables(out)
    changed = True
    while changed:
        changed = False
        for cells, margin in tables:
            pick = _fix(cells, margin, hidden, num, den if additive[cells].all() else None, names)
            if pick is not None:
                hidden[pick] = changed = True
    out["suppressed"] = hidden
    for col in ("numerator", "denominator", "value"):
        out[col] = out[col].astype("object")
        out.loc[hidden, col] = None
    return out


def display(value, decimals: int, suppressed: bool, unit: str = "count") -> str:
    """How a value is shown on screen and in exports: 'c' when withheld, '-' when missing."""
    if suppressed:
        return SUPPRESSED
    if value is None or pd.isna(value):
        return "-"
    text = f"{value:,.{decimals}f}"
    return f"{text}%" if unit == "percent" else text
