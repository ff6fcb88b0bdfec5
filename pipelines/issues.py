"""Validation issues: what was wrong, where, and whether it rejects the file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    STRUCTURAL = "structural"  # rejects the whole file
    RULE = "rule"  # loads, and is recorded in validation_issues (the project's own checks)
    ERROR = "error"  # a DfE validation rule of severity error: loads, recorded under DfE's code
    QUERY = "query"  # a DfE validation rule of severity query: loads, recorded under DfE's code


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one input file, located as precisely as the format allows."""

    file: str
    line: int | None
    record: str | None  # the LAchildID (or row id) as it appears in the file; never stored
    field: str
    value: str | None
    rule_id: str
    severity: Severity
    message: str
    record_label: str = "LAchildID"  # what `record` is: LAchildID, or death_id in CDOP extracts

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" {self.record_label} {self.record}:" if self.record else ""
        shown = "" if self.value is None else f" (value '{self.value}')"
        return f"{where}:{who} <{self.field}>{shown}: {self.message} [{self.rule_id}, {self.severity}]"


def missing_columns(file: str, missing: list[str]) -> Issue:
    """The structural issue of a CSV whose header lacks required columns (line 1 names them)."""
    return Issue(
        file,
        1,
        None,
        ",".join(missing),
        None,
        "S-COLUMNS",
        Severity.STRUCTURAL,
        "required column(s) missing from the header",
    )


class HasIssues:
    """Mixin for results that carry `issues`: split them by tier."""

    issues: list[Issue]

    @property
    def structural(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.STRUCTURAL]

    @property
    def rules(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is not Severity.STRUCTURAL]


class IngestError(Exception):
    """Raised when a file (or a batch of files) is rejected; carries every issue found."""

    def __init__(self, summary: str, issues: list[Issue] | None = None):
        self.issues = issues or []
        super().__init__(summary)

    def report(self) -> str:
        lines = [str(self)]
        lines += [f"  {issue}" for issue in self.issues]
        return "\n".join(lines)
