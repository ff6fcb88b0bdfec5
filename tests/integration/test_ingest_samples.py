"""Load the public sample returns (copies in tests/fixtures/cin/samples) end to end."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from cin_builders import query

from pipelines.issues import IngestError, Severity
from pipelines.load import ingest

pytestmark = pytest.mark.usefixtures("isolated_warehouse")

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "cin" / "samples"
FAKE = SAMPLES / "d2i_csc-validator-be-cin__fake_CIN_data.xml"
CIN_2021 = SAMPLES / "d2i_csc-validator-be-cin__CIN_Census_2021.xml"
CIN_2022 = SAMPLES / "sfdl_liia-tools__cin-2022.xml"
CIN_2024 = SAMPLES / "d2i_csc-validator-be-cin__CIN_Census_2024.xml"
CIN_2026 = SAMPLES / "d2i_csc-validator-be-cin__CIN_Census_2026.xml"
CURATED = (
    "children",
    "cin_episodes",
    "assessments",
    "cin_plans",
    "section47",
    "cp_plans",
    "cp_reviews",
    "area_lookup",
    "area_population",
)


def counts(warehouse: Path) -> dict[str, int]:
    return {t: query(warehouse, f"select count(*) from {t}")[0][0] for t in CURATED}


def load_row(warehouse: Path) -> tuple:
    rows = query(
        warehouse,
        "select file_name, rows_loaded, status, spec_year, collection_year, "
        "la_code, source_type, superseded_by from loads",
    )
    assert len(rows) == 1
    return rows[0]


def test_all_samples_are_present():
    assert sorted(p.name for p in SAMPLES.glob("*.xml")) == sorted(
        p.name for p in (FAKE, CIN_2021, CIN_2022, CIN_2024, CIN_2026)
    )


def test_fake_cin_data_loads_every_child_and_episode(isolated_warehouse):
    # Counted by hand: `grep -c "<Child>"` = 332, `grep -c "<CINdetails>"` = 402 and
    # `grep -c ChildProtectionPlans` = 0 (likewise 0 Assessments, Section47, CINPlanDates).
    [result] = ingest([FAKE], isolated_warehouse, progress=None)
    assert result.status == "loaded"
    assert result.children == 332
    assert counts(isolated_warehouse) == {
        "children": 332,
        "cin_episodes": 402,
        "assessments": 0,
        "cin_plans": 0,
        "section47": 0,
        "cp_plans": 0,
        "cp_reviews": 0,
        "area_lookup": 0,
        "area_population": 0,
    }
    # ReferenceDate 2022-07-21 (not 31 March): a July date falls in the year ending March 2023.
    assert load_row(isolated_warehouse) == (
        FAKE.name,
        {
            "children": 332,
            "cin_episodes": 402,
            "assessments": 0,
            "cin_plans": 0,
            "section47": 0,
            "cp_plans": 0,
            "cp_reviews": 0,
        },
        "loaded",
        2023,
        "2022-23",
        "975",
        "cin_census",
        None,
    )
    # GenderCurrent counts by hand (grep | sort | uniq -c): 0 x96, 1 x82, 2 x74, 9 x80.
    assert dict(query(isolated_warehouse, "select sex, count(*) from children group by sex")) == {
        "M": 82,
        "F": 74,
        "U": 96 + 80,
    }
    # Rule failures: 1 R-REFDATE, plus 8 CINreferralDate and 9 CINclosureDate values after
    # 2022-07-21 (counted with grep + awk over the two elements) = 17 R-AFTER-REF.
    issues = query(
        isolated_warehouse, "select rule_id, field, count(*) from validation_issues group by all order by all"
    )
    assert issues == [
        ("R-AFTER-REF", "CINclosureDate", 9),
        ("R-AFTER-REF", "CINreferralDate", 8),
        ("R-REFDATE", "ReferenceDate", 1),
    ]
    assert query(isolated_warehouse, "select rule_issues from loads") == [(18,)]


@pytest.mark.parametrize(
    ("path", "la", "spec_year", "collection_year", "rules"),
    [
        # ReferenceDate 2023-03-31; stray "PersonBirthDate" text on line 23, an ExpectedPersonBirthDate
        # of 1066 and NumberOfPreviousCPP 10 for a child aged 4 at the 1970 plan start.
        (CIN_2021, "201", 2023, "2022-23", ["R-IMPLAUSIBLE-DATE", "R-PREVIOUS-CPP", "R-STRAY-TEXT"]),
        # ReferenceDate 2022-03-31; only NumberOfPreviousCPP 10 (child aged 3 at the plan start).
        (CIN_2022, "201", 2022, "2021-22", ["R-PREVIOUS-CPP"]),
    ],
)
def test_one_child_samples_load_one_row_per_table(
    isolated_warehouse, path, la, spec_year, collection_year, rules
):
    [result] = ingest([path], isolated_warehouse, progress=None)
    assert result.status == "loaded" and result.children == 1
    assert counts(isolated_warehouse) == {
        "children": 1,
        "cin_episodes": 1,
        "assessments": 1,
        "cin_plans": 1,
        "section47": 1,
        "cp_plans": 1,
        "cp_reviews": 1,
        "area_lookup": 0,
        "area_population": 0,
    }
    assert load_row(isolated_warehouse) == (
        path.name,
        {
            "children": 1,
            "cin_episodes": 1,
            "assessments": 1,
            "cin_plans": 1,
            "section47": 1,
            "cp_plans": 1,
            "cp_reviews": 1,
        },
        "loaded",
        spec_year,
        collection_year,
        la,
        "cin_census",
        None,
    )
    stored = query(
        isolated_warehouse,
        "select rule_id, severity, line, child_key, value from validation_issues order by rule_id",
    )
    assert [r[0] for r in stored] == rules
    assert all(r[1] == "rule" and r[3] is not None and len(r[3]) == 32 for r in stored)
    children = query(isolated_warehouse, "select child_key, sex, ethnicity from children")
    assert children[0][1:] == ("M", "WBRI")  # GenderCurrent 1
    assert {r[3] for r in stored} == {children[0][0]}  # issues point at the pseudonymised child
    values = {r[0]: r[4] for r in stored}
    assert values["R-PREVIOUS-CPP"] == "10"
    if "R-IMPLAUSIBLE-DATE" in values:
        assert values["R-IMPLAUSIBLE-DATE"] is None  # an ExpectedPersonBirthDate is withheld


def test_samples_in_one_batch_merge_the_shared_child(isolated_warehouse):
    # CIN_2021 and cin-2022 are the same LA (201) and child (DfEX0000001) in consecutive years,
    # with the same referral (1970-10-06), plan start (1970-02-17) and review (1971-02-15).
    results = ingest([FAKE, CIN_2021, CIN_2022], isolated_warehouse, progress=None)
    assert [r.status for r in results] == ["loaded"] * 3
    assert counts(isolated_warehouse) == {
        "children": 332 + 1,
        "cin_episodes": 402 + 1,
        "assessments": 1,
        "cin_plans": 1,
        "section47": 1,
        "cp_plans": 1,
        "cp_reviews": 1,
        "area_lookup": 0,
        "area_population": 0,
    }
    # The newer return (2023) wins; the plan was seen in both.
    assert query(
        isolated_warehouse, "select returns_seen_in, latest_reference_date::varchar from cp_plans"
    ) == [(2, "2023-03-31")]
    # The newest return's PersonBirthDate (1965-03-27) gives the birth month.
    assert query(
        isolated_warehouse,
        "select birth_month::varchar, first_reference_date::varchar from children where la_code = '201'",
    ) == [("1965-03-01", "2022-03-31")]
    assert query(isolated_warehouse, "select la_code, spec_year, status from loads order by load_id") == [
        ("975", 2023, "loaded"),
        ("201", 2023, "loaded"),
        ("201", 2022, "loaded"),
    ]


@pytest.mark.parametrize(("path", "referral_line", "id_line"), [(CIN_2024, 87, 75), (CIN_2026, 99, 87)])
def test_invalid_samples_are_rejected_with_every_issue(isolated_warehouse, path, referral_line, id_line):
    with pytest.raises(IngestError) as caught:
        ingest([path], isolated_warehouse, progress=None)
    issues = caught.value.issues
    structural = [i for i in issues if i.severity is Severity.STRUCTURAL]
    # <Sex>1</Sex> (a GenderCurrent code) on line 25, and the LAchildID child_fails_assessments,
    # which breaks DfE rules 1570 (over 20 characters) and 1580 (underscores).
    assert [(i.rule_id, i.field, i.value, i.line, i.record) for i in structural] == [
        ("S-CODE", "Sex", "1", 25, "DfEX0000001"),
        ("S-LACHILDID", "LAchildID", None, id_line, "child_fails_assessments"),
    ]
    assert "23 characters long; DfE allows at most 20 (rule 1570)" in structural[1].message
    found = {(i.rule_id, i.field, i.value, i.line, i.record) for i in issues}
    assert {
        ("R-STRAY-TEXT", "ChildIdentifiers", "PersonBirthDate", 23, "DfEX0000001"),
        ("R-AFTER-REF", "AssessmentActualStartDate", "2028-04-28", 42, "DfEX0000001"),
        ("R-PREVIOUS-CPP", "NumberOfPreviousCPP", "10", 66, "DfEX0000001"),
        # A 2023-24 return: DfE rule 8600 reports the referral after the reference date (in
        # place of the project's R-AFTER-REF, which it covers).
        ("8600", "CINreferralDate", "2024-10-24", referral_line, "child_fails_assessments"),
    } <= found
    report = caught.value.report()
    assert path.name in report and "nothing was loaded" in report
    assert f"{path.name}:25: LAchildID DfEX0000001: <Sex> (value '1')" in report
    assert not isolated_warehouse.exists()


def _identifiers() -> set[str]:
    """Every LAchildID, UPN, FormerUPN and PersonBirthDate in the five samples."""
    found: set[str] = set()
    for path in SAMPLES.glob("*.xml"):
        found |= set(re.findall(r"<(?:LAchildID|UPN|FormerUPN|PersonBirthDate)>([^<]+)<", path.read_text()))
    return found


def test_no_raw_identifier_is_stored_anywhere(isolated_warehouse):
    ingest([FAKE, CIN_2021, CIN_2022], isolated_warehouse, progress=None)
    secrets = _identifiers()
    assert {"DfEX0000001", "RND000215205141", "A123456789123", "X98765432123B"} <= secrets
    assert len(secrets) > 600  # 332 ids + 332 UPNs + birth dates, give or take repeats
    pattern = re.compile("|".join(map(re.escape, sorted(secrets, key=len, reverse=True))))
    columns = query(
        isolated_warehouse,
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where data_type = 'VARCHAR' and not internal",
    )
    tables = {(s, t) for s, t, _ in columns}
    assert {
        ("main", "children"),
        ("main", "validation_issues"),
        ("main", "loads"),
        ("staging", "children"),
        ("staging", "cp_plans"),
    } <= tables
    scanned = 0
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    try:
        for schema, table, column in columns:
            for (value,) in con.execute(
                f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall():
                scanned += 1
                assert not pattern.search(value), f"{schema}.{table}.{column} holds {value!r}"
    finally:
        con.close()
    assert scanned > 1000
    raw = isolated_warehouse.read_bytes()
    for secret in ("DfEX0000001", "RND000215205141", "A123456789123"):
        assert secret.encode() not in raw
