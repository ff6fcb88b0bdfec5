"""A small, hand-checked front-door history (referrals, assessments, section 47s) for LA 401,
cut into two yearly CIN census returns (2022-23 and 2023-24). Not a test module.

Expected values are worked out by hand in tests/integration/test_front_door_indicators.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.integration.cp_history import population_csv

LA = "401"


@dataclass
class Assessment:
    start: str
    authorised: str | None = None
    factors: tuple[str, ...] = ()


@dataclass
class Referral:
    date: str
    closure: str | None = None
    nfa: bool = False
    assessments: list[Assessment] = field(default_factory=list)
    s47: tuple[str, str | None] | None = None  # (S47ActualStartDate, DateOfInitialCPC)


@dataclass
class Kid:
    id: str
    birth: str | None
    referrals: list[Referral]
    expected_birth: str | None = None
    sex: str = "F"


# fmt: off
HISTORY: list[Kid] = [
    # P: referred (NFA) on 31 March 2023, re-referred on 31 March 2024: exactly 12 months -> re-referral.
    Kid("P", "2012-05-01", [Referral("2023-03-31", "2023-03-31", nfa=True), Referral("2024-03-31")]),
    # Q: 1 March 2023, then 1 March 2024: the 12-month boundary day counts.
    Kid("Q", "2010-01-10", [
        Referral("2023-03-01", "2023-03-20", assessments=[Assessment("2023-03-02", "2023-03-15", ("4B",))],
                 s47=("2023-03-05", "2023-03-20")),
        Referral("2024-03-01")]),
    # R: 28 Feb 2023, then 29 Feb 2024 (leap day; 12 months before is 28 Feb 2023) -> re-referral. Its
    # assessment (authorised Fri 15 Mar 2024: 11 working days) has no factors recorded.
    Kid("R", "2016-07-07", [
        Referral("2023-02-28", "2023-03-10"),
        Referral("2024-02-29", assessments=[Assessment("2024-03-01", "2024-03-15")])]),
    # S: 27 Feb 2023, then 28 Feb 2024: one day more than 12 months -> not a re-referral. The second
    # episode closes ON 31 March 2024, so S is not in need at the end of the year.
    Kid("S", "2011-11-11", [
        Referral("2023-02-27", "2023-03-05"),
        Referral("2024-02-28", "2024-03-31", assessments=[Assessment("2024-03-04")])]),
    # T: two referrals in one year; the first NFA. The second's assessment is authorised the same day
    # and finds mental health (child) and child criminal exploitation.
    Kid("T", "2009-09-09", [
        Referral("2023-05-01", "2023-05-10", nfa=True),
        Referral("2023-09-01", "2023-12-01",
                 assessments=[Assessment("2023-09-01", "2023-09-01", ("4A", "24A"))])]),
    # U: unborn (expected June 2024), referred Mon 15 Jan 2024; assessment authorised Thu 29 Feb 2024.
    Kid("U", None, [
        Referral("2024-01-15", assessments=[Assessment("2024-01-16", "2024-02-29", ("3B", "4B"))])],
        expected_birth="2024-06-20"),
    # V: referred Mon 3 Apr 2023; assessment authorised on the spring bank holiday, Mon 29 May 2023.
    Kid("V", "2014-02-02", [
        Referral("2023-04-03", "2023-10-01", s47=("2023-04-20", "2023-05-10"),
                 assessments=[Assessment("2023-04-04", "2023-05-29", ("3A", "16A"))])]),
    # W: referred Thu 1 Jun 2023; assessment authorised Fri 4 Aug 2023 (46 working days: late).
    Kid("W", "2013-03-03", [
        Referral("2023-06-01", assessments=[Assessment("2023-06-02", "2023-08-04", ("21",))],
                 s47=("2023-06-12", None))]),
    # X: referred Thu 1 Jun 2023; assessment authorised Thu 3 Aug 2023 (45 working days: in time).
    Kid("X", "2015-08-08", [
        Referral("2023-06-01", assessments=[Assessment("2023-06-02", "2023-08-03", ("1B", "2B", "3B"))],
                 s47=("2023-06-05", "2023-06-20"))]),
]
# fmt: on


def _d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _keep(text: str | None, ref: date) -> str | None:
    return text if text is not None and _d(text) <= ref else None


def _referral_xml(r: Referral, ref: date) -> str:
    out = [
        f"<CINdetails><CINreferralDate>{r.date}</CINreferralDate><ReferralSource>1A</ReferralSource>"
        "<PrimaryNeedCode>N1</PrimaryNeedCode>"
    ]
    closure = _keep(r.closure, ref)
    if closure:
        out.append(f"<CINclosureDate>{closure}</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>")
    for a in r.assessments:
        if _d(a.start) > ref:
            continue
        authorised = _keep(a.authorised, ref)
        out.append(f"<Assessments><AssessmentActualStartDate>{a.start}</AssessmentActualStartDate>")
        if authorised:
            out.append(f"<AssessmentAuthorisationDate>{authorised}</AssessmentAuthorisationDate>")
            if a.factors:
                codes = "".join(f"<AssessmentFactors>{f}</AssessmentFactors>" for f in a.factors)
                out.append(f"<FactorsIdentifiedAtAssessment>{codes}</FactorsIdentifiedAtAssessment>")
        out.append("</Assessments>")
    if r.s47 and _d(r.s47[0]) <= ref:
        icpc = _keep(r.s47[1], ref)
        out.append(
            f"<Section47><S47ActualStartDate>{r.s47[0]}</S47ActualStartDate>"
            + (f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>" if icpc else "")
            + f"<ICPCnotRequired>{'false' if icpc else 'true'}</ICPCnotRequired></Section47>"
        )
    out.append(f"<ReferralNFA>{'true' if r.nfa else 'false'}</ReferralNFA></CINdetails>")
    return "".join(out)


def census_xml(ref: str, kids: list[Kid] = HISTORY, la: str = LA) -> str:
    """The return with reference date `ref`: children with a referral open during its year."""
    r = date.fromisoformat(ref)
    period_start = date(r.year - 1, 4, 1)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails>'
        f"<Collection>CIN</Collection><Year>{r.year}</Year><ReferenceDate>{ref}</ReferenceDate>"
        f"</CollectionDetails><Source><LEA>{la}</LEA>"
        f"<DateTime>{(r + timedelta(days=40)).isoformat()}T09:00:00</DateTime></Source></Header>"
        "<Children>\n"
    ]
    for kid in kids:
        referrals = [
            x
            for x in kid.referrals
            if _d(x.date) <= r and (x.closure is None or _d(x.closure) >= period_start)
        ]
        if not referrals:
            continue
        born = kid.birth is not None and _d(kid.birth) <= r
        ids = f"<LAchildID>{kid.id}</LAchildID>"
        ids += (
            f"<PersonBirthDate>{kid.birth}</PersonBirthDate>"
            if born
            else f"<ExpectedPersonBirthDate>{kid.expected_birth}</ExpectedPersonBirthDate>"
        )
        ids += f"<Sex>{kid.sex}</Sex>"
        out.append(
            f"<Child><ChildIdentifiers>{ids}</ChildIdentifiers><ChildCharacteristics>"
            "<Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
        )
        out.extend(_referral_xml(x, r) for x in referrals)
        out.append("</Child>\n")
    out.append("</Children></Message>\n")
    return "".join(out)


def write_fixture_files(folder: Path, la: str = LA, kids: list[Kid] = HISTORY) -> list[Path]:
    """Both returns (2022-23, 2023-24) and a population file (mid-2023: 10,000 children)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        f"cin_{la}_2023.xml": census_xml("2023-03-31", kids, la),
        f"cin_{la}_2024.xml": census_xml("2024-03-31", kids, la),
        f"population_{la}.csv": population_csv({2022: 9_800, 2023: 10_000}, la),
    }
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


SECOND_LA_KIDS = [k for k in HISTORY if k.id in {"U", "V", "W", "X"}]


def two_la_partnership(base: Path, mp) -> tuple[list[Path], list[Path]]:
    """A partnership of LA 401 (this history) and LA 402 (four of its children: U, V, W, X), named in
    a partnership.yaml that `mp` (a pytest MonkeyPatch) points $SAFEGUARDING_PARTNERSHIP at. Returns
    each LA's files; 402 has its own ONS code and 5,000 children in mid-2023 (401: 10,000)."""
    config = base / "partnership.yaml"
    config.write_text(
        "name: Test partnership\nmembers:\n"
        "  - {la_code: '401', name: First}\n  - {la_code: '402', name: Second}\n",
        encoding="utf-8",
    )
    mp.setenv("SAFEGUARDING_PARTNERSHIP", str(config))
    first = write_fixture_files(base / "a")
    second = write_fixture_files(base / "b", "402", SECOND_LA_KIDS)
    pop = base / "b" / "population_402.csv"
    pop.write_text(
        pop.read_text().replace(",10000", ",5000").replace("E06999999", "E06999998"), encoding="utf-8"
    )
    return first, second


@contextmanager
def two_la_partnership_loaded(base: Path) -> Iterator[Path]:
    """The two-LA partnership (two_la_partnership) loaded in one go through the real pipeline, without
    the mart (values are computed), its key under `base`; yields the warehouse path."""
    from pipelines.load import ingest

    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
        first, second = two_la_partnership(base, mp)
        warehouse = base / "warehouse.duckdb"
        ingest(first + second, warehouse, progress=None)
        yield warehouse
    finally:
        mp.undo()
