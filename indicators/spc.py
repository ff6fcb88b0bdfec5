"""Statistical process control as in NHS England's "Making Data Count": XmR and p-charts, rules and icons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Conventions (NHS England "Making Data Count", NHS-R NHSRplotthedots):
# - Limits come from the first `baseline` points of each segment and stay fixed; only declared rebase
#   dates start a segment. Moving-range screening is off by default, as in the MDC Excel tool.
# - "Beyond" is strict: a point exactly on a limit or 2 sigma line is not beyond it; a point on the mean
#   breaks a shift, an equal neighbour breaks a trend. Runs and trends count points (7 rising = 6 rises).
# - Two of three: in any 3 consecutive points, 2 or more beyond the same 2 sigma line (points beyond the
#   process limit count too); only the points beyond the line are flagged.
# - A point's side is its side of the mean, except for points flagged only by a trend, which take the
#   trend's direction. The polarity turns the side into improving / concerning (context: neither).
# - Assurance compares the target with the latest point's limits (the current segment), strictly: a
#   target equal to a limit is hit and miss.

LIMIT = 2.66  # process limits: mean +/- 2.66 x mean moving range (3 sigma)
LIMIT_2S = LIMIT * 2 / 3  # 2 sigma lines (1.773), the NHS-R / Making Data Count convention
SCREEN = 3.267  # moving ranges above 3.267 x mean moving range are screened out (optional)
RULES = ("outside_limits", "shift", "trend", "two_of_three")
BIT = {name: 1 << i for i, name in enumerate(RULES)}
POLARITIES = ("higher_better", "lower_better", "lower_better_not_zero", "context")
_GOOD_SIDE = {"higher_better": 1, "lower_better": -1, "lower_better_not_zero": -1, "context": 0}

VARIATION_TEXT = {
    "common_cause": "Common cause variation: no significant change",
    "special_cause_improving_high": "Special cause variation: improving (higher)",
    "special_cause_improving_low": "Special cause variation: improving (lower)",
    "special_cause_concerning_high": "Special cause variation: concerning (higher)",
    "special_cause_concerning_low": "Special cause variation: concerning (lower)",
    "special_cause_neither_high": "Special cause variation: higher, neither improving nor concerning",
    "special_cause_neither_low": "Special cause variation: lower, neither improving nor concerning",
}
ASSURANCE_TEXT = {
    "consistently_passing": "The target is consistently met: every value within the limits passes",
    "consistently_failing": "The target is consistently missed: it will not be met without a change",
    "hit_and_miss": "Hit and miss: the target lies within the limits, so it is met or missed by chance",
    "none": "No assurance: there is no target, or the indicator is for context only",
}

Target = float | tuple[float, float] | None


def variation_text(icon: str | None) -> str:
    """Plain words for a variation icon."""
    return VARIATION_TEXT.get(icon or "", "SPC not shown")


def assurance_text(icon: str) -> str:
    """Plain words for an assurance icon."""
    return ASSURANCE_TEXT[icon]


@dataclass(frozen=True)
class Limits:
    mean: float
    mr_bar: float
    upper: float
    lower: float
    upper_2s: float
    lower_2s: float
    baseline_points: int
    screened_out: int  # moving ranges left out by screening


def _xmr(x: np.ndarray, baseline: int | None, screen: bool) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Mean and mean moving range of each row's first `baseline` points (all if None): x is (m, n)."""
    b = x.shape[1] if baseline is None else min(baseline, x.shape[1])
    base = x[:, :b]
    mean = base.mean(axis=1) if b else np.full(x.shape[0], np.nan)
    mr = np.abs(np.diff(base, axis=1))
    screened = np.zeros(x.shape[0], dtype=int)
    if mr.shape[1] == 0:
        return mean, np.full(x.shape[0], np.nan), b, screened
    mr_bar = mr.mean(axis=1)
    if screen:
        keep = mr <= SCREEN * mr_bar[:, None]
        screened = (~keep).sum(axis=1)
        mr_bar = (mr * keep).sum(axis=1) / keep.sum(axis=1)
    return mean, mr_bar, b, screened


def xmr_limits(
    values: Sequence[float] | np.ndarray, baseline: int | None = 12, screen_moving_ranges: bool = False
) -> Limits:
    """XmR limits from the first `baseline` points (all points if None or if there are fewer)."""
    x = np.asarray(values, dtype=float)[None, :]
    mean, mr_bar, b, screened = _xmr(x, baseline, screen_moving_ranges)
    m, r = float(mean[0]), float(mr_bar[0])
    return Limits(m, r, m + LIMIT * r, m - LIMIT * r, m + LIMIT_2S * r, m - LIMIT_2S * r, b, int(screened[0]))


# --- the rules, for many rows at once ----------------------------------------------------------------------


def _window_count(mask: np.ndarray, width: int) -> np.ndarray:
    """(m, n) bool -> (m, n - width + 1): how many True in each window of `width`."""
    m, n = mask.shape
    if width < 1 or n < width:
        return np.zeros((m, 0), dtype=int)
    c = np.zeros((m, n + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=c[:, 1:])
    return c[:, width:] - c[:, :-width]


def _cover(starts: np.ndarray, width: int, n: int) -> np.ndarray:
    """Points (m, n) lying in at least one flagged window; starts[:, s] flags points s .. s+width-1."""
    m, k = starts.shape
    if k == 0:
        return np.zeros((m, n), dtype=bool)
    c = np.zeros((m, n + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, out=c[:, 1 : k + 1])
    c[:, k + 1 :] = c[:, k : k + 1]
    hi = np.arange(1, n + 1)
    return (c[:, hi] - c[:, np.maximum(0, hi - width)]) > 0


def _flags(x, centre, upper, lower, upper_2s, lower_2s, run_length: int, trend_length: int):
    """Rule bitmask and side (+1 high, -1 low) per point; x is (m, n) without gaps, limits broadcast."""
    n = x.shape[1]
    outside = (x > upper) | (x < lower)
    shift = _cover(_window_count(x > centre, run_length) == run_length, run_length, n) | _cover(
        _window_count(x < centre, run_length) == run_length, run_length, n
    )
    d = np.diff(x, axis=1)
    t = trend_length - 1  # 7 points rising = 6 increases
    rising = _cover(_window_count(d > 0, t) == t, trend_length, n)
    falling = _cover(_window_count(d < 0, t) == t, trend_length, n)
    high_2s, low_2s = x > upper_2s, x < lower_2s
    two = (_cover(_window_count(high_2s, 3) >= 2, 3, n) & high_2s) | (
        _cover(_window_count(low_2s, 3) >= 2, 3, n) & low_2s
    )
    flags = (
        outside * BIT["outside_limits"]
        | shift * BIT["shift"]
        | (rising | falling) * BIT["trend"]
        | two * BIT["two_of_three"]
    ).astype(np.uint8)
    # The side relative to the mean decides, except for points flagged only by a trend (its direction).
    level = np.sign(x - centre).astype(np.int8)
    side = np.where(outside | shift | two, level, np.where(rising, 1, np.where(falling, -1, 0)))
    return flags, side.astype(np.int8)


def _direction(flags: np.ndarray, side: np.ndarray, polarity: str) -> np.ndarray:
    good = _GOOD_SIDE[polarity]
    if good == 0:
        return np.where(flags > 0, "neither", "")
    return np.where(flags == 0, "", np.where(side == good, "improving", "concerning"))


def _variation_icons(last_flags: np.ndarray, last_side: np.ndarray, polarity: str) -> np.ndarray:
    words = _direction(last_flags, last_side, polarity)
    high = np.where(last_side >= 0, "high", "low")
    return np.where(
        last_flags == 0,
        "common_cause",
        np.char.add(np.char.add("special_cause_", words.astype(str)), np.char.add("_", high)),
    )


def _assurance(lower: np.ndarray, upper: np.ndarray, target: Target, polarity: str) -> np.ndarray:
    lower, upper = np.atleast_1d(lower), np.atleast_1d(upper)
    none = np.full(lower.shape, "none", dtype=object)
    if target is None or polarity == "context":
        return none
    if isinstance(target, tuple | list):
        lo, hi = sorted(float(v) for v in target)
        passing, failing = (lo <= lower) & (upper <= hi), (upper < lo) | (lower > hi)
    elif _GOOD_SIDE[polarity] > 0:
        passing, failing = lower > target, upper < target
    else:
        passing, failing = upper < target, lower > target
    out = np.select([passing, failing], ["consistently_passing", "consistently_failing"], "hit_and_miss")
    return np.where(np.isnan(lower) | np.isnan(upper), none, out.astype(object))


def _check(polarity: str, run_length: int, trend_length: int) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
    for name, v in (("run_length", run_length), ("trend_length", trend_length)):
        if not 6 <= v <= 8:
            raise ValueError(f"{name} must be 6, 7 or 8 (Making Data Count), not {v}")


@dataclass(frozen=True)
class BatchResult:
    """SPC for many equal-length series (rows): limits per row, rule bitmask and side per point."""

    mean: np.ndarray
    upper: np.ndarray
    lower: np.ndarray
    flags: np.ndarray  # (m, n) uint8; bit i set = RULES[i] fired
    side: np.ndarray  # (m, n) int8
    variation_icon: np.ndarray
    assurance_icon: np.ndarray


def spc_batch(
    values: np.ndarray,
    polarity: str,
    *,
    baseline: int | None = 12,
    run_length: int = 7,
    trend_length: int = 7,
    target: Target = None,
    screen_moving_ranges: bool = False,
) -> BatchResult:
    """XmR SPC for many series at once: each row one series with no gaps and no rebase (the bulk path)."""
    _check(polarity, run_length, trend_length)
    x = np.asarray(values, dtype=float)
    mean, mr_bar, _, _ = _xmr(x, baseline, screen_moving_ranges)
    c, r = mean[:, None], mr_bar[:, None]
    flags, side = _flags(
        x, c, c + LIMIT * r, c - LIMIT * r, c + LIMIT_2S * r, c - LIMIT_2S * r, run_length, trend_length
    )
    upper, lower = mean + LIMIT * mr_bar, mean - LIMIT * mr_bar
    return BatchResult(
        mean,
        upper,
        lower,
        flags,
        side,
        _variation_icons(flags[:, -1], side[:, -1], polarity),
        _assurance(lower, upper, target, polarity),
    )


# --- one series, with rebasing, annotations and the result object -------------------------------------------


@dataclass(frozen=True)
class Segment:
    start: int  # first point (position in the series)
    end: int  # one past the last point
    start_date: pd.Timestamp
    reason: str | None  # None for the first segment
    baseline_points: int
    mean: float
    upper: float  # nan for a p-chart, whose limits vary by point
    lower: float


@dataclass(frozen=True)
class Annotation:
    date: pd.Timestamp
    text: str
    index: int | None  # the first point on or after the date


@dataclass
class SpcResult:
    chart: str  # "xmr" or "p"
    polarity: str
    available: bool
    reason: str | None
    dates: pd.DatetimeIndex
    value: np.ndarray
    mean: np.ndarray
    upper: np.ndarray
    lower: np.ndarray
    upper_2s: np.ndarray
    lower_2s: np.ndarray
    special: np.ndarray
    rules: list[list[str]]
    direction: list[str | None]
    segment: np.ndarray
    variation_icon: str | None = None
    assurance_icon: str = "none"
    segments: list[Segment] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def variation_text(self) -> str:
        return variation_text(self.variation_icon) if self.available else (self.reason or "")

    @property
    def assurance_text(self) -> str:
        return assurance_text(self.assurance_icon)

    def to_frame(self) -> pd.DataFrame:
        notes: dict[int, list[str]] = {}
        for a in self.annotations:
            if a.index is not None:
                notes.setdefault(a.index, []).append(a.text)
        return pd.DataFrame(
            {
                "date": self.dates,
                "value": self.value,
                "mean": self.mean,
                "upper": self.upper,
                "lower": self.lower,
                "upper_2s": self.upper_2s,
                "lower_2s": self.lower_2s,
                "special": self.special,
                "rules": [", ".join(r) for r in self.rules],
                "direction": self.direction,
                "segment": self.segment,
                "annotation": ["; ".join(notes.get(i, [])) for i in range(len(self.value))],
            }
        )


def _segment_starts(dates: pd.DatetimeIndex, rebase_dates) -> tuple[dict[int, str], list[str]]:
    starts: dict[int, str] = {}
    notes = []
    for when, reason in rebase_dates:
        if not str(reason or "").strip():
            raise ValueError(f"rebase on {when} needs a reason")
        i = int(dates.searchsorted(pd.Timestamp(when)))
        if 0 < i < len(dates):
            starts[i] = f"{starts[i]}; {reason}" if i in starts else str(reason)
        else:
            notes.append(
                f"Rebase on {pd.Timestamp(when):%d %b %Y} ({reason}) is outside the series; not applied."
            )
    return dict(sorted(starts.items())), notes


def _series(
    chart: str,
    x: np.ndarray,
    num: np.ndarray | None,
    den: np.ndarray | None,
    dates,
    polarity: str,
    baseline: int | None,
    rebase_dates,
    run_length: int,
    trend_length: int,
    target: Target,
    annotations,
    min_points: int,
    screen: bool,
    scale: float,
    clamp: tuple[float, float] | None = None,
) -> SpcResult:
    _check(polarity, run_length, trend_length)
    dates = dates if isinstance(dates, pd.DatetimeIndex) else pd.DatetimeIndex(pd.to_datetime(list(dates)))
    if len(dates) != len(x):
        raise ValueError(f"{len(x)} values but {len(dates)} dates")
    if not dates.is_monotonic_increasing:
        raise ValueError("dates must be in ascending order")
    n = len(x)
    nan = np.full(n, np.nan)
    res = SpcResult(
        chart,
        polarity,
        False,
        None,
        dates,
        x,
        nan.copy(),
        nan.copy(),
        nan.copy(),
        nan.copy(),
        nan.copy(),
        np.zeros(n, dtype=bool),
        [[] for _ in range(n)],
        [None] * n,
        np.zeros(n, dtype=int),
    )
    for when, text in annotations:
        i = int(dates.searchsorted(pd.Timestamp(when)))
        res.annotations.append(Annotation(pd.Timestamp(when), str(text), i if i < n else None))
    ok = np.isfinite(x)
    if ok.sum() < max(min_points, 1):
        res.reason = f"SPC needs at least {min_points} points; this series has {int(ok.sum())}."
        return res
    starts, res.notes = _segment_starts(dates, rebase_dates)
    bounds = [0, *starts, n]
    for k, (s, e) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        idx = np.flatnonzero(ok[s:e]) + s
        res.segment[s:e] = k
        if len(idx) == 0:
            continue
        b = len(idx) if baseline is None else min(baseline, len(idx))
        if chart == "xmr":
            mean, mr_bar, _, _ = _xmr(x[idx][None, :], b, screen)
            centre, r = float(mean[0]), float(mr_bar[0])
            seg_upper, seg_lower = centre + LIMIT * r, centre - LIMIT * r
            up2, lo2 = centre + LIMIT_2S * r, centre - LIMIT_2S * r
            if clamp is not None:  # e.g. a percentage cannot pass 0 or 100, so neither can its limits
                seg_upper, seg_lower, up2, lo2 = (
                    float(np.clip(v, *clamp)) for v in (seg_upper, seg_lower, up2, lo2)
                )
            up, lo = np.full(len(idx), seg_upper), np.full(len(idx), seg_lower)
        else:
            p = num[idx[:b]].sum() / den[idx[:b]].sum()
            sd = np.sqrt(p * (1 - p) / den[idx])
            centre, seg_upper, seg_lower = p * scale, np.nan, np.nan
            up, lo = np.clip(p + 3 * sd, 0, 1) * scale, np.clip(p - 3 * sd, 0, 1) * scale
            up2, lo2 = np.clip(p + 2 * sd, 0, 1) * scale, np.clip(p - 2 * sd, 0, 1) * scale
        flags, side = _flags(x[idx][None, :], centre, up, lo, up2, lo2, run_length, trend_length)
        res.mean[idx], res.upper[idx], res.lower[idx] = centre, up, lo
        res.upper_2s[idx], res.lower_2s[idx] = up2, lo2
        res.special[idx] = flags[0] > 0
        for i, f, d in zip(
            idx.tolist(), flags[0].tolist(), _direction(flags, side, polarity)[0].tolist(), strict=True
        ):
            if f:
                res.rules[i] = [name for name in RULES if f & BIT[name]]
                res.direction[i] = d
        res.segments.append(Segment(s, e, dates[s], starts.get(s), b, centre, seg_upper, seg_lower))
        last_flags, last_side = flags[:, -1], side[:, -1]
    res.available = True
    res.variation_icon = str(_variation_icons(last_flags, last_side, polarity)[0])
    last = int(np.flatnonzero(ok)[-1])
    if target is not None and hasattr(target, "band"):  # a targets.Target entry
        target = tuple(target.band) if target.band is not None else target.value
    res.assurance_icon = str(_assurance(res.lower[last], res.upper[last], target, polarity)[0])
    return res


def spc(
    values: Sequence[float] | np.ndarray,
    dates: Sequence,
    polarity: str,
    *,
    baseline: int | None = 12,
    rebase_dates: Sequence[tuple[object, str]] = (),
    run_length: int = 7,
    trend_length: int = 7,
    target: Target = None,
    annotations: Sequence[tuple[object, str]] = (),
    min_points: int = 15,
    screen_moving_ranges: bool = False,
    clamp: tuple[float, float] | None = None,
) -> SpcResult:
    """XmR chart with a fixed baseline per segment, declared rebases only, rules, icons and annotations.

    Missing values (NaN) are left out of the limits and rules and shown as gaps. `clamp` (low, high)
    clamps the limits and 2-sigma lines to the values the measure can take (0-100 for a percentage).
    """
    x = np.asarray(values, dtype=float)
    return _series(
        "xmr",
        x,
        None,
        None,
        dates,
        polarity,
        baseline,
        rebase_dates,
        run_length,
        trend_length,
        target,
        annotations,
        min_points,
        screen_moving_ranges,
        1.0,
        clamp,
    )


def p_chart(
    numerators: Sequence[float] | np.ndarray,
    denominators: Sequence[float] | np.ndarray,
    dates: Sequence,
    polarity: str,
    *,
    baseline: int | None = 12,
    rebase_dates: Sequence[tuple[object, str]] = (),
    run_length: int = 7,
    trend_length: int = 7,
    target: Target = None,
    annotations: Sequence[tuple[object, str]] = (),
    min_points: int = 15,
    scale: float = 1.0,
) -> SpcResult:
    """p-chart for a percentage with varying denominators: p-bar (pooled over the baseline points)
    +/- 3 sqrt(p-bar (1 - p-bar) / n_i), clipped to [0, 1]; values and target in units of `scale`
    (1 = proportions, 100 = percentages). Points with a zero denominator are gaps."""
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(den > 0, num / den, np.nan) * scale
    return _series(
        "p",
        x,
        num,
        den,
        dates,
        polarity,
        baseline,
        rebase_dates,
        run_length,
        trend_length,
        target,
        annotations,
        min_points,
        False,
        scale,
    )
