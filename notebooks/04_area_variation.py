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
# # 04 Variation between wards
#
# **Purpose.** Which wards have more (or fewer) children on a child protection plan than chance
# would explain, and do the same wards stand out year after year? A funnel plot compares each ward's
# rate with the LA's overall rate, with limits that widen for smaller wards: a small ward needs a
# bigger difference before it is unusual. Then the wards outside the limits, year by year, and a
# second indicator (repeat plans) to show how much wider the funnel is for a percentage of a few
# dozen plan starts.
#
# Method (`indicators.funnel`, Spiegelhalter 2005): exact binomial limits at 95% and 99.8% around
# the pooled proportion; optionally widened for overdispersion (multiplicative model, phi from
# winsorised z-scores). The dashboard's funnel uses the same functions and figure builder.
#
# On the demo warehouse the LA is synthetic and its wards are borrowed (Trafford's 21 wards), with
# synthetic ward populations. Unsuppressed analyst view.

# %%
import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from charts.figures import funnel_figure
from charts.layout import base_layout, safe_text
from charts.palette import AF_COLOURS
from indicators import api
from indicators.funnel import denominator_grid, funnel_flags, funnel_limits

pd.set_option("display.width", 180)
WAREHOUSE = Path(os.environ.get("SAFEGUARDING_WAREHOUSE", "../data/curated/warehouse.duckdb")).resolve()
LA = "856"  # the demo LA
RATE = "cpp_rate_per_10k"
wards = api.areas(LA, WAREHOUSE)
years = api.available_periods("year", LA, WAREHOUSE, RATE)
YEAR = years[-1]
print(f"{len(wards)} wards; years {years[0].label} to {YEAR.label}")


# %% [markdown]
# ## Funnel plot, latest year
#
# Each ward: children on a plan at 31 March (numerator) against children aged 0-17 in the ward
# (denominator). Rows for children with no ward ("Area not known") are left out of the funnel.


# %%
def ward_funnel(indicator_id: str, period, overdispersion: bool = False) -> pd.DataFrame:
    rows = api.values(indicator_id, [period], la=LA, by="area", warehouse=WAREHOUSE)
    rows = rows[rows["group"].isin(wards["area_name"]) & (rows["denominator"].fillna(0) > 0)]
    flags = funnel_flags(
        rows["numerator"].astype(float).to_numpy(),
        rows["denominator"].astype(float).to_numpy(),
        overdispersion=overdispersion,
        labels=list(rows["group"]),
    )
    return flags.assign(period=period.label)


def limits_for(flags: pd.DataFrame) -> pd.DataFrame:
    grid = denominator_grid(int(flags["denominator"].min() * 0.8), int(flags["denominator"].max() * 1.2))
    return funnel_limits(grid, float(flags["target"].iloc[0]))


latest = ward_funnel(RATE, YEAR)
fig_funnel = funnel_figure(
    latest,
    limits_for(latest),
    f"Children on a plan per 10,000, by ward, 31 March {YEAR.end:%Y}",
    scale=10_000,
    y_title="Rate per 10,000 children",
)
display(fig_funnel)
outside = latest[latest["flag"] != "inside"].sort_values("z", ascending=False)
display(
    outside[["unit", "numerator", "denominator", "proportion", "z", "flag"]]
    .assign(rate_per_10k=lambda d: d["proportion"] * 10_000)
    .round(2)
)

# %%
# Assertions on the funnel plot: it shows every ward once, the orange markers are exactly the wards
# beyond the 99.8% limits, and the centre line is the LA's pooled rate (the headline value).
# (Hover labels carry ward names made literal for Plotly: "&" is shown from "&amp;".)
markers = {t.name: list(t.customdata) for t in fig_funnel.data if t.mode == "markers"}
labels = latest["unit"].map(safe_text)
assert sorted(markers["Within 99.8% limits"] + markers["Outside 99.8% limits"]) == sorted(labels)
assert sorted(markers["Outside 99.8% limits"]) == sorted(labels[latest["flag"].str.contains("99.8")])
headline = api.values(RATE, [YEAR], la=LA, warehouse=WAREHOUSE).iloc[0]
in_wards = latest["numerator"].sum() / latest["denominator"].sum() * 10_000
centre = next(t for t in fig_funnel.data if t.name == "Overall value").y[0]
assert np.isclose(centre, in_wards)
note = (
    "the same"
    if np.isclose(in_wards, float(headline["value"]), atol=0.05)
    else "different: children with no ward are left out, and ward populations need not sum to the ONS total"
)
print(f"Pooled ward rate {in_wards:.1f}; LA headline {float(headline['value']):.1f} per 10,000 ({note})")

# %% [markdown]
# ### Overdispersion
#
# Wards differ for many reasons besides chance (deprivation above all), so more wards fall outside
# exact binomial limits than chance alone would put there. Spiegelhalter's phi measures that excess;
# if phi > 1 the limits are widened by sqrt(phi). Wards still outside the widened limits are the ones
# to look at first.

# %%
widened = ward_funnel(RATE, YEAR, overdispersion=True)
print(widened["limits"].iloc[0])
compare = latest[["unit", "flag"]].merge(
    widened[["unit", "flag"]], on="unit", suffixes=("_exact", "_widened")
)
display(compare[(compare["flag_exact"] != "inside") | (compare["flag_widened"] != "inside")])

# %% [markdown]
# ## Wards outside the limits over time
#
# The funnel for every year. A ward that is above the 99.8% limit year after year is a pattern; one
# that is outside once is more likely noise (with 21 wards and two-sided 95% limits, about one ward
# a year falls outside by chance alone).

# %%
every_year = pd.concat([ward_funnel(RATE, p) for p in years], ignore_index=True)
every_year["rate_per_10k"] = every_year["proportion"] * 10_000
code = {"inside": 0, "above_95": 1, "above_99.8": 2, "below_95": -1, "below_99.8": -2}
grid = every_year.pivot(index="unit", columns="period", values="flag").reindex(
    columns=[p.label for p in years]
)
scores = grid.apply(lambda col: col.map(code)).astype(float)
order = scores.sum(axis=1).sort_values(ascending=False).index
grid, scores = grid.loc[order], scores.loc[order]
display(grid)

# %%
fig_grid = go.Figure(
    go.Heatmap(
        z=scores.to_numpy(),
        x=list(scores.columns),
        y=list(scores.index),
        zmin=-2,
        zmax=2,
        colorscale=[  # Analysis Function colours: blues below the limits, orange and dark pink above
            [0, AF_COLOURS["dark_blue"]],
            [0.25, AF_COLOURS["light_blue"]],
            [0.5, "#f3f2f1"],
            [0.75, AF_COLOURS["orange"]],
            [1, AF_COLOURS["dark_pink"]],
        ],
        colorbar={
            "tickvals": [-2, -1, 0, 1, 2],
            "ticktext": ["below 99.8%", "below 95%", "inside", "above 95%", "above 99.8%"],
        },
        customdata=grid.to_numpy(),
        hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
    )
)
fig_grid = base_layout(
    fig_grid, "Wards against the funnel limits, by year (children on a plan per 10,000)", ""
)
fig_grid.update_layout(height=620, showlegend=False, hovermode="closest")
fig_grid.update_yaxes(autorange="reversed", rangemode=None)
display(fig_grid)

# %%
summary = (
    every_year.assign(
        above=every_year["flag"].str.startswith("above"),
        below=every_year["flag"].str.startswith("below"),
        above_998=every_year["flag"] == "above_99.8",
    )
    .groupby("unit")[["above", "below", "above_998"]]
    .sum()
)
summary = summary.sort_values(["above_998", "above"], ascending=False)
persistent = summary[summary["above_998"] >= len(years) // 2]
display(summary.head(10))
print("Above the 99.8% limit in at least half the years:", ", ".join(persistent.index) or "none")

# %%
# Assertions: the heat map shows one row per ward and one column per year, each cell is that year's
# funnel flag, and the latest column agrees with the funnel plot above.
assert scores.shape == (len(latest), len(years))
assert (grid[YEAR.label].sort_index() == latest.set_index("unit")["flag"].sort_index()).all()
cell = {
    (y, x): v
    for x, col in zip(fig_grid.data[0].x, np.asarray(fig_grid.data[0].z).T, strict=True)
    for y, v in zip(fig_grid.data[0].y, col, strict=True)
}
for r in every_year.itertuples():
    assert cell[(r.unit, r.period)] == code[r.flag]

# %% [markdown]
# ## A percentage: repeat plans by ward
#
# Repeat plans have a few dozen plan starts per ward a year, so the funnel is wide and almost every
# ward sits inside it. Pooling years (here the last three) narrows it; even then, treat single wards
# with caution.

# %%
pooled_years = years[-3:]
rows = api.values("cpp_repeat_pct", pooled_years, la=LA, by="area", warehouse=WAREHOUSE)
rows = rows[rows["group"].isin(wards["area_name"])]
pooled = rows.groupby("group", as_index=False)[["numerator", "denominator"]].sum()
repeat_flags = funnel_flags(
    pooled["numerator"].astype(float).to_numpy(),
    pooled["denominator"].astype(float).to_numpy(),
    labels=list(pooled["group"]),
)
label = f"{pooled_years[0].label} to {pooled_years[-1].label}"
fig_repeat = funnel_figure(
    repeat_flags,
    limits_for(repeat_flags),
    f"Repeat plans by ward, plan starts {label}",
    scale=100,
    y_title="Percentage of plan starts that are repeat plans",
)
display(fig_repeat)
display(
    repeat_flags[repeat_flags["flag"] != "inside"][["unit", "numerator", "denominator", "proportion", "flag"]]
)

# %%
# Assertion: pooling three years keeps every plan start (the ward counts add up to the ward rows).
assert repeat_flags["denominator"].sum() == rows["denominator"].sum()
assert len([x for t in fig_repeat.data if t.mode == "markers" for x in t.x]) == len(pooled)
