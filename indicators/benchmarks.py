"""Published DfE benchmarks (read side): any LA against England, its region and its ten
statistical neighbours; national rank and quartile band; trend; reorganisation notes; and a
parity check of our locally computed value against the published one.

Conventions (documented in docs and data/reference/README.md):

- Values come from the curated `published_values` table, where the newest release wins.
- Statistical neighbours: the DfE model loaded (2025), applied to every year, as LAIT does. The
  comparator is the MEAN of the neighbours that have a published value (LAIT's choice); pass
  ``average="median"`` for the median. Neighbours with a marker (c, x, ...) or without a row for
  the year (e.g. an LA created later) are left out and counted in ``neighbour_count``.
- National rank: among LAs with a published value that year, 1 = best for the indicator's
  polarity (ties share the lower rank). For a "context" indicator 1 = the lowest value (LAIT).
- Quartile band A-D: LAIT's value quartiles (linear interpolation, as R's default) over the same
  LAs, turned so that A is always the best quarter. For "context" indicators A = lowest values
  and the band is not a judgement. `lower_better_not_zero` is banded as lower-better.
- Trend: direction over the last three published years up to the period (all three needed).
- Region: the region EES gives the LA; London boroughs are compared with Inner or Outer London.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from indicators import api, store
from indicators.periods import Period, parse_period
from indicators.registry import get

BENCHMARK_SQL = resources.files("indicators") / "sql" / "benchmarks"
Average = Literal["mean", "median"]
ENGLAND = "E92000001"
BANDS = ("A", "B", "C", "D")

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
    "rebased after Census 2021; compare cpp_at_end first",
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
    "referrals first",
    "rereferral_12m_pct": "previous referrals before the first loaded return are not seen, and the "
    "12-month boundary day (we count a previous referral on the same day 12 months before)",
    "assessment_45wd_pct": "authorisation dates corrected after the return, and bank holidays (DfE's "
    "published duration bands; the percentage is derived from them)",
    "assessment_median_working_days": "authorisation dates corrected after the return; DfE publishes "
    "whole working days",
    "s47_starts": "section 47 start dates corrected after the census return was submitted",
    "s47_rate_per_10k": "the population denominator (DfE's release-year ONS estimates); compare "
    "s47_starts first",
    "cin_at_end": "episodes opened, closed or corrected after the census return was submitted",
    "cin_rate_per_10k": "the population denominator (DfE's release-year ONS estimates); compare "
    "cin_at_end first",
    "factor_neglect_pct": "DfE counts episodes with factors at an assessment completed in the year; we "
    "count assessments (an episode with two such assessments counts twice)",
}


def _run(name: str, params: dict, warehouse: str | Path | None) -> pd.DataFrame:
    con = store.cursor(warehouse)
    try:
        return con.execute((BENCHMARK_SQL / f"{name}.sql").read_text(), params).df()
    finally:
        con.close()


def time_period_of(period: int | str | Period) -> int:
    """EES time_period (year ending 31 March) of 2022, '2022', '2021-22' or a financial-year Period."""
    if isinstance(period, Period):
        if period.ees_time_period is None:
            raise ValueError(f"published benchmarks are annual: {period.label} is not a financial year")
        return period.ees_time_period
    if isinstance(period, int) or (isinstance(period, str) and period.isdigit() and len(period) == 4):
        return int(period)
    return time_period_of(parse_period(str(period), "year"))


def period_label(time_period: int) -> str:
    return f"{time_period - 1}-{time_period % 100:02d}"


# ---------------------------------------------------------------------------------------------
# Pure functions


def _clean(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]


def average_of(values: Sequence[float | None], how: Average = "mean") -> float | None:
    """Mean (default, as LAIT) or median of the non-missing values; None if there are none."""
    clean = _clean(values)
    if not clean:
        return None
    if how == "mean":
        return float(np.mean(clean))
    if how == "median":
        return float(np.median(clean))
    raise ValueError(f"average must be 'mean' or 'median', not {how!r}")


def _lower_is_better(polarity: str) -> bool | None:
    return {"lower_better": True, "lower_better_not_zero": True, "higher_better": False}.get(polarity)


def national_rank(value: float | None, values: Sequence[float | None], polarity: str) -> int | None:
    """Rank of `value` among `values` (which include it), 1 = best; ties share the lower rank.
    For context indicators 1 = the lowest value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    clean = _clean(values)
    lower = _lower_is_better(polarity)
    if lower is False:
        return 1 + sum(v > value for v in clean)
    return 1 + sum(v < value for v in clean)


def quartile_band(value: float | None, values: Sequence[float | None], polarity: str) -> str | None:
    """A-D, A = the best quarter for the polarity (A = lowest values for context indicators).

    Cut points are the quartiles of `values` (linear interpolation, R's default, as LAIT); a value
    on a cut point falls in the better band for lower-is-better, as in LAIT."""
    clean = _clean(values)
    if value is None or (isinstance(value, float) and math.isnan(value)) or not clean:
        return None
    q1, q2, q3 = np.quantile(clean, [0.25, 0.5, 0.75])
    if _lower_is_better(polarity) is False:
        if value >= q3:
            return "A"
        return "B" if value >= q2 else "C" if value >= q1 else "D"
    if value <= q1:
        return "A"
    return "B" if value <= q2 else "C" if value <= q3 else "D"


def trend_direction(values: Sequence[float | None], polarity: str) -> tuple[str, str]:
    """(direction, judgement) over consecutive values, oldest first (normally the last three).

    direction: increasing, decreasing, no change, no clear trend, or not enough data (a value
    is missing); judgement: improving, worsening, no judgement (context or no clear direction)."""
    if len(values) < 2 or any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
        return "not enough data", "no judgement"
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    if all(s > 0 for s in steps):
        direction = "increasing"
    elif all(s < 0 for s in steps):
        direction = "decreasing"
    elif all(s == 0 for s in steps):
        return "no change", "no judgement"
    else:
        return "no clear trend", "no judgement"
    lower = _lower_is_better(polarity)
    if lower is None:
        return direction, "no judgement"
    better = (direction == "decreasing") == lower
    return direction, "improving" if better else "worsening"


def reorganisation_notes(codes: pd.DataFrame, first_time_period: int, last_time_period: int) -> list[str]:
    """Notes for an LA whose series starts or ends inside [first, last] because of a
    reorganisation (rows of `la_codes` for the LA). A change of ONS code alone is no break."""
    notes: list[str] = []
    for row in codes.itertuples(index=False):
        created = len(row.predecessor_la_codes) > 0 and row.first_time_period > first_time_period
        abolished = len(row.successor_la_codes) > 0 and row.last_time_period < last_time_period
        if (created or abolished) and row.reorganisation_note and row.reorganisation_note not in notes:
            notes.append(row.reorganisation_note)
    return notes


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


# ---------------------------------------------------------------------------------------------
# Read side


def published(
    indicator_id: str | None = None,
    la: str | None = None,
    period: int | str | Period | None = None,
    level: str | None = None,
    mapped_only: bool = False,
    warehouse: str | Path | None = None,
) -> pd.DataFrame:
    """Published values (newest release per cell), filtered; None means any."""
    return _run(
        "published",
        {
            "indicator_id": indicator_id,
            "la": la,
            "time_period": None if period is None else time_period_of(period),
            "level": level,
            "mapped_only": mapped_only,
        },
        warehouse,
    )


def neighbours(la: str, warehouse: str | Path | None = None) -> pd.DataFrame:
    """The LA's 10 statistical neighbours: rank, code, name, closeness."""
    return _run("neighbours", {"la": la}, warehouse)


def la_codes(la: str, warehouse: str | Path | None = None) -> pd.DataFrame:
    """The LA's code history from `la_codes` (one row per ONS code), with reorganisations."""
    return _run("la_codes", {"la": la}, warehouse)


def local_authorities(warehouse: str | Path | None = None) -> dict[str, str]:
    """Every LA with published figures (current and former): DfE number -> name. Works with no
    child-level data loaded (benchmark-only mode)."""
    df = _run("local_authorities", {}, warehouse)
    return dict(zip(df["old_la_code"], df["la_name"], strict=True))


@dataclass(frozen=True)
class SeriesBreak:
    """A reorganisation that starts or ends an LA's published series."""

    la_code: str
    kind: Literal["created", "abolished", "recoded"]
    effective: str | None  # ISO date of the reorganisation (None for a code change)
    first_time_period: int
    last_time_period: int
    related_la_codes: tuple[str, ...]
    note: str


def series_breaks(la: str, warehouse: str | Path | None = None) -> list[SeriesBreak]:
    """Reorganisations affecting the LA's series, so a series never breaks silently: 'created'
    (predecessors listed), 'abolished' (successors listed) or 'recoded' (ONS code changed; the
    series continues)."""
    codes = la_codes(la, warehouse)
    out: list[SeriesBreak] = []
    for row in codes.itertuples(index=False):
        note = row.reorganisation_note or ""
        common = dict(
            la_code=la,
            first_time_period=int(row.first_time_period),
            last_time_period=int(row.last_time_period),
        )
        if len(row.predecessor_la_codes):
            out.append(
                SeriesBreak(
                    kind="created",
                    effective=str(row.created_on.date()),
                    related_la_codes=tuple(row.predecessor_la_codes),
                    note=note,
                    **common,
                )
            )
        if len(row.successor_la_codes):
            out.append(
                SeriesBreak(
                    kind="abolished",
                    effective=str(row.abolished_on.date()),
                    related_la_codes=tuple(row.successor_la_codes),
                    note=note,
                    **common,
                )
            )
    if len(codes) > 1 and not out:
        first = codes.iloc[-1]
        out.append(
            SeriesBreak(
                la,
                "recoded",
                None,
                int(first.first_time_period),
                int(first.last_time_period),
                (),
                first.reorganisation_note or "",
            )
        )
    return out


@dataclass(frozen=True)
class Benchmark:
    """One LA, one indicator, one year, against its comparators."""

    indicator_id: str
    la_code: str
    la_name: str | None
    period: str
    time_period: int
    unit: str
    polarity: str
    decimals: int | None
    value: float | None
    status: str
    release: int | None
    england: float | None
    england_status: str
    region_code: str | None
    region_name: str | None
    region_value: float | None
    region_status: str
    average: str
    neighbour_average: float | None
    neighbour_count: int
    rank: int | None
    rank_of: int
    quartile_band: str | None
    band_is_judgement: bool
    trend: str
    trend_judgement: str
    trend_values: tuple[tuple[str, float | None], ...]
    neighbours: pd.DataFrame = field(repr=False, compare=False)
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        out = asdict(self)
        out["neighbours"] = self.neighbours.to_dict("records")
        return out


def _pick(df: pd.DataFrame, **where) -> pd.Series | None:
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col] == val
    rows = df[mask]
    return None if rows.empty else rows.iloc[0]


def _value(row: pd.Series | None) -> tuple[float | None, str]:
    if row is None:
        return None, "no published row"
    v = row["value"]
    return (None if pd.isna(v) else float(v)), row["status"]


def benchmark(
    la: str,
    indicator_id: str,
    period: int | str | Period,
    *,
    average: Average = "mean",
    warehouse: str | Path | None = None,
) -> Benchmark:
    """The LA's published value against England, its region and its statistical neighbours, with
    national rank, quartile band, trend over the last three published years and notes."""
    if average not in ("mean", "median"):
        raise ValueError(f"average must be 'mean' or 'median', not {average!r}")
    indicator = get(indicator_id)
    tp = time_period_of(period)
    cells = _run("cell_values", {"indicator_id": indicator_id, "time_period": tp}, warehouse)
    las = cells[cells["geographic_level"] == "Local authority"]
    own = _pick(las, old_la_code=la)
    value, status = _value(own)
    codes = la_codes(la, warehouse)
    current = codes[(codes["first_time_period"] <= tp) & (codes["last_time_period"] >= tp)]
    info = current.iloc[-1] if not current.empty else (codes.iloc[-1] if not codes.empty else None)
    region_code = (
        own["region_code"]
        if own is not None and pd.notna(own["region_code"])
        else (info["region_code"] if info is not None and pd.notna(info["region_code"]) else None)
    )
    england, england_status = _value(_pick(cells, geographic_level="National", area_code=ENGLAND))
    region_row = _pick(cells, geographic_level="Regional", area_code=region_code) if region_code else None
    region_value, region_status = _value(region_row)

    sns = neighbours(la, warehouse)
    sn_values = sns.merge(
        las[["old_la_code", "value", "status"]],
        how="left",
        left_on="neighbour_la_code",
        right_on="old_la_code",
    ).drop(columns="old_la_code")
    sn_values["status"] = sn_values["status"].fillna("no published row")
    sn_values["value"] = sn_values["value"].astype("float64")
    sn_list = [None if pd.isna(v) else float(v) for v in sn_values["value"]]
    available = _clean(sn_list)

    all_values = [None if pd.isna(v) else float(v) for v in las["value"]]
    notes: list[str] = []
    if indicator.polarity == "lower_better_not_zero":
        notes.append("Lower is better, but zero is not the aim: very low values can be a concern.")
    if not sns.empty and len(available) < len(sns):
        notes.append(
            f"Neighbour {average} of {len(available)} of {len(sns)} statistical neighbours "
            "(the others have no published value this year)."
        )
    if sns.empty:
        notes.append("No statistical neighbours loaded for this LA.")

    series = _run("la_series", {"indicator_id": indicator_id, "la": la}, warehouse)
    upto = series[series["time_period"] <= tp].tail(3)
    trend_values = tuple(
        (p, None if pd.isna(v) else float(v)) for p, v in zip(upto["period"], upto["value"], strict=True)
    )
    if len(upto) == 3:
        trend, judgement = trend_direction([v for _, v in trend_values], indicator.polarity)
        notes += reorganisation_notes(codes, int(upto["time_period"].iloc[0]), tp)
    else:
        trend, judgement = "not enough data", "no judgement"
    if not codes.empty:
        notes += [n for n in reorganisation_notes(codes, tp, tp) if n not in notes]
        existed = (codes["first_time_period"] <= tp) & (codes["last_time_period"] >= tp)
        if value is None and not existed.any():
            notes += [n for n in codes["reorganisation_note"].dropna() if n not in notes]

    return Benchmark(
        indicator_id=indicator_id,
        la_code=la,
        la_name=(own["area_name"] if own is not None else (info["la_name"] if info is not None else None)),
        period=period_label(tp),
        time_period=tp,
        unit=indicator.unit,
        polarity=indicator.polarity,
        decimals=int(own["decimals"]) if own is not None else None,
        value=value,
        status=status,
        release=int(own["release"]) if own is not None else None,
        england=england,
        england_status=england_status,
        region_code=region_code,
        region_name=(
            region_row["area_name"]
            if region_row is not None
            else (info["region_name"] if info is not None else None)
        ),
        region_value=region_value,
        region_status=region_status,
        average=average,
        neighbour_average=average_of(sn_list, average),
        neighbour_count=len(available),
        rank=national_rank(value, all_values, indicator.polarity),
        rank_of=len(_clean(all_values)),
        quartile_band=quartile_band(value, all_values, indicator.polarity),
        band_is_judgement=_lower_is_better(indicator.polarity) is not None,
        trend=trend,
        trend_judgement=judgement,
        trend_values=trend_values,
        neighbours=sn_values,
        notes=tuple(notes),
    )


def benchmark_table(
    la: str,
    period: int | str | Period,
    *,
    indicator_ids: Sequence[str] | None = None,
    average: Average = "mean",
    warehouse: str | Path | None = None,
) -> pd.DataFrame:
    """One row per indicator with a published mapping: the LA's value and its comparators."""
    ids = indicator_ids or sorted(
        published(period=period, mapped_only=True, level="National", warehouse=warehouse)[
            "indicator_id"
        ].unique()
    )
    rows = []
    for indicator_id in ids:
        b = benchmark(la, indicator_id, period, average=average, warehouse=warehouse)
        record = b.as_dict()
        record.pop("neighbours")
        record["notes"] = " ".join(b.notes)
        rows.append(record)
    return pd.DataFrame(rows)


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
