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
# # 05 Child deaths: themes for the Child Death Overview Panel
#
# **Purpose.** The themes a CDOP annual report needs: deaths by age at death and by category,
# expected and unexpected deaths, how long reviews take (and how many are waiting), and how often
# panels find modifiable factors. Child death numbers are small, so **every output in this notebook
# is suppressed** with `indicators.disclosure.suppress(df, "board")`: counts of 1 to 5, and values
# built on them, show as `c`, with secondary suppression so that withheld cells cannot be worked
# back from totals. Breakdowns are pooled over the last three years, as CDOP reports do.
#
# Sources: the CDOP extracts loaded into the warehouse, read through the analyst API (`cdop_*`
# indicators, `pooled_values`, `review_backlog`, `national_context`). On the demo warehouse the
# deaths are synthetic.

# %%
import os
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown, display

from charts.figures import breakdown_figure
from charts.layout import base_layout
from charts.palette import CONCERN, PRIMARY, SERIES, TARGET
from indicators import api
from indicators.cdop import order_groups
from indicators.disclosure import SMALL_MAX, SMALL_MIN, SUPPRESSED, suppress
from indicators.disclosure import display as shown_as
from indicators.registry import get

pd.set_option("display.width", 180)
WAREHOUSE = Path(os.environ.get("SAFEGUARDING_WAREHOUSE", "../data/curated/warehouse.duckdb")).resolve()
cdop_las = api.cdop_las(WAREHOUSE)
assert cdop_las, "No CDOP extract is loaded: see docs/cdop-extract-format.md"
LA = "856" if "856" in cdop_las else cdop_las[0]
years = api.available_periods("year", LA, WAREHOUSE, "cdop_deaths")
POOLED = years[-3:]
LABEL = f"{POOLED[0].label} to {POOLED[-1].label}"
print(f"LA {LA}: CDOP years {years[0].label} to {years[-1].label}; breakdowns pooled over {LABEL}")

# %% [markdown]
# Every table below goes through `board()` (suppression) and `published()` (formatting as the
# dashboard shows it: `c` withheld, `-` missing). Nothing unsuppressed is displayed.

# %%
SHOWN: list[pd.DataFrame] = []  # every table displayed, for the disclosure check at the end


def board(df: pd.DataFrame) -> pd.DataFrame:
    """Suppress for the board. Pass breakdown rows with their total rows, so totals are protected."""
    return suppress(df.reset_index(drop=True), "board")


def published(
    df: pd.DataFrame, columns: dict[str, tuple[str, int, str]], label: str = "group"
) -> pd.DataFrame:
    """Format suppressed rows for display. columns: output name -> (column, decimals, unit)."""
    out = pd.DataFrame({label: df[label]})
    for name, (col, decimals, unit) in columns.items():
        out[name] = [
            shown_as(None if pd.isna(v) else float(v), decimals, s, unit)
            for v, s in zip(df[col], df["suppressed"], strict=True)
        ]
    SHOWN.append(out)
    return out


# %% [markdown]
# ## Deaths by age at death

# %%
ages = board(api.pooled_values("cdop_deaths", POOLED, LA, "cdop_age_band", WAREHOUSE))
age_rows = order_groups(ages[ages["breakdown"] == "cdop_age_band"])
display(
    published(
        pd.concat([age_rows, ages[ages["breakdown"] == "total"]]),
        {"Deaths notified": ("numerator", 0, "count")},
    )
)
fig_age = breakdown_figure(age_rows, f"Child deaths notified by age at death, {LABEL}", "count", 0)
display(fig_age)

# %%
# Assertion on the chart: withheld bands are labelled "c" and drawn at zero, shown bands carry their
# count, and no band shown has 1 to 5 deaths.
bars = fig_age.data[0]
for group, x, text in zip(bars.y, bars.x, bars.text, strict=True):
    row = age_rows.set_index("group").loc[group]
    if row["suppressed"]:
        assert text == SUPPRESSED and x == 0, group
    else:
        assert text == "" and x == row["value"] and not SMALL_MIN <= x <= SMALL_MAX, group

# %% [markdown]
# ## Expected and unexpected deaths

# %%
expected = board(api.pooled_values("cdop_deaths", POOLED, LA, "expected", WAREHOUSE))
display(published(order_groups(expected), {"Deaths notified": ("numerator", 0, "count")}))

# %% [markdown]
# ## Category of death and modifiable factors
#
# Categories come from the panel's review, so only completed reviews have one. For each category:
# the reviews completed, and the share in which the panel found modifiable factors. The count of
# reviews and the percentage are suppressed separately, as on the dashboard.

# %%
raw = api.pooled_values("cdop_modifiable_pct", POOLED, LA, "death_category", WAREHOUSE)
reviews = board(
    raw.assign(
        indicator_id="cdop_reviews_completed",
        numerator=raw["denominator"],
        denominator=None,
        value=raw["denominator"].astype(float),
        unit="count",
    )
)
share = board(raw)
category = order_groups(reviews[reviews["breakdown"] == "death_category"])
merged = category[["group", "numerator", "suppressed"]].merge(
    share[["group", "numerator", "value", "suppressed"]], on="group", suffixes=("", "_share")
)
table = published(merged, {"Reviews completed": ("numerator", 0, "count")})
table["With modifiable factors"] = [
    shown_as(v, 0, s) for v, s in zip(merged["numerator_share"], merged["suppressed_share"], strict=True)
]
table["% with modifiable factors"] = [
    shown_as(v, 1, s, "percent") for v, s in zip(merged["value"], merged["suppressed_share"], strict=True)
]
SHOWN.append(table)
total = share[share["breakdown"] == "total"].iloc[0]
display(table)
print(
    f"All reviews completed {LABEL}: {shown_as(total['denominator'], 0, total['suppressed'])}; "
    f"modifiable factors found in {shown_as(total['value'], 1, total['suppressed'], 'percent')}"
)
fig_category = breakdown_figure(
    category, f"Child death reviews completed by category of death, {LABEL}", "count", 0
)
display(fig_category)

# %%
years_modifiable = board(api.values("cdop_modifiable_pct", years, LA, None, WAREHOUSE))
display(
    published(
        years_modifiable,
        {
            "Reviews": ("denominator", 0, "count"),
            "With modifiable factors": ("numerator", 0, "count"),
            "%": ("value", 1, "percent"),
        },
        label="period",
    )
)

# %% [markdown]
# ## Review timeliness
#
# Reviews completed each year: how many within 12 months of the death, and the median days from
# death to review. Then the backlog: deaths awaiting review at each year end, by time since death.

# %%
within = board(api.values("cdop_review_12m_pct", years, LA, None, WAREHOUSE))
median = board(api.values("cdop_review_median_days", years, LA, None, WAREHOUSE))
timeliness = within[["period", "denominator", "numerator", "value", "suppressed"]].merge(
    median[["period", "value", "suppressed"]], on="period", suffixes=("", "_median")
)
t = published(
    timeliness,
    {
        "Reviews completed": ("denominator", 0, "count"),
        "Within 12 months": ("numerator", 0, "count"),
        "% within 12 months": ("value", 1, "percent"),
    },
    label="period",
)
t["Median days"] = [
    shown_as(v, 0, s)
    for v, s in zip(timeliness["value_median"], timeliness["suppressed_median"], strict=True)
]
display(t)

median_y = [None if s else float(v) for v, s in zip(median["value"], median["suppressed"], strict=True)]
fig_time = go.Figure(
    go.Scatter(
        x=list(median["period"]),
        y=median_y,
        mode="lines+markers",
        name="Median days to review",
        line={"color": PRIMARY, "width": 3},
    )
)
fig_time.add_trace(
    go.Scatter(
        x=[median["period"].iloc[0], median["period"].iloc[-1]],
        y=[365, 365],
        mode="lines",
        name="12 months",
        line={"color": TARGET, "dash": "dot"},
    )
)
fig_time = base_layout(fig_time, "Median days from death to completed review", "Days")
fig_time.update_xaxes(type="category")
display(fig_time)

# %%
dates = [p.end for p in POOLED]
backlog = board(api.review_backlog(LA, dates, WAREHOUSE))
wide = backlog.assign(
    shown=[shown_as(v, 0, s) for v, s in zip(backlog["numerator"], backlog["suppressed"], strict=True)]
)
wide = wide.pivot(index="period", columns="group", values="shown")
wide = wide[["Under 6 months", "6 to 12 months", "Over 12 months", "All"]]
SHOWN.append(wide.reset_index())
display(Markdown("**Deaths awaiting a completed review, by time since death**"))
display(wide)
fig_backlog = go.Figure()
for band, colour in zip(
    ("Under 6 months", "6 to 12 months", "Over 12 months"), (PRIMARY, SERIES[1], CONCERN), strict=True
):
    part = backlog[backlog["group"] == band]
    fig_backlog.add_trace(
        go.Bar(
            x=list(part["period"]),
            y=[None if s else v for v, s in zip(part["numerator"], part["suppressed"], strict=True)],
            name=band,
            marker={"color": colour},
        )
    )
fig_backlog.update_layout(barmode="stack")
display(base_layout(fig_backlog, "Deaths awaiting review at each year end", "Deaths"))

# %% [markdown]
# ## Against England
#
# National figures come from the National Child Mortality Database (NCMD), kept with their source
# in `vocabulary/reference`. The local rate is withheld if the count of deaths is small.

# %%
england = api.national_context()[0]
local = (
    board(api.values("cdop_rate_per_100k", [england["period"]], LA, None, WAREHOUSE))
    if england["period"] in [p.label for p in years]
    else None
)
rows = [
    {
        "area": "England (NCMD)",
        "period": england["period"],
        "deaths": f"{england['deaths']:,}",
        "rate per 100,000": f"{england['rate_per_100k']:.1f}",
    }
]
if local is not None:
    r = local.iloc[0]
    rows.append(
        {
            "area": f"LA {LA}",
            "period": r["period"],
            "deaths": shown_as(r["numerator"], 0, r["suppressed"]),
            "rate per 100,000": shown_as(r["value"], 1, r["suppressed"]),
        }
    )
comparison = pd.DataFrame(rows)
SHOWN.append(comparison.rename(columns={"area": "group"}))
display(comparison)
print(england["source"])

# %% [markdown]
# ## Disclosure check
#
# Every table displayed above, cell by cell: no count of 1 to 5 is shown (counts are whole numbers
# without a decimal point or `%`), and the suppression left something withheld where the raw
# data had small numbers.


# %%
def small_counts(frame: pd.DataFrame) -> list[tuple]:
    hits = []
    for col in frame.columns[1:]:
        for group, v in zip(frame.iloc[:, 0], frame[col], strict=True):
            text = str(v).replace(",", "")
            if (
                text.isdigit()
                and SMALL_MIN <= int(text) <= SMALL_MAX
                and "%" not in col
                and "days" not in col.lower()
            ):
                hits.append((group, col, v))
    return hits


leaks = [hit for frame in SHOWN for hit in small_counts(frame)]
assert not leaks, leaks
assert any((frame == SUPPRESSED).any().any() for frame in SHOWN), "expected some cells withheld on CDOP data"
raw_small = raw["denominator"].between(SMALL_MIN, SMALL_MAX) & (raw["breakdown"] != "total")
assert category.set_index("group").loc[raw.loc[raw_small, "group"], "suppressed"].all()
print(
    f"{len(SHOWN)} tables checked; {sum(int((f == SUPPRESSED).sum().sum()) for f in SHOWN)} cells withheld."
)
print(get("cdop_deaths").caveats)
