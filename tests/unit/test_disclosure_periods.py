"""indicators.disclosure.period_withheld: one count over years, quarters, months and rolling 12 months.

The audit is a linear programme over the months (the finest period): every period the board sees fixes
the sum of its months, and a withheld period is recoverable when its least and greatest possible values
are equal. It is run on hand-made and on random series, and shown to catch the old per-period behaviour.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from indicators.disclosure import NOT_COVERED, period_withheld, suppress
from indicators.periods import periods_between

FIRST = date(2016, 4, 1)


def series(monthly: list[int], denominators: list[int] | None = None, covered_from: int = 0) -> pd.DataFrame:
    """Every year, quarter, month and rolling 12 months of a monthly count starting April 2016.
    Months before `covered_from` (an index) are not covered by the loaded data, nor any period
    containing them. With `denominators`, the rows are percentages."""
    last = date(FIRST.year + (len(monthly) - 1 + 3) // 12, (len(monthly) - 1 + 3) % 12 + 1, 1)
    end = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
    rows = []
    for kind in ("year", "quarter", "month", "rolling12"):
        for p in periods_between(FIRST, end, kind):
            first = (p.start.year - FIRST.year) * 12 + p.start.month - FIRST.month
            last_ = (p.end.year - FIRST.year) * 12 + p.end.month - FIRST.month
            if first < 0 or last_ >= len(monthly):
                continue
            covered = first >= covered_from
            num = sum(monthly[first : last_ + 1])
            den = sum(denominators[first : last_ + 1]) if denominators else None
            rows.append(
                {
                    "period": p.label,
                    "frequency": kind,
                    "period_start": p.start,
                    "period_end": p.end,
                    "months": (first, last_),
                    "numerator": num if covered else 0,
                    "denominator": den if covered else None,
                    "value": (num if not denominators else (100 * num / den if den else None))
                    if covered
                    else None,
                    "unit": "percent" if denominators else "count",
                    "status": "ok" if covered else NOT_COVERED,
                }
            )
    return pd.DataFrame(rows)


def recoverable(frame: pd.DataFrame, hidden: np.ndarray, truth: dict[str, list[int]]) -> list[str]:
    """Withheld periods whose numerator or denominator is 1-5 and is pinned by the published ones."""
    shown = (~hidden) & (frame["status"] != NOT_COVERED).to_numpy()
    found = []
    for dim, monthly in truth.items():
        n = len(monthly)
        a_eq, b_eq = [], []
        for (first, last), total in zip(frame.loc[shown, "months"], frame.loc[shown, dim], strict=True):
            row = np.zeros(n)
            row[first : last + 1] = 1
            a_eq.append(row)
            b_eq.append(float(total))
        for label, (first, last), hide in zip(frame["period"], frame["months"], hidden, strict=True):
            true = sum(monthly[first : last + 1])
            if not hide or not 1 <= true <= 5:
                continue
            c = np.zeros(n)
            c[first : last + 1] = 1
            kw = {"A_eq": np.array(a_eq) if a_eq else None, "b_eq": b_eq or None, "bounds": (0, None)}
            low = linprog(c, method="highs", **kw)
            high = linprog(-c, method="highs", **kw)
            assert low.status == 0 and high.status in (0, 3)
            if high.status == 0 and -high.fun - low.fun < 1e-6:
                found.append(f"{label} {dim} = {true}")
    return found


def published_small(frame: pd.DataFrame, hidden: np.ndarray) -> list[str]:
    out = []
    for r, h in zip(frame.itertuples(), hidden, strict=True):
        numbers = [r.numerator, r.denominator] + ([r.value] if r.unit == "count" else [])
        if not h and r.status != NOT_COVERED and any(x is not None and 1 <= x <= 5 for x in numbers):
            out.append(r.period)
    return out


def per_period(frame: pd.DataFrame) -> np.ndarray:
    """The old behaviour: each frequency's periods suppressed on their own (as a trend table)."""
    return suppress(frame, "board")["suppressed"].to_numpy(dtype=bool)


# One year of plans starting in an area: quarters 9, 5, 9, 14 = 37 (as Manor's cpp_starts in 2016-17).
MANOR = [3, 3, 3, 2, 2, 1, 3, 3, 3, 6, 4, 4]


def test_the_old_per_period_behaviour_gives_a_withheld_quarter_away():
    frame = series(MANOR)
    old = per_period(frame)
    assert frame.loc[old, "period"].tolist()[:1] == ["2016-17-Q2"]  # 5 withheld ...
    assert "2016-17-Q2 numerator = 5" in recoverable(frame, old, {"numerator": MANOR})  # ... and 37 - 32


def test_a_year_with_a_small_quarter_is_shown_by_year_only():
    frame = series(MANOR)
    hidden = period_withheld(frame)
    shown = frame.loc[~hidden, "period"].tolist()
    assert shown == ["2016-17"]  # the 37; every quarter, month and the rolling 12 months withheld
    assert frame.loc[frame["period"] == "R12-2017-03"].index[0] in np.flatnonzero(hidden)
    assert recoverable(frame, hidden, {"numerator": MANOR}) == []
    assert published_small(frame, hidden) == []


def test_months_shown_with_their_quarter_only_when_none_is_small():
    # Q1 months 6, 7, 8 (21); Q2 months 10, 2, 9 (21); Q3, Q4 all 7s. Quarters 21, 21, 21, 21: all
    # shown; Q1, Q3, Q4 months shown; Q2's three months withheld together (sum 21 known, each 0-21).
    monthly = [6, 7, 8, 10, 2, 9] + [7] * 6
    frame = series(monthly)
    hidden = period_withheld(frame)
    withheld = set(frame.loc[hidden, "period"])
    assert withheld == {"2016-07", "2016-08", "2016-09", "R12-2017-03"}
    assert recoverable(frame, hidden, {"numerator": monthly}) == []


def test_rolling_12_months_need_all_their_months_shown():
    # Two years; one small month (3) in May 2017: its quarter's three months (Apr-Jun 2017) are
    # withheld together, so every rolling 12 months containing April 2017 or later is withheld too.
    monthly = [8] * 13 + [3] + [8] * 10
    frame = series(monthly)
    hidden = period_withheld(frame)
    r12 = frame[frame["frequency"] == "rolling12"]
    shown = r12.loc[~hidden[r12.index], "period"].tolist()
    assert shown == ["R12-2017-03"]
    assert recoverable(frame, hidden, {"numerator": monthly}) == []
    # The old behaviour: R12-2017-05 minus R12-2017-04 plus May 2016 is May 2017 (shown nowhere else).
    assert "2017-05 numerator = 3" in recoverable(frame, per_period(frame), {"numerator": monthly})


def test_quarters_of_a_year_not_covered_stand_on_their_own():
    # The loaded data starts in July 2016: 2016-17 is not covered, so its covered quarters have no
    # published year above them; Q2 (2+2+2 = 6) is shown, Q3 (1+1+1 = 3) withheld, Q4 shown.
    monthly = [0, 0, 0, 2, 2, 2, 1, 1, 1, 9, 9, 9]
    frame = series(monthly, covered_from=3)
    hidden = period_withheld(frame)
    by = dict(zip(frame["period"], hidden, strict=True))
    assert not by["2016-17-Q2"] and by["2016-17-Q3"] and not by["2016-17-Q4"]
    assert not by["2016-17"]  # not covered: shown as missing, not withheld
    assert by["2016-10"] and by["2016-07"]  # months of Q3 (withheld) and of Q2 (small months)
    assert recoverable(frame, hidden, {"numerator": monthly}) == []


def test_percentages_check_numerators_and_denominators():
    nums = [1, 0, 2, 1, 3, 0, 2, 2, 1, 0, 1, 2] * 2
    dens = [9, 8, 12, 10, 14, 7, 11, 9, 10, 8, 9, 12] * 2
    frame = series(nums, dens)
    hidden = period_withheld(frame)
    assert recoverable(frame, hidden, {"numerator": nums, "denominator": dens}) == []
    assert published_small(frame, hidden) == []
    # Old behaviour: Q1's numerator (3 of 60) is withheld but the year (30 of 240) less Q2-Q4 gives it.
    nums, dens = [1, 1, 1, 4, 3, 3, 3, 3, 2, 3, 3, 3], [20] * 12
    frame = series(nums, dens)
    assert "2016-17-Q1 numerator = 3" in recoverable(frame, per_period(frame), {"numerator": nums})
    hidden = period_withheld(frame)
    assert recoverable(frame, hidden, {"numerator": nums, "denominator": dens}) == []
    assert frame.loc[~hidden, "period"].tolist() == ["2016-17"]


@pytest.mark.parametrize("seed", range(25))
def test_random_series_give_nothing_away(seed):
    rng = np.random.default_rng(seed)
    years = int(rng.integers(1, 4))
    mean = float(rng.choice([0.5, 2, 4, 8, 15]))
    monthly = rng.poisson(mean, 12 * years).tolist()
    frame = series(monthly, covered_from=int(rng.choice([0, 0, 3, 5])))
    hidden = period_withheld(frame)
    assert recoverable(frame, hidden, {"numerator": monthly}) == []
    assert published_small(frame, hidden) == []
