"""Byte-bounded caches (indicators/budget_cache.py): what they keep, what they drop, what they count."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from indicators.budget_cache import arrays_bytes, budget_cache, frame_bytes


def _frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"value": np.zeros(rows, dtype=np.float64)})


def test_frame_bytes_counts_values_and_index():
    # 100 float64 values (800 bytes) and a RangeIndex (132 bytes in pandas 2)
    assert frame_bytes(_frame(100)) == 800 + _frame(100).index.memory_usage()
    assert frame_bytes(None) == 64


def test_frame_bytes_counts_python_strings():
    short, long = pd.DataFrame({"s": ["a"] * 10}), pd.DataFrame({"s": ["a" * 1000] * 10})
    assert frame_bytes(long) > frame_bytes(short) + 5000  # ten 1,000-character strings, counted deep


def test_arrays_bytes_counts_frames_arrays_lists_and_objects():
    assert arrays_bytes(np.zeros(10)) == 80
    assert arrays_bytes(_frame(10), np.zeros(5, dtype=np.int32)) == frame_bytes(_frame(10)) + 20
    assert arrays_bytes("text") == sys.getsizeof("text")
    # a list counts itself and what it holds, one level down and further
    assert arrays_bytes([np.zeros(4), ["ab"]]) == (
        sys.getsizeof([np.zeros(4), ["ab"]]) + 32 + sys.getsizeof(["ab"]) + sys.getsizeof("ab")
    )
    index = pd.date_range("2024-01-01", periods=10)
    assert arrays_bytes(index) == index.memory_usage(deep=True) == 80


def test_keeps_results_until_the_budget_is_full_then_drops_the_least_recently_used():
    calls: list[int] = []
    size = frame_bytes(_frame(100))

    @budget_cache(3 * size)
    def frame_for(key: int) -> pd.DataFrame:
        calls.append(key)
        return _frame(100)

    for key in (1, 2, 3, 1):  # 1 is used again, so 2 is now the least recently used
        frame_for(key)
    assert calls == [1, 2, 3]
    frame_for(4)  # a fourth frame: over budget, 2 goes
    assert frame_for.cache_bytes() == 3 * size
    frame_for(1)
    frame_for(3)
    assert calls == [1, 2, 3, 4]
    frame_for(2)
    assert calls == [1, 2, 3, 4, 2]


def test_a_result_bigger_than_the_budget_is_returned_not_kept():
    calls: list[int] = []

    @budget_cache(100)
    def big(key: int) -> pd.DataFrame:
        calls.append(key)
        return _frame(1000)

    assert len(big(1)) == 1000
    assert len(big(1)) == 1000
    assert calls == [1, 1]
    assert big.cache_bytes() == 0


def test_cache_clear_forgets_everything():
    calls: list[int] = []

    @budget_cache(10**6)
    def frame_for(key: int) -> pd.DataFrame:
        calls.append(key)
        return _frame(10)

    frame_for(1)
    frame_for.cache_clear()
    frame_for(1)
    assert calls == [1, 1]


def test_sizeof_decides_what_counts():
    @budget_cache(10, sizeof=lambda value: 6)
    def anything(key: int) -> str:
        return str(key)

    anything(1)
    anything(2)  # 12 > 10: the first goes
    assert anything.cache_bytes() == 6
