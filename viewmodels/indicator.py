"""Pure view-models for the pages: indicator values shaped for charts, tables and downloads."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import indicators
from indicators.board import (  # noqa: F401  (re-exported: the pages, the report and the walk use them)
    PERIOD_NOTE,
    SHARED_COUNTS,
    TOGETHER,
    SuppressedBreakdown,
    _suppress_keeping_totals,
    is_flow,
    suppressed_breakdown,
    trend,
)
from indicators.labels import spc_rules_words
from indicators.plan_factors import NO_ASSESSMENT
from indicators.registry import Indicator
from indicators.status import latest_status, shown_spc
from viewmodels.cells import RAG_WORDS, count_text, fmt
from viewmodels.factor_shares import repeat_versus_first
from viewmodels.notes import control_note, period_note, population_note
from viewmodels.state import ViewState


@dataclass
class IndicatorView:
    indicator: Indicator
    state: ViewState
    las: dict[str, str]
    periods: list[str]
    trend: pd.DataFrame
    breakdown: pd.DataFrame | None
    breakdown_period: str | None
    headline: str
    message: str | None = None  # plain words when there is nothing to show
    trend_rows: list[list[str]] = field(default_factory=list)
    breakdown_rows: list[list[str]] = field(default_factory=list)
    funnel_units: pd.DataFrame | None = None  # areas with flags (withheld areas left out)
    funnel_limits: pd.DataFrame | None = None
    area_values: pd.DataFrame | None = None  # area_code, group, value (None where withheld)
    dispro_rows: list[list[str]] = field(default_factory=list)
    dispro_note: str = ""
    spc: pd.DataFrame | None = None  # per-point SPC frame aligned with `trend`, when shown
    spc_text: str = ""
    variation_icon: str | None = None
    assurance_icon: str = "none"
    # How periods are published for this role, and when the period shown is not the one asked for or
    # the data stops early (shown under the trend table).
    period_note: str = ""
    breakdown_note: str = ""  # why the breakdown has no rows, when a rule (not the data) says so
    factor_note: str = ""  # repeat vs first plans by a factor at assessment (viewmodels/factor_shares.py)


def indicator_view(
    indicator_id: str, state: ViewState, role: str, warehouse: str | None = None
) -> IndicatorView:
    """Everything an indicator page shows for one state and role, already suppressed."""
    ind = indicators.get(indicator_id)
    las = indicators.api.local_authorities(warehouse)
    la = state.la if state.la in las else (next(iter(las)) if las else None)
    periods = [p.label for p in indicators.available_periods(state.freq, la, warehouse, ind.id)]
    start = state.start if state.start in periods else (periods[0] if periods else None)
    end = state.end if state.end in periods else (periods[-1] if periods else None)
    shown = (
        periods[periods.index(start) : periods.index(end) + 1]
        if periods and start and end and periods.index(start) <= periods.index(end)
        else periods
    )
    by = state.by if state.by in ind.breakdowns else ind.default_breakdown
    requested_la, requested_start, requested_end = state.la, state.start, state.end
    state = state.with_(la=la, start=start, end=end, by=by)
    empty = pd.DataFrame(columns=indicators.api.RESULT_COLUMNS + ["suppressed"])
    if not shown:
        return IndicatorView(
            ind,
            state,
            las,
            periods,
            empty,
            None,
            None,
            ind.short_title,
            message="No loaded data covers this indicator at this frequency "
            "yet. Try another frequency, or load more returns.",
        )
    trend_frame = trend(ind.id, shown, la, role, warehouse)  # every frequency decided together
    view = IndicatorView(ind, state, las, periods, trend_frame, None, None, ind.short_title)
    view.period_note = " ".join(
        n
        for n in (
            PERIOD_NOTE if role != "analyst" and is_flow(ind) and state.freq != "year" else "",
            control_note(requested_la, la, las, requested_start, requested_end, start, end, periods),
            period_note(ind, requested_end, shown[-1], periods, state.freq, la, warehouse),
            population_note(trend_frame),
        )
        if n
    )
    if by:
        part = suppressed_breakdown(ind.id, [shown[-1]], la, by, role, warehouse)
        view.breakdown_note = part.note
        if by == "area":
            _add_area_views(view, part.raw, part.cells, warehouse)
        if by in ("ethnicity", "ethnic_group") and ind.unit == "count":
            _add_disproportionality(view, part.raw, part.cells, part.total, warehouse)
        view.breakdown = sort_groups(part.cells)
        view.breakdown_period = shown[-1]
        view.breakdown_rows = breakdown_rows(ind, view.breakdown)
        view.factor_note = repeat_versus_first(ind, by, view.breakdown, shown[-1], role)
    _add_spc(view, role, warehouse)
    spc_words = _spc_words(view)
    view.headline = _headline(ind, view.trend.iloc[-1])
    view.trend_rows = [
        [
            r.period,
            f"{r.period_end:%d %b %Y}",
            fmt(ind, r.value, r.suppressed),
            count_text(r.numerator, r.suppressed),
            count_text(r.denominator, r.suppressed),
            r.target or "",
            RAG_WORDS["withheld" if r.suppressed else r.rag],
            spc_words[i],
        ]
        for i, r in enumerate(view.trend.itertuples())
    ]
    return view


def sort_groups(cells: pd.DataFrame) -> pd.DataFrame:
    """A breakdown's rows in the order the page shows them (age bands in age order, unknowns last);
    rows of the same group keep their order (so many periods at once stay in period order)."""
    groups = cells["group"].tolist()
    rank = {g: i for i, g in enumerate(sorted(set(groups), key=_group_order))}
    order = np.argsort(np.fromiter((rank[g] for g in groups), dtype=int, count=len(groups)), kind="stable")
    return cells.iloc[order].reset_index(drop=True)


def breakdown_rows(ind: Indicator, cells: pd.DataFrame) -> list[list[str]]:
    """The breakdown table's cells as shown and downloaded (see breakdown_headers)."""
    return [
        [
            r.group,
            fmt(ind, r.value, r.suppressed),
            count_text(r.numerator, r.suppressed),
            count_text(r.denominator, r.suppressed),
        ]
        for r in cells.itertuples()
    ]


def _withheld_groups(raw: pd.DataFrame, shown: pd.DataFrame) -> set:
    """Groups with a value that the role may not see: withheld (c), or not listed at all."""
    return set(raw["group"]) - set(shown.loc[~shown["suppressed"].astype(bool), "group"])


def _add_area_views(view: IndicatorView, raw: pd.DataFrame, shown: pd.DataFrame, warehouse) -> None:
    """Funnel plot data (for percentages and rates, whose denominators vary by area) and map values."""
    from indicators.funnel import denominator_grid, funnel_flags, funnel_limits

    codes = indicators.api.areas(view.state.la, warehouse)
    code_of = dict(zip(codes["area_name"], codes["area_code"], strict=True))
    view.area_values = pd.DataFrame(
        {
            "area_code": shown["group"].map(code_of),
            "group": shown["group"],
            "value": pd.to_numeric(shown["value"], errors="coerce"),
        }
    ).dropna(subset=["area_code"])
    if view.indicator.unit not in ("percent", "rate_per_10k", "rate_per_100k"):
        return
    known = raw[raw["group"].isin(code_of) & (raw["denominator"].fillna(0) > 0)]
    if len(known) < 3:
        return
    flags = funnel_flags(
        known["numerator"].astype(float).to_numpy(),
        known["denominator"].astype(float).to_numpy(),
        labels=list(known["group"]),
    )
    withheld = _withheld_groups(raw, shown)
    mapped = withheld & set(code_of)
    if len(mapped) == 1 or (mapped and withheld - mapped):
        return  # the target (all mapped areas) would split the withheld cells: no funnel for the board
    view.funnel_units = flags[~flags["unit"].isin(withheld)].reset_index(drop=True)
    if view.funnel_units.empty:
        view.funnel_units = None
        return
    grid = denominator_grid(int(known["denominator"].min() * 0.8), int(known["denominator"].max() * 1.2))
    view.funnel_limits = funnel_limits(grid, float(flags["target"].iloc[0]))


def _add_disproportionality(
    view: IndicatorView, raw: pd.DataFrame, shown: pd.DataFrame, total: pd.DataFrame, warehouse
) -> None:
    """Rates per 10,000 by ethnicity against a (proxy) population, with rate ratios and CIs.
    Rows withheld in the breakdown are withheld here too, and so is everything else that would give
    a withheld count away: the all-children row when the total is withheld, the share of unknown
    ethnicity when an unknown group is withheld, and the rate ratios (built on the sum of the known
    groups) when that sum would split the withheld cells into a known and an unknown part."""
    from indicators.disproportionality import ALL_CHILDREN, rates_by_group

    if raw.empty:  # nothing counted in the period (e.g. a small LA's quiet quarter): no rates to give
        view.dispro_note = "No children were counted in this period, so there are no rates by ethnicity."
        return
    end = raw["period_end"].iloc[0]
    pop = indicators.api.ethnicity_population(view.state.la, end, warehouse)
    if pop.empty:
        view.dispro_note = (
            "No population by ethnicity is loaded for this LA, so rates and rate ratios cannot be shown."
        )
        return
    key = view.state.by if view.state.by == "ethnicity" else "ethnic_group"
    population = pop.groupby(key, as_index=False)["population"].sum().rename(columns={key: "group"})
    counts = raw[["group", "numerator"]].rename(columns={"numerator": "count"})
    unknown = ("NOBT", "REFU") if key == "ethnicity" else ("Unknown",)
    table = rates_by_group(
        counts, population, unknown_groups=unknown, denominator_source=indicators.api.ETHNICITY_DENOMINATOR
    )
    if shown.empty:
        view.dispro_note = (
            "Withheld for this period: too few children to break down by ethnicity without giving "
            "small numbers away."
        )
        return
    withheld = _withheld_groups(raw, shown)
    total_withheld = bool(total["suppressed"].any())
    withheld_known = withheld - set(unknown)
    ratios_withheld = len(withheld_known) == 1 or bool(withheld_known and withheld & set(unknown))

    def ci(v, lo, hi, d=1):
        if pd.isna(v):
            return ""
        return f"{v:.{d}f} ({lo:.{d}f} to {hi:.{d}f})" if pd.notna(lo) else f"{v:.{d}f}"

    for r in table.itertuples():
        if r.group in withheld or (r.group == ALL_CHILDREN and total_withheld):
            view.dispro_rows.append([r.group, "c", "c", "c", "c"])
            continue
        significant = "" if pd.isna(r.rate_ratio_all) else ("Yes" if r.significant_all else "No")
        ratio = ci(r.rate_ratio_all, r.rate_ratio_all_low, r.rate_ratio_all_high, 2)
        view.dispro_rows.append(
            [
                r.group,
                f"{int(r.count):,}",
                ci(r.rate, r.rate_low, r.rate_high),
                "c" if ratios_withheld and ratio else ratio,
                "c" if ratios_withheld and significant else significant,
            ]
        )
    if total_withheld or withheld & set(unknown):
        share = "a withheld share (small numbers)"
    else:
        share = (
            f"{table.loc[table['group'].isin(unknown), 'count'].sum() / max(table['count'].iloc[-1], 1):.1%}"
        )
    view.dispro_note = (
        f"Denominator: {indicators.api.ETHNICITY_DENOMINATOR}. Ethnicity is not "
        f"known for {share} of the children counted; they are in no group's rate."
    )
    if ratios_withheld:
        view.dispro_note += (
            " Rate ratios compare each group with all other children of known ethnicity, whose number"
            " would give withheld groups away, so they are withheld (c)."
        )


def _add_spc(view: IndicatorView, role: str, warehouse) -> None:
    """SPC as the scorecard and the report have it (indicators.status): over the whole covered series up
    to the last period shown, so the baseline does not move with From; none on rolling 12 months; for the
    board, none for a series with a withheld value. Only the shown periods are drawn."""
    trend = view.trend
    shown_end = trend["period"].iloc[-1]
    status = latest_status(view.indicator.id, view.state.la, view.state.freq, shown_end, warehouse)
    result, reason = shown_spc(status, role)
    if result is None:
        view.spc_text = reason
        return
    frame = status.spc_frame().reindex(list(trend["period"]))
    frame.index = trend.index
    view.spc = frame
    view.variation_icon, view.assurance_icon = result.variation_icon, result.assurance_icon
    view.spc_text = f"{result.variation_text}. {result.assurance_text}."
    if status.period != shown_end:
        view.spc_text += f" The SPC verdict is for {status.period}, the latest period with data."
    notes = [n for n in result.notes]
    if notes:
        view.spc_text += " " + " ".join(notes)


def _spc_words(view: IndicatorView) -> list[str]:
    if view.spc is None:
        return [""] * len(view.trend)
    out = []
    for special, direction, rules, note in zip(
        view.spc["special"].fillna(False),
        view.spc["direction"],
        view.spc["rules"].fillna(""),
        view.spc["annotation"].fillna(""),
        strict=True,
    ):
        words = f"Special cause ({direction}): {spc_rules_words(rules)}" if special else ""
        out.append("; ".join(w for w in (words, note) if w))
    return out


def _group_order(group: str) -> tuple:
    last = group in (
        "Not known",
        "Area not known",
        "Not applicable",
        "Unknown",
        "Not yet reviewed",
        NO_ASSESSMENT,
    )
    bands = [
        "Unborn",
        "Under 1",
        "0 to 27 days",
        "28 to 364 days",
        "1 to 4",
        "5 to 9",
        "10 to 14",
        "10 to 15",
        "15 to 17",
        "16 to 17",
        "18 and over",
    ]  # CP and CDOP (age at death) bands
    return (last, bands.index(group) if group in bands else 99, group)


def _headline(ind: Indicator, row) -> str:
    """An active chart title: what the latest value is and how it stands against the target."""
    value = fmt(ind, row.value, row.suppressed)
    if row.status == "not covered by loaded data" or value == "-":
        return f"{ind.short_title}: no value for {row.period} ({row.status})"
    status = "withheld" if row.suppressed else row.rag
    target = f", against a target of {row.target} ({RAG_WORDS[status]})" if row.target else ""
    return f"{ind.short_title}: {value} in {row.period}{target}"
