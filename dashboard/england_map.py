"""England map of published LA values by quartile band, chosen LA and neighbours outlined (offline)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pandas as pd

from charts.palette import AF_COLOURS, NO_VALUE, PALEST_BLUE, SEQUENTIAL
from vocabulary.reference import reference_file

# made by pipelines/simplify_boundaries.py
ENGLAND_FILE = reference_file("boundaries/england_las_2023.geojson")
ENGLAND_ATTRIBUTION = (
    "Boundaries: Counties and Unitary Authorities (December 2023), super-generalised. Source: Office for "
    "National Statistics licensed under the Open Government Licence v.3.0. Contains OS data © Crown "
    "copyright and database right 2023."
)
# Analysis Function sequential blues (dark = band A, then a paler tint for D); grey for no published value.
BAND_COLOURS = dict(zip("ABCD", [*SEQUENTIAL, PALEST_BLUE], strict=True))
# Outlines: black for the chosen LA, Analysis Function orange for its statistical neighbours.
CHOSEN, NEIGHBOUR = "#000000", AF_COLOURS["orange"]
LAT_ASPECT = 1.64  # 1 / cos(52.5 degrees): keeps England's shape on plain axes


@cache
def england_boundaries() -> dict:
    return json.loads(ENGLAND_FILE.read_text(encoding="utf-8"))


@dataclass
class MapView:
    year: str
    rows: pd.DataFrame  # code, name, value, shown, band, role ("chosen", "neighbour", "")
    band_words: str  # what A means


def map_view(b, shown) -> MapView | None:
    """Every LA's published value for the benchmark's year, with its quartile band. `b` is an
    indicators.benchmarks.Benchmark; `shown(value)` formats a value. None when nothing can be drawn."""
    from indicators import benchmarks

    values = benchmarks.published(b.indicator_id, period=b.time_period, level="Local authority")
    values = values[values["area_code"].astype(str).str.startswith("E")]
    if values["value"].notna().sum() < 4 or not ENGLAND_FILE.exists():
        return None
    numbers = [None if pd.isna(v) else float(v) for v in values["value"]]
    neighbours = set(b.neighbours["neighbour_la_code"]) if not b.neighbours.empty else set()
    rows = pd.DataFrame(
        {
            "code": values["area_code"],
            "name": values["area_name"],
            "value": numbers,
            "shown": [shown(v) if v is not None else "no published value" for v in numbers],
            "band": [benchmarks.quartile_band(v, numbers, b.polarity) or "" for v in numbers],
            "role": [
                "chosen" if c == b.la_code else "neighbour" if c in neighbours else ""
                for c in values["old_la_code"]
            ],
        }
    ).sort_values("name")
    words = "A is the best quarter" if b.band_is_judgement else "A is the lowest quarter"
    return MapView(b.period, rows.reset_index(drop=True), words)


def _rings(geometry: dict) -> tuple[list, list]:
    xs, ys = [], []
    for polygon in geometry["coordinates"]:
        ring = polygon[0]
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def england_map_figure(view: MapView, title: str) -> dict:
    """Filled polygons on plain axes (no geo subplot, no tiles: Plotly fetches nothing)."""
    by_code = view.rows.set_index("code")
    fills, outlines = [], []
    for feature in england_boundaries()["features"]:
        code = feature["properties"]["code"]
        xs, ys = _rings(feature["geometry"])
        row = by_code.loc[code] if code in by_code.index else None
        band = row["band"] if row is not None else ""
        name = row["name"] if row is not None else feature["properties"]["name"]
        words = f"{name}: {row['shown']}" if row is not None else f"{name}: no published value"
        fills.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": BAND_COLOURS.get(band, NO_VALUE),
                "line": {"color": "white", "width": 0.5},
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": words + (f" (band {band})" if band else ""),
                "showlegend": False,
            }
        )
        role = row["role"] if row is not None else ""
        if role:
            outlines.append(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": ys,
                    "mode": "lines",
                    "line": {
                        "color": CHOSEN if role == "chosen" else NEIGHBOUR,
                        "width": 3 if role == "chosen" else 2,
                    },
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
    key = [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": f"Band {band}",
            "marker": {"color": colour, "symbol": "square", "size": 12},
        }
        for band, colour in BAND_COLOURS.items()
    ]
    key += [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "lines",
            "name": name,
            "line": {"color": colour, "width": 3},
        }
        for name, colour in (("Chosen LA", CHOSEN), ("Statistical neighbours", NEIGHBOUR))
    ]
    axis = {"visible": False, "fixedrange": True}
    return {
        "data": fills + outlines + key,
        "layout": {
            "title": {"text": title, "font": {"size": 16}},
            "xaxis": axis,
            "yaxis": {**axis, "scaleanchor": "x", "scaleratio": LAT_ASPECT},
            "height": 620,
            "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
            "legend": {"title": {"text": f"Quartile band ({view.band_words})"}},
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "font": {"family": "arial, sans-serif", "color": "#0b0c0c"},
        },
    }


def map_rows(view: MapView) -> list[list[str]]:
    """The map as a table: every LA, its value and band, the chosen LA and neighbours marked."""
    marks = {"chosen": "Chosen LA", "neighbour": "Statistical neighbour", "": ""}
    return [[r.name, r.shown, r.band or "none", marks[r.role]] for r in view.rows.itertuples()]
