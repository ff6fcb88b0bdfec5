"""Plain words under an indicator's trend when what is shown is not what the reader asked for or would
assume: a control that could not be honoured, a carried-forward population, a series that stops early."""

from __future__ import annotations

import pandas as pd

import indicators
from indicators.labels import source_name
from indicators.registry import Indicator


def control_note(requested_la, la, las, requested_start, requested_end, start, end, periods) -> str:
    """Plain words for a choice that could not be honoured, instead of quietly showing something else."""
    notes = []
    if requested_la and requested_la != la:
        notes.append(f"No local authority {requested_la} is loaded: showing {las.get(la, la)} ({la}).")
    if requested_start and requested_start not in periods:
        notes.append(f"From {requested_start} is not a period of this indicator: showing from {start}.")
    if start in periods and end in periods and periods.index(start) > periods.index(end):
        notes.append(
            f"From ({start}) is after To ({end}), so the whole series is shown. Choose a From before To."
        )
    return " ".join(notes)


def population_note(trend: pd.DataFrame) -> str:
    """Rates whose population estimate is carried forward say so (as the CLI's status column does)."""
    carried = trend[trend["status"].astype(str).str.startswith("population carried forward")]
    if carried.empty:
        return ""
    first, last = carried["period"].iloc[0], carried["period"].iloc[-1]
    span = first if first == last else f"{first} to {last}"
    year = str(carried["status"].iloc[-1]).rsplit(" ", 1)[-1]
    return (
        f"Rates for {span} use the population estimate carried forward from {year}: "
        "no later ONS mid-year estimate is loaded."
    )


def period_note(ind: Indicator, requested: str | None, shown: str, periods, freq: str, la, warehouse) -> str:
    """Plain words when the latest period shown is not what the reader would assume: the period asked
    for is not covered, or this indicator's sources stop before the latest period loaded."""
    if requested and requested not in periods:
        return (
            f"No loaded data covers {requested} for this indicator: shown to {shown}, "
            "the latest period it covers."
        )
    latest = indicators.available_periods(freq, la, warehouse, "cpp_at_end")  # census and Annex A
    if shown != periods[-1] or not latest or latest[-1].label == shown:
        return ""
    try:
        stops_early = indicators.api.parse_period(shown, freq).end < latest[-1].end
    except ValueError:
        stops_early = False
    if not stops_early:
        return ""
    return (
        f"The latest value is for {shown}: the loaded data for this indicator "
        f"({', '.join(map(source_name, ind.sources))}) stops there, while other indicators run to "
        f"{latest[-1].label}."
    )
