"""DfE rule failures are stored at load under DfE's codes and shown on the data-quality page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from dashboard import ids
from dashboard.pages import data_quality
from dashboard.pages.data_quality import issue_rows, issues_download
from indicators import quality
from pipelines.load import ingest
from tests.dfe_mutations import mutated

SAFEGUARDING = Path(sys.executable).with_name("safeguarding")


def test_loaded_return_records_dfe_codes_and_severity(isolated_warehouse, tmp_path, monkeypatch):
    r = mutated("8866", "2024-25")  # ReferralSource 'ZZ' on C1001
    r.set(r.ep("C1002", 1), "PrimaryNeedCode", "N99")  # 8650
    r.set(r.child("C1003").find("ChildIdentifiers"), "ExpectedPersonBirthDate", "2025-02-20")  # 8530Q
    [result] = ingest([r.write(tmp_path / "cin_856_2025.xml")], isolated_warehouse, progress=None)
    assert result.status == "loaded" and result.dfe_rules == "2024-25"
    by_rule = quality.validation_by_rule(isolated_warehouse)
    got = {(x.rule_id, x.severity, x.field, x.issues) for x in by_rule.itertuples()}
    assert got == {
        ("8866", "error", "ReferralSource", 1),
        ("8650", "error", "PrimaryNeedCode", 1),
        ("8530Q", "query", "ExpectedPersonBirthDate", 1),
    }
    # The board sees counts of 1-5 as 'c'; analysts see the number.
    board = {row[0]: row for row in issue_rows(by_rule, "board")}
    assert board["8530Q"][1:4] == ["DfE query", "ExpectedPersonBirthDate", "c"]
    assert {row[0]: row[3] for row in issue_rows(by_rule, "analyst")}["8866"] == "1"
    # Analysts download every issue by file and line; an identifying field's value is never stored.
    frame, name = issues_download("analyst", isolated_warehouse)
    assert name == "validation-issues.csv"
    rows = {(x.rule, x.line, x.field, None if x.value != x.value else x.value) for x in frame.itertuples()}
    lines = (tmp_path / "cin_856_2025.xml").read_text().splitlines()
    expected_line = next(n for n, text in enumerate(lines, 1) if "ExpectedPersonBirthDate>2025-02-20" in text)
    assert ("8530Q", expected_line, "ExpectedPersonBirthDate", None) in rows
    assert ("8866", 35, "ReferralSource", "ZZ") in rows
    assert set(frame["severity"]) == {"DfE error", "DfE query"}
    board_frame, board_name = issues_download("board", isolated_warehouse)
    assert board_name == "validation-issues-by-rule.csv"
    assert list(board_frame.columns) == ["Rule", "Severity", "Field", "Issues", "Files", "Example"]
    assert set(board_frame["Issues"]) == {"c"}
    # The page itself: the table by rule code and the download button.
    monkeypatch.setenv("SAFEGUARDING_WAREHOUSE", str(isolated_warehouse))
    page = str(data_quality.layout("board"))
    assert "8530Q" in page and "DfE query" in page and ids.DQ_ISSUES_DOWNLOAD in page


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SAFEGUARDING), "validate", *args], capture_output=True, text=True, check=False)


def test_validate_command_formats(tmp_path):
    path = mutated("8866", "2024-25").write(tmp_path / "r.xml")
    table = _cli(str(path))
    assert table.returncode == 0
    assert "r.xml:35: LAchildID C1001: <ReferralSource> (value 'ZZ')" in table.stdout
    assert "[8866, error]" in table.stdout and "(DfE rules 2024-25)" in table.stdout
    as_json = json.loads(_cli(str(path), "--format", "json").stdout)
    assert as_json == [
        {
            "file": "r.xml",
            "line": 35,
            "LAchildID": "C1001",
            "rule": "8866",
            "severity": "error",
            "field": "ReferralSource",
            "value": "ZZ",
            "message": "Source of Referral is missing or an invalid code",
        }
    ]
    as_csv = _cli(str(path), "--format", "csv").stdout.splitlines()
    assert as_csv[0] == "file,line,LAchildID,rule,severity,field,value,message"
    assert as_csv[1].startswith("r.xml,35,C1001,8866,error,ReferralSource,ZZ,")
    out = tmp_path / "issues.xlsx"
    assert _cli(str(path), "--format", "xlsx", "--out", str(out)).returncode == 0
    sheet = openpyxl.load_workbook(out)["issues"]
    assert [c.value for c in sheet[2]][:6] == ["r.xml", 35, "C1001", "8866", "error", "ReferralSource"]
    # The 2023-24 rule set reads GenderCurrent, which a 2024-25 return does not have.
    older = _cli(str(path), "--rules", "2023-24", "--format", "json")
    assert {i["rule"] for i in json.loads(older.stdout)} >= {"100", "4180", "8866"}
    refused = _cli(str(path), "--rules", "2019-20")
    assert refused.returncode == 2 and "2023-24, 2024-25, 2025-26" in refused.stderr
