"""Every CDOP indicator on the hand-checked LA 302 fixture (tests/fixtures/cdop/README.md), loaded
through the real pipeline and read through the analyst API, plus the update of a reviewed death by a
later extract, lineage, coverage and formula-safe exports.

Financial year 2023-24 is 1 April 2023 to 31 March 2024. After both extracts:
  notified in 2023-24 (in scope): D03, D04, D05, D06, D07, D08, D11 = 7
      (D09 is a stillbirth and D10 was 18 at death: both left out; D01, D02, D13 were notified in
      2022-23 and D12 in 2024-25)
  reviews completed in 2023-24: D01 217 days, D02 469, D03 244, D04 281, D06 174, D11 708, D13 220
      = 7 (D07's review, 10 May 2024, falls in 2024-25)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import indicators
from indicators.cdop import review_backlog
from pipelines.load import ingest
from viewmodels.cells import export_frame
from viewmodels.indicator import indicator_view
from viewmodels.state import ViewState

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cdop"
LA = "302"
YEAR = "2023-24"
FIRST = FIXTURES / "cdop_302_2024-03-31.csv"
SECOND = FIXTURES / "cdop_302_2024-06-30.xlsx"
CONTEXT = [FIXTURES / "population_302.csv", FIXTURES / "ward_population_302.csv"]


@pytest.fixture(scope="module")
def key_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("cdop_key")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    yield base
    mp.undo()


@pytest.fixture(scope="module")
def warehouse(key_env):
    target = key_env / "both.duckdb"
    ingest([FIRST, *CONTEXT, SECOND], target, progress=None)
    return target


@pytest.fixture(scope="module")
def first_only(key_env):
    target = key_env / "first.duckdb"
    ingest([FIRST, *CONTEXT], target, progress=None)
    return target


def value_row(warehouse, indicator_id, period=YEAR, by=None):
    df = indicators.values(indicator_id, [period], la=LA, by=by, warehouse=warehouse)
    if by is None:
        assert len(df) == 1
        return df.iloc[0]
    plain = [
        [None if pd.isna(x) else x for x in col] for col in (df["numerator"], df["denominator"], df["value"])
    ]
    return {g: (n, d, v) for g, n, d, v in zip(df["group"], *plain, strict=True)}


def query(warehouse, sql, params=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_deaths_notified(warehouse):
    row = value_row(warehouse, "cdop_deaths")
    assert (row.numerator, row.value, row.status) == (7, 7.0, "ok")
    # 2022-23: D02 (21 May 2022), D01 (11 Nov 2022), D13 (15 Mar 2023) = 3 counted, but the
    # extracts start in May 2022, so the year is not wholly covered and has no value.
    earlier = value_row(warehouse, "cdop_deaths", "2022-23")
    assert (earlier.numerator, earlier.status) == (3, "not covered by loaded data")
    assert pd.isna(earlier.value)


def test_deaths_by_age_band_expected_category_sex_and_area(warehouse):
    # D03 (10 days from its date of birth) and D07 (20 days) are neonatal; D04 100 days; D05 1,200
    # days (3 years); D11 2,600 (7); D08 4,400 (12); D06 5,600 (15).
    assert value_row(warehouse, "cdop_deaths", by="cdop_age_band") == {
        "0 to 27 days": (2, None, 2.0),
        "28 to 364 days": (1, None, 1.0),
        "1 to 4": (1, None, 1.0),
        "5 to 9": (1, None, 1.0),
        "10 to 14": (1, None, 1.0),
        "15 to 17": (1, None, 1.0),
    }
    # Expected: D03, D05, D07, D08; unexpected: D04, D06, D11.
    assert {g: n for g, (n, _, _) in value_row(warehouse, "cdop_deaths", by="expected").items()} == {
        "Expected": 4,
        "Unexpected": 3,
    }
    # Category as now recorded: D06 corrected to suicide by the second extract; D07 reviewed in the
    # second extract (chromosomal, given as the number 7); D05 and D08 not reviewed yet.
    assert {g: n for g, (n, _, _) in value_row(warehouse, "cdop_deaths", by="death_category").items()} == {
        "Perinatal/neonatal event": 1,
        "Sudden unexpected, unexplained death": 1,
        "Suicide or deliberate self-inflicted harm": 1,
        "Chromosomal, genetic and congenital anomalies": 1,
        "Acute medical or surgical condition": 1,
        "Not yet reviewed": 2,
    }
    assert {g: n for g, (n, _, _) in value_row(warehouse, "cdop_deaths", by="sex").items()} == {
        "Male": 4,
        "Female": 3,
    }
    # Areas: North D03, D05, D06; South D04, D07; D08's code has no name; D11 has no area.
    assert {g: n for g, (n, _, _) in value_row(warehouse, "cdop_deaths", by="area").items()} == {
        "North": 3,
        "South": 2,
        "E05000099": 1,
        "Area not known": 1,
    }


def test_rate_per_100k(warehouse):
    # 7 deaths / mid-2023 estimate 40,000 x 100,000 = 17.5.
    row = value_row(warehouse, "cdop_rate_per_100k")
    assert (row.numerator, row.denominator) == (7, 40_000)
    assert row.value == pytest.approx(17.5)
    # By area, ward populations for census year 2024: North 3 / 20,000 = 15.0; South 2 / 15,000.
    by_area = value_row(warehouse, "cdop_rate_per_100k", by="area")
    assert by_area["North"] == (3, 20_000, pytest.approx(15.0))
    assert by_area["South"] == (2, 15_000, pytest.approx(13.333333))


def test_modifiable_factors_pct(warehouse):
    # Y: D02, D04, D06; N: D01, D03, D13; U (insufficient information): D11 -> 3 / 7 = 42.857%.
    row = value_row(warehouse, "cdop_modifiable_pct")
    assert (row.numerator, row.denominator) == (3, 7)
    assert row.value == pytest.approx(300 / 7)


def test_reviews_within_12_months_pct(warehouse):
    # Within 12 months of the death: D01, D03, D04, D06, D13; not: D02 (469 days), D11 (708) = 5 / 7.
    row = value_row(warehouse, "cdop_review_12m_pct")
    assert (row.numerator, row.denominator) == (5, 7)
    assert row.value == pytest.approx(500 / 7)


def test_median_days_to_review(warehouse):
    # Days 174, 217, 220, 244, 281, 469, 708: the median is 244 (mean would be 330.4).
    row = value_row(warehouse, "cdop_review_median_days")
    assert (row.numerator, row.denominator, row.value) == (2313, 7, 244.0)
    # By category: two perinatal reviews (D01 217, D03 244) -> median 230.5.
    assert value_row(warehouse, "cdop_review_median_days", by="death_category")[
        "Perinatal/neonatal event"
    ] == (461, 2, 230.5)


def test_updated_extract_corrects_the_category_without_double_counting(first_only, warehouse):
    before = value_row(first_only, "cdop_deaths", by="death_category")
    after = value_row(warehouse, "cdop_deaths", by="death_category")
    assert before["Trauma and other external factors"][0] == 1
    assert "Suicide or deliberate self-inflicted harm" not in before
    assert "Trauma and other external factors" not in after
    assert after["Suicide or deliberate self-inflicted harm"][0] == 1
    # Still 7 deaths in the year, and D06 is one row with two versions kept in staging.
    assert value_row(first_only, "cdop_deaths").numerator == 7
    assert value_row(warehouse, "cdop_deaths").numerator == 7
    assert query(warehouse, "select count(*), count(distinct death_key) from cdop_deaths") == [(13, 13)]
    assert query(warehouse, "select count(*), count(distinct death_key) from staging.cdop_deaths") == [
        (25, 13)
    ]
    # Lineage: the current rows all come from the second extract; 12 deaths were in both.
    second_load = query(warehouse, "select load_id from loads where file_name = ?", [SECOND.name])[0][0]
    assert query(
        warehouse,
        "select extracts_seen_in, source_load_id, count(*) from cdop_deaths group by all order by 1",
    ) == [(1, second_load, 1), (2, second_load, 12)]
    assert query(
        warehouse,
        "select file_name, deaths_in_extract, reviews_in_extract, deaths_current "
        "from cdop_extracts order by extract_date",
    ) == [(FIRST.name, 12, 7, 0), (SECOND.name, 13, 8, 13)]
    # The modifiable and timeliness measures see D06 once, corrected or not.
    assert value_row(first_only, "cdop_modifiable_pct").denominator == 7


def test_newest_extract_date_wins_whatever_the_load_order(key_env):
    target = key_env / "reversed.duckdb"
    ingest([SECOND, *CONTEXT], target, progress=None)
    ingest([FIRST], target, progress=None)  # the older extract arrives late
    after = value_row(target, "cdop_deaths", by="death_category")
    assert after["Suicide or deliberate self-inflicted harm"][0] == 1
    assert "Trauma and other external factors" not in after


def test_coverage_runs_from_the_first_notification_month_to_the_extract_date(first_only, warehouse):
    # First notification 21 May 2022 (D02), so coverage starts on 1 May 2022: 2022-23 is not wholly
    # covered, 2023-24 is; the first extract ends on 31 Mar 2024, the second on 30 Jun 2024 (so
    # 2024-25-Q1 needs the second).
    years = [p.label for p in indicators.available_periods("year", LA, warehouse, "cdop_deaths")]
    assert years == ["2023-24"]
    quarters = [p.label for p in indicators.available_periods("quarter", LA, first_only, "cdop_deaths")]
    assert quarters[0] == "2022-23-Q2" and quarters[-1] == "2023-24-Q4"
    quarters = [p.label for p in indicators.available_periods("quarter", LA, warehouse, "cdop_deaths")]
    assert quarters[-1] == "2024-25-Q1"
    # CP indicators keep their own coverage: no census return is loaded here.
    assert indicators.available_periods("year", LA, warehouse, "cpp_at_end") == []


def test_free_text_never_reaches_the_warehouse(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        text = " ".join(str(con.execute(f'select * from "{s}"."{t}"').fetchall()) for s, t in tables)
    finally:
        con.close()
    for words in ("free text never loaded", "HYPERLINK", "corrected after the inquest", "'D06'"):
        assert words not in text


def test_review_backlog(warehouse):
    # On 31 Mar 2024 awaiting review: D05 (died 7 Jul 2023: 6-12 months), D07 (24 Dec 2023: under 6)
    # and D08 (15 Jan 2024: under 6); D12 was not yet notified. On 30 Jun 2024: D05 (over 6 months,
    # under 12), D08 (under 6), D12 (died 20 Mar 2024: under 6); D07 was reviewed on 10 May 2024.
    df = review_backlog(LA, [date(2024, 3, 31), date(2024, 6, 30)], warehouse)
    got = {(r.period, r.group): r.numerator for r in df.itertuples()}
    assert got == {
        ("31 Mar 2024", "All"): 3,
        ("31 Mar 2024", "Under 6 months"): 2,
        ("31 Mar 2024", "6 to 12 months"): 1,
        ("31 Mar 2024", "Over 12 months"): 0,
        ("30 Jun 2024", "All"): 3,
        ("30 Jun 2024", "Under 6 months"): 2,
        ("30 Jun 2024", "6 to 12 months"): 1,
        ("30 Jun 2024", "Over 12 months"): 0,
    }


def test_cp_indicators_unchanged_by_cdop_rows(warehouse):
    # Death keys never match children: a CP indicator on this warehouse finds nothing to count.
    assert query(
        warehouse, "select count(*) from cdop_deaths d join children c on c.child_key = d.death_key"
    ) == [(0,)]


def test_exports_neutralise_spreadsheet_formulas(key_env, tmp_path):
    """An area name starting with '=' (from an area file) is exported with a leading quote."""
    areas = tmp_path / "ward_population_302.csv"
    areas.write_text(
        "la_code,area_code,area_name,year,population_0_17\n"
        '302,E05000001,"=HYPERLINK(""http://x"",""North"")",2024,20000\n'
        "302,E05000002,@South,2024,15000\n",
        encoding="utf-8",
    )
    target = tmp_path / "w.duckdb"
    ingest([FIRST, FIXTURES / "population_302.csv", areas], target, progress=None)
    view = indicator_view("cdop_deaths", ViewState(la=LA, freq="year", by="area"), "analyst", str(target))
    cells = export_frame(["Area", "Deaths", "Numerator", "Denominator"], view.breakdown_rows)["Area"]
    assert '\'=HYPERLINK("http://x","North")' in list(cells) and "'@South" in list(cells)
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_cdop_page_export_goes_through_safe_cell():
    from dashboard.pages.cdop import CdopView, Table, export_table

    view = CdopView(
        "302",
        ["302"],
        tables={"age": Table("t", ["Group", "Deaths"], [["=1+1", "12"], ["+cmd", "c"], ["x", "-"]])},
    )
    frame = export_table(view, "age")
    assert frame.values.tolist() == [["'=1+1", "12"], ["'+cmd", "c"], ["x", "x"]]
