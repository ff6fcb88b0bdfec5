"""Data-quality views of the warehouse: lineage, validation issues, completeness, data dates."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from indicators import store

QUALITY_SQL = resources.files("indicators") / "sql" / "quality"


def _run(name: str, warehouse: str | Path | None) -> pd.DataFrame:
    con = store.cursor(warehouse)
    try:
        return con.execute((QUALITY_SQL / f"{name}.sql").read_text()).df()
    finally:
        con.close()


def loads(warehouse: str | Path | None = None) -> pd.DataFrame:
    """Every file loaded or superseded, with its checksum, period, status and rows."""
    return _run("loads", warehouse)


def validation_by_rule(warehouse: str | Path | None = None) -> pd.DataFrame:
    """Rule failures recorded at load (files with structural errors are rejected, not stored)."""
    return _run("validation_by_rule", warehouse)


def validation_issues(warehouse: str | Path | None = None) -> pd.DataFrame:
    """Every rule failure recorded at load, by file and line, with its rule code and severity."""
    return _run("validation_issues", warehouse)


def completeness(warehouse: str | Path | None = None) -> pd.DataFrame:
    """Per LA: children, unknown ethnicity (NOBT, REFU), unknown sex, missing birth dates and
    plans without NumberOfPreviousCPP; with the NOBT/REFU share as a percentage."""
    df = _run("completeness", warehouse)
    unknown = df["ethnicity_not_obtained"] + df["ethnicity_refused"]
    return df.assign(ethnicity_unknown_pct=(100 * unknown / df["children"]).round(1))


def latest_by_source(warehouse: str | Path | None = None) -> pd.DataFrame:
    """The newest data date per kind of file and LA."""
    return _run("latest_by_source", warehouse)
