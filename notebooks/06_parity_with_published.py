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
# # 06 Parity with DfE's published figures, and benchmarks for any LA
#
# **Purpose.** Two questions.
#
# 1. **Parity:** do our figures, computed from the child-level returns in the warehouse, agree with
#    what DfE published for the same LA and year? Where they do not, by how much, and what is the
#    most likely reason? (`indicators.parity.parity`, `parity_table`)
# 2. **Benchmarks:** how does any LA compare with England, its region and its ten statistical
#    neighbours, with national rank, quartile band and trend, from the **real** published DfE data
#    (Children in need tables and LAIT) loaded into the warehouse? (`benchmark`, `benchmark_table`)
#
# Conventions (see `indicators/benchmarks.py`): the newest release wins; the neighbour comparator
# is the mean of the neighbours with a published value (as LAIT); rank 1 is the best for the
# indicator's polarity; quartile band A is always the best quarter (for context indicators A is
# simply the lowest values, not a judgement).
#
# **On the demo warehouse** the child-level data are synthetic while the published figures are
# real (the demo LA borrows Leicester's code, 856). Parity will therefore *not* hold there: the
# section shows how to run and read the check, not a finding about Leicester. Published data are
# public, so nothing here needs suppression.

# %%
import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown, display

from charts.figures import breakdown_figure, trend_figure
from charts.palette import CONCERN, ENGLAND
from indicators import api
from indicators import benchmarks as bm
from indicators import parity as parity_check
from indicators.registry import get

pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 90)
WAREHOUSE = Path(os.environ.get("SAFEGUARDING_WAREHOUSE", "../data/curated/warehouse.duckdb")).resolve()
LOCAL_LA = "856"  # an LA with child-level returns loaded (the demo LA)
BENCHMARK_LA = "330"  # any LA with published figures: see bm.local_authorities() below
published_las = bm.local_authorities(WAREHOUSE)
print(
    f"{len(published_las)} LAs with published figures; child-level data loaded for "
    f"{', '.join(api.local_authorities(WAREHOUSE))}"
)

# %% [markdown]
# ## 1. Parity: local figures against DfE's published row
#
# The latest year with both a local value and a published one.

# %%
local_years = {p.label for p in api.available_periods("year", LOCAL_LA, WAREHOUSE, "cpp_at_end")}
published_years = set(bm.published(la=LOCAL_LA, mapped_only=True, warehouse=WAREHOUSE)["period"])
common = sorted(local_years & published_years)
assert common, "no year has both local and published figures"
YEAR = common[-1]
parity = parity_check.parity_table(LOCAL_LA, YEAR, WAREHOUSE)
display(Markdown(f"**LA {LOCAL_LA} ({published_las.get(LOCAL_LA, '')}), {YEAR}**"))
display(
    parity[
        [
            "indicator_id",
            "local_value",
            "local_numerator",
            "local_denominator",
            "published_value",
            "published_numerator",
            "published_denominator",
            "published_source",
            "difference",
            "matches",
            "likely_reason",
        ]
    ].round(2)
)

# %%
# Assertions on the parity table: the local value is exactly what the analyst API returns, the
# published value is DfE's row for the LA and year, and the difference is local minus published.
pub = bm.published(la=LOCAL_LA, period=YEAR, mapped_only=True, level="Local authority", warehouse=WAREHOUSE)
for r in parity.itertuples():
    mine = api.values(r.indicator_id, [YEAR], la=LOCAL_LA, warehouse=WAREHOUSE)["value"].iloc[0]
    assert np.isclose(r.local_value, float(mine)), r.indicator_id
    theirs = pub.loc[pub["indicator_id"] == r.indicator_id, "value"].iloc[0]
    assert (pd.isna(theirs) and pd.isna(r.published_value)) or np.isclose(r.published_value, theirs)
    if r.matches is not None and not pd.isna(r.difference):
        assert np.isclose(r.difference, r.local_value - r.published_value)
        assert r.matches == parity_check.within_rounding(r.local_value, r.published_value, r.decimals)

# %% [markdown]
# ### One indicator over the years
#
# Repeat plans (NI65): our yearly series beside DfE's published series for the same LA, with
# England for scale.

# %%
INDICATOR = "cpp_repeat_pct"
local_series = api.series(INDICATOR, la=LOCAL_LA, freq="year", warehouse=WAREHOUSE)
dfe = bm.published(INDICATOR, la=LOCAL_LA, level="Local authority", warehouse=WAREHOUSE)
england = bm.published(INDICATOR, level="National", warehouse=WAREHOUSE)
fig_parity = trend_figure(
    local_series, f"{get(INDICATOR).short_title}: local against published", unit="percent", decimals=1
)
fig_parity.data[0].name = f"Local (computed, LA {LOCAL_LA})"
for frame, name, colour, dash in (
    (dfe, f"DfE published, LA {LOCAL_LA}", CONCERN, "dash"),
    (england, "DfE published, England", ENGLAND, "dot"),
):
    ends = pd.to_datetime([f"{tp}-03-31" for tp in frame["time_period"]])
    fig_parity.add_trace(
        go.Scatter(
            x=ends,
            y=frame["value"],
            mode="lines+markers",
            name=name,
            line={"color": colour, "dash": dash, "width": 2},
            customdata=frame["period"],
            hovertemplate="%{customdata}: %{y:.1f}%<extra></extra>",
        )
    )
display(fig_parity)
by_year = local_series[["period", "value"]].merge(
    dfe[["period", "value"]], on="period", how="inner", suffixes=("_local", "_published")
)
by_year["difference"] = by_year["value_local"].astype(float) - by_year["value_published"]
display(by_year.round(1))

# %%
# Assertion: the chart's published line is DfE's series for the LA, and the local line the API's.
assert np.allclose(np.asarray(fig_parity.data[1].y, dtype=float), dfe["value"].astype(float), equal_nan=True)
assert np.allclose(
    np.asarray(fig_parity.data[0].y, dtype=float),
    local_series.sort_values("period_end")["value"].astype(float),
)

# %% [markdown]
# ## 2. Benchmarks for any LA
#
# Change `BENCHMARK_LA` (a DfE LA number) to benchmark another LA; it needs no child-level data.
# Latest published year, every mapped indicator.

# %%
latest_tp = int(bm.published(mapped_only=True, level="National", warehouse=WAREHOUSE)["time_period"].max())
PERIOD = bm.period_label(latest_tp)
table = bm.benchmark_table(BENCHMARK_LA, PERIOD, warehouse=WAREHOUSE)
display(Markdown(f"**{published_las[BENCHMARK_LA]} ({BENCHMARK_LA}), {PERIOD}**"))
display(
    table[
        [
            "indicator_id",
            "value",
            "england",
            "region_name",
            "region_value",
            "neighbour_average",
            "neighbour_count",
            "rank",
            "rank_of",
            "quartile_band",
            "band_is_judgement",
            "trend",
            "trend_judgement",
            "notes",
        ]
    ].round(2)
)

# %%
b = bm.benchmark(BENCHMARK_LA, INDICATOR, PERIOD, warehouse=WAREHOUSE)
comparators = pd.concat(
    [
        pd.DataFrame(
            {
                "group": [
                    f"{b.la_name} (this LA)",
                    f"{b.region_name} (region)",
                    "England",
                    f"Neighbour {b.average}",
                ],
                "value": [b.value, b.region_value, b.england, b.neighbour_average],
            }
        ),
        b.neighbours.rename(columns={"neighbour_la_name": "group"})[["group", "value"]],
    ],
    ignore_index=True,
).assign(suppressed=False)
fig_bench = breakdown_figure(
    comparators,
    f"{get(INDICATOR).short_title}, {PERIOD}: {b.la_name} against its comparators",
    unit="percent",
    decimals=1,
)
display(fig_bench)
print(
    f"Rank {b.rank} of {b.rank_of} (1 = best); quartile band {b.quartile_band}; trend {b.trend} "
    f"({b.trend_judgement}) over {', '.join(p for p, _ in b.trend_values)}."
)
for note in b.notes:
    print("Note:", note)

# %%
# Assertions on the benchmark chart: England and the region are DfE's published rows, the neighbour
# average is the mean of the neighbours shown that have a value, and the bars show these numbers.
nat = bm.published(INDICATOR, period=PERIOD, level="National", warehouse=WAREHOUSE)
assert np.isclose(b.england, nat["value"].iloc[0])
reg = bm.published(INDICATOR, period=PERIOD, level="Regional", warehouse=WAREHOUSE)
assert np.isclose(b.region_value, reg.loc[reg["area_code"] == b.region_code, "value"].iloc[0])
assert np.isclose(b.neighbour_average, b.neighbours["value"].dropna().mean())
assert b.neighbour_count == b.neighbours["value"].notna().sum()
shown = dict(zip(fig_bench.data[0].y, fig_bench.data[0].x, strict=True))
assert np.isclose(shown[f"{b.la_name} (this LA)"], b.value) and np.isclose(shown["England"], b.england)

# %% [markdown]
# ### The LA's series against England and its region

# %%
la_series = bm.published(INDICATOR, la=BENCHMARK_LA, level="Local authority", warehouse=WAREHOUSE)
la_frame = la_series.assign(period_end=pd.to_datetime([f"{tp}-03-31" for tp in la_series["time_period"]]))
fig_series = trend_figure(
    la_frame, f"{get(INDICATOR).short_title}: {b.la_name}, region and England", unit="percent", decimals=1
)
fig_series.data[0].name = b.la_name
region_series = bm.published(INDICATOR, level="Regional", warehouse=WAREHOUSE)
region_series = region_series[region_series["area_code"] == b.region_code]
for frame, name, colour in (
    (region_series, b.region_name, CONCERN),
    (england, "England", ENGLAND),
):
    fig_series.add_trace(
        go.Scatter(
            x=pd.to_datetime([f"{tp}-03-31" for tp in frame["time_period"]]),
            y=frame["value"],
            mode="lines+markers",
            name=name,
            line={"color": colour, "dash": "dash"},
        )
    )
display(fig_series)

# %% [markdown]
# ### Reorganised LAs
#
# When an LA is created or abolished (for example North Northamptonshire, 940, created in 2021),
# its published series starts or ends; `series_breaks` says so, so that a series never breaks
# silently.

# %%
for la in ("940", BENCHMARK_LA):
    breaks = bm.series_breaks(la, WAREHOUSE)
    print(
        f"{published_las.get(la, la)} ({la}):",
        "; ".join(f"{x.kind}: {x.note}" for x in breaks) or "no breaks",
    )
