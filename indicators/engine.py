"""Computes indicator values: runs an indicator's unit SQL, adds breakdowns, aggregates, rates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from indicators import cdop
from indicators.periods import Period
from indicators.pooled import pooled_coverage
from indicators.registry import Indicator
from safeguarding.codes import CATEGORY_OF_ABUSE, ETHNIC_GROUP_OF
from safeguarding.partnership import PARTNERSHIP, partnership

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
# CDOP indicators (indicators/cdop.py): age band at death, expected or not, category of death.
BREAKDOWN_SQL |= cdop.BREAKDOWN_SQL
CATEGORIES = pd.concat([CATEGORIES, cdop.CATEGORY_ROWS], ignore_index=True)
CP_SUBJECT_JOINS = """left join children as c on c.child_key = u.child_key
            left join area_lookup as a on a.child_key = u.child_key
            cross join lateral (
                select date_sub('year', coalesce(c.birth_month, c.expected_birth_month), pe.period_end)
                    as age_years
            ) as s"""


# The columns of indicator_values, in order (the analyst API adds target and rag before status).
VALUE_COLUMNS = [
    "indicator_id",
    "period",
    "frequency",
    "period_start",
    "period_end",
    "la_code",
    "breakdown",
    "group",
    "numerator",
    "denominator",
    "value",
    "unit",
    "status",
]


@dataclass(frozen=True)
class Coverage:
    """What the loaded files cover for each LA: merged [start, end] spans of days, plus snapshot
    dates (Annex A extract dates) for measures that exist only on those days."""

    spans: dict[str, list[tuple[date, date]]]
    snapshots: dict[str, set[date]] = field(default_factory=dict)
    kinds: frozenset[str] | None = None  # partner measures: periods no finer than their returns

    def covers(self, la_code: str, period: Period) -> bool:
        if self.kinds is not None and period.kind not in self.kinds:
            return False
        if period.end in self.snapshots.get(la_code, ()):
            return True
        return any(s <= period.start and period.end <= e for s, e in self.spans.get(la_code, []))

    @property
    def las(self) -> list[str]:
        """The LAs loaded (the pooled `partnership` is not one of them)."""
        return sorted((set(self.spans) | set(self.snapshots)) - {PARTNERSHIP})

    def bounds(self, la_code: str | None = None) -> tuple[date, date] | None:
        las = [la_code] if la_code else self.las
        days = [d for la in las for span in self.spans.get(la, []) for d in span]
        days += [x for la in las for d in self.snapshots.get(la, ()) for x in (d.replace(day=1), d)]
        return (min(days), max(days)) if days else None


def coverage(con: duckdb.DuckDBPyConnection, sources: tuple[str, ...] = ("cin_census",)) -> Coverage:
    """Coverage from the current loads of the given sources ('cin_census', 'annex_a' for the six
    months before each extract, 'annex_a_snapshot' for the extract dates alone)."""
    if any(s.startswith("partner:") for s in sources):  # partner measures (indicators/partners.py)
        from indicators.partners import partner_coverage

        return partner_coverage(con, sources)
    spans: dict[str, list[tuple[date, date]]] = {}
    snapshots: dict[str, set[date]] = {}
    span_sources = [s for s in sources if s in ("cin_census", "annex_a")]
    if span_sources:
        rows = con.execute(
            "select la_code, period_start, reference_date from loads "
            "where list_contains(?, source_type) and status = 'loaded' "
            "order by la_code, period_start",
            [span_sources],
        ).fetchall()
        for la, start, end in rows:
            merged = spans.setdefault(la, [])
            if merged and start <= date.fromordinal(merged[-1][1].toordinal() + 1):
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
    if "annex_a_snapshot" in sources:
        for la, as_at in con.execute(
            "select la_code, reference_date from loads where source_type = 'annex_a' and status = 'loaded'"
        ).fetchall():
            snapshots.setdefault(la, set()).add(as_at)
    if cdop.SOURCE in sources:
        cdop.add_coverage(con, spans)
    return _with_partnership(Coverage(spans, snapshots))


def _with_partnership(cov: Coverage) -> Coverage:
    """Coverage with the pooled `partnership` added (indicators/pooled.py)."""
    spans, snapshots = pooled_coverage(cov.spans, cov.snapshots)
    return Coverage(spans, snapshots, cov.kinds)


def la_params(la_code: str | None) -> dict[str, object]:
    """$la and $members for enriched_sql: one LA, every LA (None), or the pooled partnership."""
    return {"la": la_code, "members": list(partnership().la_codes) if la_code == PARTNERSHIP else []}


def _periods_frame(periods: list[Period]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [p.label for p in periods],
            "kind": [p.kind for p in periods],
            "period_start": [p.start for p in periods],
            "period_end": [p.end for p in periods],
        }
    )


def aggregate(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    periods: list[Period],
    breakdowns: tuple[str, ...] | None = None,
    la_code: str | None = None,
) -> pd.DataFrame:
    """Numerator and denominator per period, LA, breakdown and group, in one pass.

    The unit rows are enriched once (materialised) and grouped once per breakdown.
    """
    wanted = ("total",) + tuple(breakdowns if breakdowns is not None else indicator.breakdowns)
    for b in wanted:
        if b != "total" and b not in indicator.breakdowns:
            raise ValueError(
                f"{indicator.id} cannot be broken down by {b!r}; allowed: {', '.join(indicator.breakdowns)}"
            )
    if indicator.measured_at == "event_month" and indicator.statistic == "ratio":
        from indicators.rollup import aggregate_by_month

        rolled = aggregate_by_month(con, indicator, periods, wanted, la_code)
        if rolled is not None:
            return rolled
    run_periods = _one_per_end(periods) if indicator.measured_at == "period_end" else periods
    con.register("periods", _periods_frame(run_periods))
    median = ", median(numerator)::double as median_value" if indicator.statistic == "median" else ""
    groupings = "\nunion all\n".join(
        f"select period, la_code, '{b}' as breakdown, grp_{b} as \"group\", "
        f"sum(numerator)::bigint as numerator, sum(denominator)::bigint as denominator{median} "
        f"from enriched group by period, la_code, grp_{b}"
        for b in wanted
    )
    query = f"""
        {enriched_sql(con, indicator, wanted)}
        {groupings}
    """
    raw = con.execute(query, la_params(la_code) | indicator.sql_params()).df()
    if run_periods is periods:
        return raw
    # Hand each shared computation to every period that ends on that day.
    rep = {p.end: p.label for p in run_periods}
    labels = pd.DataFrame({"period": [rep[p.end] for p in periods], "label": [p.label for p in periods]})
    out = raw.merge(labels, on="period").drop(columns="period").rename(columns={"label": "period"})
    return out[raw.columns]


def enriched_sql(
    con: duckdb.DuckDBPyConnection, indicator: Indicator, wanted: tuple[str, ...], extra: str = ""
) -> str:
    """`with units as (...), enriched as materialized (...)`: the unit rows of the registered
    `periods` with a grp_<breakdown> column per wanted breakdown (plus `extra` columns), for $la: one
    LA, every LA (null), or 'partnership', which pools the $members LAs under that code (their own
    codes stay in the `la` breakdown)."""
    con.register("ethnic_groups", ETHNIC_GROUPS)
    con.register("categories", CATEGORIES)
    columns = ",\n".join(f"{BREAKDOWN_SQL[b]} as grp_{b}" for b in wanted)
    subject_joins = cdop.SUBJECT_JOINS if cdop.uses_cdop(indicator) else CP_SUBJECT_JOINS
    return f"""
        with units as ({indicator.sql_text()}),
        enriched as materialized (
            select u.period,
                case when $la = '{PARTNERSHIP}' then $la else u.la_code end as la_code,
                u.numerator, u.denominator{extra},
                {columns}
            from units as u
            join periods as pe on pe.label = u.period
            {subject_joins}
            left join ethnic_groups as eg on eg.ethnicity = c.ethnicity
            left join categories as cat_i on cat_i.code = u.initial_category
            left join categories as cat_l on cat_l.code = u.latest_category
            where $la is null or u.la_code = $la or list_contains($members, u.la_code)
        )"""


def _one_per_end(periods: list[Period]) -> list[Period]:
    """The first period ending on each distinct day."""
    first: dict[date, Period] = {}
    for p in periods:
        first.setdefault(p.end, p)
    return list(first.values())


def mid_year_for(period_end: date) -> int:
    """DfE rates use the latest ONS mid-year (30 June) estimate on or before the period end:
    mid-2023 for the year ending 31 March 2024."""
    return period_end.year if (period_end.month, period_end.day) >= (6, 30) else period_end.year - 1


def _population_lookup(con: duckdb.DuckDBPyConnection) -> dict[str, dict[int, int]]:
    rows = con.execute(
        "select old_la_code, year, population from population "
        "where geographic_level = 'Local authority' and population is not null "
        "and old_la_code is not null"
    ).fetchall()
    out: dict[str, dict[int, int]] = {}
    for la, year, pop in rows:
        out.setdefault(la, {})[year] = pop
    members = [out.get(la, {}) for la in partnership().la_codes]
    years = set.intersection(*(set(m) for m in members))  # years every member has an estimate for
    if years:
        out[PARTNERSHIP] = {y: sum(m[y] for m in members) for y in years}
    return out


def _area_population_lookup(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[int, int]]:
    rows = con.execute("select la_code, area_name, year, population_0_17 from area_population").fetchall()
    out: dict[tuple[str, str], dict[int, int]] = {}
    for la, area, year, pop in rows:
        out.setdefault((la, area), {})[year] = pop
        if la in partnership().la_codes:  # areas lie within one member LA
            out.setdefault((PARTNERSHIP, area), {})[year] = pop
    return out


def _pick_year(by_year: dict[int, int] | None, wanted: int) -> tuple[int | None, str]:
    """The estimate for `wanted`, else the latest earlier one (carried forward, and said so)."""
    if not by_year:
        return None, "no population estimate"
    if wanted in by_year:
        return by_year[wanted], "ok"
    earlier = [y for y in by_year if y < wanted]
    if earlier:
        y = max(earlier)
        return by_year[y], f"population carried forward from {y}"
    return None, "no population estimate"


def indicator_values(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    periods: list[Period],
    breakdowns: tuple[str, ...] | None = None,
    la_code: str | None = None,
) -> pd.DataFrame:
    """Tidy values: one row per period, LA and group, with value and a plain-words status.

    Periods the loaded data does not cover are returned with value None and status
    'not covered by loaded data' rather than a misleading zero.
    """
    raw = aggregate(con, indicator, periods, breakdowns, la_code)
    cov = coverage(con, indicator.sources)
    las = [la_code] if la_code else cov.las
    by_label = {p.label: p for p in periods}
    # Every period x LA gets a total row, even when nothing happened (a real zero).
    grid = pd.DataFrame(
        [(p.label, la, "total", "All") for p in periods for la in las],
        columns=["period", "la_code", "breakdown", "group"],
    )
    totals = grid.merge(
        raw[raw["breakdown"] == "total"], how="left", on=["period", "la_code", "breakdown", "group"]
    )
    totals["numerator"] = totals["numerator"].fillna(0)
    if indicator.unit in ("percent", "days"):
        totals["denominator"] = totals["denominator"].fillna(0)
    raw = pd.concat([totals, raw[raw["breakdown"] != "total"]], ignore_index=True)
    raw = raw.astype({"numerator": "float64", "denominator": "float64"})
    pmeta = pd.DataFrame(
        {
            "period": [p.label for p in periods],
            "frequency": [p.kind for p in periods],
            "period_start": [p.start for p in periods],
            "period_end": [p.end for p in periods],
        }
    )
    df = raw.merge(pmeta, on="period", how="left")
    df["status"] = "ok"
    if indicator.denominator_source == "population_0_17":
        df = _population_denominators(con, df)
    df["value"] = _values(indicator, df["numerator"], df["denominator"], df["frequency"])
    if indicator.statistic == "median":  # e.g. median days from death to review (indicators/cdop.py)
        df["value"] = df["median_value"].astype("object").where(df["median_value"].notna(), None)
    pairs = df[["la_code", "period"]].drop_duplicates()
    pairs["covered"] = [cov.covers(la, by_label[label]) for la, label in pairs.itertuples(index=False)]
    # A join, not a Python loop over rows: a national build has millions of rows.
    is_covered = pd.Series(
        df[["la_code", "period"]]
        .merge(pairs, on=["la_code", "period"], how="left")["covered"]
        .to_numpy(dtype=bool),
        index=df.index,
    )
    no_cases = df["value"].isna() & (df["status"] == "ok")
    df.loc[no_cases, "status"] = "no cases in the period"
    if indicator.lookback_days:
        early = _too_early(df, cov, by_label, indicator.lookback_days) & is_covered
        df.loc[early, "value"] = None  # the counts stay, so breakdowns still add up
        df.loc[early, "status"] = NOT_YET_MEASURABLE
    df.loc[~is_covered, "value"] = None
    df.loc[~is_covered, "status"] = "not covered by loaded data"
    df["indicator_id"] = indicator.id
    df["unit"] = indicator.unit
    for col in ("numerator", "denominator"):
        df[col] = df[col].astype("Int64")
    return df[VALUE_COLUMNS]


NOT_YET_MEASURABLE = "not yet measurable: too little earlier data loaded"


def _too_early(df: pd.DataFrame, cov: Coverage, by_label: dict, lookback_days: int) -> pd.Series:
    """Rows whose period has less than `lookback_days` of loaded data before it."""
    from datetime import timedelta

    early = {}
    for la, label in df[["la_code", "period"]].drop_duplicates().itertuples(index=False):
        p = by_label[label]
        need = Period(label, p.kind, p.start - timedelta(days=lookback_days), p.end)
        early[(la, label)] = not cov.covers(la, need)
    return pd.Series([early[k] for k in zip(df["la_code"], df["period"], strict=True)], index=df.index)


def _population_denominators(con: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> pd.DataFrame:
    """Replace denominators with children aged 0-17: ONS for LA rows, area files for areas."""
    la_pop = _population_lookup(con)
    area_pop = _area_population_lookup(con)
    cache: dict[tuple, tuple[int | None, str]] = {}
    dens, statuses = [], []
    for la, breakdown, group, end in zip(
        df["la_code"], df["breakdown"], df["group"], df["period_end"], strict=True
    ):
        if breakdown == "la":  # the member LAs of the partnership, each with its own population
            la = group
        key = (la, breakdown == "area" and group, end)
        if key not in cache:
            if breakdown == "area":
                cache[key] = _pick_year(area_pop.get((la, group)), end.year + (end.month > 3))
            else:
                cache[key] = _pick_year(la_pop.get(la), mid_year_for(end))
        den, status = cache[key]
        dens.append(den)
        statuses.append(status)
    return df.assign(denominator=pd.Series(dens, index=df.index, dtype="float64"), status=statuses)


PER_YEAR = {"month": 12, "quarter": 4, "year": 1, "rolling12": 1}


def _values(indicator: Indicator, num: pd.Series, den: pd.Series, freq: pd.Series | None = None) -> pd.Series:
    if indicator.unit == "count":
        return num.astype("float64")
    ok = den.notna() & (den != 0) & num.notna()
    out = pd.Series(float("nan"), index=num.index)
    scale = 1.0
    if indicator.annualised and freq is not None:
        scale = freq.map(PER_YEAR).fillna(1).astype("float64")[ok]
    out[ok] = num[ok] * indicator.per / den[ok] * scale
    return out.astype("object").where(ok, None)
