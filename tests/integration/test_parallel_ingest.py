"""Census files parsed in worker processes load exactly as when parsed in the loading process."""

from __future__ import annotations

from pathlib import Path

import pytest
from cin_builders import census, child, episode, plan, query, table_hashes, write

from pipelines.issues import IngestError, Severity
from pipelines.load import ingest
from pipelines.parallel import WORKERS_ENV, ingest_workers

pytestmark = pytest.mark.usefixtures("isolated_warehouse")


def returns(directory: Path) -> list[Path]:
    """Three LAs' returns plus a second return for LA 201 (a later year) and a rule failure."""
    files = []
    for la, year in (("201", 2023), ("202", 2023), ("203", 2023), ("201", 2024)):
        kids = [
            child(
                f"C{i}",
                episode(
                    f"{year - 1}-05-0{i}", plans=[plan(f"{year - 1}-05-1{i}", reviews=[f"{year - 1}-08-01"])]
                ),
            )
            for i in range(1, 4)
        ]
        if la == "202":  # a review before its plan starts: a rule issue, loaded and recorded
            kids.append(
                child("R1", episode("2022-06-01", plans=[plan("2022-06-10", reviews=["2022-06-01"])]))
            )
        files.append(write(directory / f"cin_{la}_{year}.xml", census(kids, la=la, ref=f"{year}-03-31")))
    return files


def test_worker_processes_give_the_same_warehouse_as_one_process(tmp_path, monkeypatch):
    files = returns(tmp_path / "raw")
    built = {}
    for workers in ("1", "2"):
        monkeypatch.setenv(WORKERS_ENV, workers)
        target = tmp_path / f"w{workers}" / "warehouse.duckdb"
        results = ingest(files, target, progress=None)
        assert [r.status for r in results] == ["loaded"] * 4
        assert [r.children for r in results] == [3, 4, 3, 3]
        # One project rule failure; the 2023-24 return also meets DfE's rules (the builder writes
        # no disabilities, UPN or latest category), the same in both modes (compared below).
        assert sum(i.severity is Severity.RULE for r in results for i in r.issues) == 1
        issues = [str(i) for r in results for i in r.issues]
        hashes = table_hashes(target)
        hashes.pop("main.loads")  # loaded_at differs; the rest of each loads row is compared below
        loads = query(target, "select * exclude (loaded_at) from loads order by load_id")
        built[workers] = (hashes, loads, issues)
    assert built["1"] == built["2"]
    assert len(built["2"][0]) > 10 and len(built["2"][1]) == 4
    assert not list((tmp_path / "w2").glob(".*spool*"))  # the spool folder is removed


def test_a_rejected_file_parsed_in_a_worker_rejects_the_whole_batch(tmp_path, monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "2")
    files = returns(tmp_path / "raw")
    files.append(
        write(
            tmp_path / "raw" / "cin_204_2023.xml",
            census([child("B1", episode("2022-05-01"), ethnicity="ZZZZ")], la="204"),
        )
    )
    target = tmp_path / "w" / "warehouse.duckdb"
    with pytest.raises(IngestError) as err:
        ingest(files, target, progress=None)
    message = str(err.value) + "\n".join(i.message for i in err.value.issues)
    assert "cin_204_2023.xml" in message and "Ethnicity" in "".join(i.field for i in err.value.issues)
    assert not target.exists()
    assert not list(target.parent.glob(".*building*"))


def test_small_loads_stay_in_one_process(tmp_path, monkeypatch):
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    files = returns(tmp_path / "raw")
    assert ingest_workers(files) == 1  # a few KB: starting processes would cost more than it saves
    assert ingest_workers(files[:1]) == 1
    monkeypatch.setenv(WORKERS_ENV, "8")
    assert ingest_workers(files) == 4  # never more processes than files
