"""Reader for Census 2021 ethnic group (20 categories) by upper-tier LA, all ages (ONS, OGL v3.0).

Census counts everyone, not children, so downstream it is only a PROXY for the ethnic mix of
children and is labelled as one. Census categories are mapped onto the DfE CIN ethnicity codes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from pipelines.issues import Issue, Severity

CODE_COLUMN = "Ethnic group (20 categories) Code"
AREA_CODE = "2023 Upper tier local authorities Code"
AREA_NAME = "2023 Upper tier local authorities"
# Census 2021 20-category code -> DfE ethnicity code (Arab joins "any other ethnic group").
CENSUS_TO_DFE = {
    "1": "ABAN",
    "2": "CHNE",
    "3": "AIND",
    "4": "APKN",
    "5": "AOTH",
    "6": "BAFR",
    "7": "BCRB",
    "8": "BOTH",
    "9": "MWAS",
    "10": "MWBA",
    "11": "MWBC",
    "12": "MOTH",
    "13": "WBRI",
    "14": "WIRI",
    "15": "WIRT",
    "16": "WROM",
    "17": "WOTH",
    "18": "OOTH",
    "19": "OOTH",
}


def read_census_ethnicity(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    issues: list[Issue] = []
    cols: dict[str, list] = {
        "area_code": [],
        "area_name": [],
        "census_code": [],
        "ethnicity": [],
        "population_all_ages": [],
    }
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            code = (row.get(CODE_COLUMN) or "").strip()
            if code == "-8":  # "Does not apply": always 0
                continue
            try:
                count = int(row["Observation"])
            except (KeyError, ValueError):
                issues.append(
                    Issue(
                        path.name,
                        reader.line_num,
                        row.get(AREA_CODE),
                        "Observation",
                        row.get("Observation"),
                        "S-NUMBER",
                        Severity.STRUCTURAL,
                        "is not a whole number",
                    )
                )
                continue
            if code not in CENSUS_TO_DFE:
                issues.append(
                    Issue(
                        path.name,
                        reader.line_num,
                        row.get(AREA_CODE),
                        CODE_COLUMN,
                        code,
                        "S-CODE",
                        Severity.STRUCTURAL,
                        "is not a Census 2021 20-category ethnic group code",
                    )
                )
                continue
            for key, value in (
                ("area_code", row[AREA_CODE].strip()),
                ("area_name", row[AREA_NAME]),
                ("census_code", int(code)),
                ("ethnicity", CENSUS_TO_DFE[code]),
                ("population_all_ages", count),
            ):
                cols[key].append(value)
    if issues:
        return None, issues
    return pa.table(cols), issues
