"""England map of published LA values by quartile band, chosen LA and neighbours outlined (offline)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from charts.palette import AF_COLOURS, NO_VALUE, PALEST_BLUE, SEQUENTIAL
from indicators import store
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
    national = _banded(store.warehouse_version(), b.indicator_id, b.time_period, b.polarity)
    if national is None:
        return None
    neighbours = set(b.neighbours["neighbour_la_code"]) if not b.neighbours.empty else set()
    rows = pd.DataFrame(
        {
            "code": national["code"],
            "name": national["name"],
            "value": national["value"],
            "shown": [shown(v) if v is not None else "no published value" for v in national["number"]],
            "band": national["band"],
            "role": [
                "chosen" if c == b.la_code else "neighbour" if c in neighbours else ""
                for c in national["old_la_code"]
            ],
        }
    )
    words = "A is the best quarter" if b.band_is_judgement else "A is the lowest quarter"
    return MapView(b.period, rows, words)


@lru_cache(maxsize=256)  # indicators x years x polarities, per warehouse file (and LA limit)
def _banded(version: tuple, indicator_id: str, time_period: int, polarity: str) -> pd.DataFrame | None:
    """Every English LA's published value and quartile band for one indicator and year, in name order:
    the same whichever LA is chosen, so banded once (each band ranks a value among all of them)."""
    from indicators import benchmarks

    values = benchmarks.published(indicator_id, period=time_period, level="Local authority")
    values = values[values["area_code"].astype(str).str.startswith("E")]
    if values["value"].notna().sum() < 4 or not ENGLAND_FILE.exists():
        return None
    numbers = [None if pd.isna(v) else float(v) for v in values["value"]]
    rows = pd.DataFrame(
        {
            "code": values["area_code"],
            "name": values["area_name"],
            "old_la_code": values["old_la_code"],
            "value": numbers,
            "number": pd.Series(numbers, dtype=object, index=values.index),  # None where not published
            "band": [benchmarks.quartile_band(v, numbers, polarity) or "" for v in numbers],
        }
    )
    return rows.sort_values("name").reset_index(drop=True)


def _rings(geometry: dict) -> tuple[list, list]:
    xs, ys = [], []
    for polygon in geometry["coordinates"]:
        ring = polygon[0]
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


@cache
def _shapes() -> list[tuple[str, str, list, list]]:
    """(code, name, xs, ys) of every LA's polygons, from the boundary file (read once)."""
    return [
        (f["properties"]["code"], f["properties"]["name"], *_rings(f["geometry"]))
        for f in england_boundaries()["features"]
    ]


def england_map_figure(view: MapView, title: str) -> dict:
    """Filled polygons on plain axes (no geo subplot, no tiles: Plotly fetches nothing)."""
    by_code = {r.code: r for r in view.rows.itertuples(index=False)}
    fills, outlines = [], []
    for code, feature_name, xs, ys in _shapes():  # xs, ys shared by every figure: never changed
        row = by_code.get(code)
        band = row.band if row is not None else ""
        name = row.name if row is not None else feature_name
        words = f"{name}: {row.shown}" if row is not None else f"{name}: no published value"
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
        role = row.role if row is not None else ""
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
