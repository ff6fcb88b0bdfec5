"""Annex A List 7 through the real pipeline: normalisation, errors, and merging with census plans."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

import indicators
from pipelines.issues import IngestError
from pipelines.load import ingest
from tests.integration.cin_builders import census, child, episode, plan, query, write

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "annex_a" / "liia_tools_Annex_A.xlsx"


@pytest.fixture(autouse=True)
def _key(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(tmp_path / "key"))


def _workbook(path: Path, headers: list[str], rows: list[list], sheet: str = "List 7") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_sample_workbook_loads_with_codes_normalised(tmp_path):
    f = tmp_path / "annex_a_201_2021-03-31.xlsx"
    shutil.copy(SAMPLE, f)
    wh = tmp_path / "w.duckdb"
    [result] = ingest([f], wh, progress=None)
    assert result.status == "loaded"
    # The sample's List 7 has 7 children (counted by opening the sheet: rows 2-8).
    assert query(wh, "select count(*) from annex_a_plans") == [(7,)]
    rows = query(wh, "select sex, ethnicity, initial_category from staging.annex_a_plans order by source_row")
    # Row 2: 'b) Female', 's) NOBT', 'Physical abuse'; row 3: 'a) Male', 'r) OOTH'.
    assert rows[0] == ("F", "NOBT", "PHY")
    assert rows[1] == ("M", "OOTH", "PHY")
    assert query(wh, "select la_code, reference_date, period_start from loads") == [
        ("201", date(2021, 3, 31), date(2020, 10, 1))
    ]
    # Staff names and teams are not carried into the warehouse.
    cols = {
        c for (c,) in query(wh, "select column_name from duckdb_columns() where table_name = 'annex_a_plans'")
    }
    assert not cols & {"allocated_worker", "allocated_team"}


def test_renamed_sheet_and_header_variants(tmp_path):
    f = _workbook(
        tmp_path / "annex_a_202_2024-06-30.xlsx",
        [
            "Child ID",
            "Sex",
            "Ethnicity",
            "DOB",
            "CPP Start Date",
            "Initial Category",
            "Latest Category",
            "Last Review Date",
            "CPP End Date",
            "Number of previous CPP",
        ],
        [["X1", "Female", "WBRI", "2015-01-20", "15/01/2024", "NEG", "Emotional", None, None, 0]],
        sheet="CP children",
    )
    ingest([f], tmp_path / "w.duckdb", progress=None)
    assert query(
        tmp_path / "w.duckdb",
        "select start_date, initial_category, latest_category, birth_month from staging.annex_a_plans",
    ) == [(date(2024, 1, 15), "NEG", "EMO", date(2015, 1, 1))]


def test_unknown_category_is_rejected_naming_file_row_and_field(tmp_path):
    f = _workbook(
        tmp_path / "annex_a_202_2024-06-30.xlsx",
        ["Child Unique ID", "Child Protection Plan Start Date", "Initial Category of Abuse"],
        [["X1", "2024-01-15", "Neglect"], ["X2", "2024-02-01", "Neglectful"]],
    )
    wh = tmp_path / "w.duckdb"
    with pytest.raises(IngestError) as err:
        ingest([f], wh, progress=None)
    report = err.value.report()
    assert "annex_a_202_2024-06-30.xlsx:3: LAchildID X2: <Initial Category of Abuse>" in report
    assert "Neglectful" in report
    assert not wh.exists()


def test_file_name_must_carry_la_and_date(tmp_path):
    f = tmp_path / "annex_a.xlsx"
    shutil.copy(SAMPLE, f)
    with pytest.raises(IngestError) as err:
        ingest([f], tmp_path / "w.duckdb", progress=None)
    assert "annex_a_856_2026-06-30.xlsx" in err.value.report()


def test_annex_a_brings_census_plans_up_to_date_and_extends_coverage(tmp_path):
    ret = write(
        tmp_path / "cin.xml",
        census(
            [child("K1", episode("2024-01-05", plans=[plan("2024-01-10", reviews=["2024-03-20"])]))],
            la="203",
            ref="2024-03-31",
        ),
    )
    annex = _workbook(
        tmp_path / "annex_a_203_2024-06-30.xlsx",
        [
            "Child Unique ID",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Child Protection Plan Start Date",
            "Initial Category of Abuse",
            "Latest Category of Abuse",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Number of Previous Child Protection Plans",
        ],
        [
            [
                "K1",
                "a) Male",
                "a) WBRI",
                "2015-01-17",
                "2024-01-10",
                "Neglect",
                "Neglect",
                "2024-03-20",
                "2024-05-15",
                0,
            ],
            [
                "K2",
                "b) Female",
                "b) AIND",
                "2019-05-01",
                "2024-06-03",
                "Emotional abuse",
                "Emotional abuse",
                None,
                None,
                1,
            ],
        ],
    )
    wh = tmp_path / "w.duckdb"
    ingest([ret, annex], wh, progress=None)
    # K1's plan is one plan; the June extract ended it on 15 May 2024 and wins over the census.
    assert query(wh, "select end_date, source, returns_seen_in from cp_plans order by start_date") == [
        (date(2024, 5, 15), "annex_a", 2),
        (None, "annex_a", 1),
    ]
    # The census review for K1 is kept even though the Annex A row won the plan.
    assert query(wh, "select count(*) from cp_reviews") == [(1,)]
    # K2 is known only from Annex A and still gets a child row for breakdowns.
    assert query(wh, "select count(*) from children") == [(2,)]
    months = [p.label for p in indicators.available_periods("month", "203", wh, "cpp_at_end")]
    # Census covers Apr 2023 - Mar 2024; the June extract covers 1 Jan - 30 Jun 2024.
    assert months[0] == "2023-04" and months[-1] == "2024-06"
    june = indicators.values("cpp_at_end", ["2024-06"], la="203", warehouse=wh).iloc[0]
    assert june.numerator == 1  # K2 (K1 ended 15 May)
    # Census-only measures do not reach into Annex A months.
    assert "2024-06" not in [
        p.label for p in indicators.available_periods("month", "203", wh, "icpc_15wd_pct")
    ]
