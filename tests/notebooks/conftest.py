"""A fresh demo warehouse for the analyst notebooks, built once per test session (per xdist worker)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def notebook_warehouse(tmp_path_factory) -> Path:
    """The embedded demo LA, generated and loaded as `make demo` does, into a temporary warehouse
    (the key and the raw demo files stay in the temporary directory too)."""
    base = tmp_path_factory.mktemp("notebook-demo")
    warehouse = base / "warehouse.duckdb"
    env = {**os.environ, "SAFEGUARDING_KEY_FILE": str(base / "key")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguarding.cli",
            "demo",
            "--warehouse",
            str(warehouse),
            "--out",
            str(base / "raw"),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"building the demo warehouse failed:\n{done.stdout}\n{done.stderr}")
    return warehouse
