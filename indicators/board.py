"""What the board role may see of an indicator: suppression coordinated across counts, breakdowns and periods.

The dashboard (its pages and downloads), the quarterly report and `safeguarding indicators --role board`
all call these functions, so each withheld cell is withheld the same way in every channel:

* `trend`: the totals at any periods. For a measure counted over a period (plans starting, plans
  ending, deaths), one decision covers years, quarters, months and rolling 12 months together
  (`disclosure.period_withheld`), so no period can be read by subtracting others.
* `suppressed_breakdown`: one breakdown with its total, starting from the cells withheld in any count
  it shares with another indicator (SHARED_COUNTS). For a measure counted over a period the board
  gets breakdowns for whole years only (BREAKDOWN_YEARS_ONLY).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from indicators import store
from indicators.api import every_period_label, values
from indicators.disclosure import period_withheld, suppress
from indicators.partnership_disclosure import flow_withheld, member_withheld
from indicators.periods import Period, parse_period
from indicators.registry import Indicator, get
from vocabulary.partnership import PARTNERSHIP

# Counts that more than one indicator shows (a numerator here, a denominator there). A cell withheld in
# one table must be withheld wherever the same count is shown, or another page gives it away; so each
# shared count is suppressed once as a count of its own, and every indicator that shows it starts from
# those withheld cells. tests/integration/test_disclosure_walk.py finds shared counts from the data and
# fails if one is missing here.
SHARED_COUNTS: dict[str, tuple[tuple[str, str], ...]] = {
    "children on a plan": (
        ("cpp_at_end", "numerator"),
        ("cpp_rate_per_10k", "numerator"),
        ("cpp_open_2y_pct", "denominator"),
        ("cpp_by_category", "numerator"),
    ),
    "plans starting": (
        ("cpp_starts", "numerator"),
        ("cpp_repeat_pct", "denominator"),
        ("cpp_repeat_local_pct", "denominator"),
        ("cpp_repeat_2y_pct", "denominator"),
    ),
    # The two readings of NI65 count the same plans unless a return left out a previous plan.
    "repeat plans": (("cpp_repeat_pct", "numerator"), ("cpp_repeat_local_pct", "numerator")),
    "child deaths notified": (("cdop_deaths", "numerator"), ("cdop_rate_per_100k", "numerator")),
    # The front door (referrals, assessments, section 47 enquiries, children in need).
    "referrals": (
        ("referrals", "numerator"),
        ("referral_rate_per_10k", "numerator"),
        ("rereferral_12m_pct", "denominator"),
    ),
    "section 47 enquiries starting": (
        ("s47_starts", "numerator"),
        ("s47_rate_per_10k", "numerator"),
        ("s47_icpc_pct", "denominator"),
    ),
    "children in need": (("cin_at_end", "numerator"), ("cin_rate_per_10k", "numerator")),
    # Assessments with factors recorded are the assessments completed wherever every assessment records
    # its factors (the demo; the disclosure walk found them equal), so the two are withheld as one.
    "assessments completed": (
        ("assessment_45wd_pct", "denominator"),
        ("assessment_median_working_days", "denominator"),
        ("assessment_factor_pct", "denominator"),
    )
    + tuple(
        (f"factor_{name}_pct", "denominator")
        for name in ("domestic_abuse", "mental_health", "substance_misuse", "neglect", "exploitation")
    ),
    "child death reviews completed": (
        ("cdop_modifiable_pct", "denominator"),
        ("cdop_review_12m_pct", "denominator"),
        ("cdop_review_median_days", "denominator"),
    ),
}
# Breakdowns suppressed together, so that ethnicity codes are checked within their ethnic group's row
# (indicators.disclosure.NESTED) and both pages withhold the same cells.
TOGETHER = {"ethnicity": ("ethnicity", "ethnic_group"), "ethnic_group": ("ethnicity", "ethnic_group")}
PERIOD_NOTE = (
    "For the board, quarters, months and rolling 12 months of this measure are shown only where none of "
    "them has small numbers (1 to 5); otherwise they show as c and the year is shown instead, so that no "
    "period can be worked out by subtracting the others from the year."
)
BREAKDOWN_YEARS_ONLY = (
    "For the board, breakdowns of this measure are shown for whole years only: over a quarter or a month "
    "most groups are small, and any group could be worked out by subtracting one period from another. "
    "Choose the year frequency to see this breakdown."
)


def is_flow(ind: Indicator) -> bool:
    """Counted over a period (events dated in it), so a year is the sum of its quarters and months;
    not a snapshot on the period's last day (children on a plan, Annex A extract dates)."""
    return ind.measured_at != "period_end" and "annex_a_snapshot" not in ind.sources


def _label(p: Period | str) -> str:
    return p if isinstance(p, str) else p.label


def trend(indicator_id: str, periods: list, la: str | None, role: str, warehouse=None) -> pd.DataFrame:
    """The total rows at these periods as `role` may see them (see the module docstring). For a
    member LA of the partnership, or the partnership, totals the partnership table withholds are
    withheld too (indicators/partnership_disclosure.py)."""
    frame = values(indicator_id, periods, la, None, warehouse)
    if role == "analyst" or frame.empty:
        return suppress(frame, role)  # type: ignore[arg-type]
    labels = tuple(dict.fromkeys(frame["period"].tolist()))
    flow = is_flow(get(indicator_id))
    hidden = flow_withheld(indicator_id, la, role, warehouse) if flow else None
    if hidden is None:  # not a member LA or the partnership (or not a flow): each rule on its own
        hidden = member_withheld(indicator_id, labels, la, role, warehouse)
        if flow:
            wh = str(warehouse) if warehouse else None
            hidden = hidden | _period_withheld(store.warehouse_version(warehouse), indicator_id, la, wh)
    keys = zip(frame["la_code"].tolist(), frame["period"].tolist(), strict=True)
    mask = np.fromiter((k in hidden for k in keys), dtype=bool, count=len(frame))
    return suppress(frame, role, withheld=mask)  # type: ignore[arg-type]


@lru_cache(maxsize=512)
def _period_withheld(version, indicator_id: str, la: str | None, warehouse) -> frozenset:
    """(LA, period) of every total row withheld, over every period of every frequency loaded."""
    frame = values(indicator_id, every_period_label(la, warehouse, indicator_id), la, None, warehouse)
    out: set = set()
    for la_code, part in frame.groupby("la_code", sort=False):
        hidden = period_withheld(part.reset_index(drop=True))
        out |= {(la_code, p) for p in part["period"].to_numpy()[hidden]}
    return frozenset(out)


@dataclass
class SuppressedBreakdown:
    raw: pd.DataFrame  # the breakdown's rows as computed (for funnel limits and rates; never shown as is)
    total: pd.DataFrame  # the total rows, one per period, as the trend shows them
    cells: pd.DataFrame  # the breakdown's rows, suppressed (none for a period withheld whole)
    note: str = ""  # why periods are withheld whole for this role, when a rule (not the data) says so


def suppressed_breakdown(
    indicator_id: str, periods: list, la: str | None, by: str, role: str, warehouse=None
) -> SuppressedBreakdown:
    """One breakdown at these periods as `role` may see it.

    The breakdown is suppressed together with its total (and ethnicity with ethnic group), starting
    from the cells withheld in any count it shares with other indicators (SHARED_COUNTS). The total is
    shown as the trend shows it. Where the breakdown could only be protected by withholding a total
    that the trend publishes (every non-zero cell is withheld and their sum still pins them down, e.g.
    six deaths in six areas), the breakdown of that period is withheld whole: no rows at all, since a
    listed group is known not to be zero. For the board, a measure counted over a period is broken
    down for whole years only; other periods are withheld whole (BREAKDOWN_YEARS_ONLY). suppress()
    works per indicator, period and LA, so many periods at once give the same result as one at a time."""
    ind = get(indicator_id)
    raw = values(indicator_id, periods, la, by, warehouse)
    frame = _breakdown_frame(indicator_id, periods, la, by, warehouse, raw)
    withheld, whole, note = frozenset(), frozenset(), ""
    if role != "analyst":
        for members in SHARED_COUNTS.values():
            if ind.id in dict(members):
                cells, periods_ = _shared_withheld(members, periods, la, by, role, warehouse)
                withheld, whole = withheld | cells, whole | periods_
        if is_flow(ind):
            sub_year = {_label(p) for p in periods if parse_period(_label(p)).kind != "year"}
            if sub_year:
                note = BREAKDOWN_YEARS_ONLY
                whole |= {(p, code) for p in sub_year for code in set(frame["la_code"])}
        shown_total = trend(indicator_id, periods, la, role, warehouse)
        cells, periods_ = _partnership_withheld(ind, frame, shown_total, la, by, role, warehouse)
        withheld, whole = withheld | cells, whole | periods_
    shown, _ = _suppress_keeping_totals(frame, role, withheld, whole)
    total = shown[shown["breakdown"] == "total"].reset_index(drop=True)
    if role != "analyst":
        total = shown_total
    return SuppressedBreakdown(raw, total, shown[shown["breakdown"] == by].reset_index(drop=True), note)


def _partnership_withheld(ind, frame, shown_total, la, by, role, warehouse) -> tuple[frozenset, frozenset]:
    """What the partnership's rules add to a breakdown of a member LA or the partnership: the (period,
    LA) whose total the trend withholds although it is not small itself (withheld for the partnership
    table or the period rule), whose breakdown is withheld whole, since its cells would add up to it;
    and in the partnership's `la` breakdown (compare LAs), the members' totals withheld for the
    partnership, as (period, LA, breakdown, group) cells."""
    totals = frame[frame["breakdown"] == "total"]
    alone = suppress(totals, role)  # type: ignore[arg-type]
    small = set(_keys(alone[alone["suppressed"]], ("period", "la_code")))
    hidden = set(_keys(shown_total[shown_total["suppressed"].astype(bool)], ("period", "la_code")))
    whole = frozenset(hidden - small)
    if by != "la" or la != PARTNERSHIP:
        return frozenset(), whole
    labels = tuple(dict.fromkeys(_label(p) for p in frame["period"]))
    joint = flow_withheld(ind.id, la, role, warehouse) if is_flow(ind) else None
    members = joint if joint is not None else member_withheld(ind.id, labels, la, role, warehouse)
    cells = frozenset((p, PARTNERSHIP, "la", code) for code, p in members if code != PARTNERSHIP)
    return cells, whole


def _breakdown_frame(indicator_id, periods, la, by, warehouse, raw=None) -> pd.DataFrame:
    """The total rows, then the rows of `by` and of the breakdowns suppressed with it."""
    ind = get(indicator_id)
    parts = [values(indicator_id, periods, la, None, warehouse)]
    for b in TOGETHER.get(by, (by,)):
        if b == by and raw is not None:
            parts.append(raw)
        elif b in ind.breakdowns:
            parts.append(values(indicator_id, periods, la, b, warehouse))
    return pd.concat(parts, ignore_index=True)


def _shared_withheld(members, periods, la, by, role, warehouse) -> tuple[frozenset, frozenset]:
    """A shared count suppressed as a count of its own, from the member that has the most of the
    breakdowns suppressed with `by` (the same for all members): the (period, LA, breakdown, group) of
    its withheld cells and the (period, LA) withheld whole, which every member withholds too. Cached
    per warehouse file: every member's page asks for the same."""
    labels = tuple(_label(p) for p in periods)
    wh = str(warehouse) if warehouse else None
    return _shared_withheld_cached(store.warehouse_version(warehouse), members, labels, la, by, role, wh)


@lru_cache(maxsize=4096)
def _shared_withheld_cached(version, members, labels, la, by, role, warehouse) -> tuple[frozenset, frozenset]:
    wanted = TOGETHER.get(by, (by,))
    having = [(i, d) for i, d in members if by in get(i).breakdowns]
    if not having:
        return frozenset(), frozenset()
    source, dim = max(having, key=lambda m: sum(b in get(m[0]).breakdowns for b in wanted))
    frame = _breakdown_frame(source, list(labels), la, by, warehouse)
    count = pd.to_numeric(frame[dim], errors="coerce")
    frame = frame.assign(
        indicator_id="shared count", numerator=count, denominator=None, value=count, unit="count"
    )
    shown, whole = _suppress_keeping_totals(frame, role, frozenset(), frozenset())
    hidden = shown[shown["suppressed"] & (shown["breakdown"] != "total")]
    return frozenset(_keys(hidden, ("period", "la_code", "breakdown", "group"))), whole


def _keys(frame: pd.DataFrame, columns: tuple[str, ...]):
    return zip(*(frame[c].tolist() for c in columns), strict=True)


def _suppress_keeping_totals(
    frame: pd.DataFrame, role: str, withheld: frozenset, whole: frozenset
) -> tuple[pd.DataFrame, frozenset]:
    """suppress() with the `withheld` cells withheld first and the (period, LA) in `whole` left with
    their totals only; then any other period whose total only the breakdown withholds (the trend,
    which suppresses totals on their own, shows it) keeps its total and loses its cells. Returns the
    suppressed frame and every (period, LA) withheld whole."""
    if role == "analyst":
        return suppress(frame, role), frozenset()
    if whole:
        inside = np.fromiter((k in whole for k in _keys(frame, ("period", "la_code"))), dtype=bool)
        frame = frame[(frame["breakdown"] == "total").to_numpy() | ~inside].reset_index(drop=True)
    cells = (frame["breakdown"] != "total").to_numpy()
    forced = None
    if withheld:
        keys = _keys(frame, ("period", "la_code", "breakdown", "group"))
        forced = np.fromiter((k in withheld for k in keys), dtype=bool, count=len(frame)) & cells
    shown = suppress(frame, role, withheld=forced)  # type: ignore[arg-type]
    totals = np.flatnonzero(~cells)
    alone = suppress(frame.iloc[totals], role)  # type: ignore[arg-type]
    restore = totals[shown["suppressed"].to_numpy()[totals] & ~alone["suppressed"].to_numpy()]
    if not len(restore):
        return shown, whole
    lost = frozenset(_keys(frame.iloc[restore], ("period", "la_code")))
    gone = cells & np.fromiter((k in lost for k in _keys(frame, ("period", "la_code"))), dtype=bool)
    put_back = shown.index[restore]
    for col in ("numerator", "denominator", "value", "suppressed"):
        shown.loc[put_back, col] = alone.loc[put_back, col].to_numpy()
    return shown[~gone].reset_index(drop=True), whole | lost
