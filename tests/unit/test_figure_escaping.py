"""Labels and hover text from data reach Plotly as literal text (issue 26, item 5): a ward name
such as <a href=...> in an uploaded area lookup must not become a live link or bold text."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from charts.area_map import area_map_figure
from charts.figures import benchmark_figure, breakdown_figure, funnel_figure, trend_figure
from charts.layout import safe_text

HOSTILE = ['<a href="https://evil.test/">North</a>', "<b>South</b>", "East & West %{y}"]
ESCAPED = [
    '&lt;a href="https://evil.test/"&gt;North&lt;/a&gt;',
    "&lt;b&gt;South&lt;/b&gt;",
    "East &amp; West %{y}",
]


def _labels(fig) -> str:
    """Every string a figure carries, as JSON (tags would appear here as '<a' or '<b>')."""
    data = fig if isinstance(fig, dict) else fig.to_plotly_json()
    return json.dumps(data, default=str)


def _no_live_tags(text: str) -> None:
    for tag in ("<a ", "<a>", "<b>", "</a>", "</b>"):
        assert tag not in text, tag


def test_safe_text_escapes_tags_and_template_fields() -> None:
    assert [safe_text(t) for t in HOSTILE] == ESCAPED
    assert safe_text("King's Lynn") == "King's Lynn"  # plain names are unchanged
    assert safe_text("50% %{y}", template=True) == "50&#37; &#37;{y}"


def test_breakdown_axis_labels_are_escaped() -> None:
    df = pd.DataFrame({"group": HOSTILE, "value": [10, 20, 30], "suppressed": [False] * 3})
    fig = breakdown_figure(df, "By area")
    assert list(fig.data[0].y) == ESCAPED[::-1]
    _no_live_tags(_labels(fig).replace("<extra></extra>", ""))


def test_funnel_hover_names_are_escaped() -> None:
    units = pd.DataFrame(
        {"unit": HOSTILE, "denominator": [100, 200, 300], "proportion": [0.1, 0.2, 0.3], "flag": [""] * 3}
    )
    limits = pd.DataFrame(
        {
            "denominator": [100, 300],
            "target": [0.2, 0.2],
            **{f"{side}_{lvl}": [0.3, 0.25] for side in ("upper", "lower") for lvl in ("95", "99.8")},
        }
    )
    fig = funnel_figure(units, limits, "Funnel", 100, "%")
    assert sorted(c for t in fig.data if t.customdata is not None for c in t.customdata) == sorted(ESCAPED)
    _no_live_tags(_labels(fig).replace("<extra></extra>", ""))


def test_map_hover_text_and_names_are_escaped() -> None:
    square = [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]
    geojson = {
        "features": [
            {"properties": {"code": f"E0{i}"}, "geometry": {"type": "Polygon", "coordinates": square}}
            for i in range(3)
        ]
    }
    values = pd.DataFrame({"area_code": ["E00", "E01", "E02"], "group": HOSTILE, "value": [1.0, 2.0, None]})
    fig = area_map_figure(values, geojson, "code", "Map", "count")
    _no_live_tags(_labels(fig))
    key = {"Withheld (small numbers) or no value"}  # the map's key for withheld areas (not from data)
    assert {t["name"] for t in fig["data"] if "name" in t} - key == set(ESCAPED)


@pytest.mark.parametrize("name", HOSTILE)
def test_benchmark_series_names_are_escaped_in_legend_and_hover(name: str) -> None:
    df = pd.DataFrame({"series": [name, name], "period": ["2023", "2024"], "value": [1.0, 2.0]})
    fig = benchmark_figure(df, "Benchmarks", "count")
    _no_live_tags(_labels(fig).replace("<extra></extra>", ""))
    assert "%{y}<extra>" in fig.data[0].hovertemplate
    assert fig.data[0].hovertemplate.count("%{") == 2  # only x and y: the name adds no field


def test_trend_annotations_are_escaped() -> None:
    df = pd.DataFrame({"period_end": pd.to_datetime(["2024-03-31"]), "period": ["2023-24"], "value": [5]})
    spc = pd.DataFrame(
        {
            "upper": [6.0],
            "mean": [5.0],
            "lower": [4.0],
            "special": [False],
            "direction": [""],
            "annotation": [HOSTILE[0]],
        }
    )
    fig = trend_figure(df, "Trend", spc=spc)
    _no_live_tags(_labels(fig).replace("<extra></extra>", ""))
