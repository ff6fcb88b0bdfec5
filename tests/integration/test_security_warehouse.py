"""The warehouse and its key under hostile or unlucky conditions (issue 26, items 1, 9, 10, 11):
a changed or missing pseudonymisation key, a damaged warehouse, concurrent loads of one file,
file permissions, build copies left by a killed load, and a return far smaller than the one it
would replace. Everything runs through the real pipeline and the real CLI."""

from __future__ import annotations

import hmac
import os
import resource
import signal
import stat
import subprocess
import time
from hashlib import sha256 as sha256_hash
from pathlib import Path

import pytest

from pipelines.issues import IngestError
from pipelines.load import ingest
from tests.integration.cin_builders import (
    SAFEGUARDING,
    big_census,
    census,
    child,
    episode,
    plan,
    query,
    run_cli,
    sha256,
    table_hashes,
    write,
)


def _return(path: Path, n: int, *, la: str = "201", generated: str = "2023-05-01T09:00:00") -> Path:
    kids = [child(f"K{i:05d}", episode("2022-06-01", plans=[plan("2022-06-10")])) for i in range(n)]
    return write(path, census(kids, la=la, generated=generated))


@pytest.fixture
def loaded(isolated_warehouse: Path, tmp_path: Path) -> Path:
    """A warehouse holding one 30-child return for LA 201, built with the test's key."""
    ingest([_return(tmp_path / "raw" / "cin_201.xml", 30)], isolated_warehouse, progress=None)
    return isolated_warehouse


def _refused(paths: list[Path], warehouse: Path, *needles: str, **kwargs) -> str:
    before = table_hashes(warehouse), sha256(warehouse)
    with pytest.raises(IngestError) as caught:
        ingest(paths, warehouse, progress=None, **kwargs)
    report = caught.value.report()
    for needle in needles:
        assert needle in report, report
    assert (table_hashes(warehouse), sha256(warehouse)) == before
    return report


# -- 1. the pseudonymisation key ---------------------------------------------------------------
def test_the_warehouse_records_an_hmac_fingerprint_of_its_key_not_the_key(loaded: Path) -> None:
    key = bytes.fromhex(Path(os.environ["SAFEGUARDING_KEY_FILE"]).read_text().strip())
    [(value,)] = query(loaded, "select value from warehouse_meta where name = 'key_fingerprint'")
    expected = hmac.new(key, b"safeguarding pseudonymisation key fingerprint v1", sha256_hash).hexdigest()
    assert value == expected
    assert key.hex() not in value


def test_a_different_key_is_refused_with_a_clear_message(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.key"
    other.write_text(os.urandom(32).hex() + "\n")
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(other))
    new = _return(tmp_path / "raw" / "cin_202.xml", 5, la="202")
    _refused([new], loaded, "is not the key the warehouse", "fingerprints differ", "nothing was loaded")
    done = run_cli("ingest", new, "--warehouse", loaded)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "is not the key the warehouse" in done.stderr


def test_a_missing_key_is_never_created_beside_an_existing_warehouse(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "pseudonymisation.key"
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(missing))
    new = _return(tmp_path / "raw" / "cin_202.xml", 5, la="202")
    _refused([new], loaded, str(missing), "does not exist", "no key was created")
    assert not missing.exists()
    done = run_cli("ingest", new, "--warehouse", loaded)
    assert done.returncode == 1 and "Traceback" not in done.stderr and not missing.exists()


def test_the_default_key_file_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.pseudonymise import key_path
    from vocabulary.settings import PROJECT_ROOT

    monkeypatch.delenv("SAFEGUARDING_KEY_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert key_path() == PROJECT_ROOT / "data" / "secrets" / "pseudonymisation.key"
    assert key_path().is_absolute() and tmp_path not in key_path().parents


def test_the_same_key_loads_and_a_warehouse_without_fingerprint_adopts_it(
    loaded: Path, tmp_path: Path
) -> None:
    import duckdb

    con = duckdb.connect(str(loaded))
    con.execute("delete from warehouse_meta")  # as built before fingerprints existed
    con.close()
    results = ingest([_return(tmp_path / "raw" / "cin_202.xml", 5, la="202")], loaded, progress=None)
    assert [r.status for r in results] == ["loaded"]
    assert query(loaded, "select count(*) from warehouse_meta where name = 'key_fingerprint'") == [(1,)]


# -- 9. a damaged warehouse ------------------------------------------------------------------
def _garbage(p: Path) -> None:
    p.write_bytes(b"not a database " * 4096)


def _truncated(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])


def _scribbled(p: Path) -> None:
    data = bytearray(p.read_bytes())
    data[8192:-4096] = b"\xab" * (len(data) - 8192 - 4096)
    p.write_bytes(bytes(data))


DAMAGE = {"garbage": _garbage, "truncated": _truncated, "scribbled": _scribbled}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_warehouse_is_one_clear_message_with_recovery_advice(
    damage: str, loaded: Path, tmp_path: Path
) -> None:
    DAMAGE[damage](loaded)
    digest = sha256(loaded)
    new = _return(tmp_path / "raw" / "cin_202.xml", 5, la="202")
    with pytest.raises(IngestError) as caught:
        ingest([new], loaded, progress=None)
    assert "cannot be read" in str(caught.value) and "restore it from your last backup" in str(caught.value)
    done = run_cli("ingest", new, "--warehouse", loaded)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "restore it from your last backup" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert sha256(loaded) == digest
    assert not [p for p in loaded.parent.iterdir() if ".building" in p.name]


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_health_and_serve_report_a_damaged_warehouse(
    damage: str, loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.app import create_app

    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(loaded))
    client = create_app(demo=True, secret_dir=tmp_path / "secrets").server.test_client()
    good = client.get("/health")
    assert good.status_code == 200 and good.get_json()["status"] == "ok"
    DAMAGE[damage](loaded)
    bad = client.get("/health")
    assert bad.status_code == 503 and bad.get_json()["status"] == "error"
    done = run_cli("serve", "--warehouse", loaded, "--port", "1")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cannot be read" in done.stderr and "restore it from backup" in done.stderr


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_at_any_size_is_one_clear_message(loaded: Path, tmp_path: Path) -> None:
    """RLIMIT_FSIZE stands in for a full disk at five sizes: a failed write-ahead-log commit at the
    small ones, DuckDB's FatalException in the checkpoint (a traceback before) at the larger."""
    big = big_census(tmp_path / "raw" / "cin_203_big.xml", 3000, la="203")
    before, digest = table_hashes(loaded), sha256(loaded)
    messages = []
    for extra_kb in (64, 1024, 2048, 3072, 4096):
        done = subprocess.run(
            [str(SAFEGUARDING), "ingest", str(big), "--warehouse", str(loaded)],
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ),
            preexec_fn=_limit_file_size(loaded.stat().st_size + extra_kb * 1024),
        )
        if done.returncode == 0:  # enough room after all: put the old warehouse back
            break
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "\u256d" not in done.stderr, done.stderr
        [message] = [line for line in done.stderr.splitlines() if "could not write the warehouse" in line]
        assert "the previous warehouse is unchanged" in message and "free disk space" in message
        messages.append(message)
        assert sha256(loaded) == digest and table_hashes(loaded) == before
        assert not [p for p in loaded.parent.iterdir() if ".building" in p.name]
    assert any("FATAL" in m for m in messages), messages


# -- 10. concurrent loads, permissions, leftovers ---------------------------------------------
def test_the_same_file_loaded_by_two_concurrent_runs_is_loaded_once(loaded: Path, tmp_path: Path) -> None:
    big = big_census(tmp_path / "raw" / "cin_203_big.xml", 3000, la="203")
    runs = [
        subprocess.Popen(
            [str(SAFEGUARDING), "ingest", str(big), "--warehouse", str(loaded)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
        )
        for _ in range(2)
    ]
    for run in runs:
        assert run.wait(timeout=180) == 0, run.stderr.read()
    digest = sha256(big)
    assert query(loaded, "select count(*) from loads where file_sha256 = ?", [digest]) == [(1,)]
    assert query(loaded, "select count(*) from loads where status = 'superseded'") == [(0,)]


def test_the_warehouse_and_its_lock_are_owner_only(loaded: Path) -> None:
    for path in (loaded, loaded.with_name(loaded.name + ".lock")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_leftover_build_copies_are_swept_unless_a_load_is_running(loaded: Path) -> None:
    from pipelines.warehouse import sweep_leftovers, writer_lock

    leftover = loaded.parent / f".{loaded.name}.999999.building"
    leftover.write_bytes(b"x" * 1000)
    spool = loaded.parent / f".{loaded.name}.999999.building.spool"
    spool.mkdir()
    held = subprocess.Popen(
        [
            str(SAFEGUARDING.with_name("python")),
            "-c",
            "import sys, time; from pathlib import Path; from pipelines.warehouse import writer_lock\n"
            "with writer_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)",
            str(loaded),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert held.stdout.readline().strip() == "held"
        assert sweep_leftovers(loaded) == 0 and leftover.exists()  # a running load's copy is kept
    finally:
        held.kill()
        held.wait()
    assert sweep_leftovers(loaded) == 2
    assert not leftover.exists() and not spool.exists()
    with writer_lock(loaded):
        pass


def test_a_terminated_load_removes_its_build_copy(loaded: Path, tmp_path: Path) -> None:
    big = big_census(tmp_path / "raw" / "cin_203_big.xml", 20000, la="203")
    before, digest = table_hashes(loaded), sha256(loaded)
    run = subprocess.Popen(
        [str(SAFEGUARDING), "ingest", str(big), "--warehouse", str(loaded)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    deadline = time.monotonic() + 60
    while not [p for p in loaded.parent.iterdir() if p.name.endswith(".building")]:
        assert time.monotonic() < deadline and run.poll() is None, "the load never started building"
        time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) == 128 + signal.SIGTERM, run.stderr.read()
    assert not [p for p in loaded.parent.iterdir() if ".building" in p.name]
    assert sha256(loaded) == digest and table_hashes(loaded) == before


# -- 11. the plausibility guard --------------------------------------------------------------
def test_a_much_smaller_return_does_not_silently_supersede(loaded: Path, tmp_path: Path) -> None:
    small = _return(tmp_path / "raw" / "cin_201_v2.xml", 1, generated="2023-06-01T09:00:00")
    _refused([small], loaded, "cin_201_v2.xml", "has 1 child,", "cin_201.xml", "30", "drop of 29", "--force")
    done = run_cli("ingest", small, "--warehouse", loaded)
    assert done.returncode == 1 and "drop of 29" in done.stderr and "Traceback" not in done.stderr
    assert run_cli("ingest", small, "--warehouse", loaded, "--force").returncode == 0
    rows = query(loaded, "select file_name, status from loads where source_type = 'cin_census' order by 1")
    assert rows == [("cin_201.xml", "superseded"), ("cin_201_v2.xml", "loaded")]
    assert query(loaded, "select count(*) from children") == [(1,)]


def test_a_plausible_resubmission_still_supersedes(loaded: Path, tmp_path: Path) -> None:
    fixed = _return(tmp_path / "raw" / "cin_201_v2.xml", 28, generated="2023-06-01T09:00:00")
    assert [r.status for r in ingest([fixed], loaded, progress=None)] == ["loaded"]
    assert query(loaded, "select count(*) from children") == [(28,)]


# -- 5. HTML in an area lookup, end to end to the indicator page's charts -----------------------
def test_html_in_ward_names_reaches_the_charts_as_text(
    isolated_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The red-team case: `<a href>` and `<b>` in an area lookup's names became a live SVG link and
    bold text on the breakdown chart's axis. Through ingest, the analyst's indicator page by area."""
    import json

    from dash import dcc

    from dashboard.pages.indicator import content
    from viewmodels.indicator import indicator_view
    from viewmodels.state import ViewState

    kids = [
        child(f"W{i:04d}", episode("2022-06-01", plans=[plan("2022-06-10")]), birth=f"201{i % 8}-03-01")
        for i in range(40)
    ]
    cin_file = write(tmp_path / "raw" / "cin_201.xml", census(kids, la="201"))
    names = ['<a href="https://evil.test/">North</a>', "<b>South</b>"]
    quoted = ['"' + name.replace('"', '""') + '"' for name in names]
    rows = [f"W{i:04d},E0500000{i % 2},{quoted[i % 2]}" for i in range(40)]
    lookup = write(
        tmp_path / "raw" / "area_lookup_201.csv", "LAchildID,area_code,area_name\n" + "\n".join(rows) + "\n"
    )
    ingest([cin_file, lookup], isolated_warehouse, progress=None)
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(isolated_warehouse))  # the page reads it too
    state = ViewState(la="201", freq="year", by="area")
    view = indicator_view("cpp_at_end", state, "analyst", str(isolated_warehouse))
    assert view.breakdown is not None and set(view.breakdown["group"]) >= set(names)  # data kept as is

    graphs = []

    def walk(node) -> None:
        if isinstance(node, dcc.Graph):
            graphs.append(node.figure)
        for child_node in getattr(node, "children", None) or []:
            walk(child_node)
        if isinstance(node, list):
            for item in node:
                walk(item)

    walk(content(view))
    assert graphs
    text = json.dumps([g if isinstance(g, dict) else g.to_plotly_json() for g in graphs], default=str)
    text = text.replace("<extra></extra>", "")
    for tag in ("<a ", "<b>", "</a>", "</b>"):
        assert tag not in text, tag
    assert "&lt;a href" in text and "&lt;b&gt;South" in text
