"""Every analyst notebook (notebooks/*.py, jupytext percent format) runs top to bottom against a
freshly built demo warehouse, in a real Jupyter kernel, in under 60 seconds. A cell that raises
(including a failed assertion cell) fails the test."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import jupytext
import nbclient
import nbclient.exceptions
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
EXPECTED = [
    "01_getting_started",
    "02_repeat_plans_deep_dive",
    "03_ethnicity_disproportionality",
    "04_area_variation",
    "05_cdop_themes",
    "06_parity_with_published",
]
TIME_LIMIT = 60  # seconds, per notebook, on the demo data


def test_every_notebook_is_there():
    assert [p.stem for p in PATHS] == EXPECTED


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_shape(path: Path):
    """Purpose cell first, at least one assertion cell, no outputs, and only the analyst API: no
    pipelines, no raw files."""
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    cells = [c for c in nb.cells if c.source.strip()]
    assert cells[0].cell_type == "markdown", "the first cell must say what the notebook is for"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any(re.search(r"^\s*assert\b", c.source, re.M) for c in code), "no assertion cell"
    assert not any(c.get("outputs") for c in code)
    assert not re.search(r"^\s*(from|import)\s+pipelines\b", text, re.M), "notebooks use the analyst API"
    assert "data/raw" not in text and "data\\raw" not in text, "notebooks never read raw files"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs(path: Path, notebook_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    # The kernel inherits this process's environment: the warehouse, and a key file that is never used.
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(notebook_warehouse))
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(notebook_warehouse.parent / "key"))
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(
        nb,
        timeout=TIME_LIMIT,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    started = time.monotonic()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell raised\n{exc}", pytrace=False)
    elapsed = time.monotonic() - started
    assert elapsed < TIME_LIMIT, f"{path.name} took {elapsed:.0f} s (limit {TIME_LIMIT} s)"
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    print(f"{path.name}: {elapsed:.1f} s", file=sys.stderr)
