"""Reader for ONS mid-year population estimates of children aged 0-17 in DfE's tidy CSV layout."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from pipelines.issues import Issue, Severity, missing_columns

REQUIRED = (
    "time_period",
    "geographic_level",
    "old_la_code",
    "new_la_code",
    "la_name",
    "age_group",
    "population_estimate",
)
# Markers DfE uses instead of numbers; they become NULL with the marker kept as a status.
MARKERS = {
    "x": "not available",
    "c": "suppressed",
    "z": "not applicable",
    "u": "low reliability",
    ":": "not available",
    "-": "not available",
    "": "missing",
}


def read_population(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    """One row per mid-year, geography and age group; `population` is NULL where a marker stood."""
    issues: list[Issue] = []
    cols: dict[str, list] = {
        k: []
        for k in (
            "year",
            "geographic_level",
            "area_code",
            "old_la_code",
            "area_name",
            "age_group",
            "population",
            "status",
        )
    }
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            return None, [missing_columns(path.name, missing)]
        for row in reader:
            line = reader.line_num
            if None in row.values():  # fewer fields than the header: a cut-off or damaged row
                issues.append(
                    Issue(
                        path.name,
                        line,
                        None,
                        "row",
                        None,
                        "S-COLUMNS",
                        Severity.STRUCTURAL,
                        f"the row has {sum(v is not None for v in row.values())} fields "
                        f"but the header has {len(reader.fieldnames or [])} "
                        "(is the file truncated?)",
                    )
                )
                continue
            raw = (row["population_estimate"] or "").strip()
            try:
                year = int(row["time_period"])
            except ValueError:
                issues.append(
                    Issue(
                        path.name,
                        line,
                        None,
                        "time_period",
                        row["time_period"],
                        "S-NUMBER",
                        Severity.STRUCTURAL,
                        "is not a year",
                    )
                )
                continue
            if raw.lower() in MARKERS:
                value, status = None, MARKERS[raw.lower()]
            else:
                try:
                    value, status = int(float(raw)), "published"
                except ValueError:
                    issues.append(
                        Issue(
                            path.name,
                            line,
                            None,
                            "population_estimate",
                            raw,
                            "S-NUMBER",
                            Severity.STRUCTURAL,
                            "is neither a number nor a DfE marker (c, x, z, u)",
                        )
                    )
                    continue
            level = row["geographic_level"].strip()
            code = {"National": row.get("country_code"), "Regional": row.get("region_code")}.get(
                level, row["new_la_code"]
            ) or ""
            for key, v in (
                ("year", year),
                ("geographic_level", level),
                ("area_code", code.strip()),
                ("old_la_code", (row["old_la_code"] or "").strip() or None),
                ("area_name", row["la_name"] or row.get("region_name") or row.get("country_name") or ""),
                ("age_group", row["age_group"].strip()),
                ("population", value),
                ("status", status),
            ):
                cols[key].append(v)
    if issues:
        return None, issues
    return pa.table(cols), issues
