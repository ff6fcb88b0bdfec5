"""Rows and formats for `safeguarding indicators` (the JSON row contract in DESIGN.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from indicators import api
from indicators.board import BREAKDOWN_YEARS_ONLY, is_flow, suppressed_breakdown, trend
from indicators.disclosure import suppress
from indicators.periods import parse_period
from indicators.registry import registry
from indicators.selection import check, select_indicators
from vocabulary.spreadsheet import safe_frame

CONTRACT = [
    "indicator_id",
    "period",
    "la_code",
    "breakdown",
    "group",
    "numerator",
    "denominator",
    "value",
    "unit",
    "target",
    "rag",
    "suppressed",
]


def indicator_rows(
    period: str | None,
    la: str | None,
    by: str | None,
    role: str,
    warehouse: str | Path | None,
    agency: str | None = None,
    theme: str | None = None,
) -> pd.DataFrame:
    """Every indicator at one period (default: the latest year loaded), as contract rows. `agency`
    ("all" or a partner agency id) and `theme` choose as the scorecard does (indicators/selection.py)."""
    if role not in ("analyst", "board"):
        raise ValueError("role must be analyst or board")
    check(agency, theme)
    chosen = select_indicators(agency, theme)
    if not chosen:
        raise ValueError(f"no indicator or partner measure for agency {agency!r} and theme {theme!r}")
    if period is None:
        # The census's latest year; for partner measures alone, the latest year their returns cover.
        first = None if chosen[0].partner_measure is None else chosen[0].id
        years = api.available_periods("year", la, warehouse, first)
        if not years:
            raise ValueError("no complete year is covered by the loaded data")
        target = years[-1]
    else:
        target = parse_period(period)
    frames = []
    for ind in chosen:
        if by and by not in ind.breakdowns:
            continue
        if role == "analyst":
            frames.append(suppress(api.values(ind.id, [target], la, by, warehouse), role))
        elif by:  # as the dashboard: with its total, shared counts, and whole years for period counts
            frames.append(suppressed_breakdown(ind.id, [target], la, by, role, warehouse).cells)
        else:  # as the dashboard's trend: every frequency decided together
            frames.append(trend(ind.id, [target], la, role, warehouse))
    if not frames:
        raise ValueError(f"no indicator can be broken down by {by!r}")
    df = pd.concat(frames, ignore_index=True)
    df.loc[df["suppressed"].astype(bool), "rag"] = "withheld"  # a RAG would hint at a withheld value
    df["value"] = [
        None if v is None or pd.isna(v) else round(float(v), api.get(i).decimals + 1)
        for v, i in zip(df["value"], df["indicator_id"], strict=True)
    ]
    return df


def board_notes(period: str | None, by: str | None, role: str) -> list[str]:
    """What the board's output leaves out by rule (printed on stderr, so the output stays a table)."""
    if role != "board" or not by or period is None or parse_period(period).kind == "year":
        return []
    flows = [i.id for i in registry().values() if is_flow(i) and by in i.breakdowns]
    return [f"{BREAKDOWN_YEARS_ONLY} Not broken down here: {', '.join(flows)}."] if flows else []


def render(df: pd.DataFrame, fmt: str) -> str:
    out = df[CONTRACT + ["status"]]
    if fmt == "json":
        records = json.loads(out.to_json(orient="records", date_format="iso"))
        for r in records:
            if r["suppressed"]:
                r["numerator"] = r["denominator"] = r["value"] = "c"
        return json.dumps(records, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        shown = out.astype(object)
        shown.loc[shown["suppressed"], ["numerator", "denominator", "value"]] = "c"
        safe_frame(shown).to_csv(buf, index=False)
        return buf.getvalue()
    if fmt == "table":
        shown = out.drop(columns=["unit"]).astype(object)
        shown.loc[shown["suppressed"], ["numerator", "denominator", "value"]] = "c"
        return shown.to_string(index=False)
    raise ValueError("format must be table, json or csv")
