"""The indicator mart persisted at load (indicators/mart.py) on the hand-checked front-door history:
LA 401 and an LA 402 in one partnership, loaded through the real pipeline in two batches, the second
one LA-year (402's 2023-24 return), so that the mart is first built in full and then updated only for
402 and the partnership. Every mart row must equal the unit-level computation, and the incremental
mart must equal a full rebuild."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

import indicators
from indicators import access, engine, mart, store
from indicators.coverage import coverage, covered_periods
from indicators.periods import PERIOD_KINDS
from indicators.registry import registry
from pipelines.load import ingest
from tests.integration.front_door_history import two_la_partnership, write_fixture_files

KEYS = ["indicator_id", "period", "la_code", "breakdown", "group"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("mart")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    first, second = two_la_partnership(base, mp)
    last_year = base / "b" / "cin_402_2024.xml"
    builds: list[mart.MartBuild] = []

    def hook(con, loaded):
        builds.append(mart.refresh(con, loaded))

    target = base / "warehouse.duckdb"
    ingest([*first, *[p for p in second if p != last_year]], target, progress=None, after_curate=hook)
    ingest([last_year], target, progress=None, after_curate=hook)
    yield {"warehouse": target, "builds": builds, "base": base}
    mp.undo()


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as objects: pandas' own text dtype depends on how a frame was put together (the
    engine's frames differ among themselves), while every other dtype and every value must match."""
    text = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) and df[c].dtype != object]
    return df.astype({c: object for c in text}).reset_index(drop=True)


def _table(con) -> pd.DataFrame:
    df = con.execute("select * from indicator_mart").df()
    return df.sort_values([*KEYS, "frequency"]).reset_index(drop=True)


def test_the_second_load_updates_only_the_changed_la_and_the_partnership(site):
    full, incremental = site["builds"]
    every = {(i, scope) for i in registry() for scope in (mart.ALL, mart.POOLED)}
    assert set(full.full) == every and not full.partial
    # LA by LA, only 402 was computed again. The partnership covers 2023-24 only now that both
    # members have loaded it, so its periods changed and it was computed again in full.
    assert {k for k in incremental.partial if k[1] == mart.ALL} == {(i, mart.ALL) for i in registry()}
    assert all(scope == mart.POOLED for _, scope in incremental.full)
    con = duckdb.connect(str(site["warehouse"]), read_only=True)
    try:
        rewritten = con.execute(
            "select count(*) from indicator_mart where la_code in ('402', 'partnership')"
        ).fetchone()[0]
        untouched = con.execute("select count(*) from indicator_mart where la_code = '401'").fetchone()[0]
    finally:
        con.close()
    assert incremental.rows == rewritten  # 402's and the partnership's rows, and no others
    assert untouched > 0


def test_the_incremental_mart_equals_a_full_rebuild(site, tmp_path):
    copy = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(site["warehouse"], copy)
    con = duckdb.connect(str(copy))
    try:
        incremental = _table(con)
        stats = mart.build(con)  # changed_las None: everything from scratch
        rebuilt = _table(con)
    finally:
        con.close()
    assert not stats.partial and len(stats.full) == 2 * len(registry())
    assert len(incremental) > 1000
    pd.testing.assert_frame_equal(incremental, rebuilt)


def test_every_mart_row_equals_the_unit_level_computation(site):
    con = store.connect(site["warehouse"])
    compared = 0
    try:
        for indicator in registry().values():
            cov = coverage(con, indicator.sources)
            for la in [*cov.las, "partnership"]:
                for kind in PERIOD_KINDS:
                    periods = list(covered_periods(cov, kind, la))
                    if not periods:
                        continue
                    labels = tuple(p.label for p in periods)
                    computed = engine.indicator_values(con, indicator, periods, None, la)
                    for breakdown in computed["breakdown"].unique():
                        persisted = mart.rows(con, indicator.id, labels, la, breakdown)
                        want = computed[computed["breakdown"] == breakdown]
                        pd.testing.assert_frame_equal(
                            _comparable(persisted.sort_values(KEYS)), _comparable(want.sort_values(KEYS))
                        )
                        compared += len(want)
    finally:
        con.close()
    assert compared > 1000


def test_the_api_reads_the_mart_and_gives_the_computed_values(site, monkeypatch):
    warehouse = site["warehouse"]
    version = store.warehouse_version(warehouse)
    assert mart.reader(version, str(warehouse)).current
    with monkeypatch.context() as patched:  # read, not computed: the engine must not be called

        def computed_instead(*_args, **_kwargs):
            raise AssertionError("computed, not read from the mart")

        patched.setattr(engine, "indicator_values", computed_instead)
        from_mart = indicators.series("cpp_repeat_pct", la="partnership", freq="quarter", warehouse=warehouse)
        by_la = indicators.series("assessment_45wd_pct", la="402", freq="year", by="la", warehouse=warehouse)
    # Hand-checked: 402's assessments in 45 working days in 2023-24 are U, V and X of U, V, W, X.
    row = by_la[by_la["period"] == "2023-24"].iloc[0]
    assert (row.numerator, row.denominator, row.value) == (3, 4, pytest.approx(75.0))
    # A mart built by other code is never read: the same calls then compute, with the same answer.
    monkeypatch.setattr(mart, "fingerprint", lambda: "other code")
    mart.reader.cache_clear()
    mart.la_rows.cache_clear()
    assert not mart.reader(version, str(warehouse)).current
    assert mart.lookup(version, "cpp_repeat_pct", ("2023-24",), "401", str(warehouse), "total") is None
    computed = indicators.series("cpp_repeat_pct", la="partnership", freq="quarter", warehouse=warehouse)
    monkeypatch.undo()
    mart.reader.cache_clear()
    mart.la_rows.cache_clear()
    pd.testing.assert_frame_equal(_comparable(from_mart), _comparable(computed))
    assert len(from_mart) > 0


def test_a_user_limited_to_one_la_gets_only_its_rows_from_the_mart(site):
    warehouse = str(site["warehouse"])
    with access.limited_to(["402"]):
        version = store.warehouse_version(warehouse)
        rows = mart.lookup(version, "referrals", ("2023-24",), None, warehouse, "total")
        assert list(rows["la_code"]) == ["402"]  # read from the mart, behind the LA limit's view
        every = indicators.values("referrals", ["2023-24"], warehouse=warehouse)
        with pytest.raises(access.AccessDenied):
            indicators.values("referrals", ["2023-24"], la="partnership", warehouse=warehouse)
    assert list(every["la_code"]) == ["402"]  # the mart's 401 rows are behind the LA limit too
    assert len(indicators.values("referrals", ["2023-24"], warehouse=warehouse)) == 2


def _partnership_views(warehouse: str) -> dict[tuple[str, str, str | None], pd.DataFrame]:
    """Every indicator's partnership series at every frequency, in total and by member LA."""
    out = {}
    for indicator in registry().values():
        for kind in PERIOD_KINDS:
            for by in (None, "la"):
                out[(indicator.id, kind, by)] = indicators.series(
                    indicator.id, la="partnership", freq=kind, by=by, warehouse=warehouse
                )
    return out


def test_a_user_limited_to_every_member_la_reads_the_partnership_from_the_mart(site, monkeypatch):
    """The same rule as the computed path (test_la_access.py): the partnership is allowed when the
    limit covers every member LA, read from the mart and equal to the unlimited values; a limit to some
    members is refused it, and is not offered it."""
    warehouse = str(site["warehouse"])
    unlimited = _partnership_views(warehouse)
    assert sum(len(df) for df in unlimited.values()) > 500
    with access.limited_to(["401", "402"]):
        assert mart.reader(store.warehouse_version(warehouse), warehouse).current
        assert indicators.api.local_authorities(warehouse)["partnership"] == "Test partnership"
        with monkeypatch.context() as patched:  # read from the mart, not computed

            def computed_instead(*_args, **_kwargs):
                raise AssertionError("computed, not read from the mart")

            patched.setattr(engine, "indicator_values", computed_instead)
            limited = _partnership_views(warehouse)
    assert limited.keys() == unlimited.keys()
    for key, want in unlimited.items():
        # within a period, rows come in the mart's order or the SQL's (not defined): compare them sorted
        pd.testing.assert_frame_equal(
            _comparable(limited[key].sort_values(KEYS)), _comparable(want.sort_values(KEYS)), obj=str(key)
        )
    with access.limited_to(["401"]):
        assert set(indicators.api.local_authorities(warehouse)) == {"401"}
        with pytest.raises(access.AccessDenied, match="partnership"):
            indicators.values("referrals", ["2023-24"], la="partnership", warehouse=warehouse)
        version = store.warehouse_version(warehouse)
        con = store.cursor(warehouse)
        try:  # the mart's partnership rows are behind the limit's view too
            assert mart.rows(con, "referrals", None, "partnership", None).empty
        finally:
            con.close()
        assert mart.lookup(version, "referrals", ("2023-24",), None, warehouse, "total")[
            "la_code"
        ].tolist() == ["401"]


def test_a_load_without_the_hook_leaves_no_mart_and_values_are_computed(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARDING_KEY_FILE", str(tmp_path / "key"))
    target = tmp_path / "plain.duckdb"
    ingest(write_fixture_files(tmp_path / "a"), target, progress=None)
    assert not mart.reader(store.warehouse_version(target), str(target)).current
    row = indicators.values("assessment_45wd_pct", ["2023-24"], la="401", warehouse=target).iloc[0]
    assert (row.numerator, row.denominator) == (5, 6)


def test_rebuild_mart_restores_a_removed_mart(site, tmp_path):
    import os
    import subprocess
    import sys

    copy = tmp_path / "upgraded.duckdb"
    shutil.copyfile(site["warehouse"], copy)
    con = duckdb.connect(str(copy))
    before = _table(con)
    con.execute("drop table indicator_mart")
    con.execute("drop table indicator_mart_builds")
    con.close()
    assert not mart.reader(store.warehouse_version(copy), str(copy)).current
    done = subprocess.run(
        [sys.executable, "-m", "safeguarding.cli", "rebuild-mart", "--warehouse", str(copy)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "indicator mart rebuilt" in done.stdout
    assert mart.reader(store.warehouse_version(copy), str(copy)).current
    con = duckdb.connect(str(copy), read_only=True)
    try:
        pd.testing.assert_frame_equal(_table(con), before)
    finally:
        con.close()


def test_the_boards_suppressed_view_is_the_same_read_from_the_mart_or_computed(site, tmp_path):
    from indicators import board

    with_mart = site["warehouse"]
    computed = tmp_path / "computed.duckdb"  # another file: no cache is shared between the two
    shutil.copyfile(with_mart, computed)
    con = duckdb.connect(str(computed))
    con.execute("drop table indicator_mart")
    con.execute("drop table indicator_mart_builds")
    con.close()
    assert not mart.reader(store.warehouse_version(computed), str(computed)).current
    cells = 0
    for indicator in registry().values():
        for la in ("401", "402", "partnership"):
            years = indicators.available_periods("year", la, with_mart, indicator.id)
            quarters = indicators.available_periods("quarter", la, with_mart, indicator.id)
            if not years:
                continue
            shown = [
                board.trend(indicator.id, years + quarters, la, "board", w) for w in (with_mart, computed)
            ]
            pd.testing.assert_frame_equal(_comparable(shown[0]), _comparable(shown[1]))
            for by in indicator.breakdowns:
                parts = [
                    board.suppressed_breakdown(indicator.id, years, la, by, "board", w)
                    for w in (with_mart, computed)
                ]
                # the computed cells come in the SQL's order, which is not defined: compare them sorted
                pd.testing.assert_frame_equal(*(_comparable(p.cells.sort_values(KEYS)) for p in parts))
                cells += len(parts[0].cells)
    assert cells > 400
