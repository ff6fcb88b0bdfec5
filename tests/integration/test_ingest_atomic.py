"""All-or-nothing loading: re-loads, rejected batches, SIGKILL mid-load, unwritable folders."""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from pathlib import Path

import duckdb
import pytest
from cin_builders import (
    big_census,
    census,
    child,
    episode,
    ingest_killed_after,
    plan,
    run_cli,
    sha256,
    table_hashes,
    write,
)

from pipelines.issues import IngestError
from pipelines.load import ingest

pytestmark = pytest.mark.usefixtures("isolated_warehouse")


def small_return(path: Path, *, la: str = "201", ids: tuple[str, ...] = ("A1", "A2")) -> Path:
    kids = [child(i, episode("2022-05-01", plans=[plan("2022-05-10", reviews=["2022-08-01"])])) for i in ids]
    return write(path, census(kids, la=la))


def bad_return(path: Path) -> Path:
    return write(path, census([child("B1", episode("2022-05-01"), ethnicity="ZZZZ")], la="203"))


def build_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if ".building" in p.name)


def test_loading_the_same_file_twice_changes_nothing(tmp_path, isolated_warehouse):
    src = small_return(tmp_path / "raw" / "cin_201.xml")
    [first] = ingest([src], isolated_warehouse, progress=None)
    assert first.status == "loaded"
    digest, stat = sha256(isolated_warehouse), isolated_warehouse.stat()
    [second] = ingest([src], isolated_warehouse, progress=None)
    assert second.status == "unchanged"
    assert sha256(isolated_warehouse) == digest
    assert isolated_warehouse.stat().st_mtime_ns == stat.st_mtime_ns
    assert isolated_warehouse.stat().st_ino == stat.st_ino  # not even rewritten


def test_same_bytes_twice_in_one_batch_load_once(tmp_path, isolated_warehouse):
    src = small_return(tmp_path / "raw" / "cin_201.xml")
    copy = shutil.copy(src, tmp_path / "raw" / "copy_of_cin_201.xml")
    results = ingest([src, src, copy], isolated_warehouse, progress=None)
    assert sorted(r.status for r in results) == ["loaded", "unchanged", "unchanged"]
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from loads").fetchone() == (1,)
        assert con.execute("select count(*) from children").fetchone() == (2,)
    finally:
        con.close()


def test_rejected_batch_leaves_the_warehouse_byte_identical(tmp_path, isolated_warehouse):
    ingest([small_return(tmp_path / "raw" / "cin_201.xml")], isolated_warehouse, progress=None)
    digest, before = sha256(isolated_warehouse), table_hashes(isolated_warehouse)
    good = small_return(tmp_path / "raw" / "cin_202.xml", la="202", ids=("G1",))
    bad = bad_return(tmp_path / "raw" / "cin_203.xml")
    with pytest.raises(IngestError) as caught:
        ingest([good, bad], isolated_warehouse, progress=None)
    assert "cin_203.xml" in str(caught.value) and "unchanged" in str(caught.value)
    assert [(i.rule_id, i.field, i.record) for i in caught.value.issues] == [("S-CODE", "Ethnicity", "B1")]
    assert sha256(isolated_warehouse) == digest
    assert table_hashes(isolated_warehouse) == before
    assert build_files(isolated_warehouse.parent) == []


def test_rejected_first_batch_creates_no_warehouse(tmp_path, isolated_warehouse):
    good = small_return(tmp_path / "raw" / "cin_202.xml", la="202")
    bad = bad_return(tmp_path / "raw" / "cin_203.xml")
    with pytest.raises(IngestError):
        ingest([good, bad], isolated_warehouse, progress=None)
    assert not isolated_warehouse.exists()
    assert build_files(isolated_warehouse.parent) == []


def test_sigkill_mid_load_leaves_the_old_warehouse_intact(tmp_path, isolated_warehouse):
    warehouse = isolated_warehouse
    ingest([small_return(tmp_path / "raw" / "cin_201.xml")], warehouse, progress=None)
    before, digest, inode = table_hashes(warehouse), sha256(warehouse), warehouse.stat().st_ino
    big = big_census(tmp_path / "raw" / "cin_202_big.xml", 3000, la="202")

    # How long an uninterrupted load takes (CLI start-up included), on copies; the faster of two
    # runs, so a busy moment during the measurement cannot push kill points past the commit.
    durations = []
    for attempt in ("a", "b"):
        reference = tmp_path / f"reference-{attempt}" / "warehouse.duckdb"
        reference.parent.mkdir()
        shutil.copyfile(warehouse, reference)
        started = time.perf_counter()
        done = run_cli("ingest", big, "--warehouse", reference)
        durations.append(time.perf_counter() - started)
        assert done.returncode == 0, done.stderr
    duration = min(durations)
    reference_hashes = table_hashes(reference)
    curated = {t for t in reference_hashes if t.startswith("main.")} - {
        "main.loads",
        "main.validation_issues",
    }  # these hold load times

    backup = shutil.copyfile(warehouse, tmp_path / "backup.duckdb")
    # Five kill points, one drawn at random (fixed seed) from each fifth of 0.05 s .. 0.7 x the
    # reference duration, so start-up, parsing, staging and curating are all hit. The reference
    # run's time varies when the machine is busy, hence the margin before the commit at the end.
    rng = random.Random(20230331)
    span = 0.7 * duration - 0.05
    delays = [0.05 + span * (k + rng.random()) / 5 for k in range(5)]
    outcomes = []
    for delay in delays:
        proc = ingest_killed_after(big, warehouse, delay, timeout=30)
        assert not Path(str(warehouse) + ".wal").exists()
        assert all(p.name != warehouse.name for p in build_files(warehouse.parent))
        if warehouse.stat().st_ino == inode:
            # Killed before the commit point (os.replace): the old file is still the warehouse,
            # byte for byte, and opens read-only with the same content.
            assert proc.returncode == -signal.SIGKILL
            assert sha256(warehouse) == digest
            assert table_hashes(warehouse) == before
            outcomes.append(("old", round(delay, 2)))
        else:
            # Killed after os.replace (or it finished): the new warehouse must be complete.
            now = table_hashes(warehouse)
            assert {t: now[t] for t in curated} == {t: reference_hashes[t] for t in curated}
            outcomes.append(("new", round(delay, 2)))
            shutil.copyfile(backup, warehouse)  # start the next round from the old state
            inode = warehouse.stat().st_ino
    # Either outcome is checked above; most kill points must land before the commit.
    assert sum(o == "old" for o, _ in outcomes) >= 3, (outcomes, duration)

    # The lock died with the killed writers; a full load now works and sweeps their leftovers.
    done = run_cli("ingest", big, "--warehouse", warehouse)
    assert done.returncode == 0, done.stderr
    assert build_files(warehouse.parent) == []
    after = table_hashes(warehouse)
    assert {t: after[t] for t in curated} == {t: reference_hashes[t] for t in curated}
    assert after["main.children"][0] == 2 + 3000


def test_unwritable_warehouse_folder_is_a_clear_error(tmp_path, isolated_warehouse):
    src = small_return(tmp_path / "raw" / "cin_201.xml")
    folder = isolated_warehouse.parent
    folder.mkdir(parents=True)
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: chmod cannot make the folder read-only")
        with pytest.raises(IngestError, match="not writable"):
            ingest([src], isolated_warehouse, progress=None)
        done = run_cli("ingest", src, "--warehouse", isolated_warehouse)
        assert done.returncode == 1
        assert "not writable" in done.stderr and str(folder) in done.stderr
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_warehouse_folder_that_cannot_be_created_is_a_clear_error(tmp_path, isolated_warehouse):
    # Works as root too: the warehouse's parent "folder" is an ordinary file.
    src = small_return(tmp_path / "raw" / "cin_201.xml")
    blocker = write(tmp_path / "not-a-folder", "x")
    target = blocker / "warehouse.duckdb"
    with pytest.raises(IngestError, match="cannot create the warehouse folder"):
        ingest([src], target, progress=None)
    done = run_cli("ingest", src, "--warehouse", target)
    assert done.returncode == 1
    assert "cannot create the warehouse folder" in done.stderr
    assert blocker.read_text() == "x"


def test_raw_files_are_never_modified(tmp_path, isolated_warehouse):
    good = small_return(tmp_path / "raw" / "cin_201.xml")
    bad = bad_return(tmp_path / "raw" / "cin_203.xml")
    before = {p: (sha256(p), p.stat().st_mtime_ns, p.stat().st_mode) for p in (good, bad)}
    ingest([good], isolated_warehouse, progress=None)
    with pytest.raises(IngestError):
        ingest([good, bad], isolated_warehouse, progress=None)
    ingest([good], isolated_warehouse, progress=None)  # unchanged
    assert {p: (sha256(p), p.stat().st_mtime_ns, p.stat().st_mode) for p in (good, bad)} == before
    assert sorted(p.name for p in good.parent.iterdir()) == ["cin_201.xml", "cin_203.xml"]
