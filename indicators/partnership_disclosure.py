"""The board's partnership view must not give away a member LA's withheld cell by differencing.

The partnership total is the sum of its members, so the member LAs and the partnership are one table:
the `la` breakdown of the partnership, with the partnership as its margin. `member_withheld` suppresses
that table for the role (primary and secondary suppression, indicators.disclosure.suppress) and
returns the (LA code, period) of every member or partnership total it withholds; `board.trend`
withholds those totals wherever they are shown (each member LA's own pages and the partnership's),
so subtracting the shown members from the shown partnership never recovers a withheld cell.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from indicators import store
from indicators.api import local_authorities, values
from indicators.disclosure import suppress
from vocabulary.partnership import PARTNERSHIP, partnership


def member_withheld(indicator_id: str, labels: tuple[str, ...], la: str | None, role: str, warehouse=None):
    """(LA code, period) totals withheld for `role` in the partnership table, for `la` a member or
    the partnership itself; empty for analysts, other LAs or when the partnership is not loaded."""
    if role == "analyst" or la is None or not labels:
        return frozenset()
    if la != PARTNERSHIP and la not in partnership().la_codes:
        return frozenset()
    wh = str(warehouse) if warehouse else None
    return _withheld(store.warehouse_version(warehouse), indicator_id, labels, role, wh)


@lru_cache(maxsize=2048)
def _withheld(version, indicator_id: str, labels: tuple[str, ...], role: str, warehouse) -> frozenset:
    if PARTNERSHIP not in local_authorities(warehouse):
        return frozenset()
    total = values(indicator_id, list(labels), PARTNERSHIP, None, warehouse)
    members = values(indicator_id, list(labels), PARTNERSHIP, "la", warehouse)
    table = suppress(pd.concat([total, members], ignore_index=True), role)  # type: ignore[arg-type]
    hidden = table[table["suppressed"]]
    codes = hidden["group"].where(hidden["breakdown"] == "la", PARTNERSHIP)
    return frozenset(zip(codes.tolist(), hidden["period"].tolist(), strict=True))
