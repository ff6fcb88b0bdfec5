"""Pure figure builders (DataFrame -> plotly Figure), shared by the dashboard and the reports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.palette import CONCERN, IMPROVING, OKABE_ITO, PRIMARY, TARGET
from indicators.disclosure import display

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
NEITHER = OKABE_ITO["reddish_purple"]
DIRECTION_COLOUR = {"improving": IMPROVING, "concerning": CONCERN, "neither": NEITHER}
Y_TITLES = {"count": "Number", "percent": "Percentage", "rate_per_10k": "Rate per 10,000",
            "rate_per_100k": "Rate per 100,000", "days": "Days"}


def base_layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT, "size": 14, "color": "#1b1b1b"},
        plot_bgcolor="white", paper_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        hovermode="x unified", showlegend=True,
        legend={"orientation": "h", "y": -0.18},
    )
    fig.update_xaxes(showgrid=False, linecolor="#505a5f")
    fig.update_yaxes(title=y_title, gridcolor="#e5e5e5", zeroline=True, zerolinecolor="#b1b4b6",
                     rangemode="tozero")
    return fig


def trend_figure(df: pd.DataFrame, title: str, unit: str = "count", decimals: int = 0,
                 target: tuple[float, float] | float | None = None,
                 spc: pd.DataFrame | None = None) -> go.Figure:
    """Value over period end; gaps (not zeros) where there is no value. Optional target line or
    band and SPC mean, process limits and special-cause points (MDC colours: blue improving,
    orange concerning, purple neither)."""
    data = df.sort_values("period_end")
    y = pd.to_numeric(data["value"], errors="coerce")
    fig = go.Figure()
    if spc is not None and not spc.empty:
        for col, name, dash in (("upper", "Upper process limit", "dash"),
                                ("mean", "Mean", "solid"), ("lower", "Lower process limit", "dash")):
            fig.add_trace(go.Scatter(x=data["period_end"], y=spc[col], mode="lines", name=name,
                                     line={"color": "#6f777b", "width": 1.5, "dash": dash},
                                     hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=data["period_end"], y=y, mode="lines+markers", name=Y_TITLES.get(unit, "Value"),
        line={"color": PRIMARY, "width": 3}, marker={"size": 7}, customdata=data["period"],
        hovertemplate=f"%{{customdata}}: %{{y:,.{decimals}f}}<extra></extra>", connectgaps=False))
    if spc is not None and not spc.empty and "special" in spc:
        for direction, colour in DIRECTION_COLOUR.items():
            mask = spc["special"].astype(bool).to_numpy() & (spc["direction"] == direction).to_numpy()
            if mask.any():
                fig.add_trace(go.Scatter(
                    x=data["period_end"][mask], y=y[mask], mode="markers",
                    name=f"Special cause ({direction})",
                    marker={"size": 12, "color": colour, "symbol": "circle-open", "line": {"width": 3}},
                    hoverinfo="skip"))
    if spc is not None and "annotation" in spc:
        for when, text in zip(data["period_end"], spc["annotation"].fillna(""), strict=True):
            if text:
                fig.add_vline(x=when, line={"color": "#505a5f", "width": 1, "dash": "dot"})
                fig.add_annotation(x=when, y=1, yref="paper", text=text, showarrow=False,
                                   xanchor="left", yanchor="bottom", font={"size": 12},
                                   bgcolor="rgba(255,255,255,0.85)")
    if isinstance(target, tuple):
        fig.add_hrect(y0=target[0], y1=target[1], fillcolor=TARGET, opacity=0.15, line_width=0)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="Target band",
                                 marker={"color": TARGET, "symbol": "square", "size": 12}))
    elif target is not None:
        fig.add_trace(go.Scatter(x=[data["period_end"].min(), data["period_end"].max()],
                                 y=[target, target], mode="lines", name="Target",
                                 line={"color": TARGET, "width": 2, "dash": "dot"}, hoverinfo="skip"))
    return base_layout(fig, title, Y_TITLES.get(unit, "Value"))


def breakdown_figure(df: pd.DataFrame, title: str, unit: str = "count", decimals: int = 0) -> go.Figure:
    """Horizontal bars by group; suppressed groups are labelled 'c' instead of drawn."""
    data = df.iloc[::-1]
    values = pd.to_numeric(data["value"], errors="coerce")
    shown = [display(v, decimals, s, unit) for v, s in zip(data["value"], data["suppressed"], strict=True)]
    fig = go.Figure(go.Bar(
        x=values.fillna(0), y=data["group"], orientation="h", marker={"color": PRIMARY},
        text=["c" if s else "" for s in data["suppressed"]], textposition="outside",
        customdata=shown, name=Y_TITLES.get(unit, "Value"),
        hovertemplate="%{y}: %{customdata}<extra></extra>"))
    fig = base_layout(fig, title, "")
    fig.update_layout(showlegend=False, hovermode="closest",
                      height=max(300, 60 + 32 * len(data)))
    fig.update_xaxes(title=Y_TITLES.get(unit, "Value"), gridcolor="#e5e5e5")
    fig.update_yaxes(title=None, automargin=True)
    return fig
