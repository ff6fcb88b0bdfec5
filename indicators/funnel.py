"""Funnel plots for comparing areas at one period: exact binomial limits and flags (Spiegelhalter 2005)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

LEVELS = (0.95, 0.998)
WINSOR = 0.10  # share of z-scores pulled in at each end before estimating overdispersion


def level_name(level: float) -> str:
    """0.95 -> '95', 0.998 -> '99.8' (used in column names and flags)."""
    return f"{level * 100:g}"


def denominator_grid(low: int, high: int, points: int = 100) -> np.ndarray:
    """Whole-number denominators spaced evenly on a log scale, for drawing smooth funnel lines."""
    grid = np.unique(np.round(np.geomspace(max(int(low), 1), max(int(high), 1), points)).astype(int))
    return grid


def _exact_limit(n: np.ndarray, theta: float, p: float) -> np.ndarray:
    """Spiegelhalter (2005), appendix A.1.1: the p-quantile r of Binomial(n, theta), interpolated as
    (r - alpha) / n with alpha = (F(r) - p) / (F(r) - F(r - 1)); a proportion, clipped to [0, 1]."""
    n = np.asarray(n, dtype=float)
    r = stats.binom.ppf(p, n, theta)
    f_r, f_before = stats.binom.cdf(r, n, theta), stats.binom.cdf(r - 1, n, theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(f_r > f_before, (f_r - p) / (f_r - f_before), 0.0)
        limit = (r - alpha) / n
    return np.where(n > 0, np.clip(limit, 0, 1), np.nan)


def funnel_limits(
    denominators: Sequence[int] | np.ndarray, target_proportion: float, levels: Sequence[float] = LEVELS
) -> pd.DataFrame:
    """Exact binomial funnel limits (as proportions) around `target_proportion` for each denominator.

    Columns: denominator, target, then lower_<level> and upper_<level> for each level (e.g. lower_95,
    upper_99.8). For a smooth plotted line pass `denominator_grid(...)`.
    """
    if not 0 <= target_proportion <= 1:
        raise ValueError("target_proportion must be a proportion between 0 and 1")
    n = np.asarray(denominators, dtype=float)
    out = pd.DataFrame({"denominator": n.astype(int), "target": float(target_proportion)})
    for level in levels:
        tail = (1 - level) / 2
        out[f"lower_{level_name(level)}"] = _exact_limit(n, target_proportion, tail)
        out[f"upper_{level_name(level)}"] = _exact_limit(n, target_proportion, 1 - tail)
    return out


def overdispersion_phi(z: np.ndarray, winsor: float = WINSOR) -> float:
    """Spiegelhalter's multiplicative overdispersion factor: the mean square of the z-scores after
    winsorising (the lowest and highest `winsor` share are set to the 10th / 90th percentile)."""
    z = np.asarray(z, dtype=float)
    z = z[np.isfinite(z)]
    if len(z) == 0:
        return float("nan")
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    return float(np.mean(np.clip(z, lo, hi) ** 2))


def funnel_flags(
    numerators: Sequence[float] | np.ndarray,
    denominators: Sequence[float] | np.ndarray,
    target: float | None = None,
    overdispersion: bool = False,
    levels: Sequence[float] = LEVELS,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Flag each unit (area or LA) against exact binomial funnel limits around the target.

    `target` defaults to the pooled proportion (sum of numerators / sum of denominators). Flags are
    "inside", or above_/below_ the outermost limit crossed (e.g. "above_99.8", "below_95"); units with
    no denominator are "no_data". With `overdispersion=True`, phi is estimated from the z-scores
    (winsorised at 10% each end) and, if above 1, every limit's distance from the target is
    multiplied by sqrt(phi) (Spiegelhalter 2005, multiplicative model); the `limits` column says which
    limits were used.
    """
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if num.shape != den.shape:
        raise ValueError("numerators and denominators must have the same length")
    if np.any(num < 0) or np.any(num > den):
        raise ValueError("each numerator must be between 0 and its denominator")
    has = den > 0
    theta = float(num[has].sum() / den[has].sum()) if target is None else float(target)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(has, num / den, np.nan)
        z = (y - theta) / np.sqrt(theta * (1 - theta) / den)
    out = pd.DataFrame(
        {
            "unit": list(labels) if labels is not None else np.arange(len(num)),
            "numerator": num,
            "denominator": den,
            "proportion": y,
            "target": theta,
            "z": z,
        }
    )
    limits = funnel_limits(np.where(has, den, 0), theta, levels)
    phi, words = float("nan"), "exact binomial"
    if overdispersion:
        phi = overdispersion_phi(z)
        if phi > 1:
            words = f"exact binomial, widened for overdispersion (phi = {phi:.2f}, Spiegelhalter 2005)"
        else:
            words = f"exact binomial; no overdispersion found (phi = {phi:.2f}), so not widened"
    inflate = np.sqrt(phi) if overdispersion and phi > 1 else 1.0
    flag = np.where(has, "inside", "no_data").astype(object)
    for level in sorted(levels):  # the outermost crossing wins, so go from the inner limits outwards
        name = level_name(level)
        lower = np.clip(theta + inflate * (limits[f"lower_{name}"].to_numpy() - theta), 0, 1)
        upper = np.clip(theta + inflate * (limits[f"upper_{name}"].to_numpy() - theta), 0, 1)
        out[f"lower_{name}"], out[f"upper_{name}"] = lower, upper
        flag = np.where(
            has & (y > upper), f"above_{name}", np.where(has & (y < lower), f"below_{name}", flag)
        )
    out["flag"] = flag
    out["phi"] = phi
    out["limits"] = words
    return out
