"""Partner measures through the indicator engine, against hand-worked values: a year sums its quarters'
numerators and denominators (never an average of percentages), a measure taken at the period end takes
the year's last quarter, a monthly measure's quarter sums its months, a quarterly measure is not offered
by month, and RAG uses the targets file."""

from __future__ import annotations

import pytest

import indicators
from pipelines.load import ingest

QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]
# police_strategy_attend_pct (percent, summed): numerator, denominator per quarter
STRATEGY = [(90, 100), (45, 50), (100, 100), (190, 250)]
# police_l3_training_pct (percent, at the period end): numerator, denominator per quarter
TRAINING = [(500, 600), (520, 600), (540, 600), (450, 600)]
MISSING = [10, 20, 30, 40]  # police_missing_episodes (count)
# police_da_notify_24h_pct (monthly): numerator, denominator for the three months of 2025-26-Q1
MONTHS = {"2025-04": (9, 10), "2025-05": (18, 20), "2025-06": (27, 40)}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("partner_indicators")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    files = []
    for i, q in enumerate(QUARTERS):
        lines = ["agency,measure_id,period,numerator,denominator,value,commentary,submitted_on"]
        lines.append(f"police,police_strategy_attend_pct,{q},{STRATEGY[i][0]},{STRATEGY[i][1]},,,2026-05-01")
        lines.append(f"police,police_l3_training_pct,{q},{TRAINING[i][0]},{TRAINING[i][1]},,,2026-05-01")
        lines.append(f"police,police_missing_episodes,{q},{MISSING[i]},,,,2026-05-01")
        if i == 0:
            lines += [
                f"police,police_da_notify_24h_pct,{m},{n},{d},,,2026-05-01" for m, (n, d) in MONTHS.items()
            ]
        path = folder / f"police_{q}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    wh = folder / "warehouse.duckdb"
    ingest(files, wh, progress=None)
    yield wh
    mp.undo()


def _total(df, period):
    row = df[(df["period"] == period) & (df["breakdown"] == "total")]
    assert len(row) == 1
    return row.iloc[0]


def test_year_sums_quarters_and_at_end_takes_the_last_quarter(warehouse):
    year = indicators.values("police_strategy_attend_pct", ["2025-26"], "856", None, warehouse)
    row = _total(year, "2025-26")
    # (90 + 45 + 100 + 190) / (100 + 50 + 100 + 250) = 425 / 500 = 85.0% (the mean of the four
    # quarterly percentages, 90/90/100/76, would be 89.0%)
    assert (row["numerator"], row["denominator"]) == (425, 500) and row["value"] == pytest.approx(85.0)
    assert row["rag"] == "red"  # target 95% with tolerance 3: 85 < 92
    training = _total(
        indicators.values("police_l3_training_pct", ["2025-26"], "856", None, warehouse), "2025-26"
    )
    assert (training["numerator"], training["denominator"]) == (450, 600)  # Q4 only: 75.0%
    assert training["value"] == pytest.approx(75.0) and training["rag"] == "red"
    missing = _total(
        indicators.values("police_missing_episodes", ["2025-26"], "856", None, warehouse), "2025-26"
    )
    assert missing["value"] == 100 and missing["rag"] == "none"  # 10 + 20 + 30 + 40, context


def test_quarters_and_months(warehouse):
    q2 = _total(
        indicators.values("police_strategy_attend_pct", ["2025-26-Q2"], "856", None, warehouse), "2025-26-Q2"
    )
    assert q2["value"] == pytest.approx(90.0) and q2["rag"] == "red"  # 45/50 = 90%: below 95 - 3
    q3 = _total(
        indicators.values("police_strategy_attend_pct", ["2025-26-Q3"], "856", None, warehouse), "2025-26-Q3"
    )
    assert q3["value"] == pytest.approx(100.0) and q3["rag"] == "green"
    monthly = indicators.values("police_da_notify_24h_pct", ["2025-26-Q1", "2025-05"], "856", None, warehouse)
    quarter = _total(monthly, "2025-26-Q1")
    assert (quarter["numerator"], quarter["denominator"]) == (54, 70)  # 9 + 18 + 27 over 10 + 20 + 40
    assert _total(monthly, "2025-05")["value"] == pytest.approx(90.0)
    # A quarterly measure is offered by quarter and year, never by month; a monthly one by month too.
    assert indicators.available_periods("month", "856", warehouse, "police_strategy_attend_pct") == []
    assert [
        p.label
        for p in indicators.available_periods("quarter", "856", warehouse, "police_strategy_attend_pct")
    ] == QUARTERS
    assert [
        p.label for p in indicators.available_periods("month", "856", warehouse, "police_da_notify_24h_pct")
    ] == list(MONTHS)
    # The monthly measure was returned for Q1 only, so Q2 is not covered (no value, not a zero).
    assert (
        indicators.available_periods("quarter", "856", warehouse, "police_da_notify_24h_pct")[-1].label
        == "2025-26-Q1"
    )
