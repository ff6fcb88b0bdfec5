"""The enriched unit rows: an indicator's unit SQL joined to its subject (child or death), with one
grouping column per breakdown, for the engine (indicators/engine.py) and the monthly roll-up
(indicators/rollup.py)."""

from __future__ import annotations

import duckdb
import pandas as pd

from indicators import cdop_source, plan_factors
from indicators.periods import Period
from indicators.registry import Indicator
from vocabulary.assessment_factors import FACTOR_LABELS, factor_group_name
from vocabulary.codes import CATEGORY_OF_ABUSE, ETHNIC_GROUP_OF
from vocabulary.partnership import PARTNERSHIP, partnership

# Breakdown -> SQL expression over the enriched unit rows. Only these fixed expressions are
# ever placed in the query text; every value goes in as a parameter or a registered relation.
# Whole years of age at the period end, computed once per unit row (`s.age_years`, see aggregate).
AGE_YEARS = "s.age_years"
BREAKDOWN_SQL: dict[str, str] = {
    "total": "'All'",
    "la": "u.la_code",
    "area": "coalesce(a.area_name, 'Area not known')",
    "ethnicity": "coalesce(c.ethnicity, 'Not known')",
    "ethnic_group": "coalesce(eg.ethnic_group, 'Not known')",
    "sex": "case c.sex when 'M' then 'Male' when 'F' then 'Female' else 'Not known' end",
    "age_band": "",  # set below from age_band_sql
    "category": "coalesce(cat_i.name, 'Not applicable')",
    "latest_category": "coalesce(cat_l.name, 'Not applicable')",
}


def age_band_sql(born: str, age_years: str, period_end: str) -> str:
    """The age band at the period end, from the birth (or expected birth) month."""
    return f"""case
        when {born} is null then 'Not known'
        when {born} > {period_end} then 'Unborn'
        when {age_years} < 1 then 'Under 1'
        when {age_years} < 5 then '1 to 4'
        when {age_years} < 10 then '5 to 9'
        when {age_years} < 16 then '10 to 15'
        when {age_years} < 18 then '16 to 17'
        else '18 and over' end"""


BORN = "coalesce(c.birth_month, c.expected_birth_month)"
BREAKDOWN_SQL["age_band"] = age_band_sql(BORN, AGE_YEARS, "pe.period_end")
ETHNIC_GROUPS = pd.DataFrame(
    {"ethnicity": list(ETHNIC_GROUP_OF), "ethnic_group": list(ETHNIC_GROUP_OF.values())}
)
CATEGORIES = pd.DataFrame({"code": list(CATEGORY_OF_ABUSE), "name": list(CATEGORY_OF_ABUSE.values())})
# CDOP indicators (indicators/cdop_source.py): age band at death, expected or not, category of death.
BREAKDOWN_SQL |= cdop_source.BREAKDOWN_SQL
# Plans by the factors at the child's latest assessment before the plan (indicators/plan_factors.py).
BREAKDOWN_SQL |= plan_factors.BREAKDOWN_SQL
CATEGORIES = pd.concat([CATEGORIES, cdop_source.CATEGORY_ROWS], ignore_index=True)
# Multi-valued breakdowns: a unit may be in several groups (an assessment identifies several factors),
# so its unit SQL lists them in a column (`factor_groups`). A group's numerator is the units in it
# (their denominators summed) and its denominator the total's, so each group is the share of all the
# units that are in it, and the groups add up to more than the total. The engine and the monthly
# roll-up group these with `multi_valued_units`, and `shares_of_total` gives them the totals'
# denominators.
MULTI_VALUED = frozenset({"assessment_factor"})
BREAKDOWN_SQL["assessment_factor"] = "u.factor_groups"  # DfE factor codes at assessment (C3)
FACTOR_GROUPS = pd.DataFrame(
    {"code": list(FACTOR_LABELS), "label": [factor_group_name(c) for c in FACTOR_LABELS]}
)
CP_SUBJECT_JOINS = """left join children as c on c.child_key = u.child_key
            left join area_lookup as a on a.child_key = u.child_key
            cross join lateral (
                select date_sub('year', coalesce(c.birth_month, c.expected_birth_month), pe.period_end)
                    as age_years
            ) as s"""


def periods_frame(periods: list[Period]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [p.label for p in periods],
            "kind": [p.kind for p in periods],
            "period_start": [p.start for p in periods],
            "period_end": [p.end for p in periods],
        }
    )


def la_params(la_code: str | None) -> dict[str, object]:
    """The parameters of enriched_sql's LA filter: none for every LA (None), $la for one LA, and
    $members for the pooled partnership."""
    if la_code is None:
        return {}
    if la_code == PARTNERSHIP:
        return {"members": list(partnership().la_codes)}
    return {"la": la_code}


def _la_filter(la_code: str | None) -> tuple[str, str]:
    """The la_code column and the WHERE clause for one LA, every LA or the partnership: a plain
    equality for one LA, so that DuckDB can push it down to the unit SQL's scans."""
    if la_code is None:
        return "u.la_code", "true"
    if la_code == PARTNERSHIP:
        return f"'{PARTNERSHIP}'", "list_contains($members, u.la_code)"
    return "u.la_code", "u.la_code = $la"


def enriched_sql(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    wanted: tuple[str, ...],
    la_code: str | None,
    extra: str = "",
) -> str:
    """`with units as (...), enriched as materialized (...)`: the unit rows of the registered
    `periods` with a grp_<breakdown> column per wanted breakdown (plus `extra` columns), for one LA,
    every LA (None), or 'partnership', which pools the $members LAs under that code (their own
    codes stay in the `la` breakdown). Totals alone (and the `la` breakdown) need none of the
    subject's attributes, so their query leaves out the joins that fetch them (each joins at most one
    row, so the counts are the same)."""
    con.register("ethnic_groups", ETHNIC_GROUPS)
    con.register("categories", CATEGORIES)
    con.register("assessment_factor_labels", FACTOR_GROUPS)
    columns = ",\n".join(f"{BREAKDOWN_SQL[b]} as grp_{b}" for b in wanted)
    subject_joins = cdop_source.SUBJECT_JOINS if cdop_source.uses_cdop(indicator) else CP_SUBJECT_JOINS
    if not extra and set(wanted) <= {"total", "la"} | MULTI_VALUED:
        subject_joins = ""
    else:
        subject_joins += """
            left join ethnic_groups as eg on eg.ethnicity = c.ethnicity
            left join categories as cat_i on cat_i.code = u.initial_category
            left join categories as cat_l on cat_l.code = u.latest_category"""
    factor_ctes = ""
    if plan_factors.wants_factors(wanted):
        plan_factors.register(con)
        factor_ctes = plan_factors.PLAN_FACTORS_CTE
        subject_joins += "\n            " + plan_factors.JOIN
    la_column, la_where = _la_filter(la_code)
    return f"""
        with units as ({indicator.sql_text()}),{factor_ctes}
        enriched as materialized (
            select u.period,
                {la_column} as la_code,
                u.numerator, u.denominator{extra},
                {columns}
            from units as u
            join periods as pe on pe.label = u.period
            {subject_joins}
            where {la_where}
        )"""


def multi_valued_units(breakdown: str, period: str = "period") -> str:
    """A subquery over `enriched`: (<period>, la_code, grp, units), the units (their denominators
    summed) in each group of a multi-valued breakdown (MULTI_VALUED); `period` names the period column."""
    return f"""(select period as {period}, la_code, grp, sum(denominator) as units
        from (select period, la_code, denominator, unnest(grp_{breakdown}) as grp from enriched)
        group by all)"""


def shares_of_total(raw: pd.DataFrame) -> pd.DataFrame:
    """Give each row of a multi-valued breakdown the denominator of its period and LA's total row, so
    each group is a share of all the units (see MULTI_VALUED)."""
    multi = raw["breakdown"].isin(MULTI_VALUED)
    if not multi.any():
        return raw
    totals = raw[raw["breakdown"] == "total"].set_index(["period", "la_code"])["denominator"]
    keys = pd.MultiIndex.from_frame(raw.loc[multi, ["period", "la_code"]])
    out = raw.copy()
    out.loc[multi, "denominator"] = totals.reindex(keys).to_numpy()
    return out
