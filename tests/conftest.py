"""Shared fixtures. Kept small: tests that touch the warehouse or the key isolate themselves."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def isolated_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse path under tmp_path; the pseudonymisation key and the default warehouse are
    redirected there too, so nothing under data/ is read or written."""
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(tmp_path / "secrets" / "test.key"))
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(tmp_path / "unused-default.duckdb"))
    return tmp_path / "curated" / "warehouse.duckdb"
