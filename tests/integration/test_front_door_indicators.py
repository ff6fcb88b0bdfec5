"""Front-door indicators (referrals, re-referrals, assessments, section 47s, children in need,
factors at assessment) on the hand-checked LA 401 history (tests/integration/front_door_history.py),
loaded through the real pipeline and read through the analyst API. Working days leave out weekends
and England and Wales bank holidays; 2023-24 includes 29 February 2024.
"""

from __future__ import annotations

import shutil

import pytest

import indicators
from pipelines.issues import IngestError
from pipelines.load import ingest
from tests.integration.cin_builders import table_hashes
from tests.integration.front_door_history import HISTORY, LA, Kid, Referral, census_xml, write_fixture_files

YEAR = "2023-24"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("front_door")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    target = base / "warehouse.duckdb"
    ingest(write_fixture_files(base / "raw"), target, progress=None)
    yield target
    mp.undo()


def value_row(warehouse, indicator_id, period=YEAR):
    df = indicators.values(indicator_id, [period], la=LA, warehouse=warehouse)
    assert len(df) == 1
    return df.iloc[0]


def test_referrals_count_nfa_unborn_and_a_referral_on_31_march(warehouse):
    # 2023-24: P (31 Mar 2024), Q (1 Mar), R (29 Feb), S (28 Feb), T x2 (1 May NFA, 1 Sep),
    # U (unborn, 15 Jan), V (3 Apr), W and X (1 Jun) = 10. P's first referral, on 31 Mar 2023,
    # belongs to 2022-23 (with Q, R and S's first referrals: 4).
    assert value_row(warehouse, "referrals").numerator == 10
    assert value_row(warehouse, "referrals", "2022-23").numerator == 4
    # Mid-2023 population 10,000: 10 / 10,000 x 10,000 = 10.0.
    rate = value_row(warehouse, "referral_rate_per_10k")
    assert (rate.numerator, rate.denominator, rate.value) == (10, 10_000, pytest.approx(10.0))


def test_two_referrals_of_one_child_on_different_days_both_count(warehouse):
    # T is referred on 1 May 2023 (NFA) and again on 1 Sep 2023: two referrals in 2023-24, and the
    # second is a re-referral (the first is 4 months before). Quarter 2023-24-Q1 holds the first
    # (with V, W and X: 4 referrals, none a re-referral: V, W, X have no earlier referral and T's
    # first has none either); 2023-24-Q2 holds the second alone: 1 of 1 is a re-referral.
    q2 = value_row(warehouse, "rereferral_12m_pct", "2023-24-Q2")
    assert (q2.numerator, q2.denominator) == (1, 1)
    q1 = value_row(warehouse, "rereferral_12m_pct", "2023-24-Q1")
    assert (q1.numerator, q1.denominator) == (0, 4)
    assert value_row(warehouse, "referrals", "2023-09").numerator == 1


def test_two_referrals_for_one_child_on_one_day_refuse_the_return(warehouse, tmp_path):
    """Two CINdetails for one child with the same CINreferralDate: the reader refuses the whole return
    (structural error S-DUPLICATE-EPISODE; DfE also treats overlapping CIN episodes as an error), the
    message names the file, the LAchildID, the field and the line, and the warehouse is unchanged."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    twice = Kid("Y1", "2011-01-01", [Referral("2023-07-03"), Referral("2023-07-03", nfa=True)])
    text = census_xml("2024-03-31", [*HISTORY, twice]).replace(
        "</CINdetails><CINdetails><CINreferralDate>2023-07-03",
        "</CINdetails>\n<CINdetails><CINreferralDate>2023-07-03",
    )
    first = next(n for n, line in enumerate(text.splitlines(), 1) if "<LAchildID>Y1</LAchildID>" in line)
    path = tmp_path / f"cin_{LA}_2024_twice.xml"
    path.write_text(text, encoding="utf-8")
    before = table_hashes(copy)
    with pytest.raises(IngestError) as caught:
        ingest([path], copy, progress=None)
    report = caught.value.report()
    # The second CINdetails starts on the line after the first (the child's line).
    assert (
        f"{path.name}:{first + 1}: LAchildID Y1: <CINreferralDate> (value '2023-07-03'): a CINdetails "
        f"with this referral date already appeared at line {first} [S-DUPLICATE-EPISODE, structural]"
    ) in report, report
    assert table_hashes(copy) == before


def test_rereferrals_within_12_months_boundaries(warehouse):
    # Re-referrals: P (31 Mar 2023 -> 31 Mar 2024, exactly 12 months), Q (1 Mar -> 1 Mar),
    # R (28 Feb 2023 -> 29 Feb 2024: 12 months before a leap day is 28 Feb), T's second (1 May ->
    # 1 Sep). Not: S (27 Feb 2023 -> 28 Feb 2024 is a day over 12 months), T's first, U, V, W, X.
    # 4 of 10 = 40%.
    row = value_row(warehouse, "rereferral_12m_pct")
    assert (row.numerator, row.denominator, row.status) == (4, 10, "ok")
    assert row.value == pytest.approx(40.0)
    # 2022-23 has no loaded year before it: the counts stay, the value is not yet measurable.
    early = value_row(warehouse, "rereferral_12m_pct", "2022-23")
    assert early.value is None and early.status.startswith("not yet measurable")


def test_assessments_within_45_working_days(warehouse):
    # Authorised in 2023-24 (working days after the referral, up to the authorisation):
    # T2 same day = 0; R Thu 29 Feb -> Fri 15 Mar 2024 = 1 + 5 + 5 = 11;
    # U Mon 15 Jan -> Thu 29 Feb 2024 = 4 + 5 x 5 + 4 = 33;
    # V Mon 3 Apr -> Mon 29 May 2023 (bank holiday, so as Fri 26 May): 3 (4-6 Apr; Good Friday,
    #   Easter Monday) + 4 + 5 + 5 + 4 (1 May hol) + 4 (8 May coronation) + 5 + 5 = 35;
    # X Thu 1 Jun -> Thu 3 Aug 2023 = 1 + 4 x 5 + 4 x 5 + 1 (31 Jul) + 3 = 45 (in time, the limit);
    # W Thu 1 Jun -> Fri 4 Aug 2023 = 46 (late). S's assessment is not authorised; Q's was in 2022-23.
    # 5 of 6 = 83.3%.
    row = value_row(warehouse, "assessment_45wd_pct")
    assert (row.numerator, row.denominator) == (5, 6)
    assert row.value == pytest.approx(500 / 6)
    # Median of 0, 11, 33, 35, 45, 46 = (33 + 35) / 2 = 34; total days 170 over 6 assessments.
    median = value_row(warehouse, "assessment_median_working_days")
    assert (median.numerator, median.denominator, median.value) == (170, 6, 34.0)


def test_section_47s_and_conversion_to_icpc(warehouse):
    # Started in 2023-24: V (20 Apr, ICPC 10 May), W (12 Jun, no ICPC), X (5 Jun, ICPC 20 Jun) = 3;
    # Q's (5 Mar 2023) belongs to 2022-23. Led to an ICPC: V and X = 2 of 3.
    assert value_row(warehouse, "s47_starts").numerator == 3
    rate = value_row(warehouse, "s47_rate_per_10k")
    assert rate.value == pytest.approx(3.0)
    icpc = value_row(warehouse, "s47_icpc_pct")
    assert (icpc.numerator, icpc.denominator) == (2, 3)
    assert icpc.value == pytest.approx(200 / 3)


def test_children_in_need_at_31_march(warehouse):
    # Open on 31 Mar 2024: P (referred that day), Q, R, U (unborn), W, X = 6. S closed ON 31 Mar,
    # T closed 1 Dec, V closed 1 Oct. 6 per 10,000 = 6.0.
    assert value_row(warehouse, "cin_at_end").numerator == 6
    assert value_row(warehouse, "cin_rate_per_10k").value == pytest.approx(6.0)
    # At 31 Mar 2023: P's NFA referral closed that day; Q, R, S closed in March -> 0 children.
    assert value_row(warehouse, "cin_at_end", "2022-23").numerator == 0


@pytest.mark.parametrize(
    ("indicator_id", "numerator"),
    [
        # Authorised in 2023-24 with factors recorded: T2 (4A, 24A), U (3B, 4B), V (3A, 16A), W (21),
        # X (1B, 2B, 3B) = 5; R's assessment recorded none and is left out.
        ("factor_domestic_abuse_pct", 3),  # U, V, X
        ("factor_mental_health_pct", 2),  # T2, U
        ("factor_substance_misuse_pct", 1),  # X (1B and 2B count once)
        ("factor_neglect_pct", 1),  # V
        ("factor_exploitation_pct", 1),  # T2 (24A, criminal exploitation)
    ],
)
def test_factors_identified_at_assessment(warehouse, indicator_id, numerator):
    row = value_row(warehouse, indicator_id)
    assert (row.numerator, row.denominator) == (numerator, 5)
    assert row.value == pytest.approx(100 * numerator / 5)


def test_a_month_and_a_quarter(warehouse):
    # February 2024: R (29 Feb) and S (28 Feb) referred; March 2024: P and Q.
    assert value_row(warehouse, "referrals", "2024-02").numerator == 2
    # 2023-24-Q1 (Apr-Jun 2023): V, T1, W, X = 4 referrals; V's assessment (29 May) the only one done.
    assert value_row(warehouse, "referrals", "2023-24-Q1").numerator == 4
    q1 = value_row(warehouse, "assessment_45wd_pct", "2023-24-Q1")
    assert (q1.numerator, q1.denominator) == (1, 1)


def test_each_factor_code_as_a_share_of_the_assessments(warehouse):
    # Authorised in 2023-24 with factors recorded: T2 (4A, 24A), U (3B, 4B), V (3A, 16A), W (21),
    # X (1B, 2B, 3B) = 5 (R's recorded none). A factor identified (any code but 21): T2, U, V, X = 4.
    total = value_row(warehouse, "assessment_factor_pct")
    assert (total.numerator, total.denominator, total.value) == (4, 5, pytest.approx(80.0))
    df = indicators.values(
        "assessment_factor_pct", [YEAR], la=LA, by="assessment_factor", warehouse=warehouse
    )
    got = {r.group: (int(r.numerator), int(r.denominator), r.value) for r in df.itertuples()}
    # Each code over all 5 assessments; 3B is U's and X's (2 of 5 = 40%), every other code one
    # assessment's (20%). The groups add up to 10 of 5: an assessment is in each of its codes' groups.
    one = (1, 5, pytest.approx(20.0))
    assert got == {
        "Domestic abuse: parent or carer (3B)": (2, 5, pytest.approx(40.0)),
        "Mental health: child (4A)": one,
        "Child criminal exploitation (24A)": one,
        "Mental health: parent or carer (4B)": one,
        "Domestic abuse: child (3A)": one,
        "Neglect (16A)": one,
        "No factors identified (21)": one,
        "Alcohol misuse: parent or carer (1B)": one,
        "Drug misuse: parent or carer (2B)": one,
    }
    # A quarter is summed from its months: 2023-24-Q2 (Jul-Sep 2023) has X (3 Aug), W (4 Aug) and T2
    # (1 Sep); the total (a factor identified) is X's and T2's: 2 of 3.
    q2 = indicators.values(
        "assessment_factor_pct", ["2023-24-Q2"], la=LA, by="assessment_factor", warehouse=warehouse
    )
    q2_cells = {r.group: (int(r.numerator), int(r.denominator)) for r in q2.itertuples()}
    # Six codes (4A, 24A of T2; 21 of W; 1B, 2B, 3B of X), each 1 of 3; none of U's or V's.
    assert q2_cells == {
        "Mental health: child (4A)": (1, 3),
        "Child criminal exploitation (24A)": (1, 3),
        "No factors identified (21)": (1, 3),
        "Alcohol misuse: parent or carer (1B)": (1, 3),
        "Drug misuse: parent or carer (2B)": (1, 3),
        "Domestic abuse: parent or carer (3B)": (1, 3),
    }
    q2_total = value_row(warehouse, "assessment_factor_pct", "2023-24-Q2")
    assert (q2_total.numerator, q2_total.denominator) == (2, 3)
