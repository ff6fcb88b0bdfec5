"""Reporting periods (financial years, quarters, months, rolling 12 months), month arithmetic and age bands.

Labels (see DESIGN.md, "Indicator definitions"):

=============  ===============  =========================
kind           label            span (inclusive)
=============  ===============  =========================
``year``       ``2010-11``      2010-04-01 .. 2011-03-31
``quarter``    ``2024-25-Q3``   2024-10-01 .. 2024-12-31
``month``      ``2024-09``      2024-09-01 .. 2024-09-30
``rolling12``  ``R12-2024-09``  2023-10-01 .. 2024-09-30
=============  ===============  =========================

Quarters follow the financial year: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar (so ``2024-25-Q4`` is
January to March 2025). "At end" measures are taken on ``Period.end``.

Ambiguous labels: ``YYYY-YY`` where the second part is the next year is read as a financial year, so
``2008-09``, ``2009-10``, ``2010-11`` and ``2011-12`` are financial years, never the months September 2008,
October 2009, November 2010 or December 2011. Pass ``kind="month"`` to :func:`parse_period` to read those
four labels as months (``month_of`` still labels them ``2010-11`` and so on).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, get_args

PeriodKind = Literal["year", "quarter", "month", "rolling12"]
PERIOD_KINDS: tuple[PeriodKind, ...] = get_args(PeriodKind)

AgeBand = Literal["Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17", "18 and over", "Unknown"]
AGE_BANDS: tuple[AgeBand, ...] = get_args(AgeBand)

ACCEPTED_FORMS = (
    "a financial year 'YYYY-YY' (e.g. '2010-11'), a quarter 'YYYY-YY-Qn' (e.g. '2024-25-Q3'), "
    "a month 'YYYY-MM' (e.g. '2024-09') or a rolling 12 months 'R12-YYYY-MM' (e.g. 'R12-2024-09')"
)

_YEAR_RE = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_RE = re.compile(r"(\d{4})-(\d{2})-Q([1-4])")
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_ROLLING_RE = re.compile(r"R12-(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    """A reporting period; ``start`` and ``end`` are both inclusive. Build one with the functions below."""

    label: str
    kind: PeriodKind
    start: date
    end: date

    def previous(self) -> Period:
        """The period of the same kind immediately before (for ``rolling12``: ending one month earlier)."""
        if self.kind == "rolling12":
            return rolling12_ending(add_months(self.end.replace(day=1), -1))
        return period_of(self.start - timedelta(days=1), self.kind)

    def next(self) -> Period:
        """The period of the same kind immediately after (for ``rolling12``: ending one month later)."""
        if self.kind == "rolling12":
            return rolling12_ending(add_months(self.end.replace(day=1), 1))
        return period_of(self.end + timedelta(days=1), self.kind)

    def contains(self, d: date) -> bool:
        """True if ``start <= d <= end``."""
        return self.start <= d <= self.end

    @property
    def days(self) -> int:
        """Number of days in the period, counting both ends."""
        return (self.end - self.start).days + 1

    @property
    def ees_time_period(self) -> int | None:
        """The EES ``time_period`` of a financial year (2011 for ``2010-11``); None for other kinds."""
        return self.end.year if self.kind == "year" else None


def add_months(d: date, n: int) -> date:
    """Add ``n`` calendar months (``n`` may be negative), clamping the day to the end of the target month.

    This is the DfE review-timeliness arithmetic (first review <= start + 3 months, each later review <=
    previous review + 6 months). The day is kept when the target month has it, otherwise the month's last
    day is used:

    - 2024-01-31 + 1 = 2024-02-29 (leap year); 2023-01-31 + 1 = 2023-02-28;
    - 2023-11-30 + 3 = 2024-02-29; 2023-08-31 + 6 = 2024-02-29; 2024-03-31 - 1 = 2024-02-29;
    - 2024-02-29 + 12 = 2025-02-28; 2023-10-15 + 3 = 2024-01-15 (year rolls over).

    Consequences worth knowing: it is not injective (2023-11-29 and 2023-11-30 both give 2024-02-29 for
    n = 3), it is not reversible (2024-01-31 + 1 - 1 = 2024-01-29), and chaining differs from one step
    (2023-11-30 + 3 + 6 = 2024-08-29 but 2023-11-30 + 9 = 2024-08-30). The result's day is never after
    ``d.day`` and is exactly ``d.day`` whenever ``d.day <= 28``.
    """
    year, month0 = divmod(d.year * 12 + (d.month - 1) + n, 12)
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _fy_start_year(d: date) -> int:
    """The calendar year in which the financial year containing ``d`` starts (April)."""
    return d.year if d.month >= 4 else d.year - 1


def _fy_label(start_year: int) -> str:
    """``2010`` -> ``'2010-11'``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def financial_year(d: date) -> Period:
    """The financial year (1 April to 31 March) containing ``d``: 2011-02-10 -> ``2010-11``."""
    y = _fy_start_year(d)
    return Period(_fy_label(y), "year", date(y, 4, 1), date(y + 1, 3, 31))


def quarter_of(d: date) -> Period:
    """The financial quarter containing ``d``: 2024-11-05 -> ``2024-25-Q3``, 2025-02-01 -> ``2024-25-Q4``."""
    y = _fy_start_year(d)
    q = (d.month - 4) % 12 // 3 + 1
    start = add_months(date(y, 4, 1), 3 * (q - 1))
    end = add_months(start, 3) - timedelta(days=1)
    return Period(f"{_fy_label(y)}-Q{q}", "quarter", start, end)


def month_of(d: date) -> Period:
    """The calendar month containing ``d``: 2024-02-10 -> ``2024-02`` (2024-02-01 .. 2024-02-29)."""
    start = d.replace(day=1)
    return Period(f"{d.year:04d}-{d.month:02d}", "month", start, _month_end(d))


def rolling12_ending(d: date) -> Period:
    """The 12 months ending with ``d``'s month: 2024-09-xx -> ``R12-2024-09`` (2023-10-01 .. 2024-09-30)."""
    start = add_months(d.replace(day=1), -11)
    return Period(f"R12-{d.year:04d}-{d.month:02d}", "rolling12", start, _month_end(d))


def period_of(d: date, kind: PeriodKind) -> Period:
    """The period of ``kind`` containing ``d``; for ``rolling12``, the one ending with ``d``'s month."""
    builders = {"year": financial_year, "quarter": quarter_of, "month": month_of}
    if kind == "rolling12":
        return rolling12_ending(d)
    if kind not in builders:
        raise ValueError(f"Unknown period kind {kind!r}: expected one of {', '.join(PERIOD_KINDS)}")
    return builders[kind](d)


def _invalid(label: str, why: str) -> ValueError:
    """A ValueError for a label that has a known shape but impossible values."""
    return ValueError(f"Invalid period {label!r}: {why}; accepted forms: {ACCEPTED_FORMS}")


def _year(label: str, text: str) -> int:
    """The 4-digit year ``text`` as an int, within the range dates (and the next financial year) allow."""
    year = int(text)
    if not 1000 <= year <= 9998:
        raise _invalid(label, "year must be between 1000 and 9998")
    return year


def _parse_as(label: str, text: str, kind: PeriodKind) -> Period | None:
    """Parse ``text`` as ``kind``: None if it lacks that shape, ValueError if the shape fits, values don't."""
    if kind == "year":
        m = _YEAR_RE.fullmatch(text)
        if not m or int(m[2]) != (int(m[1]) + 1) % 100:
            return None
        return financial_year(date(_year(label, m[1]), 4, 1))
    if kind == "quarter":
        if not (m := _QUARTER_RE.fullmatch(text)):
            return None
        year = _year(label, m[1])
        if int(m[2]) != (year + 1) % 100:
            raise _invalid(label, f"the second year must follow the first (e.g. '{_fy_label(year)}-Q{m[3]}')")
        return quarter_of(add_months(date(year, 4, 1), 3 * (int(m[3]) - 1)))
    if not (m := (_MONTH_RE if kind == "month" else _ROLLING_RE).fullmatch(text)):
        return None
    if not 1 <= int(m[2]) <= 12:
        raise _invalid(label, "the month must be 01 to 12")
    first = date(_year(label, m[1]), int(m[2]), 1)
    return month_of(first) if kind == "month" else rolling12_ending(first)


@lru_cache(maxsize=65536)  # pure, and asked for the same labels over and over (every scorecard row)
def parse_period(label: str, kind: PeriodKind | None = None) -> Period:
    """Parse a period label (see the module docstring); raise ValueError naming the accepted forms otherwise.

    Surrounding spaces and letter case are ignored (``r12-2024-09`` works). ``YYYY-YY`` with the next year
    second is a financial year; give ``kind="month"`` to read e.g. ``2010-11`` as November 2010. With
    ``kind`` given, only that form is accepted.
    """
    if kind is not None and kind not in PERIOD_KINDS:
        raise ValueError(f"Unknown period kind {kind!r}: expected one of {', '.join(PERIOD_KINDS)}")
    if not isinstance(label, str):
        raise ValueError(f"Period label must be a string, not {label!r}; accepted forms: {ACCEPTED_FORMS}")
    text = label.strip().upper()
    for candidate in (kind,) if kind else PERIOD_KINDS:
        period = _parse_as(label, text, candidate)
        if period is not None:
            return period
    wanted = f"a {kind} period" if kind else "a period"
    raise ValueError(f"Unrecognised period {label!r}: expected {wanted}; accepted forms: {ACCEPTED_FORMS}")


def periods_between(first: date, last: date, kind: PeriodKind) -> list[Period]:
    """Every complete period of ``kind`` lying wholly within ``[first, last]``, oldest first.

    Partial periods at either end are left out: ``periods_between(2024-04-15, 2024-12-31, "quarter")`` is
    ``[2024-25-Q2, 2024-25-Q3]``. Empty if ``last < first`` or no whole period fits.
    """
    return list(_periods_between(first, last, kind))


@lru_cache(maxsize=65536)  # the engine asks for the months of every period it sums, over and over
def _periods_between(first: date, last: date, kind: PeriodKind) -> tuple[Period, ...]:
    if kind == "rolling12":
        period = rolling12_ending(add_months(first.replace(day=1), 11))
    else:
        period = period_of(first, kind)
    if period.start < first:
        period = period.next()
    result: list[Period] = []
    while period.end <= last:
        result.append(period)
        period = period.next()
    return tuple(result)


def age_in_years(birth_month: date, on: date) -> int:
    """Whole years of age on ``on``, taking birth as the 1st of the birth month (negative if unborn)."""
    return on.year - birth_month.year - (1 if on.month < birth_month.month else 0)


def age_band(birth_month: date | None, on: date, unborn: bool = False) -> AgeBand:
    """The DfE CIN age band of a child on ``on``.

    Only the birth *month* is kept, so the age is computed as if the child was born on the 1st of that month
    (any day of ``birth_month`` is accepted; only its year and month are used). A child therefore moves up a
    band from the 1st of their birthday month, and a child born later in the month of ``on`` already counts
    as born ("Under 1").

    - ``unborn`` True -> "Unborn" (the record has only an expected birth date);
    - no birth month -> "Unknown";
    - birth month after ``on``'s month -> "Unborn" (the child was not yet born on that day);
    - otherwise by whole years: 0 "Under 1", 1-4 "1 to 4", 5-9 "5 to 9", 10-15 "10 to 15", 16-17 "16 to 17",
      18+ "18 and over".
    """
    if unborn:
        return "Unborn"
    if birth_month is None:
        return "Unknown"
    if (birth_month.year, birth_month.month) > (on.year, on.month):
        return "Unborn"
    age = age_in_years(birth_month, on)
    for upper, band in ((0, "Under 1"), (4, "1 to 4"), (9, "5 to 9"), (15, "10 to 15"), (17, "16 to 17")):
        if age <= upper:
            return band
    return "18 and over"
