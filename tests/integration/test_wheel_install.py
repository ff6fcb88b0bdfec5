"""The wheel as an LA's IT team installs it: built from the repository, installed into a fresh venv
outside it, then `safeguarding demo`, `report --draft-commentary` and `report` run there, with a
safeguarding.toml, and nothing written into site-packages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.unit.test_packaging import OUR_PACKAGES

ROOT = Path(__file__).resolve().parents[2]
QUARTER = "2022-23-Q4"
PACKAGES = OUR_PACKAGES  # the packages the wheel ships, as pyproject.toml names them

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _tracked_data_files() -> set[str]:
    """Every non-Python file git tracks inside the packages: each must be in the wheel."""
    listed = subprocess.run(
        ["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {p for p in listed if not p.endswith(".py")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("wheel")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SAFEGUARDING_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["HOME"] = str(base / "home")
    started = time.perf_counter()
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "dist"), str(ROOT)],
        base,
        env,
    )
    built = time.perf_counter() - started
    (wheel,) = (base / "dist").glob("safeguarding-*.whl")
    venv = base / "venv"
    started = time.perf_counter()
    _run([sys.executable, "-m", "venv", str(venv)], base, env)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[report]"], base, env)
    install = time.perf_counter() - started
    print(
        f"\nwheel {wheel.name}: {wheel.stat().st_size / 1e6:.2f} MB, built in {built:.0f} s; "
        f"fresh venv with [report] installed in {install:.0f} s"
    )
    site = Path(
        _run(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            base,
            env,
        ).stdout.strip()
    )
    return {"base": base, "env": env, "venv": venv, "wheel": wheel, "site": site}


def test_the_wheel_holds_every_data_file_the_packages_track(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    missing = sorted(_tracked_data_files() - names)
    assert not missing, f"not in the wheel: {missing}"
    assert "vocabulary/reference/ons_mid-year_population_estimates_2012_to_2024.csv" in names


def test_demo_and_report_run_from_the_installed_wheel_with_a_config_file(installed):
    base, env, venv, site = installed["base"], installed["env"], installed["venv"], installed["site"]
    work = base / "la"
    (work / "config").mkdir(parents=True)
    (work / "safeguarding.toml").write_text(
        '[paths]\nwarehouse = "data/warehouse.duckdb"\nconfig_dir = "config"\n'
        'commentary_dir = "commentary"\n[logging]\nlevel = "INFO"\nfile = "logs/safeguarding.log"\n',
        encoding="utf-8",
    )
    env = {**env, "SAFEGUARDING_CONFIG": str(work / "safeguarding.toml")}
    before = {p for p in site.rglob("*") if "__pycache__" not in p.parts}
    cli = str(venv / "bin" / "safeguarding")
    elsewhere = base / "elsewhere"  # run from another folder: paths come from the config file
    elsewhere.mkdir()

    where = _run(
        [str(venv / "bin" / "python"), "-c", "import safeguarding; print(safeguarding.__file__)"],
        elsewhere,
        env,
    )
    assert where.stdout.startswith(str(site)), "imported the repository, not the installed wheel"

    _run([cli, "demo", "--out", str(work / "raw")], elsewhere, env, timeout=1800)
    warehouse = work / "data" / "warehouse.duckdb"
    populations = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            f"import duckdb; c = duckdb.connect({str(warehouse)!r}, read_only=True); "
            "print(c.execute('select count(*) from population').fetchone()[0], "
            "c.execute('select count(*) from published_values').fetchone()[0])",
        ],
        elsewhere,
        env,
    ).stdout.split()
    assert int(populations[0]) > 0 and int(populations[1]) > 0, populations  # reference data was loaded
    assert (work / "data" / "secrets" / "pseudonymisation.key").is_file()  # beside the config file

    drafted = _run([cli, "report", "--quarter", QUARTER, "--la", "856", "--draft-commentary"], elsewhere, env)
    draft = work / "commentary" / f"856-{QUARTER}.yaml"
    assert draft.is_file(), drafted.stdout

    _run(
        [cli, "report", "--quarter", QUARTER, "--la", "856", "--out", str(work / "out")],
        elsewhere,
        env,
        timeout=1800,
    )
    assert (work / "out" / f"exception-report-856-{QUARTER}.pdf").stat().st_size > 10_000
    assert (work / "out" / f"exception-report-856-{QUARTER}.html").is_file()

    log = (work / "logs" / "safeguarding.log").read_text(encoding="utf-8")
    assert " INFO safeguarding.load event=load " in log and "status=loaded" in log
    after = {p for p in site.rglob("*") if "__pycache__" not in p.parts}
    assert after == before, f"written into site-packages: {sorted(after - before)[:5]}"


def test_a_missing_extra_is_named_with_the_pip_command(installed):
    done = subprocess.run(
        [str(installed["venv"] / "bin" / "safeguarding"), "serve"],
        cwd=installed["base"],
        env=installed["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "pip install 'safeguarding[dashboard]'" in done.stderr
