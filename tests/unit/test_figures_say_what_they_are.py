"""Pure figure builders say what they show (issue #23): ordered year axes, targets as they were."""

from __future__ import annotations

import pandas as pd

from charts.figures import benchmark_figure


def test_comparison_chart_years_run_in_order_when_the_la_misses_some():
    # The LA has no published value for 2018-19 and 2019-20; England has every year.
    rows = [
        ("2016-17", 2017, "This LA", 5.0),
        ("2017-18", 2018, "This LA", 4.0),
        ("2020-21", 2021, "This LA", 3.0),
    ]
    rows += [(f"{y - 1}-{str(y)[2:]}", y, "England", 3.5) for y in range(2017, 2022)]
    df = pd.DataFrame(rows, columns=["period", "time_period", "series", "value"]).sort_values("time_period")
    fig = benchmark_figure(df, "NI64", "percent")
    years = ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21"]
    assert list(fig.layout.xaxis.categoryarray) == years and fig.layout.xaxis.categoryorder == "array"
    la, england = fig.data
    assert list(england.x) == years and list(la.x) == years
    assert list(la.y) == [5.0, 4.0, None, None, 3.0]  # gaps where the LA has no value, not moved to the end


def test_past_periods_are_drawn_against_the_target_then_in_force():
    from datetime import date

    from charts.figures import trend_figure

    quarters = [(date(2019, 7, 1), date(2019, 9, 30)), (date(2019, 10, 1), date(2019, 12, 31))]
    quarters += [(date(2020, 1, 1), date(2020, 3, 31)), (date(2020, 4, 1), date(2020, 6, 30))]
    df = pd.DataFrame(
        {
            "period": ["2019-20-Q2", "2019-20-Q3", "2019-20-Q4", "2020-21-Q1"],
            "period_start": [s for s, _ in quarters],
            "period_end": [e for _, e in quarters],
            "value": [14.0, 16.0, 13.0, 12.0],
        }
    )
    fig = trend_figure(df, "NI65", "percent", 1, targets=[(12, 18), (12, 18), (12, 18), (10, 15)])
    bands = [(s.x0, s.x1, s.y0, s.y1) for s in fig.layout.shapes if s.type == "rect"]
    assert bands == [
        (date(2019, 7, 1), date(2020, 3, 31), 12, 18),
        (date(2020, 4, 1), date(2020, 6, 30), 10, 15),
    ]
    assert all(s.xref == "x" for s in fig.layout.shapes if s.type == "rect")  # not the whole width
    fig = trend_figure(df, "NI64", "percent", 1, targets=[None, 5.0, 3.0, 3.0])
    lines = [(list(t.x), list(t.y)) for t in fig.data if t.name == "Target"]
    assert lines == [
        ([date(2019, 10, 1), date(2019, 12, 31)], [5.0, 5.0]),
        ([date(2020, 1, 1), date(2020, 6, 30)], [3.0, 3.0]),
    ]


def test_map_has_a_key_for_withheld_areas():
    from charts.area_map import area_map_figure

    square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"code": c}, "geometry": {"type": "Polygon", "coordinates": square}} for c in "AB"
        ],
    }
    values = pd.DataFrame({"area_code": ["A", "B"], "group": ["Ward A", "Ward B"], "value": [12.5, None]})
    fig = area_map_figure(values, geo, "code", "Map", "rate_per_10k")
    keys = [t for t in fig["data"] if t.get("showlegend")]
    assert [t["name"] for t in keys] == ["Withheld (small numbers) or no value"]
    assert fig["layout"]["showlegend"] is True
