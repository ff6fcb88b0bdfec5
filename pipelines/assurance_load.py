"""Lineage for assurance returns (pipelines/assurance_returns.py): one loads row per file.

There is no supersession between files: each curated row (an s.11 rating, an audit round, an action)
comes from the latest load that gives it, and earlier loads stay in staging as the history.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb


def record_assurance_load(
    con: duckdb.DuckDBPyConnection, load_id: int, path: Path, sha: str, rows: dict, meta: dict
) -> None:
    """The loads row: source_type is the return's kind; reference_date its latest date."""
    con.execute(
        "insert into loads (load_id, file_name, file_sha256, file_bytes, source_type, la_code, "
        "reference_date, loaded_at, status, rows_loaded, rule_issues) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, 0)",
        [
            load_id,
            path.name,
            sha,
            path.stat().st_size,
            meta["kind"],
            meta["la_code"],
            meta["reference_date"],
            datetime.now(UTC).replace(tzinfo=None),
            dict(rows),
        ],
    )
