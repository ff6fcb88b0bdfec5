"""Least-recently-used caches bounded by the bytes they hold, not by their number of entries.

A server that views every LA of England asks for tens of thousands of (indicator, LA, breakdown)
frames over a day; an entry count cannot bound memory when one entry is 50 KB and another 2 MB.
These caches drop the least recently used entries once the frames they hold reach their budget.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import cachetools
import numpy as np
import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])


def frame_bytes(frame: pd.DataFrame | None) -> int:
    """What a frame holds, its Python strings and objects included (pandas' deep count)."""
    return 64 if frame is None else int(frame.memory_usage(index=True, deep=True).sum())


def arrays_bytes(*values: object) -> int:
    """The bytes of the frames, indexes, numpy arrays and lists (with what they hold) among `values`;
    anything else counts as its own object size."""
    total = 0
    for value in values:
        if isinstance(value, pd.DataFrame):
            total += frame_bytes(value)
        elif isinstance(value, pd.Series | pd.Index):
            total += int(value.memory_usage(deep=True))
        elif isinstance(value, np.ndarray):
            total += value.nbytes
        elif isinstance(value, list | tuple):
            total += sys.getsizeof(value) + arrays_bytes(*value)
        else:
            total += sys.getsizeof(value)
    return total


def budget_cache(max_bytes: int, sizeof: Callable[[Any], int] = frame_bytes) -> Callable[[F], F]:
    """Memoise a function of hashable arguments, holding at most `max_bytes` of results as `sizeof`
    counts them (a result larger than the whole budget is returned, not kept). Thread-safe; the
    wrapped function has `cache_clear()` like functools.lru_cache's."""
    cache = cachetools.LRUCache(maxsize=max_bytes, getsizeof=sizeof)
    lock = threading.Lock()

    def decorate(func: F) -> F:
        wrapped = cachetools.cached(cache, lock=lock)(func)

        def cache_clear() -> None:
            with lock:
                cache.clear()

        wrapped.cache_clear = cache_clear  # type: ignore[attr-defined]
        wrapped.cache_bytes = lambda: cache.currsize  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate
