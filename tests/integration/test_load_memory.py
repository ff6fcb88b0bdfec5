"""A load's DuckDB connection has a memory limit: `limits.load_memory`, else half the machine's RAM."""

from __future__ import annotations

import os

import pytest

from pipelines.issues import IngestError
from pipelines.warehouse import rebuild

GIB = 2**30


def _limit_in_a_load(path) -> float:
    with rebuild(path) as con:
        # DuckDB reports the limit it holds in its own words ("3.7 GiB"); read it back in bytes.
        return con.execute("select current_setting('memory_limit')").fetchone()[0]


def _gib(text: str) -> float:
    number, unit = text.split()
    return float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": GIB, "TiB": 2**40}[unit] / GIB


def test_the_configured_limit_is_set_on_the_load_connection(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARDING_LOAD_MEMORY", "3GiB")
    assert _gib(_limit_in_a_load(tmp_path / "w.duckdb")) == 3.0


def test_without_a_setting_the_limit_is_half_the_ram(tmp_path, monkeypatch):
    monkeypatch.delenv("SAFEGUARDING_LOAD_MEMORY", raising=False)
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    shown = _gib(_limit_in_a_load(tmp_path / "w.duckdb"))  # DuckDB shows it cut to 0.1 GiB
    assert ram / 2 - 0.1 < shown <= ram / 2


def test_a_limit_that_is_not_a_size_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARDING_LOAD_MEMORY", "4GB'; drop table x; --")
    with pytest.raises(IngestError, match=r"limits.load_memory \(SAFEGUARDING_LOAD_MEMORY\).*4GB or 512MB"):
        _limit_in_a_load(tmp_path / "w.duckdb")
    assert not (tmp_path / "w.duckdb").exists()
