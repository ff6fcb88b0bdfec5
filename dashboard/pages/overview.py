"""Overview: the scorecard, one row per indicator, filterable by LA, period, agency and priority theme."""

from __future__ import annotations

from functools import lru_cache

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import indicators
from charts.palette import PRIMARY
from dashboard import ids
from dashboard.pages.indicator import dom_id, unchanged_outputs
from dashboard.scorecard_filter import agency_options, theme_options
from dashboard.session import session_role
from indicators.registry import THEMES
from indicators.selection import agency_name, known, select_indicators
from indicators.spc import variation_text
from indicators.status import latest_status, shown_spc
from viewmodels.benchmark import benchmark_view
from viewmodels.cells import RAG_WORDS, fmt
from viewmodels.indicator import trend
from viewmodels.state import FREQUENCIES, ViewState, parse_query, to_query

RAG_CLASS = {  # GOV.UK Frontend tags (their colours meet WCAG AA contrast)
    "withheld": "govuk-tag govuk-tag--grey",
    "green": "govuk-tag govuk-tag--green",
    "amber": "govuk-tag govuk-tag--yellow",
    "red": "govuk-tag govuk-tag--red",
    "none": "govuk-tag govuk-tag--grey",
}
SPARK_POINTS = 12


def scorecard_rows(state: ViewState, role: str, warehouse: str | None = None) -> tuple[ViewState, list]:
    """One row per indicator at the chosen period, with the last 12 values for a sparkline.
    Cached per warehouse file, so a new load is picked up at once."""
    version = indicators.store.warehouse_version(warehouse)
    return _scorecard_rows(version, state, role, warehouse)


@lru_cache(maxsize=256)  # about 0.3 MB each: the most recent LA x frequency x role views
def _scorecard_rows(
    version: tuple, state: ViewState, role: str, warehouse: str | None
) -> tuple[ViewState, list]:
    las = indicators.api.local_authorities(warehouse)
    la = state.la if state.la in las else (next(iter(las)) if las else None)
    agency, theme = known(state.agency, state.theme)
    state = state.with_(la=la, agency=agency, theme=theme)
    # The chosen period, or the latest: indicators whose data stops earlier say so (see _period_cell).
    labels = [p.label for p in indicators.available_periods(state.freq, la, warehouse, "cpp_at_end")]
    end = state.end if state.end in labels else (labels[-1] if labels else None)
    rows = []
    for ind in select_indicators(agency, theme):
        # The report reads the same function: the latest covered period up to the chosen one, and SPC
        # over the whole series to there, as the role may see it.
        status = latest_status(ind.id, la, state.freq, end, warehouse)
        if status.period is None:
            rows.append({"indicator": ind, "period": None})
            continue
        shown = list(status.series["period"].iloc[-SPARK_POINTS:])
        df = trend(ind.id, shown, la, role, warehouse)  # as the indicator page: every frequency at once
        last = df.iloc[-1]
        result, spc_reason = shown_spc(status, role)
        variation = result.variation_icon if result is not None else None
        assurance = result.assurance_icon if result is not None else "none"
        # DfE publishes comparators for the LA's indicators only, not for partner measures.
        bench = benchmark_view(ind.id, la, last.period_end, warehouse) if not ind.partner_measure else None
        rows.append(
            {
                "indicator": ind,
                "period": last.period,
                "stale": status.stale,
                "spc_reason": spc_reason,
                "value": fmt(ind, last.value, last.suppressed),
                "england": f"{bench.rows[1][1]} ({bench.year})" if bench else "",
                "region": bench.rows[2][1] if bench else "",
                "neighbours": bench.rows[3][1] if bench else "",
                "target": last.target,
                "rag": "withheld" if last.suppressed else last.rag,
                "spark": _sparkline(df, ind.short_title),
                "variation": variation,
                "assurance": assurance,
            }
        )
    return state, rows


VARIATION_SHORT = {
    "common_cause": ("Common cause", "bg-secondary"),
    "special_cause_improving_high": ("Improving ↑", "bg-primary"),
    "special_cause_improving_low": ("Improving ↓", "bg-primary"),
    "special_cause_concerning_high": ("Concerning ↑", "bg-warning text-dark"),
    "special_cause_concerning_low": ("Concerning ↓", "bg-warning text-dark"),
    "special_cause_neither_high": ("Special cause ↑", "bg-info text-dark"),
    "special_cause_neither_low": ("Special cause ↓", "bg-info text-dark"),
}
ASSURANCE_SHORT = {
    "consistently_passing": "Consistently passing",
    "consistently_failing": "Consistently failing",
    "hit_and_miss": "Hit and miss",
    "none": "",
}


def _sparkline(df: pd.DataFrame, title: str) -> dcc.Graph:
    """A plain-dict figure: plotly's graph objects validate every property on the way in, which
    cost half of a scorecard's build (16 sparklines) in the profile."""
    values = pd.to_numeric(df["value"], errors="coerce")
    fig = {
        "data": [
            {
                "type": "scatter",
                "x": [d.isoformat() for d in df["period_end"]],
                "y": [None if pd.isna(v) else float(v) for v in values],
                "mode": "lines",
                "line": {"color": PRIMARY, "width": 2},
                "hoverinfo": "skip",
            }
        ],
        "layout": {
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "height": 36,
            "width": 140,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "showlegend": False,
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
        },
    }
    graph = dcc.Graph(figure=fig, config={"staticPlot": True}, style={"height": "36px", "width": "140px"})
    return html.Div(graph, **{"aria-hidden": "true"})


def _variation_badge(icon: str | None, reason: str = ""):
    if icon is None:
        return html.Span("Not shown", className="text-muted", title=reason or "SPC not shown")
    words, css = VARIATION_SHORT[icon]
    return html.Span(words, className=f"badge {css}", title=variation_text(icon))


def _period_cell(r: dict):
    """The period the value is for; marked * when the loaded data stops before the chosen period."""
    if not r["stale"]:
        return r["period"]
    return html.Span(
        [
            r["period"],
            html.Span(" *", **{"aria-hidden": "true"}),
            html.Span(STALE_WORDS, className="visually-hidden"),
        ],
        title=STALE_WORDS,
    )


STALE_WORDS = "latest period covered by the loaded data, earlier than the chosen period"


def _body(asked: ViewState, state: ViewState, rows: list, search: str, warehouse: str | None = None) -> list:
    """The scorecard, after a note when the LA asked for (e.g. in the address) is not loaded."""
    out = []
    if asked.la and asked.la != state.la:
        name = indicators.api.local_authorities(warehouse).get(state.la, state.la)
        words = f"No local authority {asked.la} is loaded: showing {name} ({state.la})."
        out.append(dbc.Alert(words, color="warning"))
    return [*out, scorecard_table(rows, search)]


def scorecard_table(rows: list, search: str) -> html.Div:
    """The scorecard: one table per theme of the registry (each prints on its own page)."""
    themes: dict[str, list] = {}
    for r in rows:
        themes.setdefault(r["indicator"].theme, []).append(r)
    tables = [
        _theme_table(theme, part, search, first=n == 0)
        for n, (theme, part) in enumerate(sorted(themes.items(), key=lambda t: list(THEMES).index(t[0])))
    ]
    return html.Div(tables, id=ids.SCORECARD)


def _theme_table(theme: str, rows: list, search: str, first: bool) -> html.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in (
                    "Indicator",
                    "Period",
                    "Latest value",
                    "Target",
                    "Status against target",
                    "Variation (SPC)",
                    "Assurance (SPC)",
                    "England (published)",
                    "Region",
                    "Statistical neighbours",
                    "Last 12 periods",
                )
            ]
        )
    )
    body = (
        [] if rows else [html.Tr(html.Td("No indicators match this choice of agency and theme", colSpan=11))]
    )
    for r in rows:
        ind = r["indicator"]
        link = dcc.Link(ind.short_title, href=f"/indicator/{ind.id}{search}")
        agency = agency_name(ind)
        if agency:  # a partner measure says whose it is
            link = [link, html.Span(f" ({agency})", className="small text-muted")]
        if r["period"] is None:
            body.append(
                html.Tr(
                    [
                        html.Th(link, scope="row"),
                        html.Td("No loaded data covers this indicator at or before this period", colSpan=10),
                    ]
                )
            )
            continue
        rag = r["rag"] or "none"
        body.append(
            html.Tr(
                [
                    html.Th(link, scope="row"),
                    html.Td(_period_cell(r)),
                    html.Td(r["value"], className="fw-bold"),
                    html.Td(r["target"] or "No target"),
                    html.Td(html.Span(RAG_WORDS[rag].capitalize(), className=RAG_CLASS[rag])),
                    html.Td(_variation_badge(r["variation"], r["spc_reason"])),
                    html.Td(ASSURANCE_SHORT.get(r["assurance"], "")),
                    html.Td(r["england"]),
                    html.Td(r["region"]),
                    html.Td(r["neighbours"]),
                    html.Td(r["spark"]),
                ]
            )
        )
    caption = [html.Span(THEMES[theme], className="fw-bold scorecard-theme")]
    if first:
        caption.append(
            ": every indicator at the chosen period (click a name for its trend, breakdowns and "
            "definition); * marks the latest period covered by the loaded data, where it stops earlier"
        )
    return html.Table(
        [html.Caption(caption, className="caption-top"), head, html.Tbody(body)],
        className="table table-sm align-middle scorecard" + ("" if first else " scorecard-next"),
    )


def layout(role: str = "board", search: str | None = None) -> html.Div:
    asked = parse_query(search)
    state, rows = scorecard_rows(asked, role)
    las = indicators.api.local_authorities()
    periods = [p.label for p in indicators.available_periods(state.freq, state.la, None, "cpp_at_end")]
    drawn = [
        state.la,
        state.freq,
        state.end or (periods[-1] if periods else None),
        state.agency or "",
        state.theme or "",
    ]
    return html.Div(
        [
            dcc.Store(id={"type": ids.SC_DRAWN, "name": "page"}, data=drawn),
            html.H1("Safeguarding scorecard", className="h2"),
            html.P(_lead(role), className="lead"),
            html.Div(
                [
                    _select("Local authority", "la", [(c, f"{n} ({c})") for c, n in las.items()], state.la),
                    _select("How often", "freq", list(FREQUENCIES.items()), state.freq),
                    _select(
                        "Period",
                        "period",
                        [(p, p) for p in periods],
                        drawn[2],
                    ),
                    _select("Agency", "agency", agency_options(), state.agency or ""),
                    _select("Priority theme", "theme", theme_options(), state.theme or ""),
                ],
                className="row g-3 mb-3 d-print-none",
                role="group",
                **{"aria-label": "Choose what to show"},
            ),
            dcc.Loading(
                html.Div(
                    _body(asked, state, rows, to_query(state)),
                    id={"type": ids.SCORECARD_BODY, "name": "main"},
                )
            ),
        ]
    )


def _lead(role: str) -> str:
    if role == "analyst":
        return (
            "The latest value of every indicator against its target. You are in the analyst role: "
            "small numbers are shown unsuppressed, so do not share these figures beyond analysts."
        )
    return (
        "The latest value of every indicator against its target. Small numbers (1 to 5) are "
        "shown as c to protect children's privacy."
    )


def _select(label, name, options, value):
    control_id = {"type": ids.SC_CONTROL, "name": name}
    return html.Div(
        [
            html.Label(label, htmlFor=dom_id(control_id), className="form-label fw-bold"),
            dbc.Select(
                id=control_id, options=[{"label": lab, "value": v} for v, lab in options], value=value
            ),
        ],
        className="col-sm-4",
    )


CONTROL = {"type": ids.SC_CONTROL, "name": ALL}
DRAWN = {"type": ids.SC_DRAWN, "name": ALL}


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Output(CONTROL, "options"),
    Output(CONTROL, "value"),
    Output({"type": ids.SCORECARD_BODY, "name": ALL}, "children"),
    Output(DRAWN, "data"),
    Input(ids.URL, "search"),
    Input(CONTROL, "value"),
    State(DRAWN, "data"),
    prevent_initial_call=True,
)
def _update(search, values, drawn):
    if not values:  # not on the scorecard page
        return no_update, [], [], [], []
    if ctx.triggered_id != ids.URL and drawn and values == drawn[0]:
        # Fired because the controls just appeared; the page was drawn with these choices.
        return unchanged_outputs()
    if ctx.triggered_id == ids.URL:
        state = parse_query(search)
    else:
        la, freq, period, agency, theme = values
        changed = ctx.triggered_id.get("name") if ctx.triggered_id else None
        state = ViewState(
            la=la,
            freq=freq or "quarter",
            end=None if changed == "freq" else period,
            agency=agency or None,
            theme=theme or None,
        )
    asked = state
    state, rows = scorecard_rows(state, session_role())
    las = indicators.api.local_authorities()
    periods = [p.label for p in indicators.available_periods(state.freq, state.la, None, "cpp_at_end")]
    end = state.end if state.end in periods else (periods[-1] if periods else None)
    state = state.with_(end=end)
    new_search = to_query(state)
    options = [
        [(c, f"{n} ({c})") for c, n in las.items()],
        list(FREQUENCIES.items()),
        [(p, p) for p in periods],
        agency_options(),
        theme_options(),
    ]
    drawn = [state.la, state.freq, end, state.agency or "", state.theme or ""]
    return (
        new_search if new_search != search else no_update,
        [[{"label": lab, "value": v} for v, lab in o] for o in options],
        drawn,
        [_body(asked, state, rows, new_search)],
        [drawn],
    )


def warm_scorecards(frequencies: tuple[str, ...] = ("quarter", "year", "month")) -> None:
    """Build every LA's scorecard once (the server does this in the background at start-up)."""
    for la in indicators.api.local_authorities():
        for freq in frequencies:
            for role in ("board", "analyst"):
                scorecard_rows(ViewState(la=la, freq=freq), role)
