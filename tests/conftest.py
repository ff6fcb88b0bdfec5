"""Shared fixtures. Kept small: tests that touch the warehouse or the key isolate themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """pytest-playwright empties its artifact folder (default test-results/) at the start of every run,
    which would delete the page screenshots the browser tests keep in test-results/screenshots/: give
    the plugin a folder of its own."""
    if config.pluginmanager.hasplugin("playwright") and config.getoption("--output") == "test-results":
        config.option.output = str(ROOT / "test-results" / "playwright")


@pytest.fixture
def isolated_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse path under tmp_path; the pseudonymisation key and the default warehouse are
    redirected there too, so nothing under data/ is read or written."""
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(tmp_path / "secrets" / "test.key"))
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(tmp_path / "unused-default.duckdb"))
    return tmp_path / "curated" / "warehouse.duckdb"


@pytest.fixture(scope="session")
def partnership_demo(tmp_path_factory) -> dict:
    """The demo partnership as `safeguarding demo --partnership` loads it (the demo LA 856 and the
    other members 855 and 857, each with its planted signals), built once per session: the warehouse,
    the base directory and the environment to run the CLI with."""
    from tests.demo_warehouse import build_demo_warehouse

    base = tmp_path_factory.mktemp("partnership-demo")
    warehouse, env = build_demo_warehouse(base, partnership=True)
    return {"base": base, "env": env, "warehouse": warehouse}
