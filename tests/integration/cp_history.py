"""A small, hand-checked child-protection history for LA 301, cut into yearly CIN census returns.

Every indicator test computes its expected values by hand from the table below (see the comments
in tests/integration/test_indicators_hand_computed.py). Returns are cut the way a real LA system
does: a child is in a return if one of their episodes is open during its year, and no date after
the reference date is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

LA = "301"


@dataclass
class Plan:
    start: str
    end: str | None = None
    category: str = "NEG"
    latest: str | None = None
    previous: int = 0
    reviews: list[str] = field(default_factory=list)


@dataclass
class Episode:
    referral: str
    closure: str | None = None
    plans: list[Plan] = field(default_factory=list)
    s47: tuple[str, str | None] | None = None  # (S47ActualStartDate, DateOfInitialCPC)


@dataclass
class Kid:
    id: str
    birth: str | None
    sex: str
    ethnicity: str
    episodes: list[Episode]
    expected_birth: str | None = None
    area: str | None = None


# fmt: off
HISTORY: list[Kid] = [
    # A: plan starting on 1 April; reviews exactly 3 months, then exactly 6 months, later.
    Kid("A", "2015-06-10", "M", "WBRI", [Episode("2023-03-10", plans=[
        Plan("2023-04-01", reviews=["2023-07-01", "2024-01-01"])])], area="North"),
    # B: two plans in one year; the second is a repeat (previous 1) 97 days after the first ended.
    Kid("B", "2019-02-14", "F", "AIND", [Episode("2023-05-01", s47=("2023-12-15", "2024-01-09"), plans=[
        Plan("2023-05-10", "2023-08-15", category="PHY"),
        Plan("2023-11-20", category="EMO", previous=1, reviews=["2024-02-20"])])], area="North"),
    # C: ran 2022-03-31 to 2024-03-31 (731 days, over 29 Feb 2024) and ENDED on the period end.
    Kid("C", "2010-09-09", "F", "WBRI", [Episode("2022-03-01", plans=[
        Plan("2022-03-31", "2024-03-31", previous=2, reviews=["2022-06-30"])])], area="South"),
    # D: unborn child (expected June 2024) on a plan from 15 January 2024.
    Kid("D", None, "U", "NOBT", [Episode("2023-12-01", s47=("2023-12-15", "2024-01-11"), plans=[
        Plan("2024-01-15")])], expected_birth="2024-06-01"),
    # E and F end on the leap day 29 Feb 2024 after 730 and 729 days.
    Kid("E", "2012-01-01", "M", "WBRI", [Episode("2022-02-01", plans=[Plan("2022-03-01", "2024-02-29")])]),
    Kid("F", "2012-01-02", "F", "WBRI", [Episode("2022-02-01", plans=[Plan("2022-03-02", "2024-02-29")])]),
    # G, H, I open at the end after 731, 730 and 729 days.
    # G: every review in time (31 Mar + 3 months = 30 Jun; then 6-monthly).
    Kid("G", "2008-01-01", "M", "REFU", [Episode("2022-03-01", plans=[
        Plan("2022-03-31", reviews=["2022-06-30", "2022-12-30", "2023-06-30", "2023-12-30"])])]),
    # H: first review late long ago (5 July 2022 > 1 July 2022), all later ones in time.
    Kid("H", "2013-03-03", "M", "BAFR", [Episode("2022-03-01", plans=[
        Plan("2022-04-01", reviews=["2022-07-05", "2023-01-04", "2023-07-03", "2024-01-02"])])]),
    # I: reviews in time, but the last (30 Jun 2023) is more than 6 months before 31 Mar 2024.
    Kid("I", "2020-04-01", "F", "MWBC", [Episode("2022-03-01", plans=[
        Plan("2022-04-02", reviews=["2022-07-01", "2023-01-01", "2023-06-30"])])]),
    # K and L: 31 May + 3 months = 31 Aug; 31 Aug + 6 months = 29 Feb 2024 (clamped, leap year).
    Kid("K", "2023-06-15", "M", "WBRI", [Episode("2023-05-01", plans=[
        Plan("2023-05-31", reviews=["2023-08-31", "2024-02-29"])])], area="South"),
    Kid("L", "2007-04-30", "F", "APKN", [Episode("2023-05-01", plans=[
        Plan("2023-05-31", reviews=["2023-08-31", "2024-03-01"])])], area="South"),
    # M: an earlier plan in our data (2022-23 return only) although NumberOfPreviousCPP says 0.
    Kid("M", "2011-11-11", "M", "WBRI", [
        Episode("2022-05-01", "2022-10-01", plans=[Plan("2022-06-01", "2022-09-01")]),
        Episode("2023-09-20", s47=("2024-03-08", "2024-03-28"), plans=[Plan("2023-10-01", "2024-01-10")]),
    ]),
    # N: NumberOfPreviousCPP 1 but no earlier plan in our data; ICPC 5 Apr 2023 for an S47 of 20 Mar.
    Kid("N", "2016-05-05", "F", "WBRI", [Episode("2023-03-15", s47=("2023-03-20", "2023-04-05"), plans=[
        Plan("2023-06-01", "2023-12-01", previous=1)])]),
]
# fmt: on


def _d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _keep(text: str | None, ref: date) -> str | None:
    return text if text is not None and _d(text) <= ref else None


def census_xml(ref: str, kids: list[Kid] = HISTORY, la: str = LA) -> str:
    """The return with reference date `ref`, cut from the history."""
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
        episodes = [
            e
            for e in kid.episodes
            if _d(e.referral) <= r and (e.closure is None or _d(e.closure) >= period_start)
        ]
        if not episodes:
            continue
        born = kid.birth is not None and _d(kid.birth) <= r
        ids = f"<LAchildID>{kid.id}</LAchildID>"
        ids += f"<PersonBirthDate>{kid.birth}</PersonBirthDate>" if born else ""
        ids += (
            f"<ExpectedPersonBirthDate>{kid.expected_birth}</ExpectedPersonBirthDate>"
            if kid.expected_birth and not born
            else ""
        )
        if not born and kid.expected_birth is None and kid.birth is not None:
            ids += f"<ExpectedPersonBirthDate>{kid.birth}</ExpectedPersonBirthDate>"
        ids += f"<Sex>{kid.sex}</Sex>"
        out.append(
            f"<Child><ChildIdentifiers>{ids}</ChildIdentifiers><ChildCharacteristics>"
            f"<Ethnicity>{kid.ethnicity}</Ethnicity></ChildCharacteristics>"
        )
        for e in episodes:
            out.append(f"<CINdetails><CINreferralDate>{e.referral}</CINreferralDate>")
            if _keep(e.closure, r):
                out.append(f"<CINclosureDate>{e.closure}</CINclosureDate>")
            if e.s47 and _d(e.s47[0]) <= r:
                icpc = _keep(e.s47[1], r)
                out.append(
                    f"<Section47><S47ActualStartDate>{e.s47[0]}</S47ActualStartDate>"
                    + (f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>" if icpc else "")
                    + "</Section47>"
                )
            for p in e.plans:
                if _d(p.start) > r:
                    continue
                end = _keep(p.end, r)
                reviews = "".join(f"<CPPreviewDate>{x}</CPPreviewDate>" for x in p.reviews if _d(x) <= r)
                out.append(
                    f"<ChildProtectionPlans><CPPstartDate>{p.start}</CPPstartDate>"
                    + (f"<CPPendDate>{end}</CPPendDate>" if end else "")
                    + f"<InitialCategoryOfAbuse>{p.category}</InitialCategoryOfAbuse>"
                    + f"<LatestCategoryOfAbuse>{p.latest or p.category}</LatestCategoryOfAbuse>"
                    + f"<NumberOfPreviousCPP>{p.previous}</NumberOfPreviousCPP>"
                    + f"<Reviews>{reviews}</Reviews></ChildProtectionPlans>"
                )
            out.append("</CINdetails>")
        out.append("</Child>\n")
    out.append("</Children></Message>\n")
    return "".join(out)


def area_lookup_csv(kids: list[Kid] = HISTORY) -> str:
    rows = ["LAchildID,area_code,area_name"]
    rows += [f"{k.id},AREA-{k.area},{k.area}" for k in kids if k.area]
    return "\n".join(rows) + "\n"


POPULATION_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,"
    "region_code,region_name,old_la_code,new_la_code,la_name,age_group,"
    "population_estimate"
)


def population_csv(by_year: dict[int, int | str], la: str = LA) -> str:
    rows = [POPULATION_HEADER]
    rows += [
        f"{y},Reporting year,Local authority,E92000001,England,E12000009,South West,{la},"
        f"E06999999,Testshire,Children aged 0 to 17 years,{v}"
        for y, v in by_year.items()
    ]
    return "\n".join(rows) + "\n"


def write_fixture_files(folder: Path) -> list[Path]:
    """Both returns (2022-23, 2023-24), the area lookup and a population file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        f"cin_{LA}_2023.xml": census_xml("2023-03-31"),
        f"cin_{LA}_2024.xml": census_xml("2024-03-31"),
        f"area_lookup_{LA}.csv": area_lookup_csv(),
        "population.csv": population_csv({2022: 19_500, 2023: 20_000}),
    }
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths
