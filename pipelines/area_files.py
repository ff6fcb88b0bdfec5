"""Readers for the optional area files: child-to-ward lookup and ward child populations."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa

from pipelines.issues import Issue, Severity
from pipelines.pseudonymise import Pseudonymiser

_LA_IN_NAME = re.compile(r"(?<!\d)(\d{3})(?!\d)")


def _la_from_name(path: Path) -> str | None:
    match = _LA_IN_NAME.search(path.stem)
    return match.group(1) if match else None


def _rows(path: Path, issues: list[Issue]):
    """(line, row) for each data row; short rows are reported in `issues` and skipped, and so is
    a table with no rows. Text that would run as a spreadsheet formula is kept: every export
    neutralises it (viewmodels.cells.safe_cell)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
        n = 0
        for row in reader:
            n += 1
            line = reader.line_num
            if None in row.values():
                issues.append(
                    Issue(
                        path.name,
                        line,
                        None,
                        "row",
                        None,
                        "S-COLUMNS",
                        Severity.STRUCTURAL,
                        "the row has fewer fields than the header (is the file truncated?)",
                    )
                )
                continue
            yield line, {k: (v or "").strip() for k, v in row.items() if k}
        if n == 0:
            issues.append(
                Issue(
                    path.name,
                    None,
                    None,
                    "file",
                    None,
                    "S-EMPTY",
                    Severity.STRUCTURAL,
                    "the file has a header but no rows",
                )
            )


def read_area_lookup(path: Path, pseudo: Pseudonymiser) -> tuple[pa.Table | None, list[Issue]]:
    """LAchildID -> area. The LA comes from an la_code column or a 3-digit code in the file name."""
    issues: list[Issue] = []
    name = path.name
    default_la = _la_from_name(path)
    cols: dict[str, list] = {"la_code": [], "child_key": [], "area_code": [], "area_name": []}

    def bad(line, record, field, value, message):
        issues.append(Issue(name, line, record, field, value, "S-AREA", Severity.STRUCTURAL, message))

    first_line: dict[tuple[str, str], int] = {}
    for line, row in _rows(path, issues):
        child = row.get("lachildid", "")
        la = row.get("la_code") or default_la
        if not child:
            bad(line, None, "LAchildID", None, "is empty")
            continue
        if (la or "", child) in first_line:
            bad(
                line,
                child,
                "LAchildID",
                None,
                f"appears twice (also on line {first_line[(la or '', child)]}): give each child one area",
            )
            continue
        first_line[(la or "", child)] = line
        if not la or not (la.isdigit() and len(la) == 3):
            bad(
                line,
                child,
                "la_code",
                la or None,
                "no 3-digit LA code (add an la_code column or put the code in the file name)",
            )
            continue
        if not row.get("area_code"):
            bad(line, child, "area_code", None, "is empty")
            continue
        cols["la_code"].append(la)
        cols["child_key"].append(pseudo.child_key(la, child))
        cols["area_code"].append(row["area_code"])
        cols["area_name"].append(row.get("area_name") or row["area_code"])
    if issues:
        return None, issues
    return pa.table(cols), issues


def read_area_population(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    """Children aged 0-17 per area and census year."""
    issues: list[Issue] = []
    cols: dict[str, list] = {
        "la_code": [],
        "area_code": [],
        "area_name": [],
        "year": [],
        "population_0_17": [],
    }
    default_la = _la_from_name(path)
    for line, row in _rows(path, issues):
        la = row.get("la_code") or default_la
        try:
            year = int(row.get("year", ""))
            pop = int(row.get("population_0_17", ""))
            if pop < 0:
                raise ValueError
        except ValueError:
            issues.append(
                Issue(
                    path.name,
                    line,
                    row.get("area_code"),
                    "population_0_17",
                    row.get("population_0_17"),
                    "S-AREA",
                    Severity.STRUCTURAL,
                    "year and population_0_17 must be whole numbers of 0 or more",
                )
            )
            continue
        if not la or not row.get("area_code"):
            issues.append(
                Issue(
                    path.name,
                    line,
                    None,
                    "la_code/area_code",
                    None,
                    "S-AREA",
                    Severity.STRUCTURAL,
                    "la_code and area_code are required",
                )
            )
            continue
        for key, value in (
            ("la_code", la),
            ("area_code", row["area_code"]),
            ("area_name", row.get("area_name") or row["area_code"]),
            ("year", year),
            ("population_0_17", pop),
        ):
            cols[key].append(value)
    if issues:
        return None, issues
    return pa.table(cols), issues
