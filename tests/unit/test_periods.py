"""Tests for indicators.periods: labels, period arithmetic, add_months, age bands (values by hand)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.periods import (
    AGE_BANDS,
    Period,
    add_months,
    age_band,
    financial_year,
    month_of,
    parse_period,
    period_of,
    periods_between,
    quarter_of,
    rolling12_ending,
)

D = date.fromisoformat


# --- parse_period ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind", "start", "end"),
    [
        ("2010-11", "year", "2010-04-01", "2011-03-31"),
        ("1999-00", "year", "1999-04-01", "2000-03-31"),  # century roll-over: 00 follows 99
        ("2024-25-Q1", "quarter", "2024-04-01", "2024-06-30"),
        ("2024-25-Q2", "quarter", "2024-07-01", "2024-09-30"),
        ("2024-25-Q3", "quarter", "2024-10-01", "2024-12-31"),
        ("2024-25-Q4", "quarter", "2025-01-01", "2025-03-31"),  # Q4 is January-March of the *second* year
        ("2023-24-Q4", "quarter", "2024-01-01", "2024-03-31"),
        ("2024-09", "month", "2024-09-01", "2024-09-30"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),  # leap year
        ("2023-02", "month", "2023-02-01", "2023-02-28"),
        ("2100-02", "month", "2100-02-01", "2100-02-28"),  # divisible by 100, not 400: not leap
        ("2000-02", "month", "2000-02-01", "2000-02-29"),  # divisible by 400: leap
        ("2024-12", "month", "2024-12-01", "2024-12-31"),
        ("R12-2024-09", "rolling12", "2023-10-01", "2024-09-30"),
        ("R12-2024-12", "rolling12", "2024-01-01", "2024-12-31"),
        ("R12-2025-01", "rolling12", "2024-02-01", "2025-01-31"),
        ("R12-2024-03", "rolling12", "2023-04-01", "2024-03-31"),  # equals financial year 2023-24's span
    ],
)
def test_parse_period(label: str, kind: str, start: str, end: str) -> None:
    assert parse_period(label) == Period(label, kind, D(start), D(end))  # type: ignore[arg-type]


def test_parse_period_tolerates_case_and_spaces() -> None:
    assert parse_period(" r12-2024-09 ").label == "R12-2024-09"
    assert parse_period("2024-25-q3").label == "2024-25-Q3"


def test_financial_year_wins_over_month_for_ambiguous_labels() -> None:
    # "2010-11" could be November 2010; the design doc says it is the financial year.
    assert parse_period("2010-11").kind == "year"
    assert parse_period("2008-09").kind == "year"
    assert parse_period("2011-12").kind == "year"
    # The kind hint reads it as the month instead.
    november = Period("2010-11", "month", D("2010-11-01"), D("2010-11-30"))
    assert parse_period("2010-11", kind="month") == november
    # Not ambiguous: 12 does not follow 2010, so "2010-12" is December 2010.
    assert parse_period("2010-12").kind == "month"


def test_kind_hint_restricts_the_form() -> None:
    assert parse_period("2024-25-Q3", kind="quarter").label == "2024-25-Q3"
    with pytest.raises(ValueError, match="expected a year period"):
        parse_period("2024-09", kind="year")
    with pytest.raises(ValueError, match="Unknown period kind"):
        parse_period("2024-09", kind="week")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "label",
    [
        "",
        "2024",
        "2024-9",
        "2024/25",
        "FY2024-25",
        "2024-25-Q0",
        "2024-25-Q5",
        "2024-25 Q3",
        "R12-2024",
        "R6-2024-09",
        "24-25",
        "2024-09-01",
    ],
)
def test_parse_period_rejects_other_forms_naming_the_accepted_ones(label: str) -> None:
    with pytest.raises(ValueError, match="Unrecognised period") as info:
        parse_period(label)
    for form in ("'YYYY-YY'", "'YYYY-YY-Qn'", "'YYYY-MM'", "'R12-YYYY-MM'"):
        assert form in str(info.value)


@pytest.mark.parametrize(
    ("label", "why"),
    [
        ("2010-13", "month must be 01 to 12"),  # 13 does not follow 2010 and is not a month
        ("2010-00", "month must be 01 to 12"),
        ("R12-2024-13", "month must be 01 to 12"),
        ("2024-26-Q3", "second year must follow the first"),
        ("2024-24-Q1", "second year must follow the first"),
        ("9999-00", "year must be between"),
        ("0999-00", "year must be between"),
    ],
)
def test_parse_period_explains_invalid_values(label: str, why: str) -> None:
    with pytest.raises(ValueError, match=why) as info:
        parse_period(label)
    assert "accepted forms" in str(info.value)


def test_parse_period_rejects_non_strings() -> None:
    with pytest.raises(ValueError, match="must be a string"):
        parse_period(202409)  # type: ignore[arg-type]


# --- periods containing a date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        ("2010-04-01", "2010-11"),
        ("2011-03-31", "2010-11"),
        ("2011-04-01", "2011-12"),
        ("2024-01-15", "2023-24"),
    ],
)
def test_financial_year(day: str, label: str) -> None:
    assert financial_year(D(day)).label == label


@pytest.mark.parametrize(
    ("day", "label"),
    [
        ("2024-04-01", "2024-25-Q1"),
        ("2024-06-30", "2024-25-Q1"),
        ("2024-07-01", "2024-25-Q2"),
        ("2024-11-05", "2024-25-Q3"),
        ("2024-12-31", "2024-25-Q3"),
        ("2025-01-01", "2024-25-Q4"),
        ("2025-03-31", "2024-25-Q4"),
    ],
)
def test_quarter_of(day: str, label: str) -> None:
    assert quarter_of(D(day)).label == label


def test_month_of_and_rolling12_ending() -> None:
    assert month_of(D("2024-02-17")) == Period("2024-02", "month", D("2024-02-01"), D("2024-02-29"))
    assert rolling12_ending(D("2024-09-17")) == parse_period("R12-2024-09")


def test_period_of_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="Unknown period kind"):
        period_of(D("2024-01-01"), "fortnight")  # type: ignore[arg-type]


# --- previous, next, ees_time_period --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "previous"),
    [
        ("2010-11", "2009-10"),
        ("2000-01", "1999-00"),
        ("2024-25-Q1", "2023-24-Q4"),
        ("2024-25-Q4", "2024-25-Q3"),
        ("2024-01", "2023-12"),
        ("2024-03", "2024-02"),
        ("R12-2024-01", "R12-2023-12"),
    ],
)
def test_previous_and_next(label: str, previous: str) -> None:
    period = parse_period(label)
    kind = period.kind
    assert period.previous() == parse_period(previous, kind=kind)
    assert parse_period(previous, kind=kind).next() == period


def test_ees_time_period() -> None:
    assert parse_period("2010-11").ees_time_period == 2011  # the EES year is the one the FY ends in
    assert parse_period("1999-00").ees_time_period == 2000
    assert parse_period("2024-25-Q3").ees_time_period is None
    assert parse_period("2024-09").ees_time_period is None
    assert parse_period("R12-2024-09").ees_time_period is None


def test_contains_and_days() -> None:
    fy = parse_period("2023-24")
    assert fy.contains(D("2023-04-01")) and fy.contains(D("2024-03-31"))
    assert not fy.contains(D("2024-04-01"))
    assert fy.days == 366  # includes 29 February 2024
    assert parse_period("2024-25-Q4").days == 31 + 28 + 31


def test_period_is_frozen() -> None:
    with pytest.raises(AttributeError):
        parse_period("2024-09").label = "2024-10"  # type: ignore[misc]


# --- periods_between ------------------------------------------------------------------------------------


def _labels(first: str, last: str, kind: str) -> list[str]:
    return [p.label for p in periods_between(D(first), D(last), kind)]  # type: ignore[arg-type]


def test_periods_between_complete_periods_only() -> None:
    # 15 April is inside Q1, so Q1 is partial; Q3 ends exactly on the last day so it is included.
    assert _labels("2024-04-15", "2024-12-31", "quarter") == ["2024-25-Q2", "2024-25-Q3"]
    assert _labels("2024-04-01", "2024-12-30", "quarter") == ["2024-25-Q1", "2024-25-Q2"]
    assert _labels("2010-04-01", "2013-03-31", "year") == ["2010-11", "2011-12", "2012-13"]
    assert _labels("2010-04-02", "2013-03-30", "year") == ["2011-12"]
    assert _labels("2024-01-31", "2024-04-30", "month") == ["2024-02", "2024-03", "2024-04"]
    # Rolling 12 months need a whole 12 months: Oct 2023 to Sep 2024 is the first that fits.
    assert _labels("2023-10-01", "2024-12-31", "rolling12") == [
        "R12-2024-09",
        "R12-2024-10",
        "R12-2024-11",
        "R12-2024-12",
    ]
    assert _labels("2023-10-02", "2024-12-31", "rolling12") == ["R12-2024-10", "R12-2024-11", "R12-2024-12"]


def test_periods_between_empty_cases() -> None:
    assert _labels("2024-04-02", "2024-06-30", "quarter") == []
    assert _labels("2024-12-31", "2024-01-01", "month") == []
    assert _labels("2024-01-01", "2024-11-30", "rolling12") == []


@given(
    st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    st.integers(0, 1200),
    st.sampled_from(["year", "quarter", "month", "rolling12"]),
)
def test_periods_between_properties(first: date, span: int, kind: str) -> None:
    last = first + timedelta(days=span)
    periods = periods_between(first, last, kind)  # type: ignore[arg-type]
    for p in periods:
        assert first <= p.start <= p.end <= last
        assert p.kind == kind and parse_period(p.label, kind=p.kind) == p
    for before, after in zip(periods, periods[1:], strict=False):
        assert before.next() == after and after.previous() == before
    if periods:  # nothing complete is missed at either end
        assert periods[0].previous().start < first and periods[-1].next().end > last


# --- add_months -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),  # Jan 31 + 1: February 2024 has 29 days (leap year)
        ("2023-01-31", 1, "2023-02-28"),  # not a leap year
        ("2023-11-30", 3, "2024-02-29"),  # first review deadline for a plan starting 30 Nov 2023
        ("2023-11-29", 3, "2024-02-29"),  # 29 Feb exists in 2024, so the day is kept
        ("2022-11-29", 3, "2023-02-28"),  # ... but not in 2023: clamped
        ("2023-08-31", 6, "2024-02-29"),  # later review deadline after a review on 31 Aug 2023
        ("2024-02-29", 6, "2024-08-29"),  # from a leap day, the day 29 is kept
        ("2024-02-29", 12, "2025-02-28"),  # a year after a leap day: clamped
        ("2024-02-29", 48, "2028-02-29"),  # four years after: leap again
        ("2024-03-31", 1, "2024-04-30"),
        ("2024-05-31", 3, "2024-08-31"),  # August has 31 days: no clamping
        ("2023-10-15", 3, "2024-01-15"),  # year roll-over
        ("2024-12-31", 1, "2025-01-31"),
        ("2024-01-01", 0, "2024-01-01"),
        ("2024-03-31", -1, "2024-02-29"),  # negative n
        ("2024-01-31", -2, "2023-11-30"),
        ("2024-01-15", -13, "2022-12-15"),
        ("2024-08-29", -6, "2024-02-29"),
    ],
)
def test_add_months(start: str, n: int, expected: str) -> None:
    assert add_months(D(start), n) == D(expected)


def test_add_months_is_not_reversible_or_associative_at_month_ends() -> None:
    # Documented consequences of clamping, which matter when chaining review deadlines.
    assert add_months(add_months(D("2024-01-31"), 1), -1) == D("2024-01-29")
    assert add_months(add_months(D("2023-11-30"), 3), 6) == D("2024-08-29")
    assert add_months(D("2023-11-30"), 9) == D("2024-08-30")


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.integers(-1200, 1200))
def test_add_months_properties(d: date, n: int) -> None:
    result = add_months(d, n)
    assert _month_index(result) == _month_index(d) + n  # lands in exactly the n-th month
    assert result.day <= d.day  # never runs past the day it started on
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == d.day or result.day == last_day  # kept, or clamped to the month end
    if d.day <= 28:
        assert result.day == d.day


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.integers(-600, 600), st.integers(-600, 600))
def test_add_months_composes_when_the_day_exists_everywhere(d: date, m: int, n: int) -> None:
    early = d.replace(day=min(d.day, 28))
    assert add_months(add_months(early, m), n) == add_months(early, m + n)


# --- age_band -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_month", "on", "expected"),
    [
        (None, "2024-03-31", "Unknown"),
        ("2024-04-01", "2024-03-31", "Unborn"),  # born after the day in question
        ("2024-03-01", "2024-03-31", "Under 1"),  # birth month = this month: treated as born on the 1st
        ("2023-04-01", "2024-03-31", "Under 1"),  # 11 months old
        ("2023-03-01", "2024-03-31", "1 to 4"),  # 1st birthday on 1 March 2024
        ("2023-03-01", "2024-02-29", "Under 1"),  # the day before that month: still 0
        ("2019-04-01", "2024-03-31", "1 to 4"),  # 4 years 11 months
        ("2019-03-01", "2024-03-01", "5 to 9"),  # 5 on the 1st of the birth month
        ("2014-04-01", "2024-03-31", "5 to 9"),  # 9 years 11 months
        ("2014-03-01", "2024-03-31", "10 to 15"),  # 10
        ("2008-04-01", "2024-03-31", "10 to 15"),  # 15 years 11 months
        ("2008-03-01", "2024-03-31", "16 to 17"),  # 16
        ("2006-04-01", "2024-03-31", "16 to 17"),  # 17 years 11 months
        ("2006-03-01", "2024-03-31", "18 and over"),  # 18
        ("1990-01-01", "2024-03-31", "18 and over"),
        ("2020-02-15", "2024-02-01", "1 to 4"),  # any day of the birth month counts as the 1st: age 4
    ],
)
def test_age_band(birth_month: str | None, on: str, expected: str) -> None:
    birth = D(birth_month) if birth_month else None
    assert age_band(birth, D(on), unborn=False) == expected


def test_age_band_unborn_flag_wins() -> None:
    assert age_band(None, D("2024-03-31"), unborn=True) == "Unborn"
    assert age_band(D("2024-05-01"), D("2024-03-31"), unborn=True) == "Unborn"


@given(
    st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2040, 12, 1))),
    st.dates(date(2000, 1, 1), date(2035, 12, 31)),
    st.booleans(),
)
def test_age_band_always_a_dfe_band(birth: date | None, on: date, unborn: bool) -> None:
    assert age_band(birth, on, unborn) in AGE_BANDS


@given(st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.dates(date(2000, 1, 1), date(2035, 12, 31)))
def test_age_band_never_goes_down_with_time(birth: date, on: date) -> None:
    order = ["Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17", "18 and over"]
    later = on + timedelta(days=40)
    assert order.index(age_band(birth, on, False)) <= order.index(age_band(birth, later, False))
