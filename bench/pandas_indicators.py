"""Benchmark baseline: the census indicators written the notebook way, in pandas, period by period.

This is what an analyst would write without the engine: read the curated tables into pandas once,
then for every period filter the plans, pick the unit rows, merge in the child's attributes and
group by each breakdown. The definitions are the registry's (indicators/sql/*.sql); `compare`
checks that both give the same numerators and denominators for every LA, breakdown and group, so
the speed ratio compares like with like.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from vocabulary.codes import CATEGORY_OF_ABUSE, ETHNIC_GROUP_OF

# The census indicators the baseline implements, with their registry breakdowns.
BREAKDOWNS = {
    "cpp_at_end": [
        "la",
        "area",
        "ethnicity",
        "ethnic_group",
        "sex",
        "age_band",
        "category",
        "latest_category",
    ],
    "cpp_rate_per_10k": ["la", "area"],
    "cpp_starts": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band", "category"],
    "cpp_repeat_pct": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band", "category"],
    "cpp_repeat_local_pct": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band", "category"],
    "cpp_repeat_2y_pct": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band", "category"],
    "cpp_ended_2y_pct": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band", "category"],
    "cpp_open_2y_pct": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band", "category"],
    "cpp_reviewed_in_time_pct": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band", "category"],
    "icpc_15wd_pct": ["la", "area", "ethnicity", "ethnic_group", "sex", "age_band"],
    "cpp_by_category": ["category", "latest_category", "la"],
}
AT_END = {"cpp_at_end", "cpp_rate_per_10k", "cpp_by_category"}


class Tables:
    """The curated tables as pandas frames, with per-plan history flags computed once."""

    def __init__(self, warehouse: Path):
        from indicators.store import working_day_calendar

        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            self.plans = con.sql(
                "select la_code, plan_key, child_key, start_date, end_date, initial_category, "
                "latest_category, number_of_previous_cpp from cp_plans"
            ).df()
            self.reviews = con.sql("select plan_key, review_date from cp_reviews").df()
            self.s47 = con.sql(
                "select la_code, child_key, s47_start_date, icpc_date from section47 "
                "where icpc_date is not null and s47_start_date is not null"
            ).df()
            children = con.sql(
                "select child_key, sex, ethnicity, coalesce(birth_month, expected_birth_month) as born "
                "from children"
            ).df()
            areas = con.sql("select child_key, area_name from area_lookup").df()
        finally:
            con.close()
        for frame, cols in (
            (self.plans, ["start_date", "end_date"]),
            (self.reviews, ["review_date"]),
            (self.s47, ["s47_start_date", "icpc_date"]),
            (children, ["born"]),
        ):
            for c in cols:
                frame[c] = pd.to_datetime(frame[c])
        children = children.merge(areas, on="child_key", how="left")
        children["area"] = children["area_name"].fillna("Area not known")
        children["ethnic_group"] = children["ethnicity"].map(ETHNIC_GROUP_OF).fillna("Not known")
        children["ethnicity"] = children["ethnicity"].fillna("Not known")
        children["sex"] = children["sex"].map({"M": "Male", "F": "Female"}).fillna("Not known")
        self.children = children[["child_key", "area", "ethnicity", "ethnic_group", "sex", "born"]]
        calendar = working_day_calendar().to_pandas()
        self.working_day = pd.Series(
            calendar["working_day_number"].to_numpy(), index=pd.to_datetime(calendar["day"])
        )
        self._history_flags()

    def _history_flags(self) -> None:
        p = self.plans
        first_start = p.groupby("child_key")["start_date"].transform("min")
        p["repeat"] = p["number_of_previous_cpp"].fillna(0) >= 1  # DfE D3 reading
        p["repeat_local"] = p["repeat"] | (p["start_date"] > first_start)  # or an earlier plan in our data
        pairs = p[["child_key", "plan_key", "start_date"]].merge(
            p.loc[p["end_date"].notna(), ["child_key", "start_date", "end_date"]],
            on="child_key",
            suffixes=("", "_earlier"),
        )
        recent = pairs[
            (pairs["start_date_earlier"] < pairs["start_date"])
            & (pairs["end_date"] <= pairs["start_date"])
            & (pairs["end_date"] >= pairs["start_date"] - pd.DateOffset(years=2))
        ]
        p["repeat_2y"] = p["plan_key"].isin(recent["plan_key"])


def _open_at(plans: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    return plans[(plans["start_date"] <= end) & (plans["end_date"].isna() | (plans["end_date"] > end))]


def _latest_per_child(units: pd.DataFrame) -> pd.DataFrame:
    return units.sort_values("start_date").drop_duplicates(["child_key"], keep="last")


def _reviewed_in_time(t: Tables, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    eligible = _open_at(t.plans, end)
    eligible = _latest_per_child(eligible[eligible["start_date"] + pd.DateOffset(months=3) <= end])
    r = t.reviews.merge(eligible[["plan_key", "start_date"]], on="plan_key")
    r = r[(r["review_date"] >= r["start_date"]) & (r["review_date"] <= end)].sort_values(
        ["plan_key", "review_date"]
    )
    previous = r.groupby("plan_key")["review_date"].shift()
    first_late = previous.isna() & (r["review_date"] > r["start_date"] + pd.DateOffset(months=3))
    later_late = previous.notna() & (r["review_date"] > previous + pd.DateOffset(months=6))
    r = r.assign(late=first_late | later_late)
    per_plan = r.groupby("plan_key").agg(any_late=("late", "any"), latest=("review_date", "max"))
    next_due = per_plan["latest"] + pd.DateOffset(months=6)
    ok = per_plan.index[~per_plan["any_late"] & (next_due >= end + pd.Timedelta(days=1))]
    return eligible.assign(numerator=eligible["plan_key"].isin(ok).astype(int), denominator=1)


def unit_rows(t: Tables, indicator_id: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The counted children or plans of one indicator in one period, with numerator and denominator."""
    plans = t.plans
    if indicator_id in AT_END:
        return _latest_per_child(_open_at(plans, end)).assign(numerator=1, denominator=0)
    if indicator_id == "cpp_open_2y_pct":  # children, on a plan since their earliest open plan started
        units = _open_at(plans, end)
        first = units.groupby("child_key")["start_date"].transform("min")
        units = _latest_per_child(units.assign(first_start=first))
        days = (end - units["first_start"]).dt.days + 1
        return units.assign(numerator=(days > 729).astype(int), denominator=1)
    started = plans[(plans["start_date"] >= start) & (plans["start_date"] <= end)]
    if indicator_id == "cpp_starts":
        return started.assign(numerator=1, denominator=0)
    if indicator_id == "cpp_repeat_pct":
        return started.assign(numerator=started["repeat"].astype(int), denominator=1)
    if indicator_id == "cpp_repeat_local_pct":
        return started.assign(numerator=started["repeat_local"].astype(int), denominator=1)
    if indicator_id == "cpp_repeat_2y_pct":
        return started.assign(numerator=started["repeat_2y"].astype(int), denominator=1)
    if indicator_id == "cpp_ended_2y_pct":
        ended = plans[(plans["end_date"] >= start) & (plans["end_date"] <= end)]
        days = (ended["end_date"] - ended["start_date"]).dt.days
        return ended.assign(numerator=(days + 1 > 729).astype(int), denominator=1)
    if indicator_id == "cpp_reviewed_in_time_pct":
        return _reviewed_in_time(t, start, end)
    if indicator_id == "icpc_15wd_pct":
        held = t.s47[(t.s47["icpc_date"] >= start) & (t.s47["icpc_date"] <= end)]
        taken = (
            t.working_day.reindex(held["icpc_date"]).to_numpy()
            - t.working_day.reindex(held["s47_start_date"]).to_numpy()
        )
        return held.assign(
            numerator=(taken <= 15).astype(int), denominator=1, initial_category=None, latest_category=None
        )
    raise KeyError(indicator_id)


def _age_band(born: pd.Series, end: pd.Timestamp) -> pd.Series:
    years = (
        end.year
        - born.dt.year
        - ((born.dt.month > end.month) | ((born.dt.month == end.month) & (born.dt.day > end.day)))
    )
    bands = np.select(
        [born.isna(), born > end, years < 1, years < 5, years < 10, years < 16, years < 18],
        ["Not known", "Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17"],
        default="18 and over",
    )
    return pd.Series(bands, index=born.index)


def grouped(t: Tables, indicator_id: str, label: str, start, end) -> pd.DataFrame:
    """Every breakdown of one indicator in one period: period, la_code, breakdown, group, sums."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    units = unit_rows(t, indicator_id, start, end).merge(t.children, on="child_key", how="left")
    units["la"] = units["la_code"]
    units["age_band"] = _age_band(units["born"], end)
    names = pd.Series(CATEGORY_OF_ABUSE)
    units["category"] = units["initial_category"].map(names).fillna("Not applicable")
    units["latest_category"] = units["latest_category"].map(names).fillna("Not applicable")
    for col in ("area", "ethnicity", "ethnic_group", "sex"):
        units[col] = units[col].fillna({"area": "Area not known"}.get(col, "Not known"))
    units["total"] = "All"
    parts = []
    for by in ["total", *BREAKDOWNS[indicator_id]]:
        g = units.groupby(["la_code", by], as_index=False)[["numerator", "denominator"]].sum()
        parts.append(g.rename(columns={by: "group"}).assign(breakdown=by))
    out = pd.concat(parts, ignore_index=True)
    out["period"] = label
    return out


def run_baseline(warehouse: Path, periods: list) -> tuple[dict[str, pd.DataFrame], dict]:
    """Every baseline indicator x period x breakdown; returns the frames and the timings."""
    started = time.perf_counter()
    t = Tables(warehouse)
    loaded = time.perf_counter()
    frames = {
        ind: pd.concat([grouped(t, ind, p.label, p.start, p.end) for p in periods], ignore_index=True)
        for ind in BREAKDOWNS
    }
    done = time.perf_counter()
    rows = sum(len(f) for f in frames.values())
    return frames, {
        "load_seconds": loaded - started,
        "compute_seconds": done - loaded,
        "seconds": done - started,
        "rows": rows,
    }


def run_engine(warehouse: Path, periods: list) -> tuple[dict[str, pd.DataFrame], dict]:
    """The same indicators, periods and breakdowns through the engine (one query per indicator)."""
    from indicators import engine, store
    from indicators.registry import get

    started = time.perf_counter()
    con = store.connect(warehouse)
    try:
        frames = {ind: engine.indicator_values(con, get(ind), periods) for ind in BREAKDOWNS}
    finally:
        con.close()
    seconds = time.perf_counter() - started
    return frames, {"seconds": seconds, "rows": sum(len(f) for f in frames.values())}


def compare(ours: dict[str, pd.DataFrame], theirs: dict[str, pd.DataFrame]) -> dict:
    """Numerators (and, for percentages, denominators) must agree for every LA, breakdown and group."""
    keys = ["period", "la_code", "breakdown", "group"]
    mismatches = 0
    for ind, base in theirs.items():
        mine = ours[ind].dropna(subset=["numerator"])
        mine = mine[
            ~(
                (mine["breakdown"] == "total")
                & (mine["numerator"] == 0)
                & (mine["denominator"].fillna(0) == 0)
            )
        ]
        base = base[~((base["breakdown"] == "total") & (base["numerator"] == 0) & (base["denominator"] == 0))]
        cols = ["numerator"] + (["denominator"] if ind.endswith("_pct") else [])
        m = mine[keys + cols].merge(base[keys + cols], on=keys, how="outer", suffixes=("", "_pandas"))
        for c in cols:
            mismatches += int(
                (m[c].astype("float64").fillna(-1) != m[f"{c}_pandas"].astype("float64").fillna(-1)).sum()
            )
    return {"cells_compared": int(sum(len(f) for f in theirs.values())), "mismatches": mismatches}
