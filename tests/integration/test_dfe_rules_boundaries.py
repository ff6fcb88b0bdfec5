"""The six DfE rules added last (1530, 4003, 8569Q, 8670Q, 8675Q, 8873Q): where each starts to fire."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.dfe.engine import census_dates, working_days_before
from pipelines.issues import Severity
from pipelines.load import validate_files
from tests.dfe_mutations import ASSESS, _cin_plan_c1005, _cpp, clean, s47

YEAR = "2024-25"  # reference date Monday 31 March 2025; the census year starts Tuesday 1 April 2024


def _fired(r, tmp_path, year=YEAR) -> set[str]:
    [result] = validate_files([r.write(tmp_path / "return.xml")], rules=year)
    return {i.rule_id for i in result.issues if i.severity in (Severity.ERROR, Severity.QUERY)}


def test_working_days_before_counts_back_over_weekends_and_bank_holidays():
    assert working_days_before(date(2025, 4, 1), 1) == date(2025, 3, 31)  # Tuesday -> Monday
    # Sunday 31 March 2024: Good Friday (29th) is a bank holiday, so the working day before is Thursday.
    assert working_days_before(date(2024, 3, 31), 1) == date(2024, 3, 28)
    # Monday 1 April 2024 is Easter Monday: the same Thursday.
    assert working_days_before(date(2024, 4, 1), 1) == date(2024, 3, 28)
    # Hand count back from Monday 31 March 2025: 20 working days in March, 20 in February, then
    # 31, 30, 29, 28 and 27 January.
    params = census_dates(date(2025, 3, 31), YEAR)
    assert params["ref_less_45wd"] == date(2025, 1, 27)
    assert params["ref_less_15wd"] == date(2025, 3, 10)  # 24-28, 17-21 and 10-14 March
    assert params["start_less_1wd"] == date(2024, 3, 28)
    # 2023-24 (Sunday 31 March 2024): 20 working days in March before Good Friday, 21 in February,
    # then 31, 30, 29 and 26 January.
    assert census_dates(date(2024, 3, 31), "2023-24")["ref_less_45wd"] == date(2024, 1, 26)


def test_a_header_date_without_known_bank_holidays_falls_back_to_the_census_year():
    params = census_dates(date(2099, 3, 31), YEAR)
    assert params["ref_less_15wd"] == date(2025, 3, 10)


@pytest.mark.parametrize(
    ("referral", "nfa", "fires"),
    [
        ("2024-03-27", "true", True),
        ("2024-03-28", "true", False),  # the working day before 1 April 2024 (Good Friday, Easter Monday)
        ("2024-03-27", "false", False),
    ],
)
def test_8569q_no_further_action_referral_before_the_year(tmp_path, referral, nfa, fires):
    r = clean(YEAR)
    r.set(r.ep("C1004"), "CINreferralDate", referral)
    r.set(r.ep("C1004"), "ReferralNFA", nfa)
    fired = _fired(r, tmp_path)
    assert ("8569Q" in fired) is fires
    # A referral going on to further action needs a primary need (8610) and no UN7 (8772).
    assert fired <= ({"8569Q"} if nfa == "true" else {"8610", "8772"})


@pytest.mark.parametrize(
    ("start", "end", "fires"),
    [
        ("2025-01-24", None, True),  # 46 working days before 31 March 2025
        ("2025-01-27", None, False),  # exactly 45
        ("2024-06-03", "2024-06-10", False),  # long ago, but completed
    ],
)
def test_8670q_open_assessment_older_than_45_working_days(tmp_path, start, end, fires):
    r = clean(YEAR)
    end_el = f"<AssessmentAuthorisationDate>{end}</AssessmentAuthorisationDate>" if end else ""
    factors = "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
    factors += "</FactorsIdentifiedAtAssessment>"
    r.add(
        r.ep("C1001"),
        f"<Assessments><AssessmentActualStartDate>{start}</AssessmentActualStartDate>{end_el}"
        f"{factors if end else ''}</Assessments>",
    )
    assert _fired(r, tmp_path) == ({"8670Q"} if fires else set())


@pytest.mark.parametrize(
    ("start", "not_required", "fires"),
    [
        ("2025-03-07", "false", True),  # 16 working days before 31 March 2025
        ("2025-03-10", "false", False),  # exactly 15
        ("2024-06-03", "true", False),  # no conference needed
    ],
)
def test_8675q_enquiry_without_conference_older_than_15_working_days(tmp_path, start, not_required, fires):
    r = clean(YEAR)
    r.add(r.ep("C1001"), s47(start).replace(">false<", f">{not_required}<"))
    assert _fired(r, tmp_path) == ({"8675Q"} if fires else set())


def test_8670q_and_8675q_fire_on_the_mutation_ages_in_every_year(tmp_path):
    for year in ("2023-24", "2025-26"):
        r = clean(year)
        r.add(r.ep("C1001"), ASSESS.format(r.d("2024-06-03")))
        r.add(r.ep("C1001"), s47(r.d("2024-06-04")))
        assert _fired(r, tmp_path, year) == {"8670Q", "8675Q"}, year


def test_4003_review_during_a_cin_plan(tmp_path):
    # A CIN plan that runs while the plan is reviewed: both DfE overlap rules fire.
    r = clean(YEAR)
    _cin_plan_c1005(r, "2024-07-01", "2024-10-31")  # the plan starts 15 July, its review is 10 October
    assert _fired(r, tmp_path) == {"4003", "4017"}
    # A review on the plan's end date, the day a step-down CIN plan starts, is allowed.
    r = clean(YEAR)
    _cin_plan_c1005(r, "2024-11-01", "2024-11-08")
    r.add(_cpp(r, "C1005"), "<Reviews><CPPreviewDate>2024-11-01</CPPreviewDate></Reviews>")
    assert "4003" not in _fired(r, tmp_path)


@pytest.mark.parametrize(
    ("reason", "second_assessment", "fires"),
    [
        ("RC3", False, True),
        ("RC9", False, False),
        ("RC3", True, False),  # two assessments on the episode: not DfE's case
    ],
)
def test_8873q_factor_21_on_the_only_assessment(tmp_path, reason, second_assessment, fires):
    r = clean(YEAR)
    ep = r.ep("C1002", 0)  # closed 5 April 2024 (RC8), one assessment with factor 21
    r.set(ep, "ReasonForClosure", reason)
    if second_assessment:
        r.add(
            ep,
            "<Assessments><AssessmentActualStartDate>2023-09-05</AssessmentActualStartDate>"
            "<AssessmentAuthorisationDate>2024-04-02</AssessmentAuthorisationDate>"
            "<FactorsIdentifiedAtAssessment><AssessmentFactors>21</AssessmentFactors>"
            "</FactorsIdentifiedAtAssessment></Assessments>",
        )
    fired = _fired(r, tmp_path)
    assert ("8873Q" in fired) is fires
    assert fired <= {"8873Q", "8863Q"}


@pytest.mark.parametrize(
    ("upn", "fires"),
    [
        ("B999111111111", True),  # 999: no LA
        ("E942111111111", False),  # Cumberland, from 2023-24
        ("T001111111111", False),  # a pseudo-LA code
    ],
)
def test_1530_upn_la_code(tmp_path, upn, fires):
    r = clean(YEAR)
    r.set(r.ids("C1001"), "UPN", upn)
    assert _fired(r, tmp_path) == ({"1530"} if fires else set())


def test_8873q_leaves_open_episodes_alone(tmp_path):
    r = clean(YEAR)
    factors = r.ep("C1001").find("Assessments/FactorsIdentifiedAtAssessment")  # C1001's episode is open
    first, second = factors.findall("AssessmentFactors")
    first.text = "21"
    factors.remove(second)
    assert _fired(r, tmp_path) == set()
