"""Disclosure walk, partnership versus members: on the demo partnership as `safeguarding demo --partnership`
loads it (Leicester 856, Leicestershire 855 and Rutland 857, Rutland small enough for counts of 1-5),
no member's withheld total can be worked out from the partnership's total and the other members'.

For every indicator the partnership has values for, at every frequency and every period, the board sees
each member's total and the partnership's (`indicators.board.trend`, as every page, download, the CLI
and the report show them) and the "compare LAs" view (the partnership's `la` breakdown,
`indicators.board.suppressed_breakdown`). A member's count is unseen when both withhold it. Rule 1: no
shown total is a count of 1-5. Rule 2 (the walk's `recoverable`, see test_disclosure_walk.py): with the
partnership's total shown, the unseen members are not exactly one, and two or more are not pinned to
their least values; with the partnership's total withheld, at least one member is unseen.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

import indicators
from indicators import board
from tests.integration.test_disclosure_walk import DIMS, ROLE, recoverable
from viewmodels.state import FREQUENCIES
from vocabulary.partnership import PARTNERSHIP

MEMBERS = ("855", "856", "857")


def partnership_walk(warehouse) -> tuple[list[str], Counter]:
    """Every indicator x frequency x period of the partnership: the problems found, and what was seen."""
    problems: list[str] = []
    counted: Counter = Counter()
    for ind in indicators.registry().values():
        for freq in FREQUENCIES:
            periods = [p.label for p in indicators.available_periods(freq, PARTNERSHIP, warehouse, ind.id)]
            if not periods:
                continue
            counted["series"] += 1
            shown = {la: board.trend(ind.id, periods, la, ROLE, warehouse) for la in (*MEMBERS, PARTNERSHIP)}
            truth = {la: indicators.values(ind.id, periods, la, None, warehouse) for la in shown}
            compare = None
            if "la" in ind.breakdowns:
                compare = board.suppressed_breakdown(ind.id, periods, PARTNERSHIP, "la", ROLE, warehouse)
            rows, margins = [], []
            for dim, floor in DIMS[ind.unit]:
                for la in shown:
                    frame, true = shown[la].set_index("period"), truth[la].set_index("period")
                    for period in periods:
                        hidden = bool(frame.loc[period, "suppressed"])
                        value = float(pd.to_numeric(true.loc[period, dim], errors="coerce") or 0)
                        if not hidden and 1 <= value <= 5 and (dim == "denominator" or ind.unit != "days"):
                            problems.append(f"{ind.id} {freq} {period} {la}: {dim} {value:g} shown")
                        if compare is not None and la != PARTNERSHIP:
                            cell = compare.cells[
                                (compare.cells["period"] == period) & (compare.cells["group"] == la)
                            ]
                            hidden = hidden and (cell.empty or bool(cell["suppressed"].iloc[0]))
                        if compare is not None and la == PARTNERSHIP:
                            total = compare.total.set_index("period")
                            hidden = hidden and bool(total.loc[period, "suppressed"])
                        counted["withheld members"] += hidden and la != PARTNERSHIP
                        counted["cells"] += 1
                        key = {"qty": f"{ind.id}.{dim}", "period": period}
                        if la == PARTNERSHIP:
                            margins.append({**key, "margin_seen": not hidden, "margin_true": value})
                        else:
                            rows.append({**key, "group": la, "unseen": hidden, "true": value, "floor": floor})
            bad = recoverable(pd.DataFrame(rows), pd.DataFrame(margins), ["qty", "period"])
            for (qty, period), r in bad.head(5).iterrows():
                problems.append(f"{qty} {freq} {period}: recoverable {dict(r)}")
            counted["recoverable"] += len(bad)
    return problems, counted


@pytest.fixture(scope="module")
def warehouse(partnership_demo):
    return partnership_demo["warehouse"]


def test_partnership_differencing_recovers_no_withheld_member_cell(warehouse):
    assert PARTNERSHIP in indicators.api.local_authorities(warehouse)
    problems, counted = partnership_walk(warehouse)
    print(f"\nPartnership walk: {dict(counted)}; {len(problems)} problems")
    assert problems == [], "\n".join(problems[:40])
    assert counted["recoverable"] == 0
    # Not vacuous: census indicators at every frequency, and Rutland's small counts withheld.
    assert counted["series"] >= 20 * len(FREQUENCIES)
    assert counted["withheld members"] > 100


def test_partnership_walk_fails_without_the_partnership_table(warehouse, monkeypatch):
    """The walk can fail: each LA suppressed on its own (no `member_withheld`), Rutland's small
    monthly counts are withheld on its pages while Leicester's, Leicestershire's and the
    partnership's totals are shown, so Rutland's is their difference."""
    monkeypatch.setattr(board, "member_withheld", lambda *args, **kwargs: frozenset())
    _, counted = partnership_walk(warehouse)
    print(f"\nWithout the partnership table: {dict(counted)}")
    assert counted["recoverable"] > 0
