"""Run the DfE CIN census rules for one collection year over a return's raw staging, in DuckDB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa

from indicators.working_days import add_working_days, is_working_day
from pipelines.dfe.collect import raw_sql
from pipelines.issues import Issue, Severity
from vocabulary.codes import UPN_LA_CODES

RULES_DIR = resources.files("pipelines.dfe") / "rules"
PRELUDE = resources.files("pipelines.dfe") / "prelude.sql"
COLLECTION_YEARS = ("2023-24", "2024-25", "2025-26")

# Project checks (rule id, field) that a DfE rule covers for these years: where the DfE rule is
# in the chosen set, the project's issue is dropped so each problem is reported once, under
# DfE's code. Every one of these DfE conditions includes the project's condition.
SUPERSEDED_BY = {
    ("R-END-BEFORE-START", "CINclosureDate"): "8630",
    ("R-END-BEFORE-START", "CINPlanEndDate"): "4011",
    ("R-END-BEFORE-START", "AssessmentAuthorisationDate"): "8608",
    ("R-END-BEFORE-START", "DateOfInitialCPC"): "8615",
    ("R-END-BEFORE-START", "CPPendDate"): "8925",
    ("R-AFTER-REF", "CINreferralDate"): "8600",
    ("R-AFTER-REF", "CINclosureDate"): "8620",
    ("R-AFTER-REF", "CINPlanStartDate"): "4010",
    ("R-AFTER-REF", "AssessmentAuthorisationDate"): "8696",
    ("R-AFTER-REF", "CPPstartDate"): "8720",
    ("R-AFTER-REF", "CPPendDate"): "8930",
    ("R-NO-BIRTHDATE", "PersonBirthDate"): "8525Q",
    ("R-BIRTH-AFTER-REF", "PersonBirthDate"): "8520",
    ("R-DEATH-BEFORE-BIRTH", "PersonDeathDate"): "8535Q",
    ("R-REFDATE", "ReferenceDate"): "100",
    ("R-BOOLEAN", "ReferralNFA"): "8568",
}


@dataclass(frozen=True)
class Rule:
    """One DfE rule: its code, severity, collection years, reported field, message and SQL."""

    code: str
    severity: Severity
    years: tuple[str, ...]
    field: str
    message: str
    sql: str
    file: str


def _parse(name: str, text: str) -> Rule:
    head: dict[str, str] = {}
    body = []
    for line in text.splitlines():
        if line.startswith("-- ") and ":" in line and not body:
            key, _, value = line[3:].partition(":")
            head[key.strip()] = value.strip()
        else:
            body.append(line)
    missing = {"code", "severity", "years", "field", "message"} - set(head)
    if missing:
        raise ValueError(f"rule file {name}: header lacks {', '.join(sorted(missing))}")
    severity = {"error": Severity.ERROR, "query": Severity.QUERY}[head["severity"]]
    years = tuple(head["years"].split())
    if unknown := set(years) - set(COLLECTION_YEARS):
        raise ValueError(f"rule file {name}: unknown collection year(s) {sorted(unknown)}")
    return Rule(head["code"], severity, years, head["field"], head["message"], "\n".join(body).strip(), name)


@cache
def catalogue() -> tuple[Rule, ...]:
    """Every rule file, sorted by code; a code may have one file per spec variant (by year)."""
    rules = [_parse(f.name, f.read_text()) for f in RULES_DIR.iterdir() if f.name.endswith(".sql")]
    seen: dict[tuple[str, str], str] = {}
    for r in rules:
        for y in r.years:
            if (r.code, y) in seen:
                raise ValueError(f"rule {r.code} is defined twice for {y}: {seen[(r.code, y)]}, {r.file}")
            seen[(r.code, y)] = r.file
    return tuple(sorted(rules, key=lambda r: (_code_key(r.code), r.years)))


def _code_key(code: str) -> tuple[int, str]:
    digits = "".join(c for c in code if c.isdigit())
    return int(digits), code


def rules_for(year: str) -> list[Rule]:
    """The rule set of one collection year (2023-24, 2024-25 or 2025-26)."""
    if year not in COLLECTION_YEARS:
        raise ValueError(f"no DfE rule set for {year!r}; choose one of {', '.join(COLLECTION_YEARS)}")
    return [r for r in catalogue() if year in r.years]


def census_dates(reference_date: date, year: str) -> dict[str, date]:
    """SQL parameters: the reference date, the first day of the census year, the 31 March that the
    chosen collection year's reference date must be (rule 100), and the working-day limits of
    rules 8569Q (`$start_less_1wd`), 8675Q (`$ref_less_15wd`) and 8670Q (`$ref_less_45wd`)."""
    try:
        start = reference_date.replace(year=reference_date.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = date(reference_date.year - 1, 3, 1)
    census_end = date(int(year[:4]) + 1, 3, 31)
    try:
        limits = _working_day_limits(reference_date, start)
    except ValueError:  # a header date outside the years with known bank holidays: use the year's own
        limits = _working_day_limits(census_end, date(census_end.year - 1, 4, 1))
    return {"ref": reference_date, "start": start, "census_end": census_end, **limits}


def _working_day_limits(ref: date, start: date) -> dict[str, date]:
    return {
        "start_less_1wd": working_days_before(start, 1),
        "ref_less_15wd": working_days_before(ref, 15),
        "ref_less_45wd": working_days_before(ref, 45),
    }


def working_days_before(day: date, n: int) -> date:
    """DfE's "`day` minus `n` working days" (England: weekends and bank holidays): the n-th working
    day before `day`, so from a weekend or bank holiday the first step lands on the working day
    before it (Sunday 31 March 2024 minus 1 is Thursday 28 March: Good Friday is a bank holiday)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return add_working_days(day, -n)


def run_rules(tables: dict[str, pa.Table], reference_date: date, year: str, file_name: str) -> list[Issue]:
    """Every issue the year's rules find in a return's collected tables (RawCollector.tables()),
    ordered by line then code."""
    params = census_dates(reference_date, year)
    rules = rules_for(year)
    # One thread: on tables this size DuckDB's second thread costs more CPU than it saves time.
    con = duckdb.connect(config={"threads": 1})
    try:
        for module, table in tables.items():
            con.register(f"arrow_{module}", table)
        con.register("code_upn_la", pa.table({"code": sorted(UPN_LA_CODES)}))
        con.execute(raw_sql())
        con.execute(PRELUDE.read_text())
        # One query for the whole rule set (planning ~100 small queries costs more than running them).
        parts = [
            f"select {k} as k, r.line, c.LAchildID, r.value from ({rule.sql}) r "
            "left join child c on c.child_no = r.child_no"
            for k, rule in enumerate(rules)
        ]
        sql = "\nunion all\n".join(parts)
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        try:
            rows = con.execute(sql, used).fetchall()
        except duckdb.Error as exc:
            raise RuntimeError(f"DfE rules for {year} failed: {_culprit(con, rules, params)}{exc}") from exc
        found = [(line, rules[k], la_child_id, value) for k, line, la_child_id, value in rows]
    finally:
        con.close()
    found.sort(key=lambda x: (x[0] if x[0] is not None else -1, _code_key(x[1].code)))
    return [
        Issue(file_name, line, la_child_id, rule.field, value, rule.code, rule.severity, rule.message)
        for line, rule, la_child_id, value in found
    ]


def _culprit(con: duckdb.DuckDBPyConnection, rules: list[Rule], params: dict) -> str:
    """Which rule file breaks the combined query (run one by one, only after a failure)."""
    for rule in rules:
        try:
            con.execute(rule.sql, {k: v for k, v in params.items() if f"${k}" in rule.sql})
        except duckdb.Error:
            return f"rule {rule.code} ({rule.file}): "
    return ""


def merge_issues(project: list[Issue], dfe: list[Issue], year: str) -> list[Issue]:
    """The project's issues without those a DfE rule in this year's set covers, then DfE's."""
    codes = {r.code for r in rules_for(year)}
    kept = [i for i in project if SUPERSEDED_BY.get((i.rule_id, i.field)) not in codes]
    return kept + dfe
