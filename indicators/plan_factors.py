"""Factors at assessment as a breakdown of plans: was a factor identified at the child's latest
assessment before the plan started? (DfE C3 codes, the same ones the factor shares count.)"""

from __future__ import annotations

import duckdb
import pandas as pd

from indicators.registry import registry

# Breakdown -> the factor-share indicator whose DfE codes it tests ("<breakdown>_pct").
FACTOR_BREAKDOWNS = ("factor_domestic_abuse", "factor_mental_health", "factor_substance_misuse")
# The definition, as docs/indicators.md prints it (indicators/docs.py).
DEFINITION = (
    "Plans (and children on a plan) can be broken down by whether a factor was identified at the "
    "child's latest assessment with factors recorded that was completed (authorised) on or before the "
    "day the plan started, in the same LA: `Identified`, `Not identified`, or `No assessment with "
    "factors before the plan` (none completed by then, or an Annex A plan). Two assessments completed "
    "on that latest day count together. The factor codes are those of the matching factor share "
    "(DfE table C3): domestic abuse 3A-3C, mental health 4A-4C, alcohol or drug misuse 1A-2C. On the "
    "repeat-plan page the same cells give, in words, the share of repeat plans and of first plans "
    "with the factor identified (of the plans with such an assessment)."
)
IDENTIFIED = "Identified"
NOT_IDENTIFIED = "Not identified"
NO_ASSESSMENT = "No assessment with factors before the plan"
GROUP_ORDER = (IDENTIFIED, NOT_IDENTIFIED, NO_ASSESSMENT)

# The grouping expression of each factor breakdown over the enriched unit rows (`pf` below). Only
# these fixed names reach the query text; the codes are a registered relation.
BREAKDOWN_SQL: dict[str, str] = {
    b: f"""case when pf.plan_key is null then '{NO_ASSESSMENT}'
        when list_contains(pf.found, '{b}') then '{IDENTIFIED}' else '{NOT_IDENTIFIED}' end"""
    for b in FACTOR_BREAKDOWNS
}

# For each plan: the factors found at the latest assessment with factors recorded that was
# completed (authorised) on or before the day the plan started, for the same child in the same LA.
# Two assessments completed that day count together. `found` lists the factor breakdowns hit.
PLAN_FACTORS_CTE = """
        latest_assessment as (
            select p.la_code, p.plan_key, p.child_key, max(a.authorisation_date) as assessed
            from cp_plans as p
            join assessments as a
                on a.la_code = p.la_code and a.child_key = p.child_key
                and a.authorisation_date <= p.start_date
            where a.factors is not null and a.factors <> ''
            group by all
        ),
        plan_factors as (
            select l.la_code, l.plan_key,
                list(distinct fb.breakdown) filter (where fb.breakdown is not null) as found
            from latest_assessment as l
            join assessments as a
                on a.la_code = l.la_code and a.child_key = l.child_key
                and a.authorisation_date = l.assessed
            cross join unnest(string_split(a.factors, ',')) as f(code)
            left join factor_breakdown_codes as fb on fb.code = trim(f.code)
            where a.factors is not null and a.factors <> ''
            group by all
        ),"""
JOIN = "left join plan_factors as pf on pf.la_code = u.la_code and pf.plan_key = u.plan_key"


def factor_breakdown_codes() -> pd.DataFrame:
    """(breakdown, code): the DfE codes each factor breakdown tests, from its share indicator."""
    reg = registry()
    rows = [(b, code) for b in FACTOR_BREAKDOWNS for code in reg[f"{b}_pct"].factor_codes or ()]
    return pd.DataFrame(rows, columns=["breakdown", "code"])


def wants_factors(wanted: tuple[str, ...]) -> bool:
    return any(b in FACTOR_BREAKDOWNS for b in wanted)


def register(con: duckdb.DuckDBPyConnection) -> None:
    con.register("factor_breakdown_codes", factor_breakdown_codes())


def factor_name(breakdown: str) -> str:
    """'Domestic abuse' for factor_domestic_abuse (the share indicator's short title, less 'Factor: ')."""
    return registry()[f"{breakdown}_pct"].short_title.removeprefix("Factor: ")
