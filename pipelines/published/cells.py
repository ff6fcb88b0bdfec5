"""The long row every published reader writes: fields, schema, DfE markers, cell parsing, decimals.

Every published cell becomes one long row (see `staging.published_values`): the value as a
DOUBLE rounded to the published decimals, or NULL with the meaning of the DfE marker (`c`, `x`,
`z`, `u`, `:`, `..`, `-`) in `status`. Never a sentinel number, never a silent zero. The cell as it
stood in the source is kept in `source_value`. `INDICATOR_OF` says which of our indicators a
published measure feeds, and with which rank within a release.
"""

from __future__ import annotations

import pyarrow as pa

from pipelines.population import MARKERS

# DfE markers -> meaning. LAIT writes '-' for any missing cell; older EES files use ':' and '..'.
PUBLISHED_MARKERS = {**MARKERS, "..": "not available", "low": "low reliability"}

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


# What a reader's row tuple holds: every published field in order, but the release (set per file)
# and the decimals (set by _finish).
ROW_FIELDS = tuple(f for f in PUBLISHED_FIELDS if f not in ("release", "decimals"))


def _columns(rows: list[tuple]) -> dict[str, list]:
    """Row tuples (in ROW_FIELDS order) -> columns."""
    if not rows:
        return _empty_columns()
    return {name: list(column) for name, column in zip(ROW_FIELDS, zip(*rows, strict=True), strict=True)}
