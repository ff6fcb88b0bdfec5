"""Plans broken down by the factors at the child's latest assessment before the plan (DfE C3 codes),
on a hand-checked 2023-24 return for LA 402 loaded through the real pipeline. Every expected value is
worked out by hand from the plans listed in PLANS below."""

from __future__ import annotations

import pandas as pd
import pytest

import indicators
from pipelines.load import ingest
from tests.integration.cin_builders import census, plan, write
from tests.integration.cp_history import population_csv
from viewmodels.factor_shares import repeat_versus_first

LA = "402"
YEAR = "2023-24"


def assessment(start: str, authorised: str | None, factors: tuple[str, ...] = ()) -> str:
    found = "".join(f"<AssessmentFactors>{f}</AssessmentFactors>" for f in factors)
    return (
        f"<Assessments><AssessmentActualStartDate>{start}</AssessmentActualStartDate>"
        + (f"<AssessmentAuthorisationDate>{authorised}</AssessmentAuthorisationDate>" if authorised else "")
        + (f"<FactorsIdentifiedAtAssessment>{found}</FactorsIdentifiedAtAssessment>" if found else "")
        + "</Assessments>"
    )


def kid(
    child_id: str, referral: str, assessments: list[str], plans: list[str], *, unborn: bool = False
) -> str:
    born = (
        "<ExpectedPersonBirthDate>2024-05-01</ExpectedPersonBirthDate>"
        if unborn
        else "<PersonBirthDate>2015-01-17</PersonBirthDate>"
    )
    return (
        f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID>{born}<Sex>F</Sex></ChildIdentifiers>"
        "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
        f"<CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>1A</ReferralSource>"
        "<PrimaryNeedCode>N1</PrimaryNeedCode>"
        + "".join(assessments)
        + "<ReferralNFA>false</ReferralNFA>"
        + "".join(plans)
        + "</CINdetails></Child>\n"
    )


# fmt: off
PLANS = [
    # A: domestic abuse (3B) found on 10 May; a repeat plan from 1 Jun.
    kid("A", "2023-04-03", [assessment("2023-04-04", "2023-05-10", ("3B",))],
        [plan("2023-06-01", previous=1)]),
    # B: 3A found on 10 Apr, then only parental mental health (4B) on 1 Jul: the latest one counts, so
    # no domestic abuse. A first plan from 15 Jul.
    kid("B", "2023-04-03", [assessment("2023-04-04", "2023-04-10", ("3A",)),
                            assessment("2023-06-01", "2023-07-01", ("4B",))],
        [plan("2023-07-15", previous=0)]),
    # C: 3C and 1B found on the day the plan starts (1 Sep): that assessment counts. Repeat (2 before).
    kid("C", "2023-08-01", [assessment("2023-08-02", "2023-09-01", ("3C", "1B"))],
        [plan("2023-09-01", previous=2)]),
    # D: the only assessment is authorised after the plan starts: no assessment before it. First plan.
    kid("D", "2023-10-01", [assessment("2023-10-02", "2023-10-20", ("3A",))],
        [plan("2023-10-10", previous=0)]),
    # E: 21 (no factors identified) on 1 May; a later assessment (1 Nov) recorded no factors, so the
    # 1 May one is the latest with factors: nothing identified. Repeat plan from 15 Nov.
    kid("E", "2023-04-03", [assessment("2023-04-04", "2023-05-01", ("21",)),
                            assessment("2023-10-01", "2023-11-01")],
        [plan("2023-11-15", previous=1)]),
    # F: two plans in one year. 3B on 20 Apr before the first (1 May to 1 Aug, first plan); 4A on
    # 1 Dec before the second (10 Jan 2024, a repeat): only the second's assessment counts for it.
    kid("F", "2023-04-03", [assessment("2023-04-04", "2023-04-20", ("3B",)),
                            assessment("2023-11-01", "2023-12-01", ("4A",))],
        [plan("2023-05-01", "2023-08-01", previous=0), plan("2024-01-10", previous=1)]),
    # G: two assessments authorised the same day (1 Feb 2024), 3A and 2A: both count. A first plan
    # starting on 31 March 2024, the last day of the year.
    kid("G", "2024-01-02", [assessment("2024-01-03", "2024-02-01", ("3A",)),
                            assessment("2024-01-04", "2024-02-01", ("2A",))],
        [plan("2024-03-31", previous=0)]),
    # H: unborn (expected May 2024); 3B found on 10 Feb, first plan from 15 Feb.
    kid("H", "2024-01-02", [assessment("2024-01-03", "2024-02-10", ("3B",))],
        [plan("2024-02-15", previous=0)], unborn=True),
]
# fmt: on


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("plan_factors")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    files = [
        write(base / "raw" / f"cin_{LA}_2024.xml", census(PLANS, la=LA, ref="2024-03-31")),
        write(base / "raw" / f"population_{LA}.csv", population_csv({2023: 10_000}, LA)),
    ]
    target = base / "warehouse.duckdb"
    ingest(files, target, progress=None)
    yield target
    mp.undo()


def cells(warehouse, indicator_id: str, by: str, period: str = YEAR) -> dict[str, tuple]:
    """group -> (numerator, denominator) of one breakdown in one period."""
    df = indicators.values(indicator_id, [period], la=LA, by=by, warehouse=warehouse)
    return {r.group: (_int(r.numerator), _int(r.denominator)) for r in df.itertuples()}


def _int(x):
    return None if pd.isna(x) else int(x)


# Plans starting in 2023-24: A, B, C, D, E, F1, F2, G, H = 9. Repeats (NumberOfPreviousCPP >= 1):
# A, C, E, F2 = 4. The latest assessment with factors on or before each start:
#   A 3B | B 4B | C 3C 1B | D none | E 21 | F1 3B | F2 4A | G 3A + 2A | H 3B
NO_ASSESSMENT = "No assessment with factors before the plan"


def test_plans_starting_by_domestic_abuse(warehouse):
    # Identified: A, C, F1, G, H = 5; not: B, E, F2 = 3; no assessment: D = 1 (9 in all).
    got = cells(warehouse, "cpp_starts", "factor_domestic_abuse")
    assert got == {"Identified": (5, None), "Not identified": (3, None), NO_ASSESSMENT: (1, None)}


def test_repeat_plans_by_each_factor(warehouse):
    # Domestic abuse: repeats A, C of 5 identified; E, F2 of 3 not; D (first) of 1.
    assert cells(warehouse, "cpp_repeat_pct", "factor_domestic_abuse") == {
        "Identified": (2, 5),
        "Not identified": (2, 3),
        NO_ASSESSMENT: (0, 1),
    }
    # Mental health (4A-4C): B, F2 identified (F2 a repeat); A, C, E, F1, G, H not (A, C, E repeats).
    assert cells(warehouse, "cpp_repeat_pct", "factor_mental_health") == {
        "Identified": (1, 2),
        "Not identified": (3, 6),
        NO_ASSESSMENT: (0, 1),
    }
    # Alcohol or drug misuse (1A-2C): C (1B, a repeat), G (2A); the other six not (A, E, F2 repeats).
    assert cells(warehouse, "cpp_repeat_pct", "factor_substance_misuse") == {
        "Identified": (1, 2),
        "Not identified": (3, 6),
        NO_ASSESSMENT: (0, 1),
    }


def test_children_on_a_plan_at_31_march_by_domestic_abuse(warehouse):
    # Open on 31 Mar 2024: every plan but F1 (ended 1 Aug); F counted once, by F2 (4A). G's plan
    # starts that day and counts. Identified: A, C, G, H = 4; not: B, E, F = 3; no assessment: D.
    got = cells(warehouse, "cpp_at_end", "factor_domestic_abuse")
    assert got == {"Identified": (4, None), "Not identified": (3, None), NO_ASSESSMENT: (1, None)}


def test_quarters_sum_to_the_year(warehouse):
    # Q1 (Apr-Jun 2023): A (3B), F1 (3B) identified. Q4 (Jan-Mar 2024): F2 (4A) not; G, H identified.
    assert cells(warehouse, "cpp_starts", "factor_domestic_abuse", "2023-24-Q1") == {"Identified": (2, None)}
    assert cells(warehouse, "cpp_starts", "factor_domestic_abuse", "2023-24-Q4") == {
        "Identified": (2, None),
        "Not identified": (1, None),
    }


# LA 403, a smaller member: four plans starting in 2023-24. J (3B, a repeat), K and L (3A, first plans)
# are identified; M (only 4B, a repeat) is not.
# fmt: off
PLANS_403 = [
    kid("J", "2023-04-03", [assessment("2023-04-04", "2023-05-02", ("3B",))],
        [plan("2023-06-05", previous=1)]),
    kid("K", "2023-04-03", [assessment("2023-04-04", "2023-05-03", ("3A",))],
        [plan("2023-06-06", previous=0)]),
    kid("L", "2023-07-03", [assessment("2023-07-04", "2023-08-01", ("3A",))],
        [plan("2023-08-07", previous=0)]),
    kid("M", "2023-07-03", [assessment("2023-07-04", "2023-08-02", ("4B",))],
        [plan("2023-08-08", previous=1)]),
]
# fmt: on


def test_partnership_pools_the_factor_breakdown(tmp_path, monkeypatch):
    """Two members of different sizes (LA 402: 9 plans, LA 403: 4), so that pooling and averaging
    the members' shares give different answers: the partnership's cells are the pooled counts."""
    config = tmp_path / "partnership.yaml"
    config.write_text(
        "name: Test partnership\nmembers:\n  - la_code: '402'\n    name: Four Oh Two\n"
        "  - la_code: '403'\n    name: Four Oh Three\n"
    )
    monkeypatch.setenv("SAFEGUARDING_PARTNERSHIP", str(config))
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(tmp_path / "key"))
    from vocabulary.partnership import _cached

    _cached.cache_clear()
    try:
        files = [
            write(tmp_path / "raw" / "cin_402_2024.xml", census(PLANS, la="402", ref="2024-03-31")),
            write(tmp_path / "raw" / "cin_403_2024.xml", census(PLANS_403, la="403", ref="2024-03-31")),
        ]
        target = tmp_path / "warehouse.duckdb"
        ingest(files, target, progress=None)

        def shares(la: str) -> dict[str, tuple]:
            df = indicators.values(
                "cpp_repeat_pct", [YEAR], la=la, by="factor_domestic_abuse", warehouse=target
            )
            return {r.group: (_int(r.numerator), _int(r.denominator), r.value) for r in df.itertuples()}

        member_402, member_403, pooled = shares("402"), shares("403"), shares("partnership")
    finally:
        _cached.cache_clear()
    # 402 (as above): identified 2 repeats of 5 (40%), not identified 2 of 3, no assessment 0 of 1.
    # 403: identified J of J, K, L = 1 of 3 (33.3%); not identified M of M = 1 of 1 (100%).
    assert member_403["Identified"][:2] == (1, 3) and member_403["Not identified"][:2] == (1, 1)
    # Pooled: identified (2 + 1) of (5 + 3) = 3 of 8 = 37.5% (the mean of 40% and 33.3% is 36.7%);
    # not identified (2 + 1) of (3 + 1) = 3 of 4 = 75% (the mean of 66.7% and 100% is 83.3%).
    assert pooled == {
        "Identified": (3, 8, pytest.approx(37.5)),
        "Not identified": (3, 4, pytest.approx(75.0)),
        NO_ASSESSMENT: (0, 1, pytest.approx(0.0)),
    }
    mean = (member_402["Identified"][2] + member_403["Identified"][2]) / 2
    assert mean != pytest.approx(pooled["Identified"][2])


def test_repeat_against_first_plans_in_words(warehouse):
    ind = indicators.get("cpp_repeat_pct")
    df = indicators.values("cpp_repeat_pct", [YEAR], la=LA, by="factor_domestic_abuse", warehouse=warehouse)
    df["suppressed"] = False
    # Assessed repeats: A, C (identified), E, F2 (not) = 4, 2 with domestic abuse = 50%. Assessed first
    # plans: F1, G, H (identified), B (not) = 4, 3 with domestic abuse = 75%. D had no assessment.
    words = repeat_versus_first(ind, "factor_domestic_abuse", df, YEAR, "analyst")
    assert words == (
        "Of the 4 repeat plans starting in 2023-24 whose child had an assessment with factors before the "
        "plan, 50% had domestic abuse identified at the latest one; of the 4 first plans, 75%. "
        "1 plan had no such assessment and is in neither share."
    )
    # For the board every count behind it here is 1 to 5: withheld.
    board = repeat_versus_first(ind, "factor_domestic_abuse", df, YEAR, "board")
    assert board.startswith("Repeat and first plans by domestic abuse: withheld for 2023-24")
