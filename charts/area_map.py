"""The area map: areas drawn as filled polygons on plain axes, with no base map fetched from anywhere."""

from __future__ import annotations

import math

import pandas as pd

from charts.layout import FONT, Y_TITLES, safe_text
from charts.palette import NO_VALUE, SEQUENTIAL

# The Analysis Function's sequential blues as one scale: light for the lowest value, dark for the highest.
VALUE_SCALE = [[0.0, SEQUENTIAL[2]], [0.5, SEQUENTIAL[1]], [1.0, SEQUENTIAL[0]]]


def area_map_figure(values: pd.DataFrame, geojson: dict, code_property: str, title: str, unit: str) -> dict:
    """Areas drawn as filled polygons on plain axes (longitude, latitude): no geo subplot, so
    Plotly fetches no world base map (it would from cdn.plot.ly, which the CSP and offline
    machines block). Filled by value on the sequential blues; withheld areas grey. Holes in areas are
    not drawn."""
    from plotly.colors import sample_colorscale

    value_of = dict(zip(values["area_code"], pd.to_numeric(values["value"], errors="coerce"), strict=True))
    name_of = dict(zip(values["area_code"], map(safe_text, values["group"]), strict=True))
    known = [v for v in value_of.values() if pd.notna(v)]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or 1.0
    traces, lats = [], []
    for feature in geojson.get("features", []):
        code = feature["properties"].get(code_property)
        if code not in value_of:
            continue
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        xs, ys = [], []
        for polygon in polygons:
            ring = polygon[0]  # the outer ring
            xs += [pt[0] for pt in ring] + [None]
            ys += [pt[1] for pt in ring] + [None]
        lats += [y for y in ys if y is not None]
        value = value_of[code]
        withheld = pd.isna(value)
        colour = NO_VALUE if withheld else sample_colorscale(VALUE_SCALE, [(value - low) / span])[0]
        words = "withheld or no value" if withheld else f"{value:.1f}"
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": colour,
                "line": {"color": "white", "width": 1},
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": f"{name_of[code]}: {words}",
                "name": name_of[code],
                "showlegend": False,
            }
        )
    # An invisible marker carries the colour bar.
    traces.append(
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "hoverinfo": "skip",
            "showlegend": False,
            "marker": {
                "colorscale": VALUE_SCALE,
                "cmin": low,
                "cmax": high,
                "color": [low],
                "showscale": bool(known),
                "colorbar": {"title": {"text": Y_TITLES.get(unit, "Value")}},
            },
        }
    )
    if any(pd.isna(v) for v in value_of.values()):  # a key for the grey areas
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": "Withheld (small numbers) or no value",
                "marker": {"color": NO_VALUE, "symbol": "square", "size": 12},
                "showlegend": True,
            }
        )
    mid_lat = (min(lats) + max(lats)) / 2 if lats else 52.0
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    return {
        "data": traces,
        "layout": {
            "title": {"text": title, "x": 0, "font": {"size": 17}},
            "height": 520,
            "margin": {"l": 0, "r": 0, "t": 50, "b": 0},
            "font": {"family": FONT},
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "xaxis": hidden,
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.02},
            # A degree of longitude is cos(latitude) of a degree of latitude on the ground.
            "yaxis": {**hidden, "scaleanchor": "x", "scaleratio": 1 / math.cos(math.radians(mid_lat))},
        },
    }
