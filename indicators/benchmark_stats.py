"""The pure statistics behind published benchmarks: the neighbour average, national rank, quartile band
A-D, the three-year trend and reorganisation notes (conventions in indicators/benchmarks.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

Average = Literal["mean", "median"]
BANDS = ("A", "B", "C", "D")


def present_values(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]


def average_of(values: Sequence[float | None], how: Average = "mean") -> float | None:
    """Mean (default, as LAIT) or median of the non-missing values; None if there are none."""
    clean = present_values(values)
    if not clean:
        return None
    if how == "mean":
        return float(np.mean(clean))
    if how == "median":
        return float(np.median(clean))
    raise ValueError(f"average must be 'mean' or 'median', not {how!r}")


def lower_is_better(polarity: str) -> bool | None:
    return {"lower_better": True, "lower_better_not_zero": True, "higher_better": False}.get(polarity)


def national_rank(value: float | None, values: Sequence[float | None], polarity: str) -> int | None:
    """Rank of `value` among `values` (which include it), 1 = best; ties share the lower rank.
    For context indicators 1 = the lowest value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    clean = present_values(values)
    lower = lower_is_better(polarity)
    if lower is False:
        return 1 + sum(v > value for v in clean)
    return 1 + sum(v < value for v in clean)


def quartile_band(value: float | None, values: Sequence[float | None], polarity: str) -> str | None:
    """A-D, A = the best quarter for the polarity (A = lowest values for context indicators).

    Cut points are the quartiles of `values` (linear interpolation, R's default, as LAIT); a value
    on a cut point falls in the better band for lower-is-better, as in LAIT."""
    clean = present_values(values)
    if value is None or (isinstance(value, float) and math.isnan(value)) or not clean:
        return None
    q1, q2, q3 = np.quantile(clean, [0.25, 0.5, 0.75])
    if lower_is_better(polarity) is False:
        if value >= q3:
            return "A"
        return "B" if value >= q2 else "C" if value >= q1 else "D"
    if value <= q1:
        return "A"
    return "B" if value <= q2 else "C" if value <= q3 else "D"


def trend_direction(values: Sequence[float | None], polarity: str) -> tuple[str, str]:
    """(direction, judgement) over consecutive values, oldest first (normally the last three).

    direction: increasing, decreasing, no change, no clear trend, or not enough data (a value
    is missing); judgement: improving, worsening, no judgement (context or no clear direction)."""
    if len(values) < 2 or any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
        return "not enough data", "no judgement"
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    if all(s > 0 for s in steps):
        direction = "increasing"
    elif all(s < 0 for s in steps):
        direction = "decreasing"
    elif all(s == 0 for s in steps):
        return "no change", "no judgement"
    else:
        return "no clear trend", "no judgement"
    lower = lower_is_better(polarity)
    if lower is None:
        return direction, "no judgement"
    better = (direction == "decreasing") == lower
    return direction, "improving" if better else "worsening"


def reorganisation_notes(codes: pd.DataFrame, first_time_period: int, last_time_period: int) -> list[str]:
    """Notes for an LA whose series starts or ends inside [first, last] because of a
    reorganisation (rows of `la_codes` for the LA). A change of ONS code alone is no break."""
    notes: list[str] = []
    for row in codes.itertuples(index=False):
        created = len(row.predecessor_la_codes) > 0 and row.first_time_period > first_time_period
        abolished = len(row.successor_la_codes) > 0 and row.last_time_period < last_time_period
        if (created or abolished) and row.reorganisation_note and row.reorganisation_note not in notes:
            notes.append(row.reorganisation_note)
    return notes
