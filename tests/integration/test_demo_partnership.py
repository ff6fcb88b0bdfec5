"""The demo partnership (`safeguarding demo --partnership`): each member LA's planted signal shows in
its own computed indicator values, and not in the other members'.

Thresholds are reasoned from the generator's parameters (pipelines/demo/params.py), not read off a run:

* Leicestershire (855), conferences from 2023-04-01: drawn within 15 working days 40% of the time
  (78% before; bank holidays, which the generator's business days ignore, take a few points more off).
  With about 750 conferences a year the yearly share has a standard error of under 2 points, so 65% or
  more before and 50% or less from 2023-24 leave a wide margin on each side.
* Rutland (857), assessments started from 2022-04-01: a median of 45 calendar days from start to
  authorisation instead of 24 (lognormal, sigma 0.65). 45 working days are about 63 calendar days, so
  P(late) = P(Z > ln(63/24)/0.65 = 1.5), about 7%, before (plus later assessments of long episodes,
  counted from the referral), and P(Z > ln(63/45)/0.65 = 0.5), about 30%, after. With about 500
  assessments a year (standard error about 2 points) the test asks for 82% or more before and 76% or
  less from 2022-23. The median moves from about 24 calendar days (17 working days) to about 45 (32).
"""

from __future__ import annotations

import pytest

import indicators

BEFORE_ICPC = ["2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]
AFTER_ICPC = ["2023-24", "2024-25", "2025-26"]
BEFORE_ASSESSMENT = ["2017-18", "2018-19", "2019-20", "2020-21", "2021-22"]
AFTER_ASSESSMENT = ["2022-23", "2023-24", "2024-25", "2025-26"]


def yearly(warehouse, indicator_id: str, la: str, years: list[str]) -> dict[str, float]:
    df = indicators.values(indicator_id, years, la=la, warehouse=warehouse)
    got = dict(zip(df["period"], df["value"].astype(float), strict=True))
    assert sorted(got) == sorted(years), (indicator_id, la)
    return got


@pytest.fixture(scope="module")
def warehouse(partnership_demo):
    return partnership_demo["warehouse"]


def test_the_partnership_and_its_three_members_are_loaded(warehouse):
    las = indicators.api.local_authorities(warehouse)
    assert {"855", "856", "857", "partnership"} <= set(las)
    assert (las["855"], las["857"]) == ("Leicestershire", "Rutland")


def test_leicestershire_conferences_turn_late_from_2023_24(warehouse):
    shares = yearly(warehouse, "icpc_15wd_pct", "855", BEFORE_ICPC + AFTER_ICPC)
    assert all(shares[y] >= 65 for y in BEFORE_ICPC), shares
    assert all(shares[y] <= 50 for y in AFTER_ICPC), shares
    # Leicester's own conferences (no such signal) stay as they were.
    leicester = yearly(warehouse, "icpc_15wd_pct", "856", BEFORE_ICPC + AFTER_ICPC)
    assert all(v >= 65 for v in leicester.values()), leicester


def test_rutland_assessments_slow_down_from_2022_23(warehouse):
    timely = yearly(warehouse, "assessment_45wd_pct", "857", BEFORE_ASSESSMENT + AFTER_ASSESSMENT)
    assert all(timely[y] >= 82 for y in BEFORE_ASSESSMENT), timely
    assert all(timely[y] <= 76 for y in AFTER_ASSESSMENT), timely
    median = yearly(warehouse, "assessment_median_working_days", "857", BEFORE_ASSESSMENT + AFTER_ASSESSMENT)
    assert all(median[y] <= 22 for y in BEFORE_ASSESSMENT), median
    assert all(median[y] >= 28 for y in AFTER_ASSESSMENT), median
    # The other two members' assessments (no such signal) stay timely.
    for la in ("855", "856"):
        other = yearly(warehouse, "assessment_45wd_pct", la, BEFORE_ASSESSMENT + AFTER_ASSESSMENT)
        assert all(v >= 82 for v in other.values()), (la, other)
