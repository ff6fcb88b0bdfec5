"""Overview page: children on a child protection plan over time, with the rate per 10,000."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, callback, dcc, html

import indicators
from dashboard import ids
from dashboard.figures import trend_figure
from dashboard.tables import data_table
from indicators.disclosure import display, suppress

FREQUENCIES = {"quarter": "Quarterly", "year": "Yearly (April to March)", "month": "Monthly"}


def overview_content(frequency: str, role: str) -> tuple:
    """Pure: the summary sentence, figure and table rows for one frequency and role."""
    ind = indicators.get("cpp_at_end")
    df = suppress(indicators.series("cpp_at_end", freq=frequency), role)
    df = df[df["status"] != "not covered by loaded data"]
    if df.empty:
        return "No census returns are loaded yet.", trend_figure(df, ind.title, "Children"), []
    by_period = (df.groupby(["period", "period_end"], as_index=False)
                 .agg(value=("value", lambda s: None if s.isna().any() else s.sum()),
                      suppressed=("suppressed", "any"))
                 .sort_values("period_end"))
    last = by_period.iloc[-1]
    shown = display(last["value"], 0, bool(last["suppressed"]))
    summary = (f"{shown} children were on a child protection plan at the end of {last['period']} "
               f"({last['period_end']:%d %B %Y}).")
    rows = [[r.period, f"{r.period_end:%d %b %Y}", display(r.value, 0, r.suppressed)]
            for r in by_period.itertuples()]
    fig = trend_figure(by_period.assign(value=pd.to_numeric(by_period["value"])),
                       ind.title, "Children on a plan")
    return summary, fig, rows


def layout(role: str = "board") -> html.Div:
    ind = indicators.get("cpp_at_end")
    return html.Div([
        html.H1("Children on a child protection plan", className="h2"),
        html.P(ind.definition, className="lead"),
        html.Div([
            html.Label("How often", htmlFor=ids.OVERVIEW_FREQ, className="form-label fw-bold"),
            dcc.RadioItems(
                id=ids.OVERVIEW_FREQ, value="quarter",
                options=[{"label": label, "value": v} for v, label in FREQUENCIES.items()],
                inline=True, inputClassName="form-check-input me-1",
                labelClassName="form-check-label me-3",
            ),
        ], className="mb-3"),
        html.P(id=ids.OVERVIEW_SUMMARY, className="fs-5", **{"aria-live": "polite"}),
        dcc.Graph(id=ids.OVERVIEW_TREND, config={"displaylogo": False, "responsive": True},
                  style={"height": "420px"}),
        html.Div(id=ids.OVERVIEW_TABLE),
        html.P(f"Source: {ind.dfe_source}. Counted from the loaded CIN census returns.",
               className="text-muted small"),
    ])


@callback(
    Output(ids.OVERVIEW_SUMMARY, "children"),
    Output(ids.OVERVIEW_TREND, "figure"),
    Output(ids.OVERVIEW_TABLE, "children"),
    Input(ids.OVERVIEW_FREQ, "value"),
)
def _update(frequency: str):
    from dashboard.app import session_role

    summary, fig, rows = overview_content(frequency or "quarter", session_role())
    table = data_table("Children on a plan at the end of each period (data for the chart above)",
                       ["Period", "Period end", "Children on a plan"], rows)
    return summary, fig, table
