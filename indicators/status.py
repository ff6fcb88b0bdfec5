"""An indicator's latest covered value and its SPC: the one function the scorecard, the indicator page
and the exception report all read, so that they cannot disagree.

- **Latest covered period.** Asked for period P, an indicator is reported at the latest period up to P
  that its loaded sources cover (e.g. NI67 comes from the census only, so a quarter after the last census
  return shows the census's last quarter), and that period is named (`Status.period`, `Status.stale`).
- **SPC only on non-overlapping periods** (months, quarters, years). Rolling 12-month points share 11
  months of data each, so they are autocorrelated and the XmR rules do not apply: no verdict there.
- **Fixed baseline.** SPC runs on the indicator's whole covered series up to the period, so its baseline
  is the first points of that series (or of a segment declared in annotations.yaml), whatever range a
  page shows. A chosen From date only crops the chart.
- **Roles.** Everything here is unsuppressed; `shown_spc` decides what a role may see: for the board, no
  SPC for a series with a withheld value (limits and flags would hint at it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

import pandas as pd

from indicators import api, store
from indicators.board import trend as board_trend
from indicators.budget_cache import arrays_bytes, budget_cache
from indicators.spc import SpcResult

SPC_FREQUENCIES = ("month", "quarter", "year")
NOT_COVERED = "not covered by loaded data"
ROLLING_REASON = (
    "No SPC on rolling 12-month values: each point shares 11 months with the one before, so the points "
    "are not independent and the SPC rules do not apply. The chart shows the trend only; choose months, "
    "quarters or years for SPC."
)
WITHHELD_REASON = "SPC is not shown because some values are withheld (small numbers)."


@dataclass(frozen=True)
class Status:
    indicator_id: str
    requested: str | None  # the period asked for (None: the latest)
    period: str | None  # the latest covered period up to it (None: nothing covered)
    series: pd.DataFrame  # every covered period up to `period`, unsuppressed (the SPC's input)
    spc: SpcResult | None  # aligned with `series`; None when not computed
    spc_reason: str  # why there is no SPC, in words ("" when there is)
    warehouse: str | None = None  # where it was read (the board's suppression reads it again)

    @property
    def stale(self) -> bool:
        """True when the period asked for is not covered and an earlier one is reported."""
        return self.period is not None and self.requested is not None and self.period != self.requested

    @property
    def row(self) -> pd.Series | None:
        return self.series.iloc[-1] if len(self.series) else None

    def spc_frame(self) -> pd.DataFrame | None:
        """The SPC per point, indexed by period label (None when there is no SPC)."""
        if self.spc is None:
            return None
        frame = self.spc.to_frame()
        frame.index = list(self.series["period"])
        return frame


def latest_status(
    indicator_id: str,
    la: str | None,
    freq: str = "quarter",
    period: str | None = None,
    warehouse: str | Path | None = None,
) -> Status:
    """The indicator at the latest covered period up to `period`, with SPC over its whole covered series
    up to there (see the module docstring)."""
    wh = str(warehouse) if warehouse else None
    return replace(
        _latest_status(store.warehouse_version(wh), indicator_id, la, freq, period, wh), warehouse=wh
    )


def _status_bytes(status: Status) -> int:
    spc = status.spc
    arrays = [getattr(spc, f.name) for f in fields(spc)] if spc is not None else []
    return arrays_bytes(status.series, *arrays)


# Every (indicator, LA, frequency, period) a scorecard or page asked for, within a byte budget: a
# server viewing every LA of England asks for tens of thousands.
STATUS_CACHE_BYTES = 64 * 2**20


@budget_cache(STATUS_CACHE_BYTES, _status_bytes)
def _latest_status(
    version: tuple, indicator_id: str, la: str | None, freq: str, period: str | None, warehouse: str | None
) -> Status:
    periods = api.available_periods(freq, la, warehouse, indicator_id)
    if period is not None:
        from indicators.periods import parse_period

        end = parse_period(period, freq).end
        periods = [p for p in periods if p.end <= end]
    labels = [p.label for p in periods]
    empty = pd.DataFrame(columns=api.RESULT_COLUMNS)
    if not labels:
        return Status(indicator_id, period, None, empty, None, "No loaded data covers this indicator.")
    frame = api.values(indicator_id, labels, la, None, warehouse)
    frame = frame[frame["status"] != NOT_COVERED].reset_index(drop=True)
    if frame.empty:
        return Status(indicator_id, period, None, empty, None, "No loaded data covers this indicator.")
    if freq not in SPC_FREQUENCIES:
        return Status(indicator_id, period, frame["period"].iloc[-1], frame, None, ROLLING_REASON)
    _, result = api.spc_series(indicator_id, la, freq, warehouse, periods=list(frame["period"]))
    reason = "" if result.available else (result.reason or "SPC not available.")
    return Status(
        indicator_id, period, frame["period"].iloc[-1], frame, result if result.available else None, reason
    )


def shown_spc(status: Status, role: str) -> tuple[SpcResult | None, str]:
    """The SPC a role may see, or the reason it sees none. For the board, a series with any withheld
    value gets no SPC: the limits and special-cause marks would hint at the withheld values."""
    if status.spc is None:
        return None, status.spc_reason
    if role != "analyst":
        # Only the points SPC uses count: a period with no value (e.g. not yet measurable) is no point.
        # Withheld as the board's trend withholds it: every frequency decided together (indicators.board).
        points = pd.to_numeric(status.series["value"], errors="coerce").notna().to_numpy()
        la = status.series["la_code"].iloc[0] if len(status.series) else None
        shown = board_trend(status.indicator_id, list(status.series["period"]), la, role, status.warehouse)
        if (shown["suppressed"].to_numpy(dtype=bool) & points).any():
            return None, WITHHELD_REASON
    return status.spc, ""


def targets_by_period(frame: pd.DataFrame) -> list:
    """The target in force at each row's period end (a value, a (low, high) band or None), so a chart
    draws past periods against the target they had, not today's."""
    book = api.target_book()
    out = []
    for indicator_id, la_code, end in zip(
        frame["indicator_id"], frame["la_code"], frame["period_end"], strict=True
    ):
        target = book.target_for(indicator_id, la_code, pd.Timestamp(end).date())
        out.append(None if target is None else tuple(target.band) if target.band else target.value)
    return out
