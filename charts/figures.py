"""Pure figure builders (DataFrame -> plotly Figure), shared by the dashboard and the reports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.layout import DIRECTION_COLOUR, Y_TITLES, _figure, _layout, _list, safe_text
from charts.palette import COMPARATOR, CONCERN, ENGLAND, PRIMARY, TARGET
from indicators.disclosure import display


def trend_figure(
    df: pd.DataFrame,
    title: str,
    unit: str = "count",
    decimals: int = 0,
    target: tuple[float, float] | float | None = None,
    spc: pd.DataFrame | None = None,
    targets: list | None = None,
) -> go.Figure:
    """Value over period end; gaps (not zeros) where there is no value. Optional target line or
    band and SPC mean, process limits and special-cause points (MDC colours: blue improving,
    orange concerning, purple neither). `targets` (one per row of `df`, in its order) draws each
    period against the target in force then; `target` draws one target across the whole chart."""
    if targets is not None:
        df = df.assign(_target=pd.Series(targets, index=df.index, dtype=object))
    data = df.sort_values("period_end")
    x = list(data["period_end"])
    y = _list(pd.to_numeric(data["value"], errors="coerce"))
    traces, shapes, notes = [], [], []
    if spc is not None and not spc.empty:
        for col, name, dash in (
            ("upper", "Upper process limit", "dash"),
            ("mean", "Mean", "solid"),
            ("lower", "Lower process limit", "dash"),
        ):
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": _list(spc[col]),
                    "mode": "lines",
                    "name": name,
                    "hoverinfo": "skip",
                    "line": {"color": "#6f777b", "width": 1.5, "dash": dash},
                }
            )
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": y,
            "mode": "lines+markers",
            "name": Y_TITLES.get(unit, "Value"),
            "line": {"color": PRIMARY, "width": 3},
            "marker": {"size": 7},
            "customdata": list(data["period"]),
            "connectgaps": False,
            "hovertemplate": f"%{{customdata}}: %{{y:,.{decimals}f}}<extra></extra>",
        }
    )
    if spc is not None and not spc.empty and "special" in spc:
        special = spc["special"].fillna(False).astype(bool).to_numpy()
        for direction, colour in DIRECTION_COLOUR.items():
            mask = special & (spc["direction"] == direction).to_numpy()
            if mask.any():
                traces.append(
                    {
                        "type": "scatter",
                        "mode": "markers",
                        "x": [v for v, m in zip(x, mask, strict=True) if m],
                        "y": [v for v, m in zip(y, mask, strict=True) if m],
                        "name": f"Special cause ({direction})",
                        "hoverinfo": "skip",
                        "marker": {
                            "size": 12,
                            "color": colour,
                            "symbol": "circle-open",
                            "line": {"width": 3},
                        },
                    }
                )
        if "annotation" in spc:
            for when, text in zip(x, spc["annotation"].fillna(""), strict=True):
                if text:
                    shapes.append(
                        {
                            "type": "line",
                            "x0": when,
                            "x1": when,
                            "yref": "paper",
                            "y0": 0,
                            "y1": 1,
                            "line": {"color": "#505a5f", "width": 1, "dash": "dot"},
                        }
                    )
                    notes.append(
                        {
                            "x": when,
                            "y": 1,
                            "yref": "paper",
                            "text": safe_text(text),
                            "showarrow": False,
                            "xanchor": "left",
                            "yanchor": "bottom",
                            "font": {"size": 12},
                            "bgcolor": "rgba(255,255,255,0.85)",
                        }
                    )
    if targets is not None:
        _target_history(data, shapes, traces)
    elif isinstance(target, tuple):
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": target[0],
                "y1": target[1],
                "fillcolor": TARGET,
                "opacity": 0.15,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": "Target band",
                "marker": {"color": TARGET, "symbol": "square", "size": 12},
            }
        )
    elif target is not None and x:
        traces.append(
            {
                "type": "scatter",
                "x": [min(x), max(x)],
                "y": [target, target],
                "mode": "lines",
                "name": "Target",
                "hoverinfo": "skip",
                "line": {"color": TARGET, "width": 2, "dash": "dot"},
            }
        )
    return _figure(traces, _layout(title, Y_TITLES.get(unit, "Value"), shapes=shapes, annotations=notes))


def _target_history(data: pd.DataFrame, shapes: list, traces: list) -> None:
    """Each run of periods with the same target, drawn from the first period's start to the last
    period's end: a shaded band, or a dotted line for a single value."""
    runs: list[list] = []  # [target, start, end]
    for t, start, end in zip(data["_target"], data["period_start"], data["period_end"], strict=True):
        if runs and runs[-1][0] == t:
            runs[-1][2] = end
        else:
            runs.append([t, start, end])
    band_shown = line_shown = False
    for t, start, end in runs:
        if isinstance(t, tuple):
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "x0": start,
                    "x1": end,
                    "y0": t[0],
                    "y1": t[1],
                    "fillcolor": TARGET,
                    "opacity": 0.15,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
            band_shown = True
        elif t is not None:
            traces.append(
                {
                    "type": "scatter",
                    "x": [start, end],
                    "y": [t, t],
                    "mode": "lines",
                    "name": "Target",
                    "legendgroup": "target",
                    "showlegend": not line_shown,
                    "hoverinfo": "skip",
                    "line": {"color": TARGET, "width": 2, "dash": "dot"},
                }
            )
            line_shown = True
    if band_shown:
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": "Target band (as in force each period)",
                "marker": {"color": TARGET, "symbol": "square", "size": 12},
            }
        )


def breakdown_figure(df: pd.DataFrame, title: str, unit: str = "count", decimals: int = 0) -> go.Figure:
    """Horizontal bars by group; suppressed groups are labelled 'c' instead of drawn."""
    data = df.iloc[::-1]
    values = pd.to_numeric(data["value"], errors="coerce")
    shown = [display(v, decimals, s, unit) for v, s in zip(data["value"], data["suppressed"], strict=True)]
    trace = {
        "type": "bar",
        "x": list(values.fillna(0)),
        "y": [safe_text(g) for g in data["group"]],  # ward names come from an uploaded lookup
        "orientation": "h",
        "marker": {"color": PRIMARY},
        "text": ["c" if s else "" for s in data["suppressed"]],
        "textposition": "outside",
        "customdata": shown,
        "name": Y_TITLES.get(unit, "Value"),
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
    layout = _layout(
        title,
        "",
        showlegend=False,
        hovermode="closest",
        height=max(300, 60 + 32 * len(data)),
        xaxis={"title": {"text": Y_TITLES.get(unit, "Value")}, "gridcolor": "#e5e5e5"},
        yaxis={"title": {"text": ""}, "automargin": True},
    )
    return _figure([trace], layout)


def funnel_figure(
    units: pd.DataFrame, limits: pd.DataFrame, title: str, scale: float, y_title: str
) -> go.Figure:
    """Funnel plot: each unit's proportion against its denominator, with 95% and 99.8% limits
    around the overall value. Units outside the 99.8% limits are marked in orange."""
    n = list(limits["denominator"])
    traces = []
    for level, dash in (("99.8", "dash"), ("95", "dot")):
        for side in ("upper", "lower"):
            traces.append(
                {
                    "type": "scatter",
                    "x": n,
                    "y": list(limits[f"{side}_{level}"] * scale),
                    "mode": "lines",
                    "name": f"{level}% limits",
                    "legendgroup": level,
                    "showlegend": side == "upper",
                    "hoverinfo": "skip",
                    "line": {"color": "#6f777b", "dash": dash, "width": 1.5},
                }
            )
    traces.append(
        {
            "type": "scatter",
            "x": n,
            "y": list(limits["target"] * scale),
            "mode": "lines",
            "name": "Overall value",
            "hoverinfo": "skip",
            "line": {"color": "#1b1b1b", "width": 1.5},
        }
    )
    outside = units["flag"].str.contains("99.8")
    for mask, name, colour in (
        (~outside, "Within 99.8% limits", PRIMARY),
        (outside, "Outside 99.8% limits", CONCERN),
    ):
        part = units[mask]
        traces.append(
            {
                "type": "scatter",
                "x": list(part["denominator"]),
                "y": list(part["proportion"] * scale),
                "mode": "markers",
                "name": name,
                "marker": {"size": 10, "color": colour, "line": {"color": "white", "width": 1}},
                "customdata": [safe_text(u) for u in part["unit"]],
                "hovertemplate": "%{customdata}: %{y:.1f} (n = %{x:,})<extra></extra>",
            }
        )
    layout = _layout(
        title,
        y_title,
        hovermode="closest",
        xaxis={"title": {"text": "Denominator (size of the area)"}, "rangemode": "tozero"},
    )
    return _figure(traces, layout)


def benchmark_figure(df: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Published values by year: this LA against England (distinct colours and dash styles). Every series
    is drawn on one ordered list of years, with a gap where a series has no value: a category axis would
    otherwise order the years as they first appear, pushing years the LA lacks to the end."""
    styles = {"This LA": (PRIMARY, "solid"), "England": (ENGLAND, "dash")}
    order = "time_period" if "time_period" in df else "period"
    years = list(df.sort_values(order).drop_duplicates("period")["period"])
    traces = []
    for name, part in df.groupby("series", sort=False):
        colour, dash = styles.get(name, (COMPARATOR, "dot"))
        value_of = dict(zip(part["period"], part["value"], strict=True))
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": [value_of.get(y) for y in years],
                "name": safe_text(name),
                "mode": "lines+markers",
                "connectgaps": False,
                "line": {"color": colour, "dash": dash, "width": 2.5},
                "hovertemplate": f"{safe_text(name, template=True)} %{{x}}: %{{y}}<extra></extra>",
            }
        )
    layout = _layout(
        title,
        Y_TITLES.get(unit, "Value"),
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": years,
            "title": {"text": "Year ending 31 March"},
        },
    )
    return _figure(traces, layout)
