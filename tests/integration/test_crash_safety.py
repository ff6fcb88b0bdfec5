"""Crash safety (issue 8, part 2): SIGKILL at 20 random points of a load, and a full disk.

Every kill leaves either the previous warehouse (byte for byte, and readable) or, if the kill came
after the atomic os.replace, the complete new one; never a mix, never a stray build file. A writer
whose disk fills up (simulated with RLIMIT_FSIZE, as a quota or a full volume would refuse the
write) fails with a clear message and leaves the previous warehouse untouched.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

from pipelines.load import ingest
from tests.integration.cin_builders import (
    SAFEGUARDING,
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

KILL_POINTS = 20


def _build_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if ".building" in p.name)


def _base(tmp_path: Path, warehouse: Path) -> None:
    kids = [
        child(i, episode("2022-05-01", plans=[plan("2022-05-10", reviews=["2022-08-01"])]))
        for i in ("A1", "A2")
    ]
    ingest([write(tmp_path / "raw" / "cin_201.xml", census(kids, la="201"))], warehouse, progress=None)


def test_sigkill_at_20_random_points_leaves_a_whole_warehouse(tmp_path, isolated_warehouse):
    warehouse = isolated_warehouse
    _base(tmp_path, warehouse)
    before, digest, inode = table_hashes(warehouse), sha256(warehouse), warehouse.stat().st_ino
    big = big_census(tmp_path / "raw" / "cin_202_big.xml", 3000, la="202")
    reference = tmp_path / "reference" / "warehouse.duckdb"
    reference.parent.mkdir()
    shutil.copyfile(warehouse, reference)
    started = time.perf_counter()
    assert run_cli("ingest", big, "--warehouse", reference).returncode == 0
    duration = time.perf_counter() - started
    expected = table_hashes(reference)
    curated = {t for t in expected if t.startswith("main.")} - {"main.loads", "main.validation_issues"}
    backup = shutil.copyfile(warehouse, tmp_path / "backup.duckdb")

    rng = random.Random(8)
    delays = sorted(rng.uniform(0.02, 0.9 * duration) for _ in range(KILL_POINTS))
    outcomes = []
    for delay in delays:
        ingest_killed_after(big, warehouse, delay, timeout=60)
        assert not Path(str(warehouse) + ".wal").exists()
        if warehouse.stat().st_ino == inode:
            assert sha256(warehouse) == digest
            assert table_hashes(warehouse) == before  # opens read-only, same content
            outcomes.append("old")
        else:
            now = table_hashes(warehouse)
            assert {t: now[t] for t in curated} == {t: expected[t] for t in curated}
            outcomes.append("new")
            shutil.copyfile(backup, warehouse)
            inode, digest = warehouse.stat().st_ino, sha256(warehouse)
    assert len(outcomes) == KILL_POINTS
    assert outcomes.count("old") >= KILL_POINTS // 2, (outcomes, duration)
    # The next load sweeps the killed writers' build files and completes.
    assert run_cli("ingest", big, "--warehouse", warehouse).returncode == 0
    assert _build_files(warehouse.parent) == []


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_is_a_clear_error_and_changes_nothing(tmp_path, isolated_warehouse):
    warehouse = isolated_warehouse
    _base(tmp_path, warehouse)
    before, digest = table_hashes(warehouse), sha256(warehouse)
    big = big_census(tmp_path / "raw" / "cin_203_big.xml", 2000, la="203")
    # Room to copy the warehouse, not to grow it.
    limit = warehouse.stat().st_size + 64 * 1024
    done = subprocess.run(
        [str(SAFEGUARDING), "ingest", str(big), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
        preexec_fn=_limit_file_size(limit),
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "previous warehouse is unchanged" in done.stderr or "unchanged" in done.stderr
    assert sha256(warehouse) == digest and table_hashes(warehouse) == before
    assert _build_files(warehouse.parent) == []
    assert not Path(str(warehouse) + ".wal").exists()
