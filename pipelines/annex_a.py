"""Reader for Ofsted Annex A List 7 (children on a child protection plan), from xlsx via openpyxl.

Annex A has no header block naming the LA or the date it was extracted, so the file name must
carry both: ``annex_a_<LA>_<YYYY-MM-DD>.xlsx`` (e.g. ``annex_a_856_2026-06-30.xlsx``). The list is
found by its header row, so a renamed sheet still works. Header wording and codes vary between
case-management systems ("a) Male", "Neglect" or NEG); both are normalised here. Staff names,
teams and visit details are not read. Annex A holds only the latest review date, so review
timeliness from it is an approximation and is labelled as one downstream.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
from openpyxl import load_workbook

from pipelines.issues import Issue, Severity
from pipelines.pseudonymise import Pseudonymiser, derived_key
from vocabulary import codes

NAME_PATTERN = re.compile(r"(?<!\d)(\d{3})(?!\d).*?(\d{4}-\d{2}-\d{2})")
# canonical field -> accepted header spellings (lower-case, punctuation and spaces removed)
HEADERS: dict[str, tuple[str, ...]] = {
    "child_id": ("childuniqueid", "childid", "lachildid", "uniqueid", "childuniqueidentifier"),
    "gender": ("gender", "sex"),
    "ethnicity": ("ethnicity",),
    "birth": ("dateofbirth", "dob", "birthdate"),
    "start": ("childprotectionplanstartdate", "cppstartdate", "planstartdate", "cpplanstartdate"),
    "initial": ("initialcategoryofabuse", "initialcategory"),
    "latest": ("latestcategoryofabuse", "latestcategory"),
    "last_review": (
        "dateoflatestreviewconference",
        "latestreviewconference",
        "dateoflastreviewconference",
        "lastreviewdate",
    ),
    "end": ("childprotectionplanenddate", "cppenddate", "planenddate", "cpplanenddate"),
    "previous": (
        "numberofpreviouschildprotectionplans",
        "numberofpreviouscpp",
        "previouscpplans",
        "numberofpreviousplans",
    ),
}
REQUIRED = ("child_id", "start", "initial")
CATEGORY_WORDS = {
    "neglect": "NEG",
    "physicalabuse": "PHY",
    "physical": "PHY",
    "sexualabuse": "SAB",
    "sexual": "SAB",
    "emotionalabuse": "EMO",
    "emotional": "EMO",
    "multiple": "MUL",
    "mixed": "MUL",
    "multiplenotrecommended": "MUL",
}
GENDER_WORDS = {"male": "M", "m": "M", "1": "M", "female": "F", "f": "F", "2": "F"}


def _squash(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def _strip_prefix(text: str) -> str:
    """'a) Male' -> 'Male'; 's) NOBT' -> 'NOBT'."""
    return re.sub(r"^\s*[a-z]{1,2}\)\s*", "", text.strip(), flags=re.I)


def la_and_date_from_name(path: Path) -> tuple[str, date] | None:
    match = NAME_PATTERN.search(path.stem)
    if not match:
        return None
    try:
        return match.group(1), date.fromisoformat(match.group(2))
    except ValueError:
        return None


def find_list7(path: Path):
    """The worksheet whose first row has the List 7 headers, and its column map, or None."""
    wb = load_workbook(path, read_only=True, data_only=True)
    ordered = sorted(wb.worksheets, key=lambda ws: "7" not in ws.title)
    for ws in ordered:
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if not first:
            continue
        columns = _column_map(first)
        if all(k in columns for k in REQUIRED):
            return wb, ws, columns
    wb.close()
    return None


def _column_map(header_row) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, cell in enumerate(header_row):
        key = _squash(cell)
        for field, names in HEADERS.items():
            if key in names and field not in out:
                out[field] = i
    return out


class _Row:
    def __init__(self, name: str, line: int, record: str | None, issues: list[Issue]):
        self.name, self.line, self.record, self.issues = name, line, record, issues

    def bad(self, field: str, value: object, message: str) -> None:
        self.issues.append(
            Issue(
                self.name,
                self.line,
                self.record,
                field,
                None if value is None else str(value),
                "S-ANNEXA",
                Severity.STRUCTURAL,
                message,
            )
        )

    def date(self, field: str, value: object, required: bool = False) -> date | None:
        if value in (None, ""):
            if required:
                self.bad(field, None, "is required")
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        self.bad(field, text, "is not a date (use a date cell, YYYY-MM-DD or DD/MM/YYYY)")
        return None

    def category(self, field: str, value: object, required: bool) -> str | None:
        if value in (None, ""):
            if required:
                self.bad(field, None, "is required")
            return None
        text = _strip_prefix(str(value))
        if text.upper() in codes.CATEGORY_OF_ABUSE:
            return text.upper()
        code = CATEGORY_WORDS.get(_squash(text))
        if code is None:
            self.bad(
                field,
                value,
                "is not a category of abuse (Neglect, Physical abuse, Sexual "
                "abuse, Emotional abuse, Multiple, or NEG/PHY/SAB/EMO/MUL)",
            )
        return code


def read_annex_a(path: Path, pseudo: Pseudonymiser) -> tuple[pa.Table | None, list[Issue], dict]:
    """Rows of List 7 as staged plans; also returns {'la_code', 'as_at'} for the load record."""
    name = path.name
    meta = la_and_date_from_name(path)
    if meta is None:
        return (
            None,
            [
                Issue(
                    name,
                    None,
                    None,
                    "file name",
                    name,
                    "S-ANNEXA-NAME",
                    Severity.STRUCTURAL,
                    "an Annex A file name must carry the LA and extract date, e.g. "
                    "annex_a_856_2026-06-30.xlsx",
                )
            ],
            {},
        )
    la, as_at = meta
    found = find_list7(path)
    if found is None:
        return (
            None,
            [
                Issue(
                    name,
                    1,
                    None,
                    "List 7",
                    None,
                    "S-ANNEXA-LIST",
                    Severity.STRUCTURAL,
                    "no sheet has the List 7 headers (Child Unique ID, Child Protection "
                    "Plan Start Date, Initial Category of Abuse)",
                )
            ],
            {},
        )
    wb, ws, col = found
    issues: list[Issue] = []
    cols: dict[str, list] = {
        k: []
        for k in (
            "child_key",
            "plan_key",
            "birth_month",
            "sex",
            "ethnicity",
            "start_date",
            "end_date",
            "initial_category",
            "latest_category",
            "last_review_date",
            "number_of_previous_cpp",
            "source_row",
        )
    }
    first_row: dict[tuple[str, date], int] = {}
    try:
        for line, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if values is None or all(v in (None, "") for v in values):
                continue

            def get(f, values=values):
                return values[col[f]] if f in col and col[f] < len(values) else None

            child_id = str(get("child_id") or "").strip()
            if child_id.endswith(".0"):
                child_id = child_id[:-2]  # numeric ids stored as floats
            row = _Row(name, line, child_id or None, issues)
            if not child_id:
                row.bad("Child Unique ID", None, "is required")
                continue
            start = row.date("Child Protection Plan Start Date", get("start"), required=True)
            end = row.date("Child Protection Plan End Date", get("end"))
            birth = row.date("Date of Birth", get("birth"))
            review = row.date("Date of latest review conference", get("last_review"))
            initial = row.category("Initial Category of Abuse", get("initial"), True)
            latest = row.category("Latest Category of Abuse", get("latest"), False)
            ethnicity = _strip_prefix(str(get("ethnicity") or "")).upper() or None
            if ethnicity and ethnicity not in codes.ETHNICITY_CODES:
                row.bad("Ethnicity", get("ethnicity"), "is not one of the 20 DfE ethnicity codes")
            gender = GENDER_WORDS.get(_squash(_strip_prefix(str(get("gender") or ""))), "U")
            previous = get("previous")
            try:
                previous = None if previous in (None, "") else int(float(previous))
            except ValueError:
                row.bad("Number of Previous Child Protection Plans", previous, "is not a number")
            if start and end and end < start:
                row.bad("Child Protection Plan End Date", end, "is before the plan start date")
            if start and start > as_at:
                row.bad(
                    "Child Protection Plan Start Date",
                    start,
                    f"is after the extract date {as_at.isoformat()} in the file name",
                )
            if start is not None and (child_id, start) in first_row:
                row.bad(
                    "Child Unique ID",
                    None,
                    f"has two rows for the plan starting "
                    f"{start.isoformat()} (also row {first_row[(child_id, start)]})",
                )
            if start is None or issues and issues[-1].line == line:
                continue
            first_row[(child_id, start)] = line
            key = pseudo.child_key(la, child_id)
            for field, value in (
                ("child_key", key),
                ("plan_key", derived_key(key, "cpp", start.isoformat())),
                ("birth_month", birth.replace(day=1) if birth else None),
                ("sex", gender),
                ("ethnicity", ethnicity),
                ("start_date", start),
                ("end_date", end),
                ("initial_category", initial),
                ("latest_category", latest or initial),
                ("last_review_date", review),
                ("number_of_previous_cpp", previous),
                ("source_row", line),
            ):
                cols[field].append(value)
    finally:
        wb.close()
    if issues:
        return None, issues, {}
    table = pa.table(
        cols,
        schema=pa.schema(
            [
                ("child_key", pa.string()),
                ("plan_key", pa.string()),
                ("birth_month", pa.date32()),
                ("sex", pa.string()),
                ("ethnicity", pa.string()),
                ("start_date", pa.date32()),
                ("end_date", pa.date32()),
                ("initial_category", pa.string()),
                ("latest_category", pa.string()),
                ("last_review_date", pa.date32()),
                ("number_of_previous_cpp", pa.int32()),
                ("source_row", pa.int32()),
            ]
        ),
    )
    table = table.append_column("la_code", pa.array([la] * table.num_rows, pa.string()))
    return table, issues, {"la_code": la, "as_at": as_at}
