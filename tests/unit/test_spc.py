"""Tests for indicators.spc: the NHS-R golden series, each rule at its boundary, icons, rebasing, p-charts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.spc import (
    assurance_text,
    p_chart,
    spc,
    spc_batch,
    variation_text,
    xmr_limits,
)

# A baseline of 12 points zigzagging 9, 11, ...: mean 10, mean moving range 2, so the process limits are
# 10 +/- 5.32 = [4.68, 15.32] and the 2 sigma lines 10 +/- 3.547 = [6.453, 13.547]. It ends on 11 (above).
BASE = [9.0, 11.0] * 6
MEAN, UPPER, LOWER, UPPER_2S, LOWER_2S = 10, 15.32, 4.68, 13.5467, 6.4533


def dates(n: int) -> pd.DatetimeIndex:
    return pd.date_range("2020-04-01", periods=n, freq="MS")


def run(tail: list[float], polarity: str = "higher_better", **kw) -> pd.DataFrame:
    values = BASE + tail
    return spc(values, dates(len(values)), polarity, **kw).to_frame()


def fired(frame: pd.DataFrame, rule: str) -> list[int]:
    return [i for i, r in enumerate(frame["rules"]) if rule in r.split(", ")]


# --- the golden case ------------------------------------------------------------------------------------

# NHS-R community, NHSRplotthedots, vignette "Deviations from Excel defaults" (vignettes/deviations.Rmd):
# ptd_spc() on this 18-point series, all points in the limits and moving-range screening on (the
# package default), reports "UPL = 4.6, Mean = 1.94, LPL = -0.72"; with screening off ("the same output
# as Excel") it reports 6.95, 1.94 and -3.06. Screening drops the moving ranges 8 and 9 (above
# 3.267 x 32/17), leaving a mean moving range of exactly 1.
NHSR = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_golden_nhsr_series_with_screening() -> None:
    lim = xmr_limits(NHSR, baseline=None, screen_moving_ranges=True)
    assert (round(lim.upper, 2), round(lim.mean, 2), round(lim.lower, 2)) == (4.60, 1.94, -0.72)
    assert lim.mr_bar == pytest.approx(1.0) and lim.screened_out == 2 and lim.baseline_points == 18


def test_golden_nhsr_series_without_screening_matches_excel() -> None:
    lim = xmr_limits(NHSR, baseline=None)
    assert (round(lim.upper, 2), round(lim.mean, 2), round(lim.lower, 2)) == (6.95, 1.94, -3.06)


def test_golden_nhsr_chart_has_one_improving_point() -> None:
    # The vignette's chart: the 10 is the only special-cause point, blue (improvement, direction increase).
    res = spc(
        NHSR,
        pd.date_range("2021-03-22", periods=18),
        "higher_better",
        baseline=None,
        screen_moving_ranges=True,
    )
    frame = res.to_frame()
    assert list(np.flatnonzero(frame["special"])) == [4]
    assert frame.loc[4, "rules"] == "outside_limits" and frame.loc[4, "direction"] == "improving"
    assert res.variation_icon == "common_cause"


def test_baseline_limits() -> None:
    lim = xmr_limits(BASE + [100.0, -50.0])  # points after the 12-point baseline do not count
    assert (lim.mean, lim.mr_bar) == (10, 2)
    assert (lim.upper, lim.lower) == pytest.approx((UPPER, LOWER))
    assert (lim.upper_2s, lim.lower_2s) == pytest.approx((UPPER_2S, LOWER_2S), abs=1e-4)


# --- rule 1: a point outside the limits -----------------------------------------------------------------


def test_point_exactly_on_the_limit_does_not_fire() -> None:
    on = xmr_limits(BASE).upper
    frame = run([10.0, 10.0, on])
    assert fired(frame, "outside_limits") == []
    frame = run([10.0, 10.0, on + 0.01])
    assert fired(frame, "outside_limits") == [14]
    assert frame.loc[14, "rules"] == "outside_limits"


def test_point_below_the_lower_limit_fires() -> None:
    assert fired(run([10.0, 10.0, LOWER]), "outside_limits") == []
    assert fired(run([10.0, 10.0, LOWER - 0.01]), "outside_limits") == [14]


# --- rule 2: a shift ------------------------------------------------------------------------------------


def test_seven_above_the_mean_fires_six_does_not() -> None:
    frame = run([10.0] + [10.5] * 7)  # the 10.0 sits on the mean and breaks the run
    assert fired(frame, "shift") == list(range(13, 20))
    assert set(frame.loc[13:, "direction"]) == {"improving"}
    assert fired(run([10.0] + [10.5] * 6 + [9.5]), "shift") == []


def test_seven_below_the_mean_fires_six_does_not() -> None:
    frame = run([10.0] + [9.5] * 7)
    assert fired(frame, "shift") == list(range(13, 20))
    assert set(frame.loc[13:, "direction"]) == {"concerning"}
    assert fired(run([10.0] + [9.5] * 6 + [10.5]), "shift") == []


def test_a_point_on_the_mean_breaks_a_run() -> None:
    assert fired(run([10.0] + [10.5] * 3 + [10.0] + [10.5] * 4), "shift") == []


@pytest.mark.parametrize("length", [6, 8])
def test_run_length_is_configurable(length: int) -> None:
    assert fired(run([10.0] + [10.5] * length, run_length=length), "shift") == list(range(13, 13 + length))
    assert fired(run([10.0] + [10.5] * (length - 1) + [9.5], run_length=length), "shift") == []


def test_run_length_outside_6_to_8_is_refused() -> None:
    with pytest.raises(ValueError, match="run_length"):
        run([10.0] * 3, run_length=5)


# --- rule 3: a trend ------------------------------------------------------------------------------------


def test_seven_rising_points_fire_six_do_not() -> None:
    # After the baseline's last 11, 7.0 is a fall; then 7 points rise (6 increases). None of them is
    # outside the limits or the 2 sigma lines, and only 6 are below the mean, so only the trend fires.
    rising = [7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0]
    frame = run(rising)
    assert fired(frame, "trend") == list(range(12, 19))
    assert all(r == "trend" for r in frame.loc[12:, "rules"])
    assert set(frame.loc[12:, "direction"]) == {"improving"}  # rising, higher is better
    assert fired(run(rising[1:]), "trend") == []


def test_seven_falling_points_fire_six_do_not() -> None:
    falling = [13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0]
    frame = run([10.0] + falling)  # 10.0 -> 13.0 is a rise, so the fall starts at 13.0
    assert fired(frame, "trend") == list(range(13, 20))
    assert set(frame.loc[13:, "direction"]) == {"concerning"}
    assert fired(run([10.0] + falling[1:]), "trend") == []


def test_equal_values_break_a_trend() -> None:
    assert fired(run([7.0, 7.5, 8.0, 8.0, 8.5, 9.0, 9.5, 10.0]), "trend") == []


# --- rule 4: two of three beyond the 2 sigma line ---------------------------------------------------------


def test_two_of_three_beyond_the_same_2_sigma_line_fires() -> None:
    frame = run([10.0, 14.0, 10.2, 14.0])  # 14 is between 13.547 and 15.32
    assert fired(frame, "two_of_three") == [13, 15]
    assert fired(frame, "outside_limits") == []


def test_two_of_three_on_opposite_sides_does_not_fire() -> None:
    assert fired(run([10.0, 14.0, 10.0, 6.0]), "two_of_three") == []


def test_two_beyond_2_sigma_but_not_within_three_points_does_not_fire() -> None:
    assert fired(run([10.0, 14.0, 10.2, 10.2, 14.0]), "two_of_three") == []


def test_exactly_on_the_2_sigma_line_is_not_beyond() -> None:
    line = xmr_limits(BASE).upper_2s
    assert fired(run([10.0, line, 10.2, line]), "two_of_three") == []
    assert fired(run([10.0, line + 0.01, 10.2, line + 0.01]), "two_of_three") == [13, 15]


# --- icons --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "last", "icon"),
    [
        ("higher_better", 16.0, "special_cause_improving_high"),
        ("higher_better", 4.0, "special_cause_concerning_low"),
        ("lower_better", 16.0, "special_cause_concerning_high"),
        ("lower_better", 4.0, "special_cause_improving_low"),
        ("lower_better_not_zero", 16.0, "special_cause_concerning_high"),
        ("lower_better_not_zero", 4.0, "special_cause_improving_low"),
        ("context", 16.0, "special_cause_neither_high"),
        ("context", 4.0, "special_cause_neither_low"),
        ("higher_better", 10.5, "common_cause"),
        ("context", 10.5, "common_cause"),
    ],
)
def test_variation_icon_by_polarity(polarity: str, last: float, icon: str) -> None:
    values = BASE + [10.0, 10.0, last]
    res = spc(values, dates(len(values)), polarity)
    assert res.variation_icon == icon
    assert res.variation_text == variation_text(icon)


def test_variation_words() -> None:
    assert variation_text("special_cause_improving_high") == "Special cause variation: improving (higher)"
    assert variation_text("special_cause_concerning_low") == "Special cause variation: concerning (lower)"
    assert variation_text("common_cause").startswith("Common cause")
    assert "hit and miss" in assurance_text("hit_and_miss").lower()


@pytest.mark.parametrize(
    ("polarity", "target", "icon"),
    [
        ("higher_better", 4.0, "consistently_passing"),  # the lower limit 4.68 is above the target
        ("higher_better", 16.0, "consistently_failing"),
        ("higher_better", 10.0, "hit_and_miss"),
        ("higher_better", UPPER, "hit_and_miss"),
        ("lower_better", 16.0, "consistently_passing"),
        ("lower_better", 4.0, "consistently_failing"),
        ("lower_better_not_zero", 10.0, "hit_and_miss"),
        ("lower_better_not_zero", (4.0, 16.0), "consistently_passing"),  # both limits inside the band
        ("higher_better", (16.0, 20.0), "consistently_failing"),  # both limits below the band
        ("lower_better", (0.0, 4.0), "consistently_failing"),  # both limits above the band
        ("lower_better", (8.0, 12.0), "hit_and_miss"),
        ("context", 4.0, "none"),
        ("higher_better", None, "none"),
    ],
)
def test_assurance_icon(polarity: str, target, icon: str) -> None:
    values = BASE + [10.0] * 3
    res = spc(values, dates(len(values)), polarity, target=target)
    assert res.assurance_icon == icon
    assert res.assurance_text == assurance_text(icon)


# --- baseline, rebasing, annotations, short series -------------------------------------------------------


def test_baseline_is_fixed_a_later_shift_does_not_move_the_limits() -> None:
    values = BASE + [20.0, 22.0] * 6
    frame = spc(values, dates(len(values)), "higher_better").to_frame()
    assert set(frame["mean"]) == {10} and set(frame["upper"].round(2)) == {UPPER}
    assert frame.loc[12:, "special"].all()  # the new level is special cause, never silently rebased


def test_declared_rebase_starts_a_new_segment_with_its_own_baseline() -> None:
    values = [9.0, 11.0] * 8 + [18.0, 22.0] * 8  # 16 points around 10, then 16 around 20 (MR 4)
    d = dates(len(values))
    res = spc(
        values,
        d,
        "lower_better",
        rebase_dates=[(d[16], "New front door from Sept")],
        annotations=[(d[16], "Front door changed"), (d[2], "Audit")],
        target=31.0,
    )
    frame = res.to_frame()
    assert [(s.start, s.end, s.reason, s.mean) for s in res.segments] == [
        (0, 16, None, 10),
        (16, 32, "New front door from Sept", 20),
    ]
    assert res.segments[1].upper == pytest.approx(20 + 2.66 * 4)
    assert set(frame.loc[16:, "segment"]) == {1} and not frame["special"].any()
    assert res.assurance_icon == "consistently_passing"  # the current upper limit 30.64 is under 31
    assert frame.loc[16, "annotation"] == "Front door changed" and frame.loc[2, "annotation"] == "Audit"


def test_rebase_needs_a_reason_and_one_outside_the_series_is_noted() -> None:
    values = BASE + [10.0] * 3
    d = dates(len(values))
    with pytest.raises(ValueError, match="reason"):
        spc(values, d, "context", rebase_dates=[(d[5], "")])
    res = spc(values, d, "context", rebase_dates=[("2040-01-01", "Later")])
    assert len(res.segments) == 1 and "outside the series" in res.notes[0]


def test_fewer_than_15_points_says_why() -> None:
    res = spc([1.0] * 9, dates(9), "higher_better")
    assert not res.available
    assert res.reason == "SPC needs at least 15 points; this series has 9."
    assert res.variation_icon is None and res.assurance_icon == "none"
    assert res.variation_text == res.reason
    assert not spc([1.0] * 14 + [np.nan], dates(15), "higher_better").available  # gaps do not count


def test_missing_points_are_gaps() -> None:
    values = BASE + [np.nan, 10.5, 16.0]
    frame = spc(values, dates(len(values)), "higher_better", min_points=14).to_frame()
    assert np.isnan(frame.loc[12, "mean"]) and not frame.loc[12, "special"]
    assert fired(frame, "outside_limits") == [14]


def test_batch_agrees_with_one_series_at_a_time() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(50, 5, (200, 30)).round()
    x[:20, 20:] += 15  # some shifts
    batch = spc_batch(x, "lower_better", target=45.0)
    for i in range(len(x)):
        one = spc(x[i], dates(30), "lower_better", target=45.0)
        assert list(batch.flags[i] > 0) == list(one.special)
        assert batch.variation_icon[i] == one.variation_icon
        assert batch.assurance_icon[i] == one.assurance_icon


# --- p-chart ----------------------------------------------------------------------------------------------


def test_p_chart_limits_hand_computed() -> None:
    # Baseline: 12 points of 20/100, so p-bar = 240/1200 = 0.2.
    # n = 400: 0.2 +/- 3 sqrt(0.2 x 0.8 / 400) = 0.2 +/- 0.06 -> [0.14, 0.26]
    # n = 25:  0.2 +/- 3 x 0.08 = 0.2 +/- 0.24 -> [-0.04 clipped to 0, 0.44]
    # n = 100: 0.2 +/- 0.12 -> [0.08, 0.32], so 35/100 = 0.35 is outside
    num = [20] * 12 + [80, 5, 35]
    den = [100] * 12 + [400, 25, 100]
    res = p_chart(num, den, dates(15), "lower_better")
    frame = res.to_frame()
    assert frame.loc[12, ["lower", "upper"]].tolist() == pytest.approx([0.14, 0.26])
    assert frame.loc[13, ["lower", "upper"]].tolist() == pytest.approx([0.0, 0.44])
    assert frame.loc[12, "upper_2s"] == pytest.approx(0.24)
    assert frame["mean"].tolist() == pytest.approx([0.2] * 15)
    assert fired(frame, "outside_limits") == [14]
    assert res.variation_icon == "special_cause_concerning_high"
    pct = p_chart(num, den, dates(15), "lower_better", scale=100, target=50.0).to_frame()
    assert pct.loc[12, ["lower", "upper"]].tolist() == pytest.approx([14, 26])
    assert (
        p_chart(num, den, dates(15), "lower_better", scale=100, target=50.0).assurance_icon
        == "consistently_passing"
    )


def test_p_chart_zero_denominator_is_a_gap() -> None:
    num, den = [20] * 15 + [0], [100] * 15 + [0]
    frame = p_chart(num, den, dates(16), "higher_better").to_frame()
    assert np.isnan(frame.loc[15, "value"]) and not frame.loc[15, "special"]
