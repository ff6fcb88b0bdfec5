"""Tests for indicators.disproportionality with hand-computed rates and rate ratios."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.disproportionality import ALL_CHILDREN, rate_ratio, rates_by_group

Z = 1.959964
SOURCE = "Census 2021, all ages (proxy for children)"


def example(reference: str | None = "WBRI") -> pd.DataFrame:
    counts = pd.DataFrame({"group": ["WBRI", "BCRB", "AIND", "NOBT", "REFU"], "count": [100, 30, 5, 10, 5]})
    population = pd.DataFrame({"group": ["WBRI", "BCRB", "AIND"], "population": [100_000, 10_000, 10_000]})
    out = rates_by_group(counts, population, reference_group=reference, denominator_source=SOURCE)
    return out.set_index("group")


def test_rates_and_intervals() -> None:
    out = example()
    assert out.loc["WBRI", "rate"] == pytest.approx(10.0)  # 100 / 100,000 x 10,000
    assert out.loc["BCRB", "rate"] == pytest.approx(30.0)
    assert out.loc["AIND", "rate"] == pytest.approx(5.0)
    # 100 events: Byar 81.362 - 121.628, per 100,000 children x 10,000.
    assert (out.loc["WBRI", "rate_low"], out.loc["WBRI", "rate_high"]) == pytest.approx(
        (8.1362, 12.1628), abs=1e-4
    )
    # 5 events: exact Poisson 1.623 - 11.668, per 10,000 children x 10,000.
    assert (out.loc["AIND", "rate_low"], out.loc["AIND", "rate_high"]) == pytest.approx(
        (1.623, 11.668), abs=1e-3
    )


def test_rate_ratio_against_all_other_children() -> None:
    out = example()
    # BCRB 30 / 10,000 against the other known children: (100 + 5) / (100,000 + 10,000).
    rr = (30 / 10_000) / (105 / 110_000)
    se = math.sqrt(1 / 30 + 1 / 105)
    assert out.loc["BCRB", "rate_ratio_all"] == pytest.approx(3.142857, abs=1e-6)
    assert out.loc["BCRB", "rate_ratio_all_low"] == pytest.approx(rr * math.exp(-Z * se))
    assert out.loc["BCRB", "rate_ratio_all_high"] == pytest.approx(rr * math.exp(Z * se))
    assert (out.loc["BCRB", "rate_ratio_all_low"], out.loc["BCRB", "rate_ratio_all_high"]) == pytest.approx(
        (2.0946, 4.7157), abs=1e-4
    )
    assert out.loc["BCRB", "significant_all"]
    # WBRI 10 per 10k against 35 / 20,000 = 17.5 per 10k: 0.571, CI 0.389 - 0.840, significantly low.
    assert out.loc["WBRI", "rate_ratio_all"] == pytest.approx(10 / 17.5)
    assert (out.loc["WBRI", "rate_ratio_all_low"], out.loc["WBRI", "rate_ratio_all_high"]) == pytest.approx(
        (0.3889, 0.8397), abs=1e-4
    )
    assert out.loc["WBRI", "significant_all"]
    # AIND 5 per 10k against 130 / 110,000: 0.423, CI 0.173 - 1.034 includes 1.
    assert out.loc["AIND", "rate_ratio_all"] == pytest.approx(0.423077, abs=1e-6)
    assert not out.loc["AIND", "significant_all"]


def test_rate_ratio_against_the_reference_group() -> None:
    out = example("WBRI")
    se = math.sqrt(1 / 30 + 1 / 100)
    assert out.loc["BCRB", "rate_ratio_ref"] == pytest.approx(3.0)
    assert (out.loc["BCRB", "rate_ratio_ref_low"], out.loc["BCRB", "rate_ratio_ref_high"]) == pytest.approx(
        (3 * math.exp(-Z * se), 3 * math.exp(Z * se))
    )
    assert out.loc["BCRB", "significant_ref"]
    assert out.loc["WBRI", "rate_ratio_ref"] == 1 and math.isnan(out.loc["WBRI", "rate_ratio_ref_low"])
    assert out.loc["WBRI", "note"] == "Reference group"
    assert math.isnan(example(None).loc["BCRB", "rate_ratio_ref"])


def test_unknown_ethnicity_rows_are_a_data_quality_share() -> None:
    out = example()
    assert out.loc["NOBT", "unknown_share"] == pytest.approx(10 / 150)
    assert out.loc["REFU", "unknown_share"] == pytest.approx(5 / 150)
    assert math.isnan(out.loc["NOBT", "rate"]) and math.isnan(out.loc["NOBT", "rate_ratio_all"])
    assert "not yet obtained" in out.loc["NOBT", "note"] and "no rate" in out.loc["NOBT", "note"]
    assert "6.7% of children counted" in out.loc["NOBT", "note"]
    assert math.isnan(out.loc["WBRI", "unknown_share"])


def test_all_children_row_and_denominator_source() -> None:
    out = example()
    assert out.index[-1] == ALL_CHILDREN
    assert out.loc[ALL_CHILDREN, "count"] == 150 and out.loc[ALL_CHILDREN, "population"] == 120_000
    assert out.loc[ALL_CHILDREN, "rate"] == pytest.approx(12.5)
    assert set(out["denominator_source"]) == {SOURCE}


def test_unknown_rows_are_always_kept_and_edge_cases() -> None:
    counts = pd.DataFrame({"group": ["WBRI", "Not known"], "count": [12, 2]})
    population = pd.DataFrame({"group": ["WBRI", "BAFR"], "population": [5000, 800]})
    out = rates_by_group(counts, population).set_index("group")
    assert {"NOBT", "REFU"} <= set(out.index) and out.loc["NOBT", "count"] == 0
    assert out.loc["BAFR", "count"] == 0 and out.loc["BAFR", "rate"] == 0
    assert "No children counted" in out.loc["BAFR", "note"]
    assert out.loc["Not known", "note"] == "No population for this group, so no rate"
    with pytest.raises(ValueError, match="reference group"):
        rates_by_group(counts, population, reference_group="NOBT")


def test_rate_ratio_function() -> None:
    ratio, low, high = rate_ratio(0, 100, 10, 100)
    assert ratio == 0 and math.isnan(low) and math.isnan(high)
