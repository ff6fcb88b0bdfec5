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
# # 02 Repeat child protection plans (NI65): a deep dive
#
# **Purpose.** Look at repeat plans by quarter with statistical process control (SPC), find the
# step change that followed the practice change of 1 October 2021, and ask where it came from:
# which ethnic groups, age bands and categories of abuse, and whether it is a change in practice
# (rates rose within groups) or in who came onto plans (the mix changed). Then compare the DfE
# measure, a previous plan **ever** (`cpp_repeat_pct`), with the local measure, a previous plan
# that ended **within 2 years** (`cpp_repeat_2y_pct`).
#
# On the demo warehouse the shift is planted: from 1 October 2021 about 28% of plan starts are
# repeats instead of about 18%. The assertion cells check that the charts show it. On real data,
# read the cells that check the planted signal as examples and adapt them.
#
# Numbers are unsuppressed (analyst view). Suppress with `indicators.disclosure.suppress(df, "board")`
# before sharing anything broken down this finely.

# %%
import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from charts.figures import breakdown_figure, trend_figure
from charts.layout import base_layout
from charts.palette import CONCERN, PRIMARY
from indicators import api
from indicators.disclosure import suppress
from indicators.intervals import wilson_interval
from indicators.spc_config import notes_for

pd.set_option("display.width", 160)
WAREHOUSE = Path(os.environ.get("SAFEGUARDING_WAREHOUSE", "../data/curated/warehouse.duckdb")).resolve()
LA = "856"  # the demo LA
EVER, WITHIN_2Y = "cpp_repeat_pct", "cpp_repeat_2y_pct"
annotations, _ = notes_for(EVER, LA)
CHANGE = pd.Timestamp(annotations[0][0]) if annotations else pd.Timestamp(date(2021, 10, 1))
print(f"Practice change: {CHANGE:%d %B %Y}:", annotations[0][1] if annotations else "(no annotation)")

# %% [markdown]
# ## NI65 by quarter, with SPC
#
# `api.spc_series` runs the Making Data Count XmR chart over the quarterly series, with the
# annotations and rebase points declared in `indicators/annotations.yaml`. Limits come from the
# first 12 points and stay fixed: SPC never rebases by itself, so a shift stays visible.

# %%
quarters, result = api.spc_series(EVER, la=LA, freq="quarter", warehouse=WAREHOUSE)
spc_frame = result.to_frame()
fig_spc = trend_figure(
    quarters,
    "Repeat child protection plans (NI65) by quarter, with SPC",
    unit="percent",
    decimals=1,
    spc=spc_frame,
)
display(fig_spc)
print(result.variation_text)
print(result.assurance_text)
for seg in result.segments:
    print(
        f"Segment from {seg.start_date:%b %Y}: mean {seg.mean:.1f}%, "
        f"limits {seg.lower:.1f}% to {seg.upper:.1f}% (baseline {seg.baseline_points} points)"
    )

# %%
table = quarters[["period", "period_end", "numerator", "denominator", "value"]].assign(
    special=spc_frame["special"].to_numpy(),
    rules=spc_frame["rules"].to_numpy(),
    annotation=spc_frame["annotation"].to_numpy(),
)
display(table)

# %%
# Assertions on the SPC chart: it plots this series, its special-cause markers are the flagged
# points, and (planted demo signal) the quarters after the change sit above the baseline mean.
plotted = next(t for t in fig_spc.data if t.mode == "lines+markers")
assert np.allclose(np.asarray(plotted.y, dtype=float), quarters["value"].astype(float))
special_marks = sum(len(t.x) for t in fig_spc.data if t.name and t.name.startswith("Special cause"))
assert special_marks == int(spc_frame["special"].sum())
after = spc_frame[spc_frame["date"] >= CHANGE]
assert after["special"].mean() > 0.8, "most quarters after the change should be special cause"
assert (after["value"] > after["mean"]).all(), "every quarter after the change should be above the mean"
assert result.variation_icon == "special_cause_concerning_high"

# %% [markdown]
# ## Before and after, pooled
#
# Plan starts are counted in exactly one quarter, so numerators and denominators add up across
# quarters. Pooling every quarter before the change against every quarter from it gives a steadier
# estimate than any single quarter. Intervals are Wilson 95%.


# %%
def pooled(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum numerators and denominators over the quarters before and after the change."""
    frame = frame.assign(when=np.where(pd.to_datetime(frame["period_start"]) >= CHANGE, "after", "before"))
    out = frame.groupby(keys + ["when"], as_index=False)[["numerator", "denominator"]].sum()
    out[["numerator", "denominator"]] = out[["numerator", "denominator"]].astype(float)
    out["pct"] = 100 * out["numerator"] / out["denominator"]
    low, high = wilson_interval(out["numerator"].to_numpy(), out["denominator"].to_numpy())
    out["low"], out["high"] = 100 * low, 100 * high
    return out


labels = list(quarters["period"])
overall = pooled(quarters, [])
display(overall)
step = overall.set_index("when")["pct"]
print(
    f"Repeat plans: {step['before']:.1f}% before, {step['after']:.1f}% after "
    f"({step['after'] - step['before']:+.1f} percentage points)"
)

# %%
# Assertion (planted demo signal): a step up of at least 5 percentage points, about 18% -> 28%.
assert step["after"] - step["before"] >= 5
assert 14 < step["before"] < 22 and 23 < step["after"] < 33

# %% [markdown]
# ## Where did the shift come from?
#
# For each breakdown: the pooled repeat rate before and after, by group, and a decomposition of
# the overall change (Kitagawa): the **rate** part is the change in each group's rate weighted by
# its average share of plan starts; the **mix** part is the change in each group's share weighted
# by its average rate. A practice change shows up as a rate effect spread across groups; a change
# in who comes onto plans shows up as a mix effect.

# %%
BREAKDOWNS = {"ethnic_group": "Ethnic group", "age_band": "Age band", "category": "Category of abuse"}


def shift_by(by: str) -> pd.DataFrame:
    rows = api.values(EVER, labels, la=LA, by=by, warehouse=WAREHOUSE)
    p = pooled(rows, ["group"]).pivot(index="group", columns="when")
    out = pd.DataFrame(
        {
            "starts_before": p[("denominator", "before")],
            "starts_after": p[("denominator", "after")],
            "pct_before": p[("pct", "before")],
            "pct_after": p[("pct", "after")],
            "low_before": p[("low", "before")],
            "high_before": p[("high", "before")],
            "low_after": p[("low", "after")],
            "high_after": p[("high", "after")],
        }
    ).fillna({"starts_before": 0, "starts_after": 0})
    out["change_pp"] = out["pct_after"] - out["pct_before"]
    share_b = out["starts_before"] / out["starts_before"].sum()
    share_a = out["starts_after"] / out["starts_after"].sum()
    rate_b, rate_a = out["pct_before"].fillna(0), out["pct_after"].fillna(0)
    out["rate_effect_pp"] = (share_b + share_a) / 2 * (rate_a - rate_b)
    out["mix_effect_pp"] = (rate_b + rate_a) / 2 * (share_a - share_b)
    order = ["Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17"]
    out = out.reset_index()
    rank = out["group"].map(
        lambda g: (g in ("Not known", "Unknown"), order.index(g) if g in order else 99, g)
    )
    return out.loc[rank.sort_values().index].reset_index(drop=True)


shifts = {by: shift_by(by) for by in BREAKDOWNS}
for by, name in BREAKDOWNS.items():
    s = shifts[by]
    print(
        f"{name}: rate effect {s['rate_effect_pp'].sum():+.1f} pp, "
        f"mix effect {s['mix_effect_pp'].sum():+.1f} pp"
    )
    display(s.round(1))


# %%
def before_after_figure(s: pd.DataFrame, name: str) -> go.Figure:
    fig = go.Figure()
    for when, colour in (("before", PRIMARY), ("after", CONCERN)):
        fig.add_trace(
            go.Bar(
                y=s["group"],
                x=s[f"pct_{when}"],
                orientation="h",
                name=f"{when.title()} {CHANGE:%b %Y}",
                marker={"color": colour},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": s[f"high_{when}"] - s[f"pct_{when}"],
                    "arrayminus": s[f"pct_{when}"] - s[f"low_{when}"],
                    "color": "#505a5f",
                },
            )
        )
    fig = base_layout(fig, f"Repeat plans before and after the practice change, by {name.lower()}", "")
    fig.update_layout(barmode="group", hovermode="closest", height=max(320, 80 + 45 * len(s)))
    fig.update_xaxes(title="Percentage of plan starts that are repeat plans (95% CI)")
    return fig


figs = {by: before_after_figure(shifts[by], name) for by, name in BREAKDOWNS.items()}
for fig in figs.values():
    display(fig)

# %% [markdown]
# The same change in percentage points with the shared `breakdown_figure` (one bar per group):

# %%
change = shifts["category"].assign(value=lambda d: d["change_pp"].round(1), suppressed=False)
fig_change = breakdown_figure(
    change,
    "Change in repeat plans after the practice change, by category (percentage points)",
    unit="count",
    decimals=1,
)
display(fig_change)

# %%
# Assertions: each breakdown's pooled counts add up to the overall counts, and the decomposition
# adds up to the overall change (it is exact). The figures show these numbers.
for by, s in shifts.items():
    assert s["starts_before"].sum() == overall.set_index("when").loc["before", "denominator"], by
    assert s["starts_after"].sum() == overall.set_index("when").loc["after", "denominator"], by
    total = s["rate_effect_pp"].sum() + s["mix_effect_pp"].sum()
    assert abs(total - (step["after"] - step["before"])) < 1e-9, (by, total)
    bars = figs[by].data
    assert np.allclose(np.asarray(bars[1].x, dtype=float), s["pct_after"], equal_nan=True)
# Planted demo signal: a practice change, so the rate effect carries most of the shift.
assert shifts["ethnic_group"]["rate_effect_pp"].sum() > 0.7 * (step["after"] - step["before"])

# %% [markdown]
# ## "Ever" against "within 2 years"
#
# - **Ever** (`cpp_repeat_pct`, DfE D3 / former NI65): the child had a plan before at any time, from
#   `NumberOfPreviousCPP` as returned or an earlier plan in the loaded data.
# - **Within 2 years** (`cpp_repeat_2y_pct`, local): the child's previous plan in the loaded data
#   ended less than 2 years before this one started. It needs the history to be loaded, so the first
#   years undercount (nothing before the first loaded return is visible).
#
# Every plan counted "within 2 years" is also counted "ever" (an earlier plan is in the data), and
# both have plan starts as denominator; the gap is repeat plans after a longer break, or whose
# earlier plan is known only from `NumberOfPreviousCPP`.

# %%
years_ever = api.series(EVER, la=LA, freq="year", warehouse=WAREHOUSE)
years_2y = api.series(WITHIN_2Y, la=LA, freq="year", warehouse=WAREHOUSE)
compare = years_ever[["period", "period_end", "numerator", "denominator", "value"]].merge(
    years_2y[["period", "numerator", "denominator", "value"]], on="period", suffixes=("_ever", "_2y")
)
compare["share_of_repeats_within_2y"] = 100 * compare["numerator_2y"] / compare["numerator_ever"]
display(compare.round(1))

# %%
fig_compare = trend_figure(
    years_ever, "Repeat plans: ever (NI65) and within 2 years, by year", unit="percent", decimals=1
)
fig_compare.data[0].name = "Previous plan ever (NI65)"
fig_compare.add_trace(
    go.Scatter(
        x=years_2y["period_end"],
        y=years_2y["value"].astype(float),
        mode="lines+markers",
        name="Previous plan ended within 2 years",
        line={"color": CONCERN, "width": 3, "dash": "dash"},
        customdata=years_2y["period"],
        hovertemplate="%{customdata}: %{y:.1f}%<extra></extra>",
    )
)
fig_compare.add_vline(x=CHANGE, line={"color": "#505a5f", "width": 1, "dash": "dot"})
display(fig_compare)

# %%
# Assertions: same denominator (plan starts), "within 2 years" never exceeds "ever", and the chart
# shows both series.
assert (compare["denominator_ever"] == compare["denominator_2y"]).all()
assert (compare["numerator_2y"] <= compare["numerator_ever"]).all()
shown_2y = np.asarray(fig_compare.data[-1].y, dtype=float)
assert np.allclose(shown_2y, compare["value_2y"].astype(float), equal_nan=True)  # NaN: not yet measurable

# %% [markdown]
# ## Within 2 years, with SPC
#
# Does the local measure show the shift too? Its first years undercount (little history loaded),
# which shows up as a low start: read its SPC with that in mind.

# %%
q2y, result_2y = api.spc_series(WITHIN_2Y, la=LA, freq="quarter", warehouse=WAREHOUSE)
display(
    trend_figure(
        q2y,
        "Repeat plans within 2 years of the previous plan, by quarter, with SPC",
        unit="percent",
        decimals=1,
        spc=result_2y.to_frame(),
    )
)
print(result_2y.variation_text)

# %% [markdown]
# ## Sharing
#
# Breakdowns by group and quarter have small numbers. Before any of this leaves the team, suppress
# it for the board and check what is withheld:

# %%
latest = labels[-1]
shared = suppress(
    pd.concat(
        [
            api.values(EVER, [latest], la=LA, warehouse=WAREHOUSE),
            api.values(EVER, [latest], la=LA, by="ethnic_group", warehouse=WAREHOUSE),
        ]
    ),
    "board",
)
display(shared[["period", "breakdown", "group", "numerator", "denominator", "value", "suppressed"]])
