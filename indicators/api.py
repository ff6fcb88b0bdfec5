"""The analyst API: indicator series and latest values as tidy pandas DataFrames (read-only)."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from indicators import access, engine, mart, store
from indicators.areas import local_authorities  # noqa: F401  (part of the analyst API)
from indicators.cdop import (  # noqa: F401  (Child deaths page helpers, re-exported)
    cdop_las,
    median_days,
    national_context,
    pooled_values,
    review_backlog,
)
from indicators.coverage import Coverage, coverage, covered_periods
from indicators.periods import PERIOD_KINDS, Period, parse_period
from indicators.registry import Indicator, get, registry
from indicators.store import sql
from indicators.targets import load_targets, rag

Frequency = Literal["year", "quarter", "month", "rolling12"]
RESULT_COLUMNS = [*engine.VALUE_COLUMNS[:-1], "target", "rag", "status"]


@lru_cache(maxsize=1)
def target_book():
    """The targets file, read once per process."""
    return load_targets()


def _with_targets(df: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Target (in words) for every row; RAG only for totals (a group has no target of its own), on the
    value as displayed (rounded to the indicator's decimals)."""
    book = target_book()
    keys = df[["la_code", "period_end"]].drop_duplicates()
    described, rated = {}, {}
    for la, end in keys.itertuples(index=False):
        described[(la, end)] = book.target_for(indicator.id, la, end)
    targets = [described[(la, end)] for la, end in zip(df["la_code"], df["period_end"], strict=True)]
    for i, (target, value, breakdown) in enumerate(zip(targets, df["value"], df["breakdown"], strict=True)):
        if breakdown == "total":
            rated[i] = rag(None if pd.isna(value) else value, target, indicator.polarity, indicator.decimals)
    words = {id(t): t.describe() for t in targets if t is not None}
    return df.assign(
        target=[words[id(t)] if t is not None else None for t in targets],
        rag=[rated.get(i, "none") for i in range(len(df))],
    )[RESULT_COLUMNS]


def _targets(df: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Targets and RAG on mart rows: done once per (indicator, LA, breakdown) read (mart.la_rows)."""
    return _with_targets(df, get(indicator_id))


def available_periods(
    frequency: Frequency = "year",
    la: str | None = None,
    warehouse: str | Path | None = None,
    indicator_id: str | None = None,
) -> list[Period]:
    """Complete periods of this frequency that the loaded files cover (for one indicator's
    sources if given, else for census returns)."""
    access.check_la(la)
    sources = get(indicator_id).sources if indicator_id else ("cin_census",)
    return list(
        _available_periods(
            store.warehouse_version(warehouse), frequency, la, sources, str(warehouse) if warehouse else None
        )
    )


@lru_cache(maxsize=8192)  # frequencies x LAs x source sets, for every LA of England
def every_period_label(la: str | None, warehouse, indicator_id: str) -> list[str]:
    """The labels of every period of every frequency loaded for an LA and indicator (years, quarters,
    months, rolling 12 months): the whole series the board's period rule decides at once."""
    return [p.label for kind in PERIOD_KINDS for p in available_periods(kind, la, warehouse, indicator_id)]


def _available_periods(
    version: tuple, frequency: str, la: str | None, sources: tuple[str, ...], warehouse: str | None
) -> tuple[Period, ...]:
    return covered_periods(_coverage(version, sources, warehouse), frequency, la)  # type: ignore[arg-type]


@lru_cache(maxsize=64)
def _coverage(version: tuple, sources: tuple[str, ...], warehouse: str | None) -> Coverage:
    con = store.cursor(warehouse)
    try:
        return coverage(con, sources)
    finally:
        con.close()


@lru_cache(maxsize=256)
def _cached(
    version: tuple, indicator_id: str, labels: tuple[str, ...], la: str | None, warehouse: str | None
) -> pd.DataFrame:
    """Every breakdown of one indicator at these periods (one query), cached per warehouse file."""
    indicator = get(indicator_id)
    periods = [parse_period(label) for label in labels]
    con = store.cursor(warehouse)
    try:
        df = engine.indicator_values(con, indicator, periods, None, la)
    finally:
        con.close()
    return _with_targets(df, indicator)


def values(
    indicator_id: str,
    periods: list[Period | str],
    la: str | None = None,
    by: str | None = None,
    warehouse: str | Path | None = None,
) -> pd.DataFrame:
    """Values of one indicator at the given periods (labels like '2023-24', '2024-25-Q3').

    `by` picks a breakdown (see the indicator's `breakdowns`); None gives the totals.
    """
    access.check_la(la)
    indicator = get(indicator_id)
    breakdown = by or "total"
    if breakdown != "total" and breakdown not in indicator.breakdowns:
        raise ValueError(
            f"{indicator_id} cannot be broken down by {by!r}; allowed: {', '.join(indicator.breakdowns)}"
        )
    labels = tuple(p.label if isinstance(p, Period) else parse_period(p).label for p in periods)
    if not labels:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    wh = str(warehouse) if warehouse else None
    version = store.warehouse_version(warehouse)
    df = mart.lookup(version, indicator_id, labels, la, wh, breakdown, _targets)  # persisted at load
    if df is None:
        df = _from_frequency_frames(version, indicator_id, labels, la, wh, breakdown)
    if df is None and breakdown == "total":
        df = _from_totals(version, indicator, labels, la, wh)
    if df is not None:
        return access.keep_allowed(df).reset_index(drop=True)
    df = _cached(version, indicator_id, labels, la, wh)
    return access.keep_allowed(df[df["breakdown"] == breakdown]).reset_index(drop=True)


def _from_totals(
    version: tuple, indicator: Indicator, labels: tuple[str, ...], la: str | None, warehouse: str | None
) -> pd.DataFrame | None:
    """The total rows at these labels, in their order, from `_totals`; None when a label is not a
    covered period of its frequency. The scorecard asks for the same totals at the latest period, the
    last 12 and every frequency (the board's withheld periods): one totals-only query answers all."""
    kinds = {parse_period(label).kind for label in labels}
    if engine.rolls_up_months(indicator):  # one pass over the months gives every frequency
        kinds = {"month", "quarter", "year", "rolling12"}
    frame = _totals(version, indicator.id, tuple(sorted(kinds)), la, warehouse)
    order = {label: n for n, label in enumerate(labels)}
    part = frame[frame["period"].isin(order)]
    if len(order) != len(labels) or set(part["period"]) != set(order):
        return None
    return engine.in_label_order(part, labels)


@lru_cache(maxsize=1024)
def _totals(
    version: tuple, indicator_id: str, kinds: tuple[str, ...], la: str | None, warehouse: str | None
) -> pd.DataFrame:
    """The totals (no breakdowns) of one indicator at every covered period of these frequencies."""
    indicator = get(indicator_id)
    periods = [p for kind in kinds for p in available_periods(kind, la, warehouse, indicator_id)]  # type: ignore[arg-type]
    if not periods:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    con = store.cursor(warehouse)
    try:
        df = engine.indicator_values(con, indicator, periods, (), la)
    finally:
        con.close()
    return _with_targets(df, indicator)


@lru_cache(maxsize=128)
def _frequency_frame(
    version: tuple, indicator_id: str, kind: str, warehouse: str | None
) -> dict[tuple[str, str], pd.DataFrame]:
    """Every covered period of one frequency, every LA and every breakdown, computed once per
    warehouse file and indexed by (LA, breakdown): choices on a page are lookups, not queries.
    Built by `warm_cache` (in the background in the dashboard), not by a request: with every LA
    loaded one frame takes seconds, while one LA's values take a fraction of that."""
    labels = tuple(p.label for p in available_periods(kind, None, warehouse, indicator_id))
    if not labels:
        frame = {}
    else:
        df = _cached(version, indicator_id, labels, None, warehouse)
        frame = {key: part.reset_index(drop=True) for key, part in df.groupby(["la_code", "breakdown"])}
    _READY.add((version, indicator_id, kind, warehouse))
    return frame


_READY: set[tuple] = set()  # frequency frames already built: (version, indicator, kind, warehouse)
_WARMING: set[tuple] = set()  # (version, warehouse) being warmed in the background
_BACKGROUND = {"enabled": False}
_WARM_LOCK = threading.Lock()


def warm_in_background() -> None:
    """From now on, a warehouse not yet warmed (e.g. a load has just replaced it) is warmed in a
    background thread when first asked for; requests meanwhile compute one LA at a time."""
    _BACKGROUND["enabled"] = True


def _start_warming(version: tuple, warehouse: str | None) -> None:
    if mart.reader(version, warehouse).current:
        return
    with _WARM_LOCK:
        if not _BACKGROUND["enabled"] or (version, warehouse) in _WARMING:
            return
        _WARMING.add((version, warehouse))

    def warm() -> None:
        try:
            warm_cache(warehouse)
        except Exception:  # the file was replaced meanwhile: the next request starts again
            logging.getLogger(__name__).warning("background warm-up failed", exc_info=True)

    threading.Thread(target=warm, name="warm-indicator-cache", daemon=True).start()


def _from_frequency_frames(
    version: tuple,
    indicator_id: str,
    labels: tuple[str, ...],
    la: str | None,
    warehouse: str | None,
    breakdown: str,
) -> pd.DataFrame | None:
    """The rows for these labels from the cached frequency frames, or None if any is missing."""
    if la is None:
        return None
    kinds = {parse_period(label).kind for label in labels}
    if any((version, indicator_id, kind, warehouse) not in _READY for kind in kinds):
        _start_warming(version, warehouse)
        return None
    parts, totals = [], 0
    for kind in kinds:
        index = _frequency_frame(version, indicator_id, kind, warehouse)
        total = index.get((la, "total"))
        part = index.get((la, breakdown))
        if total is None:
            return None
        totals += int(total["period"].isin(labels).sum())
        if part is not None:
            parts.append(part[part["period"].isin(labels)])
    if totals != len(labels):
        return None
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return engine.in_label_order(rows, labels)


def warm_cache(
    warehouse: str | Path | None = None, frequencies: tuple[str, ...] = ("year", "quarter", "month")
) -> None:
    """Compute every indicator at every frequency once (the dashboard does this at start-up), unless
    the warehouse holds a current indicator mart (indicators/mart.py): then there is nothing to do."""
    wh = str(warehouse) if warehouse else None
    version = store.warehouse_version(warehouse)
    if mart.reader(version, wh).current:  # the values were persisted at load: nothing to compute
        return
    for kind in sorted(frequencies, key=lambda k: k != "quarter"):  # the pages' default first
        for indicator_id in registry():
            _frequency_frame(version, indicator_id, kind, wh)


def series(
    indicator_id: str,
    la: str | None = None,
    freq: Frequency = "year",
    by: str | None = None,
    warehouse: str | Path | None = None,
) -> pd.DataFrame:
    """Every covered period of `freq` for one indicator, optionally broken down.

    Returns a tidy DataFrame: indicator_id, period, frequency, period_start, period_end,
    la_code, breakdown, group, numerator, denominator, value, unit, target, rag, status.

    >>> series("cpp_repeat_pct", la="856", freq="quarter", by="ethnic_group")  # doctest: +SKIP
    """
    return values(indicator_id, available_periods(freq, la, warehouse, indicator_id), la, by, warehouse)


def latest(
    indicator_id: str | None = None,
    la: str | None = None,
    freq: Frequency = "year",
    warehouse: str | Path | None = None,
) -> pd.DataFrame:
    """The latest covered period's value of one indicator, or of every indicator."""
    ids = [indicator_id] if indicator_id else list(registry())
    frames = []
    for i in ids:
        periods = available_periods(freq, la, warehouse, i)
        if periods:
            frames.append(values(i, [periods[-1]], la, None, warehouse))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RESULT_COLUMNS)


def spc_series(
    indicator_id: str,
    la: str | None = None,
    freq: Frequency = "quarter",
    warehouse: str | Path | None = None,
    periods: list[str] | None = None,
):
    """SPC (Making Data Count XmR) for one indicator's series, with declared annotations and
    rebase points and the target in force at the latest period. Returns (series, SpcResult)."""
    from indicators import spc
    from indicators.assurance import action_notes
    from indicators.spc_config import notes_for

    indicator = get(indicator_id)
    df = (
        values(indicator_id, periods, la, None, warehouse)
        if periods is not None
        else series(indicator_id, la, freq, None, warehouse)
    )
    df = df[df["status"] != "not covered by loaded data"].reset_index(drop=True)
    la_code = la or (df["la_code"].iloc[0] if len(df) else None)
    annotations, rebases = notes_for(indicator_id, la_code)
    annotations = annotations + action_notes(indicator_id, warehouse)  # linked actions' due dates
    target = None
    if len(df):
        target = target_book().target_for(indicator_id, la_code, df["period_end"].iloc[-1])
    values_ = pd.to_numeric(df["value"], errors="coerce").to_numpy(dtype=float)
    result = spc.spc(
        values_,
        pd.to_datetime(df["period_end"]),
        indicator.polarity,
        rebase_dates=rebases,
        annotations=annotations,
        target=target,
        clamp=(0.0, 100.0) if indicator.unit == "percent" else None,
    )
    return df, result


def areas(la: str, warehouse: str | Path | None = None) -> pd.DataFrame:
    """The wards or localities of an LA from the area lookup: area_code, area_name."""
    return sql(
        "select distinct area_code, area_name from area_lookup where la_code = ? order by area_name",
        [la],
        warehouse,
    )


ETHNICITY_DENOMINATOR = (
    "Census 2021 residents of all ages by ethnic group, scaled to the ONS "
    "mid-year estimate of children aged 0-17: a proxy, since the ethnic mix of "
    "children differs from that of all ages"
)


def ethnicity_population(la: str, period_end, warehouse: str | Path | None = None) -> pd.DataFrame:
    """Proxy child population by DfE ethnicity code and ethnic group for an LA: Census 2021
    all-ages shares x the ONS 0-17 estimate used for rates at `period_end`. Empty if not loaded."""
    from vocabulary.codes import ETHNIC_GROUP_OF

    shares = sql(
        "select ethnicity, population_all_ages from ethnic_population where la_code = ?", [la], warehouse
    )
    if shares.empty:
        return pd.DataFrame(columns=["ethnicity", "ethnic_group", "population"])
    total = sql(
        "select year, population from population where old_la_code = ? and "
        "geographic_level = 'Local authority' and population is not null",
        [la],
        warehouse,
    )
    by_year = dict(zip(total["year"], total["population"], strict=True))
    children, _ = engine._pick_year(by_year, engine.mid_year_for(period_end))
    if children is None:
        return pd.DataFrame(columns=["ethnicity", "ethnic_group", "population"])
    share = shares["population_all_ages"] / shares["population_all_ages"].sum()
    return pd.DataFrame(
        {
            "ethnicity": shares["ethnicity"],
            "ethnic_group": shares["ethnicity"].map(ETHNIC_GROUP_OF),
            "population": share * children,
        }
    )
