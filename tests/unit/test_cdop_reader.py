"""The CDOP extract reader (pipelines/cdop.py): detection, codes, age bands, the rule tier, and what is
never kept (death_id, date of birth, free text). Structural errors are tested through the real
ingest in tests/integration/test_cdop_ingest.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.cdop import median_days
from pipelines.cdop import extract_date_from_name, la_from_name, read_cdop
from pipelines.detect import detect_type
from pipelines.issues import Severity
from pipelines.pseudonymise import Pseudonymiser
from vocabulary.cdop_codes import CATEGORY_OF_DEATH, age_band, category_code

PSEUDO = Pseudonymiser(b"k" * 32)
HEADER = (
    "death_id,la_code,date_of_death,date_of_birth,age_at_death_days,sex,ethnicity,area_code,"
    "notification_date,review_completed_date,place_of_death,expected,sudi,category_of_death,"
    "modifiable_factors,notes"
)
GOOD = "X1,302,2023-05-15,,100,F,WBRI,E05000001,2023-05-16,2024-02-20,HOSP,N,Y,SUD,Y,call mum back"


def write(tmp_path: Path, *rows: str, name: str = "cdop_302_2024-06-30.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_detected_by_columns_in_csv_and_xlsx(tmp_path):
    assert detect_type(write(tmp_path, GOOD, name="anything.csv")) == "cdop"
    # Header spelling is forgiving: case, spaces and punctuation are ignored.
    assert (
        detect_type(
            write(
                tmp_path,
                "X1,2023-05-15,2023-05-16",
                name="b.csv",
                header="Death ID,Date of death,Notification date",
            )
        )
        == "cdop"
    )
    assert (
        detect_type(write(tmp_path, "X1,2023-05-15", name="c.csv", header="child_id,date_of_death")) is None
    )
    wb = Workbook()
    wb.active.append(["death_id", "date_of_death", "notification_date"])
    wb.active.append(["X1", date(2023, 5, 15), date(2023, 5, 16)])
    wb.save(tmp_path / "deaths.xlsx")
    assert detect_type(tmp_path / "deaths.xlsx") == "cdop"


def test_file_name_gives_la_and_extract_date(tmp_path):
    path = Path("cdop_856_2026-06-30.csv")
    assert (la_from_name(path), extract_date_from_name(path)) == ("856", date(2026, 6, 30))
    assert (la_from_name(Path("deaths.csv")), extract_date_from_name(Path("deaths.csv"))) == (None, None)
    # Without a date in the name, the extract date is the latest notification or review date.
    table, issues, meta = read_cdop(write(tmp_path, GOOD, name="deaths.csv"), PSEUDO)
    assert issues == [] and meta["as_at"] == date(2024, 2, 20) and meta["la_code"] == "302"
    assert meta["period_start"] == date(2023, 5, 1)


def test_a_good_row_is_staged_pseudonymised_without_birth_date_or_free_text(tmp_path):
    table, issues, meta = read_cdop(write(tmp_path, GOOD), PSEUDO)
    assert issues == []
    row = table.to_pylist()[0]
    assert row["death_key"] == PSEUDO.death_key("X1") != "X1"
    assert (row["age_band"], row["sex"], row["category_of_death"], row["sudi"], row["expected"]) == (
        "28 to 364 days",
        "F",
        "SUD",
        "Y",
        False,
    )
    assert "date_of_birth" not in table.column_names and "notes" not in table.column_names
    assert "call mum back" not in str(table.to_pylist()) and "X1" not in str(table.to_pylist())
    assert meta == {
        "la_code": "302",
        "las": ["302"],
        "as_at": date(2024, 6, 30),
        "period_start": date(2023, 5, 1),
        "as_at_from": "file name",
    }


@pytest.mark.parametrize(
    "given", ["PER", "per", "8", "Perinatal/neonatal event", "perinatal or neonatal event"]
)
def test_category_as_code_number_or_name(given):
    assert category_code(given) == "PER"


def test_ten_statutory_categories_numbered_in_form_order():
    assert len(CATEGORY_OF_DEATH) == 10
    assert [category_code(str(n)) for n in range(1, 11)] == list(CATEGORY_OF_DEATH)
    assert category_code("11") is None and category_code("Misadventure") is None


@pytest.mark.parametrize(
    "days, years, band",
    [
        (0, None, "0 to 27 days"),
        (27, None, "0 to 27 days"),
        (28, None, "28 to 364 days"),
        (364, None, "28 to 364 days"),
        (365, None, "1 to 4"),
        (1826, None, "1 to 4"),
        (1827, None, "5 to 9"),
        (5478, None, "10 to 14"),
        (5479, None, "15 to 17"),
        (6574, None, "15 to 17"),
        (6575, None, "18 and over"),
        (400, 1, "1 to 4"),
        (1800, 4, "1 to 4"),
        (6570, 17, "15 to 17"),
        (None, None, None),
    ],
)
def test_age_bands(days, years, band):
    assert age_band(days, years) == band


def test_date_of_birth_gives_the_age_when_days_are_missing(tmp_path):
    table, issues, _ = read_cdop(
        write(tmp_path, "X2,302,2023-04-01,2023-03-22,,M,,,2023-04-03,,,Y,N,,,"), PSEUDO
    )
    assert issues == [] and table.to_pylist()[0]["age_band"] == "0 to 27 days"


@pytest.mark.parametrize(
    "row, rule, field",
    [
        (
            "R1,302,2023-05-15,2023-06-01,,M,,,2023-05-16,,,N,N,,,",
            "R-CDOP-DEATH-BEFORE-BIRTH",
            "date_of_death",
        ),
        ("R2,302,2023-05-15,,6600,M,,,2023-05-16,,,N,N,,,", "R-CDOP-AGE-OVER-17", "age_at_death_days"),
        (
            "R3,302,2023-05-15,,100,M,,,2023-05-16,2023-05-01,,N,N,SUD,N,",
            "R-CDOP-REVIEW-BEFORE-DEATH",
            "review_completed_date",
        ),
        (
            "R4,302,2023-05-15,,100,M,,,2023-05-16,,,N,N,SUD,,",
            "R-CDOP-CATEGORY-NO-REVIEW",
            "category_of_death",
        ),
        ("R5,302,2022-01-15,,100,M,,,2023-05-16,,,N,N,,,", "R-CDOP-LATE-NOTIFICATION", "notification_date"),
        (
            "R6,302,2023-05-15,,100,M,,,2023-05-10,,,N,N,,,",
            "R-CDOP-NOTIFIED-BEFORE-DEATH",
            "notification_date",
        ),
        ("R7,302,2023-05-15,,100,M,,,2023-05-16,,Under a bridge,N,N,,,", "R-CDOP-PLACE", "place_of_death"),
    ],
)
def test_rule_failures_load_and_name_file_row_death_and_column(tmp_path, row, rule, field):
    table, issues, _ = read_cdop(write(tmp_path, GOOD, row), PSEUDO)
    assert table is not None and table.num_rows == 2
    assert [(i.rule_id, i.field, i.line, i.record, i.severity) for i in issues] == [
        (rule, field, 3, row.split(",")[0], Severity.RULE)
    ]
    text = str(issues[0])
    assert text.startswith(f"cdop_302_2024-06-30.csv:3: death_id {row.split(',')[0]}: <{field}>")
    if rule == "R-CDOP-LATE-NOTIFICATION":
        assert "warning" in text
    if rule == "R-CDOP-DEATH-BEFORE-BIRTH":
        assert issues[0].value is None  # dates of birth and death are never echoed


def test_median_days_reference_function():
    assert median_days([174, 217, 220, 244, 281, 469, 708]) == 244
    assert median_days([10, 20, 30, 40]) == 25
    assert median_days([]) is None
