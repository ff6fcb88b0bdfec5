"""Tests for indicators.disclosure: primary and secondary suppression, properties, and a linprog audit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from indicators.disclosure import SUPPRESSED, display, suppress
from vocabulary.codes import ETHNIC_GROUP_OF

KEYS = ["indicator_id", "period", "la_code"]


def frame(rows: list[tuple], unit: str = "count", period: str = "2024-25") -> pd.DataFrame:
    """rows: (breakdown, group, numerator[, denominator])."""
    records = []
    for r in rows:
        b, g, n = r[:3]
        d = r[3] if len(r) > 3 else None
        value = float(n) if unit == "count" else (100 * n / d if d else None)
        records.append(
            {
                "indicator_id": f"x_{unit}",
                "period": period,
                "la_code": "856",
                "breakdown": b,
                "group": g,
                "numerator": n,
                "denominator": d,
                "value": value,
                "unit": unit,
                "status": "ok",
            }
        )
    df = pd.DataFrame(records)
    return df.astype({"numerator": "Int64", "denominator": "Int64"})


def hidden(out: pd.DataFrame) -> set[tuple[str, str]]:
    return {(b, g) for b, g, s in zip(out["breakdown"], out["group"], out["suppressed"], strict=True) if s}


# --- primary suppression ------------------------------------------------------------------------------------


def test_counts_1_to_5_are_withheld_zero_and_6_are_shown() -> None:
    out = suppress(frame([("total", "All", n) for n in (0, 1, 5, 6)]), "board")
    assert out["suppressed"].tolist() == [False, True, True, False]
    assert out["numerator"].tolist() == [0, None, None, 6] and out["value"].tolist() == [0.0, None, None, 6.0]
    assert out["status"].tolist() == ["ok"] * 4


def test_percentages_built_on_small_numbers_are_withheld() -> None:
    df = frame([("total", "All", n, d) for n, d in ((3, 40), (0, 4), (0, 0), (7, 9))], unit="percent")
    out = suppress(df, "board")
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert out.loc[0, "value"] is None and out.loc[3, "value"] == pytest.approx(700 / 9)


def test_analyst_sees_everything() -> None:
    df = frame([("total", "All", 3), ("sex", "Male", 3), ("sex", "Female", 0)])
    out = suppress(df, "analyst")
    assert not out["suppressed"].any()
    pd.testing.assert_frame_equal(out.drop(columns="suppressed"), df)
    with pytest.raises(ValueError):
        suppress(df, "public")  # type: ignore[arg-type]


def test_display() -> None:
    assert display(3, 0, True) == SUPPRESSED == "c"
    assert display(None, 1, False) == "-" and display(12.345, 1, False, "percent") == "12.3%"
    assert display(1234, 0, False) == "1,234"


# --- secondary suppression --------------------------------------------------------------------------------


def test_single_withheld_cell_takes_the_smallest_non_zero_with_ties_by_name() -> None:
    df = frame(
        [
            ("total", "All", 40),
            ("age_band", "Under 1", 3),
            ("age_band", "1 to 4", 0),
            ("age_band", "5 to 9", 9),
            ("age_band", "10 to 15", 9),
            ("age_band", "16 to 17", 19),
        ]
    )
    out = suppress(df, "board")
    # 0 is never chosen; 9 and 9 tie, "10 to 15" sorts before "5 to 9".
    assert hidden(out) == {("age_band", "Under 1"), ("age_band", "10 to 15")}


def test_two_withheld_cells_are_enough() -> None:
    df = frame([("total", "All", 30), ("sex", "Male", 3), ("sex", "Female", 4), ("sex", "Not known", 23)])
    assert hidden(suppress(df, "board")) == {("sex", "Male"), ("sex", "Female")}


def test_rows_withheld_elsewhere_are_withheld_first_and_then_protected() -> None:
    df = frame([("total", "All", 30), ("sex", "Male", 15), ("sex", "Female", 12), ("sex", "Not known", 3)])
    assert hidden(suppress(df, "board")) == {("sex", "Female"), ("sex", "Not known")}
    # Male is withheld in another table showing the same count: with Not known that is two, enough.
    out = suppress(df, "board", withheld=np.array([False, True, False, False]))
    assert hidden(out) == {("sex", "Male"), ("sex", "Not known")}
    # A single row withheld elsewhere still needs a second one here.
    even = frame([("total", "All", 30), ("sex", "Male", 15), ("sex", "Female", 15)])
    assert hidden(suppress(even, "board", withheld=np.array([False, True, False]))) == {
        ("sex", "Male"),
        ("sex", "Female"),
    }
    assert not suppress(df, "analyst", withheld=np.array([True] * 4))["suppressed"].any()


def test_only_non_zero_cell_withheld_withholds_the_total() -> None:
    # The areas do not cover every child, so the total (8) is not small, but it would reveal the 3.
    df = frame([("total", "All", 8), ("area", "North", 3), ("area", "South", 0)])
    assert hidden(suppress(df, "board")) == {("area", "North"), ("total", "All")}


def test_cells_that_must_all_be_1_withhold_the_total_and_a_cell_of_every_other_breakdown() -> None:
    ages = ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17", "Unborn"]
    df = frame(
        [("total", "All", 6)]
        + [("age_band", a, 1) for a in ages]
        + [("sex", "Male", 6), ("sex", "Female", 0)]
    )
    out = suppress(df, "board")
    # Six withheld 1s under a published 6 would each be pinned to 1: the total goes, and then Male
    # (which equals the total) goes too.
    assert hidden(out) == {("total", "All"), ("sex", "Male")} | {("age_band", a) for a in ages}


def test_ethnicity_is_protected_within_its_ethnic_group() -> None:
    df = frame(
        [
            ("total", "All", 80),
            ("ethnicity", "WBRI", 50),
            ("ethnicity", "AIND", 3),
            ("ethnicity", "APKN", 20),
            ("ethnicity", "BAFR", 7),
            ("ethnic_group", "White", 50),
            ("ethnic_group", "Asian", 23),
            ("ethnic_group", "Black", 7),
        ]
    )
    # Asian (23) minus APKN would reveal AIND, so APKN goes; nothing else is needed.
    assert hidden(suppress(df, "board")) == {("ethnicity", "AIND"), ("ethnicity", "APKN")}


def test_codes_are_checked_within_their_group_not_across_all_codes() -> None:
    df = frame(
        [
            ("total", "All", 60),
            ("ethnicity", "WBRI", 50),
            ("ethnicity", "BAFR", 7),
            ("ethnicity", "BCRB", 3),
            ("ethnic_group", "White", 50),
            ("ethnic_group", "Black", 10),
        ]
    )
    # BCRB 3 takes BAFR, the only other Black code (not a smaller code of another group): the two
    # then add up to the published Black 10, each anywhere in 1..9.
    assert hidden(suppress(df, "board")) == {("ethnicity", "BCRB"), ("ethnicity", "BAFR")}


def test_a_withheld_group_row_withholds_one_of_its_codes() -> None:
    df = frame(
        [
            ("total", "All", 76),
            ("ethnicity", "WBRI", 50),
            ("ethnicity", "AIND", 10),
            ("ethnicity", "APKN", 13),
            ("ethnicity", "BCRB", 3),
            ("ethnic_group", "White", 50),
            ("ethnic_group", "Asian", 23),
            ("ethnic_group", "Black", 3),
        ]
    )
    # Black 3 (and BCRB 3) are small; Asian goes with Black among the groups; then Asian's codes would
    # add up to it, so its smallest code AIND goes too. AIND + BCRB = 76 - 50 - 13 = 13, each 1..12.
    assert hidden(suppress(df, "board")) == {
        ("ethnic_group", "Black"),
        ("ethnicity", "BCRB"),
        ("ethnic_group", "Asian"),
        ("ethnicity", "AIND"),
    }


def test_percent_denominators_are_protected_too() -> None:
    df = frame(
        [
            ("total", "All", 20, 60),
            ("sex", "Male", 0, 4),
            ("sex", "Female", 12, 30),
            ("sex", "Not known", 8, 26),
        ],
        unit="percent",
    )
    out = suppress(df, "board")
    # Male 0/4 is withheld for its denominator; the next smallest non-zero numerator goes with it.
    assert hidden(out) == {("sex", "Male"), ("sex", "Not known")}


def test_families_are_independent() -> None:
    a = frame([("total", "All", 30), ("sex", "Male", 3), ("sex", "Female", 27)], period="2023-24")
    b = frame([("total", "All", 30), ("sex", "Male", 15), ("sex", "Female", 15)], period="2024-25")
    out = suppress(pd.concat([a, b], ignore_index=True), "board")
    assert out["suppressed"].tolist() == [False, True, True, False, False, False]


# --- property tests and the audit ---------------------------------------------------------------------

CODES = sorted(ETHNIC_GROUP_OF)


def _split(draw, total: int, parts: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@st.composite
def count_frames(draw) -> pd.DataFrame:
    """One or two families (periods) of a count indicator: total, ethnicity, ethnic_group (sometimes),
    sex and age band, with zero cells sometimes present as rows and sometimes absent."""
    frames = []
    for period in draw(st.sampled_from([["2024-25"], ["2023-24", "2024-25"]])):
        codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=9, unique=True))
        counts = draw(
            st.lists(st.integers(0, 9) | st.integers(0, 60), min_size=len(codes), max_size=len(codes))
        )
        keep_zero = draw(st.booleans())
        total = sum(counts)
        rows = [("total", "All", total)]
        rows += [("ethnicity", c, n) for c, n in zip(codes, counts, strict=True) if n or keep_zero]
        if draw(st.booleans()):
            groups: dict[str, int] = {}
            for c, n in zip(codes, counts, strict=True):
                groups[ETHNIC_GROUP_OF[c]] = groups.get(ETHNIC_GROUP_OF[c], 0) + n
            rows += [("ethnic_group", g, n) for g, n in groups.items() if n or keep_zero]
        rows += [
            ("sex", s, n)
            for s, n in zip(["Male", "Female", "Not known"], _split(draw, total, 3), strict=True)
            if n or keep_zero
        ]
        ages = ["Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17"]
        rows += [
            ("age_band", a, n) for a, n in zip(ages, _split(draw, total, 6), strict=True) if n or keep_zero
        ]
        frames.append(frame(rows, period=period))
    return pd.concat(frames, ignore_index=True)


def _equations(out: pd.DataFrame) -> list[tuple[list[int], int]]:
    """Independently of the module: every breakdown adds up to its family's total row, and each ethnic
    group's ethnicity codes add up to its ethnic_group row. As (cell row labels, margin row label)."""
    eqs = []
    for _, fam in out.groupby(KEYS, sort=False):
        total = fam.index[fam["breakdown"] == "total"][0]
        for _, cells in fam[fam["breakdown"] != "total"].groupby("breakdown"):
            eqs.append((list(cells.index), total))
        eg = fam[fam["breakdown"] == "ethnic_group"].set_index("group")
        if len(eg):
            eth = fam[fam["breakdown"] == "ethnicity"]
            for g, cells in eth.groupby(eth["group"].map(ETHNIC_GROUP_OF)):
                eqs.append((list(cells.index), eg.loc[g, "_row"]))
    return eqs


def audit(original: pd.DataFrame, out: pd.DataFrame, column: str, floor: int) -> list[tuple]:
    """What an onlooker can work out: each withheld value's least and greatest value given every
    published cell and total (linprog over all the tables at once; withheld values >= floor).
    Returns (row, least, greatest, true value) for every withheld value."""
    out = out.assign(_row=out.index)
    eqs = _equations(out)
    gone = list(out.index[out["suppressed"]])
    if not gone:
        return []
    var = {row: i for i, row in enumerate(gone)}
    truth = pd.to_numeric(original[column]).fillna(0)
    a_eq, b_eq = [], []
    for cells, margin in eqs:
        coef, rhs = np.zeros(len(gone)), 0.0
        for row, sign in [(c, 1.0) for c in cells] + [(margin, -1.0)]:
            if row in var:
                coef[var[row]] += sign
            else:
                rhs -= sign * truth[row]
        if coef.any():
            a_eq.append(coef)
            b_eq.append(rhs)
    result = []
    for row, i in var.items():
        c = np.zeros(len(gone))
        c[i] = 1
        bounds = [(floor, None)] * len(gone)
        low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        assert low.status == 0, "the published figures must be consistent with the truth"
        greatest = math.inf if high.status == 3 else -high.fun
        result.append((row, low.fun, greatest, truth[row]))
    return result


def _check_tables(out: pd.DataFrame) -> None:
    for _, fam in out.groupby(KEYS, sort=False):
        total_hidden = bool(fam.loc[fam["breakdown"] == "total", "suppressed"].iloc[0])
        for b, cells in fam[fam["breakdown"] != "total"].groupby("breakdown"):
            assert cells["suppressed"].sum() != 1 or total_hidden, f"{b}: a single withheld cell"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_frames())
def test_board_never_sees_1_to_5_and_no_breakdown_has_a_single_withheld_cell(df: pd.DataFrame) -> None:
    out = suppress(df, "board")
    for col in ("numerator", "denominator", "value"):
        shown = pd.to_numeric(out[col], errors="coerce")
        assert not shown.between(1, 5).any(), col
    zeros = pd.to_numeric(df["numerator"]) == 0
    assert not out.loc[zeros, "suppressed"].any(), "zero is always shown"
    _check_tables(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_frames())
def test_audit_no_withheld_count_can_be_pinned_down(df: pd.DataFrame) -> None:
    # Zeros are always shown, so an onlooker knows every withheld count is at least 1.
    out = suppress(df, "board")
    for row, least, greatest, true in audit(df, out, "numerator", floor=1):
        assert least - 1e-9 <= true <= greatest + 1e-9
        assert greatest - least >= 1 - 1e-9, f"row {row} is pinned to {least}"


@st.composite
def percent_frames(draw) -> pd.DataFrame:
    groups = ["Male", "Female", "Not known"]
    dens = draw(st.lists(st.integers(0, 9) | st.integers(0, 80), min_size=3, max_size=3))
    nums = [draw(st.integers(0, d)) for d in dens]
    rows = [("total", "All", sum(nums), sum(dens))]
    rows += [("sex", g, n, d) for g, n, d in zip(groups, nums, dens, strict=True) if d or draw(st.booleans())]
    return frame(rows, unit="percent")


@settings(max_examples=80, deadline=None)
@given(percent_frames())
def test_percentages_never_show_small_numbers_and_pass_the_audit(df: pd.DataFrame) -> None:
    out = suppress(df, "board")
    for col in ("numerator", "denominator"):
        assert not pd.to_numeric(out[col], errors="coerce").between(1, 5).any(), col
    _check_tables(out)
    # A withheld numerator may be 0 (0 of 4 is withheld for its denominator); denominators are >= 1.
    for column, floor in (("numerator", 0), ("denominator", 1)):
        for row, least, greatest, _ in audit(df, out, column, floor):
            assert greatest - least >= 1 - 1e-9, f"{column} of row {row} is pinned"


def test_audit_example_by_hand() -> None:
    # Published: total 30, Female 23; withheld Male (3) and Not known (4): each lies in [1, 6].
    df = frame([("total", "All", 30), ("sex", "Male", 3), ("sex", "Female", 23), ("sex", "Not known", 4)])
    out = suppress(df, "board")
    ranges = {out.loc[r, "group"]: (lo, hi) for r, lo, hi, _ in audit(df, out, "numerator", floor=1)}
    assert ranges == {"Male": (1, 6), "Not known": (1, 6)}
