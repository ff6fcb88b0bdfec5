"""Tests for indicators.intervals against published worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from indicators.intervals import (
    BYAR_MIN_COUNT,
    byar_poisson_interval,
    exact_binomial_interval,
    exact_poisson_interval,
    rate_interval,
    wilson_interval,
)

# Newcombe RG (1998) "Two-sided confidence intervals for the single proportion: comparison of seven
# methods", Statistics in Medicine 17:857-872, Table II: method 3 (Wilson score, no continuity correction)
# and method 5 (exact, Clopper-Pearson), to 4 decimal places.
NEWCOMBE = [
    # k, n, Wilson, exact
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0000, 0.1611), (0.0000, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize(("k", "n", "wilson", "exact"), NEWCOMBE)
def test_newcombe_1998_examples(k: int, n: int, wilson, exact) -> None:
    assert wilson_interval(k, n) == pytest.approx(wilson, abs=5e-5)
    assert exact_binomial_interval(k, n) == pytest.approx(exact, abs=5e-5)


def test_wilson_is_vectorised_and_n_zero_is_nan() -> None:
    low, high = wilson_interval(np.array([81, 15, 0]), np.array([263, 148, 0]))
    assert low[:2] == pytest.approx([0.2553, 0.0624], abs=5e-5)
    assert high[:2] == pytest.approx([0.3662, 0.1605], abs=5e-5)
    assert math.isnan(low[2]) and math.isnan(high[2])
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    assert all(math.isnan(v) for v in exact_binomial_interval(0, 0))
    assert exact_binomial_interval(20, 20)[1] == 1.0


def test_wilson_wider_at_higher_confidence() -> None:
    l95, h95 = wilson_interval(81, 263, 0.95)
    l998, h998 = wilson_interval(81, 263, 0.998)
    assert l998 < l95 and h998 > h95
    with pytest.raises(ValueError):
        wilson_interval(1, 2, confidence=95)


def test_byar_formula_for_counts_of_10_or_more() -> None:
    # Byar's approximation (Breslow & Day 1987), as in PHE's "Technical Guide: Confidence Intervals"
    # (Appendix 1) and PHEindicatormethods byars_lower/byars_upper. The `byar` Ruby gem documents the
    # same example with z = 1.96: 100 observed gives an upper bound of 121.628347271806 and, against
    # 90 expected, a lower ratio of 0.9040199067337297 (so a lower bound of 81.3618). We use the exact
    # normal quantile (1.95996...), hence the 1e-3 tolerance.
    low, high = byar_poisson_interval(100)
    assert high == pytest.approx(121.628347271806, abs=1e-3)
    assert low == pytest.approx(0.9040199067337297 * 90, abs=1e-3)
    # Hand computation for 75: 75 (1 - 1/675 - 1.96/(3 sqrt 75))^3 = 58.99;
    # 76 (1 - 1/684 + 1.96/(3 sqrt 76))^3 = 94.01.
    assert byar_poisson_interval(75) == pytest.approx((58.99, 94.01), abs=0.01)


def test_byar_within_0_2_percent_of_exact_from_10() -> None:
    # PHE Technical Guide: "For 95% confidence intervals, Byar's method is within 0.2% of the exact
    # value for numerators of 10 or more."
    counts = np.arange(BYAR_MIN_COUNT, 2000)
    byar = byar_poisson_interval(counts)
    exact = exact_poisson_interval(counts)
    for b, e in zip(byar, exact, strict=True):
        assert np.all(np.abs(b / e - 1) < 0.002)


def test_small_counts_use_exact_poisson_limits() -> None:
    # Exact (Garwood, chi-squared) Poisson limits, as tabulated in standard references and used by
    # PHE/PHEindicatormethods phe_rate below 10 events: 0 -> (0, 3.689), 1 -> (0.0253, 5.572),
    # 5 -> (1.623, 11.668), 9 -> (4.115, 17.085).
    assert byar_poisson_interval(0) == pytest.approx((0.0, 3.689), abs=1e-3)
    assert byar_poisson_interval(1) == pytest.approx((0.0253, 5.572), abs=1e-3)
    assert byar_poisson_interval(5) == pytest.approx((1.623, 11.668), abs=1e-3)
    assert byar_poisson_interval(9) == pytest.approx((4.115, 17.085), abs=1e-3)
    low, high = byar_poisson_interval(np.array([9, 10]))
    assert low[1] == pytest.approx(10 * (1 - 1 / 90 - 1.959964 / (3 * math.sqrt(10))) ** 3)
    with pytest.raises(ValueError):
        byar_poisson_interval(-1)


def test_rate_interval() -> None:
    low, high = rate_interval(75, 20_000, per=10_000)
    assert (low, high) == pytest.approx((58.99 / 2, 94.01 / 2), abs=0.01)
    assert all(math.isnan(v) for v in rate_interval(3, 0))
    low, high = rate_interval(np.array([75, 0]), np.array([20_000, 1_000]))
    assert low[1] == 0 and high[1] == pytest.approx(36.89, abs=0.01)
