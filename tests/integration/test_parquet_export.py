"""`safeguarding export --parquet DIR`: every curated table (no staging), names unchanged, partitioned by
la_code and year, read back with DuckDB equal to the warehouse in rows and types."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.curate import CURATED_TABLES
from pipelines.export_parquet import export_parquet
from tests.demo_warehouse import build_demo_warehouse

ROOT = Path(__file__).resolve().parents[2]
SAFEGUARDING = [sys.executable, "-m", "safeguarding.cli"]


def _files(folder: Path) -> str:
    return f"'{folder.as_posix()}/**/*.parquet'"


def _compare(con: duckdb.DuckDBPyConnection, table: str, info: dict, folder: Path) -> None:
    """The export of `table` read back (file contents only) equals the warehouse table."""
    names = [c["name"] for c in info["columns"]]
    cols = ", ".join(f'"{n}"' for n in names)
    exported = f"(SELECT {cols} FROM read_parquet({_files(folder)}, hive_partitioning = false))"
    types = con.execute(f"DESCRIBE {exported}").fetchall()
    warehouse_types = dict((r[0], r[1]) for r in con.execute(f'DESCRIBE wh."{table}"').fetchall())
    assert names == list(warehouse_types)
    assert [c["type"] for c in info["columns"]] == [warehouse_types[n] for n in names]
    # Parquet keeps every type but HUGEINT, which goes out as exact DECIMAL(38,0) (export_parquet.py).
    assert [(r[0], r[1]) for r in types] == [
        (c["name"], c.get("parquet_type", c["type"])) for c in info["columns"]
    ]
    for left, right in ((exported, f'wh."{table}"'), (f'(SELECT {cols} FROM wh."{table}")', exported)):
        (extra,) = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM {left} EXCEPT ALL SELECT {cols} FROM {right})"
        ).fetchone()
        assert extra == 0, f"{table}: {extra} rows differ"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("parquet-demo")
    warehouse, env = build_demo_warehouse(base)
    return {"base": base, "env": env, "warehouse": warehouse}


def test_the_demo_warehouse_round_trips_through_parquet(demo):
    out = demo["base"] / "export"
    done = subprocess.run(
        [*SAFEGUARDING, "export", "--parquet", str(out), "--warehouse", str(demo["warehouse"])],
        env=demo["env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    con = duckdb.connect()
    con.execute(f"ATTACH '{demo['warehouse']}' AS wh (READ_ONLY)")
    present = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh' AND schema_name = 'main'"
        ).fetchall()
    }
    assert set(manifest) == present & set(CURATED_TABLES)  # every curated table, nothing from staging
    assert {p.name for p in out.iterdir() if p.is_dir()} == set(manifest)
    assert {"children", "cp_plans", "population", "published_values"} <= set(manifest)
    printed = dict(line.split("\t") for line in done.stdout.splitlines() if "\t" in line)
    total = 0
    for table, info in manifest.items():
        (rows,) = con.execute(f'SELECT count(*) FROM wh."{table}"').fetchone()
        assert info["rows"] == rows == int(printed[table]), table
        total += rows
        _compare(con, table, info, out / table)
        if "la_code" in info["partition_by"] and rows:
            # Told that la_code is text, a hive-partitioned read keeps it text too.
            (kind,) = con.execute(
                f"SELECT typeof(la_code) FROM read_parquet({_files(out / table)}, "
                "hive_types = {'la_code': VARCHAR}) LIMIT 1"
            ).fetchone()
            assert kind == "VARCHAR"
    assert total > 100_000
    cp = manifest["cp_plans"]
    assert cp["partition_by"] == ["la_code", "year"] and cp["year_from"] == "start_date"
    folders = sorted(p.relative_to(out / "cp_plans").parts[:2] for p in (out / "cp_plans").rglob("*.parquet"))
    assert folders[0][0] == "la_code=856" and folders[0][1].startswith("year=20")
    print(f"\nexported {len(manifest)} tables, {total:,} rows; every table equal after the round trip")


def _tiny_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE cp_plans "
        "(la_code VARCHAR, plan_key VARCHAR, start_date DATE, days INTEGER, share DOUBLE)"
    )
    con.execute(
        "INSERT INTO cp_plans VALUES ('856', 'a', DATE '2023-05-01', 10, -0.5), "
        "('856', 'b', DATE '2024-04-01', NULL, 1.25), ('302', 'c', DATE '2024-06-30', 3, 0.0)"
    )
    con.execute("CREATE TABLE population (la_code VARCHAR, year INTEGER, population HUGEINT)")
    con.execute("INSERT INTO population VALUES ('856', 2023, 50000), ('302', 2023, 40000)")
    con.execute(
        "CREATE TABLE area_lookup (area_code VARCHAR, area_name VARCHAR)"
    )  # no la_code, no dates, empty
    con.execute(
        "CREATE SCHEMA staging; CREATE TABLE staging.cp_plans (x INTEGER); "
        "INSERT INTO staging.cp_plans VALUES (1)"
    )
    con.close()
    return path


def test_partitions_types_and_an_la_limit_on_a_hand_made_warehouse(tmp_path):
    warehouse = _tiny_warehouse(tmp_path / "w.duckdb")
    counts = export_parquet(warehouse, tmp_path / "all")
    assert counts == {"cp_plans": 3, "population": 2, "area_lookup": 0}
    parts = sorted(str(p.relative_to(tmp_path / "all")) for p in (tmp_path / "all").rglob("*.parquet"))
    assert parts == [
        "area_lookup/data_0.parquet",
        "cp_plans/la_code=302/year=2024/data_0.parquet",
        "cp_plans/la_code=856/year=2023/data_0.parquet",
        "cp_plans/la_code=856/year=2024/data_0.parquet",
        "population/la_code=302/year=2023/data_0.parquet",
        "population/la_code=856/year=2023/data_0.parquet",
    ]
    rows = duckdb.sql(
        "SELECT la_code, start_date, days, share, year FROM "
        f"read_parquet({_files(tmp_path / 'all' / 'cp_plans')}, hive_partitioning = false) ORDER BY plan_key"
    ).fetchall()
    assert rows == [
        ("856", date(2023, 5, 1), 10, -0.5, 2023),
        ("856", date(2024, 4, 1), None, 1.25, 2024),
        ("302", date(2024, 6, 30), 3, 0.0, 2024),
    ]
    manifest = json.loads((tmp_path / "all" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["population"]["columns"][2] == {
        "name": "population",
        "type": "HUGEINT",
        "parquet_type": "DECIMAL(38,0)",
    }
    ((pop,),) = duckdb.sql(
        f"SELECT sum(population) FROM read_parquet({_files(tmp_path / 'all' / 'population')})"
    ).fetchall()
    assert pop == 90000
    empty = duckdb.sql(
        f"DESCRIBE SELECT * FROM read_parquet({_files(tmp_path / 'all' / 'area_lookup')})"
    ).fetchall()
    assert [r[0] for r in empty] == ["area_code", "area_name"]

    limited = export_parquet(warehouse, tmp_path / "856", la_codes=["856"])
    assert limited == {"cp_plans": 2, "population": 1, "area_lookup": 0}
    assert not list((tmp_path / "856").rglob("la_code=302"))


def test_an_existing_folder_is_refused_and_a_failed_export_leaves_nothing(tmp_path):
    warehouse = _tiny_warehouse(tmp_path / "w.duckdb")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError, match="not empty"):
        export_parquet(warehouse, tmp_path / "taken")
    with pytest.raises(FileNotFoundError):
        export_parquet(tmp_path / "missing.duckdb", tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken", "w.duckdb"]
