"""`safeguarding template`: the return workbook an agency fills in each quarter (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.periods import parse_period
from vocabulary.partners import Declaration, declaration
from vocabulary.spreadsheet import safe_cell

RETURN_SHEET = "Return"
README_SHEET = "Readme"
HEADER_ROW = 6
# The return sheet's key cells (column A label, column B value) above the measure table.
KEY_CELLS = ("agency", "quarter", "submitted_on", "la_code")
COLUMNS = (
    "measure_id",
    "title",
    "definition",
    "unit",
    "numerator_label",
    "denominator_label",
    "period",
    "numerator",
    "denominator",
    "value",
    "commentary",
)
INPUT_COLUMNS = ("numerator", "denominator", "value", "commentary")
README = [
    "How to complete this return",
    "",
    "1. Fill in the 'Return' sheet: submitted_on (the date you send it, YYYY-MM-DD) and, for each row, the",
    "   numerator and (for percentages and averages) the denominator. 'value' is optional: if you give it,",
    "   it must agree with numerator / denominator. Commentary is read by the board: say what lies behind",
    "   the figure and what you are doing about it.",
    "2. Type numbers only: no formulas, no text such as 'n/a', no % signs. Leave a row blank if you have no",
    "   figure; a mandatory measure left blank is recorded as missing and shown to the board.",
    "3. Do not change the measure ids, periods, agency or quarter, and do not add or move columns.",
    "4. Save as .xlsx (not .xlsm) and send it to the partnership business unit. A corrected return for the",
    "   same quarter replaces the earlier one; the earlier one is kept in the history.",
    "",
    "Units: count = a number of things; percent = numerator / denominator x 100; rate_per_10k = a count",
    "(the rate per 10,000 children is worked out from ONS populations); days = total days / number of cases.",
]


def template_rows(decl: Declaration, agency: str, quarter: str) -> list[list[object]]:
    """The pre-filled measure rows: one per quarterly measure, three (one per month) per monthly one."""
    q = parse_period(quarter, "quarter")
    rows = []
    for m in decl.measures_of(agency):
        if m.frequency == "monthly":
            months, p = [], parse_period(f"{q.start:%Y-%m}", "month")
            while p.start <= q.end:
                months.append(p.label)
                p = p.next()
        else:
            months = [q.label]
        for label in months:
            rows.append(
                [
                    m.id,
                    m.title,
                    m.definition,
                    m.unit,
                    m.numerator,
                    m.denominator or "",
                    label,
                    None,
                    None,
                    None,
                    None,
                ]
            )
    return rows


def write_template(agency: str, quarter: str, out: Path, decl: Declaration | None = None) -> Path:
    """Write the agency's return workbook for the quarter (ValueError for an unknown agency or a
    label that is not a quarter)."""
    decl = decl or declaration()
    ag = decl.agency(agency)
    q = parse_period(quarter, "quarter")
    wb = Workbook()
    readme = wb.active
    readme.title = README_SHEET
    readme["A1"] = f"{decl.partnership.name}: quarterly return for {ag.name}, {q.label}"
    readme["A1"].font = Font(bold=True, size=14)
    due = decl.due_date(ag.id, q.end)
    lines = [f"Quarter {q.label}: {q.start:%d %B %Y} to {q.end:%d %B %Y}. Due by {due:%d %B %Y}.", *README]
    for i, text in enumerate(lines, start=3):
        readme.cell(row=i, column=1, value=safe_cell(text))
    readme.column_dimensions["A"].width = 110
    ws = wb.create_sheet(RETURN_SHEET)
    for i, (key, value) in enumerate(
        zip(KEY_CELLS, (ag.id, q.label, None, decl.partnership.la_code), strict=True), start=1
    ):
        ws.cell(row=i, column=1, value=key).font = Font(bold=True)
        ws.cell(row=i, column=2, value=safe_cell(value))
    ws.cell(row=3, column=2).number_format = "yyyy-mm-dd"
    for c, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=safe_cell(name))
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    rows = template_rows(decl, ag.id, q.label)
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=safe_cell(value))
            if COLUMNS[c - 1] in INPUT_COLUMNS:
                cell.fill = fill
    if rows:
        numbers = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        numbers.error = "Type a number of 0 or more (no formulas or text)."
        ws.add_data_validation(numbers)
        last = HEADER_ROW + len(rows)
        numbers.add(f"H{HEADER_ROW + 1}:J{last}")
    for col, width in zip("ABCDEFGHIJK", (30, 40, 50, 12, 30, 30, 12, 12, 12, 10, 50), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"H{HEADER_ROW + 1}"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
