"""Tests for indicators.working_days: England bank holidays and working-day counts (values by hand)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.working_days import (
    BANK_HOLIDAYS,
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
    working_days_between_arrays,
)

D = date.fromisoformat

# --- bank holidays --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        "2011-04-29",  # royal wedding
        "2012-06-04",  # spring bank holiday moved from 28 May for the diamond jubilee
        "2012-06-05",  # diamond jubilee
        "2022-06-02",  # spring bank holiday moved for the platinum jubilee
        "2022-06-03",  # platinum jubilee
        "2022-09-19",  # state funeral of Queen Elizabeth II
        "2023-05-08",  # coronation of King Charles III
        "2020-05-08",  # early May bank holiday moved to Friday for VE Day 75
        "1995-05-08",  # ... and for VE Day 50
        "1999-12-31",  # millennium
        "2021-12-27",  # Christmas Day (Saturday) substitute
        "2021-12-28",  # Boxing Day (Sunday) substitute
        "2022-12-27",  # Christmas Day (Sunday) substitute; Boxing Day is Monday 26th
        "2010-12-27",
        "2010-12-28",
        "2011-01-03",  # New Year's Day (Saturday) substitute
        "2023-01-02",  # New Year's Day (Sunday) substitute
        "2008-03-21",  # Good Friday 2008 (early Easter)
        "2008-03-24",  # Easter Monday 2008
        "2024-03-29",  # Good Friday 2024
        "2024-04-01",  # Easter Monday 2024
        "2024-05-06",  # early May
        "2024-05-27",  # spring
        "2024-08-26",  # summer (England, not Scotland's first Monday of August)
        "2035-12-25",
    ],
)
def test_bank_holidays(day: str) -> None:
    assert is_bank_holiday(D(day))
    assert not is_working_day(D(day))


@pytest.mark.parametrize(
    "day",
    [
        "2012-05-28",  # the usual last Monday of May was a working day in 2012
        "2022-05-30",  # ... and in 2022
        "2020-05-04",  # the usual first Monday of May was a working day in 2020
        "2024-08-05",  # Scottish summer bank holiday only
        "2024-01-02",  # Scottish 2 January only
        "2024-03-18",  # St Patrick's day substitute: Northern Ireland only
        "2024-07-12",  # Battle of the Boyne: Northern Ireland only
        "2024-11-29",  # St Andrew's day: Scotland only (a Friday in 2024)
    ],
)
def test_not_bank_holidays_in_england(day: str) -> None:
    assert not is_bank_holiday(D(day))
    assert is_working_day(D(day))


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(D("2024-01-06"))  # Saturday
    assert not is_working_day(D("2024-01-07"))  # Sunday
    assert is_working_day(D("2024-01-08"))  # Monday


def test_every_year_has_its_bank_holidays() -> None:
    weekday_holidays = {
        y: sum(1 for d in BANK_HOLIDAYS if d.year == y and d.weekday() < 5) for y in range(2008, 2036)
    }
    # Eight a year, plus one-off days: 2011 wedding, 2012 jubilee, 2022 jubilee + funeral, 2023 coronation.
    extra = {2011: 1, 2012: 1, 2022: 2, 2023: 1}
    assert weekday_holidays == {y: 8 + extra.get(y, 0) for y in range(2008, 2036)}


def test_outside_known_years_raises() -> None:
    with pytest.raises(ValueError, match="1990-2040"):
        is_bank_holiday(D("1989-12-25"))
    with pytest.raises(ValueError, match="1990-2040"):
        working_days_between(D("2040-12-01"), D("2041-01-05"))
    with pytest.raises(ValueError, match="1990-2040"):
        add_working_days(D("2040-12-20"), 30)
    # A count starting on 31 Dec 1989 only looks at days from 1 Jan 1990.
    assert working_days_between(D("1989-12-31"), D("1990-01-02")) == 1  # Jan 1 holiday, Jan 2 Tuesday


# --- working_days_between -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-01-08", "2024-01-08", 0),  # same day
        ("2024-01-05", "2024-01-08", 1),  # Friday -> Monday
        ("2024-01-06", "2024-01-07", 0),  # Saturday -> Sunday
        ("2024-01-06", "2024-01-08", 1),  # Saturday -> Monday
        ("2024-01-08", "2024-01-12", 4),  # Monday -> Friday: Tue, Wed, Thu, Fri
        ("2024-01-08", "2024-01-15", 5),  # one week
        ("2024-03-28", "2024-04-02", 1),  # Thu before Easter -> Tue after: Good Friday, Easter Monday off
        ("2023-12-22", "2024-01-02", 4),  # Fri 22 Dec -> Tue 2 Jan: 27, 28, 29 Dec and 2 Jan (see below)
        ("2021-12-24", "2021-12-29", 1),  # Fri 24 Dec 2021 -> Wed 29: 27th and 28th are substitutes
        ("2022-09-16", "2022-09-20", 1),  # Fri -> Tue over the state funeral on Mon 19th
        ("2023-05-05", "2023-05-09", 1),  # Fri -> Tue over the coronation on Mon 8th
        ("2020-05-07", "2020-05-11", 1),  # Thu -> Mon over VE Day (Fri 8th)
        ("2020-05-01", "2020-05-04", 1),  # Fri -> Mon 4 May 2020, a working day that year
        ("2024-01-08", "2024-01-05", -1),  # end before start: negative
        ("2024-01-15", "2024-01-08", -5),
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    # 2023-12-22 -> 2024-01-02: Sat 23, Sun 24 off; Mon 25, Tue 26 bank holidays; Wed 27, Thu 28, Fri 29
    # count; Sat 30, Sun 31 off; Mon 1 Jan bank holiday; Tue 2 counts: 3 + 1 = 4.
    assert working_days_between(D(start), D(end)) == expected


def test_icpc_fifteen_working_days() -> None:
    # S47 started Monday 2 Dec 2024. Working days: Dec 3-6 (4), 9-13 (9), 16-20 (14), 23 (15).
    s47 = D("2024-12-02")
    assert add_working_days(s47, 15) == D("2024-12-23")
    assert working_days_between(s47, D("2024-12-23")) == 15  # on time
    # Tue 24 is day 16; 25 and 26 are bank holidays, so an ICPC on the 27th is day 17: late.
    assert working_days_between(s47, D("2024-12-24")) == 16
    assert working_days_between(s47, D("2024-12-27")) == 17


# --- arrays ---------------------------------------------------------------------------------------------


def test_arrays_match_scalar_and_handle_missing() -> None:
    starts = np.array(["2024-01-05", "2024-03-28", "NaT", "2024-01-15", "2021-12-24"], dtype="datetime64[D]")
    ends = np.array(["2024-01-08", "2024-04-02", "2024-01-01", "2024-01-08", "NaT"], dtype="datetime64[D]")
    result = working_days_between_arrays(starts, ends)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, [1, 1, np.nan, -5, np.nan])


def test_arrays_accept_other_units_and_broadcast() -> None:
    starts = np.array(["2024-01-05T13:45", "2024-01-08T00:00"], dtype="datetime64[m]")  # truncated to days
    np.testing.assert_array_equal(working_days_between_arrays(starts, np.datetime64("2024-01-12")), [5, 4])
    empty = np.array([], dtype="datetime64[D]")
    assert working_days_between_arrays(empty, empty).shape == (0,)


def test_arrays_outside_known_years_raise() -> None:
    with pytest.raises(ValueError, match="1990-2040"):
        working_days_between_arrays(
            np.array(["1985-01-01"], "datetime64[D]"), np.array(["2024-01-01"], "datetime64[D]")
        )


working_day_dates = st.dates(date(2008, 1, 1), date(2035, 12, 31))


@given(working_day_dates, working_day_dates)
def test_arrays_agree_with_scalar(a: date, b: date) -> None:
    result = working_days_between_arrays(np.array([a], "datetime64[D]"), np.array([b], "datetime64[D]"))
    assert result[0] == working_days_between(a, b)


@given(working_day_dates, working_day_dates)
def test_antisymmetric(a: date, b: date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)


@given(working_day_dates, st.integers(0, 400))
def test_count_matches_a_day_by_day_walk(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    walked = sum(1 for k in range(1, span + 1) if is_working_day(a + timedelta(days=k)))
    assert working_days_between(a, b) == walked


# --- add_working_days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-01-05", 1, "2024-01-08"),  # Friday + 1 = Monday
        ("2024-01-06", 1, "2024-01-08"),  # Saturday + 1 = Monday
        ("2024-01-06", 0, "2024-01-06"),  # + 0 is the same day, even at a weekend
        ("2024-01-08", -1, "2024-01-05"),  # Monday - 1 = Friday
        ("2024-01-06", -1, "2024-01-04"),  # Saturday - 1 = Thursday (Friday is the day counted)
        ("2024-03-28", 1, "2024-04-02"),  # over Easter
        ("2024-04-02", -1, "2024-03-28"),
        ("2021-12-24", 1, "2021-12-29"),  # over Christmas substitutes
        ("2022-09-16", 1, "2022-09-20"),  # over the state funeral
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert add_working_days(D(start), n) == D(expected)


@given(st.dates(date(2008, 1, 1), date(2034, 12, 31)), st.integers(-300, 300))
def test_add_working_days_inverts_count(a: date, n: int) -> None:
    result = add_working_days(a, n)
    assert working_days_between(a, result) == n
    if n != 0:
        assert is_working_day(result)
    if n > 0:  # the earliest date with that count
        assert working_days_between(a, result - timedelta(days=1)) == n - 1
