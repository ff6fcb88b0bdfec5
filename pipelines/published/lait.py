"""Reader for the LAIT "big data set" parquet (long format): its child protection and CIN measures.

LAIT is ranked below the EES tables within a release (`source_rank` 3); see
`pipelines/sql/curated/published_values.sql`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.issues import Issue, Severity
from pipelines.published.cells import INDICATOR_OF, LAIT_RANK, _columns, _finish, decimals_of, parse_cell

# LAIT measures kept (its "Child Protection" topic, plus CIN, re-referrals and child deaths). The
# other ~400 measures (attainment, absence, finance ...) are skipped at load.
LAIT_MEASURES = frozenset(
    {
        "CPP_Num",
        "CPP_rate",
        "CPP_Abuse",
        "CPP_Abuse_Rate",
        "PrevRegCPR",
        "ReRegCPR",
        "CPPlans2yrs",
        "CPPlans2yrsActive",
        "RevCP",
        "CPP_Reviewed_InReqTimeScl",
        "CPP_31March_3MnthorMore",
        "DeRegCPR",
        "CPRDuration",
        "CP_conf_15days",
        "ISCP_Conf",
        "Section_47",
        "10_ICPC",
        "15_ICPC",
        "20_ICPC",
        "21_ICPC",
        "CPP_Total_NumRef",
        "CPP_Total_Rateper10,000",
        "CIN_Refferals_NFA",
        "Referrals_AssessedNotNeed",
        "RefBySource_Schl_%",
        "RefBySource_HealthServ_%",
        "RefBySource_Police_%",
        "ReReferral",
        "Continue_Assess_Comp",
        "CareApplications",
        "CIN",
        "PreChildDea",
    }
)
LAIT_COLUMNS = ("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region")
# LAIT area numbers for England and the regions -> (level, ONS code, name).
LAIT_AREAS: dict[int, tuple[str, str, str]] = {
    970: ("National", "E92000001", "England"),
    980: ("Regional", "E12000001", "North East"),
    981: ("Regional", "E12000002", "North West"),
    982: ("Regional", "E12000003", "Yorkshire and The Humber"),
    983: ("Regional", "E12000004", "East Midlands"),
    984: ("Regional", "E12000005", "West Midlands"),
    985: ("Regional", "E12000006", "East of England"),
    986: ("Regional", "E12000007", "London"),
    987: ("Regional", "E13000001", "Inner London"),
    988: ("Regional", "E13000002", "Outer London"),
    989: ("Regional", "E12000008", "South East"),
    990: ("Regional", "E12000009", "South West"),
}
# LAIT's `Region` of an LA -> the region code and name EES gives the LA. EES, like LAIT, puts
# London boroughs in Inner London (E13000001) or Outer London (E13000002), not London (E12000007).
REGION_CODES = {
    name.lower(): (code, name)
    for level, code, name in LAIT_AREAS.values()
    if level == "Regional" and name != "London"
}
_LAIT_YEAR = re.compile(r"^(\d{4})$")
_LAIT_FY = re.compile(r"^(\d{4})[-/](\d{2})$")


def is_lait_parquet(path: Path) -> bool:
    try:
        names = set(pq.read_schema(path).names)
    except Exception:  # not a readable parquet file: "not recognised", reported by the caller
        return False
    return {"Short Desc", "Years", "LA and Regions", "Values", "LA Number"} <= names


def _lait_year(text: str) -> int | None:
    """'2022' -> 2022 (year ending 31 March); '2021-22' or '2021/22' -> 2022; else None."""
    text = (text or "").strip()
    if m := _LAIT_YEAR.match(text):
        return int(m.group(1))
    if (m := _LAIT_FY.match(text)) and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return int(m.group(1)) + 1
    return None


def read_lait_parquet(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    """The safeguarding measures of the LAIT big data set (long format), one row per cell.

    `Data item` is filled only on the first row of each measure, so it labels the whole measure.
    Decimals are inferred per measure from the values (the data dictionary's `dps` is blank for
    most percentages).
    """
    try:
        source = pq.read_table(path)
    except Exception as exc:
        return None, [
            Issue(
                path.name,
                None,
                None,
                "file",
                None,
                "S-PARQUET",
                Severity.STRUCTURAL,
                f"cannot be read as parquet: {exc}",
            )
        ]
    missing = [c for c in LAIT_COLUMNS if c not in source.column_names]
    if missing:
        return None, [
            Issue(
                path.name,
                None,
                None,
                ",".join(missing),
                None,
                "S-COLUMNS",
                Severity.STRUCTURAL,
                "required LAIT column(s) missing",
            )
        ]
    source = source.append_column("row", pa.array(np.arange(1, source.num_rows + 1, dtype=np.int32)))
    kept = source.filter(pc.is_in(source["Short Desc"], value_set=pa.array(sorted(LAIT_MEASURES))))
    # Each measure has one label, on its first row (some have none).
    labelled = kept.filter(pc.is_valid(kept["Data item"])).select(["Short Desc", "Data item"]).to_pydict()
    label_of: dict[str, str] = {}
    for measure, label in zip(labelled["Short Desc"], labelled["Data item"], strict=True):
        label_of.setdefault(measure, label)
    data = kept.to_pydict()
    issues: list[Issue] = []
    out: list[tuple] = []
    decimals: dict[str, int] = {}
    years: dict[str, int] = {}
    last_year: dict[str, int] = {}
    year_of = {text: _lait_year(text) for text in set(data["Years"])}
    cell_of = {text: parse_cell(text) for text in set(data["Values"])}
    area_of: dict[tuple, tuple | None] = {}
    for measure, raw, number, when, area, region, row in zip(
        data["Short Desc"],
        data["Values"],
        data["LA Number"],
        data["Years"],
        data["LA and Regions"],
        data["Region"],
        data["row"],
        strict=True,
    ):
        year = year_of[when]
        if year is None:
            issues.append(
                Issue(
                    path.name,
                    row,
                    None,
                    "Years",
                    when,
                    "R-PERIOD",
                    Severity.RULE,
                    f"{measure}: not a reporting year; row skipped",
                )
            )
            continue
        parsed = cell_of[raw]
        if parsed is None:
            issues.append(
                Issue(
                    path.name,
                    row,
                    None,
                    "Values",
                    raw,
                    "S-NUMBER",
                    Severity.STRUCTURAL,
                    f"{measure}: neither a number nor a marker ('-')",
                )
            )
            continue
        key = (number, area, region)
        if key not in area_of:
            area_of[key] = _lait_area(number, area, region)
        where = area_of[key]
        if where is None:
            issues.append(
                Issue(
                    path.name,
                    row,
                    None,
                    "LA Number",
                    str(number),
                    "R-AREA",
                    Severity.RULE,
                    f"{measure}: area {area!r} is not an LA or region; row skipped",
                )
            )
            continue
        value, status = parsed
        years[measure] = max(years.get(measure, 0), year)
        if value is not None:
            decimals[measure] = max(decimals.get(measure, 0), decimals_of(raw))
            last_year[measure] = max(last_year.get(measure, 0), year)
        indicator, rank = INDICATOR_OF.get(("LAIT", measure.lower()), (None, LAIT_RANK))
        out.append(
            ("LAIT", measure, label_of.get(measure), indicator, rank, year, *where, raw, value, status, row)
        )
    if any(i.severity is Severity.STRUCTURAL for i in issues):
        return None, issues
    cols = _columns(out)
    # LAIT is refreshed measure by measure: a measure's release is the latest year it has a value.
    cols["release"] = [last_year.get(m, years[m]) for m in cols["source_measure"]]
    return _finish(cols, decimals), issues


def _lait_area(number: float | None, area: str | None, region: str | None) -> tuple | None:
    """(level, ONS code, DfE LA number, name, region code, region name) of a LAIT area, or None
    for an area that is neither England, a region nor an LA."""
    if number is None or int(number) != number:
        return None
    number = int(number)
    if number in LAIT_AREAS:
        level, code, name = LAIT_AREAS[number]
        if level == "Regional":
            return level, code, None, name, code, name
        return level, code, None, name, None, None
    if number >= 1000 or number < 100:
        return None
    region_code, region_name = REGION_CODES.get((region or "").strip().lower(), (None, region))
    return (
        "Local authority",
        None,
        f"{number:03d}",
        (area or "").replace("(Pre LG)", "").strip(),
        region_code,
        region_name,
    )
