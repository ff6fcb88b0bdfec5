"""Partner agency returns through the real ingest: the template round trip (load, the same file again
changes nothing, a resubmission supersedes with the history kept) and what a loaded return leaves."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from pipelines.load import ingest

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "safeguarding.cli"]


def fill(path: Path, figures: dict[str, tuple], submitted: date) -> Path:
    """Fill the template's input cells: measure id -> (numerator, denominator, commentary)."""
    wb = load_workbook(path)
    ws = wb["Return"]
    ws["B3"] = submitted
    for row in ws.iter_rows(min_row=7):
        mid = row[0].value
        if mid in figures:
            num, den, note = figures[mid]
            row[7].value, row[8].value, row[10].value = num, den, note
    wb.save(path)
    return path


FIGURES = {
    "probation_sg_enquiry_pct": (90, 100, "Two teams short of staff in August."),
    "probation_risk_referral_pct": (19, 20, None),
    "probation_l3_training_pct": (150, 200, None),
}


def _template(tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguarding.cli",
            "template",
            "--agency",
            "probation",
            "--quarter",
            "2026-27-Q2",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_template_round_trip_same_file_and_resubmission(tmp_path, isolated_warehouse):
    first = fill(_template(tmp_path, "probation_q2.xlsx"), FIGURES, date(2026, 10, 20))
    raw_sha = _sha(first)
    results = ingest([first], isolated_warehouse, progress=None)
    assert [r.status for r in results] == ["loaded"]
    assert _sha(first) == raw_sha  # the raw file is never changed
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    rows = con.execute(
        "select measure_id, period, numerator, denominator, round(value, 3), commentary "
        "from partner_values order by measure_id"
    ).fetchall()
    returned = con.execute(
        "select agency, quarter, submitted_on, versions, measures_returned from partner_returns"
    ).fetchall()
    con.close()
    assert rows == [
        ("probation_l3_training_pct", "2026-27-Q2", 150, 200, 75.0, None),
        ("probation_risk_referral_pct", "2026-27-Q2", 19, 20, 95.0, None),
        ("probation_sg_enquiry_pct", "2026-27-Q2", 90, 100, 90.0, "Two teams short of staff in August."),
    ]
    assert returned == [("probation", "2026-27-Q2", date(2026, 10, 20), 1, 3)]

    # The same file again: nothing changes, not even the warehouse file.
    before = _sha(isolated_warehouse)
    assert [r.status for r in ingest([first], isolated_warehouse, progress=None)] == ["unchanged"]
    assert _sha(isolated_warehouse) == before

    # A corrected return for the same agency and quarter supersedes; the history is kept.
    second = tmp_path / "probation_q2_corrected.xlsx"
    shutil.copy(first, second)
    fill(
        second,
        {"probation_sg_enquiry_pct": (95, 100, "Corrected: five reports were missed.")},
        date(2026, 10, 27),
    )
    assert [r.status for r in ingest([second], isolated_warehouse, progress=None)] == ["loaded"]
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    current = con.execute(
        "select numerator, commentary from partner_values where measure_id = 'probation_sg_enquiry_pct'"
    ).fetchall()
    returned = con.execute("select submitted_on, versions, file_name from partner_returns").fetchall()
    loads = con.execute(
        "select file_name, status from loads where source_type = 'partner_return' order by load_id"
    ).fetchall()
    history = con.execute(
        "select count(*) from staging.partner_values where measure_id = 'probation_sg_enquiry_pct'"
    ).fetchone()[0]
    con.close()
    assert current == [(95, "Corrected: five reports were missed.")]
    assert returned == [(date(2026, 10, 27), 2, "probation_q2_corrected.xlsx")]
    assert loads == [("probation_q2.xlsx", "superseded"), ("probation_q2_corrected.xlsx", "loaded")]
    assert history == 2

    # An older submission loaded later does not win.
    third = tmp_path / "probation_q2_old.xlsx"
    shutil.copy(first, third)
    fill(third, {"probation_sg_enquiry_pct": (80, 100, "old")}, date(2026, 10, 10))
    assert [r.status for r in ingest([third], isolated_warehouse, progress=None)] == ["superseded"]
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    assert con.execute(
        "select numerator from partner_values where measure_id = 'probation_sg_enquiry_pct'"
    ).fetchall() == [(95,)]
    con.close()


def test_blank_mandatory_measure_loads_as_a_rule_issue(tmp_path, isolated_warehouse):
    path = fill(_template(tmp_path, "p.xlsx"), {"probation_sg_enquiry_pct": (1, 2, None)}, date(2026, 10, 20))
    ingest([path], isolated_warehouse, progress=None)
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    issues = con.execute("select line, field, rule_id from validation_issues order by line").fetchall()
    con.close()
    assert issues == [
        (8, "numerator (column H)", "R-PARTNER-MISSING"),
        (9, "numerator (column H)", "R-PARTNER-MISSING"),
    ]


def test_tidy_csv_return_loads(tmp_path, isolated_warehouse):
    path = tmp_path / "police.csv"
    path.write_text(
        "agency,measure_id,period,numerator,denominator,value,commentary,submitted_on\n"
        + "".join(f"police,police_da_notify_24h_pct,2026-0{m},{90 + m},100,,,2026-10-25\n" for m in (7, 8, 9))
        + "police,police_da_incidents_rate,2026-27-Q2,400,,,,2026-10-25\n"
        + "police,police_missing_episodes,2026-27-Q2,250,,,,2026-10-25\n"
        + "police,police_strategy_attend_pct,2026-27-Q2,140,150,93.3,,2026-10-25\n"
        + "police,police_l3_training_pct,2026-27-Q2,500,600,,,2026-10-25\n",
        encoding="utf-8",
    )
    assert [r.status for r in ingest([path], isolated_warehouse, progress=None)] == ["loaded"]
    con = duckdb.connect(str(isolated_warehouse), read_only=True)
    n, num = con.execute(
        "select count(*), sum(numerator) from partner_values where measure_id = 'police_da_notify_24h_pct'"
    ).fetchone()
    con.close()
    assert (n, num) == (3, 97 + 98 + 99)


@pytest.mark.parametrize(
    "agency, quarter, words",
    [("fire", "2026-27-Q2", "unknown agency 'fire'"), ("police", "2026-27", "2026-27")],
)
def test_template_refuses_an_unknown_agency_or_a_label_that_is_not_a_quarter(
    tmp_path, agency, quarter, words
):
    out = tmp_path / "x.xlsx"
    done = subprocess.run(
        [*CLI, "template", "--agency", agency, "--quarter", quarter, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and words in done.stderr and not out.exists()
