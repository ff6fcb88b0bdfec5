"""Readers for the three assurance returns: s.11 self-assessments, multi-agency case-file audits and
action plans (learning reviews and the business plan), as `safeguarding template --kind` writes them.

Every problem names the file, the sheet, the row and the column, and rejects the file (and so the
whole load): an unknown agency, standard or question, a rating or grade not on the declared scale, a
date that is not a date, a duplicate row or action id, a status of 'overdue' (worked out from the due
date, never typed), a linked id that is neither an indicator nor a partner measure, a name, date of
birth or UPN column, and free text that looks like a UPN or a date of birth. Case ids are hashed with
the warehouse key as LAchildIDs are; they are never stored as given.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from pipelines.assurance_cells import LAYOUTS, Columns, identifier_in, read_rows
from pipelines.issues import Issue, Severity
from pipelines.partner_cells import Checker
from pipelines.pseudonymise import Pseudonymiser
from vocabulary.assurance import ACTION_STATUSES, Assurance, AssuranceConfigError, assurance
from vocabulary.partners import Declaration, PartnerConfigError, declaration

S11_SCHEMA = pa.schema(
    [(n, pa.string()) for n in ("la_code", "agency", "cycle", "standard_id", "self_rating", "evidence")]
    + [("agreed_rating", pa.string()), ("challenge_date", pa.date32()), ("source_row", pa.int32())]
)
AUDIT_SCHEMA = pa.schema(
    [(n, pa.string()) for n in ("la_code", "round_id", "theme")]
    + [("audit_date", pa.date32())]
    + [(n, pa.string()) for n in ("case_key", "agency", "question_id", "grade", "learning_point")]
    + [("source_row", pa.int32())]
)
ACTION_SCHEMA = pa.schema(
    [(n, pa.string()) for n in ("la_code", "action_id", "source", "priority", "rationale", "objective")]
    + [("action", pa.string()), ("due_date", pa.date32()), ("owner", pa.string())]
    + [("measure", pa.string()), ("status", pa.string()), ("last_update", pa.date32())]
    + [("linked_ids", pa.string()), ("source_row", pa.int32())]
)
CYCLE = r"^\d{4}-\d{2}$"


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


class _Reader:
    """Shared checks for one return: required cells, scales, agencies, dates and free text."""

    def __init__(self, path: Path, kind: str, check: Checker, cols: Columns, decl: Declaration):
        self.path, self.kind, self.check, self.cols, self.decl = path, kind, check, cols, decl

    def add(self, row: int, column: str, value: object, message: str, rule: str) -> None:
        self.check.add(row, self.cols(column), value, message, rule)

    def required(self, row: int, data: dict, column: str) -> str | None:
        v = _text(data.get(column))
        if not v:
            self.add(row, column, None, "is blank", "S-ASSURE-BLANK")
            return None
        if v.startswith("="):
            self.add(row, column, v, "is a formula: type the value itself", "S-ASSURE-FORMULA")
            return None
        return v

    def agency(self, row: int, data: dict, column: str = "agency") -> str | None:
        v = self.required(row, data, column)
        known = [a.id for a in self.decl.agencies]
        if v is not None and v not in known:
            self.add(
                row,
                column,
                v,
                f"is not one of the partnership's agencies ({', '.join(known)})",
                "S-ASSURE-AGENCY",
            )
            return None
        return v

    def level(self, row: int, data: dict, column: str, levels: tuple[str, ...]) -> str | None:
        v = self.required(row, data, column)
        if v is None:
            return None
        key = v.lower().replace(" ", "_").replace("-", "_")
        if key not in levels:
            self.add(row, column, v, f"is not on the scale ({', '.join(levels)})", "S-ASSURE-SCALE")
            return None
        return key

    def day(self, row: int, data: dict, column: str, required: bool = True) -> tuple[date | None, bool]:
        raw = data.get(column)
        if raw in (None, "") and not required:
            return None, True
        d = _date(raw) if raw not in (None, "") else None
        if d is None:
            self.add(row, column, raw, "is not a date (YYYY-MM-DD)", "S-ASSURE-DATE")
            return None, False
        return d, True

    def free(self, row: int, data: dict, column: str, dates_allowed: bool = True) -> str | None:
        v = _text(data.get(column))
        why = identifier_in(v, dates_allowed) if v else None
        if why:
            self.add(row, column, None, why, "S-ASSURE-IDENTIFIER")  # the text itself is not echoed
        return v or None


def _s11(r: _Reader, rows: list, spec: Assurance, la: str) -> pa.Table:
    out = {f.name: [] for f in S11_SCHEMA}
    levels = spec.section11_scale.levels
    standards = [s.id for s in spec.section11_standards]
    seen: dict[tuple, int] = {}
    for row, data in rows:
        agency = r.agency(row, data)
        cycle = r.required(row, data, "cycle")
        if cycle is not None and not (
            len(cycle) == 7 and cycle[4] == "-" and cycle.replace("-", "").isdigit()
        ):
            r.add(row, "cycle", cycle, "is not a financial year such as 2026-27", "S-ASSURE-CYCLE")
            cycle = None
        sid = r.required(row, data, "standard_id")
        if sid is not None and sid not in standards:
            r.add(row, "standard_id", sid, "is not a standard in the assurance file", "S-ASSURE-STANDARD")
            sid = None
        self_rating = r.level(row, data, "self_rating", levels)
        agreed = r.level(row, data, "agreed_rating", levels)
        challenge, ok = r.day(row, data, "challenge_date", required=False)
        evidence = r.free(row, data, "evidence")
        if None in (agency, cycle, sid, self_rating, agreed) or not ok:
            continue
        if (agency, cycle, sid) in seen:
            r.add(
                row,
                "standard_id",
                sid,
                f"{agency} {sid} appears twice (also on row {seen[(agency, cycle, sid)]})",
                "S-ASSURE-DUPLICATE",
            )
            continue
        seen[(agency, cycle, sid)] = row
        for k, v in zip(
            out, (la, agency, cycle, sid, self_rating, evidence, agreed, challenge, row), strict=True
        ):
            out[k].append(v)
    return pa.table(out, schema=S11_SCHEMA)


def _audit(r: _Reader, rows: list, spec: Assurance, la: str, pseudo: Pseudonymiser) -> pa.Table:
    out = {f.name: [] for f in AUDIT_SCHEMA}
    questions = [q.id for q in spec.audit_questions]
    rounds: dict[str, tuple] = {}
    seen: dict[tuple, int] = {}
    for row, data in rows:
        rid = r.required(row, data, "round_id")
        theme = r.required(row, data, "theme")
        when, ok = r.day(row, data, "audit_date")
        case = r.required(row, data, "case_id")
        if case is not None and identifier_in(case, False):
            r.add(
                row,
                "case_id",
                None,
                "looks like a UPN or a date: use the audit's own case number",
                "S-ASSURE-IDENTIFIER",
            )
            case = None
        agency = r.agency(row, data)
        qid = r.required(row, data, "question_id")
        if qid is not None and qid not in questions:
            r.add(
                row, "question_id", qid, "is not an audit question in the assurance file", "S-ASSURE-QUESTION"
            )
            qid = None
        grade = r.level(row, data, "grade", spec.audit_scale.levels)
        point = r.free(row, data, "learning_point", dates_allowed=False)
        if None in (rid, theme, case, agency, qid, grade) or not ok:
            continue
        if rounds.setdefault(rid, (theme, when)) != (theme, when):
            r.add(
                row,
                "theme",
                theme,
                f"round {rid} has theme and date {rounds[rid][0]} {rounds[rid][1]} on an earlier row",
                "S-ASSURE-ROUND",
            )
            continue
        if (rid, case, agency, qid) in seen:
            r.add(
                row,
                "question_id",
                qid,
                f"case and agency graded twice on {qid} (also on row {seen[(rid, case, agency, qid)]})",
                "S-ASSURE-DUPLICATE",
            )
            continue
        seen[(rid, case, agency, qid)] = row
        key = pseudo.child_key(la, f"audit:{rid}:{case}")
        for k, v in zip(out, (la, rid, theme, when, key, agency, qid, grade, point, row), strict=True):
            out[k].append(v)
    return pa.table(out, schema=AUDIT_SCHEMA)


def _known_ids(decl: Declaration) -> set[str]:
    from indicators.registry import registry

    return set(registry()) | {m.id for m in decl.measures}


def _actions(r: _Reader, rows: list, la: str) -> pa.Table:
    out = {f.name: [] for f in ACTION_SCHEMA}
    known = _known_ids(r.decl)
    seen: dict[str, int] = {}
    for row, data in rows:
        aid = r.required(row, data, "action_id")
        source = r.required(row, data, "source")
        action = r.required(row, data, "action")
        due, ok1 = r.day(row, data, "due_date")
        owner = r.agency(row, data, "owner")
        status = _text(data.get("status")).lower().replace(" ", "_")
        if status == "overdue":
            r.add(
                row,
                "status",
                status,
                "overdue is worked out from the due date: give the action's own status",
                "S-ASSURE-STATUS",
            )
            status = ""
        elif status not in ACTION_STATUSES:
            r.add(
                row,
                "status",
                data.get("status"),
                f"is not a status ({', '.join(ACTION_STATUSES)})",
                "S-ASSURE-STATUS",
            )
            status = ""
        updated, ok2 = r.day(row, data, "last_update", required=False)
        links = [x.strip() for x in _text(data.get("linked_ids")).replace(",", ";").split(";") if x.strip()]
        unknown = [x for x in links if x not in known]
        if unknown:
            r.add(
                row,
                "linked_ids",
                ";".join(unknown),
                "is not an indicator or partner measure id",
                "S-ASSURE-LINK",
            )
        texts = [r.free(row, data, c) for c in ("priority", "rationale", "objective", "action", "measure")]
        if None in (aid, source, action, owner) or not (ok1 and ok2 and status) or unknown:
            continue
        if aid in seen:
            r.add(row, "action_id", aid, f"appears twice (also on row {seen[aid]})", "S-ASSURE-DUPLICATE")
            continue
        seen[aid] = row
        values = (
            la,
            aid,
            source,
            texts[0],
            texts[1],
            texts[2],
            texts[3],
            due,
            owner,
            texts[4],
            status,
            updated,
            ";".join(links),
            row,
        )
        for k, v in zip(out, values, strict=True):
            out[k].append(v)
    return pa.table(out, schema=ACTION_SCHEMA)


def read_assurance_return(
    path: Path, kind: str, pseudo: Pseudonymiser
) -> tuple[pa.Table | None, list[Issue], dict]:
    """The rows of one assurance return, the issues found, and meta {kind, la_code, reference_date}."""
    try:
        decl, spec = declaration(), assurance()
    except (PartnerConfigError, AssuranceConfigError) as exc:
        return (
            None,
            [Issue(path.name, None, None, "file", None, "S-ASSURE-CONFIG", Severity.STRUCTURAL, str(exc))],
            {},
        )
    book = path.suffix.lower() in (".xlsx", ".xlsm")
    check = Checker(path, LAYOUTS[kind][0] if book else None)
    rows, cols = read_rows(path, kind, check)
    if not check.issues and not rows:
        check.add(None, "rows", None, "the return has no rows", "S-ASSURE-EMPTY")
    if check.issues:
        return None, check.issues, {}
    reader = _Reader(path, kind, check, cols, decl)
    la = decl.partnership.la_code
    if kind == "s11_return":
        table = _s11(reader, rows, spec, la)
    elif kind == "case_audit":
        table = _audit(reader, rows, spec, la, pseudo)
    else:
        table = _actions(reader, rows, la)
    if check.issues:
        return None, check.issues, {}
    dates = [
        d
        for c in ("challenge_date", "audit_date", "last_update")
        if c in table.column_names
        for d in table[c].to_pylist()
        if d
    ]
    return table, [], {"kind": kind, "la_code": la, "reference_date": max(dates, default=None)}
