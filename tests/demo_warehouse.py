"""Build the embedded demo LA into a temporary warehouse, as `safeguarding demo` (and `make run`) does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAFEGUARDING = [sys.executable, "-m", "safeguarding.cli"]


def build_demo_warehouse(base: Path, partnership: bool = False) -> tuple[Path, dict[str, str]]:
    """Generate and load the demo LA through the real pipeline into `base/warehouse.duckdb`; with
    `partnership`, the partnership's other member LAs too (`safeguarding demo --partnership`).

    Returns the warehouse and the environment to run the CLI with: the pseudonymisation key stays in
    `base`, and `$SAFEGUARDING_WAREHOUSE` names a file that does not exist, so a command that forgets
    `--warehouse` fails instead of reading data/curated."""
    env = {
        **os.environ,
        "SAFEGUARDING_KEY_FILE": str(base / "key"),
        "SAFEGUARDING_WAREHOUSE": str(base / "unused.duckdb"),
    }
    warehouse = base / "warehouse.duckdb"
    done = subprocess.run(
        [*SAFEGUARDING, "demo", "--warehouse", str(warehouse), "--out", str(base / "raw")]
        + (["--partnership"] if partnership else []),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"building the demo warehouse failed:\n{done.stdout}\n{done.stderr}")
    return warehouse, env
