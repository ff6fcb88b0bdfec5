"""A history loaded year by year: one plan seen twice is one plan; corrections supersede."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from cin_builders import census, child, episode, plan, query, run_cli, table_hashes, write

from pipelines.issues import IngestError, Severity
from pipelines.load import ingest
from pipelines.pseudonymise import Pseudonymiser, load_or_create_key

pytestmark = pytest.mark.usefixtures("isolated_warehouse")

CURATED = (
    "children",
    "cin_episodes",
    "assessments",
    "cin_plans",
    "section47",
    "cp_plans",
    "cp_reviews",
    "loads",
    "validation_issues",
    "area_lookup",
    "area_population",
)


def year1(path: Path) -> Path:
    # 2022-23 return: the plan started 2022-06-20 and is still open on 31 March 2023.
    return write(
        path,
        census(
            [
                child(
                    "M1",
                    episode("2022-06-01", plans=[plan("2022-06-20", reviews=["2022-09-01", "2022-12-01"])]),
                )
            ],
            ref="2023-03-31",
            generated="2023-05-01T09:00:00",
        ),
    )


def year2(path: Path) -> Path:
    # 2023-24 return: the same episode and plan, now ended 2023-09-15. It repeats the
    # 2022-12-01 review and adds two more.
    return write(
        path,
        census(
            [
                child(
                    "M1",
                    episode(
                        "2022-06-01",
                        "2023-10-01",
                        plans=[
                            plan(
                                "2022-06-20", "2023-09-15", reviews=["2022-12-01", "2023-03-01", "2023-06-01"]
                            )
                        ],
                    ),
                )
            ],
            ref="2024-03-31",
            generated="2024-05-01T09:00:00",
        ),
    )


def curated_hashes(warehouse: Path) -> dict[str, tuple]:
    return {
        t: h
        for t, h in table_hashes(warehouse).items()
        if t.startswith("main.") and t not in ("main.loads", "main.validation_issues")
    }


@pytest.mark.parametrize("order", ["in one batch", "year by year", "newest first"])
def test_same_plan_in_consecutive_years_is_one_plan(tmp_path, isolated_warehouse, order):
    y1, y2 = year1(tmp_path / "raw" / "cin_201_2023.xml"), year2(tmp_path / "raw" / "cin_201_2024.xml")
    if order == "in one batch":
        ingest([y1, y2], isolated_warehouse, progress=None)
    else:
        for path in [y1, y2] if order == "year by year" else [y2, y1]:
            ingest([path], isolated_warehouse, progress=None)
    assert query(
        isolated_warehouse,
        "select start_date, end_date, returns_seen_in, latest_reference_date from cp_plans",
    ) == [(date(2022, 6, 20), date(2023, 9, 15), 2, date(2024, 3, 31))]
    # {09-01, 12-01} + {12-01, 03-01, 06-01} = 4 distinct review dates.
    assert query(isolated_warehouse, "select review_date from cp_reviews order by 1") == [
        (date(2022, 9, 1),),
        (date(2022, 12, 1),),
        (date(2023, 3, 1),),
        (date(2023, 6, 1),),
    ]
    assert query(isolated_warehouse, "select closure_date from cin_episodes") == [(date(2023, 10, 1),)]
    assert query(
        isolated_warehouse,
        "select count(*), min(first_reference_date), max(latest_reference_date) from children",
    ) == [(1, date(2023, 3, 31), date(2024, 3, 31))]
    assert query(isolated_warehouse, "select spec_year, status from loads order by spec_year") == [
        (2023, "loaded"),
        (2024, "loaded"),
    ]


def correction(path: Path, generated: str, ids: tuple[str, ...], end: str | None = None) -> Path:
    kids = [
        child(i, episode("2022-05-01", plans=[plan("2022-05-10", end, reviews=["2022-08-01"])])) for i in ids
    ]
    return write(path, census(kids, la="201", ref="2023-03-31", generated=generated))


def test_corrected_return_supersedes_and_older_resend_does_not(tmp_path, isolated_warehouse):
    first = correction(tmp_path / "raw" / "cin_201_v1.xml", "2023-05-01T09:00:00", ("A1", "A2"))
    fixed = correction(
        tmp_path / "raw" / "cin_201_v2.xml", "2023-05-02T09:00:00", ("A1", "A3"), end="2023-01-31"
    )
    stale = correction(tmp_path / "raw" / "cin_201_v0.xml", "2023-04-30T09:00:00", ("A1", "A4"))
    pseudo = Pseudonymiser(load_or_create_key())
    key = {i: pseudo.child_key("201", i) for i in ("A1", "A2", "A3", "A4")}

    assert [r.status for r in ingest([first], isolated_warehouse, progress=None)] == ["loaded"]
    assert [r.status for r in ingest([fixed], isolated_warehouse, progress=None)] == ["loaded"]
    assert query(
        isolated_warehouse,
        "select load_id, file_name, status, superseded_by, generated_at from loads order by load_id",
    ) == [
        (1, "cin_201_v1.xml", "superseded", 2, datetime(2023, 5, 1, 9)),
        (2, "cin_201_v2.xml", "loaded", None, datetime(2023, 5, 2, 9)),
    ]
    # Curated rows come only from the correction: A2 has gone, A3 is there, the end date is new.
    assert set(query(isolated_warehouse, "select child_key, source_load_id from children")) == {
        (key["A1"], 2),
        (key["A3"], 2),
    }
    assert set(query(isolated_warehouse, "select child_key, end_date from cp_plans")) == {
        (key["A1"], date(2023, 1, 31)),
        (key["A3"], date(2023, 1, 31)),
    }
    for table in ("cin_episodes", "cp_reviews", "cp_plans"):
        assert query(isolated_warehouse, f"select distinct source_load_id from {table}") == [(2,)]
    assert query(isolated_warehouse, "select count(*) from staging.children where load_id = 1") == [(0,)]
    before = curated_hashes(isolated_warehouse)

    # A re-sent older return (earlier DateTime, different bytes) is recorded but does not win.
    [result] = ingest([stale], isolated_warehouse, progress=None)
    assert result.status == "superseded"
    assert query(
        isolated_warehouse, "select file_name, status, superseded_by from loads where load_id = 3"
    ) == [("cin_201_v0.xml", "superseded", 2)]
    assert query(isolated_warehouse, "select status from loads where load_id = 2") == [("loaded",)]
    assert curated_hashes(isolated_warehouse) == before
    assert (key["A4"],) not in query(isolated_warehouse, "select child_key from children")


def rules_only(path: Path) -> Path:
    # Valid structure, one rule failure: the review (2022-05-01) is before the plan start.
    return write(
        path, census([child("R1", episode("2022-04-20", plans=[plan("2022-05-10", reviews=["2022-05-01"])]))])
    )


def test_strict_rejects_a_file_with_only_rule_failures(tmp_path, isolated_warehouse):
    src = rules_only(tmp_path / "raw" / "cin_201.xml")
    with pytest.raises(IngestError) as caught:
        ingest([src], isolated_warehouse, strict=True, progress=None)
    [issue] = caught.value.issues
    assert (issue.rule_id, issue.severity, issue.record) == (
        "R-REVIEW-OUTSIDE-PLAN",
        Severity.STRUCTURAL,
        "R1",
    )
    assert issue.message.endswith("(--strict)")
    assert not isolated_warehouse.exists()
    done = run_cli("ingest", "--strict", src, "--warehouse", isolated_warehouse)
    assert done.returncode == 1 and "R-REVIEW-OUTSIDE-PLAN" in done.stderr
    assert not isolated_warehouse.exists()
    # Without --strict the same file loads and the failure is recorded.
    [result] = ingest([src], isolated_warehouse, progress=None)
    assert result.status == "loaded"
    assert query(isolated_warehouse, "select rule_id, field, value from validation_issues") == [
        ("R-REVIEW-OUTSIDE-PLAN", "CPPreviewDate", "2022-05-01")
    ]


def test_area_lookup_joins_to_children(tmp_path, isolated_warehouse):
    census_file = write(
        tmp_path / "raw" / "cin_201.xml",
        census([child(i, episode("2022-05-01")) for i in ("W1", "W2", "W3")], la="201"),
    )
    # No la_code column: the LA (201) comes from the 3-digit code in the file name.
    lookup = write(
        tmp_path / "raw" / "area_lookup_201.csv",
        "LAchildID,area_code,area_name\nW1,E05000001,Abbey\nW2,E05000002,Belgrave\nW3,E05000001,Abbey\n",
    )
    results = ingest([census_file, lookup], isolated_warehouse, progress=None)
    assert [(r.source_type, r.status) for r in results] == [
        ("cin_census", "loaded"),
        ("area_lookup", "loaded"),
    ]
    rows = query(
        isolated_warehouse,
        "select a.la_code, a.area_code, a.area_name, c.child_key is not null "
        "from area_lookup a left join children c using (child_key) order by a.area_name",
    )
    assert rows == [
        ("201", "E05000001", "Abbey", True),
        ("201", "E05000001", "Abbey", True),
        ("201", "E05000002", "Belgrave", True),
    ]
    assert query(
        isolated_warehouse, "select count(*) from children c join area_lookup a using (la_code, child_key)"
    ) == [(3,)]
    assert query(
        isolated_warehouse,
        "select source_type, status, rows_loaded from loads where source_type = 'area_lookup'",
    ) == [("area_lookup", "loaded", {"area_lookup": 3})]


def test_every_curated_column_is_documented(tmp_path, isolated_warehouse):
    ingest([year1(tmp_path / "raw" / "cin_201.xml")], isolated_warehouse, progress=None)
    columns = query(
        isolated_warehouse,
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = 'main' and database_name = current_database() "
        "and not internal",
    )
    tables = {t for t, _, _ in columns}
    assert set(CURATED) <= tables
    missing = [(t, c) for t, c, comment in columns if t in CURATED and not (comment or "").strip()]
    assert missing == []
    assert (
        query(
            isolated_warehouse,
            "select table_name from duckdb_tables() where schema_name = 'main' "
            "and table_name in ? and (comment is null or trim(comment) = '')",
            [list(CURATED)],
        )
        == []
    )
