"""What the engine needs of the CDOP indicators beyond the CP ones: the death as the unit's subject,
the extra breakdowns, the category-of-death names, and the coverage of CDOP extracts.

Unit rows of the CDOP indicators (indicators/sql/cdop_*.sql) carry the death key in `child_key`.
Their breakdowns (age band at death, expected or unexpected, category of death, sex, ethnicity,
area) come from the death record itself, so the engine joins `cdop_deaths` where it would join
`children` and `area_lookup` for a CP indicator (see `SUBJECT_JOINS`); CP indicators are unchanged.

Coverage rule: a CDOP extract covers, for each LA in it, every day from the first day of the month
of its earliest notification to its extract date (`cdop_extracts.covered_from` .. `covered_to`);
spans of several extracts are merged. A period is shown only when one merged span holds all of it.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from vocabulary.cdop_codes import CATEGORY_OF_DEATH

SOURCE = "cdop"
# Replaces the CP enrichment joins (children as c, area_lookup as a) for CDOP indicators.
SUBJECT_JOINS = """left join cdop_deaths as c on c.death_key = u.child_key
            left join (select death_key, area_name from cdop_deaths) as a on a.death_key = u.child_key"""
# Extra breakdowns, over the enriched unit rows (c = the death; cat_i = category of the unit).
BREAKDOWN_SQL: dict[str, str] = {
    "cdop_age_band": "coalesce(c.age_band, 'Not known')",
    "expected": "case c.expected when true then 'Expected' when false then 'Unexpected' else 'Not known' end",
    "death_category": "coalesce(cat_i.name, 'Not yet reviewed')",
}
# Category-of-death codes never clash with the categories of abuse (NEG, PHY, SAB, EMO, MUL).
CATEGORY_ROWS = pd.DataFrame({"code": list(CATEGORY_OF_DEATH), "name": list(CATEGORY_OF_DEATH.values())})


def uses_cdop(indicator) -> bool:
    return SOURCE in indicator.sources


def add_coverage(con: duckdb.DuckDBPyConnection, spans: dict[str, list[tuple[date, date]]]) -> None:
    """Merge each current CDOP extract's [covered_from, covered_to] into `spans` (per LA)."""
    try:
        rows = con.execute(
            "select la_code, covered_from, covered_to from cdop_extracts order by la_code, covered_from"
        ).fetchall()
    except duckdb.CatalogException:  # a warehouse built before CDOP support
        return
    for la, start, end in rows:
        merged = sorted(spans.get(la, []) + [(start, end)])
        out: list[tuple[date, date]] = []
        for s, e in merged:
            if out and s <= out[-1][1] + timedelta(days=1):
                out[-1] = (out[-1][0], max(out[-1][1], e))
            else:
                out.append((s, e))
        spans[la] = out
