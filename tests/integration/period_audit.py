"""Cross-period audit for the disclosure walk: can a withheld count be worked out from published periods?

Every board channel (dashboard trend tables and breakdowns at every frequency, the CLI's `--role board`
rows, and so the downloads and the report, which are built from the same rows) adds what it shows of
a series: one count (numerator or denominator) of one indicator, LA, breakdown and group, at periods of
any frequency. For a measure counted over a period (`indicators.board.is_flow`) a period's count is the
sum of its months, so the audit is a linear programme over the months: every period published anywhere
fixes the sum of its months (months >= 0), and a withheld period is recoverable when its least and
greatest values are equal. For a snapshot measure two periods ending on the same day are the same
count, so a withheld period is recoverable when a period ending that day is published anywhere.
Age bands are decided on a period's last day, so they are not additive over time and are checked only
against periods ending the same day. Only the period dimension is searched here (one group at a time);
tables of groups against their total
are checked by the walk's rule 2.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog

# Groups decided at the period end (age at the last day), so a year's group is not the sum of its months'.
NOT_ADDITIVE = {"age_band"}
DIMS = {"count": ("numerator",), "rate_per_10k": ("numerator",), "rate_per_100k": ("numerator",)}


def dims(unit: str) -> tuple[str, ...]:
    return DIMS.get(unit, ("numerator", "denominator"))


def _month(d) -> int:
    d = pd.Timestamp(d)
    return d.year * 12 + d.month - 1


@dataclass
class PeriodAudit:
    """Per series: period -> (first month, last month, period end, true value, shown anywhere)."""

    cells: dict = field(default_factory=lambda: defaultdict(dict))
    flows: set = field(default_factory=set)
    same_span: set = field(default_factory=set)  # counted over a period but grouped at its end
    channels: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, channel: str, frame: pd.DataFrame, truth: pd.DataFrame, unit: str, flow: bool) -> None:
        """`frame`: rows as a channel shows them (`suppressed`; withheld-whole rows absent), with
        indicator_id, la_code, breakdown, group, period, period_start, period_end. `truth`: the
        analyst's rows for the same periods (every row)."""
        key_cols = ["indicator_id", "la_code", "breakdown", "group", "period"]
        seen = set()
        rows = frame[[*key_cols, "suppressed"]] if len(frame) else []  # an output may list nothing
        for r in rows.itertuples(index=False) if len(frame) else ():
            if not r.suppressed:
                seen.add(tuple(r[:5]))
        for r in truth.itertuples(index=False):
            k = (r.indicator_id, r.la_code, r.breakdown, r.group, r.period)
            if r.status == "not covered by loaded data":
                continue
            for dim in dims(unit):
                series = (*k[:4], dim)
                if flow and r.breakdown not in NOT_ADDITIVE:
                    self.flows.add(series)
                elif flow:
                    self.same_span.add(series)
                value = getattr(r, dim)
                old = self.cells[series].get(r.period)
                shown = k in seen or (old is not None and old[4])
                true = 0.0 if value is None or pd.isna(value) else float(value)
                self.cells[series][r.period] = (
                    _month(r.period_start),
                    _month(r.period_end),
                    r.period_end,
                    true,
                    shown,
                )
        self.channels[channel] += len(frame)

    def recoverable(self) -> tuple[list[str], dict]:
        """Withheld cells of 1-5 that the published periods pin down, and counts of what was searched."""
        found, stats = [], {"series": 0, "withheld": 0, "withheld_small": 0, "linear_programmes": 0}
        for series, cells in self.cells.items():
            stats["series"] += 1
            hidden = {p: c for p, c in cells.items() if not c[4]}
            stats["withheld"] += len(hidden)
            small = {p: c for p, c in hidden.items() if 1 <= c[3] <= 5}
            stats["withheld_small"] += len(small)
            if not small:
                continue
            shown = [c for c in cells.values() if c[4]]
            if series not in self.flows:  # a snapshot: the same day published under another label
                same = (lambda c: c[:2]) if series in self.same_span else (lambda c: c[2])
                days = {same(c) for c in shown}
                found += [f"{series} {p} = {c[3]:g}" for p, c in small.items() if same(c) in days]
                continue
            lo = min(c[0] for c in cells.values())
            n = max(c[1] for c in cells.values()) - lo + 1
            a_eq = np.zeros((len(shown), n))
            for i, c in enumerate(shown):
                a_eq[i, c[0] - lo : c[1] - lo + 1] = 1
            b_eq = np.array([c[3] for c in shown])
            for p, c in small.items():
                if not shown or not a_eq[:, c[0] - lo : c[1] - lo + 1].any():
                    continue  # no published period shares a month with it
                obj = np.zeros(n)
                obj[c[0] - lo : c[1] - lo + 1] = 1
                kw = {"A_eq": a_eq, "b_eq": b_eq, "bounds": (0, None), "method": "highs"}
                low, high = linprog(obj, **kw), linprog(-obj, **kw)
                stats["linear_programmes"] += 2
                pinned = low.status == 0 and high.status == 0 and -high.fun - low.fun < 1e-6
                if pinned and abs(low.fun - c[3]) < 1e-6:  # (not a group that moves with the period end)
                    found.append(f"{series} {p} = {c[3]:g}")
        return found, stats
