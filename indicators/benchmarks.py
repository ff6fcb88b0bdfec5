"""Published DfE benchmarks (read side): any LA against England, its region and its ten
statistical neighbours; national rank and quartile band; trend; reorganisation notes (the pure
statistics are indicators/benchmark_stats.py; the parity check with our own values, indicators/parity.py).

Conventions (documented in docs and vocabulary/reference/README.md):

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

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd

from indicators import store
from indicators.benchmark_stats import (
    Average,
    average_of,
    lower_is_better,
    national_rank,
    present_values,
    quartile_band,
    reorganisation_notes,
    trend_direction,
)
from indicators.periods import Period, parse_period
from indicators.registry import get

BENCHMARK_SQL = resources.files("indicators") / "sql" / "benchmarks"
ENGLAND = "E92000001"


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
    available = present_values(sn_list)

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
        rank_of=len(present_values(all_values)),
        quartile_band=quartile_band(value, all_values, indicator.polarity),
        band_is_judgement=lower_is_better(indicator.polarity) is not None,
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
