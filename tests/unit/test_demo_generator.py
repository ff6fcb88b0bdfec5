"""Tests for the synthetic CIN census generator (demo LA, benchmark LAs, single big file)."""

from __future__ import annotations

import csv
import json
import re
from calendar import monthrange
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from pipelines.demo.annex_a import ANNEX_A_MONTH_ENDS
from pipelines.demo.areas import ONS_POPULATION_CSV, WARD_GEOJSON
from pipelines.demo.benchmark import generate_las, generate_single_file
from pipelines.demo.cdop import CDOP_EXTRACT_DATES
from pipelines.demo.cin_return import upn_check_letter
from pipelines.demo.demo_la import generate_demo
from pipelines.demo.params import LATE_REVIEW_WINDOW, PRACTICE_CHANGE_DATE
from vocabulary import codes

YEARS = list(range(2017, 2027))
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Targets and projections, not events: they may lie after the reference date.
NOT_EVENTS = {"InitialCPCtarget", "ExpectedPersonBirthDate"}


@dataclass
class Return:
    year: int
    header_year: str
    reference: date
    lea: str
    child_ids: list[str] = field(default_factory=list)
    sex_tags: Counter = field(default_factory=Counter)
    late_dates: list[tuple[str, str]] = field(default_factory=list)  # (element, date) after ref
    unborn_ok: bool = True


@dataclass
class Demo:
    out: Path
    paths: list[Path]
    returns: dict[int, Return]
    plans: dict[tuple[str, date], int]  # (LAchildID, CPPstartDate) -> NumberOfPreviousCPP
    reviews: list[tuple[date, date]]  # (deadline, review date), deduplicated across returns


def _scan(path: Path) -> tuple[Return, dict, set]:
    root = etree.parse(str(path)).getroot()
    ref = date.fromisoformat(root.findtext("Header/CollectionDetails/ReferenceDate"))
    ret = Return(
        ref.year, root.findtext("Header/CollectionDetails/Year"), ref, root.findtext("Header/Source/LEA")
    )
    plans: dict[tuple[str, date], tuple[int, list[date]]] = {}
    for child in root.iterfind("Children/Child"):
        ids = child.find("ChildIdentifiers")
        cid = ids.findtext("LAchildID")
        ret.child_ids.append(cid)
        for tag in ("GenderCurrent", "Sex"):
            ret.sex_tags[tag] += ids.find(tag) is not None
        if ids.find("PersonBirthDate") is None and ids.find("ExpectedPersonBirthDate") is None:
            ret.unborn_ok = False
        for el in child.iter():
            text = (el.text or "").strip()
            if el.tag not in NOT_EVENTS and DATE_RE.match(text) and date.fromisoformat(text) > ref:
                ret.late_dates.append((el.tag, text))
        for plan in child.iterfind("CINdetails/ChildProtectionPlans"):
            start = date.fromisoformat(plan.findtext("CPPstartDate"))
            reviews = [date.fromisoformat(r.text) for r in plan.iterfind("Reviews/CPPreviewDate")]
            plans[(cid, start)] = (int(plan.findtext("NumberOfPreviousCPP")), reviews)
    return ret, plans, set(ret.child_ids)


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, monthrange(y, m)[1]))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Demo:
    out = tmp_path_factory.mktemp("demo")
    paths = generate_demo(out)
    returns: dict[int, Return] = {}
    plans: dict[tuple[str, date], int] = {}
    reviews_by_plan: dict[tuple[str, date], list[date]] = {}
    for path in paths:
        if path.suffix == ".xml":
            ret, file_plans, _ = _scan(path)
            returns[ret.year] = ret
            for key, (n_prev, reviews) in file_plans.items():
                assert plans.setdefault(key, n_prev) == n_prev, f"{key} changed its previous CPPs"
                if len(reviews) >= len(reviews_by_plan.get(key, [])):
                    reviews_by_plan[key] = reviews
    reviews: list[tuple[date, date]] = []
    for (_, start), dates in reviews_by_plan.items():
        deadline = _add_months(start, 3)  # first review within 3 months, then every 6
        for review in dates:
            reviews.append((deadline, review))
            deadline = _add_months(review, 6)
    return Demo(out, paths, returns, plans, reviews)


def test_demo_writes_expected_files(demo: Demo) -> None:
    names = [p.name for p in demo.paths]
    expected = sorted(
        [f"cin_census_856_{y}.xml" for y in YEARS]
        + [f"annex_a_856_{d.isoformat()}.xlsx" for d in ANNEX_A_MONTH_ENDS]
        + ["area_lookup_856.csv", "ward_population_856.csv"]
        + ["cdop_856_2025-09-30.csv", "cdop_856_2026-09-30.xlsx"]
    )
    assert names == expected
    assert demo.paths == sorted(demo.paths)
    assert all(p.parent == demo.out and p.stat().st_size > 0 for p in demo.paths)


def test_demo_returns_are_well_formed_with_header(demo: Demo) -> None:
    assert sorted(demo.returns) == YEARS
    for year, ret in demo.returns.items():
        assert ret.reference == date(year, 3, 31)
        assert ret.header_year == str(year)
        assert ret.lea == "856"
        assert 4000 < len(ret.child_ids) < 12000, "an LA of ~85k children has thousands of CIN"
        assert len(ret.child_ids) == len(set(ret.child_ids)), "LAchildID repeated in a return"
        assert all(re.fullmatch(r"DEMO\d{7}", c) for c in ret.child_ids)
        assert ret.unborn_ok, "every child needs a birth date or an expected birth date"


def test_no_event_date_after_reference_date(demo: Demo) -> None:
    for ret in demo.returns.values():
        assert ret.late_dates == [], f"{ret.year}: {ret.late_dates[:5]}"


def test_gender_current_until_2024_then_sex(demo: Demo) -> None:
    for year, ret in demo.returns.items():
        n = len(ret.child_ids)
        if year <= 2024:
            assert ret.sex_tags == Counter({"GenderCurrent": n, "Sex": 0})
        else:
            assert ret.sex_tags == Counter({"GenderCurrent": 0, "Sex": n})


def test_ward_populations_sum_to_ons_la_total(demo: Demo) -> None:
    ons = {}
    with ONS_POPULATION_CSV.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["geographic_level"] == "Local authority" and row["old_la_code"] == "856":
                ons[int(row["time_period"])] = int(row["population_estimate"])
    ons[2025] = ons[2026] = ons[2024]
    with (demo.out / "ward_population_856.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["la_code", "area_code", "area_name", "year", "population_0_17"]
    wards = json.loads(WARD_GEOJSON.read_text())["features"]
    ward_codes = {f["properties"]["area_code"] for f in wards}
    totals: dict[int, int] = defaultdict(int)
    for row in rows:
        assert row["la_code"] == "856" and row["area_code"] in ward_codes
        totals[int(row["year"])] += int(row["population_0_17"])
    assert dict(totals) == {y: ons[y] for y in YEARS}
    sizes = [int(r["population_0_17"]) for r in rows if r["year"] == "2017"]
    assert len(sizes) == len(ward_codes) == 21
    assert max(sizes) >= 2 * min(sizes), "ward sizes should be uneven"


def test_area_lookup_covers_every_child(demo: Demo) -> None:
    with (demo.out / "area_lookup_856.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["LAchildID", "area_code", "area_name"]
    lookup = {r["LAchildID"]: r["area_code"] for r in rows}
    assert len(lookup) == len(rows)
    in_returns = set().union(*(set(r.child_ids) for r in demo.returns.values()))
    in_annex_a = set()
    for d in ANNEX_A_MONTH_ENDS:  # in-year lists add children referred after the last census
        wb = load_workbook(demo.out / f"annex_a_856_{d.isoformat()}.xlsx", read_only=True)
        in_annex_a |= {str(r[0]) for r in wb["List 7"].iter_rows(min_row=2, values_only=True)}
    assert set(lookup) == in_returns | in_annex_a
    assert len(set(lookup.values())) == 21


def test_previous_plans_count_real_history(demo: Demo) -> None:
    by_child: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for (cid, start), n_prev in demo.plans.items():
        by_child[cid].append((start, n_prev))
    for plans in by_child.values():
        plans.sort()
        for seen_before, (_, n_prev) in enumerate(plans):
            assert n_prev >= seen_before  # earlier plans may predate the first return
    assert any(len(p) >= 2 for p in by_child.values()), "some children have repeat plans"


def _repeat_share(plans: dict[tuple[str, date], int], lo: date, hi: date) -> float:
    starts = [n for (_, start), n in plans.items() if lo <= start < hi]
    return sum(n >= 1 for n in starts) / len(starts)


def test_planted_repeat_plan_step(demo: Demo) -> None:
    change = PRACTICE_CHANGE_DATE
    before = _repeat_share(demo.plans, change.replace(year=change.year - 2), change)
    after = _repeat_share(demo.plans, change, change.replace(year=change.year + 2))
    assert 0.10 < before < 0.25
    assert 0.22 < after < 0.36
    assert after - before > 0.05


def test_planted_late_review_run(demo: Demo) -> None:
    lo, hi = LATE_REVIEW_WINDOW
    inside = [review > deadline for deadline, review in demo.reviews if lo <= deadline <= hi]
    outside = [
        review > deadline
        for deadline, review in demo.reviews
        if not lo <= deadline <= hi and deadline.year >= 2017
    ]
    assert len(inside) > 200 and len(outside) > 2000
    assert 0.25 < sum(inside) / len(inside) < 0.45
    assert sum(outside) / len(outside) < 0.08


def test_demo_is_deterministic(demo: Demo, tmp_path: Path) -> None:
    again = generate_demo(tmp_path / "again")
    assert [p.name for p in again] == [p.name for p in demo.paths]
    for a, b in zip(demo.paths, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate_demo(tmp_path / "other", seed=1)
    assert other[-3].read_bytes() != demo.paths[-3].read_bytes()


def test_single_file_has_exactly_n_children(tmp_path: Path) -> None:
    for n in (0, 1, 750):
        path = generate_single_file(tmp_path / f"one_{n}.xml", n_children=n)
        root = etree.parse(str(path)).getroot()
        assert len(root.findall("Children/Child")) == n
        assert root.findtext("Header/Source/LEA") == "999"
        assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2025-03-31"
    path = tmp_path / "one_750.xml"
    same = generate_single_file(tmp_path / "same.xml", n_children=750)
    other = generate_single_file(tmp_path / "other.xml", n_children=750, seed=8)
    assert same.read_bytes() == path.read_bytes()
    assert other.read_bytes() != path.read_bytes()
    ret, _, _ = _scan(path)
    assert ret.late_dates == []
    assert ret.sex_tags["Sex"] == 750


def test_generate_las_files_and_skew(tmp_path: Path) -> None:
    las = ["301", "302", "303"]
    paths = generate_las(tmp_path / "a", la_codes=las, first_year=2024, last_year=2025, scale=0.05)
    assert [p.name for p in paths] == sorted(f"cin_census_{la}_{y}.xml" for la in las for y in (2024, 2025))
    sizes = {}
    for path in paths:
        ret, _, _ = _scan(path)
        la, year = path.stem.split("_")[2:]
        assert ret.lea == la and ret.reference == date(int(year), 3, 31)
        assert ret.late_dates == []
        tag = "GenderCurrent" if int(year) < codes.FIRST_SEX_SPEC_YEAR else "Sex"
        assert ret.sex_tags[tag] == len(ret.child_ids) > 0
        assert all(c.startswith(f"{la}C") for c in ret.child_ids)
        sizes[la] = len(ret.child_ids)
    assert len(set(sizes.values())) == 3, "LAs differ in size"
    again = generate_las(tmp_path / "b", la_codes=las, first_year=2024, last_year=2025, scale=0.05)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    other = generate_las(tmp_path / "c", la_codes=las, first_year=2024, last_year=2025, scale=0.05, seed=2)
    assert [p.read_bytes() for p in paths] != [p.read_bytes() for p in other]


def test_demo_cdop_extracts(demo: Demo) -> None:
    """About 25 child deaths a year for ~85k children, most in the first year of life, a backlog of
    recent deaths awaiting review, and a second extract that corrects one reviewed death."""
    first_date, second_date = CDOP_EXTRACT_DATES
    with (demo.out / f"cdop_856_{first_date.isoformat()}.csv").open(newline="") as fh:
        first = {r["death_id"]: r for r in csv.DictReader(fh)}
    wb = load_workbook(demo.out / f"cdop_856_{second_date.isoformat()}.xlsx", read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    pad = [None] * len(header)  # read-only openpyxl drops empty cells at the end of a row
    second = {r[0]: dict(zip(header, (list(r) + pad)[: len(header)], strict=True)) for r in rows[1:]}
    assert set(first) < set(second)
    deaths = [r for r in second.values() if r["stillbirth"] != "Y"]
    per_year = Counter(
        r["notification_date"].year for r in deaths if 2017 <= r["notification_date"].year <= 2025
    )
    assert all(12 <= n <= 40 for n in per_year.values()), per_year
    assert 20 <= sum(per_year.values()) / len(per_year) <= 32
    infants = sum(r["age_at_death_days"] < 365 for r in deaths) / len(deaths)
    assert 0.5 < infants < 0.75
    awaiting = [r for r in deaths if r["review_completed_date"] is None]
    assert 12 <= len(awaiting) <= 45
    assert all(r["category_of_death"] in (None, "") for r in awaiting)
    changed = [
        k
        for k, r in first.items()
        if r["category_of_death"]
        and second[k]["category_of_death"]
        and codes_of(second[k]["category_of_death"]) != r["category_of_death"]
    ]
    assert len(changed) == 1
    assert second[changed[0]]["panel_notes"] == "Category corrected after the inquest"


def codes_of(name: str) -> str:
    from vocabulary.cdop_codes import category_code

    return category_code(name)


def test_upns_carry_an_la_code_and_their_check_letter(demo: Demo, tmp_path: Path) -> None:
    """DfE rules 1510, 1520 and 1530: the LA's code in characters 2-4 (856 for the made-up 999)."""
    single = generate_single_file(tmp_path / "one.xml", n_children=300)
    latest = max(p for p in demo.paths if p.name.startswith("cin_census_856_"))
    for path, la in [(latest, "856"), (single, "856")]:
        upns = [el.text for el in etree.parse(str(path)).getroot().iter("UPN")]
        assert len(upns) > 200 and len(set(upns)) == len(upns)
        assert {u[1:4] for u in upns} == {la}
        assert la in codes.UPN_LA_CODES and "999" not in codes.UPN_LA_CODES
        assert all(u[0] == upn_check_letter(u[1:]) for u in upns)
