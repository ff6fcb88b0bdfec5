"""Partner measures through the real pipeline to the command line, the scorecard's agency filter and the
all-agencies matrix download: hand-worked values, the JSON row contract, board suppression of counts
of 1-5 (c in the CLI, value_status c in the CSV) and the spreadsheet formula guard."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from indicators.cli_output import CONTRACT
from indicators.labels import unit_name
from pipelines.load import ingest

ROOT = Path(__file__).resolve().parents[2]
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]
STRATEGY = [(90, 100), (45, 50), (100, 100), (190, 250)]  # police_strategy_attend_pct
MISSING = [12, 3, 25, 40]  # police_missing_episodes (count): 3 in Q2 is withheld for the board
CME = [7, 8, 9, 11]  # edu_cme_referrals (count)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency_filter")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    files = []
    for i, q in enumerate(QUARTERS):
        rows = {
            "police": [
                f"police,police_strategy_attend_pct,{q},{STRATEGY[i][0]},{STRATEGY[i][1]},,,2026-05-01",
                f"police,police_missing_episodes,{q},{MISSING[i]},,,,2026-05-01",
            ],
            "education": [f"education,edu_cme_referrals,{q},{CME[i]},,,,2026-05-01"],
        }
        for agency, lines in rows.items():
            path = folder / f"{agency}_{q}.csv"
            head = "agency,measure_id,period,numerator,denominator,value,commentary,submitted_on"
            path.write_text("\n".join([head, *lines]) + "\n", encoding="utf-8")
            files.append(path)
    wh = folder / "warehouse.duckdb"
    ingest(files, wh, progress=None)
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(wh))  # the pages read the default warehouse
    yield wh
    mp.undo()


def _cli(warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "safeguarding.cli", "indicators", "--warehouse", str(warehouse), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_cli_agency_rows_keep_the_contract_and_suppress_for_the_board(warehouse):
    done = _cli(
        warehouse, "--agency", "police", "--period", "2025-26-Q2", "--role", "board", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    rows = {r["indicator_id"]: r for r in json.loads(done.stdout)}
    # the police measures with a return in the period, in file order (no return: no row, as for the LA's)
    assert list(rows) == ["police_missing_episodes", "police_strategy_attend_pct"]
    assert all(list(r) == [*CONTRACT, "status"] for r in rows.values())
    strategy = rows["police_strategy_attend_pct"]
    # 45 / 50 = 90.0%, below the 95% target's amber band (within 3): red
    assert (strategy["numerator"], strategy["denominator"], strategy["value"]) == (45, 50, 90.0)
    assert (strategy["rag"], strategy["la_code"], strategy["unit"]) == ("red", "856", "percent")
    missing = rows["police_missing_episodes"]
    assert (missing["numerator"], missing["value"], missing["suppressed"]) == ("c", "c", True)
    assert missing["rag"] == "withheld"
    analyst = _cli(warehouse, "--agency", "police", "--period", "2025-26-Q2", "--format", "json")
    seen = {r["indicator_id"]: r for r in json.loads(analyst.stdout)}["police_missing_episodes"]
    assert (seen["value"], seen["suppressed"]) == (3, False)


def test_cli_theme_takes_every_agency_and_a_year_sums_its_quarters(warehouse):
    done = _cli(warehouse, "--theme", "exploitation_missing", "--period", "2025-26", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {r["indicator_id"]: r for r in json.loads(done.stdout)}
    assert list(rows) == ["police_missing_episodes", "edu_cme_referrals"]  # the council returned none
    assert rows["police_missing_episodes"]["value"] == 12 + 3 + 25 + 40
    assert rows["edu_cme_referrals"]["value"] == 7 + 8 + 9 + 11


def test_cli_names_an_unknown_agency(warehouse):
    done = _cli(warehouse, "--agency", "polce")
    assert done.returncode == 2
    assert "unknown agency 'polce'" in done.stderr and "police" in done.stderr


def test_scorecard_filtered_to_one_agency(warehouse):
    from dashboard.pages.overview import scorecard_rows, scorecard_table
    from viewmodels.state import ViewState

    state, rows = scorecard_rows(ViewState(la="856", agency="education"), "board", str(warehouse))
    assert state.agency == "education" and [r["indicator"].id for r in rows][-1] == "edu_cme_referrals"
    cme = rows[-1]
    assert (cme["period"], cme["value"]) == ("2025-26-Q4", "11")
    _, police = scorecard_rows(ViewState(la="856", agency="police"), "board", str(warehouse))
    strategy = next(r for r in police if r["indicator"].id == "police_strategy_attend_pct")
    assert (strategy["value"], strategy["rag"]) == ("76.0%", "red")  # 190 / 250
    table = str(scorecard_table(police, "?agency=police"))
    assert "(Police)" in table  # a partner row says whose measure it is


def _download(search: str, role: str) -> pd.DataFrame:
    from dashboard.pages.agencies import matrix_download

    sent = matrix_download(search, role)
    raw = base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype={"value_status": str})
    frame.attrs["filename"] = sent["filename"]
    return frame


def test_matrix_download_is_tidy_and_withholds_small_counts_for_the_board(warehouse):
    board = _download("?agency=police", "board")
    assert board.attrs["filename"] == "Agency-matrix-Police-2025-26-Q4.csv"
    assert set(board["agency_id"]) == {"police"} and len(board) == 5 * 4  # 5 measures x 4 quarters
    missing = board[board["measure_id"] == "police_missing_episodes"].set_index("quarter")
    assert missing.loc["2025-26-Q2", "value_status"] == "c" and pd.isna(missing.loc["2025-26-Q2", "value"])
    assert pd.isna(missing.loc["2025-26-Q2", "numerator"]) and missing.loc["2025-26-Q2", "rag"] == "withheld"
    assert missing.loc["2025-26-Q1", "value"] == 12 and pd.isna(missing.loc["2025-26-Q1", "value_status"])
    strategy = board[board["measure_id"] == "police_strategy_attend_pct"].set_index("quarter")
    assert strategy.loc["2025-26-Q4", ["numerator", "denominator", "value"]].tolist() == [190, 250, 76.0]
    assert set(board.loc[board["measure_id"] == "police_l3_training_pct", "value_status"]) == {"x"}
    counts = board[board["unit"] == unit_name("count")][["numerator", "value"]].stack()
    assert not counts.between(1, 5).any()  # no count of 1 to 5 reaches the board's file
    analyst = _download("?agency=police", "analyst").set_index(["measure_id", "quarter"])
    assert analyst.loc[("police_missing_episodes", "2025-26-Q2"), "value"] == 3
    theme = _download("?theme=exploitation_missing", "board")
    assert theme.attrs["filename"] == "Agency-matrix-Exploitation-and-missing-2025-26-Q4.csv"
    assert list(dict.fromkeys(theme["measure_id"])) == [
        "csc_rhi_72h_pct",
        "police_missing_episodes",
        "edu_cme_referrals",
    ]


def test_matrix_download_guards_text_cells_against_formulas(warehouse, monkeypatch):
    from dashboard import agency_views
    from vocabulary.partners import declaration

    decl = declaration()
    evil = [
        a.model_copy(update={"name": '=HYPERLINK("http://x")'}) if a.id == "police" else a
        for a in decl.agencies
    ]
    monkeypatch.setattr(
        agency_views, "declaration", lambda: decl.model_copy(update={"agencies": tuple(evil)})
    )
    frame = _download("?agency=police", "board")
    assert set(frame["agency"]) == {'\'=HYPERLINK("http://x")'}
