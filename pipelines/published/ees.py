"""Reader for the EES tidy CSVs of "Characteristics of children in need": tables B1, C1-C4, D1, D3, D5-D7.

Within one release the headline EES table (`source_rank` 1) beats a secondary EES table (2) and
LAIT (3); see `pipelines/sql/curated/published_values.sql`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from pipelines.issues import Issue, Severity
from pipelines.published.cells import EES_RANK, INDICATOR_OF, _columns, _finish, decimals_of, parse_cell
from pipelines.published.derived import DECIMALS as DERIVED_DECIMALS
from pipelines.published.derived import derived_cells

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


def ees_table(columns: set[str] | frozenset[str]) -> str | None:
    """Which EES table a header is (D1, D3, D5, D6, D7, C4, B1, C1, C2 or C3), from lower-cased
    column names."""
    if not {"time_period", "geographic_level"} <= columns:
        return None
    for name, (required, absent) in [*EES_TABLES.items(), *EES_TABLE_VARIANTS.items()]:
        if required <= columns and not (absent & columns):
            return name
    return None


def read_ees_csv(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    """One row per published cell of an EES tidy table (see EES_TABLES), plus the cells derived
    from its parts (pipelines/published/derived.py)."""
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
        for measure, indicator, formula, value, status in derived_cells(table, row):
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
