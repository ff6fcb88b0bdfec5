"""Rebuild the curated tables from staging, in dependency order, and document every column."""

from __future__ import annotations

from importlib import resources

import duckdb

CURATED_DIR = resources.files("pipelines") / "sql" / "curated"

# (curated table, SQL file): parents before the tables whose rows hang off them.
PARENT_TABLES = (
    "children",
    "cin_episodes",
    "cp_plans",
    "area_lookup",
    "area_population",
    "population",
    "annex_a_plans",
    "ethnic_population",
)
# Published DfE benchmarks: la_codes first (published_values and the neighbours join it).
PARENT_TABLES += ("la_codes", "published_values", "statistical_neighbours")
# CDOP extracts (pipelines/cdop.py): deaths (after the area tables, for area names), their completed
# reviews, then extracts.
PARENT_TABLES += ("cdop_deaths", "cdop_reviews", "cdop_extracts")
# Partner agency returns (pipelines/partner_returns.py): the current return per agency and quarter.
PARENT_TABLES += ("partner_values", "partner_returns")
# Qualitative assurance returns (pipelines/assurance_returns.py): rounds after their grades.
PARENT_TABLES += ("s11_ratings", "audit_grades", "audit_rounds", "actions")
# Child-row tables built from child_rows.sql: table -> (parent table, parent key, date column).
CHILD_ROW_TABLES: dict[str, tuple[str, str, str]] = {
    "assessments": ("cin_episodes", "episode_key", "start_date"),
    "cin_plans": ("cin_episodes", "episode_key", "start_date"),
    "section47": ("cin_episodes", "episode_key", "s47_start_date"),
    "cp_reviews": ("cp_plans", "plan_key", "review_date"),
}
CURATED_TABLES = PARENT_TABLES + tuple(CHILD_ROW_TABLES)

# Columns shared by many tables get one description, applied wherever they appear.
SHARED_COLUMN_COMMENTS = {
    "la_code": "3-digit DfE local authority number.",
    "child_key": "Pseudonymised child id: keyed hash (HMAC-SHA256) of LA and LAchildID.",
    "episode_key": "CIN episode the row belongs to (hash of child_key and referral date).",
    "plan_key": "Child protection plan the row belongs to (hash of child_key and start date).",
    "source_load_id": "Load (see loads) the row was taken from.",
    "returns_seen_in": "How many current returns or Annex A lists include this plan.",
    "load_id": "Load (see loads) the row came from.",
    "file_name": "Name of the input file as received.",
    "severity": "structural (rejects the file) or rule (loaded and recorded).",
    "area_code": "Ward code (e.g. E05...) or locality code.",
    "area_name": "Ward or locality name.",
}


def sql_file(name: str) -> str:
    return (resources.files("pipelines") / "sql" / name).read_text()


def rebuild_curated(con: duckdb.DuckDBPyConnection) -> None:
    """Recreate every curated table from the current staging rows."""
    for table in PARENT_TABLES:
        query = (CURATED_DIR / f"{table}.sql").read_text()
        con.execute(f"CREATE OR REPLACE TABLE main.{table} AS {query}")
    template = (CURATED_DIR / "child_rows.sql").read_text()
    for table, (parent, parent_key, date_col) in CHILD_ROW_TABLES.items():
        # Only identifiers from the constant table above are substituted, never values.
        query = template.format(table=table, parent=parent, parent_key=parent_key, date_col=date_col)
        con.execute(f"CREATE OR REPLACE TABLE main.{table} AS {query}")
    document_columns(con)


def document_columns(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql_file("comments.sql"))
    rows = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'main' and comment is null and not internal"
    ).fetchall()
    for table, column in rows:
        if column in SHARED_COLUMN_COMMENTS:
            con.execute(f'COMMENT ON COLUMN "{table}"."{column}" IS \'{SHARED_COLUMN_COMMENTS[column]}\'')
