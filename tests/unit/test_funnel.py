"""Tests for indicators.funnel: exact binomial limits by hand, flags and the overdispersion factor."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from indicators.funnel import denominator_grid, funnel_flags, funnel_limits, overdispersion_phi


def hand_limit(n: int, theta: float, p: float) -> float:
    """Spiegelhalter (2005) appendix A.1.1 by hand: r = the p-quantile of Binomial(n, theta),
    alpha = (F(r) - p) / (F(r) - F(r - 1)), limit = (r - alpha) / n."""
    r = stats.binom.ppf(p, n, theta)
    f_r, f_before = stats.binom.cdf(r, n, theta), stats.binom.cdf(r - 1, n, theta)
    return (r - (f_r - p) / (f_r - f_before)) / n


def test_limits_for_n_100_p_0_2() -> None:
    # Quantiles of Binomial(100, 0.2): 2.5% -> 12, 97.5% -> 28, 0.1% -> 9, 99.9% -> 33.
    assert stats.binom.ppf([0.025, 0.975, 0.001, 0.999], 100, 0.2).tolist() == [12, 28, 9, 33]
    row = funnel_limits([100], 0.2).iloc[0]
    assert row["lower_95"] == pytest.approx(hand_limit(100, 0.2, 0.025))
    assert row["upper_95"] == pytest.approx(hand_limit(100, 0.2, 0.975))
    assert row["lower_99.8"] == pytest.approx(hand_limit(100, 0.2, 0.001))
    assert row["upper_99.8"] == pytest.approx(hand_limit(100, 0.2, 0.999))
    # The interpolation lands just inside the whole-number quantiles: 12/100 and 28/100.
    assert (row["lower_95"], row["upper_95"]) == pytest.approx((0.1197, 0.2765), abs=1e-4)
    assert (row["lower_99.8"], row["upper_99.8"]) == pytest.approx((0.0810, 0.3268), abs=1e-4)


def test_large_n_matches_the_normal_approximation() -> None:
    row = funnel_limits([10_000], 0.2).iloc[0]
    half = 1.959964 * math.sqrt(0.2 * 0.8 / 10_000)
    assert (row["lower_95"], row["upper_95"]) == pytest.approx((0.2 - half, 0.2 + half), abs=2e-4)


def test_limits_are_clipped_and_narrow_as_n_grows() -> None:
    grid = denominator_grid(1, 5000, 60)
    assert grid[0] == 1 and grid[-1] == 5000 and np.all(np.diff(grid) > 0)
    lim = funnel_limits(grid, 0.05)
    assert (lim["lower_99.8"] >= 0).all() and (lim["upper_99.8"] <= 1).all()
    assert lim["upper_95"].iloc[-1] < lim["upper_95"].iloc[5]
    assert list(lim.columns) == ["denominator", "target", "lower_95", "upper_95", "lower_99.8", "upper_99.8"]


def test_flags_against_a_given_target() -> None:
    # n = 100, target 0.2: 95% limits [0.1197, 0.2765], 99.8% limits [0.0810, 0.3268].
    num = [20, 28, 35, 12, 11, 5, 0]
    den = [100, 100, 100, 100, 100, 100, 0]
    out = funnel_flags(num, den, target=0.2, labels=list("ABCDEFG"))
    assert out["flag"].tolist() == [
        "inside",
        "above_95",
        "above_99.8",
        "inside",
        "below_95",
        "below_99.8",
        "no_data",
    ]
    assert out["unit"].tolist() == list("ABCDEFG")
    assert out["limits"].iloc[0] == "exact binomial" and math.isnan(out["phi"].iloc[0])


def test_default_target_is_the_pooled_proportion() -> None:
    out = funnel_flags([10, 30], [100, 100])
    assert out["target"].iloc[0] == pytest.approx(0.2)
    assert out["z"].tolist() == pytest.approx([-2.5, 2.5])


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        funnel_flags([5], [4])
    with pytest.raises(ValueError):
        funnel_limits([10], 1.5)


def test_overdispersion_phi_winsorised() -> None:
    # z = -5 .. 5: the 10th and 90th percentiles are -4 and 4, so -5 -> -4 and 5 -> 4.
    # Squares: 16 + 16 + 9 + 4 + 1 + 0 + 1 + 4 + 9 + 16 + 16 = 92; phi = 92 / 11.
    assert overdispersion_phi(np.arange(-5, 6)) == pytest.approx(92 / 11)


def test_overdispersion_widens_the_limits() -> None:
    # n = 100, target 0.2, so z = (k - 20) / 4 = -3, -2, -1, 0, 1, 2, 3, 4, 5, 0.
    # Percentiles (linear): 10th = -2.1, 90th = 4.1, so -3 -> -2.1 and 5 -> 4.1.
    # phi = (4.41 + 4 + 1 + 0 + 1 + 4 + 9 + 16 + 16.81 + 0) / 10 = 5.622.
    num = [8, 12, 16, 20, 24, 28, 32, 36, 40, 20]
    plain = funnel_flags(num, [100] * 10, target=0.2)
    wide = funnel_flags(num, [100] * 10, target=0.2, overdispersion=True)
    phi = 56.22 / 10
    assert wide["phi"].iloc[0] == pytest.approx(phi)
    assert "overdispersion" in wide["limits"].iloc[0] and "5.62" in wide["limits"].iloc[0]
    widened = 0.2 + math.sqrt(phi) * (plain["upper_99.8"].iloc[0] - 0.2)
    assert wide["upper_99.8"].iloc[0] == pytest.approx(widened)
    assert plain["flag"].iloc[8] == "above_99.8" and wide["flag"].iloc[8] == "above_95"
    assert plain["flag"].iloc[0] == "below_99.8" and wide["flag"].iloc[0] == "inside"


def test_no_overdispersion_leaves_limits_alone() -> None:
    num = [19, 20, 21, 20, 20]
    out = funnel_flags(num, [100] * 5, target=0.2, overdispersion=True)
    plain = funnel_flags(num, [100] * 5, target=0.2)
    assert out["phi"].iloc[0] < 1 and "not widened" in out["limits"].iloc[0]
    assert out["upper_95"].tolist() == plain["upper_95"].tolist()
