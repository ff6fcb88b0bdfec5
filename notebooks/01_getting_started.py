# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 Getting started with the analyst API
#
# **Purpose.** A first tour for analysts: where the numbers come from, how to list the indicators,
# how to get a tidy series as a pandas DataFrame, how to plot it with the same figure builders as
# the dashboard, and how to run read-only SQL on the curated tables.
#
# - Everything is read through `indicators.api` (the analyst API) from the **read-only** curated
#   warehouse named by `$SAFEGUARDING_WAREHOUSE`. Nothing here reads raw files or writes anything.
# - The numbers are the dashboard's numbers: the same registry, SQL and engine.
# - On the demo warehouse (`make demo`) the LA is synthetic: LA code 856 with Leicester's
#   population totals and borrowed ward geography. No real child is in it.
# - Analyst views are **not suppressed**. Anything leaving the analytics team goes through
#   `indicators.disclosure.suppress(df, "board")` first (see notebook 05).

# %%
import os
from pathlib import Path

import pandas as pd
from IPython.display import display

import indicators
from charts.figures import breakdown_figure, trend_figure
from indicators import api
from indicators.disclosure import suppress

pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 160)

WAREHOUSE = Path(os.environ.get("SAFEGUARDING_WAREHOUSE", "../data/curated/warehouse.duckdb")).resolve()
assert WAREHOUSE.exists(), f"No warehouse at {WAREHOUSE}: run `make demo` or set SAFEGUARDING_WAREHOUSE"
display(WAREHOUSE)

# %% [markdown]
# ## Which local authorities are loaded?
#
# `local_authorities` lists the LAs with child-level returns (CIN census, Annex A or CDOP).

# %%
las = api.local_authorities(WAREHOUSE)
LA = "856" if "856" in las else next(iter(las))
display(las)

# %% [markdown]
# ## The indicator registry
#
# One entry per indicator (`indicators/registry.yaml`): definition, DfE source, unit, polarity
# (which direction is better) and the breakdowns the engine can produce.

# %%
registry = pd.DataFrame(
    [
        {
            "id": ind.id,
            "short_title": ind.short_title,
            "unit": ind.unit,
            "polarity": ind.polarity,
            "breakdowns": ", ".join(ind.breakdowns),
            "sources": ", ".join(ind.sources),
        }
        for ind in indicators.registry().values()
    ]
)
display(registry)

# %%
print(indicators.get("cpp_repeat_pct").definition)

# %% [markdown]
# ## A series
#
# `series(indicator_id, la, freq, by)` returns every covered period of a frequency (`year`,
# `quarter`, `month`, `rolling12`) as a tidy frame. Periods are financial years (`2023-24`) or
# quarters of them (`2023-24-Q3`). `status` says why a value is missing, if it is.

# %%
on_plan = api.series("cpp_at_end", la=LA, freq="year", warehouse=WAREHOUSE)
on_plan[["period", "period_end", "numerator", "denominator", "value", "target", "rag", "status"]]

# %% [markdown]
# The shared figure builders (`charts/`) take these frames directly, so a notebook
# chart looks like the dashboard's.

# %%
fig_trend = trend_figure(on_plan, "Children on a child protection plan at 31 March", unit="count")
display(fig_trend)

# %%
# Assertion: the chart plots exactly the series above, one point per year, in period order.
plotted = fig_trend.data[0]
assert list(plotted.customdata) == list(on_plan.sort_values("period_end")["period"])
assert [float(v) for v in plotted.y] == [float(v) for v in on_plan.sort_values("period_end")["value"]]
assert len(plotted.y) == len(api.available_periods("year", LA, WAREHOUSE, "cpp_at_end"))

# %% [markdown]
# ## The latest value of every indicator
#
# `latest()` gives each indicator's latest covered period. CDOP indicators have their own coverage
# (the CDOP extracts), so their latest year can differ from the census indicators'.

# %%
api.latest(la=LA, warehouse=WAREHOUSE)[
    ["indicator_id", "period", "numerator", "denominator", "value", "unit", "rag", "status"]
]

# %% [markdown]
# ## A breakdown
#
# `by=` picks one of the indicator's breakdowns. `breakdown_figure` expects a `suppressed` column:
# `suppress(df, "analyst")` adds it (all False); `"board"` would withhold small numbers.

# %%
year = on_plan["period"].iloc[-1]
by_category = api.values("cpp_at_end", [year], la=LA, by="category", warehouse=WAREHOUSE)
by_category = suppress(by_category, "analyst").sort_values("value", ascending=False)
fig_category = breakdown_figure(by_category, f"Children on a plan by initial category of abuse, {year}")
display(fig_category)

# %%
# Assertion: the bars add up to the headline number for that year (each child has one initial category).
assert by_category["numerator"].sum() == on_plan.set_index("period").loc[year, "numerator"]
assert sorted(fig_category.data[0].x) == sorted(by_category["value"].astype(float))

# %% [markdown]
# ## Read-only SQL on the curated tables
#
# `api.sql(query, params)` runs DuckDB SQL on a **read-only** connection. Put values in `params`
# (`?` placeholders), never into the query text. The curated tables are in the `main` schema.

# %%
api.sql(
    "select table_name, estimated_size as approx_rows from duckdb_tables() "
    "where schema_name = 'main' order by table_name",
    warehouse=WAREHOUSE,
)

# %%
starts_by_year = api.sql(
    """
    select
        year(start_date + interval 9 month) - 1 as fy_start,
        count(*) as plans_started,
        count(*) filter (where number_of_previous_cpp >= 1) as previous_plan_recorded
    from cp_plans
    where la_code = ?
    group by all
    order by fy_start
""",
    [LA],
    warehouse=WAREHOUSE,
)
starts_by_year["period"] = [f"{y}-{(y + 1) % 100:02d}" for y in starts_by_year["fy_start"]]
display(starts_by_year)

# %%
# Assertion: counting plans in SQL agrees with the registry's cpp_starts for every covered year.
api_starts = api.series("cpp_starts", la=LA, freq="year", warehouse=WAREHOUSE)
api_starts = api_starts.set_index("period")["numerator"]
sql_starts = starts_by_year.set_index("period")["plans_started"]
assert (sql_starts.reindex(api_starts.index) == api_starts).all(), pd.concat([sql_starts, api_starts], axis=1)

# %% [markdown]
# The connection is read-only: nothing in a notebook can change the warehouse.

# %%
try:
    api.sql("create table scratch as select 1 as x", warehouse=WAREHOUSE)
    wrote = True
except Exception as exc:  # duckdb.InvalidInputException: read-only database
    wrote = False
    print(type(exc).__name__, str(exc).splitlines()[0])
assert not wrote, "the warehouse must be read-only from notebooks"
