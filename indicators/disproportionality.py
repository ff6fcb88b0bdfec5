"""Disproportionality by ethnicity: rates per 10,000 by group, rate ratios with 95% CIs, unknown shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from indicators.intervals import rate_interval

UNKNOWN_GROUPS = ("NOBT", "REFU")
ALL_CHILDREN = "All children"
_UNKNOWN_WORDS = {
    "NOBT": "ethnicity not yet obtained",
    "REFU": "ethnicity refused",
    "Unknown": "ethnicity not known",
}


def rate_ratio(a, pop_a, b, pop_b, confidence: float = 0.95):
    """Ratio of two Poisson rates (a/pop_a) / (b/pop_b) with a log-normal CI: SE(log RR) = sqrt(1/a + 1/b).

    Returns (ratio, low, high); the CI is nan when either count is 0 or a population is missing.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    pop_a, pop_b = np.asarray(pop_a, dtype=float), np.asarray(pop_b, dtype=float)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (pop_a > 0) & (pop_b > 0) & (b > 0)
        ratio = np.where(ok, (a / pop_a) / (b / pop_b), np.nan)
        se = np.sqrt(1 / a + 1 / b)
        ci = ok & (a > 0)
        low = np.where(ci, ratio * np.exp(-z * se), np.nan)
        high = np.where(ci, ratio * np.exp(z * se), np.nan)
    if ratio.ndim == 0:
        return float(ratio), float(low), float(high)
    return ratio, low, high


def rates_by_group(
    counts: pd.DataFrame,
    population: pd.DataFrame,
    per: float = 10_000,
    reference_group: str | None = None,
    denominator_source: str = "",
    unknown_groups: tuple[str, ...] = UNKNOWN_GROUPS,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Rate per `per` children by group, with Byar / exact Poisson CIs and rate ratios.

    counts: columns group, count. population: columns group, population (children in each group).

    - "vs all": each group against all OTHER children whose ethnicity is known (the group itself is
      left out, so the two counts are independent, as the log-normal CI assumes).
    - "vs reference": against `reference_group` if given (the reference row itself shows ratio 1).
    - `significant_*`: the 95% CI of the ratio excludes 1.
    - `unknown_groups` (NOBT, REFU by default) are always listed, with count 0 if absent. They have no
      population, so no rate; `unknown_share` is their share of all children counted. Children of
      unknown ethnicity are not in any group's count, so a high unknown share understates every rate.
    - A last row "All children" counts every child, unknown ethnicity included.
    - `denominator_source` is copied into every row (e.g. "Census 2021, all ages (proxy for children)").
    """
    c = counts.groupby("group", sort=False)["count"].sum()
    p = population.groupby("group", sort=False)["population"].sum()
    groups = list(dict.fromkeys([*c.index, *p.index, *unknown_groups]))
    df = pd.DataFrame({"group": groups})
    df["count"] = df["group"].map(c).fillna(0).astype(float)
    df["population"] = df["group"].map(p).astype(float)
    unknown = df["group"].isin(unknown_groups).to_numpy()
    df.loc[unknown, "population"] = np.nan
    known = ~unknown & (df["population"] > 0).to_numpy()

    total_count = df["count"].sum()
    known_count, known_pop = df.loc[known, "count"].sum(), df.loc[known, "population"].sum()
    df["rate"] = np.where(known, df["count"] / df["population"] * per, np.nan)
    low, high = rate_interval(df["count"].to_numpy(), df["population"].to_numpy(), per, confidence)
    df["rate_low"], df["rate_high"] = np.where(known, low, np.nan), np.where(known, high, np.nan)

    others_count = np.where(known, known_count - df["count"], np.nan)
    others_pop = np.where(known, known_pop - df["population"], np.nan)
    rr = rate_ratio(df["count"], df["population"], others_count, others_pop, confidence)
    df["rate_ratio_all"], df["rate_ratio_all_low"], df["rate_ratio_all_high"] = rr
    df["significant_all"] = (df["rate_ratio_all_low"] > 1) | (df["rate_ratio_all_high"] < 1)

    ref = None
    if reference_group is not None:
        hit = df.index[(df["group"] == reference_group) & known]
        if len(hit) == 0:
            raise ValueError(f"reference group {reference_group!r} has no population")
        ref = hit[0]
        rr = rate_ratio(
            df["count"], df["population"], df.at[ref, "count"], df.at[ref, "population"], confidence
        )
        df["rate_ratio_ref"], df["rate_ratio_ref_low"], df["rate_ratio_ref_high"] = rr
        df.loc[~known, ["rate_ratio_ref", "rate_ratio_ref_low", "rate_ratio_ref_high"]] = np.nan
        df.loc[ref, ["rate_ratio_ref_low", "rate_ratio_ref_high"]] = np.nan
    else:
        df["rate_ratio_ref"] = df["rate_ratio_ref_low"] = df["rate_ratio_ref_high"] = np.nan
    df["significant_ref"] = (df["rate_ratio_ref_low"] > 1) | (df["rate_ratio_ref_high"] < 1)

    with np.errstate(divide="ignore", invalid="ignore"):
        df["unknown_share"] = np.where(unknown, df["count"] / total_count if total_count else np.nan, np.nan)
    notes = []
    for i, row in df.iterrows():
        if unknown[i]:
            share = row["unknown_share"]
            share = "" if np.isnan(share) else f"; {share:.1%} of children counted"
            notes.append(
                f"Data quality: {_UNKNOWN_WORDS.get(row['group'], 'ethnicity not known')}; "
                f"no population, so no rate{share}"
            )
        elif not known[i]:
            notes.append("No population for this group, so no rate")
        elif row["count"] == 0:
            notes.append("No children counted: rate 0, ratio CIs not computed")
        elif i == ref:
            notes.append("Reference group")
        else:
            notes.append("")
    df["note"] = notes

    all_low, all_high = rate_interval(total_count, known_pop, per, confidence)
    all_row = {
        "group": ALL_CHILDREN,
        "count": total_count,
        "population": known_pop,
        "rate": total_count / known_pop * per if known_pop > 0 else np.nan,
        "rate_low": all_low,
        "rate_high": all_high,
        "significant_all": False,
        "significant_ref": False,
        "note": "Every child counted, including those whose ethnicity is not known",
    }
    df = pd.concat([df, pd.DataFrame([all_row])], ignore_index=True)
    df["denominator_source"] = denominator_source
    return df
