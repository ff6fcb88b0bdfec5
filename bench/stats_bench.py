"""Benchmark: XmR SPC (limits, four rules, icons) for 3,000 series of 40 points, against a pandas baseline."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indicators.spc import LIMIT, LIMIT_2S, spc, spc_batch  # noqa: E402


def make_series(n_series: int, n_points: int, seed: int = 20240331) -> np.ndarray:
    """Noisy monthly counts; a third get a step change half way and a sixth a steady climb."""
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 6, (n_series, n_points)).round()
    x[: n_series // 3, n_points // 2 :] += 12
    x[n_series // 3 : n_series // 2] += np.linspace(0, 15, n_points)
    return x


def _cover(ends: pd.Series, width: int) -> pd.Series:
    """Points inside a window of `width` that ends at a flagged point."""
    return ends.iloc[::-1].rolling(width, min_periods=1).max().iloc[::-1] > 0


def pandas_flags(row: np.ndarray, baseline: int = 12) -> np.ndarray:
    """The same limits and rules written the plain pandas way, one series at a time."""
    s = pd.Series(row)
    mean, mr = s.iloc[:baseline].mean(), s.iloc[:baseline].diff().abs().mean()
    outside = (s > mean + LIMIT * mr) | (s < mean - LIMIT * mr)
    shift = _cover((s > mean).rolling(7).sum() == 7, 7) | _cover((s < mean).rolling(7).sum() == 7, 7)
    d = s.diff()
    trend = _cover((d > 0).rolling(6).sum() == 6, 7) | _cover((d < 0).rolling(6).sum() == 6, 7)
    high, low = s > mean + LIMIT_2S * mr, s < mean - LIMIT_2S * mr
    two = (_cover(high.rolling(3).sum() >= 2, 3) & high) | (_cover(low.rolling(3).sum() >= 2, 3) & low)
    return (outside | shift | trend | two).to_numpy()


def run(n_series: int = 3000, n_points: int = 40, baseline_series: int = 300) -> dict:
    """Seconds for the vectorised batch (best of 3), for one `spc()` call per series, and for the
    pandas baseline (timed on `baseline_series` series and scaled up), with the speed ratio."""
    x = make_series(n_series, n_points)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        result = spc_batch(x, "lower_better", target=55.0)
        timings.append(time.perf_counter() - started)
    dates = pd.date_range("2020-04-01", periods=n_points, freq="MS")
    started = time.perf_counter()
    singles = [spc(row, dates, "lower_better", target=55.0) for row in x]
    per_series_api = time.perf_counter() - started
    started = time.perf_counter()
    base = [pandas_flags(row) for row in x[:baseline_series]]
    pandas_seconds = (time.perf_counter() - started) * n_series / baseline_series
    agree = all(
        (result.flags[i] > 0).tolist() == base[i].tolist() == singles[i].special.tolist()
        for i in range(baseline_series)
    )
    seconds = min(timings)
    return {
        "series": n_series,
        "points": n_points,
        "seconds": seconds,
        "per_series_api_seconds": per_series_api,
        "pandas_baseline_seconds": pandas_seconds,
        "pandas_baseline_measured_on": baseline_series,
        "speed_ratio": pandas_seconds / seconds,
        "special_cause_series": int((result.variation_icon != "common_cause").sum()),
        "same_flags_as_baseline": agree,
        "under_1s": seconds < 1.0,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
