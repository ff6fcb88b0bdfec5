"""`safeguarding template --kind section11|audit|actions`: the assurance return workbooks (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from pipelines.assurance_cells import LAYOUTS
from vocabulary.assurance import ACTION_STATUSES, Assurance, assurance
from vocabulary.partners import Declaration, declaration
from vocabulary.spreadsheet import safe_cell

KIND_OF = {"section11": "s11_return", "audit": "case_audit", "actions": "action_plan"}
# Headings in the business plan's usual words (the loader reads either these or the column ids).
PLAN_HEADINGS = {
    "action": "What are we going to do",
    "due_date": "When is it going to be done by",
    "owner": "Who is responsible",
    "measure": "How will we measure progress and impact",
}
README = {
    "s11_return": [
        "One row per standard. self_rating is your own rating; agreed_rating the one agreed at the challenge",
        "event. Evidence notes are read by the board: no names, dates of birth or UPNs.",
    ],
    "case_audit": [
        "One row per case, agency and question. case_id is the audit's own case number (never a name, UPN",
        "or date of birth); it is pseudonymised when loaded. Learning points must not carry dates.",
    ],
    "action_plan": [
        "One row per action. Who is responsible is the owner agency id. Status is one of the listed values;",
        "'overdue' is never typed: it is worked out from the due date. linked_ids lists the indicator or",
        "partner measure ids (;-separated) that will show the action's impact.",
    ],
}


def _prefill(kind: str, spec: Assurance, decl: Declaration, agency: str | None, cycle: str) -> list[list]:
    if kind == "s11_return":
        return [[agency, cycle, s.id, None, None, None, None] for s in spec.section11_standards]
    return []


def write_assurance_template(kind: str, out: Path, agency: str | None = None, cycle: str = "2026-27") -> Path:
    """Write the return workbook (ValueError for an unknown kind or, for s.11, an unknown agency)."""
    if kind not in KIND_OF:
        raise ValueError(f"unknown template kind {kind!r}; one of {', '.join(KIND_OF)}")
    decl, spec = declaration(), assurance()
    internal = KIND_OF[kind]
    if internal == "s11_return":
        if agency is None:
            raise ValueError("a section 11 template needs --agency")
        decl.agency(agency)
    sheet, columns = LAYOUTS[internal]
    wb = Workbook()
    readme = wb.active
    readme.title = "Readme"
    readme["A1"] = f"{decl.partnership.name}: {sheet} return"
    readme["A1"].font = Font(bold=True, size=14)
    agencies = ", ".join(a.id for a in decl.agencies)
    lines = [*README[internal], "", f"Agencies: {agencies}"]
    if internal == "s11_return":
        lines += [f"Scale: {', '.join(spec.section11_scale.levels)}"]
        lines += [f"{s.id}: {s.title}" for s in spec.section11_standards]
    elif internal == "case_audit":
        lines += [f"Grades: {', '.join(spec.audit_scale.levels)}"]
        lines += [f"{q.id}: {q.text}" for q in spec.audit_questions]
    else:
        lines += [f"Statuses: {', '.join(ACTION_STATUSES)}"]
    for i, text in enumerate(lines, start=3):
        readme.cell(row=i, column=1, value=safe_cell(text))
    readme.column_dimensions["A"].width = 110
    ws = wb.create_sheet(sheet)
    for c, name in enumerate(columns, start=1):
        ws.cell(row=1, column=c, value=PLAN_HEADINGS.get(name, name) if internal == "action_plan" else name)
        ws.cell(row=1, column=c).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = 22
    for r, row in enumerate(_prefill(internal, spec, decl, agency, cycle), start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=safe_cell(value))
    scale = {"s11_return": spec.section11_scale.levels, "case_audit": spec.audit_scale.levels}
    if internal in scale:
        lists = DataValidation(type="list", formula1='"' + ",".join(scale[internal]) + '"', allow_blank=True)
        ws.add_data_validation(lists)
        for name in ("self_rating", "agreed_rating", "grade"):
            if name in columns:
                letter = ws.cell(row=1, column=columns.index(name) + 1).column_letter
                lists.add(f"{letter}2:{letter}500")
    ws.freeze_panes = "A2"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
