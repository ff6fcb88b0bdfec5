"""The board's partnership view must not give away a member LA's withheld cell by differencing.

The partnership total is the sum of its members, so the member LAs and the partnership are one table:
the `la` breakdown of the partnership, with the partnership as its margin. `member_withheld` suppresses
that table for the role (primary and secondary suppression, indicators.disclosure.suppress) and
returns the (LA code, period) of every member or partnership total it withholds; `board.trend`
withholds those totals wherever they are shown (each member LA's own pages and the partnership's),
so subtracting the shown members from the shown partnership never recovers a withheld cell.

For a measure counted over a period (plans starting), each LA's periods are also one table (a year is
the sum of its quarters: `indicators.disclosure.period_withheld`), so the two rules are decided together
(`flow_withheld`): each series' period rule, then the partnership table of every period, each starting
from what the other withheld, until neither withholds anything more. Otherwise a member's quarter that
its period rule withholds would be the partnership's quarter less the other members', or a member's
year that the partnership table withholds would be the sum of its four shown quarters.

Both are decided over every member LA, whatever the viewer's LA limit (indicators/access.py): a user
limited to one member must not see a cell that is withheld from everyone else because, beside the
partnership's total shown elsewhere (a board report, another member's screen), it would give away
another member's count. Only which cells are withheld comes back, never a figure outside the limit.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from indicators import store
from indicators.access import limited_to
from indicators.api import every_period_label, local_authorities, values
from indicators.disclosure import period_withheld, suppress
from vocabulary.partnership import PARTNERSHIP, partnership


def member_withheld(indicator_id: str, labels: tuple[str, ...], la: str | None, role: str, warehouse=None):
    """(LA code, period) totals withheld for `role` in the partnership table, for `la` a member or
    the partnership itself; empty for analysts, other LAs or when the partnership is not loaded."""
    if role == "analyst" or la is None or not labels:
        return frozenset()
    if la != PARTNERSHIP and la not in partnership().la_codes:
        return frozenset()
    wh = str(warehouse) if warehouse else None
    with limited_to(None):  # the same cells for every viewer (module docstring)
        return _withheld(store.warehouse_version(warehouse), indicator_id, labels, role, wh)


@lru_cache(maxsize=2048)
def _withheld(version, indicator_id: str, labels: tuple[str, ...], role: str, warehouse) -> frozenset:
    if PARTNERSHIP not in local_authorities(warehouse):
        return frozenset()
    table = suppress(_partnership_table(indicator_id, list(labels), warehouse), role)  # type: ignore[arg-type]
    hidden = table[table["suppressed"]]
    codes = hidden["group"].where(hidden["breakdown"] == "la", PARTNERSHIP)
    return frozenset(zip(codes.tolist(), hidden["period"].tolist(), strict=True))


def _partnership_table(indicator_id: str, labels: list[str], warehouse) -> pd.DataFrame:
    """The partnership's totals and its `la` breakdown (one row per member): one table per period."""
    total = values(indicator_id, labels, PARTNERSHIP, None, warehouse)
    members = values(indicator_id, labels, PARTNERSHIP, "la", warehouse)
    return pd.concat([total, members], ignore_index=True)


def flow_withheld(indicator_id: str, la: str | None, role: str, warehouse=None) -> frozenset | None:
    """For a measure counted over a period: the (LA code, period) totals withheld for `role` over every
    period of every frequency of the member LAs and the partnership, the period rule and the partnership
    table decided together (module docstring); None for analysts, other LAs, or when the partnership is
    not loaded (each LA's own period rule then applies)."""
    if role == "analyst" or la is None or (la != PARTNERSHIP and la not in partnership().la_codes):
        return None
    wh = str(warehouse) if warehouse else None
    with limited_to(None):  # the same cells for every viewer (module docstring)
        return _flow_withheld(store.warehouse_version(warehouse), indicator_id, role, wh)


@lru_cache(maxsize=512)
def _flow_withheld(version, indicator_id: str, role: str, warehouse) -> frozenset | None:
    if PARTNERSHIP not in local_authorities(warehouse):
        return None
    series = {
        la: values(
            indicator_id, every_period_label(la, warehouse, indicator_id), la, None, warehouse
        ).reset_index(drop=True)
        for la in (*partnership().la_codes, PARTNERSHIP)
    }
    table = _partnership_table(indicator_id, list(series[PARTNERSHIP]["period"]), warehouse)
    table_keys = list(
        zip(table["group"].where(table["breakdown"] == "la", PARTNERSHIP), table["period"], strict=True)
    )
    forced: set = set()
    while True:
        hidden: set = set()
        for la, frame in series.items():
            mask = period_withheld(
                frame, forced=np.array([(la, p) in forced for p in frame["period"]], dtype=bool)
            )
            hidden |= {(la, p) for p in frame["period"].to_numpy()[mask]}
        shown = suppress(table, role, withheld=np.array([k in hidden for k in table_keys], dtype=bool))  # type: ignore[arg-type]
        more = {k for k, s in zip(table_keys, shown["suppressed"], strict=True) if s} - hidden
        if not more:
            return frozenset(hidden)
        forced |= more
