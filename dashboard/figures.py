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


def funnel_figure(units: pd.DataFrame, limits: pd.DataFrame, title: str, scale: float,
                  y_title: str) -> go.Figure:
    """Funnel plot: each unit's proportion against its denominator, with 95% and 99.8% limits
    around the overall value. Units outside the 99.8% limits are marked in orange."""
    fig = go.Figure()
    for level, dash in (("99.8", "dash"), ("95", "dot")):
        for side in ("upper", "lower"):
            fig.add_trace(go.Scatter(
                x=limits["denominator"], y=limits[f"{side}_{level}"] * scale, mode="lines",
                name=f"{level}% limits", legendgroup=level, showlegend=side == "upper",
                line={"color": "#6f777b", "dash": dash, "width": 1.5}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=limits["denominator"], y=limits["target"] * scale, mode="lines",
                             name="Overall value", line={"color": "#1b1b1b", "width": 1.5},
                             hoverinfo="skip"))
    outside = units["flag"].str.contains("99.8")
    for mask, name, colour in ((~outside, "Within 99.8% limits", PRIMARY),
                               (outside, "Outside 99.8% limits", CONCERN)):
        part = units[mask]
        fig.add_trace(go.Scatter(
            x=part["denominator"], y=part["proportion"] * scale, mode="markers", name=name,
            marker={"size": 10, "color": colour, "line": {"color": "white", "width": 1}},
            customdata=part["unit"], hovertemplate="%{customdata}: %{y:.1f} (n = %{x:,})<extra></extra>"))
    fig = base_layout(fig, title, y_title)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(title="Denominator (size of the area)", rangemode="tozero")
    return fig


def area_map_figure(values: pd.DataFrame, geojson: dict, code_property: str, title: str,
                    unit: str) -> go.Figure:
    """Choropleth of areas (no base map tiles, so it works offline); withheld areas are grey."""
    shown = values[values["value"].notna()]
    fig = go.Figure(go.Choropleth(
        geojson=geojson, featureidkey=f"properties.{code_property}",
        locations=shown["area_code"], z=pd.to_numeric(shown["value"]), text=shown["group"],
        colorscale="Cividis", marker={"line": {"color": "white", "width": 1}},
        colorbar={"title": Y_TITLES.get(unit, "Value")},
        hovertemplate="%{text}: %{z:.1f}<extra></extra>"))
    withheld = values[values["value"].isna()]
    if len(withheld):
        fig.add_trace(go.Choropleth(
            geojson=geojson, featureidkey=f"properties.{code_property}",
            locations=withheld["area_code"], z=[0] * len(withheld), text=withheld["group"],
            colorscale=[[0, "#d0d0d0"], [1, "#d0d0d0"]], showscale=False,
            hovertemplate="%{text}: withheld or no value<extra></extra>"))
    fig.update_geos(fitbounds="locations", visible=False)
    fig.update_layout(title={"text": title, "x": 0, "font": {"size": 17}}, height=520,
                      margin={"l": 0, "r": 0, "t": 50, "b": 0}, font={"family": FONT})
    return fig


def benchmark_figure(df: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Published values by year: this LA against England (distinct colours and dash styles)."""
    styles = {"This LA": (PRIMARY, "solid"), "England": (OKABE_ITO["black"], "dash")}
    fig = go.Figure()
    for name, part in df.groupby("series", sort=False):
        colour, dash = styles.get(name, (OKABE_ITO["orange"], "dot"))
        fig.add_trace(go.Scatter(x=part["period"], y=part["value"], name=name, mode="lines+markers",
                                 line={"color": colour, "dash": dash, "width": 2.5},
                                 hovertemplate=f"{name} %{{x}}: %{{y}}<extra></extra>"))
    fig = base_layout(fig, title, Y_TITLES.get(unit, "Value"))
    fig.update_xaxes(type="category", title="Year ending 31 March")
    return fig
