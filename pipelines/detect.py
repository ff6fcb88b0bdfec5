"""Work out what kind of input a file is, from its content rather than its name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

AREA_LOOKUP_COLUMNS = frozenset({"lachildid", "area_code", "area_name"})
AREA_POPULATION_COLUMNS = frozenset({"area_code", "area_name", "year", "population_0_17"})
CENSUS_ETHNICITY_COLUMNS = frozenset({"ethnic group (20 categories) code", "observation"})
ONS_POPULATION_COLUMNS = frozenset({"time_period", "geographic_level", "age_group", "population_estimate"})


def csv_header(path: Path) -> list[str] | None:
    """The header row of a CSV, lower-cased, or None if the file does not look like CSV."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline(65536)
    except (UnicodeDecodeError, OSError):
        return None
    if "," not in first:
        return None
    return [c.strip().lower() for c in next(csv.reader(io.StringIO(first)))]


def _has_list7(path: Path) -> bool:
    from pipelines.annex_a import find_list7

    try:
        found = find_list7(path)
    except Exception:  # a damaged workbook is "not recognised", reported by the caller
        return False
    if found is None:
        return False
    found[0].close()
    return True


def detect_type(path: Path) -> str | None:
    """'cin_census', 'annex_a', 'area_lookup', 'area_population', 'ons_population', 'ees_csv',
    'lait_parquet', 'statistical_neighbours', 'cdop', 'partner_return', 's11_return',
    'case_audit', 'action_plan', or None."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PAR1"):
        from pipelines.published.lait import is_lait_parquet

        return "lait_parquet" if is_lait_parquet(path) else None
    if head.startswith(b"PK\x03\x04") and path.suffix.lower() in (".xlsx", ".xlsm"):
        from pipelines.partner_cells import is_return_workbook

        if is_return_workbook(path):  # checked first: it refuses macros and zip bombs unopened
            return "partner_return"
        from pipelines.assurance_cells import is_assurance_workbook

        if assurance := is_assurance_workbook(path):  # s.11, case-file audit or action plan
            return assurance
        if _has_list7(path):
            return "annex_a"
        from pipelines.cdop import is_cdop_workbook

        return "cdop" if is_cdop_workbook(path) else None
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        if b"<Message" in head or b":Message" in head:
            return "cin_census"
        return None
    header = csv_header(path)
    if header is None:
        return None
    columns = set(header)
    from pipelines.cdop import is_cdop_header

    if is_cdop_header(header):  # death_id and date_of_death columns
        return "cdop"
    from pipelines.partner_cells import is_return_header

    if is_return_header(columns):  # agency, measure_id and period columns
        return "partner_return"
    from pipelines.assurance_cells import kind_of_header

    if assurance := kind_of_header(header):  # s.11, case-file audit or action plan
        return assurance
    if AREA_LOOKUP_COLUMNS <= columns:
        return "area_lookup"
    if AREA_POPULATION_COLUMNS <= columns:
        return "area_population"
    if ONS_POPULATION_COLUMNS <= columns:
        return "ons_population"
    if CENSUS_ETHNICITY_COLUMNS <= columns:
        return "census_ethnicity"
    from pipelines.published.ees import ees_table
    from pipelines.published.neighbours import is_statistical_neighbours

    if ees_table(columns):
        return "ees_csv"
    if is_statistical_neighbours(columns):
        return "statistical_neighbours"
    return None
