"""NI67, NI64, D5 and NI65 at their exact DfE boundaries, on a small hand-made history for LA 302.

Loaded through the real pipeline (returns for 2022-23 and 2023-24) and read through the analyst API.
Each kid sits on one side of a boundary day; every expected value is worked out in the comments.
Day counts: 2024 is a leap year (29 Feb 2024).
"""

from __future__ import annotations

import pytest

import indicators
from pipelines.load import ingest
from tests.integration.cp_history import Episode, Kid, Plan, census_xml, population_csv

LA = "302"


def _kid(name: str, *plans: Plan) -> Kid:
    return Kid(name, "2012-01-01", "M", "WBRI", [Episode("2021-01-01", plans=list(plans))])


# fmt: off
KIDS = [
    # NI64 (D7): ended 15 Feb 2024 after 728, 729 and 730 days (end - start). DfE counts "more than
    # 729 calendar days including the day of cessation": end - start + 1 = 729, 730, 731.
    _kid("E728", Plan("2022-02-17", "2024-02-15")),
    _kid("E729", Plan("2022-02-16", "2024-02-15")),
    _kid("E730", Plan("2022-02-15", "2024-02-15")),
    # D5: open on 31 Mar 2024 since 3 Apr 2022 (728 days before) and 2 Apr 2022 (729 days before).
    _kid("O728", Plan("2022-04-03")),
    _kid("O729", Plan("2022-04-02")),
    # D5: one child, two overlapping open plans (since 1 Jun 2021 and 1 Jun 2023): one child, on a
    # plan continuously since 1 Jun 2021.
    _kid("TWIN", Plan("2021-06-01"), Plan("2023-06-01", previous=1)),
    # NI67 at 31 Mar 2024: started 1 Jul 2023; the only review (in time for a first review, due by
    # 1 Oct) was on 30 Sep (next due 30 Mar 2024: a day overdue on 31 Mar) or 1 Oct (due 1 Apr).
    _kid("R30SEP", Plan("2023-07-01", reviews=["2023-09-30"])),
    _kid("R01OCT", Plan("2023-07-01", reviews=["2023-10-01"])),
    # NI67 at 31 Dec 2023: started 1 Apr 2023; review 30 Jun (next due 30 Dec) or 1 Jul (due 1 Jan).
    _kid("R30JUN", Plan("2023-04-01", reviews=["2023-06-30"])),
    _kid("R01JUL", Plan("2023-04-01", reviews=["2023-07-01"])),
    # NI67 at 31 Aug 2023 (month-end clamping): started 1 Dec 2022, ended 15 Sep 2023; review
    # 28 Feb 2023 (next due 28 Aug) or 1 Mar 2023 (next due 1 Sep, and 31 Aug - 6 months = 28 Feb).
    _kid("R28FEB", Plan("2022-12-01", "2023-09-15", reviews=["2023-02-28"])),
    _kid("R01MAR", Plan("2022-12-01", "2023-09-15", reviews=["2023-03-01"])),
]
# fmt: on


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("boundaries")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    raw = base / "raw"
    raw.mkdir()
    files = {
        f"cin_{LA}_2023.xml": census_xml("2023-03-31", KIDS, LA),
        f"cin_{LA}_2024.xml": census_xml("2024-03-31", KIDS, LA),
        "population.csv": population_csv({2022: 19_500, 2023: 20_000}, LA),
    }
    for name, text in files.items():
        (raw / name).write_text(text, encoding="utf-8")
    target = base / "warehouse.duckdb"
    ingest(sorted(raw.iterdir()), target, progress=None)
    yield target
    mp.undo()


def row(warehouse, indicator_id: str, period: str):
    df = indicators.values(indicator_id, [period], la=LA, warehouse=warehouse)
    assert len(df) == 1
    return df.iloc[0]


def test_ni64_counts_729_days_apart_but_not_728(warehouse):
    # Ended in 2023-24: E728, E729, E730 (15 Feb 2024), R28FEB and R01MAR (15 Sep 2023, 288 days).
    # More than 729 days counting both ends: E729 (730) and E730 (731) = 2 of 5 = 40%.
    r = row(warehouse, "cpp_ended_2y_pct", "2023-24")
    assert (r.numerator, r.denominator) == (2, 5)
    assert r.value == pytest.approx(40.0)
    # February 2024 alone: the three E plans, 2 of 3.
    r = row(warehouse, "cpp_ended_2y_pct", "2024-02")
    assert (r.numerator, r.denominator) == (2, 3)


def test_d5_counts_children_and_the_729_day_boundary(warehouse):
    # Open on 31 Mar 2024: O728, O729, TWIN (2 plans, 1 child), R30SEP, R01OCT, R30JUN, R01JUL
    # = 7 children (8 plans). 2 years or more (31 Mar 2024 - start + 1 > 729): O729 (2 Apr 2022,
    # 729 + 1 = 730) and TWIN (since 1 Jun 2021); O728 (728 + 1 = 729) is not = 2 of 7.
    r = row(warehouse, "cpp_open_2y_pct", "2023-24")
    assert (r.numerator, r.denominator) == (2, 7)
    assert r.value == pytest.approx(100 * 2 / 7)
    # The denominator is the count of children on a plan, as cpp_at_end shows it.
    assert row(warehouse, "cpp_at_end", "2023-24").numerator == 7


def test_ni67_next_review_due_after_the_period_end_at_31_march(warehouse):
    # On a plan on 31 Mar 2024 for 3 months or more: O728, O729, TWIN (latest plan 1 Jun 2023,
    # no review: not in time), R30SEP, R01OCT, R30JUN, R01JUL = 7. In time: R01OCT only (1 Oct +
    # 6 months = 1 Apr, the day after the end). R30SEP (30 Mar) is a day overdue; R30JUN and
    # R01JUL last reviewed in 2023-06/07 are long overdue. 1 of 7.
    r = row(warehouse, "cpp_reviewed_in_time_pct", "2023-24")
    assert (r.numerator, r.denominator) == (1, 7)


def test_ni67_at_31_december(warehouse):
    # 31 Dec 2023: the same 7 are eligible (R30SEP and R01OCT: 1 Jul + 3 months = 1 Oct), and
    # E728, E729, E730 (open until 15 Feb 2024, never reviewed) = 10. In time: R30SEP (next due
    # 30 Mar 2024), R01OCT (1 Apr 2024), R01JUL (1 Jan 2024, the day after). R30JUN is due
    # 30 Dec 2023, a day overdue on 31 Dec. 3 of 10.
    r = row(warehouse, "cpp_reviewed_in_time_pct", "2023-24-Q3")
    assert (r.numerator, r.denominator) == (3, 10)


def test_ni67_at_31_august_with_month_end_clamping(warehouse):
    # 31 Aug 2023: eligible (start + 3 months <= 31 Aug): O728, O729, TWIN (its 2023 plan started
    # 1 Jun, + 3 months = 1 Sep, is not yet eligible, so its 2021 plan, never reviewed), R30JUN,
    # R01JUL, R28FEB, R01MAR, and E728, E729, E730 (never reviewed) = 10. In time: R30JUN (next
    # due 30 Dec), R01JUL, R01MAR (next due 1 Sep). R28FEB is due 28 Aug, although 31 Aug - 6
    # months clamps to 28 Feb. 3 of 10.
    r = row(warehouse, "cpp_reviewed_in_time_pct", "2023-08")
    assert (r.numerator, r.denominator) == (3, 10)


def test_ni65_dfe_reading_uses_number_of_previous_cpp_only(warehouse):
    # Plans starting in 2023-24: TWIN's second plan (previous 1), R30SEP, R01OCT, R30JUN, R01JUL
    # (previous 0, no earlier plan) = 5. DfE reading: TWIN = 1 of 5. The local reading adds an
    # earlier plan in our data: TWIN again (its 2021 plan), still 1 of 5.
    assert (row(warehouse, "cpp_repeat_pct", "2023-24")[["numerator", "denominator"]] == [1, 5]).all()
    local = row(warehouse, "cpp_repeat_local_pct", "2023-24")
    assert (local.numerator, local.denominator) == (1, 5)
