"""Parity of the front-door indicators with DfE's published figures, on a fixture built to match
Rutland's (LA 857) published 2021-22 rows exactly: C1 131 referrals of which 14 re-referrals
(10.7%), C4 35 section 47 enquiries, B1 121 children in need at 31 March 2022, C3 13 of 142
assessments identifying neglect (9.2%), C2 median 44 working days. The fixture is two census
returns (2020-21 for the earlier referrals, 2021-22) loaded with the real published tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indicators import parity
from indicators.working_days import BANK_HOLIDAYS
from pipelines.load import ingest
from tests.integration.cp_history import population_csv
from tests.integration.front_door_history import Assessment, Kid, Referral, census_xml

REF = Path(__file__).resolve().parents[2] / "vocabulary" / "reference"
LA = "857"
CALENDAR = np.busdaycalendar(holidays=np.array(sorted(BANK_HOLIDAYS), dtype="datetime64[D]"))


def _plus_working_days(day: str, n: int) -> str:
    """The day n working days after `day` (a working day)."""
    return str(np.busday_offset(np.datetime64(day), n, roll="forward", busdaycal=CALENDAR))


def rutland_2021_22() -> list[Kid]:
    kids = []
    # 14 children referred in January 2021 and again on 1 Dec 2021: 14 re-referrals.
    for i in range(14):
        kids.append(
            Kid(
                f"RR{i}",
                "2012-01-01",
                [Referral("2021-01-11", "2021-02-10"), Referral("2021-12-01")],
            )
        )
    # 117 children first referred on Tue 1 Jun 2021; 10 of them closed in January 2022.
    for i in range(117):
        kids.append(Kid(f"N{i}", "2010-05-05", [Referral("2021-06-01", "2022-01-14" if i < 10 else None)]))
    # 35 section 47 enquiries on the June referrals, 18 leading to an ICPC.
    for i in range(35):
        kids[14 + i].referrals[0].s47 = ("2021-06-02", "2021-06-21" if i < 18 else None)
    # 142 assessments authorised in 2021-22 with factors, 44 working days after the referral: the 131
    # referrals in the year and 11 children referred on 1 Mar 2021 (closed 1 Oct 2021). 13 find neglect.
    in_year = [k.referrals[-1] for k in kids]
    for i in range(11):
        kid = Kid(f"E{i}", "2009-09-09", [Referral("2021-03-01", "2021-10-01")])
        kids.append(kid)
        in_year.append(kid.referrals[0])
    for i, referral in enumerate(in_year):
        authorised = _plus_working_days(referral.date, 44)
        referral.assessments = [Assessment(referral.date, authorised, ("16A",) if i < 13 else ("3B",))]
    return kids


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("parity")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    kids = rutland_2021_22()
    files = {
        "cin_857_2021.xml": census_xml("2021-03-31", kids, LA),
        "cin_857_2022.xml": census_xml("2022-03-31", kids, LA),
        "population_857.csv": population_csv({2020: 8061, 2021: 7986}, LA),
    }
    paths = []
    for name, text in files.items():
        (base / name).write_text(text, encoding="utf-8")
        paths.append(base / name)
    paths += sorted(REF.glob("b1_*_2022.csv")) + sorted(REF.glob("c[1-4]_*_2022.csv"))
    target = base / "warehouse.duckdb"
    ingest(paths, target, progress=None)
    yield target
    mp.undo()


@pytest.mark.parametrize(
    ("indicator_id", "local", "published", "numerator", "denominator"),
    [
        ("referrals", 131.0, 131.0, None, None),
        ("rereferral_12m_pct", 100 * 14 / 131, 10.7, 14.0, 131.0),
        ("s47_starts", 35.0, 35.0, None, None),
        ("cin_at_end", 121.0, 121.0, None, None),
        ("factor_neglect_pct", 100 * 13 / 142, 9.2, 13.0, 142.0),
        ("assessment_median_working_days", 44.0, 44.0, None, None),
    ],
)
def test_parity_matches_rutland_2021_22(warehouse, indicator_id, local, published, numerator, denominator):
    p = parity.parity(LA, indicator_id, "2021-22", warehouse)
    assert p.local_value == pytest.approx(local)
    assert p.published_value == published
    assert p.published_source.startswith(("B1", "C1", "C2", "C3", "C4"))
    assert p.matches is True and p.likely_reason == "matches at the published precision"
    if numerator is not None:
        assert (p.published_numerator, p.published_denominator) == (numerator, denominator)


def test_parity_says_why_a_rate_differs_and_when_dfe_suppressed(warehouse):
    # Our rate uses the ONS mid-2021 estimate given (7,986): 131 / 7,986 x 10,000 = 164.0;
    # DfE published 166.9 (its release-year population).
    rate = parity.parity(LA, "referral_rate_per_10k", "2021-22", warehouse)
    assert rate.local_value == pytest.approx(131 / 7986 * 10_000)
    assert rate.published_value == 166.9 and rate.matches is False
    assert "population denominator" in rate.likely_reason
    # Rutland's C2 duration bands have suppressed cells, so the derived 45-day share is not published.
    timely = parity.parity(LA, "assessment_45wd_pct", "2021-22", warehouse)
    assert timely.local_value == pytest.approx(100.0) and timely.published_value is None
    assert timely.published_status == "suppressed" and timely.matches is None
    assert timely.published_denominator == 163.0
    table = parity.parity_table(LA, "2021-22", warehouse)
    assert {"referrals", "rereferral_12m_pct", "cin_at_end", "s47_starts"} <= set(table["indicator_id"])
