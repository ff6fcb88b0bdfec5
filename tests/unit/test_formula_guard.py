"""The formula guard (vocabulary.spreadsheet) on every CSV and XLSX writer: the CLI's indicators CSV,
`validate --format csv/xlsx`, the dashboard downloads (the data-quality page's validation issues too);
text that would run gets a quote, numbers stay numbers (negative ones too)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from vocabulary.spreadsheet import safe_cell, safe_frame

RUNS = ['=HYPERLINK("http://x.test","x")', "+1", "-1+2", "@SUM(A1)", "-cmd", "\tx", "=1"]
STAYS = ["North", "-3", "-1,234.5", "-2.5%", "-0.75", "-1e-05", "", "c"]


@pytest.mark.parametrize("text", RUNS)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", STAYS)
def test_plain_text_and_negative_numbers_are_unchanged(text):
    assert safe_cell(text) == text


def test_a_frame_keeps_its_numeric_columns_numeric():
    frame = pd.DataFrame({"area": ["=evil", "-4", "South"], "value": [-1.5, 2.0, None], "n": [-3, 0, 4]})
    safe = safe_frame(frame)
    assert list(safe["area"]) == ["'=evil", "-4", "South"]
    assert safe["value"].dtype == float and safe["value"].iloc[0] == -1.5 and pd.isna(safe["value"].iloc[2])
    assert safe["n"].dtype == frame["n"].dtype and list(safe["n"]) == [-3, 0, 4]
    assert list(frame["area"]) == ["=evil", "-4", "South"]  # the caller's frame is not changed


def _contract_frame(group: str, value: float) -> pd.DataFrame:
    from indicators.cli_output import CONTRACT

    row = dict.fromkeys(CONTRACT, "")
    row.update(
        indicator_id="cpp_repeat_pct",
        period="2024-25",
        la_code="856",
        breakdown="area",
        group=group,
        numerator=12,
        denominator=40,
        value=value,
        unit="percent",
        suppressed=False,
        status="",
    )
    return pd.DataFrame([row])


def test_the_cli_indicators_csv_is_guarded_and_keeps_negative_values_as_numbers():
    from indicators.cli_output import render

    text = render(_contract_frame('=HYPERLINK("http://x","North")', -2.5), "csv")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["group"] == '\'=HYPERLINK("http://x","North")'
    assert row["value"] == "-2.5" and float(row["value"]) == -2.5
    assert row["la_code"] == "856"


def test_validate_csv_and_xlsx_are_guarded(tmp_path):
    from pipelines.dfe.export import COLUMNS, render, write_xlsx

    frame = pd.DataFrame(
        [["a.xml", 7, "=cmd|' /C calc'!A0", "100", "rule", "LAchildID", "-5", "@bad"]], columns=COLUMNS
    )
    (row,) = list(csv.DictReader(io.StringIO(render(frame, "csv"))))
    assert row["LAchildID"] == "'=cmd|' /C calc'!A0" and row["message"] == "'@bad" and row["value"] == "-5"
    out = tmp_path / "issues.xlsx"
    write_xlsx(frame, out)
    sheet = openpyxl.load_workbook(out)["issues"]
    cells = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, len(COLUMNS) + 1)}
    assert cells["LAchildID"].data_type == "s" and cells["LAchildID"].value.startswith("'=")
    assert cells["line"].value == 7 and cells["line"].data_type == "n"


def test_dashboard_downloads_guard_the_area_names_from_la_files():
    from dashboard.downloads import csv_bytes, xlsx_bytes

    frame = pd.DataFrame(
        {
            "la_name": ["=EVIL()"],
            "group": ["-1+1"],
            "value": [-3.25],
            "role": ["board"],
            "suppression_note": ["x"],
            "definition": ["d"],
        }
    )
    (row,) = list(csv.DictReader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert row["la_name"] == "'=EVIL()" and row["group"] == "'-1+1" and row["value"] == "-3.25"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))["data"]
    assert sheet["A2"].value == "'=EVIL()" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == -3.25 and sheet["C2"].data_type == "n"


def test_the_analysts_validation_issues_download_is_guarded(monkeypatch):
    """File names and values in the issues download come from LA files: guarded, as every download."""
    import base64

    from dashboard.pages import data_quality

    issues = pd.DataFrame(
        {
            "file": ['=HYPERLINK("http://x.test","cin").xml', "cin_856.xml"],
            "la_code": ["856", "856"],
            "collection_year": ["2024-25", "2024-25"],
            "line": [35, -1],
            "rule": ["8866", "@rule"],
            "severity": ["error", "query"],
            "field": ["ReferralSource", "+Field"],
            "value": ["=1+1", "-5"],
            "message": ["-cmd", "plain"],
        }
    )
    monkeypatch.setattr(data_quality.quality, "validation_issues", lambda warehouse=None: issues.copy())
    monkeypatch.setattr(data_quality, "session_role", lambda: "analyst")
    sent = data_quality._download_issues(1)  # what the button sends
    assert sent["filename"] == "validation-issues.csv"
    text = (base64.b64decode(sent["content"]) if sent["base64"] else sent["content"].encode()).decode(
        "utf-8-sig"
    )
    first, second = csv.DictReader(io.StringIO(text))
    assert first["file"] == '\'=HYPERLINK("http://x.test","cin").xml' and first["value"] == "'=1+1"
    assert first["message"] == "'-cmd" and second["rule"] == "'@rule" and second["field"] == "'+Field"
    assert (
        second["value"] == "-5" and second["line"] == "-1" and first["line"] == "35"
    )  # numbers stay numbers
    assert first["severity"] == "DfE error" and second["file"] == "cin_856.xml"
