"""What an ingest checks about the existing warehouse, under the writer lock, before it loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.issues import IngestError
from pipelines.pseudonymise import key_fingerprint, key_path, load_or_create_key

FINGERPRINT = "key_fingerprint"


def damaged_message(path: Path, exc: BaseException) -> str:
    """One message for a warehouse that cannot be read, with what to do about it."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"the warehouse {path} cannot be read ({detail}): it is damaged or is not a DuckDB file. "
        "Nothing was loaded and the file was left as it is. To recover, restore it from your last "
        "backup, or move it aside and rebuild it by loading the raw files again "
        "(`safeguarding ingest FOLDER...`, or `safeguarding demo` for the demo)"
    )


def is_damage(exc: BaseException) -> bool:
    """DuckDB's signs of a damaged file (a plain duckdb.Error 'Corrupt database file', or an
    IOException reading past the end), as opposed to a mistake in SQL."""
    text = str(exc)
    return (
        type(exc) is duckdb.Error
        or "Corrupt database" in text
        or "not a valid DuckDB" in text
        or (isinstance(exc, duckdb.IOException) and "Could not read enough bytes" in text)
    )


@dataclass
class WarehouseState:
    """The existing warehouse as an ingest sees it: absent, or its loaded files and key fingerprint."""

    path: Path
    exists: bool
    hashes: set[str] = field(default_factory=set)
    fingerprint: str | None = None


def read_state(path: Path) -> WarehouseState:
    """Read the loaded file hashes and the key fingerprint; a damaged file is one clear IngestError."""
    if not path.exists():
        return WarehouseState(path, exists=False)
    state = WarehouseState(path, exists=True)
    try:
        con = duckdb.connect(":memory:")
        try:
            con.execute("ATTACH '{}' AS w (READ_ONLY)".format(str(path.resolve()).replace("'", "''")))
            sql = "select table_name from duckdb_tables() where database_name = 'w' and schema_name = 'main'"
            tables = {t for (t,) in con.execute(sql).fetchall()}
            if "loads" in tables:
                state.hashes = {h for (h,) in con.execute("select file_sha256 from w.loads").fetchall()}
            if "warehouse_meta" in tables:
                row = con.execute(
                    "select value from w.warehouse_meta where name = ?", [FINGERPRINT]
                ).fetchone()
                state.fingerprint = row[0] if row else None
        finally:
            con.close()
    except duckdb.Error as exc:
        raise IngestError(damaged_message(path, exc)) from None
    return state


def ingest_key(state: WarehouseState) -> bytes:
    """The pseudonymisation key for a load into `state`'s warehouse.

    A new key is made only when there is no warehouse yet. With a warehouse, the key must exist
    and (if the warehouse records one) match its fingerprint: a different key would hash every
    child to a new pseudonym and silently double-count them.
    """
    where = key_path()
    if not state.exists:
        try:
            return load_or_create_key(where)
        except ValueError as exc:
            raise IngestError(f"{exc}; nothing was loaded") from None
    try:
        key = load_or_create_key(where, create=False)
    except FileNotFoundError:
        raise IngestError(
            f"the pseudonymisation key {where} does not exist, but the warehouse {state.path} already "
            "holds children pseudonymised with a key. A new key would make every child look like a "
            "new child, so no key was created and nothing was loaded. Point SAFEGUARDING_KEY_FILE at "
            "the key this warehouse was built with (restore it from backup), or, to start afresh, "
            "move the warehouse aside first"
        ) from None
    except ValueError as exc:
        raise IngestError(f"{exc}; nothing was loaded") from None
    if state.fingerprint is not None and key_fingerprint(key) != state.fingerprint:
        raise IngestError(
            f"the pseudonymisation key {where} is not the key the warehouse {state.path} was built "
            "with (their fingerprints differ). Loading with it would count every child again under "
            "a new pseudonym, so nothing was loaded. Point SAFEGUARDING_KEY_FILE at the warehouse's "
            "own key, or load into a new warehouse (--warehouse)"
        )
    return key


def record_fingerprint(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """Store the key's fingerprint in the warehouse being built (a warehouse from before
    fingerprints takes the key it is next loaded with)."""
    con.execute("insert or replace into warehouse_meta values (?, ?)", [FINGERPRINT, key_fingerprint(key)])
