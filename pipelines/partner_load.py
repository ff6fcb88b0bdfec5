"""Lineage and supersession for partner agency returns (pipelines/partner_returns.py).

Each return is a load (source_type 'partner_return') plus a row in staging.partner_returns naming its
agency, quarter and submission date. A later return for the same agency and quarter supersedes the
earlier one (the newer submission date wins; on the same date, the later load): the loser's loads row
says 'superseded' and its staged values stay in staging.partner_values as the history. The curated
tables partner_values and partner_returns hold the current returns only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.issues import Issue
from pipelines.partner_returns import SOURCE_TYPE


def record_partner_load(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    path: Path,
    sha: str,
    rows: dict,
    rules: list[Issue],
    meta: dict,
) -> None:
    """The loads row (reference_date = quarter end, generated_at = submission date), the return's
    header row and its rule issues (no child data: the value column holds what was in the cell)."""
    con.execute(
        "insert into loads (load_id, file_name, file_sha256, file_bytes, source_type, collection_year, "
        "la_code, reference_date, period_start, generated_at, loaded_at, status, rows_loaded, rule_issues) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?)",
        [
            load_id,
            path.name,
            sha,
            path.stat().st_size,
            SOURCE_TYPE,
            meta["quarter"],
            meta["la_code"],
            meta["quarter_end"],
            meta["quarter_start"],
            datetime.combine(meta["submitted_on"], datetime.min.time()),
            datetime.now(UTC).replace(tzinfo=None),
            dict(rows),
            len(rules),
        ],
    )
    con.execute(
        "insert into staging.partner_returns (load_id, la_code, agency, quarter, quarter_start, quarter_end, "
        "submitted_on, file_name) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            meta["la_code"],
            meta["agency"],
            meta["quarter"],
            meta["quarter_start"],
            meta["quarter_end"],
            meta["submitted_on"],
            path.name,
        ],
    )
    if rules:
        con.executemany(
            "insert into validation_issues values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (load_id, i.file, i.line, None, i.field, i.value, i.rule_id, str(i.severity), i.message)
                for i in rules
            ],
        )


def supersede_partner(con: duckdb.DuckDBPyConnection, load_id: int, meta: dict) -> str:
    """Mark the older of this return and any current one for the same agency and quarter as superseded."""
    rivals = con.execute(
        "select l.load_id, r.submitted_on from loads as l join staging.partner_returns as r using (load_id) "
        "where l.source_type = ? and l.status = 'loaded' and r.agency = ? and r.quarter = ? "
        "and l.load_id <> ?",
        [SOURCE_TYPE, meta["agency"], meta["quarter"], load_id],
    ).fetchall()
    status = "loaded"
    for rival_id, rival_submitted in rivals:
        loser, winner = (load_id, rival_id) if meta["submitted_on"] < rival_submitted else (rival_id, load_id)
        if loser == load_id:
            status = "superseded"
        con.execute(
            "update loads set status = 'superseded', superseded_by = ? where load_id = ?", [winner, loser]
        )
        con.execute("delete from validation_issues where load_id = ?", [loser])
    return status
