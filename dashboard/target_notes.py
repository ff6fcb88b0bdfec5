"""Where each target comes from (national, local, illustrative), for the definition panel and the legend."""

from __future__ import annotations

import pandas as pd
from dash import html

from indicators import api

ORIGIN_WORDS = {
    "national": "National target",
    "local": "Local target (set by the partnership)",
    "illustrative": "Illustrative target: made up to show how targets work, not a real target",
}


def target_entries(frame: pd.DataFrame) -> list:
    """The target entry (indicators.targets.Target) in force at each row's period end, or None."""
    book = api.target_book()
    return [
        book.target_for(i, la, pd.Timestamp(end).date())
        for i, la, end in zip(frame["indicator_id"], frame["la_code"], frame["period_end"], strict=True)
    ]


def illustrative_periods(frame: pd.DataFrame) -> list[str]:
    """The shown periods whose target is illustrative."""
    if frame.empty:
        return []
    entries = target_entries(frame)
    return [
        p
        for p, t in zip(frame["period"], entries, strict=True)
        if t is not None and t.origin == "illustrative"
    ]


def mark_illustrative(fig, frame: pd.DataFrame):
    """Name illustrative targets as such in the chart legend (and its hover), so none looks real."""
    periods = illustrative_periods(frame)
    if not periods:
        return fig
    every = len(periods) == len(frame)
    words = " (illustrative)" if every else f" (illustrative from {periods[0]} to {periods[-1]})"
    for trace in fig.data:
        if (trace.name or "").startswith("Target"):
            trace.name = trace.name + words
    return fig


def target_row(indicator_id: str, la: str | None) -> tuple[str, object]:
    """The definition panel's target row: each target this indicator has had, and where it came from."""
    book = api.target_book()
    history = book.history(indicator_id, la)
    if not history:
        return "Target", "No target is set for this indicator."
    entries = []
    for t in sorted(history, key=lambda t: t.effective_from):
        note = f" {t.note}" if t.note else ""
        entries.append(
            [
                html.Strong(f"{t.describe()} from {t.effective_from.day} {t.effective_from:%B %Y}: "),
                f"{ORIGIN_WORDS[t.origin]}.{note}",
            ]
        )
    if len(entries) == 1:
        return "Target and where it comes from", html.P(entries[0])
    return "Target and where it comes from", html.Ul(
        [html.Li(e) for e in entries], className="govuk-list govuk-list--bullet"
    )
