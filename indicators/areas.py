"""The LAs the warehouse holds child-level data for, by code and name, and the pooled partnership."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from indicators import access, store
from vocabulary.partnership import PARTNERSHIP, partnership


def local_authorities(warehouse: str | Path | None = None) -> dict[str, str]:
    """LAs with loaded census returns, Annex A lists or CDOP extracts: code -> name (from the ONS population
    file when loaded, else 'LA <code>'); then `partnership` (the pooled member LAs of partnership.yaml)
    when every member is loaded and the caller's access covers every member (indicators.access)."""
    wh = str(warehouse) if warehouse else None
    out = dict(_local_authorities(store.warehouse_version(warehouse), wh))
    declared = partnership()
    allowed = access.allowed_areas(access.current_scope())
    if all(la in out for la in declared.la_codes) and (allowed is None or PARTNERSHIP in allowed):
        out[PARTNERSHIP] = declared.name
    return out


@lru_cache(maxsize=64)
def _local_authorities(version: tuple, warehouse: str | None) -> tuple[tuple[str, str], ...]:
    """(code, name) of the loaded LAs, read once per warehouse file (the scorecard asks per indicator)."""
    con = store.cursor(warehouse)
    try:
        codes = [
            c
            for (c,) in con.execute(
                "select distinct la_code from loads where source_type in ('cin_census', 'annex_a', 'cdop') "
                "and status = 'loaded' and la_code is not null order by 1"
            ).fetchall()
        ]
        names = dict(
            con.execute(
                "select old_la_code, arg_max(area_name, year) from population "
                "where old_la_code is not null group by 1"
            ).fetchall()
        )
    finally:
        con.close()
    return tuple((c, names.get(c, f"LA {c}")) for c in codes)
