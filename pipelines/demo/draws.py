"""Day numbers, cumulative weights and buffered random draws shared by the demo generators."""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from datetime import date, datetime
from math import exp, log

import numpy as np

_EPOCH = date(1970, 1, 1)
_EPOCH_ORD = _EPOCH.toordinal()
_NEVER = 10**7  # "no such date" / "still open": later than any reference date


def _day(d: date) -> int:
    return d.toordinal() - _EPOCH_ORD


def _add_months(day: int, months: int) -> int:
    d = date.fromordinal(day + _EPOCH_ORD)
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, monthrange(y, m)[1])).toordinal() - _EPOCH_ORD


def _cum(weights) -> list[float]:
    return np.cumsum(np.asarray(list(weights), dtype=float)).tolist()


def _codes_cum(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    return list(weights), _cum(weights.values())


class _Draws:
    """Buffered scalar draws from one numpy Generator (fast in a Python loop, reproducible)."""

    def __init__(self, rng: np.random.Generator, block: int = 1 << 16):
        self.rng = rng
        self._block = block
        self._u: list[float] = []
        self._ui = 0
        self._z: list[float] = []
        self._zi = 0

    def u(self) -> float:
        i = self._ui
        if i >= len(self._u):
            self._u = self.rng.random(self._block).tolist()
            i = 0
        self._ui = i + 1
        return self._u[i]

    def z(self) -> float:
        i = self._zi
        if i >= len(self._z):
            self._z = self.rng.standard_normal(self._block).tolist()
            i = 0
        self._zi = i + 1
        return self._z[i]

    def cat(self, cum: list[float]) -> int:
        return bisect_right(cum, self.u() * cum[-1])

    def expo(self, mean: float) -> float:
        return -log(1.0 - self.u()) * mean

    def lognormal(self, median: float, sigma: float) -> float:
        return median * exp(sigma * self.z())


class _DateText:
    def __init__(self, lo: int, hi: int):
        self.lo = lo
        self.text = np.arange(lo, hi + 1).astype("datetime64[D]").astype(str).tolist()

    def __call__(self, day: int) -> str:
        return self.text[day - self.lo]


def _as_date(day: int) -> datetime:
    return datetime.fromordinal(day + _EPOCH_ORD)
