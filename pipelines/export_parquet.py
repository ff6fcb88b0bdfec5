"""Export the curated tables to Parquet for other engines: one folder per table (names unchanged),
hive-partitioned by la_code and year, column types as in the warehouse.

Layout: ``DIR/<table>/la_code=<code>/year=<yyyy>/data_0.parquet`` plus ``DIR/manifest.json``, which
lists each table's columns and types, its partition columns, the date column its year comes from, and
its row count. Partition columns are also written inside the files, so ``la_code`` stays text there;
a reader that infers types from folder names must be told it is text (DuckDB:
``read_parquet('DIR/t/**/*.parquet', hive_types={'la_code': VARCHAR})``; Spark: turn off
``spark.sql.sources.partitionColumnTypeInference.enabled``). A table with no ``year`` column gets one,
derived from its first date column (named in the manifest); a table without dates is partitioned by
``la_code`` only. Every type is kept, except HUGEINT (sums), which Parquet lacks: it is written as
DECIMAL(38,0), exact, and the manifest says so (``parquet_type``).
The export is all or nothing: it is written beside DIR and renamed into place.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.curate import CURATED_TABLES

# DuckDB types Parquet has no type for, written as the exact type Parquet has (noted in the manifest).
PARQUET_TYPE = {"HUGEINT": "DECIMAL(38,0)", "UHUGEINT": "DECIMAL(38,0)"}
DATE_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_plan(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """Columns, partition columns and the year's source for one curated table."""
    columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {_quote(table)}").fetchall()]
    names = [c for c, _ in columns]
    year_from = None
    if "year" in names:
        year_from = "year"
    else:
        year_from = next((c for c, t in columns if t in DATE_TYPES), None)
    partition = [c for c in ("la_code",) if c in names] + (["year"] if year_from else [])
    return {
        "columns": [
            {"name": c, "type": t, **({"parquet_type": PARQUET_TYPE[t]} if t in PARQUET_TYPE else {})}
            for c, t in columns
        ],
        "partition_by": partition,
        "year_from": year_from,
        "derived_year": bool(year_from and year_from != "year"),
    }


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _select(table: str, plan: dict, limited: bool) -> str:
    """The table's rows (only the allowed LAs' when `limited`), with the derived year if it needs one."""
    cols = ", ".join(
        f"CAST({_quote(c['name'])} AS {c['parquet_type']}) AS {_quote(c['name'])}"
        if "parquet_type" in c
        else _quote(c["name"])
        for c in plan["columns"]
    )
    extra = f", CAST(year({_quote(plan['year_from'])}) AS INTEGER) AS year" if plan["derived_year"] else ""
    where = ""
    if limited and any(c["name"] == "la_code" for c in plan["columns"]):
        where = "WHERE la_code IN (SELECT la_code FROM allowed_la_codes)"
    return f"SELECT {cols}{extra} FROM {_quote(table)} {where}"


def export_parquet(
    warehouse: Path,
    out: Path,
    la_codes: Iterable[str] | None = None,
    keep_whole: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Write every curated table under `out` (which must not exist or be empty); returns rows per table.
    `la_codes` limits the rows of tables that have an la_code column (per-LA access), except the
    `keep_whole` ones (published reference data)."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty; choose a new folder")
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}")
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.with_name(f".{out.name}.{os.getpid()}.partial")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    counts: dict[str, int] = {}
    manifest: dict[str, dict] = {}
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            if la_codes is not None:
                allowed = pa.table({"la_code": pa.array(sorted(set(la_codes)), pa.string())})
                con.register("allowed_la_codes", allowed)
            present = {
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
                ).fetchall()
            }
            for table in CURATED_TABLES:
                if table not in present:
                    continue
                plan = table_plan(con, table)
                query = _select(table, plan, la_codes is not None and table not in keep_whole)
                n = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
                folder = building / table
                if n and plan["partition_by"]:
                    partition = ", ".join(plan["partition_by"])
                    con.execute(
                        f"COPY ({query}) TO {_literal(folder)} "
                        f"(FORMAT parquet, PARTITION_BY ({partition}), WRITE_PARTITION_COLUMNS true)"
                    )
                else:  # no rows (the schema is still written) or nothing to partition by
                    folder.mkdir()
                    con.execute(f"COPY ({query}) TO {_literal(folder / 'data_0.parquet')} (FORMAT parquet)")
                counts[table] = n
                manifest[table] = {**plan, "rows": n}
        (building / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if out.exists():
            out.rmdir()
        os.replace(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return counts
