"""The plausibility guard: a census return may not silently replace one with far more children."""

from __future__ import annotations

import duckdb

from pipelines.file_result import FileResult
from pipelines.issues import Issue, Severity
from vocabulary import settings

# A replacement return with fewer than half the children of the one it replaces is refused unless
# --force is given (SAFEGUARDING_MIN_KEPT_FRACTION overrides the half). Small returns are exempt.
DEFAULT_MIN_KEPT_FRACTION = 0.5
SMALL_RETURN = 20


def min_kept_fraction() -> float:
    return float(settings.get("limits.min_kept_fraction") or DEFAULT_MIN_KEPT_FRACTION)


def implausible_drop(con: duckdb.DuckDBPyConnection, rival_id: int, result: FileResult) -> Issue | None:
    """The issue to report if `result` (a census return) would replace load `rival_id` while
    holding far fewer children; None if the drop is plausible."""
    row = con.execute(
        "select file_name, coalesce(rows_loaded['children'], 0) from loads where load_id = ?", [rival_id]
    ).fetchone()
    if row is None:
        return None
    old_name, old_children = row
    new_children = result.children
    if old_children < SMALL_RETURN or new_children >= old_children * min_kept_fraction():
        return None
    h = result.header
    drop = old_children - new_children
    return Issue(
        result.path.name,
        None,
        None,
        "Children",
        None,
        "S-PLAUSIBILITY",
        Severity.STRUCTURAL,
        f"this return for LA {h.la_code if h else '?'} {h.collection_year if h else ''} has "
        f"{new_children:,} {'child' if new_children == 1 else 'children'}, but the return it would "
        f"replace ({old_name}) has "
        f"{old_children:,}: a drop of {drop:,} ({drop / old_children:.0%}). It was not loaded; if "
        "the smaller return is right, load it again with --force",
    )
