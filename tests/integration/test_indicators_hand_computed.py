"""Every CP indicator on the hand-checked LA 301 history (tests/integration/cp_history.py).

The fixture is loaded through the real pipeline (two yearly returns, an area lookup and a
population file) and the indicators are read through the analyst API. Expected values are
worked out by hand in the comments; day counts include 29 February 2024.
"""

from __future__ import annotations

import pytest

import indicators
from indicators.periods import parse_period
from pipelines.load import ingest
from tests.integration.cp_history import LA, write_fixture_files

YEAR = "2023-24"  # 1 Apr 2023 .. 31 Mar 2024


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("cp")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    target = base / "warehouse.duckdb"
    ingest(write_fixture_files(base / "raw"), target, progress=None)
    yield target
    mp.undo()


def value_row(warehouse, indicator_id, period=YEAR, by=None):
    df = indicators.values(indicator_id, [period], la=LA, by=by, warehouse=warehouse)
    if by is None:
        assert len(df) == 1
        return df.iloc[0]
    return df


def test_children_on_a_plan_at_end_of_year(warehouse):
    # Open on 31 Mar 2024 (start <= day and no end or end > day): A, B (second plan), D (unborn),
    # G, H, I, K, L = 8. C ended ON 31 Mar 2024, so it is not open; E and F ended 29 Feb.
    row = value_row(warehouse, "cpp_at_end")
    assert (row.numerator, row.value, row.status) == (8, 8.0, "ok")


def test_child_with_two_plans_counted_once_at_end_and_twice_in_starts(warehouse):
    # B's two plans both started in 2023-24; only the second is open at the end.
    at_end = value_row(warehouse, "cpp_at_end", by="sex")
    female = at_end[at_end["group"] == "Female"].iloc[0]
    # Female and open at end: B, I, L = 3 (C ended on the period end, F on 29 Feb).
    assert female.numerator == 3
    starts = value_row(warehouse, "cpp_starts")
    # Starts 1 Apr 2023 - 31 Mar 2024: A (1 Apr), B x2, D, K, L, M (2nd plan), N = 8.
    assert starts.numerator == 8


def test_rate_per_10k_uses_the_previous_mid_year_population(warehouse):
    # Year ending 31 Mar 2024 -> mid-2023 estimate 20,000: 8 / 20,000 x 10,000 = 4.0.
    row = value_row(warehouse, "cpp_rate_per_10k")
    assert (row.numerator, row.denominator) == (8, 20_000)
    assert row.value == pytest.approx(4.0)


def test_repeat_plans_ni65_ever(warehouse):
    # DfE reading (D3): NumberOfPreviousCPP >= 1. Of the 8 starts: B's second plan (previous 1) and
    # N (previous 1, no earlier plan in our data) = 2 of 8 = 25%. M's second plan says previous 0,
    # so DfE does not count it although M's 2022 plan is in the 2022-23 return.
    row = value_row(warehouse, "cpp_repeat_pct")
    assert (row.numerator, row.denominator) == (2, 8)
    assert row.value == pytest.approx(25.0)
    # The target band is 10-15%; 25 is well outside it.
    assert row.rag == "red"


def test_repeat_plans_ni65_local_reading_adds_earlier_plans_in_our_data(warehouse):
    # Local reading: previous >= 1 OR an earlier plan in the loaded data: B, N and now M = 3 of 8.
    row = value_row(warehouse, "cpp_repeat_local_pct")
    assert (row.numerator, row.denominator) == (3, 8)
    assert row.value == pytest.approx(37.5)


def test_repeat_plans_within_two_years(warehouse):
    # B's second plan (previous ended 15 Aug 2023) and M's (previous ended 1 Sep 2022, 13
    # months earlier) count; N's earlier plan is not in the data = 2 of 8 = 25%.
    # The loaded returns start on 1 Apr 2022, less than 2 years before 2023-24 (so N's earlier plan is
    # missed): the counts are kept, but the value is 'not yet measurable' rather than a low 25%.
    row = value_row(warehouse, "cpp_repeat_2y_pct")
    assert (row.numerator, row.denominator) == (2, 8)
    assert row.value is None and row.status.startswith("not yet measurable")


def test_ni64_plans_ended_lasting_two_years(warehouse):
    # Ended in 2023-24: B1 (97 days), C (31 Mar 2022 -> 31 Mar 2024 = 365 + 366 = 731),
    # E (1 Mar 2022 -> 29 Feb 2024 = 365 + 365 = 730), F (2 Mar 2022 -> 29 Feb 2024 = 729),
    # M2 (101 days), N (183 days). DfE: more than 729 days counting the day of cessation
    # (end - start + 1 > 729): C, E and F = 3 of 6 = 50%.
    row = value_row(warehouse, "cpp_ended_2y_pct")
    assert (row.numerator, row.denominator) == (3, 6)
    assert row.value == pytest.approx(50.0)


def test_d5_open_plans_running_two_years(warehouse):
    # Children open at 31 Mar 2024: A, B2, D, G, H, I, K, L = 8. Run more than 729 days by then,
    # counting the start day and 31 Mar (end - start + 1): G (31 Mar 2022: 732), H (1 Apr 2022:
    # 731), I (2 Apr 2022: 730) = 3 of 8 = 37.5%.
    row = value_row(warehouse, "cpp_open_2y_pct")
    assert (row.numerator, row.denominator) == (3, 8)
    assert row.value == pytest.approx(37.5)


def test_ni67_reviews_in_timescale(warehouse):
    # Open at 31 Mar 2024 and on the plan >= 3 months (start + 3 months <= 31 Mar 2024):
    # A, B2 (20 Nov + 3m = 20 Feb), G, H, I, K, L = 7; D (15 Jan + 3m = 15 Apr) is excluded.
    # In time: A (1 Jul = 1 Apr + 3m; 1 Jan = 1 Jul + 6m), B2 (20 Feb exactly 3 months),
    # G (30 Jun, 30 Dec, 30 Jun, 30 Dec: each exactly on time), K (31 Aug = 31 May + 3m,
    # 29 Feb = 31 Aug + 6m clamped) = 4.
    # Not: H (first review 5 Jul 2022, late long ago), I (last review 30 Jun 2023 + 6m = 30 Dec
    # 2023, before 1 Apr 2024), L (1 Mar 2024 is a day after 29 Feb). 4 of 7.
    row = value_row(warehouse, "cpp_reviewed_in_time_pct")
    assert (row.numerator, row.denominator) == (4, 7)
    assert row.value == pytest.approx(100 * 4 / 7)
    assert row.rag == "red"  # target 100% with amber down to 95%


def test_icpc_within_15_working_days(warehouse):
    # ICPCs held in 2023-24, working days after the S47 start (weekends and bank holidays out):
    # N: Mon 20 Mar -> Wed 5 Apr 2023 = 4 + 5 + 3 = 12 (in time)
    # B: Fri 15 Dec 2023 -> Tue 9 Jan 2024 = 5 (18-22 Dec) + 3 (27-29 Dec; 25, 26 hols)
    #    + 4 (2-5 Jan; 1 Jan hol) + 2 = 14 (in time)
    # D: Fri 15 Dec 2023 -> Thu 11 Jan 2024 = 16 (late)
    # M: Fri 8 Mar -> Thu 28 Mar 2024 = 5 + 5 + 4 = 14 (in time; Good Friday is 29 Mar)
    # = 3 of 4 = 75%.
    row = value_row(warehouse, "icpc_15wd_pct")
    assert (row.numerator, row.denominator) == (3, 4)
    assert row.value == pytest.approx(75.0)


def test_quarter_and_leap_month(warehouse):
    # End of 2023-24-Q3 (31 Dec 2023): A, B2, C, E, F, G, H, I, K, L, M2 (ends 10 Jan) = 11.
    assert value_row(warehouse, "cpp_at_end", "2023-24-Q3").numerator == 11
    # Q4 starts (1 Jan - 31 Mar 2024): D only.
    assert value_row(warehouse, "cpp_starts", "2023-24-Q4").numerator == 1
    # February 2024 (29 days): at end (29 Feb) E and F have ended ON the day, so not open:
    # A, B2, C, D, G, H, I, K, L = 9. Ended in February: E (730 days) and F (729, so 730 counting
    # the day of cessation) = 2 of 2.
    assert value_row(warehouse, "cpp_at_end", "2024-02").numerator == 9
    row = value_row(warehouse, "cpp_ended_2y_pct", "2024-02")
    assert (row.numerator, row.denominator) == (2, 2)


def test_rolling_twelve_months_equals_the_financial_year_ending_in_march(warehouse):
    r12 = value_row(warehouse, "cpp_repeat_pct", "R12-2024-03")
    year = value_row(warehouse, "cpp_repeat_pct", YEAR)
    assert (r12.numerator, r12.denominator) == (year.numerator, year.denominator)


def test_age_bands_at_period_end_include_unborn(warehouse):
    # Ages on 31 Mar 2024 from birth MONTH: A (Jun 2015) 8, B (Feb 2019) 5, D unborn,
    # G (Jan 2008) 16, H (Mar 2013) 11, I (Apr 2020) 3, K (Jun 2023) 0, L (Apr 2007) 16.
    df = value_row(warehouse, "cpp_at_end", by="age_band")
    got = dict(zip(df["group"], df["numerator"], strict=True))
    assert got == {"Unborn": 1, "Under 1": 1, "1 to 4": 1, "5 to 9": 2, "10 to 15": 1, "16 to 17": 2}


def test_ethnicity_keeps_refused_and_not_obtained_visible(warehouse):
    df = value_row(warehouse, "cpp_at_end", by="ethnicity")
    got = dict(zip(df["group"], df["numerator"], strict=True))
    # A, K WBRI; B AIND; D NOBT; G REFU; H BAFR; I MWBC; L APKN.
    assert got == {"WBRI": 2, "AIND": 1, "NOBT": 1, "REFU": 1, "BAFR": 1, "MWBC": 1, "APKN": 1}
    groups = value_row(warehouse, "cpp_at_end", by="ethnic_group")
    got = dict(zip(groups["group"], groups["numerator"], strict=True))
    assert got == {"White": 2, "Asian": 2, "Unknown": 2, "Black": 1, "Mixed": 1}


def test_area_breakdown_and_area_not_known(warehouse):
    df = value_row(warehouse, "cpp_at_end", by="area")
    got = dict(zip(df["group"], df["numerator"], strict=True))
    # North: A, B; South: K, L (C ended); the other four have no area in the lookup.
    assert got == {"North": 2, "South": 2, "Area not known": 4}


@pytest.mark.parametrize("indicator_id", list(indicators.registry()))
def test_every_breakdown_sums_to_the_total(warehouse, indicator_id):
    ind = indicators.get(indicator_id)
    for period in (YEAR, "2023-24-Q3", "2024-02"):
        total = value_row(warehouse, indicator_id, period)
        for by in ind.breakdowns:
            if ind.denominator_source and by != "la":
                continue  # population denominators differ by area; numerators are checked below
            df = value_row(warehouse, indicator_id, period, by=by)
            assert df["numerator"].sum() == total.numerator, (by, period)
            if ind.unit == "percent":
                assert df["denominator"].sum() == total.denominator, (by, period)


def test_periods_not_covered_are_not_zero(warehouse):
    # The loaded returns cover 1 Apr 2022 - 31 Mar 2024; 2021-22 is not covered.
    row = value_row(warehouse, "cpp_at_end", "2021-22")
    assert row.value is None or row.value != row.value  # None / NaN, never 0
    assert row.status == "not covered by loaded data"
    covered = [p.label for p in indicators.available_periods("year", LA, warehouse)]
    assert covered == ["2022-23", "2023-24"]


def test_plan_ending_on_31_march_counts_as_ended_not_open(warehouse):
    # C ended on 31 Mar 2024: in the ended denominator for 2023-24, not in the open count.
    assert parse_period(YEAR).end.isoformat() == "2024-03-31"
    ended = value_row(warehouse, "cpp_ended_2y_pct", by="sex")
    female = ended[ended["group"] == "Female"].iloc[0]
    # Female plans ended in the year: B1, C, F, N = 4; of which more than 729 days counting the
    # day of cessation: C (732) and F (730) = 2.
    assert (female.numerator, female.denominator) == (2, 4)
