"""Disclosure control: counts of 1-5 (and values built on them) become 'c' for the board role."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from vocabulary.codes import ETHNIC_GROUP_OF

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
    """Each breakdown as (row positions of its cells, position of its margin row, or -1 when the frame
    has none). A breakdown's margin is its `total` row. A nested breakdown whose parent rows are all
    in the frame (ethnicity under ethnic_group) is split instead into one table per parent row: those
    tables and the parent breakdown imply the nested breakdown's own sum."""
    if "breakdown" not in df or "group" not in df:
        return []
    columns = [[None if pd.isna(v) else v for v in df[k].tolist()] for k in GROUP_KEYS if k in df]
    families: dict[tuple, dict[str, list[int]]] = {}
    for pos, (*family, breakdown) in enumerate(zip(*columns, df["breakdown"].tolist(), strict=True)):
        families.setdefault(tuple(family), {}).setdefault(breakdown, []).append(pos)
    groups = df["group"].tolist()
    tables = []
    for by in families.values():
        total = by.get("total", [-1])[0]
        for breakdown, cells in by.items():
            if breakdown == "total":
                continue
            outer, parent_of = NESTED.get(breakdown, (None, {}))
            if outer in by:
                parents: dict[str, int] = {}
                for p in by[outer]:
                    parents.setdefault(groups[p], p)
                subsets: dict[str, list[int]] = {}
                for c in cells:
                    subsets.setdefault(parent_of.get(groups[c], "Not known"), []).append(c)
                if all(name in parents for name in subsets):
                    tables += [(np.array(sub), parents[name]) for name, sub in subsets.items()]
                    continue
            tables.append((np.array(cells), total))
    return tables


def _floors(tables: list[tuple[np.ndarray, int]], hidden: np.ndarray, dims: list[np.ndarray]) -> list:
    """The least value an onlooker can infer for each withheld row, per dimension: 1 for a cell (zeros
    are shown), and for a withheld parent row its published cells plus 1 for each withheld one."""
    floors = [np.ones(len(hidden)) for _ in dims]
    for cells, margin in tables:
        if margin >= 0 and hidden[margin]:
            shown = cells[~hidden[cells]]
            for values, floor in zip(dims, floors, strict=True):
                floor[margin] = max(floor[margin], values[shown].sum() + hidden[cells].sum())
    return floors


def _fix(
    cells: np.ndarray,
    margin: int,
    hidden: np.ndarray,
    dims: list[np.ndarray],
    floors: list,
    names: np.ndarray,
) -> int | None:
    """The next row to withhold so this table gives nothing away, or None if it is safe.

    With its margin published, a table is safe when no cell is withheld, or when two or more are and
    their sum is more than the least they could add up to (otherwise every one is pinned, e.g. to 1).
    With its margin withheld, at least one non-zero cell must be withheld, or the cells add up to it.
    """
    gone = cells[hidden[cells]]
    if margin >= 0 and hidden[margin]:
        safe = len(gone) > 0 or not any((d[cells] > 0).any() for d in dims)
    else:
        safe = len(gone) == 0 or (
            len(gone) >= 2 and all((d[gone] - f[gone]).sum() >= 1 for d, f in zip(dims, floors, strict=True))
        )
    if safe:
        return None
    open_ = cells[~hidden[cells]]
    for size in dims:  # the smallest non-zero published cell, ties by group name
        candidates = open_[size[open_] > 0]
        if len(candidates):
            return int(candidates[np.lexsort((names[candidates], size[candidates]))[0]])
    return margin if margin >= 0 and not hidden[margin] else None


def suppress(df: pd.DataFrame, role: Role, withheld: np.ndarray | None = None) -> pd.DataFrame:
    """Return a copy with small numbers withheld for the board role; analysts see everything.

    Primary: a row whose numerator or denominator is 1-5 (or, for a count, whose value is) is
    withheld: numerator, denominator and value become None and `suppressed` is True. Zero is shown.
    Secondary, per indicator, period and LA, repeated until nothing changes: in each breakdown (its
    margin is the `total` row; ethnicity codes are checked within each ethnic group, whose margin is
    the ethnic_group row), a single withheld cell, or withheld cells that could only take their least
    values (e.g. all 1), also withholds the smallest non-zero published cell (ties by group name); if
    there is none, the margin is withheld too. A withheld margin needs at least one withheld non-zero
    cell in each of its breakdowns. Denominators of percentages are checked like numerators. Pass
    breakdown rows together with their total rows, or the totals cannot be checked. `status` is kept.
    `withheld` (one bool per row) withholds those rows as well before secondary suppression, e.g. cells
    of a count that another table withholds (see viewmodels.indicator.SHARED_COUNTS).
    """
    out = df.copy()
    out["suppressed"] = False
    if role == "analyst" or out.empty:
        return out
    if role != "board":
        raise ValueError("role must be 'board' or 'analyst'")
    count_rows = (out["unit"] == "count").to_numpy() if "unit" in out else np.zeros(len(out), dtype=bool)
    hidden = _small(out["numerator"]) | _small(out["denominator"]) | (count_rows & _small(out["value"]))
    if withheld is not None:
        hidden |= np.asarray(withheld, dtype=bool)
    additive = out["unit"].isin(ADDITIVE_DENOMINATOR_UNITS).to_numpy() if "unit" in out else count_rows
    num, den = _numbers(out, "numerator"), np.where(additive, _numbers(out, "denominator"), 0)
    names = out["group"].astype(str).to_numpy() if "group" in out else np.full(len(out), "")
    tables = _tables(out)
    dims = [num, den]
    changed = True
    while changed:  # the last pass sees fresh floors and changes nothing
        changed = False
        floors = _floors(tables, hidden, dims)
        for cells, margin in tables:
            d = 2 if additive[cells].all() else 1  # check denominators only where they add up
            pick = _fix(cells, margin, hidden, dims[:d], floors[:d], names)
            if pick is not None:
                hidden[pick] = changed = True
    out["suppressed"] = hidden
    for col in ("numerator", "denominator", "value"):
        out[col] = out[col].astype("object").where(~hidden, None)
    return out


def display(value, decimals: int, suppressed: bool, unit: str = "count") -> str:
    """How a value is shown on screen and in exports: 'c' when withheld, '-' when missing."""
    if suppressed:
        return SUPPRESSED
    if value is None or pd.isna(value):
        return "-"
    text = f"{value:,.{decimals}f}"
    return f"{text}%" if unit == "percent" else text


NOT_COVERED = "not covered by loaded data"
FINER = {"year": "quarter", "quarter": "month"}


def period_withheld(frame: pd.DataFrame, forced: np.ndarray | None = None) -> np.ndarray:
    """Which rows of one count over time the board may not see, deciding every frequency at once.

    For a measure counted over a period (events dated in it: plans starting, plans ending, deaths
    notified), a year is the sum of its quarters and of its months, a quarter of its months, and a
    rolling 12 months of its months, so a withheld period could be read from the others (a year's
    plans starting minus three published quarters is the fourth). `frame` is one series (one indicator,
    LA, breakdown and group) at every period of every frequency, with `frequency`, `period_start`,
    `period_end`, `numerator`, `denominator`, `value`, `unit` and `status`. Returns one bool per row:

    * a period with no covering period published above it (a year; a quarter or month whose year the
      loaded data does not cover) is withheld when its numerator or denominator (or a count's value)
      is 1-5, as in suppress();
    * the quarters of a published year are published all together, or not at all: only if none of
      them is 1-5. Likewise the months of a published quarter. Below a withheld or unpublished period
      nothing is published. So every withheld period sits in a group of at least three unknowns whose
      sum is all that is known (a year's four quarters, a quarter's three months);
    * a rolling 12 months is published only when all 12 of its months are.

    Coarser periods are preferred: a year of small numbers is shown by year only. Rows the loaded data
    does not cover are left as they are (their value is missing, not withheld). `forced` (one bool per
    row) withholds rows that another table withholds (the partnership's, see
    indicators.partnership_disclosure) as if they were small, with the same consequences for the
    periods above and below them.
    """
    n = len(frame)
    if n == 0:
        return np.zeros(0, dtype=bool)
    count_rows = (frame["unit"] == "count").to_numpy()
    small = _small(frame["numerator"]) | _small(frame["denominator"]) | (count_rows & _small(frame["value"]))
    if forced is not None:
        small = small | np.asarray(forced, dtype=bool)
    covered = (frame["status"] != NOT_COVERED).to_numpy()
    kinds = frame["frequency"].tolist()
    starts = [pd.Timestamp(d).date() for d in frame["period_start"]]
    ends = [pd.Timestamp(d).date() for d in frame["period_end"]]
    at = {(k, s): i for i, (k, s) in enumerate(zip(kinds, starts, strict=True))}
    months = {(s.year, s.month): i for (k, s), i in at.items() if k == "month"}
    hidden = np.zeros(n, dtype=bool)

    def children(i: int) -> list[int | None]:
        s, e, kind = starts[i], ends[i], FINER[kinds[i]]
        step = 3 if kind == "quarter" else 1
        out, y, m = [], s.year, s.month
        while (y, m) <= (e.year, e.month):
            out.append(at.get((kind, s.replace(year=y, month=m, day=1))))
            y, m = (y + (m + step - 1) // 12, (m + step - 1) % 12 + 1)
        return out

    def settle(i: int, parent_shown: bool, siblings_ok: bool, is_root: bool) -> None:
        if is_root:
            hidden[i] = covered[i] and bool(small[i])
        else:
            hidden[i] = not (parent_shown and siblings_ok)
        if kinds[i] not in FINER:
            return
        kids = children(i)
        ok = all(k is not None and covered[k] and not small[k] for k in kids)
        for k in kids:
            if k is not None:
                settle(k, covered[i] and not hidden[i], ok, is_root=not covered[i])

    roots = [i for i, k in enumerate(kinds) if k == "year"]
    years = {(starts[i].year, starts[i].month) for i in roots}
    roots += [  # quarters and months no year (or quarter) in the frame covers
        i
        for i, k in enumerate(kinds)
        if (k == "quarter" and _fy(starts[i]) not in years)
        or (k == "month" and _fy(starts[i]) not in years and at.get(("quarter", _q(starts[i]))) is None)
    ]
    for i in roots:
        settle(i, True, True, is_root=True)
    for i, k in enumerate(kinds):
        if k == "rolling12" and covered[i]:
            s = starts[i]
            window = [
                months.get(((s.year * 12 + s.month - 1 + j) // 12, (s.month - 1 + j) % 12 + 1))
                for j in range(12)
            ]
            hidden[i] = any(m is None or hidden[m] or not covered[m] for m in window)
    return hidden


def _fy(d) -> tuple[int, int]:
    """(year, month) of the start of the financial year containing `d`."""
    return (d.year if d.month >= 4 else d.year - 1, 4)


def _q(d):
    """The first day of the quarter (Apr-Jun, ...) containing `d`."""
    return d.replace(month=(d.month - 1) // 3 * 3 + 1, day=1)
