"""Validation issues as a table (for `safeguarding validate --format json|csv|xlsx`)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pipelines.issues import Issue
from vocabulary.spreadsheet import safe_frame

COLUMNS = ["file", "line", "LAchildID", "rule", "severity", "field", "value", "message"]
FORMATS = ("table", "json", "csv", "xlsx")


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """One row per issue, in the order found: rule code, severity, file line, child, field, value."""
    rows = [
        {
            "file": i.file,
            "line": i.line,
            "LAchildID": i.record if i.record_label == "LAchildID" else None,
            "rule": i.rule_id,
            "severity": str(i.severity),
            "field": i.field,
            "value": i.value,
            "message": i.message,
        }
        for i in issues
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["line"] = frame["line"].astype("Int64")
    return frame


def render(frame: pd.DataFrame, fmt: str) -> str:
    """The issues as JSON (a list of objects) or CSV text."""
    if fmt == "json":
        records = [
            {k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")
        ]
        return json.dumps(records, indent=1, default=int)
    if fmt == "csv":
        buffer = io.StringIO()
        safe_frame(frame).to_csv(buffer, index=False)
        return buffer.getvalue()
    raise ValueError(f"unknown text format {fmt!r}")


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """The issues as one sheet, 'issues', with a header row."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, sheet_name="issues", index=False)
