"""Privacy (issue 8, part 6): after real loads, no table of the warehouse and no export holds a raw
LAchildID, a UPN, a death_id or a full birth date; the pseudonymisation key is never written to the
warehouse, to the CLI output or to the audit log."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.integration.cin_builders import census, child, episode, plan, run_cli, write

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cdop"
# Distinctive identifiers and birth dates (days that no other date in the files uses).
CHILDREN = [
    (f"LAC{n:05d}X", f"A{n:011d}Z", f"20{10 + n % 9:02d}-0{1 + n % 9}-{17 + n % 11}") for n in range(40)
]
CDOP_IDS = ("D13", "D01")  # death_ids in the CDOP fixture


def _scan(con: duckdb.DuckDBPyConnection, needles: set[str]) -> list[str]:
    """Every value of every column of every table, as text, against the needles."""
    found = []
    tables = con.execute("select database_name, schema_name, table_name from duckdb_tables()").fetchall()
    assert len(tables) >= 10
    for db, schema, table in tables:
        columns = [
            c
            for (c,) in con.execute(
                "select column_name from duckdb_columns() where database_name = ? and schema_name = ? "
                "and table_name = ?",
                [db, schema, table],
            ).fetchall()
        ]
        for column in columns:
            values = con.execute(
                f'select distinct "{column}"::varchar from "{db}"."{schema}"."{table}"'
            ).fetchall()
            for (value,) in values:
                if value is None:
                    continue
                hits = [n for n in needles if n in value]
                if hits:
                    found.append(f"{schema}.{table}.{column}: {hits[:3]}")
    return found


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("privacy")
    env = {
        "SAFEGUARDING_KEY_FILE": str(folder / "secrets" / "key"),
        "SAFEGUARDING_WAREHOUSE": str(folder / "unused.duckdb"),
        "SAFEGUARDING_AUDIT_LOG": str(folder / "audit.jsonl"),
    }
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    kids = [
        child(
            cid,
            episode("2022-06-01", plans=[plan("2022-06-10", "2022-12-05", reviews=["2022-08-02"])]),
            upn=upn,
            birth=birth,
        )
        for cid, upn, birth in CHILDREN
    ]
    # one child with a rule failure on a sensitive field, so validation_issues has rows
    kids.append(child("LAC99999X", episode("2022-06-01"), upn="A99999999999Z", birth="2023-03-29"))
    cin = write(folder / "raw" / "cin_201.xml", census(kids, la="201"))
    area = write(
        folder / "raw" / "area_lookup_201.csv",
        "LAchildID,area_code,area_name\n"
        + "".join(f"{cid},E0500000{n % 2 + 1},Ward {n % 2}\n" for n, (cid, _, _) in enumerate(CHILDREN)),
    )
    warehouse = folder / "curated" / "warehouse.duckdb"
    done = run_cli(
        "ingest",
        cin,
        area,
        FIXTURES / "cdop_302_2024-03-31.csv",
        FIXTURES / "population_302.csv",
        "--warehouse",
        warehouse,
    )
    assert done.returncode == 0, done.stderr
    yield warehouse, folder, done.stdout + done.stderr
    mp.undo()


def _needles() -> set[str]:
    ids = {cid for cid, _, _ in CHILDREN} | {"LAC99999X"}
    upns = {upn for _, upn, _ in CHILDREN} | {"A99999999999Z"}
    births = {b for _, _, b in CHILDREN} | {"2023-03-29"}
    return ids | upns | births


def test_no_identifier_or_birth_date_in_any_table(loaded):
    warehouse, _, _ = loaded
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert _scan(con, _needles()) == []
        # death_ids: whole values only (short ids like D13 could appear inside hashes)
        for table, column in [("staging", "cdop_deaths")]:
            cols = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
                    [table, column],
                ).fetchall()
            ]
            for c in cols:
                values = {
                    v
                    for (v,) in con.execute(
                        f'select distinct "{c}"::varchar from {table}.{column}'
                    ).fetchall()
                }
                assert not values & set(CDOP_IDS), c
        (n,) = con.execute("select count(*) from validation_issues").fetchone()
        assert n >= 1  # the exception report exists and was scanned
    finally:
        con.close()


def test_no_identifier_in_any_export(loaded, monkeypatch):
    import indicators
    from dashboard.pages.cdop import cdop_view, export_table
    from viewmodels.cells import breakdown_headers, export_frame, trend_headers
    from viewmodels.indicator import indicator_view
    from viewmodels.state import ViewState

    warehouse, _, _ = loaded
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))
    needles = _needles() | set(CDOP_IDS)
    exported = skipped = 0
    for role in ("board", "analyst"):
        for ind in indicators.registry().values():
            la = "302" if ind.id.startswith("cdop") else "201"
            for by in (None, *getattr(ind, "breakdowns", ())):
                try:
                    view = indicator_view(ind.id, ViewState(la=la, freq="year", by=by), role, str(warehouse))
                except Exception:  # an indicator with no data for these files
                    skipped += 1
                    continue
                frames = [export_frame(trend_headers(view.indicator), view.trend_rows)]
                if view.breakdown_rows:
                    frames.append(
                        export_frame(breakdown_headers(view.indicator, view.state.by), view.breakdown_rows)
                    )
                for frame in frames:
                    text = frame.to_csv(index=False)
                    assert not [n for n in needles if n in text.split(",") or (len(n) > 5 and n in text)], (
                        ind.id,
                        by,
                    )
                    exported += 1
        view = cdop_view("302", role, str(warehouse))
        for name in view.tables:
            text = export_table(view, name).to_csv(index=False)
            assert not [n for n in needles if n in text.replace("\n", ",").split(",")], name
            exported += 1
    assert exported >= 20 and skipped < exported, (exported, skipped)
    print(f"privacy: {exported} exports scanned, {skipped} views had no data")


def test_the_key_is_never_written(loaded):
    warehouse, folder, cli_output = loaded
    key = (folder / "secrets" / "key").read_bytes().strip()
    forms = {key}
    try:
        forms |= {bytes.fromhex(key.decode()), key.decode().upper().encode()}
    except ValueError:
        forms.add(key.hex().encode())
    blob = warehouse.read_bytes()
    for form in forms:
        assert form not in blob
        assert form.decode("latin-1") not in cli_output
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        hexkey = key.decode("latin-1")
        assert _scan(con, {hexkey[:32]}) == []
    finally:
        con.close()
    assert stat_mode(folder / "secrets" / "key") == 0o600
    audit = folder / "audit.jsonl"
    if audit.exists():
        assert hexkey not in audit.read_text()


def stat_mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777
