"""Opening a partner return: detection, the macro and zip-bomb refusals, and the raw cells of the
workbook (`safeguarding template` layout) or tidy CSV, with issues located by file, sheet, row and column."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from pipelines.issues import Issue, Severity
from pipelines.partner_template import COLUMNS, HEADER_ROW, KEY_CELLS, RETURN_SHEET

CSV_COLUMNS = ("agency", "measure_id", "period", "numerator", "denominator", "value", "commentary")
MAX_UNZIPPED = 50 << 20  # a return is a few kB; anything that unzips past this is refused
MAX_RATIO = 200
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def is_return_workbook(path: Path) -> bool:
    """An xlsx with a 'Return' sheet whose A1 says 'agency' (as `safeguarding template` writes)."""
    if _container_problem(path):
        return path.suffix.lower() == ".xlsm" or _has_return_sheet_name(path)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # a damaged workbook is "not recognised", reported by the caller
        return False
    try:
        return (
            RETURN_SHEET in wb.sheetnames
            and str(wb[RETURN_SHEET]["A1"].value or "").strip().lower() == "agency"
        )
    finally:
        wb.close()


def _has_return_sheet_name(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z, z.open("xl/workbook.xml") as fh:
            return b'name="Return"' in fh.read(1 << 16)
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def is_return_header(columns: set[str]) -> bool:
    return {"agency", "measure_id", "period"} <= columns


def _container_problem(path: Path) -> str | None:
    """Why a workbook is refused before it is opened: macros, or a zip bomb."""
    if path.suffix.lower() == ".xlsm":
        return "the workbook is macro-enabled (.xlsm): save it as a plain .xlsx workbook"
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return f"the workbook cannot be opened ({exc})"
    if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
        return "the workbook contains macros (vbaProject.bin): save it as a plain .xlsx workbook"
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED or total / packed > MAX_RATIO:
        return (
            f"the workbook unzips to {total:,} bytes from {packed:,} ({total / packed:,.0f} times): "
            "refused as a possible zip bomb"
        )
    return None


class Checker:
    """Collects issues located by file, sheet, row and column."""

    def __init__(self, path: Path, sheet: str | None):
        self.path, self.sheet, self.issues = path, sheet, []

    def add(
        self,
        row: int | None,
        column: str,
        value: object,
        message: str,
        rule: str,
        severity=Severity.STRUCTURAL,
    ):
        shown = None if value in (None, "") else str(value)[:60]
        self.issues.append(
            Issue(self.path.name, row, self.sheet, column, shown, rule, severity, message, "sheet")
        )


def read_cells(path: Path, check: Checker) -> tuple[dict[str, object], list[tuple[int, dict[str, object]]]]:
    """(key cells, data rows by column name) from the workbook or the CSV."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        problem = _container_problem(path)
        if problem:
            check.add(None, "file", None, problem, "S-PARTNER-FILE")
            return {}, []
        from openpyxl import load_workbook

        wb = load_workbook(path, data_only=False)  # formulas stay visible, so they can be refused
        try:
            if RETURN_SHEET not in wb.sheetnames:
                check.add(
                    None, "sheet", None, f"the workbook has no '{RETURN_SHEET}' sheet", "S-PARTNER-FILE"
                )
                return {}, []
            ws = wb[RETURN_SHEET]
            keys = {}
            for r, key in enumerate(KEY_CELLS, start=1):
                if str(ws.cell(row=r, column=1).value or "").strip().lower() != key:
                    check.add(
                        r,
                        f"{key} (column A)",
                        ws.cell(row=r, column=1).value,
                        f"cell A{r} must say '{key}'",
                        "S-PARTNER-LAYOUT",
                    )
                keys[key] = ws.cell(row=r, column=2).value
            header = [str(c.value or "").strip().lower() for c in ws[HEADER_ROW]]
            if tuple(header[: len(COLUMNS)]) != COLUMNS:
                check.add(
                    HEADER_ROW,
                    "header",
                    ",".join(header),
                    f"row {HEADER_ROW} must be the columns {', '.join(COLUMNS)}",
                    "S-PARTNER-LAYOUT",
                )
                return keys, []
            rows = []
            for r, values in enumerate(
                ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True), start=HEADER_ROW + 1
            ):
                if all(v in (None, "") for v in values):
                    continue
                rows.append((r, dict(zip(COLUMNS, values, strict=False))))
            return keys, rows
        finally:
            wb.close()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
        missing = [c for c in CSV_COLUMNS if c not in reader.fieldnames]
        if missing:
            check.add(
                1,
                ", ".join(missing),
                None,
                "required column(s) missing from the header row",
                "S-PARTNER-LAYOUT",
            )
            return {}, []
        rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    keys: dict[str, object] = {"agency": rows[0][1].get("agency") if rows else None}  # rows must agree
    for key in ("submitted_on", "la_code"):
        seen = {r.get(key) for _, r in rows if r.get(key)}
        if len(seen) > 1:
            check.add(
                rows[0][0] if rows else None,
                key,
                ", ".join(sorted(seen)),
                f"a return is for one {key}: split the file",
                "S-PARTNER-MIXED",
            )
        keys[key] = next(iter(seen), None)
    return keys, rows


def column_label(name: str) -> str:
    if name in COLUMNS:
        return f"{name} (column {_LETTERS[COLUMNS.index(name)]})"
    return name
