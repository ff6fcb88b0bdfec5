"""Indicator page (/indicator/<id>): trend against target, breakdown, definition and downloads."""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import indicators
from charts.area_map import area_map_figure
from charts.figures import breakdown_figure, funnel_figure, trend_figure
from charts.layout import GRAPH_CONFIG, Y_TITLES
from dashboard import ids
from dashboard.benchmark_figures import drawn_benchmarks
from dashboard.compare_las import PUBLISHED_HEADERS, compare_las, published_rows
from dashboard.downloads import csv_bytes, file_name, tidy_frame, xlsx_bytes
from dashboard.england_map import ENGLAND_ATTRIBUTION
from dashboard.help_panel import help_panel
from dashboard.session import is_demo, session_role
from dashboard.summary_card import summary_card
from dashboard.tables import data_table
from dashboard.target_notes import mark_illustrative, target_row
from indicators.geography import ATTRIBUTION, ward_boundaries
from indicators.status import targets_by_period
from viewmodels.cells import POLARITY_WORDS, breakdown_headers, trend_headers
from viewmodels.headline import headline_sentence
from viewmodels.indicator import indicator_view
from viewmodels.state import BREAKDOWN_LABELS, FREQUENCIES, ViewState, breakdown_choice, parse_query, to_query


def _select(label: str, name: str, options: list[tuple[str, str]], value: str | None):
    control_id = {"type": ids.IND_CONTROL, "name": name}
    return html.Div(
        [
            html.Label(label, htmlFor=dom_id(control_id), className="form-label fw-bold"),
            dbc.Select(id=control_id, options=_as_options(options), value=value),
        ],
        className="col-sm-6 col-lg",
    )


def unchanged_outputs() -> tuple:
    """no_update for every output of the running callback (one per match for wildcard outputs)."""
    return tuple([no_update] * len(o) if isinstance(o, list) else no_update for o in ctx.outputs_list)


def dom_id(component_id: dict) -> str:
    """The DOM id Dash gives a pattern-matching id (sorted keys, compact JSON)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def unit_words(ind) -> str:
    """The unit as the chart's axis names it, and how it is rounded."""
    words = Y_TITLES.get(ind.unit, "Value") + (" a year" if ind.annualised else "")
    if ind.decimals == 0:
        return f"{words}, shown as whole numbers"
    return f"{words}, shown to {ind.decimals} decimal place{'s' if ind.decimals > 1 else ''}"


def definition_panel(indicator_id: str, la: str | None = None) -> html.Div:
    """What the indicator is, as a GOV.UK summary card: definition, direction, unit, target and source."""
    ind = indicators.get(indicator_id)
    rows = [
        ("What it measures", ind.definition),
        ("Which way is better", POLARITY_WORDS[ind.polarity]),
        ("Unit", unit_words(ind)),
        target_row(indicator_id, la),
        ("Source", ind.dfe_source),
    ]
    if ind.caveats:
        rows.append(("Caveats", ind.caveats))
    if ind.id in ("cpp_ended_2y_pct", "cpp_open_2y_pct"):
        rows.append(
            (
                "Not to be confused with",
                "NI64 (D7) looks at plans that ENDED in the period; D5 looks at plans "
                "still OPEN at the end of the period. They answer different questions.",
            )
        )
    return summary_card("Definition", rows, ids.IND_DEFINITION, extra_class="mt-4")


def layout(indicator_id: str, role: str = "board", search: str | None = None) -> html.Div:
    ind = indicators.get(indicator_id)
    view = indicator_view(indicator_id, parse_query(search), role)
    opts = control_options(view)
    vals = control_values(view)
    return html.Div(
        [
            dcc.Store(id={"type": ids.IND_ID, "name": "page"}, data=indicator_id),
            dcc.Store(id={"type": ids.IND_DRAWN, "name": "page"}, data=vals),
            html.H1(ind.short_title, className="h2"),
            html.P(ind.title, className="lead"),
            help_panel(),
            html.Div(
                [
                    _select("Local authority", "la", opts[0], vals[0]),
                    _select("How often", "freq", opts[1], vals[1]),
                    _select("From", "from", opts[2], vals[2]),
                    _select("To", "to", opts[3], vals[3]),
                    _select("Break down by", "by", opts[4], vals[4]),
                ],
                className="row g-3 mb-3",
                role="group",
                **{"aria-label": "Choose what to show"},
            ),
            dcc.Loading(
                html.Div(content(view), id={"type": ids.IND_CONTENT, "name": "main"}), type="default"
            ),
            definition_panel(indicator_id, view.state.la),
        ]
    )


def control_options(view) -> list[list[tuple[str, str]]]:
    period_options = [(p, p) for p in view.periods]
    return [
        [(c, f"{n} ({c})") for c, n in view.las.items()],
        list(FREQUENCIES.items()),
        period_options,
        period_options,
        [("none", "No breakdown")]
        + [(b, breakdown_choice(b, view.state.la)) for b in view.indicator.breakdowns],
    ]


def control_values(view) -> list[str | None]:
    s = view.state
    return [s.la, s.freq, s.start, s.end, s.by or "none"]


def _as_options(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"label": label, "value": v} for v, label in pairs]


def content(view) -> list:
    ind = view.indicator
    if view.message:
        return [dbc.Alert(view.message, color="info")]
    trend = trend_figure(
        view.trend, view.headline, ind.unit, ind.decimals, spc=view.spc, targets=targets_by_period(view.trend)
    )
    mark_illustrative(trend, view.trend)
    comparators = _benchmark(view)
    out = [
        html.P(
            headline_sentence(view, comparators.bench.comparison if comparators else ""),
            id=ids.IND_SUMMARY,
            className="govuk-body-l",
            **{"aria-live": "polite"},
        ),
        dbc.Alert(view.period_note, color="warning", id=ids.IND_PERIOD_NOTE) if view.period_note else None,
        dcc.Graph(id=ids.IND_TREND, figure=trend, config=GRAPH_CONFIG, style={"height": "440px"}),
        html.P(
            [html.Strong("Statistical process control: "), view.spc_text], id=ids.IND_SPC, className="mb-2"
        ),
        folded_table(
            data_table(
                f"{ind.short_title} by period (the data behind the chart above)",
                trend_headers(ind),
                view.trend_rows,
                ids.IND_TREND_TABLE,
            )
        ),
        _downloads("trend"),
    ]
    if view.breakdown is not None and view.breakdown.empty:
        label = BREAKDOWN_LABELS[view.state.by]
        out += [
            html.H2(f"By {label.lower()} ({view.breakdown_period})", className="h4 mt-4"),
            dbc.Alert(_empty_breakdown_words(view), color="info"),
        ]
    elif view.breakdown is not None:
        label = BREAKDOWN_LABELS[view.state.by]
        title = f"{ind.short_title} by {label.lower()}, {view.breakdown_period}"
        unreadable = unreadable_words(view)
        drawn, drawn_rows = compare_las(view)  # the partnership beside its members (dashboard/compare_las.py)
        chart = (
            dbc.Alert(unreadable, color="info", id=ids.IND_BREAKDOWN_NOTE)
            if unreadable
            else dcc.Graph(
                id=ids.IND_BREAKDOWN,
                config=GRAPH_CONFIG,
                figure=breakdown_figure(drawn, title, ind.unit, ind.decimals),
            )
        )
        out += [
            html.H2(f"By {label.lower()} ({view.breakdown_period})", className="h4 mt-4"),
            chart,
            data_table(
                f"{title} (the data behind the chart above)" if not unreadable else title,
                breakdown_headers(ind, view.state.by),
                drawn_rows,
                ids.IND_BREAKDOWN_TABLE,
            ),
            _downloads("breakdown"),
        ]
        if view.factor_note:
            out.append(html.P(view.factor_note, id=ids.IND_FACTOR_NOTE))
        published = published_rows(view)
        if published:
            out.append(
                data_table(
                    f"{ind.short_title}: the member LAs' published DfE figures, with England, region and "
                    "statistical neighbours"
                    + (" (the demo's own figures are synthetic, so they differ)" if is_demo() else ""),
                    PUBLISHED_HEADERS,
                    published,
                    ids.IND_COMPARE_PUBLISHED,
                )
            )
        out += [] if unreadable else _area_extras(view, title)
        if view.dispro_rows or view.dispro_note:
            out += [
                html.H3("Disproportionality: rates and rate ratios by ethnicity", className="h5 mt-4"),
                html.P(view.dispro_note, className="small"),
            ]
        if view.dispro_rows:
            out.append(
                data_table(
                    f"{ind.short_title} per 10,000 children by {BREAKDOWN_LABELS[view.state.by].lower()}, "
                    f"{view.breakdown_period}, with 95% confidence intervals",
                    [
                        "Group",
                        "Children",
                        "Rate per 10,000 (95% CI)",
                        "Rate ratio vs all other children (95% CI)",
                        "Significant?",
                    ],
                    view.dispro_rows,
                    ids.IND_DISPRO_TABLE,
                )
            )
    return out + _benchmarks(view, comparators)


MIN_SHOWN_GROUPS = 2  # fewer shown groups than this make no readable chart
MIN_FUNNEL_AREAS = 3  # a funnel plot of fewer areas compares nothing


def unreadable_words(view) -> str:
    """Why the breakdown chart (and funnel and map) are not drawn, or '' when they can be read: with
    most groups withheld for the board, a chart of the rest misleads (an axis from -1 to 1, a funnel
    of one area, a map in one colour)."""
    cells = view.breakdown
    shown = int(
        (~cells["suppressed"].astype(bool) & pd.to_numeric(cells["value"], errors="coerce").notna()).sum()
    )
    withheld = int(cells["suppressed"].astype(bool).sum())
    if shown >= MIN_SHOWN_GROUPS and shown * 3 >= len(cells):  # at least a third of the groups shown
        return ""
    words = (
        f"No chart: {withheld} of {len(cells)} groups are withheld (small numbers) in "
        f"{view.breakdown_period}, so a chart of the rest would mislead. The table below gives every group."
    )
    if view.state.freq != "year":
        year = to_query(view.state.with_(freq="year", start=None, end=None))
        return [
            words + " The yearly view usually has groups large enough to show: ",
            dcc.Link("see it by year", href=f"/indicator/{view.indicator.id}{year}", className="alert-link"),
            ".",
        ]
    return words


def _empty_breakdown_words(view) -> str:
    """Why a breakdown has no rows: no cases, or withheld as a whole for the board."""
    if view.breakdown_note:
        return view.breakdown_note
    last = view.trend.iloc[-1] if not view.trend.empty else None
    if last is not None and not last.suppressed and (pd.isna(last.numerator) or last.numerator == 0):
        return f"There were no cases in {view.breakdown_period}, so there is nothing to break down."
    return (
        f"This breakdown is withheld for {view.breakdown_period}: some of its groups are 1 to 5, and "
        "with the total shown above, showing the others would let them be worked out. A longer "
        "period (for example a year) usually has groups large enough to show."
    )


def folded_table(table) -> html.Details:
    """A long table behind GOV.UK's details pattern (a native, keyboard-accessible disclosure)."""
    return html.Details(
        [
            html.Summary(
                html.Span("Show the data table", className="govuk-details__summary-text"),
                className="govuk-details__summary",
            ),
            html.Div(table, className="govuk-details__text"),
        ],
        className="govuk-details mb-2",
    )


def _benchmark(view):
    """The published comparators of the year shown, drawn once per indicator, LA and year."""
    return drawn_benchmarks(view.indicator.id, view.state.la, view.trend["period_end"].iloc[-1])


def _benchmarks(view, drawn) -> list:
    """Published DfE comparators: England, region, statistical neighbours, rank and band."""
    ind = view.indicator
    if drawn is None:
        return []
    b = drawn.bench
    caution = (
        " The demo LA's local figures are synthetic; these are the real published figures "
        "for the LA code it borrows."
        if view.state.la == "856"
        else ""
    )
    return [
        html.H2(f"How do we compare? Published figures for {b.year}", className="h4 mt-4"),
        html.P(f"From the DfE's published statistics (year ending 31 March).{caution}", className="small"),
        data_table(
            f"{ind.short_title}: published comparators, {b.year}",
            ["Comparator", "Value"],
            b.rows,
            ids.IND_BENCHMARK_TABLE,
        ),
        dcc.Graph(id=ids.IND_BENCHMARK, config=GRAPH_CONFIG, figure=drawn.figure),
        folded_table(
            data_table(
                f"{ind.short_title}: this LA and England, published, by year (the data behind the chart)",
                b.year_headers,
                b.year_rows,
                ids.IND_BENCHMARK_YEARS_TABLE,
            )
        ),
        html.P(b.notes, className="small text-muted") if b.notes else None,
        *_england_map(drawn),
    ]


def _england_map(drawn) -> list:
    """Every LA's published value on a map of England, by quartile band, with the same as a table."""
    mv = drawn.map
    if mv is None:
        return []
    return [
        html.H3("Map of England", className="h5 mt-4"),
        html.P(
            f"Each LA shaded by its quartile band ({mv.band_words}); the chosen LA is outlined in black, "
            "its statistical neighbours in orange. The table below gives the same values.",
            className="small",
        ),
        dcc.Graph(id=ids.IND_ENGLAND_MAP, config=GRAPH_CONFIG, figure=drawn.map_figure),
        html.P(ENGLAND_ATTRIBUTION, className="text-muted small"),
        folded_table(
            data_table(
                f"{drawn.map_title} (the data behind the map)",
                ["Local authority", "Value", "Quartile band", "Chosen LA or neighbour"],
                drawn.map_rows,
                ids.IND_ENGLAND_MAP_TABLE,
            )
        ),
    ]


def _area_extras(view, title: str) -> list:
    """For the area breakdown: a funnel plot (with its flags in words) and a map where shipped."""
    ind, out = view.indicator, []
    if view.funnel_units is not None and len(view.funnel_units) < MIN_FUNNEL_AREAS:
        out.append(
            html.P(
                f"No funnel plot: only {len(view.funnel_units)} area(s) can be shown, too few to compare.",
                id=ids.IND_FUNNEL_TEXT,
            )
        )
    elif view.funnel_units is not None:
        scale = ind.per if ind.unit != "count" else 1
        outside = view.funnel_units[view.funnel_units["flag"].str.contains("99.8")]
        words = (
            f"{len(outside)} of {len(view.funnel_units)} areas shown lie outside the 99.8% "
            f"limits: {', '.join(outside['unit'])}."
            if len(outside)
            else f"All {len(view.funnel_units)} areas shown lie within the 99.8% limits."
        )
        out += [
            html.H3("Funnel plot: which areas differ by more than chance?", className="h5 mt-4"),
            html.P(words, id=ids.IND_FUNNEL_TEXT),
            dcc.Graph(
                id=ids.IND_FUNNEL,
                config=GRAPH_CONFIG,
                figure=funnel_figure(
                    view.funnel_units,
                    view.funnel_limits,
                    f"{title}: funnel plot",
                    scale,
                    Y_TITLES.get(ind.unit, "Value"),
                ),
            ),
        ]
    geo = ward_boundaries(view.state.la) if view.area_values is not None else None
    if geo is not None and len(view.area_values):
        geojson, code_property, _, caption = geo
        out += [
            html.H3("Map", className="h5 mt-4"),
            html.P(f"{caption} The table above gives the same values.", className="small"),
            dcc.Graph(
                id=ids.IND_MAP,
                config=GRAPH_CONFIG,
                figure=area_map_figure(view.area_values, geojson, code_property, f"{title}: map", ind.unit),
            ),
            html.P(ATTRIBUTION, className="text-muted small"),
        ]
    return out


def _downloads(which: str) -> html.Div:
    return html.Div(
        [
            html.Button(
                "Download CSV",
                id={"type": ids.DOWNLOAD_BUTTON, "table": which, "fmt": "csv"},
                className="govuk-button govuk-button--secondary me-2 mb-0",
            ),
            html.Button(
                "Download Excel",
                id={"type": ids.DOWNLOAD_BUTTON, "table": which, "fmt": "xlsx"},
                className="govuk-button govuk-button--secondary mb-0",
            ),
        ],
        className="mb-3",
    )


# Page-local components use pattern-matching ids, so these callbacks are inert on other pages.
CONTROL_NAMES = ("la", "freq", "from", "to", "by")
CONTROL = {"type": ids.IND_CONTROL, "name": ALL}
CONTENT = {"type": ids.IND_CONTENT, "name": ALL}
DRAWN = {"type": ids.IND_DRAWN, "name": ALL}


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Output(CONTROL, "options"),
    Output(CONTROL, "value"),
    Output(CONTENT, "children"),
    Output(DRAWN, "data"),
    Input(ids.URL, "search"),
    Input(CONTROL, "value"),
    State({"type": ids.IND_ID, "name": ALL}, "data"),
    State(DRAWN, "data"),
    prevent_initial_call=True,
)
def _update(search, values, indicator_ids, drawn):
    if not indicator_ids:  # not on an indicator page
        return no_update, [], [], [], []
    if ctx.triggered_id != ids.URL and drawn and values == drawn[0]:
        # Dash fires this when the page's controls first appear (pattern-matching inputs), but
        # the page was just drawn with exactly these choices: drawing it again would double the
        # cost of every page load.
        return unchanged_outputs()
    if ctx.triggered_id == ids.URL:
        state = parse_query(search)
    else:
        la, freq, start, end, by = values
        state = ViewState(
            la=la, freq=freq or "quarter", by=None if by in (None, "", "none") else by, start=start, end=end
        )
        if ctx.triggered_id and ctx.triggered_id.get("name") == "freq":
            state = state.with_(start=None, end=None)  # period labels differ between frequencies
    view = indicator_view(indicator_ids[0], state, session_role())
    new_search = to_query(view.state)
    return (
        new_search if new_search != search else no_update,
        [_as_options(o) for o in control_options(view)],
        control_values(view),
        [content(view)],
        [control_values(view)],
    )


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input({"type": ids.DOWNLOAD_BUTTON, "table": ALL, "fmt": ALL}, "n_clicks"),
    State(ids.URL, "search"),
    State({"type": ids.IND_ID, "name": ALL}, "data"),
    prevent_initial_call=True,
)
def _download(clicks, search, indicator_ids):
    if not ctx.triggered_id or not any(clicks):
        return no_update
    which, fmt = ctx.triggered_id["table"], ctx.triggered_id["fmt"]
    indicator_id = indicator_ids[0]
    role = session_role()
    view = indicator_view(indicator_id, parse_query(search), role)
    return download_payload(view, which, fmt, role)


def download_payload(view, which: str, fmt: str, role: str) -> dict:
    """What a download button sends: the tidy table (dashboard.downloads), named for what it holds."""
    frame = tidy_frame(view, which, role)
    name = file_name(view, which, fmt)
    if fmt == "csv":
        return dcc.send_bytes(csv_bytes(frame), name)
    return dcc.send_bytes(xlsx_bytes(frame), name)
