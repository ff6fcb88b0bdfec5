"""Published DfE data: readers, detection and markers (on the real files in vocabulary/reference/), and
the pure benchmark functions (rank, quartile band, average, trend)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.benchmark_stats import (
    average_of,
    national_rank,
    quartile_band,
    reorganisation_notes,
    trend_direction,
)
from indicators.benchmarks import time_period_of
from indicators.parity import likely_reason, within_rounding
from pipelines.detect import detect_type
from pipelines.issues import Severity
from pipelines.published.cells import decimals_of, parse_cell, period_label
from pipelines.published.ees import ees_table, read_ees_csv
from pipelines.published.lait import read_lait_parquet
from pipelines.published.neighbours import read_statistical_neighbours

REF = Path(__file__).resolve().parents[2] / "vocabulary" / "reference"
D3_2022 = REF / "d3_cpps_subsequent_plan_2013_to_2022.csv"
D3_2025 = REF / "d3_cpps_subsequent_plan_2013_to_2025.csv"
D1_2022 = REF / "d1_child_protection_plans_2013_to_2022.csv"
LAIT = REF / "bds_long_0.parquet"
SN = REF / "sn_model_2025_wide.csv"
REPEAT = "CPP_subsequent_percent"


def cells(table, **where) -> list[dict]:
    return [r for r in table.to_pylist() if all(r[k] == v for k, v in where.items())]


def one(table, **where) -> dict:
    found = cells(table, **where)
    assert len(found) == 1, (where, found)
    return found[0]


@pytest.mark.parametrize(
    "text, places",
    [
        ("80.099999999999994", 1),
        ("7.0000000000000007E-2", 2),
        ("93.600000000000009", 1),
        ("30.599999999999998", 1),
        ("43140", 0),
        ("16.8", 1),
        ("20", 0),
        ("12.13", 2),
        ("1e-05", 5),
    ],
)
def test_decimals_are_read_through_float_artefacts(text, places):
    assert decimals_of(text) == places


@pytest.mark.parametrize(
    "text, expected",
    [
        ("c", (None, "suppressed")),
        ("x", (None, "not available")),
        ("z", (None, "not applicable")),
        ("u", (None, "low reliability")),
        (":", (None, "not available")),
        ("..", (None, "not available")),
        ("-", (None, "not available")),
        ("", (None, "missing")),
        ("0", (0.0, "published")),
        ("80.099999999999994", (80.099999999999994, "published")),
        ("abc", None),
        ("nan", None),
    ],
)
def test_markers_become_null_with_their_meaning_never_a_number(text, expected):
    assert parse_cell(text) == expected


def test_period_labels_and_time_periods():
    assert period_label(2022) == "2021-22"
    assert period_label(2000) == "1999-00"
    assert time_period_of("2021-22") == time_period_of(2022) == time_period_of("2022") == 2022


@pytest.mark.parametrize(
    "name, kind",
    [
        ("d1_child_protection_plans_2013_to_2022.csv", "ees_csv"),
        ("d3_cpps_subsequent_plan_2013_to_2025.csv", "ees_csv"),
        ("d5_cpps_at31march_by_duration_2013_to_2022.csv", "ees_csv"),
        ("d6_cpps_reviewed_within_timescales_2013_to_2022.csv", "ees_csv"),
        ("d7_cpps_ending_by_duration_2013_to_2022.csv", "ees_csv"),
        ("c4_children_in_need_section_47s_and_icpcs_2013_to_2022.csv", "ees_csv"),
        ("sn_model_2025_wide.csv", "statistical_neighbours"),
        ("bds_long_0.parquet", "lait_parquet"),
        ("ons_mid-year_population_estimates_2012_to_2024.csv", "ons_population"),
    ],
)
def test_reference_files_are_detected_by_content(name, kind):
    assert detect_type(REF / name) == kind


def test_ees_tables_are_told_apart_by_their_columns(tmp_path):
    base = {"time_period", "geographic_level"}
    assert ees_table(base | {"cpp_at31", "2_years_or_more", "2_years_or_more_percent"}) == "D5"
    assert ees_table(base | {"cpp_end", "2_years_or_more", "2_years_or_more_percent"}) == "D7"
    # D4 (CPP_At31 by category of abuse) is not a table we read: not recognised, not misread.
    assert ees_table(base | {"cpp_at31", "neglect_initial", "physical_initial"}) is None
    d4 = tmp_path / "d4.csv"
    d4.write_text(
        "time_period,geographic_level,category,CPP_At31,Neglect_Initial\n2022,National,x,50920,24430\n"
    )
    assert detect_type(d4) is None
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"PAR1 not really parquet")
    assert detect_type(junk) is None


def test_ees_cells_load_exactly_as_in_the_source():
    table, issues = read_ees_csv(D3_2022)
    assert issues == []
    assert table.num_rows == 1638 * 3  # 3 measure columns
    # Leicester 2021-22 (line 66 of the file): 483 starts, 81 subsequent, 16.8%.
    leicester = {r["source_measure"]: r for r in cells(table, old_la_code="856", time_period=2022)}
    assert {m: (r["value"], r["status"], r["decimals"]) for m, r in leicester.items()} == {
        "CPP_start": (483.0, "published", 0),
        "CPP_subsequent": (81.0, "published", 0),
        "CPP_subsequent_percent": (16.8, "published", 1),
    }
    row = leicester["CPP_subsequent_percent"]
    assert (
        row["indicator_id"],
        row["area_code"],
        row["region_code"],
        row["release"],
        row["source_table"],
    ) == ("cpp_repeat_pct", "E06000016", "E12000004", 2022, "D3")
    assert leicester["CPP_start"]["indicator_id"] == "cpp_starts"
    assert leicester["CPP_subsequent"]["indicator_id"] is None
    # Hackney 2021-22 is 'x' (not available): NULL with its meaning, never 0.
    hackney = one(table, old_la_code="204", time_period=2022, source_measure=REPEAT)
    assert (hackney["value"], hackney["status"], hackney["source_value"]) == (None, "not available", "x")
    england = one(table, geographic_level="National", time_period=2022, source_measure=REPEAT)
    assert (england["value"], england["area_code"], england["region_code"]) == (23.3, "E92000001", None)


def test_the_2025_release_carries_c_u_and_z():
    table, _ = read_ees_csv(D3_2025)
    assert set(table.column("release").to_pylist()) == {2025}
    city = one(table, old_la_code="201", time_period=2023, source_measure=REPEAT)
    assert (city["value"], city["status"], city["source_value"]) == (None, "suppressed", "c")
    statuses = {r["status"] for r in table.to_pylist()}
    assert {"suppressed", "low reliability", "not applicable", "not available", "published"} <= statuses
    england = one(table, geographic_level="National", time_period=2025, source_measure=REPEAT)
    assert england["value"] == 24.5


def test_d1_of_the_2022_release_says_43190_for_2013():
    table, _ = read_ees_csv(D1_2022)
    row = one(table, geographic_level="National", time_period=2013, source_measure="CPP_At31")
    assert (row["value"], row["indicator_id"], row["source_rank"], row["release"]) == (
        43190.0,
        "cpp_at_end",
        1,
        2022,
    )


def test_bad_ees_cells_reject_the_file_with_the_line(tmp_path):
    header = D3_2022.read_text(encoding="utf-8-sig").splitlines()[:3]
    bad = header[:2] + [header[2].replace(",4640,", ",46 40,")]
    path = tmp_path / "d3_bad.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    table, issues = read_ees_csv(path)
    assert table is None
    assert [(i.line, i.field, i.value, i.severity) for i in issues] == [
        (3, "CPP_start", "46 40", Severity.STRUCTURAL)
    ]


def test_lait_cells_are_rounded_to_the_published_decimals():
    table, issues = read_lait_parquet(LAIT)
    assert issues == []
    measures = set(table.column("source_measure").to_pylist())
    assert {"CPP_Num", "PrevRegCPR", "CPPlans2yrs", "CP_conf_15days", "PreChildDea"} <= measures
    assert "RTA" not in measures  # not a safeguarding measure: skipped
    # England 2025 CPPlans2yrs is stored as '4.4000000000000004'.
    row = one(table, source_measure="CPPlans2yrs", geographic_level="National", time_period=2025)
    assert (row["source_value"], row["value"], row["decimals"], row["indicator_id"]) == (
        "4.4000000000000004",
        4.4,
        1,
        "cpp_ended_2y_pct",
    )
    assert row["measure_label"] == "Child Protection Plans lasting 2 years or more"  # carried forward
    # CP_conf_15days 2017 Barnsley is stored as '39.800000000000004'.
    row = one(table, source_measure="CP_conf_15days", old_la_code="370", time_period=2017)
    assert (row["value"], row["decimals"], row["indicator_id"]) == (39.8, 1, "icpc_15wd_pct")
    # LAIT's '-' is a NULL 'not available'; predecessor names lose '(Pre LG)'.
    row = one(table, source_measure="CPP_Num", old_la_code="837", time_period=2020)
    assert (row["value"], row["status"], row["area_name"]) == (None, "not available", "Bournemouth")
    region = one(
        table, source_measure="CPP_Num", geographic_level="Regional", time_period=2025, area_code="E12000004"
    )
    assert (region["area_name"], region["value"]) == ("East Midlands", float(region["source_value"]))
    hackney = one(table, source_measure="CPP_Num", old_la_code="204", time_period=2025)
    assert (hackney["region_code"], hackney["area_code"]) == ("E13000001", None)
    releases = {r["source_measure"]: r["release"] for r in table.to_pylist()}
    assert releases["CPP_Num"] == 2025 and releases["PreChildDea"] == 2021


def test_statistical_neighbours_of_leicester():
    table, issues = read_statistical_neighbours(SN)
    assert issues == [] and table.num_rows == 153 * 10
    rows = sorted(cells(table, la_code="856"), key=lambda r: r["neighbour_rank"])
    assert [r["neighbour_la_code"] for r in rows] == [
        "821",
        "871",
        "304",
        "316",
        "333",
        "380",
        "307",
        "313",
        "330",
        "889",
    ]
    assert [r["closeness"] for r in rows][:3] == ["Close", "Somewhat close", "Somewhat close"]


def test_statistical_neighbours_must_be_other_las(tmp_path):
    text = SN.read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "sn.csv"
    path.write_text("\n".join([text[0], text[1].replace(",308,", ",301,", 1)]) + "\n")
    table, issues = read_statistical_neighbours(path)
    assert table is None and [(i.line, i.field) for i in issues] == [(2, "SN_1")]


# -- pure benchmark functions ------------------------------------------------------------------

VALUES = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, None]


@pytest.mark.parametrize(
    "value, polarity, band, rank",
    [
        (10.0, "lower_better", "A", 1),
        (80.0, "lower_better", "D", 8),
        (10.0, "higher_better", "D", 8),
        (80.0, "higher_better", "A", 1),
        (40.0, "lower_better", "B", 4),
        (40.0, "higher_better", "C", 5),
        (10.0, "lower_better_not_zero", "A", 1),
        (10.0, "context", "A", 1),
        (80.0, "context", "D", 8),
        (None, "lower_better", None, None),
    ],
)
def test_quartile_band_and_rank_follow_polarity(value, polarity, band, rank):
    # Quartiles of 10..80: 27.5, 45, 62.5 (linear interpolation, as LAIT / R's default).
    assert quartile_band(value, VALUES, polarity) == band
    assert national_rank(value, VALUES, polarity) == rank


def test_ties_share_the_better_rank():
    assert national_rank(20.0, [10.0, 20.0, 20.0, 30.0], "lower_better") == 2
    assert national_rank(20.0, [10.0, 20.0, 20.0, 30.0], "higher_better") == 2


def test_averages_ignore_missing_neighbours():
    assert average_of([1.0, 2.0, None, 6.0, float("nan")]) == 3.0
    assert average_of([1.0, 2.0, None, 6.0], "median") == 2.0
    assert average_of([None, None]) is None
    with pytest.raises(ValueError):
        average_of([1.0], "mode")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "values, polarity, expected",
    [
        ([1.0, 2.0, 3.0], "higher_better", ("increasing", "improving")),
        ([1.0, 2.0, 3.0], "lower_better", ("increasing", "worsening")),
        ([3.0, 2.0, 1.0], "lower_better_not_zero", ("decreasing", "improving")),
        ([3.0, 2.0, 1.0], "context", ("decreasing", "no judgement")),
        ([1.0, 3.0, 2.0], "higher_better", ("no clear trend", "no judgement")),
        ([2.0, 2.0, 2.0], "higher_better", ("no change", "no judgement")),
        ([1.0, None, 3.0], "higher_better", ("not enough data", "no judgement")),
    ],
)
def test_trend_direction(values, polarity, expected):
    assert trend_direction(values, polarity) == expected


def test_parity_reasons():
    assert within_rounding(16.7701863, 16.8, 1)
    assert not within_rounding(16.74, 16.8, 1)
    assert within_rounding(483, 483, 0) and not within_rounding(482, 483, 0)
    assert (
        likely_reason("cpp_repeat_pct", 16.77, "ok", 16.8, "published", 1, 2025)
        == "matches at the published precision"
    )
    assert (
        likely_reason("cpp_repeat_pct", 5.0, "ok", None, "suppressed", 1, 2025)
        == "DfE did not publish a value: suppressed"
    )
    assert "NumberOfPreviousCPP" in likely_reason("cpp_repeat_pct", 5.0, "ok", 16.8, "published", 1, 2025)
    assert (
        likely_reason("cpp_at_end", None, "not covered by loaded data", 393, "published", 0, None)
        == "no local value: not covered by loaded data"
    )


def test_reorganisation_notes_only_where_the_series_breaks():
    import pandas as pd

    codes = pd.DataFrame(
        [
            {
                "first_time_period": 2020,
                "last_time_period": 2025,
                "predecessor_la_codes": ["835", "836", "837"],
                "successor_la_codes": [],
                "reorganisation_note": "Created on 1 April 2019 ...",
            }
        ]
    )
    assert reorganisation_notes(codes, 2019, 2021) == ["Created on 1 April 2019 ..."]
    assert reorganisation_notes(codes, 2021, 2023) == []
