"""Gather everything the quarterly exception report shows, for one LA, quarter and role.

Values, SPC and suppression come from the shared view-model (`viewmodels.indicator.indicator_view`), so
the report shows exactly what an indicator page shows for that role; charts come from the shared pure figure
builders in `charts`. Nothing here renders HTML or PDF (see `reports.render`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

import indicators
from charts.figures import breakdown_figure, trend_figure
from indicators import access, quality
from indicators.disclosure import display
from indicators.periods import parse_period
from indicators.registry import Indicator, registry
from indicators.spc import assurance_text, variation_text
from indicators.status import latest_status, targets_by_period
from indicators.targets import load_targets
from reports.agencies import AgencySection, build_agency_section
from reports.assurance import AssuranceSection, build_assurance_section
from reports.exceptions import Assessment, Snapshot, assess, largest_contribution, withhold_for_board
from viewmodels.cells import RAG_WORDS
from viewmodels.indicator import indicator_view, suppressed_breakdown
from viewmodels.state import BREAKDOWN_LABELS, ViewState

DEMO_LA = "856"
EXPLAINING_BREAKDOWNS = ("ethnic_group", "area")
NO_COMMENTARY = "No commentary provided"


@dataclass
class Chart:
    title: str
    figure: go.Figure
    alt: str
    kind: str  # trend or breakdown
    png: bytes | None = None


@dataclass
class Explanation:
    breakdown: str
    label: str
    sentence: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Benchmarks:
    period: str
    rows: list[list[str]]
    note: str


@dataclass
class Entry:
    indicator: Indicator
    assessment: Assessment
    value_text: str
    rag_words: str
    variation_words: str
    assurance_words: str
    target: str
    charts: list[Chart] = field(default_factory=list)
    explanation: Explanation | None = None
    benchmarks: Benchmarks | None = None
    commentary: str = NO_COMMENTARY
    actions: list[str] = field(default_factory=list)
    owner: str = ""
    no_data: str | None = None
    period: str = ""  # the latest period up to the report's quarter that loaded data covers

    def period_note(self, quarter: str) -> str:
        """Names the period when it is not the report's quarter."""
        return "" if not self.period or self.period == quarter else f"at {self.period}, the latest covered"

    @property
    def is_exception(self) -> bool:
        return self.assessment.is_exception

    @property
    def anchor(self) -> str:
        return f"ind-{self.indicator.id}"


@dataclass
class Report:
    la: str
    la_name: str
    quarter: str
    quarter_end: date
    role: str
    generated: date
    demo: bool
    entries: list[Entry]
    quality_notes: list[str]
    validation_rows: list[list[str]]
    benchmarks_note: str
    other_commentary: list[tuple[str, str, list[str]]] = field(default_factory=list)
    agencies: AgencySection | None = None  # partner agency gaps (reports/agencies.py)
    assurance: AssuranceSection | None = None  # actions, s.11 and audits (reports/assurance.py)

    @property
    def main(self) -> list[Entry]:
        return [e for e in self.entries if not is_cdop(e.indicator)]

    @property
    def cdop(self) -> list[Entry]:
        return [e for e in self.entries if is_cdop(e.indicator)]

    @property
    def exceptions(self) -> list[Entry]:
        return [e for e in self.entries if e.is_exception]

    @property
    def charts(self) -> list[Chart]:
        return [c for e in self.exceptions for c in e.charts]


def is_cdop(ind: Indicator) -> bool:
    return "cdop" in ind.sources


def _f(x) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _snapshot(ind: Indicator, view, quarter: str) -> tuple[Snapshot, pd.Series | None]:
    trend = view.trend.reset_index(drop=True)
    rows = trend.index[trend["period"] == quarter]
    base = dict(
        indicator_id=ind.id,
        title=ind.short_title,
        unit=ind.unit,
        decimals=ind.decimals,
        polarity=ind.polarity,
        period=quarter,
        statistic=ind.statistic,
        denominator_is_population=ind.denominator_source is not None,
    )
    if not len(rows) or trend.loc[rows[0], "status"] == "not covered by loaded data":
        return Snapshot(value=None, **base), None
    i = int(rows[0])
    row = trend.loc[i]
    prev = trend.loc[i - 1] if i > 0 else None
    spc = view.spc
    spc_ok = spc is not None and i in spc.index and not pd.isna(spc.loc[i, "mean"])
    upto = spc.loc[:i] if spc_ok else None
    last_rules = tuple(r for r in str(spc.loc[i, "rules"] or "").split(", ") if r) if spc_ok else ()
    snap = Snapshot(
        **base,
        value=_f(row["value"]),
        numerator=_f(row["numerator"]),
        denominator=_f(row["denominator"]),
        suppressed=bool(row["suppressed"]),
        target=row["target"] or None,
        rag="none" if row["suppressed"] else row["rag"],
        prev_period=prev["period"] if prev is not None else None,
        prev_value=_f(prev["value"]) if prev is not None else None,
        prev_numerator=_f(prev["numerator"]) if prev is not None else None,
        prev_denominator=_f(prev["denominator"]) if prev is not None else None,
        prev_suppressed=bool(prev["suppressed"]) if prev is not None else False,
        spc_available=spc_ok,
        variation_icon=view.variation_icon if spc_ok else None,
        rules=last_rules,
        direction=(spc.loc[i, "direction"] or None) if spc_ok else None,
        assurance_icon=view.assurance_icon if spc_ok else "none",
        values=tuple(pd.to_numeric(upto["value"], errors="coerce").fillna(math.nan)) if spc_ok else (),
        means=tuple(pd.to_numeric(upto["mean"], errors="coerce").fillna(math.nan)) if spc_ok else (),
    )
    return snap, row


def _print_styles(fig: go.Figure) -> go.Figure:
    """Greyscale-safe marks: special-cause points differ by shape as well as colour."""
    shapes = {
        "Special cause (improving)": "triangle-up-open",
        "Special cause (concerning)": "x-thin-open",
        "Special cause (neither)": "diamond-open",
    }
    for name, symbol in shapes.items():
        fig.update_traces(selector={"name": name}, marker_symbol=symbol, marker_size=13)
    fig.update_layout(hovermode=False)
    return fig


def _trend_chart(ind: Indicator, view, target, quarter: str, la_name: str) -> Chart:
    trend = view.trend
    spc = view.spc
    fig = trend_figure(
        trend,
        f"{ind.short_title}, {la_name}, quarterly to {quarter}",
        ind.unit,
        ind.decimals,
        spc=spc,
        targets=targets_by_period(trend),
    )
    # Keep the axis to the data: a long annotation would otherwise stretch it; annotations in the right half
    # are anchored on their right so they stay on the page.
    first, last = pd.Timestamp(trend["period_end"].min()), pd.Timestamp(trend["period_end"].max())
    fig.update_xaxes(range=[first - pd.Timedelta(days=45), last + pd.Timedelta(days=45)])
    middle = first + (last - first) / 2
    for note in fig.layout.annotations:
        if pd.Timestamp(note.x) > middle:
            note.xanchor = "right"
    shown = pd.to_numeric(trend["value"], errors="coerce").notna().sum()
    alt = (
        f"Line chart of {ind.short_title} by quarter, {shown} quarters shown"
        + (", with SPC mean and process limits" if spc is not None else "")
        + (
            f", target {target.describe()} now (earlier periods against the target then in force)"
            if target is not None
            else ""
        )
        + (". Withheld values are gaps." if trend["suppressed"].any() else ".")
    )
    return Chart(ind.short_title, _print_styles(fig), alt, "trend")


def _explain(
    ind: Indicator, quarter: str, prev: str | None, la: str, role: str, warehouse
) -> tuple[Explanation | None, Chart | None]:
    """The ethnic group or area contributing most to the change in the numerator since last quarter."""
    if prev is None:
        return None, None
    best = None
    for by in (b for b in EXPLAINING_BREAKDOWNS if b in ind.breakdowns):
        part = suppressed_breakdown(ind.id, [prev, quarter], la, by, role, warehouse)  # as the dashboard
        raw, cells = part.raw, part.cells
        allowed = set(cells["group"]) - set(cells.loc[cells["suppressed"], "group"])
        num = {
            p: dict(
                zip(
                    raw.loc[raw["period"] == p, "group"],
                    raw.loc[raw["period"] == p, "numerator"].fillna(0),
                    strict=True,
                )
            )
            for p in (prev, quarter)
        }
        pick = largest_contribution(num[prev], num[quarter], allowed)
        if pick is None:
            continue
        group, delta, change = pick
        share = abs(delta) / abs(change) if change else 0.0
        if best is None or share > best[0]:
            best = (share, by, group, delta, change, cells)
    if best is None:
        return None, None
    share, by, group, delta, change, cells = best
    label = BREAKDOWN_LABELS[by]
    if change:
        part = f", {share:.0%} of the change" if share <= 1 else " (other groups moved the other way)"
        sentence = (
            f"The numerator changed by {change:+,.0f} from {prev} to {quarter}. The largest contribution "
            f"came from {group} ({label.lower()}): {delta:+,.0f}{part}."
        )
    else:
        sentence = (
            f"The numerator did not change overall from {prev} to {quarter}; the largest movement in a "
            f"single group was {group} ({label.lower()}): {delta:+,.0f}."
        )
    if role == "board":
        sentence += " Groups with small numbers are withheld (c) and are not considered."
    cur = cells[cells["period"] == quarter].set_index("group")
    old = cells[cells["period"] == prev].set_index("group")
    rows = []
    order = (
        cur.assign(n=pd.to_numeric(cur["numerator"], errors="coerce").fillna(-1))
        .sort_values(["suppressed", "n"], ascending=[True, False])
        .index
    )
    # Groups with no row this quarter (none this quarter) are listed too: the sentence may name one.
    order = list(order) + [g for g in old.index if g not in cur.index]
    for g in order:
        r, o = cur.loc[g] if g in cur.index else None, old.loc[g] if g in old.index else None
        hidden = (r is not None and bool(r["suppressed"])) or (o is not None and bool(o["suppressed"]))
        n1 = _f(r["numerator"]) if r is not None else 0.0
        n0 = _f(o["numerator"]) if o is not None else 0.0
        rows.append(
            [
                str(g),
                _count(o["numerator"], o["suppressed"]) if o is not None else "0",
                _count(r["numerator"], r["suppressed"]) if r is not None else "0",
                "c" if hidden else f"{(n1 or 0) - (n0 or 0):+,.0f}",
                _count(r["denominator"], r["suppressed"]) if ind.unit != "count" and r is not None else "",
                display(r["value"], ind.decimals, bool(r["suppressed"]), ind.unit) if r is not None else "-",
            ]
        )
    headers = [
        label,
        f"Numerator {prev}",
        f"Numerator {quarter}",
        "Change",
        f"Denominator {quarter}",
        f"{ind.short_title} {quarter}",
    ]
    bars = cur.reset_index().sort_values("group")
    fig = breakdown_figure(bars, f"{ind.short_title} by {label.lower()}, {quarter}", ind.unit, ind.decimals)
    fig.update_layout(hovermode=False)
    withheld = int(bars["suppressed"].sum())
    chart = Chart(
        f"{ind.short_title} by {label.lower()}",
        fig,
        f"Bar chart of {ind.short_title} by {label.lower()} in {quarter}"
        + (f"; {withheld} withheld groups are labelled c and not drawn." if withheld else "."),
        "breakdown",
    )
    return Explanation(by, label, sentence, headers, rows), chart


def _count(x, suppressed) -> str:
    if suppressed:
        return "c"
    v = _f(x)
    return "" if v is None else f"{v:,.0f}"


def _benchmarks(ind: Indicator, la: str, quarter_end: date, warehouse) -> Benchmarks | None:
    """Published DfE comparators (England, region, statistical neighbours) for the latest financial year
    up to the quarter that has them; None if the indicator has no published figures."""
    try:
        from indicators import benchmarks
    except ImportError:  # pragma: no cover - module being built elsewhere
        return None
    fy_end = quarter_end.year + (1 if quarter_end.month > 3 else 0)
    for tp in range(fy_end, fy_end - 4, -1):
        try:
            b = benchmarks.benchmark(la, ind.id, tp, warehouse=warehouse)
        except Exception:  # noqa: BLE001 - benchmarks are optional; the report goes on without them
            return None
        if b.england is None and b.value is None:
            continue

        def f(v, d=ind.decimals):
            return "-" if v is None else fmt_bench(v, d, ind.unit)

        rows = [
            [f"{b.la_name or 'LA ' + la} (published)", f(b.value)],
            ["England", f(b.england)],
            [b.region_name or "Region", f(b.region_value)],
            [f"Statistical neighbours ({b.average} of {b.neighbour_count})", f(b.neighbour_average)],
        ]
        if b.rank is not None:
            rows.append(
                [
                    "National rank (1 = best)" if b.band_is_judgement else "National rank (1 = lowest)",
                    f"{b.rank} of {b.rank_of}",
                ]
            )
        if b.quartile_band:
            rows.append(
                [
                    "Quartile band (A = best)" if b.band_is_judgement else "Quartile band (A = lowest)",
                    b.quartile_band,
                ]
            )
        note = " ".join(b.notes)
        return Benchmarks(b.period, rows, note)
    return None


def fmt_bench(v: float, decimals: int, unit: str) -> str:
    text = f"{v:,.{decimals}f}"
    return f"{text}%" if unit == "percent" else text


def _quality(
    la: str, quarter: str, quarter_end: date, warehouse, role: str = "board"
) -> tuple[list[str], list[list[str]]]:
    notes: list[str] = []
    latest = quality.latest_by_source(warehouse)
    latest = latest[latest["la_code"].astype(str) == la]
    names = {"cin_census": "CIN census return", "annex_a": "Annex A list", "cdop": "CDOP extract"}
    for source, name in names.items():
        row = latest[latest["source_type"] == source]
        if row.empty or pd.isna(row["latest_data_date"].iloc[0]):
            notes.append(f"Missing: no {name} is loaded for this LA.")
            continue
        when = pd.Timestamp(row["latest_data_date"].iloc[0]).date()
        if when < quarter_end:
            notes.append(
                f"Late: the latest {name} loaded is dated {when:%d %b %Y}, before the end of {quarter} "
                f"({quarter_end:%d %b %Y}); figures for the quarter are incomplete."
            )
        else:
            notes.append(f"{name}: loaded up to {when:%d %b %Y} ({int(row['files'].iloc[0])} files).")
    loads = quality.loads(warehouse)
    loads = loads[loads["la_code"].astype(str) == la]
    census = loads[(loads["source_type"] == "cin_census") & (loads["status"] == "loaded")]
    years = sorted({pd.Timestamp(c).year for c in census["reference_date"].dropna()})
    missing = [y for y in range(years[0], years[-1] + 1) if y not in years] if years else []
    if missing:
        notes.append(
            "Missing census returns for the years ending 31 March " + ", ".join(map(str, missing)) + "."
        )
    rejected = loads[~loads["status"].isin(["loaded", "superseded"])]
    for r in rejected.itertuples():
        notes.append(f"{r.file_name}: {r.status}.")
    flagged = loads[loads["rule_issues"].fillna(0) > 0]
    if len(flagged):
        notes.append(f"{len(flagged)} loaded file(s) carry validation rule issues (listed below).")
    comp = quality.completeness(warehouse)
    comp = comp[comp["la_code"].astype(str) == la]
    if not comp.empty:
        c = comp.iloc[0]
        nobt = 100 * c["ethnicity_not_obtained"] / c["children"] if c["children"] else 0.0
        refu = 100 * c["ethnicity_refused"] / c["children"] if c["children"] else 0.0
        notes.append(
            f"Ethnicity not obtained (NOBT): {nobt:.1f}% of {int(c['children']):,} children; refused "
            f"(REFU): {refu:.1f}%. These children are in no ethnic group's figures."
        )
        if c["sex_not_known"]:
            notes.append(f"Sex not known for {int(c['sex_not_known']):,} children.")
    rules = quality.validation_by_rule(warehouse)
    # Issues count records about children, so the board sees 1 to 5 as c (as on the data-quality page);
    # the number of files is not about children and says what it counts.
    rows = [
        [
            str(r.rule_id),
            str(r.field),
            display(int(r.issues), 0, role != "analyst" and 1 <= int(r.issues) <= 5, "count"),
            f"{int(r.files):,} file{'s' if int(r.files) != 1 else ''}",
            str(r.example_message),
        ]
        for r in rules.head(15).itertuples()
    ]
    return notes, rows


def build_report(
    quarter: str,
    la: str | None = None,
    role: str = "board",
    warehouse: str | Path | None = None,
    commentary: dict | None = None,
    today: date | None = None,
) -> Report:
    """Everything the report shows, already suppressed for the role."""
    if role not in ("board", "analyst"):
        raise ValueError("role must be 'board' or 'analyst'")
    period = parse_period(quarter, "quarter")
    if period.kind != "quarter":
        raise ValueError(f"{quarter!r} is not a quarter: write it like 2024-25-Q3")
    quarter = period.label
    wh = str(warehouse) if warehouse else None
    access.check_la(la)  # a limited user is told the LA is outside their access, not that it is missing
    las = indicators.api.local_authorities(wh)
    if not las:
        raise ValueError("the warehouse has no LA loaded")
    la = la or next(iter(las))
    if la not in las:
        raise ValueError(f"LA {la} is not loaded; loaded: {', '.join(las)}")
    book = load_targets()
    entries = []
    for ind in registry().values():
        entry = _entry(ind, quarter, la, las[la], role, wh, book, period.end)
        entries.append(entry)
    notes, rows = _quality(la, quarter, period.end, wh, role)
    report = Report(
        la=la,
        la_name=las[la],
        quarter=quarter,
        quarter_end=period.end,
        role=role,
        generated=today or date.today(),
        demo=la == DEMO_LA,
        entries=entries,
        quality_notes=notes,
        validation_rows=rows,
        benchmarks_note=(
            "Benchmarks are the published DfE figures for the latest financial year up "
            "to this quarter (annual, so not the same period as the quarter)."
            + (
                " The demo LA's data is synthetic, but its published figures are the real LA's."
                if la == DEMO_LA
                else ""
            )
        ),
    )
    report.agencies = build_agency_section(quarter, role, wh, report.generated)
    report.assurance = build_assurance_section(role, wh, report.generated, report.quarter_end)
    return apply_commentary(report, commentary or {})


def _entry(ind: Indicator, quarter: str, la: str, la_name: str, role: str, wh, book, quarter_end) -> Entry:
    """One indicator at the latest covered quarter up to the report's quarter. Whether it is an exception
    is decided on the unsuppressed figures (the scorecard's function, indicators.status), so the board's
    report lists every exception the analyst's does; its reasons are withheld where they would reveal
    small numbers."""
    status = latest_status(ind.id, la, "quarter", quarter, wh)
    if status.period is None:
        snap = Snapshot(ind.id, ind.short_title, ind.unit, ind.decimals, ind.polarity, quarter, None)
        no_data = f"No loaded data covers {quarter} or any earlier quarter for this indicator."
        return Entry(ind, Assessment(snap), "-", "no value", "", "", "", no_data=no_data)
    at = status.period
    state = ViewState(la=la, freq="quarter", by=None, end=at)
    view = indicator_view(ind.id, state, role, wh)
    snap, _ = _snapshot(ind, view, at)
    a = assess(snap)
    if role != "analyst":
        full, _ = _snapshot(ind, indicator_view(ind.id, state, "analyst", wh), at)
        a = withhold_for_board(a, assess(full))
    entry = Entry(
        ind,
        a,
        display(snap.value, ind.decimals, snap.suppressed, ind.unit),
        RAG_WORDS["withheld" if snap.suppressed else snap.rag],
        variation_text(snap.variation_icon) if snap.spc_available else (view.spc_text or "SPC not shown"),
        assurance_text(snap.assurance_icon) if snap.spc_available else "",
        snap.target or "",
        period=at,
    )
    if a.is_exception:
        target = book.target_for(ind.id, la, parse_period(at, "quarter").end)
        entry.charts.append(_trend_chart(ind, view, target, at, la_name))
        explanation, chart = _explain(ind, at, snap.prev_period, la, role, wh)
        entry.explanation = explanation
        if chart is not None:
            entry.charts.append(chart)
        entry.benchmarks = _benchmarks(ind, la, quarter_end, wh)
    return entry


def apply_commentary(report: Report, commentary: dict[str, dict]) -> Report:
    """Merge owners' commentary (indicator id -> owner, commentary, actions) into the report; an indicator
    without commentary shows "No commentary provided"."""
    for entry in report.entries:
        note = commentary.get(entry.indicator.id) or {}
        entry.commentary = str(note.get("commentary") or "").strip() or NO_COMMENTARY
        entry.actions = [str(a) for a in (note.get("actions") or []) if str(a).strip()]
        entry.owner = str(note.get("owner") or "")
    report.other_commentary = [
        (e.indicator.short_title, e.commentary, e.actions)
        for e in report.entries
        if not e.is_exception and (e.commentary != NO_COMMENTARY or e.actions)
    ]
    return report
