"""Reader for Child Death Overview Panel (CDOP) extracts, CSV or XLSX (docs/cdop-extract-format.md).

One row per child death, with the notification fields and, once the panel has reviewed the death,
the review fields. Columns are found by their header (case, spaces and punctuation ignored); any
column not in the format (free text such as case summaries) is never read. ``death_id`` is a case
id: it is replaced by a keyed hash at once and never stored. ``date_of_birth`` is optional and only
used to check the death against the birth and to work out the age band; it is never stored.

Two tiers, as for the other readers: structural errors (a missing ``death_id`` or
``date_of_death``, an unparseable date, an unknown code) reject the whole file; rule failures
(a death before birth, an age over 17, a review dated before the death, a category set without a
review date, a notification more than a year after the death) load and are recorded in
``validation_issues``. Messages name the file, the row, the death_id and the column.

The extract date comes from the file name (``cdop_<LA>_<YYYY-MM-DD>.csv``) or, failing that, is the
latest notification or review date in the file. A later extract updates earlier rows for the same
death (newest extract date, then load order, wins); see pipelines/sql/curated/cdop_deaths.sql.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.issues import Issue, Severity
from pipelines.pseudonymise import Pseudonymiser
from vocabulary import cdop_codes, codes
from vocabulary.cdop_codes import squash

SOURCE_TYPE = "cdop"
STAGING_TABLE = "cdop_deaths"
RECORD_LABEL = "death_id"
# canonical column -> accepted header spellings (squashed: lower-case, letters and digits only)
HEADERS: dict[str, tuple[str, ...]] = {
    "death_id": ("deathid", "ncmdcaseid", "ncmdid", "cdopcaseid", "cdopreference", "childdeathid"),
    "la_code": ("lacode", "la", "localauthority", "laofresidence", "residentla"),
    "date_of_death": ("dateofdeath", "deathdate", "dod"),
    "date_of_birth": ("dateofbirth", "birthdate", "dob"),
    "age_at_death_days": ("ageatdeathdays", "ageatdeathindays", "agedays"),
    "sex": ("sex", "gender"),
    "ethnicity": ("ethnicity",),
    "area_code": ("areacode", "wardcode", "localitycode"),
    "notification_date": ("notificationdate", "datenotified", "dateofnotification"),
    "review_completed_date": ("reviewcompleteddate", "datereviewcompleted", "cdopreviewdate", "reviewdate"),
    "place_of_death": ("placeofdeath",),
    "expected": ("expected", "expecteddeath"),
    "sudi": ("sudi", "sudic"),
    "category_of_death": ("categoryofdeath",),
    "modifiable_factors": ("modifiablefactors", "modifiablefactorsidentified"),
    "stillbirth": ("stillbirth",),
}
DETECT = ("death_id", "date_of_death")
# Columns whose values identify a child: never written to validation_issues.value.
SENSITIVE = {"death_id", "date_of_death", "date_of_birth", "age_at_death_days"}
NAME_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
NAME_LA = re.compile(r"(?<!\d)(\d{3})(?!\d)")
AREA_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,39}$")
LATE_NOTIFICATION_DAYS = 365
SCHEMA = pa.schema(
    [
        ("la_code", pa.string()),
        ("death_key", pa.string()),
        ("date_of_death", pa.date32()),
        ("age_band", pa.string()),
        ("sex", pa.string()),
        ("ethnicity", pa.string()),
        ("area_code", pa.string()),
        ("notification_date", pa.date32()),
        ("review_completed_date", pa.date32()),
        ("place_of_death", pa.string()),
        ("expected", pa.bool_()),
        ("sudi", pa.string()),
        ("category_of_death", pa.string()),
        ("modifiable_factors", pa.string()),
        ("stillbirth", pa.bool_()),
        ("source_row", pa.int32()),
    ]
)


def column_map(header: list[object] | tuple[object, ...]) -> dict[str, int]:
    """Canonical column -> position, from a header row (first spelling wins)."""
    out: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = squash(cell)
        for field, names in HEADERS.items():
            if key in names and field not in out:
                out[field] = i
    return out


def is_cdop_header(header: list[object] | tuple[object, ...] | None) -> bool:
    """Detection by columns: a CDOP extract has a death_id and a date_of_death column."""
    return bool(header) and all(f in column_map(header) for f in DETECT)  # type: ignore[arg-type]


def is_cdop_workbook(path: Path) -> bool:
    """An xlsx whose first sheet with data has death_id and date_of_death in its first row."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged workbook is "not recognised", reported by the caller
        return False
    try:
        for ws in wb.worksheets:
            first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
            if first and any(v not in (None, "") for v in first):
                return is_cdop_header(first)
        return False
    finally:
        wb.close()


def extract_date_from_name(path: Path) -> date | None:
    match = NAME_DATE.search(path.stem)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def la_from_name(path: Path) -> str | None:
    stem = NAME_DATE.sub("", path.stem)
    match = NAME_LA.search(stem)
    return match.group(1) if match else None


def _rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    """(line or row number, cell values), header first, from CSV or XLSX."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
                if not first or not any(v not in (None, "") for v in first):
                    continue
                for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    yield n, list(values)
                return
        finally:
            wb.close()
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        for values in reader:
            yield reader.line_num, list(values)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Row:
    """One data row: typed getters that record structural errors against the row."""

    def __init__(self, name: str, line: int, values: list[object], cols: dict[str, int], issues: list[Issue]):
        self.name, self.line, self.values, self.cols, self.issues = name, line, values, cols, issues
        self.record: str | None = None
        self.broken = False

    def raw(self, field: str) -> object:
        i = self.cols.get(field)
        return self.values[i] if i is not None and i < len(self.values) else None

    def issue(self, field: str, value: object, rule: str, severity: Severity, message: str) -> None:
        shown = None if value in (None, "") or field in SENSITIVE else _text(value)
        self.issues.append(
            Issue(self.name, self.line, self.record, field, shown, rule, severity, message, RECORD_LABEL)
        )
        if severity is Severity.STRUCTURAL:
            self.broken = True

    def bad(self, field: str, value: object, message: str, rule: str = "S-CDOP") -> None:
        self.issue(field, value, rule, Severity.STRUCTURAL, message)

    def date(self, field: str, required: bool = False) -> date | None:
        value = self.raw(field)
        if value in (None, ""):
            if required:
                self.bad(field, None, "is required", "S-CDOP-REQUIRED")
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        self.bad(field, text, "is not a date (use a date cell, YYYY-MM-DD or DD/MM/YYYY)", "S-CDOP-DATE")
        return None

    def code(self, field: str, words: dict[str, str], allowed: str) -> str | None:
        text = _text(self.raw(field))
        if not text:
            return None
        code = words.get(squash(text))
        if code is None:
            self.bad(field, text, f"is not one of {allowed}", "S-CDOP-CODE")
        return code


def read_cdop(path: Path, pseudo: Pseudonymiser) -> tuple[pa.Table | None, list[Issue], dict]:
    """Rows of a CDOP extract as staged deaths, the issues found, and the load metadata
    {'la_code', 'as_at' (extract date), 'period_start' (first notification's month)}."""
    name = path.name
    name_date, name_la = extract_date_from_name(path), la_from_name(path)
    rows = _rows(path)
    try:
        _, header = next(rows)
    except StopIteration:
        header = []
    cols = column_map(header)
    missing = [f for f in DETECT if f not in cols]
    if missing:
        return (
            None,
            [
                Issue(
                    name,
                    1,
                    None,
                    ", ".join(missing),
                    None,
                    "S-CDOP-COLUMNS",
                    Severity.STRUCTURAL,
                    "required column(s) missing from the header row",
                    RECORD_LABEL,
                )
            ],
            {},
        )
    if "notification_date" not in cols:
        return (
            None,
            [
                Issue(
                    name,
                    1,
                    None,
                    "notification_date",
                    None,
                    "S-CDOP-COLUMNS",
                    Severity.STRUCTURAL,
                    "required column missing from the header row",
                    RECORD_LABEL,
                )
            ],
            {},
        )
    issues: list[Issue] = []
    out: dict[str, list] = {f.name: [] for f in SCHEMA}
    first_row_of: dict[str, int] = {}
    for line, values in rows:
        if all(v in (None, "") for v in values):
            continue
        row = _Row(name, line, values, cols, issues)
        death_id = _text(row.raw("death_id"))
        if not death_id:
            row.bad("death_id", None, "is required", "S-CDOP-REQUIRED")
            continue
        row.record = death_id
        if death_id in first_row_of:
            row.bad(
                "death_id",
                None,
                f"appears twice in this extract (also on row "
                f"{first_row_of[death_id]}): give one row per death",
                "S-CDOP-DUPLICATE",
            )
            continue
        first_row_of[death_id] = line
        la = _text(row.raw("la_code")) or name_la
        if not la or not (la.isdigit() and len(la) == 3):
            row.bad(
                "la_code",
                la or None,
                "is not a 3-digit DfE LA number (add an la_code column "
                "or put the LA number in the file name)",
            )
        died = row.date("date_of_death", required=True)
        born = row.date("date_of_birth")
        notified = row.date("notification_date", required=True)
        reviewed = row.date("review_completed_date")
        age_days = _age_days(row, died, born)
        sex = row.code("sex", cdop_codes.SEX_WORDS, "M, F or U") or "U"
        ethnicity = _ethnicity(row)
        area = _text(row.raw("area_code")) or None
        if area and not AREA_CODE.match(area):
            row.bad(
                "area_code",
                area,
                "is not an area code (letters, digits, spaces, '.', '_' or "
                "'-', starting with a letter or digit, up to 40 characters)",
            )
        expected = row.code("expected", {k: v for k, v in cdop_codes.YNU_WORDS.items() if v != "U"}, "Y or N")
        sudi = row.code("sudi", cdop_codes.YNU_WORDS, "Y, N or U")
        stillbirth = row.code(
            "stillbirth", {k: v for k, v in cdop_codes.YNU_WORDS.items() if v != "U"}, "Y or N"
        )
        modifiable = row.code("modifiable_factors", cdop_codes.YNU_WORDS, "Y, N or U")
        category = None
        raw_category = _text(row.raw("category_of_death"))
        if raw_category:
            category = cdop_codes.category_code(raw_category)
            if category is None:
                row.bad(
                    "category_of_death",
                    raw_category,
                    "is not one of the 10 statutory categories (a code such as PER, a number "
                    "1-10 or the full name, e.g. 'Perinatal/neonatal event')",
                    "S-CDOP-CODE",
                )
        place = None
        raw_place = _text(row.raw("place_of_death"))
        if raw_place:
            place = (
                raw_place.upper()
                if raw_place.upper() in cdop_codes.PLACE_OF_DEATH
                else cdop_codes.PLACE_WORDS.get(squash(raw_place))
            )
            if place is None:
                row.issue(
                    "place_of_death",
                    None,
                    "R-CDOP-PLACE",
                    Severity.RULE,
                    "is not a known place of death (HOSP, HOME, HOSPICE, PUBLIC, ABROAD, "
                    "OTHER); it is left blank",
                )
        if row.broken or died is None or notified is None:
            continue
        age_years = _whole_years(born, died) if born else None
        band = cdop_codes.age_band(age_days, age_years)
        _rules(row, died, born, notified, reviewed, band, category, modifiable, name_date)
        for field, value in (
            ("la_code", la),
            ("death_key", pseudo.death_key(death_id)),
            ("date_of_death", died),
            ("age_band", band),
            ("sex", sex),
            ("ethnicity", ethnicity),
            ("area_code", area),
            ("notification_date", notified),
            ("review_completed_date", reviewed),
            ("place_of_death", place),
            ("expected", None if expected is None else expected == "Y"),
            ("sudi", sudi),
            ("category_of_death", category),
            ("modifiable_factors", modifiable),
            ("stillbirth", stillbirth == "Y"),
            ("source_row", line),
        ):
            out[field].append(value)
    if any(i.severity is Severity.STRUCTURAL for i in issues):
        return None, issues, {}
    table = pa.table(out, schema=SCHEMA)
    las = sorted(set(out["la_code"]))
    dates = [d for d in out["notification_date"] + out["review_completed_date"] if d is not None]
    as_at = name_date or (max(dates) if dates else None)
    first = min(out["notification_date"]) if out["notification_date"] else as_at
    meta = {
        "la_code": las[0] if len(las) == 1 else "several",
        "las": las,
        "as_at": as_at,
        "period_start": first.replace(day=1) if first else None,
        "as_at_from": "file name" if name_date else "latest date in the file",
    }
    return table, issues, meta


def _age_days(row: _Row, died: date | None, born: date | None) -> int | None:
    text = _text(row.raw("age_at_death_days"))
    if text:
        try:
            days = int(text)
            if days < 0:
                raise ValueError
            return days
        except ValueError:
            row.bad("age_at_death_days", text, "is not a whole number of days of 0 or more", "S-CDOP-NUMBER")
            return None
    if born and died and born <= died:
        return (died - born).days
    return None


def _whole_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _ethnicity(row: _Row) -> str | None:
    text = _text(row.raw("ethnicity"))
    if not text:
        return None
    code = re.sub(r"^\s*[a-z]{1,2}\)\s*", "", text, flags=re.I).strip().upper()
    if code not in codes.ETHNICITY_CODES:
        row.bad(
            "ethnicity",
            text,
            "is not one of the 20 DfE ethnicity codes (e.g. WBRI, AIND, NOBT)",
            "S-CDOP-CODE",
        )
        return None
    return code


def _rules(
    row: _Row,
    died: date,
    born: date | None,
    notified: date,
    reviewed: date | None,
    band: str | None,
    category: str | None,
    modifiable: str | None,
    extract_date: date | None,
) -> None:
    rule = Severity.RULE
    if born and died < born:
        row.issue("date_of_death", None, "R-CDOP-DEATH-BEFORE-BIRTH", rule, "is before the date of birth")
    if band == cdop_codes.OVER_17:
        row.issue(
            "age_at_death_days",
            None,
            "R-CDOP-AGE-OVER-17",
            rule,
            "the child was 18 or over at death; CDOPs review deaths before the 18th birthday "
            "(the death is left out of the indicators)",
        )
    if reviewed and reviewed < died:
        row.issue(
            "review_completed_date",
            reviewed,
            "R-CDOP-REVIEW-BEFORE-DEATH",
            rule,
            "is before the date of death",
        )
    if reviewed is None:
        for field, value in (("category_of_death", category), ("modifiable_factors", modifiable)):
            if value is not None:
                row.issue(
                    field,
                    value,
                    "R-CDOP-CATEGORY-NO-REVIEW",
                    rule,
                    "is set but review_completed_date is blank: these are set at review",
                )
    if notified < died:
        row.issue(
            "notification_date", notified, "R-CDOP-NOTIFIED-BEFORE-DEATH", rule, "is before the date of death"
        )
    elif notified - died > timedelta(days=LATE_NOTIFICATION_DAYS):
        row.issue(
            "notification_date",
            notified,
            "R-CDOP-LATE-NOTIFICATION",
            rule,
            f"warning: the death was notified {(notified - died).days} days after it "
            "happened (more than a year); check the dates",
        )
    if extract_date:
        for field, value in (("notification_date", notified), ("review_completed_date", reviewed)):
            if value and value > extract_date:
                row.issue(
                    field,
                    value,
                    "R-CDOP-AFTER-EXTRACT",
                    rule,
                    f"is after the extract date {extract_date.isoformat()} in the file name",
                )


def record_load(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    path: Path,
    sha: str,
    rows: dict,
    rules: list[Issue],
    meta: dict,
    pseudo: Pseudonymiser,
) -> None:
    """The lineage row for a CDOP extract (reference_date = extract date, period_start = month of
    the first notification) and its rule failures, with death_id replaced by its keyed hash."""
    con.execute(
        "insert into loads (load_id, file_name, file_sha256, file_bytes, source_type, la_code, "
        "reference_date, period_start, loaded_at, status, rows_loaded, rule_issues) values "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?)",
        [
            load_id,
            path.name,
            sha,
            path.stat().st_size,
            SOURCE_TYPE,
            meta["la_code"] if meta["la_code"] != "several" else None,
            meta["as_at"],
            meta["period_start"],
            datetime.now(UTC).replace(tzinfo=None),
            dict(rows),
            len(rules),
        ],
    )
    if rules:
        con.executemany(
            "insert into validation_issues values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    load_id,
                    i.file,
                    i.line,
                    pseudo.death_key(i.record) if i.record else None,
                    i.field,
                    None if i.field in SENSITIVE else i.value,
                    i.rule_id,
                    str(i.severity),
                    i.message,
                )
                for i in rules
            ],
        )
