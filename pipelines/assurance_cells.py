"""Opening assurance returns (s.11 self-assessments, case-file audits, action plans): detection, the
raw rows of the workbook sheet or CSV, column letters for messages, and the free-text identifier scan."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from pipelines.partner_cells import Checker, _container_problem

# kind -> (workbook sheet, columns in template order)
LAYOUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "s11_return": (
        "Section 11",
        ("agency", "cycle", "standard_id", "self_rating", "evidence", "agreed_rating", "challenge_date"),
    ),
    "case_audit": (
        "Case audit",
        (
            "round_id",
            "theme",
            "audit_date",
            "case_id",
            "agency",
            "question_id",
            "grade",
            "learning_point",
        ),
    ),
    "action_plan": (
        "Actions",
        (
            "action_id",
            "source",
            "priority",
            "rationale",
            "objective",
            "action",
            "due_date",
            "owner",
            "measure",
            "status",
            "last_update",
            "linked_ids",
        ),
    ),
}
REQUIRED = {
    "s11_return": ("agency", "cycle", "standard_id", "self_rating", "agreed_rating"),
    "case_audit": ("round_id", "theme", "audit_date", "case_id", "agency", "question_id", "grade"),
    "action_plan": ("action_id", "source", "action", "due_date", "owner", "status"),
}
# The business plan's usual headings, read as the columns above.
ALIASES = {
    "what are we going to do": "action",
    "what are we going to do?": "action",
    "when is it going to be done by": "due_date",
    "when is it going to be done by?": "due_date",
    "who is responsible": "owner",
    "who is responsible?": "owner",
    "how will we measure progress and impact": "measure",
    "how will we measure progress and impact?": "measure",
}
# Columns that would carry a child's identity: refused in any return.
FORBIDDEN_COLUMNS = {
    "name",
    "child_name",
    "first_name",
    "surname",
    "forename",
    "dob",
    "date_of_birth",
    "upn",
    "nhs_number",
}
UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
DOB_WORDS = re.compile(r"\b(d\.?o\.?b\.?|date of birth|born( on)?)\b[\s:]*\d", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](\d{4}|\d{2})\b")


def normalise_header(text: object) -> str:
    t = " ".join(str(text or "").strip().lower().split())
    return ALIASES.get(t, t.replace(" ", "_"))


def kind_of_sheets(names: list[str]) -> str | None:
    for kind, (sheet, _) in LAYOUTS.items():
        if sheet in names:
            return kind
    return None


def is_assurance_workbook(path: Path) -> str | None:
    """The kind of an assurance workbook (by its sheet name), or None."""
    if _container_problem(path):
        return None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # a damaged workbook is "not recognised", reported by the caller
        return None
    try:
        return kind_of_sheets(wb.sheetnames)
    finally:
        wb.close()


def kind_of_header(header: list[str]) -> str | None:
    """The kind of an assurance CSV from its header, or None."""
    cols = {normalise_header(h) for h in header}
    if {"standard_id", "self_rating"} <= cols:
        return "s11_return"
    if {"case_id", "question_id", "grade"} <= cols:
        return "case_audit"
    if {"action_id", "due_date", "owner"} <= cols:
        return "action_plan"
    return None


class Columns:
    """Column labels for messages: 'grade (column G)' in a workbook, 'grade' in a CSV."""

    def __init__(self, header: list[str], letters: bool):
        self.at = {name: i for i, name in enumerate(header) if name}
        self.letters = letters

    def __call__(self, name: str) -> str:
        if self.letters and name in self.at:
            return f"{name} (column {get_column_letter(self.at[name] + 1)})"
        return name


def read_rows(path: Path, kind: str, check: Checker) -> tuple[list[tuple[int, dict]], Columns]:
    """Data rows (row or line number, {column: value}) of the return, header checked."""
    sheet, _ = LAYOUTS[kind]
    book = path.suffix.lower() in (".xlsx", ".xlsm")
    if book:
        problem = _container_problem(path)
        if problem:
            check.add(None, "file", None, problem, "S-ASSURE-FILE")
            return [], Columns([], False)
        from openpyxl import load_workbook

        wb = load_workbook(path, data_only=False)
        try:
            if sheet not in wb.sheetnames:
                check.add(None, "sheet", None, f"the workbook has no '{sheet}' sheet", "S-ASSURE-FILE")
                return [], Columns([], False)
            values = list(wb[sheet].iter_rows(values_only=True))
        finally:
            wb.close()
        header = [normalise_header(v) for v in (values[0] if values else [])]
        body = [(r, row) for r, row in enumerate(values[1:], start=2)]
    else:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            lines = list(csv.reader(fh))
        header = [normalise_header(v) for v in (lines[0] if lines else [])]
        body = [(r, tuple(v.strip() for v in row)) for r, row in enumerate(lines[1:], start=2)]
    cols = Columns(header, book)
    bad = sorted(FORBIDDEN_COLUMNS & set(header))
    for name in bad:
        check.add(1, cols(name), name, "a return must not hold names, dates of birth or UPNs", "S-ASSURE-PII")
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        check.add(
            1, ", ".join(missing), None, "required column(s) missing from the header row", "S-ASSURE-LAYOUT"
        )
    if bad or missing:
        return [], cols
    rows = []
    for r, values in body:
        if all(v in (None, "") for v in values):
            continue
        rows.append((r, {h: v for h, v in zip(header, values, strict=False) if h}))
    return rows, cols


def identifier_in(text: str, dates_allowed: bool) -> str | None:
    """Why free text looks like it identifies a child (a UPN, a date of birth), or None."""
    if UPN.search(text):
        return "looks like it holds a UPN (a letter and 12 characters): remove it"
    if DOB_WORDS.search(text):
        return "looks like it holds a date of birth: remove it"
    if not dates_allowed and NUMERIC_DATE.search(text):
        return "holds a date that could be a date of birth: case learning points must not carry dates"
    return None
