"""The "compare LAs" view: the partnership's `la` breakdown, members named, the partnership beside them."""

from __future__ import annotations

import pandas as pd

from vocabulary.partnership import PARTNERSHIP

PARTNERSHIP_LABEL = "Partnership (all members)"


def compare_las(view) -> tuple[pd.DataFrame, list[list[str]]]:
    """The breakdown cells to draw and the rows of its table. For the partnership's `la` breakdown each
    member is named ("Leicester (856)") and the partnership's own value is the last bar and row, as
    the trend shows it for the same period (so nothing is shown that the page does not show already);
    any other breakdown is returned as it is."""
    cells, rows = view.breakdown, view.breakdown_rows
    if view.state.by != "la" or view.state.la != PARTNERSHIP or view.trend is None or view.trend.empty:
        return cells, rows
    last = view.trend.iloc[-1]
    if last["period"] != view.breakdown_period:
        return cells, rows
    named = {code: f"{view.las.get(code, code)} ({code})" for code in cells["group"]}
    cells = pd.concat(
        [
            cells.assign(group=cells["group"].map(named)),
            pd.DataFrame(
                [{"group": PARTNERSHIP_LABEL, "value": last["value"], "suppressed": last.suppressed}]
            ),
        ],
        ignore_index=True,
    )
    rows = [[named.get(r[0], r[0]), *r[1:]] for r in rows] + [[PARTNERSHIP_LABEL, *view.trend_rows[-1][2:5]]]
    return cells, rows
