"""Pure figure builders (DataFrame -> plotly Figure), shared by the dashboard and the reports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.palette import PRIMARY

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def base_layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT, "size": 14, "color": "#1b1b1b"},
        plot_bgcolor="white", paper_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        hovermode="x unified", showlegend=True,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(showgrid=False, linecolor="#505a5f")
    fig.update_yaxes(title=y_title, gridcolor="#e5e5e5", zeroline=True, zerolinecolor="#b1b4b6",
                     rangemode="tozero")
    return fig


def trend_figure(df: pd.DataFrame, title: str, y_title: str, decimals: int = 0) -> go.Figure:
    """A line of `value` over `period_end`; periods without data are gaps, not zeros."""
    data = df.sort_values("period_end")
    fig = go.Figure(go.Scatter(
        x=data["period_end"], y=data["value"], mode="lines+markers", name=y_title,
        line={"color": PRIMARY, "width": 3}, marker={"size": 7},
        customdata=data["period"],
        hovertemplate=f"%{{customdata}}: %{{y:,.{decimals}f}}<extra></extra>",
        connectgaps=False,
    ))
    return base_layout(fig, title, y_title)
