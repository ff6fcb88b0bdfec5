"""Working days in England: weekends and England and Wales bank holidays (1990-2040, offline).

The DfE rule this supports: an initial child protection conference (ICPC) is on time when it is held within
15 working days of the strategy discussion that started the section 47 enquiry, i.e.
``working_days_between(s47_start, icpc_date) <= 15``.

Counting convention: ``working_days_between(start, end)`` counts the working days *after* ``start`` up to and
including ``end``. The same day is 0, Friday to the following Monday is 1, a Thursday before Good Friday to
the Tuesday after Easter Monday is 1. It is negative when ``end`` is before ``start``, with
``working_days_between(a, b) == -working_days_between(b, a)``.

Bank holidays come from the ``holidays`` package (``holidays.UK(subdiv="ENG")``, which also works as
``holidays.country_holidays("GB", subdiv="ENG")``), computed offline. It includes substitute days (e.g.
2021-12-27 and 2021-12-28 for a weekend Christmas), moved days (the 2020 early May bank holiday on Friday
8 May for VE Day; the 2012 and 2022 spring bank holidays) and one-off days (2011-04-29 royal wedding,
2012-06-05 and 2022-06-03 jubilees, 2022-09-19 state funeral, 2023-05-08 coronation). The CIN census
era (2008 onwards) is what matters; the calendar runs 1990-2040 so that warehouse calendars (see
``indicators/store.py``) and early referral dates work too. Days after today are predictions: one-off
bank holidays not yet announced are unknown. Counting over any day outside 1990-2040 raises ValueError rather
than silently treating unknown bank holidays as working days (a count may start on 1989-12-31, as only the
days after the start are looked at).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import holidays
import numpy as np

FIRST_YEAR = 1990
LAST_YEAR = 2040
FIRST_DAY = date(FIRST_YEAR, 1, 1)
LAST_DAY = date(LAST_YEAR, 12, 31)

_ENGLAND = holidays.UK(subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
BANK_HOLIDAYS: dict[date, str] = dict(sorted(_ENGLAND.items()))
"""England and Wales bank holidays, date -> name (a few fall on weekends; substitute days follow them)."""

_CALENDAR = np.busdaycalendar(
    weekmask="1111100", holidays=np.array(sorted(BANK_HOLIDAYS), dtype="datetime64[D]")
)
_ONE_DAY = np.timedelta64(1, "D")


def _check_covered(first: date, last: date) -> None:
    """Raise ValueError unless every day from ``first`` to ``last`` has known bank holidays."""
    if first < FIRST_DAY or last > LAST_DAY:
        raise ValueError(
            f"dates from {first.isoformat()} to {last.isoformat()} go outside the years with "
            f"known bank holidays ({FIRST_YEAR}-{LAST_YEAR})"
        )


def _check_counted(a: date, b: date) -> None:
    """Check the days a count between ``a`` and ``b`` looks at: those after the earlier, up to the later."""
    low, high = min(a, b), max(a, b)
    if low < high:
        _check_covered(low + timedelta(days=1), high)


def is_bank_holiday(d: date) -> bool:
    """True if ``d`` is an England and Wales bank holiday (including substitute and one-off days)."""
    _check_covered(d, d)
    return d in BANK_HOLIDAYS


def is_working_day(d: date) -> bool:
    """True if ``d`` is Monday to Friday and not a bank holiday."""
    return d.weekday() < 5 and not is_bank_holiday(d)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (same day 0, Friday -> Monday 1)."""
    _check_counted(start, end)
    low, high = min(start, end), max(start, end)
    count = int(np.busday_count(low + timedelta(days=1), high + timedelta(days=1), busdaycal=_CALENDAR))
    return count if end >= start else -count


def working_days_between_arrays(starts: Any, ends: Any) -> np.ndarray:
    """Vectorised :func:`working_days_between` over arrays of dates, for millions of rows.

    ``starts`` and ``ends`` are anything ``numpy.asarray(x, dtype="datetime64[D]")`` accepts (datetime64
    arrays of any unit are truncated to days; pandas users pass ``series.to_numpy("datetime64[D]")``) and
    must broadcast together. Returns float64: the count, or NaN where either date is missing (NaT), so a
    missing ICPC date never counts as on time (``NaN <= 15`` is False). Raises ValueError if any count would
    look at a day outside 1990-2040.
    """
    s = np.asarray(starts, dtype="datetime64[D]")
    e = np.asarray(ends, dtype="datetime64[D]")
    s, e = np.broadcast_arrays(s, e)
    present = ~(np.isnat(s) | np.isnat(e))
    if present.any():
        low = np.minimum(s[present], e[present]).min().item()
        high = np.maximum(s[present], e[present]).max().item()
        _check_counted(low, high)
    s, e = s[present], e[present]
    # numpy counts [begin, end) and, for end < begin, a differently shifted span, so count (low, high].
    count = np.busday_count(np.minimum(s, e) + _ONE_DAY, np.maximum(s, e) + _ONE_DAY, busdaycal=_CALENDAR)
    out = np.full(present.shape, np.nan)
    out[present] = np.where(e >= s, count, -count)
    return out


def add_working_days(start: date, n: int) -> date:
    """The date ``n`` working days after ``start`` (before it if ``n`` < 0); ``n`` = 0 returns ``start``.

    The inverse of :func:`working_days_between`: ``working_days_between(start, add_working_days(start, n))
    == n`` for every ``start``, including weekends and bank holidays (a Saturday + 1 is the next working
    day, a Saturday - 1 is the working day before the Friday). For ``n`` != 0 the result is a working day
    (the earliest one with that count when ``n`` > 0). The ICPC deadline is ``add_working_days(s47_start,
    15)``.
    """
    if n == 0:
        return start
    result: date = np.busday_offset(start, n, roll="backward", busdaycal=_CALENDAR).item()
    _check_counted(start, result)
    return result
