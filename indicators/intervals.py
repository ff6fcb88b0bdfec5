"""Confidence intervals: Wilson and exact for proportions, Byar / exact Poisson for counts and rates."""

from __future__ import annotations

import numpy as np
from scipy import stats

# PHE/OHID (Fingertips, PHEindicatormethods `phe_rate`): Byar's approximation for counts of 10 or more,
# the exact Poisson (chi-squared) limits below that, where Byar is less accurate.
BYAR_MIN_COUNT = 10


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _out(low: np.ndarray, high: np.ndarray):
    """Scalars in, floats out; arrays in, arrays out."""
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


def wilson_interval(k, n, confidence: float = 0.95):
    """Wilson score interval for the proportion k/n, as proportions (Newcombe 1998, method 3).

    Works elementwise on numpy arrays. n = 0 gives (nan, nan).
    """
    z = _z(confidence)
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = p + z * z / (2 * n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        denom = 1 + z * z / n
        low = np.where(n > 0, np.clip((centre - half) / denom, 0, 1), np.nan)
        high = np.where(n > 0, np.clip((centre + half) / denom, 0, 1), np.nan)
    return _out(low, high)


def exact_binomial_interval(k, n, confidence: float = 0.95):
    """Clopper-Pearson ("exact") interval for k/n from beta quantiles, as proportions; n = 0 gives nan."""
    alpha = 1 - confidence
    _z(confidence)
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k > 0, stats.beta.ppf(alpha / 2, k, n - k + 1), 0.0)
        high = np.where(k < n, stats.beta.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return _out(low, high)


def exact_poisson_interval(count, confidence: float = 0.95):
    """Exact Poisson limits for a count from chi-squared quantiles (Garwood); count 0 has lower limit 0."""
    alpha = 1 - confidence
    _z(confidence)
    o = np.asarray(count, dtype=float)
    low = np.where(o > 0, stats.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
    high = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    return _out(low, high)


def byar_poisson_interval(count, confidence: float = 0.95):
    """Limits for a count of events as used by PHE/OHID Fingertips: Byar's approximation for counts
    of 10 or more, the exact Poisson (chi-squared) limits for counts under 10.

    Byar (Breslow & Day 1987): lower = O (1 - 1/(9O) - z/(3 sqrt O))^3,
    upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3.
    """
    z = _z(confidence)
    o = np.asarray(count, dtype=float)
    if np.any(o < 0):
        raise ValueError("counts must be 0 or more")
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_low = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        byar_high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    exact_low, exact_high = (np.asarray(x) for x in exact_poisson_interval(o, confidence))
    small = o < BYAR_MIN_COUNT
    return _out(np.where(small, exact_low, byar_low), np.where(small, exact_high, byar_high))


def rate_interval(count, population, per: float = 10_000, confidence: float = 0.95):
    """Limits for the rate count / population x per (Byar / exact Poisson on the count).

    A population of 0 or less gives (nan, nan).
    """
    low, high = (np.asarray(x) for x in byar_poisson_interval(count, confidence))
    pop = np.asarray(population, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(pop > 0, per / pop, np.nan)
    return _out(low * scale, high * scale)
