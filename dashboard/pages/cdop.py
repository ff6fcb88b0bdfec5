"""Child deaths page (/cdop): Child Death Overview Panel notifications, reviews, backlog and the
national context. Every count goes through disclosure control for the board role; counts are
small, so much is withheld. Each chart has its data table under it, and every table downloads as
CSV through viewmodels.cells.export_frame (formula-safe cells)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import indicators
from charts.figures import breakdown_figure
from charts.layout import GRAPH_CONFIG, base_layout
from charts.palette import CONCERN, PRIMARY, SERIES, TARGET
from dashboard import ids
from dashboard.downloads import plain_file_name
from dashboard.session import session_role
from dashboard.tables import data_table
from indicators.cdop import order_groups
from indicators.disclosure import SUPPRESSED, suppress
from indicators.intervals import exact_poisson_interval
from viewmodels.cells import export_frame
from viewmodels.state import la_label, parse_query

PATH = "/cdop"
TITLE = "Child deaths"
POOLED_YEARS = 3
DOWNLOAD_TYPE = "cdop-download"
TABLE_IDS = {
    "trend": "cdop-trend-table",
    "age": "cdop-age-table",
    "expected": "cdop-expected-table",
    "category": "cdop-category-table",
    "backlog": "cdop-backlog-table",
    "timeliness": "cdop-timeliness-table",
    "national": "cdop-national-table",
}


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class CdopView:
    la: str | None
    las: list[str]
    years: list[str] = field(default_factory=list)
    pooled_label: str = ""
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, go.Figure] = field(default_factory=dict)
    national_text: str = ""
    backlog_text: str = ""
    message: str | None = None


def _count(x, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED
    if x is None or pd.isna(x):
        return "-"
    return f"{int(x):,}"


def _number(x, suppressed: bool, decimals: int = 1, suffix: str = "") -> str:
    if suppressed:
        return SUPPRESSED
    if x is None or pd.isna(x):
        return "-"
    return f"{float(x):,.{decimals}f}{suffix}"


def cdop_view(la: str | None, role: str, warehouse: str | None = None) -> CdopView:
    """Everything the page shows for one LA and role, already suppressed (pure apart from reads)."""
    las = indicators.api.cdop_las(warehouse)
    la = la if la in las else (las[0] if las else None)
    view = CdopView(la, las)
    if la is None:
        view.message = (
            "No Child Death Overview Panel extract is loaded. Load one with "
            "`safeguarding ingest cdop_<LA>_<YYYY-MM-DD>.csv` (see "
            "docs/cdop-extract-format.md)."
        )
        return view
    years = indicators.available_periods("year", la, warehouse, "cdop_deaths")
    if not years:
        view.message = "The loaded CDOP extracts do not cover a whole financial year yet."
        return view
    view.years = [p.label for p in years]
    _trend(view, years, role, warehouse)
    pooled = years[-POOLED_YEARS:]
    view.pooled_label = pooled[0].label if len(pooled) == 1 else f"{pooled[0].label} to {pooled[-1].label}"
    _breakdowns(view, pooled, role, warehouse)
    _backlog_and_timeliness(view, years, role, warehouse)
    _national(view, role, warehouse)
    return view


def _trend(view: CdopView, years, role: str, warehouse) -> None:
    rates = indicators.values("cdop_rate_per_100k", years, view.la, None, warehouse)
    shown = suppress(rates, role)
    low, high = exact_poisson_interval(rates["numerator"].fillna(0).astype(float).to_numpy())
    pop = pd.to_numeric(rates["denominator"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_low, rate_high = low * 100_000 / pop, high * 100_000 / pop
    rows, y, err_low, err_high, hover = [], [], [], [], []
    for i, r in enumerate(shown.itertuples()):
        hidden = bool(r.suppressed)
        rate = None if hidden or r.value is None or pd.isna(r.value) else float(r.value)
        rows.append(
            [
                r.period,
                _count(r.numerator, hidden),
                _count(rates["denominator"].iloc[i], False),
                _number(rate, hidden),
                _number(rate_low[i], hidden or rate is None),
                _number(rate_high[i], hidden or rate is None),
            ]
        )
        y.append(rate)
        err_low.append(None if rate is None else rate - rate_low[i])
        err_high.append(None if rate is None else rate_high[i] - rate)
        hover.append(
            SUPPRESSED
            if hidden
            else (
                "-"
                if rate is None
                else f"{rate:.1f} per 100,000 (95% interval {rate_low[i]:.1f} to {rate_high[i]:.1f})"
            )
        )
    view.tables["trend"] = Table(
        "Child deaths notified and rate per 100,000 children aged 0 to 17, by financial year, with "
        "exact Poisson 95% intervals (the data behind the chart above)",
        [
            "Year",
            "Deaths notified",
            "Children aged 0 to 17",
            "Rate per 100,000",
            "95% interval: lower",
            "95% interval: upper",
        ],
        rows,
    )
    england = indicators.api.national_context()[0]
    fig = go.Figure(
        go.Scatter(
            x=list(shown["period"]),
            y=y,
            mode="lines+markers",
            name="Rate per 100,000",
            line={"color": PRIMARY, "width": 3},
            marker={"size": 8},
            customdata=hover,
            error_y={
                "type": "data",
                "symmetric": False,
                "array": err_high,
                "arrayminus": err_low,
                "color": "#505a5f",
                "thickness": 1.5,
            },
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[shown["period"].iloc[0], shown["period"].iloc[-1]],
            y=[england["rate_per_100k"]] * 2,
            mode="lines",
            name=f"England {england['period']}: {england['rate_per_100k']} (NCMD)",
            line={"color": TARGET, "width": 2, "dash": "dot"},
            hoverinfo="skip",
        )
    )
    view.figures["trend"] = base_layout(
        fig, "Child death rate per 100,000 children aged 0 to 17", "Rate per 100,000"
    )


def _breakdowns(view: CdopView, pooled, role: str, warehouse) -> None:
    label = view.pooled_label
    full = suppress(
        indicators.api.pooled_values("cdop_deaths", pooled, view.la, "cdop_age_band", warehouse), role
    )
    ages = order_groups(full[full["breakdown"] == "cdop_age_band"])
    view.figures["age"] = breakdown_figure(ages, f"Child deaths by age at death, {label}", "count", 0)
    view.tables["age"] = Table(
        f"Child deaths notified by age at death, {label} (the data behind the chart above)",
        ["Age at death", "Deaths notified"],
        [[r.group, _count(r.numerator, r.suppressed)] for r in ages.itertuples()]
        + _total_row(full, "All ages"),
    )
    full = suppress(indicators.api.pooled_values("cdop_deaths", pooled, view.la, "expected", warehouse), role)
    expected = order_groups(full[full["breakdown"] == "expected"])
    view.tables["expected"] = Table(
        f"Child deaths notified, expected and unexpected, {label}",
        ["Death", "Deaths notified"],
        [[r.group, _count(r.numerator, r.suppressed)] for r in expected.itertuples()]
        + _total_row(full, "All deaths"),
    )
    raw = indicators.api.pooled_values("cdop_modifiable_pct", pooled, view.la, "death_category", warehouse)
    # Reviews by category are a count in their own right, withheld on their own; the share with
    # modifiable factors is withheld where its numerator or denominator is small.
    reviews = suppress(
        raw.assign(
            indicator_id="cdop_reviews_completed",
            numerator=raw["denominator"],
            denominator=None,
            value=raw["denominator"].astype(float),
            unit="count",
        ),
        role,
    )
    total = _total_row(reviews, "All reviews")
    reviews = order_groups(reviews[reviews["breakdown"] == "death_category"])
    share = suppress(raw, role).set_index("group")
    view.figures["category"] = breakdown_figure(
        reviews, f"Child death reviews completed by category of death, {label}", "count", 0
    )
    rows = []
    for r in reviews.itertuples():
        s = share.loc[r.group]
        rows.append(
            [
                r.group,
                _count(r.numerator, r.suppressed),
                _count(s.numerator, s.suppressed),
                _number(s.value, s.suppressed, 1, "%"),
            ]
        )
    if total:
        s = share.loc["All"]
        rows.append(total[0] + [_count(s.numerator, s.suppressed), _number(s.value, s.suppressed, 1, "%")])
    view.tables["category"] = Table(
        f"Child death reviews completed by category of death, {label}, and the share finding "
        "modifiable factors (the data behind the chart above)",
        ["Category of death", "Reviews completed", "With modifiable factors", "% with modifiable factors"],
        rows,
    )


def _total_row(df: pd.DataFrame, label: str) -> list[list[str]]:
    total = df[df["breakdown"] == "total"]
    if total.empty:
        return []
    row = total.iloc[0]
    return [[label, _count(row["numerator"], bool(row["suppressed"]))]]


def _backlog_and_timeliness(view: CdopView, years, role: str, warehouse) -> None:
    from indicators.cdop import BACKLOG_BANDS

    latest_extract = _latest_extract(view.la, warehouse)
    dates = [p.end for p in years[-POOLED_YEARS:]]
    if latest_extract and latest_extract not in dates:
        dates.append(latest_extract)
    backlog = suppress(indicators.api.review_backlog(view.la, dates, warehouse), role)
    rows, fig = [], go.Figure()
    for as_at, part in backlog.groupby("period_end", sort=True):
        cells = part.set_index("group")
        total = cells.loc["All"]
        rows.append(
            [f"{as_at:%d %b %Y}"]
            + [_count(cells.loc[b, "numerator"], cells.loc[b, "suppressed"]) for b in BACKLOG_BANDS]
            + [_count(total["numerator"], total["suppressed"])]
        )
    for band, colour in zip(BACKLOG_BANDS, (PRIMARY, SERIES[1], CONCERN), strict=True):
        part = backlog[backlog["group"] == band].sort_values("period_end")
        y = [None if s else v for v, s in zip(part["numerator"], part["suppressed"], strict=True)]
        fig.add_trace(
            go.Bar(
                x=[f"{d:%d %b %Y}" for d in part["period_end"]],
                y=y,
                name=band,
                # a white edge between stacked segments: turquoise and orange are close in lightness
                marker={"color": colour, "line": {"color": "white", "width": 1.5}},
                customdata=[_count(v, s) for v, s in zip(part["numerator"], part["suppressed"], strict=True)],
                hovertemplate=f"{band}: %{{customdata}}<extra></extra>",
            )
        )
    # Withheld bands are drawn together as one grey segment (total less the bands shown), so each bar
    # is as tall as the table's total: the table's total and shown cells give that sum away already.
    withheld = []
    for _, part in backlog.sort_values("period_end").groupby("period_end", sort=True):
        cells = part.set_index("group")
        total = cells.loc["All"]
        hidden = [b for b in BACKLOG_BANDS if cells.loc[b, "suppressed"]]
        shown = sum(float(cells.loc[b, "numerator"] or 0) for b in BACKLOG_BANDS if b not in hidden)
        withheld.append(None if total["suppressed"] or not hidden else float(total["numerator"]) - shown)
    if any(v is not None for v in withheld):
        dates = sorted(backlog["period_end"].unique())
        fig.add_trace(
            go.Bar(
                x=[f"{pd.Timestamp(d):%d %b %Y}" for d in dates],
                y=withheld,
                name="Withheld bands (c), together",
                marker={"color": "#b1b4b6", "pattern": {"shape": "/"}},
                hovertemplate="Withheld bands together: %{y}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    view.figures["backlog"] = base_layout(
        fig, "Deaths awaiting a completed review, by time since death", "Deaths"
    )
    view.tables["backlog"] = Table(
        "Deaths awaiting a completed review on each date, by time since the death (the data behind "
        "the chart above)",
        ["As at"] + [f"Awaiting review: {b.lower()}" for b in BACKLOG_BANDS] + ["Total awaiting review"],
        rows,
    )
    if latest_extract:
        view.backlog_text = (
            f"Latest extract: {latest_extract:%d %B %Y}. Reviews are usually "
            "completed at a monthly panel meeting once every agency's information "
            "and any inquest are in; deaths over 12 months old still awaiting review "
            "are the ones to ask about."
        )
    within = suppress(indicators.values("cdop_review_12m_pct", years, view.la, None, warehouse), role)
    median = suppress(indicators.values("cdop_review_median_days", years, view.la, None, warehouse), role)
    rows, y = [], []
    for w, m in zip(within.itertuples(), median.itertuples(), strict=True):
        rows.append(
            [
                w.period,
                _count(w.denominator, w.suppressed),
                _count(w.numerator, w.suppressed),
                _number(w.value, w.suppressed, 1, "%"),
                _number(m.value, m.suppressed, 0),
            ]
        )
        y.append(None if m.suppressed or m.value is None or pd.isna(m.value) else float(m.value))
    fig = go.Figure(
        go.Scatter(
            x=list(median["period"]),
            y=y,
            mode="lines+markers",
            name="Median days to review",
            line={"color": PRIMARY, "width": 3},
            marker={"size": 8},
            customdata=[r[4] for r in rows],
            hovertemplate="%{x}: %{customdata} days<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[median["period"].iloc[0], median["period"].iloc[-1]],
            y=[365, 365],
            mode="lines",
            name="12 months (365 days)",
            line={"color": TARGET, "width": 2, "dash": "dot"},
            hoverinfo="skip",
        )
    )
    view.figures["timeliness"] = base_layout(fig, "Median days from death to completed review", "Days")
    view.tables["timeliness"] = Table(
        "Child death reviews completed each financial year: how many, how many within 12 months of "
        "the death, and the median days from death to review (the data behind the chart above)",
        ["Year", "Reviews completed", "Within 12 months", "% within 12 months", "Median days"],
        rows,
    )


def _latest_extract(la: str, warehouse) -> date | None:
    frame = indicators.sql(
        "select max(extract_date) as d from cdop_extracts where la_code = ?", [la], warehouse
    )
    value = frame["d"].iloc[0] if len(frame) else None
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _national(view: CdopView, role: str, warehouse) -> None:
    england = indicators.api.national_context()[0]
    rows = [
        [
            "England (NCMD)",
            england["period"],
            f"{england['deaths']:,}",
            f"{england['rate_per_100k']:.1f}",
            "-",
            "-",
        ]
    ]
    sentence = ""
    if england["period"] in view.years:
        local = indicators.values("cdop_rate_per_100k", [england["period"]], view.la, None, warehouse)
        shown = suppress(local, role).iloc[0]
        count = float(pd.to_numeric(local["numerator"], errors="coerce").fillna(0).iloc[0])
        pop = float(local["denominator"].iloc[0]) if pd.notna(local["denominator"].iloc[0]) else np.nan
        low, high = (x * 100_000 / pop for x in exact_poisson_interval(count))
        hidden = bool(shown.suppressed) or shown.value is None or pd.isna(shown.value)
        rows.append(
            [
                f"LA {view.la}",
                england["period"],
                _count(shown.numerator, bool(shown.suppressed)),
                _number(shown.value, hidden),
                _number(low, hidden),
                _number(high, hidden),
            ]
        )
        if not hidden:
            inside = low <= england["rate_per_100k"] <= high
            sentence = (
                f" In {england['period']} this LA's rate was {float(shown.value):.1f} per 100,000 "
                f"(95% interval {low:.1f} to {high:.1f}); England's rate lies "
                + (
                    "inside that interval, so the difference could be chance."
                    if inside
                    else "outside that interval, so the difference is unlikely to be chance alone."
                )
            )
    view.national_text = (
        f"England, {england['period']}: {england['deaths']:,} child deaths, "
        f"{england['rate_per_100k']} per 100,000 children aged 0 to 17." + sentence
    )
    view.tables["national"] = Table(
        "This LA against England (national figures from NCMD; intervals are exact Poisson 95%)",
        ["Area", "Year", "Deaths", "Rate per 100,000", "95% interval: lower", "95% interval: upper"],
        rows,
    )


def _section(title: str, *children, intro: str | None = None) -> html.Section:
    head = [html.H2(title, className="h4 mt-4")]
    if intro:
        head.append(html.P(intro))
    return html.Section(head + list(children))


def _graph(view: CdopView, name: str) -> dcc.Graph:
    fig = view.figures[name]
    if name in ("trend", "timeliness", "backlog"):
        fig.update_xaxes(type="category")  # financial years and dates are labels, not a time axis
        return dcc.Graph(id=f"cdop-{name}-chart", figure=fig, config=GRAPH_CONFIG, style={"height": "420px"})
    return dcc.Graph(id=f"cdop-{name}-chart", figure=fig, config=GRAPH_CONFIG)


def _table(view: CdopView, name: str) -> html.Div:
    t = view.tables[name]
    return html.Div(
        [
            data_table(t.caption, t.headers, t.rows, TABLE_IDS[name]),
            html.Button(
                "Download CSV",
                id={"type": DOWNLOAD_TYPE, "table": name},
                className="govuk-button govuk-button--secondary mb-3",
            ),
        ]
    )


def layout(role: str = "board", search: str | None = None) -> html.Div:
    view = cdop_view(parse_query(search).la, role)
    head = [
        html.H1(TITLE, className="h2"),
        html.P(
            "Deaths of children living in the area, notified to the Child Death Overview "
            "Panel (CDOP), and the panel's reviews. Counts are small: for the board, counts "
            "of 1 to 5 and anything built on them show as c, so breakdowns pool the latest "
            "three years and many cells are still withheld.",
            className="lead",
        ),
    ]
    if view.message:
        return html.Div(head + [dbc.Alert(view.message, color="info")])
    names = indicators.api.local_authorities()
    if len(view.las) > 1:
        head.append(
            html.P(
                ["Local authority: "]
                + [
                    dcc.Link(la_label(code, names), href=f"{PATH}?la={code}", className="me-2")
                    for code in view.las
                ]
            )
        )
    head.append(
        html.P(
            f"{la_label(view.la, names)}; financial years {view.years[0]} to {view.years[-1]}.",
            id="cdop-summary",
        )
    )
    return html.Div(
        head
        + [
            _section(
                "Deaths notified each year",
                _graph(view, "trend"),
                _table(view, "trend"),
                intro="Rate per 100,000 children aged 0 to 17 with exact Poisson 95% intervals: "
                "with about 25 deaths a year, a rate can move by a third from one year "
                "to the next by chance alone.",
            ),
            _section(
                f"Age at death and expected or unexpected deaths, {view.pooled_label}",
                _graph(view, "age"),
                _table(view, "age"),
                _table(view, "expected"),
            ),
            _section(
                f"Category of death, {view.pooled_label}",
                _graph(view, "category"),
                _table(view, "category"),
                intro="Set by the panel at review, so this counts reviews completed in these years.",
            ),
            _section(
                "Review backlog and timeliness",
                html.P(view.backlog_text),
                _graph(view, "backlog"),
                _table(view, "backlog"),
                _graph(view, "timeliness"),
                _table(view, "timeliness"),
            ),
            _section(
                "National context",
                html.P(view.national_text, id="cdop-national-text"),
                _table(view, "national"),
                html.P(
                    [
                        "Source: ",
                        html.A(
                            "National Child Mortality Database, Child Death Review "
                            "Data Release: year ending 31 March 2024",
                            href="https://www.ncmd.info/publications/child-death-review-data-release-2024/",
                        ),
                    ],
                    className="text-muted small",
                ),
            ),
            html.P(
                [
                    "Definitions: ",
                    dcc.Link("indicator definitions", href="/about"),
                    ". Each measure also has its own page: ",
                ]
                + [
                    dcc.Link(indicators.get(i).short_title, href=f"/indicator/{i}", className="me-2")
                    for i in (
                        "cdop_deaths",
                        "cdop_rate_per_100k",
                        "cdop_modifiable_pct",
                        "cdop_review_12m_pct",
                        "cdop_review_median_days",
                    )
                ],
                className="mt-4",
            ),
        ]
    )


def export_table(view: CdopView, name: str) -> pd.DataFrame:
    """Exactly the table on screen, suppressed cells 'c', formula-safe (views.safe_cell)."""
    t = view.tables[name]
    return export_frame(t.headers, t.rows)


@callback(
    Output(ids.DOWNLOAD, "data", allow_duplicate=True),
    Input({"type": DOWNLOAD_TYPE, "table": ALL}, "n_clicks"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def _download(clicks, search):
    if not ctx.triggered_id or not any(clicks):
        return no_update
    name = ctx.triggered_id["table"]
    view = cdop_view(parse_query(search).la, session_role())
    if name not in view.tables:
        return no_update
    place = indicators.api.local_authorities().get(view.la, view.la or "")
    file = plain_file_name(FILE_WORDS.get(name, name), place, ext="csv")
    return dcc.send_data_frame(export_table(view, name).to_csv, file, index=False)


# Each table's download file name, in words (with the LA's name).
FILE_WORDS = {
    "trend": "Child deaths by year",
    "age": "Child deaths by age at death",
    "expected": "Child deaths expected and unexpected",
    "category": "Child death reviews by category of death",
    "backlog": "Child deaths awaiting review",
    "timeliness": "Child death reviews by time taken",
    "national": "Child deaths against England",
}
