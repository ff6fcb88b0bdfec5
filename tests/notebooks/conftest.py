"""A fresh demo warehouse for the analyst notebooks, built once per test session (per xdist worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_warehouse import build_demo_warehouse


@pytest.fixture(scope="session")
def notebook_warehouse(tmp_path_factory) -> Path:
    """The embedded demo LA, generated and loaded as `make demo` does, into a temporary warehouse
    (the key and the raw demo files stay in the temporary directory too)."""
    base = tmp_path_factory.mktemp("notebook-demo")
    warehouse, _ = build_demo_warehouse(base)
    return warehouse
