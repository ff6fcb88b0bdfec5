"""CDOP extracts through the real ingest: one bad-input test per structural error (the file is
rejected, the message names file, row, death_id and column, and the warehouse is unchanged), and
what a loaded extract leaves behind (lineage, rule issues, nothing identifying, documented columns)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.issues import IngestError
from pipelines.load import ingest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cdop"
HEADER = (
    "death_id,la_code,date_of_death,age_at_death_days,sex,ethnicity,area_code,notification_date,"
    "review_completed_date,place_of_death,expected,sudi,category_of_death,modifiable_factors"
)
GOOD = "G1,302,2023-05-15,100,F,WBRI,E05000001,2023-05-16,2024-02-20,HOSP,N,Y,SUD,Y"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A warehouse holding one good extract; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("cdop_base")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    good = folder / "cdop_302_2024-03-31.csv"
    good.write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    warehouse = folder / "warehouse.duckdb"
    ingest([good], warehouse, progress=None)
    yield warehouse
    mp.undo()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# (name, bad row or whole file text, expected field, expected death_id, words in the message)
BAD = [
    (
        "missing death_id",
        ",302,2023-05-15,100,F,WBRI,,2023-05-16,,HOSP,N,N,,",
        "death_id",
        None,
        "is required",
    ),
    (
        "missing date_of_death",
        "B1,302,,100,F,WBRI,,2023-05-16,,HOSP,N,N,,",
        "date_of_death",
        "B1",
        "is required",
    ),
    (
        "missing notification_date",
        "B1,302,2023-05-15,100,F,WBRI,,,,HOSP,N,N,,",
        "notification_date",
        "B1",
        "is required",
    ),
    (
        "unparseable date of death",
        "B1,302,31/02/2023,100,F,WBRI,,2023-05-16,,HOSP,N,N,,",
        "date_of_death",
        "B1",
        "is not a date",
    ),
    (
        "unparseable review date",
        "B1,302,2023-05-15,100,F,WBRI,,2023-05-16,next week,HOSP,N,N,SUD,Y",
        "review_completed_date",
        "B1",
        "is not a date",
    ),
    (
        "unknown category code",
        "B1,302,2023-05-15,100,F,WBRI,,2023-05-16,2024-01-10,HOSP,N,N,11,Y",
        "category_of_death",
        "B1",
        "10 statutory categories",
    ),
    ("unknown sex", "B1,302,2023-05-15,100,X,WBRI,,2023-05-16,,HOSP,N,N,,", "sex", "B1", "M, F or U"),
    (
        "unknown ethnicity",
        "B1,302,2023-05-15,100,F,WXYZ,,2023-05-16,,HOSP,N,N,,",
        "ethnicity",
        "B1",
        "20 DfE ethnicity codes",
    ),
    (
        "modifiable factors not Y/N/U",
        "B1,302,2023-05-15,100,F,WBRI,,2023-05-16,2024-01-10,HOSP,N,N,SUD,Maybe",
        "modifiable_factors",
        "B1",
        "Y, N or U",
    ),
    ("expected not Y/N", "B1,302,2023-05-15,100,F,WBRI,,2023-05-16,,HOSP,U,N,,", "expected", "B1", "Y or N"),
    ("sudi not Y/N/U", "B1,302,2023-05-15,100,F,WBRI,,2023-05-16,,HOSP,N,Q,,", "sudi", "B1", "Y, N or U"),
    (
        "negative age",
        "B1,302,2023-05-15,-3,F,WBRI,,2023-05-16,,HOSP,N,N,,",
        "age_at_death_days",
        "B1",
        "whole number of days",
    ),
    (
        "bad LA code",
        "B1,85,2023-05-15,100,F,WBRI,,2023-05-16,,HOSP,N,N,,",
        "la_code",
        "B1",
        "3-digit DfE LA number",
    ),
    (
        "formula in area code",
        'B1,302,2023-05-15,100,F,WBRI,"=HYPERLINK(""x"")",2023-05-16,,HOSP,N,N,,',
        "area_code",
        "B1",
        "is not an area code",
    ),
    ("same death twice", f"{GOOD}\n{GOOD}", "death_id", "G1", "appears twice"),
]


@pytest.mark.parametrize("name, row, field, death_id, words", BAD, ids=[b[0] for b in BAD])
def test_structural_error_rejects_the_file_and_changes_nothing(
    base, tmp_path, name, row, field, death_id, words
):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(base, warehouse)
    before = _sha(warehouse)
    bad = tmp_path / "cdop_302_2024-06-30.csv"
    bad.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        ingest([bad], warehouse, progress=None)
    issues = [i for i in err.value.issues if i.field == field]
    assert issues, err.value.report()
    issue = issues[-1]
    line = 3 if name == "same death twice" else 2
    assert (issue.file, issue.line, issue.record) == (bad.name, line, death_id)
    assert words in issue.message
    who = f" death_id {death_id}:" if death_id else ""
    assert str(issue).startswith(f"{bad.name}:{line}:{who} <{field}>")
    assert "nothing was loaded" in str(err.value)
    assert _sha(warehouse) == before


def test_missing_required_columns(base, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(base, warehouse)
    before = _sha(warehouse)
    no_notification = tmp_path / "cdop_302_2024-06-30.csv"
    no_notification.write_text("death_id,la_code,date_of_death\nB1,302,2023-05-15\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        ingest([no_notification], warehouse, progress=None)
    assert [(i.field, i.line, i.rule_id) for i in err.value.issues] == [
        ("notification_date", 1, "S-CDOP-COLUMNS")
    ]
    # Without date_of_death the file is not a CDOP extract at all.
    no_death_date = tmp_path / "cdop_302_2024-07-31.csv"
    no_death_date.write_text("death_id,la_code,notification_date\nB1,302,2023-05-15\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        ingest([no_death_date], warehouse, progress=None)
    assert err.value.issues[0].rule_id == "S-TYPE" and "CDOP extract" in err.value.issues[0].message
    assert _sha(warehouse) == before


def test_rule_failures_load_and_are_recorded_without_identifiers(tmp_path, isolated_warehouse):
    path = tmp_path / "cdop_302_2024-06-30.csv"
    path.write_text(
        f"{HEADER}\n{GOOD}\n"
        "L1,302,2022-01-15,100,M,,,2023-05-16,,HOSP,N,N,,\n"
        "L2,302,2023-01-15,6600,M,,,2023-01-16,2023-01-01,HOSP,N,N,TRA,Y\n",
        encoding="utf-8",
    )
    [result] = ingest([path], isolated_warehouse, progress=None)
    assert result.status == "loaded"
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    try:
        issues = con.execute(
            "select line, child_key, field, value, rule_id, severity from "
            "validation_issues order by line, rule_id"
        ).fetchall()
        keys = dict(con.execute("select death_key, age_band from cdop_deaths").fetchall())
        loads = con.execute(
            "select source_type, la_code, reference_date, period_start, rule_issues from loads"
        ).fetchall()
        text = str(con.execute("select * from cdop_deaths").fetchall()) + str(issues)
    finally:
        con.close()
    assert [(line, field, value, rule, severity) for line, _, field, value, rule, severity in issues] == [
        (3, "notification_date", "2023-05-16", "R-CDOP-LATE-NOTIFICATION", "rule"),
        (4, "age_at_death_days", None, "R-CDOP-AGE-OVER-17", "rule"),
        (4, "review_completed_date", "2023-01-01", "R-CDOP-REVIEW-BEFORE-DEATH", "rule"),
    ]
    assert all(key in keys for _, key, *_ in issues)  # keyed by the hashed death, not the death_id
    assert not any(raw in text for raw in ("'G1'", "'L1'", "'L2'"))
    assert loads == [("cdop", "302", date(2024, 6, 30), date(2023, 1, 1), 3)]


def test_cdop_tables_and_columns_are_documented(tmp_path, isolated_warehouse):
    ingest(sorted(FIXTURES.glob("*.csv")), isolated_warehouse, progress=None)
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    try:
        missing = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'main' "
            "and table_name in ('cdop_deaths', 'cdop_reviews', 'cdop_extracts') "
            "and (comment is null or trim(comment) = '')"
        ).fetchall()
        tables = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'main' "
            "and table_name like 'cdop%'"
        ).fetchall()
    finally:
        con.close()
    assert missing == []
    assert sorted(t for t, _ in tables) == ["cdop_deaths", "cdop_extracts", "cdop_reviews"]
    assert all(c for _, c in tables)
