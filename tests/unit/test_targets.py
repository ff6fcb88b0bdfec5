"""Tests for indicators.targets: the targets file, look-ups by LA and date, describe() and every RAG cell."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.targets import Target, TargetBook, TargetConfigError, load_targets, parse_targets, rag

D = date.fromisoformat


def _target(**fields: object) -> Target:
    return Target.model_validate({"indicator_id": "x_pct", "effective_from": "2010-04-01", **fields})


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped file -----------------------------------------------------------------------------------


def test_seed_targets() -> None:
    book = load_targets()
    on = D("2024-06-30")
    repeat = book.target_for("cpp_repeat_pct", None, on)
    assert repeat is not None and repeat.band == (10, 15) and repeat.value is None
    ended = book.target_for("cpp_ended_2y_pct", None, on)
    assert ended is not None and ended.value == 3 and ended.tolerance == 0
    reviewed = book.target_for("cpp_reviewed_in_time_pct", None, on)
    assert reviewed is not None and (reviewed.value, reviewed.tolerance) == (100, 5)
    icpc = book.target_for("icpc_15wd_pct", None, on)
    assert icpc is not None and icpc.value == 85 and "local" in (icpc.note or "").lower()
    cdop = book.target_for("cdop_review_12m_pct", None, on)
    assert cdop is not None and (cdop.value, cdop.tolerance) == (100, 20)
    assert all(t.la_code is None for t in book.targets)  # the seed is national only


def test_seed_history_is_real() -> None:
    book = load_targets()
    history = book.history("cpp_repeat_pct")
    assert [(t.effective_from, t.band) for t in history] == [
        (D("2010-04-01"), (10, 15)),
        (D("2015-04-01"), (12, 18)),
        (D("2020-04-01"), (10, 15)),
    ]
    assert book.target_for("cpp_repeat_pct", "856", D("2015-03-31")).band == (10, 15)  # type: ignore[union-attr]
    assert book.target_for("cpp_repeat_pct", "856", D("2015-04-01")).band == (12, 18)  # type: ignore[union-attr]
    assert book.target_for("cpp_repeat_pct", "856", D("2020-03-31")).band == (12, 18)  # type: ignore[union-attr]
    assert book.target_for("cpp_repeat_pct", "856", D("2020-04-01")).band == (10, 15)  # type: ignore[union-attr]


def test_every_front_door_indicator_with_a_direction_has_a_target_saying_where_it_comes_from() -> None:
    from indicators.registry import registry

    book = load_targets()
    directed = [i.id for i in registry().values() if i.theme == "front_door" and i.polarity != "context"]
    assert {"rereferral_12m_pct", "assessment_45wd_pct", "assessment_median_working_days"} <= set(directed)
    for indicator_id in directed:
        history = book.history(indicator_id)
        assert history, f"{indicator_id}: no target"
        for target in history:
            assert target.note and target.note.strip(), f"{indicator_id}: a target with no note"
            # An illustrative target says so in its note too (the legend marks it; the note says why).
            assert target.origin != "illustrative" or "illustrative" in target.note.lower(), indicator_id
    median = book.target_for("assessment_median_working_days", None, D("2024-06-30"))
    assert median is not None and (median.value, median.tolerance, median.origin) == (32, 3, "illustrative")
    assert "32 working days in 2021-22, DfE C2" in (median.note or "")
    assert median.describe() == "32 days or lower (amber within 3)"


def test_no_target_before_effective_or_for_unknown_indicator() -> None:
    book = load_targets()
    assert book.target_for("cpp_ended_2y_pct", None, D("2010-03-31")) is None
    assert book.target_for("cpp_at_end", None, D("2024-03-31")) is None
    assert book.history("cpp_at_end") == []


def test_describe_seed_targets() -> None:
    book = load_targets()
    on = D("2024-06-30")
    words = {
        i: book.target_for(i, None, on).describe()
        for i in [  # type: ignore[union-attr]
            "cpp_repeat_pct",
            "cpp_ended_2y_pct",
            "cpp_reviewed_in_time_pct",
            "icpc_15wd_pct",
            "cdop_review_12m_pct",
        ]
    }
    assert words == {
        "cpp_repeat_pct": "10–15%",
        "cpp_ended_2y_pct": "3% or lower",  # lower_better in the registry
        "cpp_reviewed_in_time_pct": "100% (amber within 5)",  # nothing is above 100%
        "icpc_15wd_pct": "85% or higher",
        "cdop_review_12m_pct": "100% (amber within 20)",
    }


# --- LA overrides and history ---------------------------------------------------------------------------

OVERRIDES = """
targets:
  - {indicator_id: icpc_15wd_pct, value: 85, effective_from: 2010-04-01}
  - {indicator_id: icpc_15wd_pct, value: 80, effective_from: 2016-04-01}
  - {indicator_id: icpc_15wd_pct, value: 90, effective_from: 2020-04-01}
  - {indicator_id: icpc_15wd_pct, value: 95, effective_from: 2018-04-01, la_code: 856, tolerance: 5}
  - {indicator_id: icpc_15wd_pct, value: 97, effective_from: 2022-04-01, la_code: "856"}
  - {indicator_id: icpc_15wd_pct, value: 70, effective_from: 2012-04-01, la_code: E06000016}
"""


def test_la_override_beats_national(tmp_path: Path) -> None:
    book = load_targets(_write(tmp_path, OVERRIDES))

    def value(la: str | None, on: str) -> float | None:
        target = book.target_for("icpc_15wd_pct", la, D(on))
        return None if target is None else target.value

    assert value(None, "2017-01-01") == 80  # national 2016 entry
    assert value("856", "2017-01-01") == 80  # no 856 override yet: national default
    assert value("856", "2018-04-01") == 95  # the override takes effect on its date
    assert value("856", "2021-01-01") == 95  # a later national change does not beat the LA override
    assert value(None, "2021-01-01") == 90
    assert value("856", "2022-04-01") == 97
    assert value("857", "2021-01-01") == 90  # other LAs get the national default
    assert value("E06000016", "2011-01-01") == 85  # before its override
    assert value("E06000016", "2030-01-01") == 70


def test_history_is_what_was_in_force(tmp_path: Path) -> None:
    book = load_targets(_write(tmp_path, OVERRIDES))
    assert [t.value for t in book.history("icpc_15wd_pct")] == [85, 80, 90]
    # For 856: national 85 (2010), national 80 (2016), then its own 95 (2018) and 97 (2022); the national 90
    # of 2020 never applied to 856.
    assert [t.value for t in book.history("icpc_15wd_pct", "856")] == [85, 80, 95, 97]
    assert [t.value for t in book.history("icpc_15wd_pct", "E06000016")] == [85, 70]


def test_la_code_numbers_become_text(tmp_path: Path) -> None:
    book = load_targets(_write(tmp_path, OVERRIDES))
    assert {t.la_code for t in book.targets} == {None, "856", "E06000016"}


# --- validation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{indicator_id: a_pct, effective_from: 2010-04-01}", "exactly one of 'value' and 'band'"),
        ("{indicator_id: a_pct, value: 3, band: [1, 2], effective_from: 2010-04-01}", "exactly one"),
        ("{indicator_id: a_pct, band: [15, 10], effective_from: 2010-04-01}", "band low 15 is above"),
        ("{indicator_id: a_pct, band: [10], effective_from: 2010-04-01}", "band"),
        ("{indicator_id: a_pct, value: 3}", "effective_from"),
        ("{indicator_id: a_pct, value: 3, effective_from: 2010-02-30}", "effective_from"),
        ("{indicator_id: a_pct, value: 3, effective_from: 2010-04-01, tolerance: -1}", "tolerance"),
        ("{indicator_id: a_pct, value: high, effective_from: 2010-04-01}", "value"),
        ("{indicator_id: a_pct, value: 3, effective_from: 2010-04-01, colour: red}", "colour"),
        ("{indicator_id: A-pct, value: 3, effective_from: 2010-04-01}", "indicator_id"),
        ("{value: 3, effective_from: 2010-04-01}", "indicator_id"),
    ],
)
def test_bad_entry_names_file_and_entry(tmp_path: Path, entry: str, problem: str) -> None:
    good = "{indicator_id: ok_pct, value: 1, effective_from: 2010-04-01}"
    path = _write(tmp_path, f"targets:\n  - {good}\n  - {entry}\n")
    with pytest.raises(TargetConfigError) as info:
        load_targets(path)
    message = str(info.value)
    assert str(path) in message and "entry 2" in message and problem in message


def test_duplicate_entries_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
targets:
  - {indicator_id: a_pct, value: 3, effective_from: 2010-04-01, la_code: "856"}
  - {indicator_id: a_pct, value: 4, effective_from: 2010-04-01, la_code: 856}
""",
    )
    with pytest.raises(TargetConfigError, match=r"a_pct \(LA 856\) has two entries effective from 2010-04"):
        load_targets(path)


@pytest.mark.parametrize("text", ["", "- {indicator_id: a_pct}\n", "targets: 3\n", "other: []\n"])
def test_wrong_shape_rejected(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TargetConfigError, match="expected a mapping with a 'targets' list") as info:
        load_targets(path)
    assert str(path) in str(info.value)


def test_invalid_yaml_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "targets: [\n")
    with pytest.raises(TargetConfigError, match="not valid YAML") as info:
        load_targets(path)
    assert str(path) in str(info.value)


def test_empty_book_is_fine() -> None:
    book = parse_targets({"targets": []})
    assert book.target_for("a_pct", "856", D("2024-01-01")) is None and book == TargetBook(())


def test_target_is_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        _target(value=3).value = 4  # type: ignore[misc]


# --- describe -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "polarity", "unit", "words"),
    [
        ({"band": [10, 15]}, "lower_better_not_zero", "percent", "10–15%"),
        ({"band": [12.5, 18]}, None, "percent", "12.5–18%"),
        ({"band": [10, 15], "tolerance": 2}, "context", "percent", "10–15% (amber within 2)"),
        ({"value": 3}, "lower_better", "percent", "3% or lower"),
        ({"value": 3}, "lower_better_not_zero", "percent", "3% or lower"),
        ({"value": 85}, "higher_better", "percent", "85% or higher"),
        ({"value": 100, "tolerance": 5}, "higher_better", "percent", "100% (amber within 5)"),
        ({"value": 100}, "higher_better", "percent", "100%"),
        ({"value": 40.5}, "lower_better", "rate_per_10k", "40.5 per 10,000 or lower"),
        ({"value": 20}, "lower_better", "count", "20 or lower"),
        ({"value": 30}, "higher_better", "days", "30 days or higher"),
        ({"value": 3}, "context", "percent", "3%"),
    ],
)
def test_describe(fields: dict[str, object], polarity: str | None, unit: str, words: str) -> None:
    assert _target(**fields).describe(polarity, unit) == words  # type: ignore[arg-type]


def test_describe_unregistered_indicator_guesses_from_id() -> None:
    assert _target(value=3).describe() == "3%"  # x_pct is not in the registry: no direction, a percentage
    other = Target.model_validate({"indicator_id": "x_count", "value": 3, "effective_from": "2010-04-01"})
    assert other.describe() == "3"


# --- rag: every cell of the table -----------------------------------------------------------------------

VALUE_100_TOL_5 = {"value": 100, "tolerance": 5}
VALUE_3_TOL_1 = {"value": 3, "tolerance": 1}
BAND_10_15_TOL_2 = {"band": [10, 15], "tolerance": 2}


@pytest.mark.parametrize(
    ("fields", "polarity", "value", "expected"),
    [
        # higher_better, value 100, tolerance 5: green >= 100; amber 95 <= v < 100; red < 95
        (VALUE_100_TOL_5, "higher_better", 100, "green"),
        (VALUE_100_TOL_5, "higher_better", 100.5, "green"),
        (VALUE_100_TOL_5, "higher_better", 99.9, "amber"),
        (VALUE_100_TOL_5, "higher_better", 95, "amber"),  # the amber edge is inclusive
        (VALUE_100_TOL_5, "higher_better", 94.9, "red"),
        (VALUE_100_TOL_5, "higher_better", 0, "red"),
        # lower_better, value 3, tolerance 1: green <= 3; amber 3 < v <= 4; red > 4
        (VALUE_3_TOL_1, "lower_better", 0, "green"),
        (VALUE_3_TOL_1, "lower_better", 3, "green"),
        (VALUE_3_TOL_1, "lower_better", 3.1, "amber"),
        (VALUE_3_TOL_1, "lower_better", 4, "amber"),
        (VALUE_3_TOL_1, "lower_better", 4.1, "red"),
        # lower_better_not_zero with a single value behaves as lower_better
        (VALUE_3_TOL_1, "lower_better_not_zero", 2, "green"),
        (VALUE_3_TOL_1, "lower_better_not_zero", 3.5, "amber"),
        (VALUE_3_TOL_1, "lower_better_not_zero", 5, "red"),
        # a band [10, 15] with tolerance 2, any polarity: green 10..15; amber 8..10 or 15..17; red beyond
        (BAND_10_15_TOL_2, "lower_better_not_zero", 10, "green"),
        (BAND_10_15_TOL_2, "lower_better_not_zero", 12.5, "green"),
        (BAND_10_15_TOL_2, "lower_better_not_zero", 15, "green"),
        (BAND_10_15_TOL_2, "lower_better_not_zero", 8, "amber"),  # too low is not "better"
        (BAND_10_15_TOL_2, "lower_better_not_zero", 17, "amber"),
        (BAND_10_15_TOL_2, "lower_better_not_zero", 7.9, "red"),
        (BAND_10_15_TOL_2, "lower_better_not_zero", 0, "red"),
        (BAND_10_15_TOL_2, "lower_better_not_zero", 17.1, "red"),
        (BAND_10_15_TOL_2, "lower_better", 9, "amber"),
        (BAND_10_15_TOL_2, "lower_better", 5, "red"),
        (BAND_10_15_TOL_2, "higher_better", 16, "amber"),
        (BAND_10_15_TOL_2, "higher_better", 20, "red"),
        (BAND_10_15_TOL_2, "higher_better", 11, "green"),
        # tolerance 0: never amber
        ({"value": 85}, "higher_better", 85, "green"),
        ({"value": 85}, "higher_better", 84.99, "red"),
        ({"value": 3}, "lower_better", 3.01, "red"),
        ({"band": [10, 15]}, "lower_better_not_zero", 9.99, "red"),
        ({"band": [10, 15]}, "lower_better_not_zero", 15.01, "red"),
        # context: never rated
        (VALUE_100_TOL_5, "context", 100, "none"),
        (BAND_10_15_TOL_2, "context", 50, "none"),
    ],
)
def test_rag(fields: dict[str, object], polarity: str, value: float, expected: str) -> None:
    assert rag(value, _target(**fields), polarity) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("polarity", ["higher_better", "lower_better", "lower_better_not_zero", "context"])
def test_rag_none_without_target_or_value(polarity: str) -> None:
    target = _target(value=3)
    assert rag(None, target, polarity) == "none"  # type: ignore[arg-type]
    assert rag(math.nan, target, polarity) == "none"  # type: ignore[arg-type]
    assert rag(3, None, polarity) == "none"  # type: ignore[arg-type]


def test_rag_rejects_unknown_polarity() -> None:
    with pytest.raises(ValueError, match="Unknown polarity"):
        rag(3, _target(value=3), "up")  # type: ignore[arg-type]


def test_rag_float_slack_at_the_edges() -> None:
    # 7 of 100 as a percentage, 100 * (7 / 100), is 7.000000000000001 in floating point: on a target of 7.
    assert 100 * (7 / 100) != 7
    assert rag(100 * (7 / 100), _target(value=7), "lower_better") == "green"
    # 100 * (29 / 100) is 28.999999999999996: on a target of 29.
    assert 100 * (29 / 100) != 29
    assert rag(100 * (29 / 100), _target(value=29), "higher_better") == "green"


def test_rag_on_the_value_as_displayed() -> None:
    # 15.04% is shown as 15.0% (one decimal): on a 10-15% band that is in range, not red.
    band = _target(band=(10, 15))
    assert rag(15.04, band, "lower_better_not_zero") == "red"  # unrounded: outside the band
    assert rag(15.04, band, "lower_better_not_zero", decimals=1) == "green"  # shown 15.0%
    assert rag(15.06, band, "lower_better_not_zero", decimals=1) == "red"  # shown 15.1%
    assert rag(9.96, band, "lower_better_not_zero", decimals=1) == "green"  # shown 10.0%
    # NI67: 100% with amber within 5. 94.96% is shown as 95.0%: amber, not red; 94.94% is 94.9%.
    ni67 = _target(value=100, tolerance=5)
    assert rag(94.96, ni67, "higher_better") == "red"
    assert rag(94.96, ni67, "higher_better", decimals=1) == "amber"
    assert rag(94.94, ni67, "higher_better", decimals=1) == "red"
    # 99.96% is shown as 100.0%: green; 3.04% against "3% or lower" at one decimal is 3.0%: green.
    assert rag(99.96, ni67, "higher_better", decimals=1) == "green"
    assert rag(3.04, _target(value=3), "lower_better", decimals=1) == "green"
    assert rag(3.05 + 1e-9, _target(value=3), "lower_better", decimals=1) == "red"  # shown 3.1%
    # A count at 0 decimals: 2.4 is shown as 2.
    assert rag(2.4, _target(value=2), "lower_better", decimals=0) == "green"


def test_api_rates_the_displayed_value(monkeypatch) -> None:
    """The analyst API (and so the pages, CLI and report) passes the indicator's decimals."""
    import pandas as pd

    from indicators import api
    from indicators.registry import get

    ind = get("cpp_reviewed_in_time_pct")  # 100% target, amber within 5, one decimal
    df = pd.DataFrame(
        {c: [None] for c in api.RESULT_COLUMNS if c not in ("target", "rag")}
        | {"la_code": ["856"], "period_end": [date(2024, 3, 31)], "breakdown": ["total"], "value": [94.96]}
    )
    assert api._with_targets(df, ind)["rag"].tolist() == ["amber"]


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 20))
def test_rag_mirror_image(value: float, target: float, tolerance: float) -> None:
    # lower_better at (v, t) rates the same as higher_better at (-v, -t): the mirror image.
    low = rag(value, _target(value=target, tolerance=tolerance), "lower_better")
    high = rag(-value, _target(value=-target, tolerance=tolerance), "higher_better")
    assert low == high


@given(st.floats(-50, 150), st.floats(0, 100), st.floats(0, 50), st.floats(0, 20))
def test_rag_band_is_polarity_free_and_monotone_in_tolerance(
    value: float, low: float, width: float, tolerance: float
) -> None:
    band = _target(band=[low, low + width], tolerance=tolerance)
    results = {rag(value, band, p) for p in ("higher_better", "lower_better", "lower_better_not_zero")}
    assert len(results) == 1
    order = ["green", "amber", "red"]
    wider = _target(band=[low, low + width], tolerance=tolerance + 1)
    assert order.index(rag(value, wider, "lower_better")) <= order.index(results.pop())
