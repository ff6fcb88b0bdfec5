"""The England map on the indicator page (dashboard/england_map.py): every LA's quartile band is worked
out once per indicator and year, and each LA's map outlines that LA and its own neighbours."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from dashboard import england_map
from indicators import benchmarks, store

PUBLISHED = pd.DataFrame(
    {
        "area_code": ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "W06000001"],
        "area_name": ["Hartlepool", "Middlesbrough", "Redcar", "Stockton", "Darlington", "Anglesey"],
        "old_la_code": ["805", "806", "807", "808", "809", "900"],
        "value": [10.0, 20.0, None, 40.0, 50.0, 60.0],
    }
)


def _benchmark(la: str, neighbours: list[str]):
    return SimpleNamespace(
        indicator_id="cpp_repeat_pct",
        time_period=2025,
        period="2024-25",
        polarity="lower_better",
        band_is_judgement=True,
        la_code=la,
        neighbours=pd.DataFrame({"neighbour_la_code": neighbours}),
    )


def test_bands_are_worked_out_once_per_year_and_each_map_outlines_its_own_la(monkeypatch):
    asked = []

    def published(indicator_id=None, la=None, period=None, level=None, mapped_only=False, warehouse=None):
        asked.append((indicator_id, period, level))
        return PUBLISHED

    monkeypatch.setattr(benchmarks, "published", published)
    monkeypatch.setattr(store, "warehouse_version", lambda path=None: ("test warehouse", 1, 1, None))
    england_map._banded.cache_clear()
    try:
        one = england_map.map_view(_benchmark("805", ["806"]), lambda v: f"{v:.1f}%")
        two = england_map.map_view(_benchmark("808", ["805", "809"]), lambda v: f"{v:.1f}%")
    finally:
        england_map._banded.cache_clear()
    assert asked == [("cpp_repeat_pct", 2025, "Local authority")]  # the second LA reused the bands
    # England only, in name order; a missing value is said, not shown as a number
    assert list(one.rows["name"]) == ["Darlington", "Hartlepool", "Middlesbrough", "Redcar", "Stockton"]
    assert list(one.rows["shown"]) == ["50.0%", "10.0%", "20.0%", "no published value", "40.0%"]
    # lower is better: the lowest quarter is A, whichever LA is chosen
    assert list(one.rows["band"]) == list(two.rows["band"]) == ["D", "A", "B", "", "C"]
    assert dict(zip(one.rows["name"], one.rows["role"], strict=True)) == {
        "Darlington": "",
        "Hartlepool": "chosen",
        "Middlesbrough": "neighbour",
        "Redcar": "",
        "Stockton": "",
    }
    assert dict(zip(two.rows["name"], two.rows["role"], strict=True)) == {
        "Darlington": "neighbour",
        "Hartlepool": "neighbour",
        "Middlesbrough": "",
        "Redcar": "",
        "Stockton": "chosen",
    }
