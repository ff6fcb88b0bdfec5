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
# # 03 Ethnicity and disproportionality
#
# **Purpose.** Are children of some ethnic groups more likely than others to be on a child
# protection plan, or to start one? This notebook computes rates per 10,000 children by ethnic
# group with 95% intervals, rate ratios with 95% confidence intervals (each group against all other
# children, and against White children), how those ratios move over the years, and, as much as
# the numbers, **what the denominator can and cannot support**.
#
# The denominator is a proxy (`indicators.api.ETHNICITY_DENOMINATOR`): Census 2021 residents **of
# all ages** by ethnic group, scaled to the ONS mid-year estimate of children aged 0-17. The ethnic
# mix of children is not that of all ages, so read the caveats section before quoting a ratio.
#
# Methods (`indicators.disproportionality`, `indicators.intervals`): rates use Byar's
# approximation (exact Poisson under 10 events), as PHE/OHID Fingertips; rate ratios use a
# log-normal interval, SE(log RR) = sqrt(1/a + 1/b). Unsuppressed analyst view.

# %%
import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown, display

from charts.figures import breakdown_figure
from charts.layout import base_layout
from charts.palette import CONCERN, PRIMARY
from indicators import api
from indicators.disproportionality import ALL_CHILDREN, rates_by_group

pd.set_option("display.width", 180)
pd.set_option("display.max_columns", 20)
WAREHOUSE = Path(os.environ.get("SAFEGUARDING_WAREHOUSE", "../data/curated/warehouse.duckdb")).resolve()
LA = "856"  # the demo LA
REFERENCE = "White"
years = api.available_periods("year", LA, WAREHOUSE, "cpp_at_end")
YEAR = years[-1]
display(Markdown(f"**Denominator:** {api.ETHNICITY_DENOMINATOR}.  \n**Latest year:** {YEAR.label}"))

# %% [markdown]
# ## The proxy population
#
# `api.ethnicity_population(la, period_end)` gives the proxy child population by DfE ethnicity code:
# each code's share of Census 2021 residents of all ages, times the ONS 0-17 estimate the rate
# indicators use for that period. NOBT (not obtained) and REFU (refused) have no population.

# %%
population = api.ethnicity_population(LA, YEAR.end, WAREHOUSE)
by_group_pop = population.groupby("ethnic_group", as_index=False)["population"].sum()
by_group_pop["share"] = by_group_pop["population"] / by_group_pop["population"].sum()
display(by_group_pop.round(3))
children = api.values("cpp_rate_per_10k", [YEAR], la=LA, warehouse=WAREHOUSE)["denominator"].iloc[0]
print(
    f"ONS children aged 0-17 used for {YEAR.label}: {children:,.0f}; "
    f"proxy population sums to {population['population'].sum():,.0f}"
)


# %% [markdown]
# ## Rates and rate ratios, latest year
#
# Two counts: children **on a plan** at 31 March (`cpp_at_end`) and plans **starting** in the year
# (`cpp_starts`). The "Unknown" group (NOBT, REFU) has no population and so no rate; it is still
# counted in "All children".


# %%
def disproportionality(indicator_id: str, period, by: str = "ethnic_group") -> pd.DataFrame:
    counts = api.values(indicator_id, [period], la=LA, by=by, warehouse=WAREHOUSE)
    pop = api.ethnicity_population(LA, period.end, WAREHOUSE)
    key = "ethnicity" if by == "ethnicity" else "ethnic_group"
    pop = pop.groupby(key, as_index=False)["population"].sum().rename(columns={key: "group"})
    unknown = ("NOBT", "REFU") if by == "ethnicity" else ("Unknown",)
    return rates_by_group(
        counts[["group", "numerator"]].rename(columns={"numerator": "count"}),
        pop,
        reference_group=REFERENCE if by == "ethnic_group" else "WBRI",
        unknown_groups=unknown,
        denominator_source=api.ETHNICITY_DENOMINATOR,
    ).assign(indicator_id=indicator_id, period=period.label)


COLUMNS = [
    "group",
    "count",
    "population",
    "rate",
    "rate_low",
    "rate_high",
    "rate_ratio_all",
    "rate_ratio_all_low",
    "rate_ratio_all_high",
    "significant_all",
    "rate_ratio_ref",
    "rate_ratio_ref_low",
    "rate_ratio_ref_high",
    "significant_ref",
    "note",
]
on_plan = disproportionality("cpp_at_end", YEAR)
starts = disproportionality("cpp_starts", YEAR)
display(Markdown(f"### Children on a plan at 31 March {YEAR.end:%Y}"))
display(on_plan[COLUMNS].round(2))
display(Markdown(f"### Plans starting in {YEAR.label}"))
display(starts[COLUMNS].round(2))

# %%
rated = on_plan[on_plan["rate"].notna() & (on_plan["group"] != ALL_CHILDREN)].reset_index(drop=True)
fig_rates = breakdown_figure(
    rated.assign(value=rated["rate"], suppressed=False),
    f"Children on a plan per 10,000 children, by ethnic group, 31 March {YEAR.end:%Y} (proxy denominator)",
    unit="rate_per_10k",
    decimals=1,
)
fig_rates.data[0].error_x = {
    "type": "data",
    "symmetric": False,
    "color": "#505a5f",
    "array": (rated["rate_high"] - rated["rate"]).iloc[::-1],
    "arrayminus": (rated["rate"] - rated["rate_low"]).iloc[::-1],
}
overall = on_plan.set_index("group").loc[ALL_CHILDREN, "rate"]
fig_rates.add_vline(
    x=overall, line={"color": "#1b1b1b", "dash": "dot"}, annotation_text=f"All children {overall:.1f}"
)
display(fig_rates)


# %%
def forest(tables: dict[str, pd.DataFrame], column: str, title: str) -> go.Figure:
    """Rate ratios with 95% CIs on a log scale, one marker series per indicator."""
    fig = go.Figure()
    for (name, t), colour in zip(tables.items(), (PRIMARY, CONCERN), strict=False):
        t = t[t[column].notna() & (t["group"] != ALL_CHILDREN)]
        fig.add_trace(
            go.Scatter(
                x=t[column],
                y=t["group"],
                mode="markers",
                name=name,
                marker={"size": 11, "color": colour},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": t[f"{column}_high"] - t[column],
                    "arrayminus": t[column] - t[f"{column}_low"],
                    "color": colour,
                },
                hovertemplate="%{y}: %{x:.2f}<extra>" + name + "</extra>",
            )
        )
    fig.add_vline(x=1, line={"color": "#1b1b1b", "width": 1})
    fig = base_layout(fig, title, "")
    fig.update_xaxes(type="log", title="Rate ratio (log scale), 95% CI; 1 = no difference")
    fig.update_yaxes(rangemode=None, autorange="reversed")
    fig.update_layout(hovermode="closest")
    return fig


fig_forest = forest(
    {"On a plan at 31 March": on_plan, "Plans starting": starts},
    "rate_ratio_all",
    f"Rate ratio against all other children of known ethnicity, {YEAR.label}",
)
display(fig_forest)
display(
    forest(
        {"On a plan at 31 March": on_plan, "Plans starting": starts},
        "rate_ratio_ref",
        f"Rate ratio against {REFERENCE} children, {YEAR.label}",
    )
)

# %%
# Assertions on the figures above: rates are count / proxy population x 10,000 and lie inside their
# intervals; "All children" counts every child on a plan (the headline figure, unknown ethnicity
# included); the bars and the forest plot show exactly these numbers.
total = api.values("cpp_at_end", [YEAR], la=LA, warehouse=WAREHOUSE)["numerator"].iloc[0]
assert on_plan.set_index("group").loc[ALL_CHILDREN, "count"] == total
assert np.allclose(rated["rate"], rated["count"] / rated["population"] * 10_000)
assert ((rated["rate_low"] <= rated["rate"]) & (rated["rate"] <= rated["rate_high"])).all()
assert np.allclose(np.asarray(fig_rates.data[0].x, dtype=float), rated["rate"].iloc[::-1])
assert abs(population["population"].sum() - children) < 1e-6 * children
shown_rr = dict(zip(fig_forest.data[0].y, fig_forest.data[0].x, strict=True))
for r in rated.itertuples():
    assert np.isclose(shown_rr[r.group], r.rate_ratio_all)
    assert r.rate_ratio_all_low < r.rate_ratio_all < r.rate_ratio_all_high
    assert r.significant_all == (r.rate_ratio_all_low > 1 or r.rate_ratio_all_high < 1)

# %% [markdown]
# ## Over time
#
# The same ratio each year. The proxy shares are fixed at Census 2021 and only the 0-17 total
# moves, so a ratio that drifts over the years reflects the counts; but the further a year is from
# 2021, the less the 2021 mix may hold.

# %%
history = pd.concat([disproportionality("cpp_at_end", p) for p in years], ignore_index=True)
history = history[history["rate"].notna() & (history["group"] != ALL_CHILDREN)]
wide = history.pivot(index="period", columns="group", values="rate_ratio_all").round(2)
display(wide)
fig_history = go.Figure()
for group, part in history.groupby("group"):
    fig_history.add_trace(
        go.Scatter(
            x=part["period"],
            y=part["rate_ratio_all"],
            mode="lines+markers",
            name=group,
            error_y={
                "type": "data",
                "symmetric": False,
                "thickness": 1,
                "array": part["rate_ratio_all_high"] - part["rate_ratio_all"],
                "arrayminus": part["rate_ratio_all"] - part["rate_ratio_all_low"],
            },
        )
    )
fig_history.add_hline(y=1, line={"color": "#1b1b1b", "width": 1})
fig_history = base_layout(
    fig_history, "Children on a plan: rate ratio against all other children, by year", "Rate ratio (95% CI)"
)
fig_history.update_yaxes(type="log", rangemode=None)
display(fig_history)

# %% [markdown]
# ## Detailed ethnicity (18 codes)
#
# Finer groups, finer caveats: several codes have a handful of children, so intervals are wide and
# the proxy matters more. NOBT and REFU are listed with their share of children counted.

# %%
detail = disproportionality("cpp_at_end", YEAR, by="ethnicity")
display(
    detail[
        [
            "group",
            "count",
            "population",
            "rate",
            "rate_low",
            "rate_high",
            "rate_ratio_all",
            "rate_ratio_all_low",
            "rate_ratio_all_high",
            "unknown_share",
            "note",
        ]
    ].round(2)
)

# %% [markdown]
# ## Caveats of the denominator, and how robust each finding is
#
# 1. **All ages, not children.** Census 2021 shares of residents of all ages stand in for the shares
#    of children. Groups with a young age structure (in most areas Mixed, and often Black, Asian and
#    Other groups) make up a larger share of children than of all ages, so the proxy **understates
#    their child population and overstates their rate**; for groups with an older age structure
#    (White British in most areas) it is the other way round. Rate ratios for young groups are
#    therefore biased upwards. Census 2021 tables of children by ethnic group (for example via Nomis,
#    by age) would remove most of this bias and are the first improvement to make.
# 2. **Fixed at 2021.** The shares are applied to every year; the ethnic mix of an area moves.
# 3. **Different recording.** The census records ethnicity as stated in the household; the CIN
#    census records what social care has on file. Mismatched categories (for example "Any other"
#    codes) move children between groups.
# 4. **Unknown ethnicity.** Children recorded as not obtained or refused are in no group's rate, so
#    every group rate is understated by up to the unknown share (shown below).
# 5. **Small numbers.** Intervals are wide for small groups; a "significant" ratio from a handful of
#    children can come and go from year to year.
# 6. **Demo data.** On the demo warehouse the children and their ethnicity are synthetic.
#
# A quick robustness check for caveat 1: a ratio's interval moves roughly in proportion to the
# group's population. `tolerance` below is how much larger (for a ratio above 1) or smaller (below 1)
# the group's true child population would have to be than the proxy for the 95% interval to reach 1.
# Under 25% is fragile. Between 25% and 100% the finding is sensitive to the age structure: for a
# young group (Mixed, above all) the share of children can be well above the share of all ages, so a
# ratio above 1 for such a group should be checked against child-specific population figures before
# it is quoted. That is the case for the Mixed group on the demo data.

# %%
robust = rated[
    ["group", "count", "rate_ratio_all", "rate_ratio_all_low", "rate_ratio_all_high", "significant_all"]
].copy()
robust["tolerance"] = np.where(
    robust["rate_ratio_all_low"] > 1,
    robust["rate_ratio_all_low"] - 1,
    np.where(robust["rate_ratio_all_high"] < 1, robust["rate_ratio_all_high"] - 1, np.nan),
)
robust["reading"] = np.select(
    [~robust["significant_all"], robust["tolerance"].abs() < 0.25, robust["tolerance"].abs() < 1],
    [
        "no significant difference",
        "fragile: within ordinary proxy error",
        "sensitive: a young group's child share can differ this much",
    ],
    "robust: the proxy would need to be out by a factor of 2 or more",
)
display(robust.round(2))
unknown = on_plan.set_index("group").loc["Unknown"]
print(
    f"Ethnicity unknown for {unknown['unknown_share']:.1%} of children on a plan ({int(unknown['count'])})."
)

# %%
# Assertion: the robustness table covers every group shown in the forest plot, and the unknown share
# is the "Unknown" count over all children counted.
assert set(robust["group"]) == set(shown_rr)
assert np.isclose(unknown["unknown_share"], unknown["count"] / total)
