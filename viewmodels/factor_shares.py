"""Repeat plans against first plans by a factor at the assessment before the plan, in words: "of
the repeat plans starting in 2025-26, 45% had domestic abuse identified; of the first plans, 30%"."""

from __future__ import annotations

import pandas as pd

from indicators.plan_factors import (
    FACTOR_BREAKDOWNS,
    GROUP_ORDER,
    IDENTIFIED,
    NO_ASSESSMENT,
    NOT_IDENTIFIED,
    factor_name,
)
from indicators.registry import Indicator

# The indicators whose numerator is the repeat plans among the plans starting (the denominator).
REPEAT_PLAN_INDICATORS = ("cpp_repeat_pct", "cpp_repeat_local_pct")
SMALL = range(1, 6)  # counts the board may not see


def repeat_versus_first(ind: Indicator, by: str | None, cells: pd.DataFrame, period: str, role: str) -> str:
    """The sentence, from the breakdown's cells as the role sees them; '' when it does not apply.

    Shares are of the plans whose child had an assessment with factors before the plan. For the board
    it is withheld when any of the four counts behind it (repeat and first plans, with and without
    the factor) is 1 to 5, or when a cell it needs is withheld."""
    if ind.id not in REPEAT_PLAN_INDICATORS or by not in FACTOR_BREAKDOWNS or cells.empty:
        return ""
    by_group = cells.set_index("group")
    needed = [g for g in (IDENTIFIED, NOT_IDENTIFIED) if g in by_group.index]
    if role != "analyst" and by_group.loc[needed, "suppressed"].astype(bool).any():
        return (
            f"Repeat and first plans by {factor_name(by).lower()}: withheld for {period} "
            "(small numbers). A longer period usually shows it."
        )
    repeat = {g: _count(by_group, g, "numerator") for g in GROUP_ORDER}
    plans = {g: _count(by_group, g, "denominator") for g in GROUP_ORDER}
    first = {g: plans[g] - repeat[g] for g in GROUP_ORDER}
    assessed_repeat = repeat[IDENTIFIED] + repeat[NOT_IDENTIFIED]
    assessed_first = first[IDENTIFIED] + first[NOT_IDENTIFIED]
    if not assessed_repeat or not assessed_first:
        return ""
    four = (repeat[IDENTIFIED], repeat[NOT_IDENTIFIED], first[IDENTIFIED], first[NOT_IDENTIFIED])
    if role != "analyst" and any(n in SMALL for n in four):
        return (
            f"Repeat and first plans by {factor_name(by).lower()}: withheld for {period}, as some of "
            "the counts behind it are 1 to 5. A longer period usually shows it."
        )
    name = factor_name(by).lower()
    words = (
        f"Of the {assessed_repeat:,} repeat plans starting in {period} whose child had an assessment "
        f"with factors before the plan, {repeat[IDENTIFIED] / assessed_repeat:.0%} had {name} "
        f"identified at the latest one; of the {assessed_first:,} first plans, "
        f"{first[IDENTIFIED] / assessed_first:.0%}."
    )
    unassessed = plans[NO_ASSESSMENT]
    hidden = NO_ASSESSMENT in by_group.index and bool(by_group.at[NO_ASSESSMENT, "suppressed"])
    if unassessed and not (hidden and role != "analyst"):
        words += (
            f" {unassessed:,} plan had no such assessment and is in neither share."
            if unassessed == 1
            else f" {unassessed:,} plans had no such assessment and are in neither share."
        )
    return words


def _count(by_group: pd.DataFrame, group: str, column: str) -> int:
    if group not in by_group.index:
        return 0
    value = by_group.at[group, column]
    return 0 if pd.isna(value) else int(value)
