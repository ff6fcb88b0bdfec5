"""The engine's two shortcuts give exactly what computing every period on its own gives.

`measured_at: period_end` indicators share one computation between periods ending on the same
day; `measured_at: event_month` indicators sum quarters, years and rolling 12 months from their
months (indicators/rollup.py). Both are checked against the plain path, for every breakdown, on
the hand-checked LA 301 history (unborn child, leap day, plans ending on 31 March, two plans in
a year) and the LA 401 front-door history (referrals, re-referrals, assessments with factors)
loaded through the real pipeline.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from indicators import engine, store
from indicators.periods import periods_between
from indicators.registry import registry
from pipelines.load import ingest
from tests.integration.cp_history import write_fixture_files
from tests.integration.front_door_history import write_fixture_files as front_door_files

SHORTCUT = [i for i in registry().values() if i.measured_at != "period"]
KEYS = ["period", "la_code", "breakdown", "group"]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    base = tmp_path_factory.mktemp("shortcuts")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(base / "key"))
    target = base / "warehouse.duckdb"
    ingest(write_fixture_files(base / "raw") + front_door_files(base / "front_door"), target, progress=None)
    connection = store.connect(target)
    yield connection
    connection.close()
    mp.undo()


def every_kind_of_period():
    first, last = date(2022, 4, 1), date(2024, 3, 31)
    return [
        p for kind in ("month", "quarter", "year", "rolling12") for p in periods_between(first, last, kind)
    ]


def test_the_registry_uses_both_shortcuts():
    kinds = {i.measured_at for i in SHORTCUT}
    assert kinds == {"period_end", "event_month"}
    assert {"cpp_at_end", "cpp_starts", "icpc_15wd_pct"} <= {i.id for i in SHORTCUT}


@pytest.mark.parametrize("indicator", SHORTCUT, ids=[i.id for i in SHORTCUT])
def test_shortcut_equals_computing_each_period(con, indicator):
    periods = every_kind_of_period()
    fast = engine.aggregate(con, indicator, periods)
    plain = engine.aggregate(con, indicator.model_copy(update={"measured_at": "period"}), periods)
    assert len(plain) > 100 and plain["numerator"].sum() > 0  # the fixture really has cases here
    both = fast.merge(plain, on=KEYS, how="outer", suffixes=("_fast", "_plain"), indicator=True)
    assert (both["_merge"] == "both").all(), both[both["_merge"] != "both"].head()
    for col in ("numerator", "denominator"):
        pd.testing.assert_series_equal(
            both[f"{col}_fast"].astype("Float64"), both[f"{col}_plain"].astype("Float64"), check_names=False
        )
    assert set(fast["breakdown"]) == {"total", *indicator.breakdowns}
