"""Per-LA access: a user, role or CLI run limited to some LAs reads only those LAs' rows, whatever asks
(the analyst API and raw SQL, cached indicator values, a signed-in dashboard request, the CLI's
indicators, report and Parquet export), and asking for another LA is refused by name."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from indicators import access, api
from pipelines.load import ingest
from tests.integration.cin_builders import big_census
from tests.integration.front_door_history import two_la_partnership_loaded

ROOT = Path(__file__).resolve().parents[2]
SAFEGUARDING = [sys.executable, "-m", "safeguarding.cli"]


@pytest.fixture(scope="module")
def two_las(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("two-las")
    env = {
        **os.environ,
        "SAFEGUARDING_KEY_FILE": str(base / "key"),
        "SAFEGUARDING_WAREHOUSE": str(base / "no.duckdb"),
    }
    old = {k: os.environ.get(k) for k in ("SAFEGUARDING_KEY_FILE",)}
    os.environ["SAFEGUARDING_KEY_FILE"] = env["SAFEGUARDING_KEY_FILE"]
    try:
        warehouse = base / "warehouse.duckdb"
        files = [big_census(base / "a.xml", 30, la="202"), big_census(base / "b.xml", 20, la="856")]
        ingest(files, warehouse, progress=None)
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return {"base": base, "warehouse": warehouse, "env": env}


def _la_codes(warehouse: Path, table: str) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute(f"select la_code, count(*) from {table} group by 1").fetchall())


def test_the_read_layer_limits_sql_api_and_caches(two_las):
    wh = str(two_las["warehouse"])
    assert _la_codes(two_las["warehouse"], "children") == {"202": 30, "856": 20}
    # Unlimited first, so the caches hold both LAs before a limited caller asks.
    everyone = api.values("cpp_starts", ["2022-23"], warehouse=wh)
    assert set(everyone["la_code"]) == {"202", "856"}
    assert set(api.local_authorities(wh)) == {"202", "856"}
    with access.limited_to(["202"]):
        assert set(api.local_authorities(wh)) == {"202"}
        assert api.sql(
            "select la_code, count(*) n from children group by 1", warehouse=wh
        ).values.tolist() == [["202", 30]]
        assert api.sql("select count(*) n from main.cp_plans", warehouse=wh)["n"].iloc[0] == 30
        mine = api.values("cpp_starts", ["2022-23"], warehouse=wh)
        assert set(mine["la_code"]) == {"202"}
        assert (
            mine[mine["breakdown"] == "total"]["numerator"].tolist()
            == everyone[(everyone["la_code"] == "202") & (everyone["breakdown"] == "total")][
                "numerator"
            ].tolist()
        )
        with pytest.raises(access.AccessDenied, match="LA 856 is outside your access \\(allowed: 202\\)"):
            api.series("cpp_starts", la="856", warehouse=wh)
    with access.limited_to([]):  # a user limited to no LA sees no LA
        assert api.local_authorities(wh) == {}
    assert set(api.local_authorities(wh)) == {"202", "856"}  # the limit ends with the block


def test_limits_combine_user_and_role_and_are_checked(tmp_path, monkeypatch):
    from vocabulary import settings

    config = tmp_path / "safeguarding.toml"
    config.write_text('[access]\ncli = ["202"]\nroles = {board = ["202", "856"]}\n', encoding="utf-8")
    settings.configure(config)
    try:
        assert access.configured_limits()["cli"] == {"202"}
        assert access.user_scope("board", ["856", "302"]) == {"856"}
        assert access.user_scope("analyst", None) is None
        assert access.user_scope("board", None) == {"202", "856"}
        config.write_text('[access]\ncli = ["22"]\n', encoding="utf-8")
        settings.configure(config)
        with pytest.raises(settings.ConfigError, match="3-digit"):
            access.configured_limits()
        config.write_text("[access]\nusers = 1\n", encoding="utf-8")
        settings.configure(config)
        with pytest.raises(settings.ConfigError, match="access.users: unknown setting"):
            access.configured_limits()
    finally:
        settings._ACTIVE.clear()


def test_a_signed_in_user_limited_to_one_la_reads_only_it(two_las, tmp_path, monkeypatch):
    from dashboard.app import create_app
    from dashboard.auth import add_user, load_users

    users = tmp_path / "users.json"
    monkeypatch.setenv("SAFEGUARDING_USERS_FILE", str(users))
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(two_las["warehouse"]))
    add_user("north", "a long enough pass", "analyst", users, la_codes=["856"])
    add_user("head", "another long pass", "analyst", users)
    assert load_users(users)["north"]["la_codes"] == ["856"] and "la_codes" not in load_users(users)["head"]
    app = create_app(demo=False, secret_dir=tmp_path / "secrets")
    wh = str(two_las["warehouse"])

    def probe():  # what any page or download would read in this request
        return json.dumps(
            {
                "las": sorted(api.local_authorities(wh)),
                "rows": sorted(set(api.values("cpp_starts", ["2022-23"], warehouse=wh)["la_code"])),
            }
        )

    app.server.add_url_rule("/probe-la-access", "probe_la_access", probe)
    for user, password, expected in (
        ("north", "a long enough pass", ["856"]),
        ("head", "another long pass", ["202", "856"]),
    ):
        client = app.server.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert (
            client.post(
                "/login", data={"username": user, "password": password, "csrf_token": token}
            ).status_code
            == 302
        )
        seen = json.loads(client.get("/probe-la-access").get_data(as_text=True))
        assert seen == {"las": expected, "rows": expected}, user
    assert access.current_scope() is None  # the request's limit did not outlive it


def test_the_cli_respects_the_configured_limit(two_las, tmp_path):
    config = tmp_path / "safeguarding.toml"
    config.write_text('[access]\ncli = ["202"]\n', encoding="utf-8")
    wh = str(two_las["warehouse"])
    run = lambda *a: subprocess.run(  # noqa: E731
        [*SAFEGUARDING, "--config", str(config), *a],
        env=two_las["env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    refused = run("indicators", "--la", "856", "--warehouse", wh)
    assert refused.returncode == 2 and "LA 856 is outside your access (allowed: 202)" in refused.stderr
    shown = run("indicators", "--period", "2022-23", "--format", "json", "--warehouse", wh)
    assert shown.returncode == 0, shown.stderr
    assert {r["la_code"] for r in json.loads(shown.stdout)} == {"202"}
    report = run(
        "report", "--quarter", "2022-23-Q4", "--la", "856", "--out", str(tmp_path / "r"), "--warehouse", wh
    )
    assert report.returncode == 2 and "outside your access" in report.stderr
    exported = run("export", "--parquet", str(tmp_path / "pq"), "--warehouse", wh)
    assert exported.returncode == 0, exported.stderr
    rows = duckdb.sql(
        f"select la_code, count(*) from read_parquet('{tmp_path}/pq/children/**/*.parquet', "
        "hive_partitioning = false) group by 1"
    ).fetchall()
    assert rows == [("202", 30)]


@pytest.fixture(scope="module")
def partnership_site(tmp_path_factory):
    """LAs 401 and 402 and their partnership (front_door_history), loaded without the mart: computed."""
    with two_la_partnership_loaded(tmp_path_factory.mktemp("partnership-access")) as warehouse:
        yield str(warehouse)


def _partnership_views(wh: str) -> dict[tuple[str, str | None], object]:
    import indicators

    return {
        (ind.id, by): api.series(ind.id, la="partnership", freq="year", by=by, warehouse=wh)
        for ind in indicators.registry().values()
        for by in (None, "la")
    }


def test_the_partnership_is_allowed_only_when_the_limit_covers_every_member(partnership_site):
    """A limit covering every member LA gives the same partnership figures as no limit; a limit to some
    members is refused the partnership and not offered it (pooling only those would be another figure
    under the partnership's name). The mart's read path: test_indicator_mart.py."""
    import pandas as pd

    wh = partnership_site
    unlimited = _partnership_views(wh)
    assert sum(len(df) for df in unlimited.values()) > 50
    assert api.local_authorities(wh)["partnership"] == "Test partnership"
    with access.limited_to(["401", "402"]):
        assert set(api.local_authorities(wh)) == {"401", "402", "partnership"}
        limited = _partnership_views(wh)
        assert set(api.sql("select distinct la_code from children", warehouse=wh)["la_code"]) == {
            "401",
            "402",
        }
    for key, want in unlimited.items():
        keys = [
            "period",
            "la_code",
            "breakdown",
            "group",
        ]  # the SQL's row order within a period is not defined
        pd.testing.assert_frame_equal(
            limited[key].sort_values(keys).reset_index(drop=True),
            want.sort_values(keys).reset_index(drop=True),
            obj=str(key),
        )
    for subset in (["401"], ["402", "856"]):
        with access.limited_to(subset):
            assert "partnership" not in api.local_authorities(wh)
            with pytest.raises(access.AccessDenied, match="partnership pools LAs 401, 402"):
                api.series("cin_at_end", la="partnership", warehouse=wh)
            with pytest.raises(access.AccessDenied, match="outside your access|not all within"):
                api.available_periods("year", "partnership", wh)
            every = api.values("cin_at_end", ["2023-24"], warehouse=wh)
            assert "partnership" not in set(every["la_code"])


def test_a_board_user_limited_to_one_member_sees_the_cells_withheld_from_everyone(partnership_site):
    """A member's total that the board withholds because, beside the partnership's total, it would give
    away the other member's count stays withheld for a board user limited to that member: that user
    is not offered the partnership, but its total is shown elsewhere (a board report, other screens)."""
    import indicators
    from indicators import board
    from indicators.partnership_disclosure import flow_withheld, member_withheld

    wh = partnership_site
    withheld_for_the_partnership = 0
    for ind in indicators.registry().values():
        for freq in ("year", "quarter"):
            periods = [p.label for p in api.available_periods(freq, "401", wh, ind.id)]
            if not periods:
                continue
            everyone = board.trend(ind.id, periods, "401", "board", wh)
            with access.limited_to(["401"]):
                limited = board.trend(ind.id, periods, "401", "board", wh)
                hidden = member_withheld(ind.id, tuple(periods), "401", "board", wh)
                hidden |= flow_withheld(ind.id, "401", "board", wh) or frozenset()
            assert limited["suppressed"].tolist() == everyone["suppressed"].tolist(), (ind.id, freq)
            withheld_for_the_partnership += sum(la == "401" for la, _ in hidden)
    # The partnership's rule reaches the limited user (before, it was skipped for them: 0 cells).
    assert withheld_for_the_partnership > 0
