"""The partnership of several LAs: every indicator's `partnership` value pools the member LAs (sum of
numerators over sum of denominators, medians over the pooled rows), on the hand-checked LA 401
history and an LA 402 holding four of its children (U, V, W, X), loaded through the real pipeline."""

from __future__ import annotations

import pandas as pd
import pytest

import indicators
from indicators.registry import registry
from tests.integration.front_door_history import two_la_partnership_loaded

YEAR = "2023-24"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    with two_la_partnership_loaded(tmp_path_factory.mktemp("partnership")) as target:
        yield target


def row(warehouse, indicator_id, la, period=YEAR):
    df = indicators.values(indicator_id, [period], la=la, warehouse=warehouse)
    assert len(df) == 1
    return df.iloc[0]


def test_partnership_pools_numerators_and_denominators_not_rates(warehouse):
    # Referrals: 10 (401) + 4 (402: U, V, W, X) = 14; per 10,000 of 15,000 children = 9.33
    # (the mean of the two rates, 10.0 and 8.0, would be 9.0).
    rate = row(warehouse, "referral_rate_per_10k", "partnership")
    assert (rate.numerator, rate.denominator) == (14, 15_000)
    assert rate.value == pytest.approx(14 / 15_000 * 10_000)
    # Assessments in 45 working days: 5 of 6 and 3 of 4 (U, V, X in time; W 46) -> 8 of 10 = 80%
    # (the mean of 83.3% and 75% would be 79.2%).
    timely = row(warehouse, "assessment_45wd_pct", "partnership")
    assert (timely.numerator, timely.denominator, timely.value) == (8, 10, pytest.approx(80.0))


def test_partnership_median_is_over_the_pooled_rows(warehouse):
    # 401: 0, 11, 33, 35, 45, 46 (median 34); 402: 33, 35, 45, 46 (median 40). Pooled:
    # 0, 11, 33, 33, 35, 35, 45, 45, 46, 46 -> 35 (the mean of the medians would be 37).
    assert row(warehouse, "assessment_median_working_days", "402").value == 40.0
    median = row(warehouse, "assessment_median_working_days", "partnership")
    assert (median.numerator, median.denominator, median.value) == (170 + 159, 10, 35.0)


def test_every_census_indicator_partnership_equals_the_pooled_members(warehouse):
    checked = 0
    for ind in registry().values():
        if "cin_census" not in ind.sources:
            continue
        members = [row(warehouse, ind.id, la) for la in ("401", "402")]
        pooled = row(warehouse, ind.id, "partnership")
        num = sum(m.numerator for m in members)
        assert pooled.numerator == num, ind.id
        if ind.unit == "count":
            assert pooled.value == num, ind.id
        elif ind.statistic == "ratio":
            den = sum(m.denominator for m in members)
            assert pooled.denominator == den, ind.id
            expected = None if den == 0 else num * ind.per / den
            if pooled.status.startswith("not yet") or expected is None:
                assert pooled.value is None, ind.id
            else:
                assert pooled.value == pytest.approx(expected), ind.id
        checked += 1
    assert checked >= 20


def test_partnership_pools_each_factor_code(warehouse):
    # Assessments with factors in 2023-24: 401 has T2, U, V, W, X (5), 402 has U, V, W, X (4). 3B is
    # U's and X's in both: 2 of 5 (40%) and 2 of 4 (50%); pooled 4 of 9 = 44.4% (the mean of the two
    # shares would be 45%). 24A is T2's only: 1 of 9. A factor identified: 4 + 3 = 7 of 9.
    df = indicators.values(
        "assessment_factor_pct", [YEAR], la="partnership", by="assessment_factor", warehouse=warehouse
    )
    got = {r.group: (int(r.numerator), int(r.denominator)) for r in df.itertuples()}
    assert got["Domestic abuse: parent or carer (3B)"] == (4, 9)
    assert got["Child criminal exploitation (24A)"] == (1, 9)
    three_b = df.set_index("group").loc["Domestic abuse: parent or carer (3B)", "value"]
    assert three_b == pytest.approx(400 / 9)
    total = row(warehouse, "assessment_factor_pct", "partnership")
    assert (total.numerator, total.denominator) == (7, 9)


def test_compare_las_is_the_la_breakdown_of_the_partnership(warehouse):
    # CIN at 31 March 2024: 401 has 6 (P, Q, R, U, W, X), 402 has U, W and X = 3; partnership 9.
    df = indicators.values("cin_at_end", [YEAR], la="partnership", by="la", warehouse=warehouse)
    by_la = dict(zip(df["group"], df["numerator"], strict=True))
    assert by_la == {"401": 6, "402": 3}
    assert row(warehouse, "cin_at_end", "partnership").numerator == 9
    # Member rates each use their own population: 6 / 10,000 and 3 / 5,000 per 10,000.
    rates = indicators.values("cin_rate_per_10k", [YEAR], la="partnership", by="la", warehouse=warehouse)
    got = dict(zip(rates["group"], rates["value"], strict=True))
    assert got == {"401": pytest.approx(6.0), "402": pytest.approx(6.0)}


def test_all_las_leaves_the_partnership_out(warehouse):
    df = indicators.values("referrals", [YEAR], warehouse=warehouse)
    assert sorted(df["la_code"]) == ["401", "402"]
    assert isinstance(df, pd.DataFrame)


def test_partnership_is_an_area_code_for_the_api_and_the_cli(warehouse, tmp_path):
    from indicators.api import local_authorities
    from tests.integration.cin_builders import run_cli

    assert local_authorities(warehouse)["partnership"] == "Test partnership"
    done = run_cli(
        "indicators", "--la", "partnership", "--period", YEAR, "--format", "csv", "--warehouse", warehouse
    )
    assert done.returncode == 0, done.stderr
    lines = [line.split(",") for line in done.stdout.splitlines()]
    header = lines[0]
    rows = {r[header.index("indicator_id")]: r for r in lines[1:]}
    assert rows["referrals"][header.index("la_code")] == "partnership"
    assert rows["referrals"][header.index("numerator")] == "14"
    assert rows["assessment_45wd_pct"][header.index("numerator")] == "8"


def test_the_report_takes_the_partnership(warehouse):
    from reports.build import build_report

    report = build_report("2023-24-Q4", "partnership", "analyst", warehouse)
    assert (report.la, report.la_name) == ("partnership", "Test partnership")
    entry = next(e for e in report.entries if e.indicator.id == "referrals")
    # Referrals in January-March 2024: 401 has P, Q, R, S and U (5); 402 has U (1) -> 6.
    assert (entry.period, entry.value_text) == ("2023-24-Q4", "6")


def test_board_partnership_differencing_recovers_no_withheld_cell(warehouse):
    """The disclosure walk for partnership versus members: for every census indicator and period, the
    board sees each member's total and the partnership's (board.trend, as every page and the report
    show them). A withheld member cell is recoverable when the partnership total and every other member
    are shown: then it is their difference. There must be none."""
    from indicators.board import trend

    periods = [YEAR, "2023-24-Q4", "2024-03", "2023-24-Q2"]
    recoverable, withheld_members = [], 0
    for ind in registry().values():
        if "cin_census" not in ind.sources:
            continue
        shown = {
            la: trend(ind.id, periods, la, "board", warehouse).set_index("period")
            for la in ("401", "402", "partnership")
        }
        for period in periods:
            cells = {la: frame.loc[period] for la, frame in shown.items()}
            hidden = [la for la in ("401", "402") if cells[la]["suppressed"]]
            withheld_members += len(hidden)
            if len(hidden) == 1 and not cells["partnership"]["suppressed"]:
                recoverable.append((ind.id, period, hidden[0]))
    assert withheld_members > 0  # the fixture has small cells to protect
    assert recoverable == []


def test_board_member_is_withheld_alongside_a_small_member(warehouse):
    # Referrals 2023-24: 402 has 4 (withheld, 1-5); 401's 10 is withheld as well, or 14 - 10 = 4;
    # the partnership's 14 is shown. Analysts see all three.
    from indicators.board import trend

    board = {
        la: trend("referrals", [YEAR], la, "board", warehouse).iloc[0] for la in ("401", "402", "partnership")
    }
    assert [board[la]["suppressed"] for la in ("401", "402", "partnership")] == [True, True, False]
    assert board["partnership"]["value"] == 14
    analyst = trend("referrals", [YEAR], "401", "analyst", warehouse).iloc[0]
    assert analyst["value"] == 10 and not analyst["suppressed"]
