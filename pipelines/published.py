"""Readers for published DfE benchmark data: EES tidy CSVs (tables B1, C1, C2, C3, C4, D1, D3, D5, D6
and D7 of "Characteristics of children in need"), the LAIT "big data set" parquet and the DfE
statistical neighbours model CSV.

Every published cell becomes one long row (see `staging.published_values`): the value as a
DOUBLE rounded to the published decimals, or NULL with the meaning of the DfE marker (`c`, `x`,
`z`, `u`, `:`, `..`, `-`) in `status`. Never a sentinel number, never a silent zero. The cell as it
stood in the source is kept in `source_value`.

Release ordering (which figure wins when two files carry the same cell) is decided in
`pipelines/sql/curated/published_values.sql`: the newest release wins; within one release the
headline EES table (`source_rank` 1) beats a secondary EES table (2) and LAIT (3).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.issues import Issue, Severity
from pipelines.population import MARKERS

# DfE markers -> meaning. LAIT writes '-' for any missing cell; older EES files use ':' and '..'.
PUBLISHED_MARKERS = {**MARKERS, "..": "not available", "low": "low reliability"}

# EES columns that describe the row, not a measure.
EES_ROW_COLUMNS = frozenset(
    {
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
        "category",
    }
)
# The EES tables we read, told apart by their measure columns (lower-cased): (required, absent).
EES_TABLES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "D1": (frozenset({"cpp_start", "cpp_end", "cpp_anypoint", "cpp_at31", "cpp_at31_rate"}), frozenset()),
    "D3": (frozenset({"cpp_start", "cpp_subsequent", "cpp_subsequent_percent"}), frozenset()),
    "D5": (frozenset({"cpp_at31", "2_years_or_more", "2_years_or_more_percent"}), frozenset({"cpp_end"})),
    "D6": (
        frozenset({"cpp_at31_3months", "reviewed_within_timescales", "reviewed_within_timescales_percent"}),
        frozenset(),
    ),
    "D7": (frozenset({"cpp_end", "2_years_or_more", "2_years_or_more_percent"}), frozenset({"cpp_at31"})),
    "C4": (frozenset({"section47", "icpc", "duration_0-10_days", "duration_11-15_days"}), frozenset()),
    # The front door: children in need (B1), referrals (C1), assessments (C2), factors (C3).
    "B1": (frozenset({"anypoint_episodes", "started_episodes", "at31_episodes"}), frozenset()),
    "C1": (frozenset({"referrals", "re_referrals", "re_referrals_percent"}), frozenset()),
    "C2": (frozenset({"assessments_completed", "median_days", "41-45_days"}), frozenset()),
    "C3": (frozenset({"episodes_with_assessment_factor", "neglect"}), frozenset()),
}
# Later releases renamed columns: the same table under its newer names (C1 of the 2025 release).
EES_TABLE_VARIANTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "C1": (frozenset({"referral_count", "rereferral_count", "rereferral_percent"}), frozenset()),
}
EES_DESCRIPTION = {
    "D1": "D1 child protection plans (starts, ends, at 31 March, rates)",
    "D3": "D3 plans starting that are a second or subsequent plan",
    "D5": "D5 plans open at 31 March by duration",
    "D6": "D6 plans reviewed within timescales",
    "D7": "D7 plans ending by duration",
    "C4": "C4 section 47 enquiries and initial child protection conferences",
    "B1": "B1 children in need (episodes at any point, starting, ending, at 31 March)",
    "C1": "C1 referrals and re-referrals within 12 months",
    "C2": "C2 assessments completed, by working days from referral",
    "C3": "C3 factors identified at the end of assessment",
}

# (source table, source measure lower-cased) -> (our indicator id, rank within a release).
INDICATOR_OF: dict[tuple[str, str], tuple[str, int]] = {
    ("D1", "cpp_at31"): ("cpp_at_end", 1),
    ("D5", "cpp_at31"): ("cpp_at_end", 2),
    ("LAIT", "cpp_num"): ("cpp_at_end", 3),
    ("D1", "cpp_at31_rate"): ("cpp_rate_per_10k", 1),
    ("LAIT", "cpp_rate"): ("cpp_rate_per_10k", 3),
    ("D1", "cpp_start"): ("cpp_starts", 1),
    ("D3", "cpp_start"): ("cpp_starts", 2),
    ("LAIT", "cpp_abuse"): ("cpp_starts", 3),
    ("D3", "cpp_subsequent_percent"): ("cpp_repeat_pct", 1),
    ("LAIT", "prevregcpr"): ("cpp_repeat_pct", 3),
    ("D7", "2_years_or_more_percent"): ("cpp_ended_2y_pct", 1),
    ("LAIT", "cpplans2yrs"): ("cpp_ended_2y_pct", 3),
    ("D5", "2_years_or_more_percent"): ("cpp_open_2y_pct", 1),
    ("LAIT", "cpplans2yrsactive"): ("cpp_open_2y_pct", 3),
    ("D6", "reviewed_within_timescales_percent"): ("cpp_reviewed_in_time_pct", 1),
    ("LAIT", "revcp"): ("cpp_reviewed_in_time_pct", 3),
    ("LAIT", "cp_conf_15days"): ("icpc_15wd_pct", 3),
    ("C4", "section47"): ("s47_starts", 1),
    ("C4", "section47_rate"): ("s47_rate_per_10k", 1),
    ("B1", "at31_episodes"): ("cin_at_end", 1),
    ("B1", "at31_episodes_rate"): ("cin_rate_per_10k", 1),
    ("C1", "referrals"): ("referrals", 1),
    ("C1", "referral_count"): ("referrals", 1),
    ("C1", "referrals_rate"): ("referral_rate_per_10k", 1),
    ("C1", "re_referrals_percent"): ("rereferral_12m_pct", 1),
    ("C1", "rereferral_percent"): ("rereferral_12m_pct", 1),
    ("C2", "median_days"): ("assessment_median_working_days", 1),
}
EES_RANK, LAIT_RANK = 1, 3

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

SN_BASE_COLUMNS = ("old_la_code", "la_name", "region_name")
SN_NEIGHBOURS = 10

PUBLISHED_FIELDS = (
    "source_table",
    "source_measure",
    "measure_label",
    "indicator_id",
    "source_rank",
    "release",
    "time_period",
    "geographic_level",
    "area_code",
    "old_la_code",
    "area_name",
    "region_code",
    "region_name",
    "source_value",
    "value",
    "status",
    "decimals",
    "source_row",
)
PUBLISHED_SCHEMA = pa.schema(
    [
        ("source_table", pa.string()),
        ("source_measure", pa.string()),
        ("measure_label", pa.string()),
        ("indicator_id", pa.string()),
        ("source_rank", pa.int32()),
        ("release", pa.int32()),
        ("time_period", pa.int32()),
        ("geographic_level", pa.string()),
        ("area_code", pa.string()),
        ("old_la_code", pa.string()),
        ("area_name", pa.string()),
        ("region_code", pa.string()),
        ("region_name", pa.string()),
        ("source_value", pa.string()),
        ("value", pa.float64()),
        ("status", pa.string()),
        ("decimals", pa.int32()),
        ("source_row", pa.int32()),
    ]
)
MAX_DECIMALS = 6
_LAIT_YEAR = re.compile(r"^(\d{4})$")
_LAIT_FY = re.compile(r"^(\d{4})[-/](\d{2})$")


def ees_table(columns: set[str] | frozenset[str]) -> str | None:
    """Which EES table a header is (D1, D3, D5, D6, D7, C4, B1, C1, C2 or C3), from lower-cased
    column names."""
    if not {"time_period", "geographic_level"} <= columns:
        return None
    for name, (required, absent) in [*EES_TABLES.items(), *EES_TABLE_VARIANTS.items()]:
        if required <= columns and not (absent & columns):
            return name
    return None


def is_lait_parquet(path: Path) -> bool:
    try:
        names = set(pq.read_schema(path).names)
    except Exception:  # not a readable parquet file: "not recognised", reported by the caller
        return False
    return {"Short Desc", "Years", "LA and Regions", "Values", "LA Number"} <= names


def is_statistical_neighbours(columns: set[str]) -> bool:
    return {"old_la_code", "la_name", "sn_1", "sn_1p", f"sn_{SN_NEIGHBOURS}"} <= columns


def decimals_of(text: str) -> int:
    """Decimal places of a number as published. Float artefacts ('80.099999999999994',
    '93.600000000000009', '7.0000000000000007E-2') are read at 12 significant digits, which gives
    back the published decimal (80.1, 93.6, 0.07): 1, 1 and 2 places."""
    shortest = format(float(text), ".12g")
    if "e" in shortest:  # e.g. 1e-05
        mantissa, exponent = shortest.split("e")
        places = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, min(MAX_DECIMALS, places - int(exponent)))
    return min(MAX_DECIMALS, len(shortest.split(".")[1])) if "." in shortest else 0


def parse_cell(text: str | None) -> tuple[float | None, str] | None:
    """(number, 'published') or (None, marker meaning); None if the cell is neither."""
    raw = (text or "").strip()
    if raw.lower() in PUBLISHED_MARKERS:
        return None, PUBLISHED_MARKERS[raw.lower()]
    try:
        number = float(raw)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number, "published"


def period_label(time_period: int) -> str:
    """EES time_period 2022 -> '2021-22' (the year ending 31 March 2022)."""
    return f"{time_period - 1}-{time_period % 100:02d}"


def _empty_columns() -> dict[str, list]:
    return {k: [] for k in PUBLISHED_FIELDS}


def _finish(cols: dict[str, list], decimals: dict[str, int]) -> pa.Table:
    """Round every value to its measure's published decimals."""
    places = [decimals.get(m, 0) for m in cols["source_measure"]]
    cols["decimals"] = places
    cols["value"] = [None if v is None else round(v, d) for v, d in zip(cols["value"], places, strict=True)]
    return pa.table(cols, schema=PUBLISHED_SCHEMA)


def read_ees_csv(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    """One row per published cell of an EES tidy table (see EES_TABLES), plus the cells derived
    from its parts (pipelines/published_derived.py)."""
    from pipelines.published_derived import DECIMALS as DERIVED_DECIMALS
    from pipelines.published_derived import derived_cells

    issues: list[Issue] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip() for f in (reader.fieldnames or [])]
        reader.fieldnames = fields
        table = ees_table({f.lower() for f in fields})
        if table is None:
            return None, [
                Issue(
                    path.name,
                    1,
                    None,
                    "header",
                    None,
                    "S-COLUMNS",
                    Severity.STRUCTURAL,
                    f"not one of the supported EES tables ({', '.join(EES_TABLES)})",
                )
            ]
        measures = [f for f in fields if f.lower() not in EES_ROW_COLUMNS]
        rows = list(reader)
    out: list[tuple] = []
    decimals: dict[str, int] = {}
    years: list[int] = []
    cells: dict[str | None, tuple[float | None, str] | None] = {}
    targets = [(m, *INDICATOR_OF.get((table, m.lower()), (None, EES_RANK))) for m in measures]
    for n, row in enumerate(rows, start=2):  # n = line in the file (tidy CSVs have no multi-line cells)
        if None in row.values():  # fewer fields than the header: a cut-off or damaged row
            issues.append(
                Issue(
                    path.name,
                    n,
                    None,
                    "row",
                    None,
                    "S-COLUMNS",
                    Severity.STRUCTURAL,
                    f"the row has {sum(v is not None for v in row.values())} fields but "
                    f"the header has {len(fields)} (is the file truncated?)",
                )
            )
            continue
        try:
            year = int(row["time_period"])
        except (TypeError, ValueError):
            issues.append(
                Issue(
                    path.name,
                    n,
                    None,
                    "time_period",
                    row.get("time_period"),
                    "S-NUMBER",
                    Severity.STRUCTURAL,
                    "is not a year",
                )
            )
            continue
        years.append(year)
        level = (row["geographic_level"] or "").strip()
        if level == "National":
            code, old, name = row.get("country_code"), None, row.get("country_name")
        elif level == "Regional":
            code, old, name = row.get("region_code"), None, row.get("region_name")
        elif level == "Local authority":
            code, name = row.get("new_la_code"), row.get("la_name")
            old = (row.get("old_la_code") or "").strip()
            if not old:
                issues.append(
                    Issue(
                        path.name,
                        n,
                        None,
                        "old_la_code",
                        None,
                        "S-CODE",
                        Severity.STRUCTURAL,
                        "a local authority row has no old_la_code",
                    )
                )
                continue
        else:
            issues.append(
                Issue(
                    path.name,
                    n,
                    None,
                    "geographic_level",
                    level,
                    "S-LEVEL",
                    Severity.STRUCTURAL,
                    "expected National, Regional or Local authority",
                )
            )
            continue
        place = (
            level,
            (code or "").strip() or None,
            old,
            (name or "").strip() or None,
            None if level == "National" else (row.get("region_code") or "").strip() or None,
            None if level == "National" else (row.get("region_name") or "").strip() or None,
        )
        for measure, indicator, rank in targets:
            raw = row.get(measure)
            if raw not in cells:
                cells[raw] = parse_cell(raw)
            parsed = cells[raw]
            if parsed is None:
                issues.append(
                    Issue(
                        path.name,
                        n,
                        None,
                        measure,
                        raw,
                        "S-NUMBER",
                        Severity.STRUCTURAL,
                        "is neither a number nor a DfE marker (c, x, z, u, :, ..)",
                    )
                )
                continue
            value, status = parsed
            if value is not None:
                decimals[measure] = max(decimals.get(measure, 0), decimals_of(raw))
            out.append((table, measure, None, indicator, rank, year, *place, raw, value, status, n))
        for measure, indicator, formula, value, status in derived_cells(table, row, parse_cell):
            decimals[measure] = DERIVED_DECIMALS
            out.append((table, measure, None, indicator, EES_RANK, year, *place, formula, value, status, n))
    if issues:
        return None, issues
    if not years:
        return None, [
            Issue(
                path.name, None, None, "file", None, "S-EMPTY", Severity.STRUCTURAL, "the table has no rows"
            )
        ]
    cols = _columns(out)
    # The release is the latest year the file covers: the 2013-2022 files are the 2022 release.
    cols["release"] = [max(years)] * len(out)
    return _finish(cols, decimals), issues


ROW_FIELDS = (
    "source_table",
    "source_measure",
    "measure_label",
    "indicator_id",
    "source_rank",
    "time_period",
    "geographic_level",
    "area_code",
    "old_la_code",
    "area_name",
    "region_code",
    "region_name",
    "source_value",
    "value",
    "status",
    "source_row",
)


def _columns(rows: list[tuple]) -> dict[str, list]:
    """Row tuples (in ROW_FIELDS order) -> columns."""
    if not rows:
        return _empty_columns()
    return {name: list(column) for name, column in zip(ROW_FIELDS, zip(*rows, strict=True), strict=True)}


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


def read_statistical_neighbours(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    """DfE statistical neighbours (wide: SN_1..SN_10 with closeness SN_1P..SN_10P), one row per
    LA and neighbour rank."""
    issues: list[Issue] = []
    cols: dict[str, list] = {
        k: []
        for k in (
            "la_code",
            "la_name",
            "region_name",
            "neighbour_rank",
            "neighbour_la_code",
            "closeness",
            "source_row",
        )
    }
    seen: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = {f.strip().lower(): f for f in reader.fieldnames or []}
        needed = [*SN_BASE_COLUMNS] + [f"sn_{k}" for k in range(1, SN_NEIGHBOURS + 1)]
        missing = [c for c in needed if c not in fields]
        if missing:
            return None, [
                Issue(
                    path.name,
                    1,
                    None,
                    ",".join(missing),
                    None,
                    "S-COLUMNS",
                    Severity.STRUCTURAL,
                    "required column(s) missing from the header",
                )
            ]
        for n, row in enumerate(reader, start=2):
            la = (row[fields["old_la_code"]] or "").strip()
            if not (la.isdigit() and len(la) == 3):
                issues.append(
                    Issue(
                        path.name,
                        n,
                        None,
                        "old_la_code",
                        la,
                        "S-CODE",
                        Severity.STRUCTURAL,
                        "is not a 3-digit DfE LA number",
                    )
                )
                continue
            if la in seen:
                issues.append(
                    Issue(
                        path.name,
                        n,
                        None,
                        "old_la_code",
                        la,
                        "S-DUPLICATE",
                        Severity.STRUCTURAL,
                        "the LA appears twice",
                    )
                )
                continue
            seen.add(la)
            for k in range(1, SN_NEIGHBOURS + 1):
                neighbour = (row[fields[f"sn_{k}"]] or "").strip()
                if not (neighbour.isdigit() and len(neighbour) == 3) or neighbour == la:
                    issues.append(
                        Issue(
                            path.name,
                            n,
                            None,
                            f"SN_{k}",
                            neighbour,
                            "S-CODE",
                            Severity.STRUCTURAL,
                            "is not another LA's 3-digit DfE number",
                        )
                    )
                    continue
                closeness_col = fields.get(f"sn_{k}p")
                closeness = (row[closeness_col] or "").strip() or None if closeness_col else None
                for key, v in (
                    ("la_code", la),
                    ("la_name", (row[fields["la_name"]] or "").strip()),
                    ("region_name", (row[fields["region_name"]] or "").strip() or None),
                    ("neighbour_rank", k),
                    ("neighbour_la_code", neighbour),
                    ("closeness", closeness),
                    ("source_row", n),
                ):
                    cols[key].append(v)
    if issues:
        return None, issues
    if not seen:
        return None, [
            Issue(path.name, None, None, "file", None, "S-EMPTY", Severity.STRUCTURAL, "the file has no LAs")
        ]
    return pa.table(
        cols,
        schema=pa.schema(
            [
                ("la_code", pa.string()),
                ("la_name", pa.string()),
                ("region_name", pa.string()),
                ("neighbour_rank", pa.int32()),
                ("neighbour_la_code", pa.string()),
                ("closeness", pa.string()),
                ("source_row", pa.int32()),
            ]
        ),
    ), issues
