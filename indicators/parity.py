"""Parity with DfE: our value for an LA and year, computed from the loaded child-level data, beside
DfE's published value, with the difference and the most likely reason they part company."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from indicators import api
from indicators.benchmarks import _run, period_label, published, time_period_of
from indicators.periods import Period
from indicators.registry import get

# Numerator and denominator behind a published percentage: candidates (source table, measure) or
# ("indicator", id), the newest release first. Used to show e.g. "16.8% (81 of 483)".
COMPONENTS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "cpp_repeat_pct": ((("D3", "CPP_subsequent"), ("LAIT", "ReRegCPR")), (("indicator", "cpp_starts"),)),
    "cpp_reviewed_in_time_pct": (
        (("D6", "Reviewed_within_timescales"), ("LAIT", "CPP_Reviewed_InReqTimeScl")),
        (("D6", "CPP_At31_3Months"), ("LAIT", "CPP_31March_3MnthorMore")),
    ),
    "cpp_ended_2y_pct": ((("D7", "2_years_or_more"),), (("D7", "CPP_End"),)),
    "cpp_open_2y_pct": ((("D5", "2_years_or_more"),), (("indicator", "cpp_at_end"),)),
    "rereferral_12m_pct": (
        (("C1", "rereferral_count"), ("C1", "Re_referrals")),
        (("indicator", "referrals"),),
    ),
    "assessment_45wd_pct": ((), (("C2", "Assessments_completed"),)),
    "factor_neglect_pct": ((("C3", "Neglect"),), (("C3", "Episodes_with_assessment_factor"),)),
}

# Where our figure and DfE's most often part company, per indicator (for the parity check).
PARITY_HINTS = {
    "cpp_at_end": "plans opened, ended or corrected after the census return was submitted",
    "cpp_rate_per_10k": "the population denominator: DfE's later releases use ONS estimates "
    "rebased after Census 2021; compare the number on a plan first",
    "cpp_starts": "plans added or start dates corrected after the census return was submitted",
    "cpp_repeat_pct": "DfE counts a previous plan 'ever' from NumberOfPreviousCPP as returned, as this "
    "does; check blank NumberOfPreviousCPP (counted as no previous plan) and corrected returns",
    "cpp_ended_2y_pct": "start or end dates corrected after the return (durations of more than "
    "729 days, counting both ends)",
    "cpp_open_2y_pct": "start dates corrected after the return, or plans ended late in the system",
    "cpp_reviewed_in_time_pct": "review dates entered or corrected after the return, and the "
    "calendar-month timescale rules",
    "icpc_15wd_pct": "DfE counts working days from the strategy discussion; we count from the "
    "section 47 start, with England and Wales bank holidays",
    "referrals": "referrals added or referral dates corrected after the census return was submitted",
    "referral_rate_per_10k": "the population denominator (DfE's release-year ONS estimates); compare "
    "the number of referrals first",
    "rereferral_12m_pct": "previous referrals before the first loaded return are not seen, and the "
    "12-month boundary day (we count a previous referral on the same day 12 months before)",
    "assessment_45wd_pct": "authorisation dates corrected after the return, and bank holidays (DfE's "
    "published duration bands; the percentage is derived from them)",
    "assessment_median_working_days": "authorisation dates corrected after the return; DfE publishes "
    "whole working days",
    "s47_starts": "section 47 start dates corrected after the census return was submitted",
    "s47_rate_per_10k": "the population denominator (DfE's release-year ONS estimates); compare "
    "the number of section 47 enquiries first",
    "cin_at_end": "episodes opened, closed or corrected after the census return was submitted",
    "cin_rate_per_10k": "the population denominator (DfE's release-year ONS estimates); compare "
    "the number of children in need first",
    "factor_neglect_pct": "DfE counts episodes with factors at an assessment completed in the year; we "
    "count assessments (an episode with two such assessments counts twice)",
}


def within_rounding(local: float, published: float, decimals: int) -> bool:
    """True if `local`, rounded as DfE rounds, equals `published`."""
    return abs(local - published) <= 0.5 * 10**-decimals + 1e-9


def likely_reason(
    indicator_id: str,
    local: float | None,
    local_status: str,
    published: float | None,
    published_status: str,
    decimals: int,
    release: int | None,
) -> str:
    """Plain words: why our value and DfE's may differ."""
    if published is None:
        return f"DfE did not publish a value: {published_status}"
    if local is None:
        return f"no local value: {local_status}"
    if within_rounding(local, published, decimals):
        return "matches at the published precision"
    hint = PARITY_HINTS.get(indicator_id, "a difference in definitions or in the data")
    when = f" ({release} release)" if release else ""
    return f"DfE's figure{when} comes from the census returns as DfE received them; most likely: {hint}"


@dataclass(frozen=True)
class Parity:
    """Our value, computed from the loaded child-level data, beside DfE's published value."""

    la_code: str
    indicator_id: str
    period: str
    local_value: float | None
    local_numerator: int | None
    local_denominator: int | None
    local_status: str
    published_value: float | None
    published_numerator: float | None
    published_denominator: float | None
    published_status: str
    published_release: int | None
    published_source: str | None
    decimals: int
    difference: float | None  # local minus published
    matches: bool | None  # equal at the published precision (None if either side is missing)
    likely_reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def _component(rows: pd.DataFrame, candidates: tuple[tuple[str, str], ...]) -> float | None:
    for table, name in candidates:
        hit = (
            rows[rows["indicator_id"] == name]
            if table == "indicator"
            else rows[(rows["source_table"] == table) & (rows["source_measure"] == name)]
        )
        hit = hit[hit["value"].notna()].sort_values("release", ascending=False)
        if not hit.empty:
            return float(hit["value"].iloc[0])
    return None


def parity(
    la: str, indicator_id: str, period: int | str | Period, warehouse: str | Path | None = None
) -> Parity:
    """Our value for the LA and year (from indicators.api.values) beside DfE's published value,
    with the difference and a likely reason."""
    indicator = get(indicator_id)
    tp = time_period_of(period)
    label = period_label(tp)
    local = api.values(indicator_id, [label], la=la, warehouse=warehouse)
    row = local.iloc[0] if not local.empty else None
    missing = row is None or row["value"] is None or pd.isna(row["value"])
    local_value = None if missing else float(row["value"])
    local_status = "no local data" if row is None else str(row["status"])
    measures = _run("measure_values", {"la": la, "time_period": tp}, warehouse)
    own = measures[measures["indicator_id"] == indicator_id]
    pub = own.iloc[0] if not own.empty else None
    pub_value = None if pub is None or pd.isna(pub["value"]) else float(pub["value"])
    pub_status = "no published row" if pub is None else str(pub["status"])
    decimals = indicator.decimals
    if pub is not None:
        cells = _run("cell_values", {"indicator_id": indicator_id, "time_period": tp}, warehouse)
        mine = cells[(cells["geographic_level"] == "Local authority") & (cells["old_la_code"] == la)]
        if not mine.empty:
            decimals = int(mine["decimals"].iloc[0])
    numerators, denominators = COMPONENTS.get(indicator_id, ((), ()))
    difference = None if local_value is None or pub_value is None else local_value - pub_value
    return Parity(
        la_code=la,
        indicator_id=indicator_id,
        period=label,
        local_value=local_value,
        local_numerator=None if row is None or pd.isna(row["numerator"]) else int(row["numerator"]),
        local_denominator=None if row is None or pd.isna(row["denominator"]) else int(row["denominator"]),
        local_status=local_status,
        published_value=pub_value,
        published_numerator=_component(measures, numerators),
        published_denominator=_component(measures, denominators),
        published_status=pub_status,
        published_release=None if pub is None else int(pub["release"]),
        published_source=None if pub is None else f"{pub['source_table']} {pub['source_measure']}",
        decimals=decimals,
        difference=difference,
        matches=None if difference is None else within_rounding(local_value, pub_value, decimals),
        likely_reason=likely_reason(
            indicator_id,
            local_value,
            local_status,
            pub_value,
            pub_status,
            decimals,
            None if pub is None else int(pub["release"]),
        ),
    )


def parity_table(la: str, period: int | str | Period, warehouse: str | Path | None = None) -> pd.DataFrame:
    """Parity for every indicator that has a published equivalent (for the data-quality page)."""
    ids = sorted(
        published(la=la, period=period, mapped_only=True, warehouse=warehouse)["indicator_id"].unique()
    )
    return pd.DataFrame([parity(la, i, period, warehouse).as_dict() for i in ids])
