"""Bad partner returns are rejected whole: every case names the file, the sheet, the row and the column,
the warehouse is unchanged (content hash) and the raw file is unchanged."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.issues import IngestError
from pipelines.load import ingest
from pipelines.partner_template import write_template

GOOD = {  # probation rows 7, 8, 9: (numerator, denominator)
    7: (90, 100),
    8: (19, 20),
    9: (150, 200),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A warehouse holding one good return (police, 2026-27-Q1); each test works on its own copy."""
    folder = tmp_path_factory.mktemp("partner_base")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    good = folder / "probation_q1.xlsx"
    _filled(good, "2026-27-Q1")
    warehouse = folder / "warehouse.duckdb"
    ingest([good], warehouse, progress=None)
    yield warehouse
    mp.undo()


def _filled(path: Path, quarter: str = "2026-27-Q2") -> Path:
    write_template("probation", quarter, path)
    wb = load_workbook(path)
    ws = wb["Return"]
    ws["B3"] = date(2026, 10, 20)
    for row, (num, den) in GOOD.items():
        ws.cell(row=row, column=8, value=num)
        ws.cell(row=row, column=9, value=den)
    wb.save(path)
    return path


def _set(**cells):
    def change(ws):
        for ref, value in cells.items():
            ws[ref] = value

    return change


def _duplicate(ws):
    for col in range(1, 12):
        ws.cell(row=10, column=col, value=ws.cell(row=7, column=col).value)


# (name, change to the Return sheet, row, column named, words in the message)
CASES = [
    (
        "unknown agency",
        _set(B1="fire_service"),
        1,
        "agency (cell B1)",
        "not one of the partnership's agencies",
    ),
    ("quarter not a quarter", _set(B2="2026-27"), 2, "quarter (cell B2)", "is not a quarter"),
    ("submitted_on not a date", _set(B3="next week"), 3, "submitted_on (cell B3)", "is not a date"),
    ("another partnership's LA", _set(B4="999"), 4, "la_code (cell B4)", "not the partnership's LA"),
    ("header changed", _set(H6="num"), 6, "header", "must be the columns"),
    ("unknown measure", _set(A7="probation_made_up"), 7, "measure_id (column A)", "not a measure"),
    (
        "measure of another agency",
        _set(A7="police_missing_episodes"),
        7,
        "measure_id (column A)",
        "belongs to agency police",
    ),
    ("numerator above denominator", _set(H7=120), 7, "numerator (column H)", "above the denominator"),
    ("negative numerator", _set(H8=-1), 8, "numerator (column H)", "negative"),
    ("negative denominator", _set(I9=-200), 9, "denominator (column I)", "negative"),
    ("text in a number cell", _set(H7="n/a"), 7, "numerator (column H)", "not a number"),
    ("formula in a number cell", _set(H8="=10+9"), 8, "numerator (column H)", "is a formula"),
    ("percent sign in value", _set(J7="90%"), 7, "value (column J)", "not a number"),
    ("true/false in a number cell", _set(I8=True), 8, "denominator (column I)", "not a number"),
    ("date in a number cell", _set(H9=datetime(2026, 1, 5)), 9, "numerator (column H)", "not a number"),
    ("period not a quarter or month", _set(G7="2026-27-Q5"), 7, "period (column G)", "is not a quarter"),
    ("month for a quarterly measure", _set(G8="2026-08"), 8, "period (column G)", "is not a quarter"),
    (
        "period outside the return's quarter",
        _set(G9="2026-27-Q1"),
        9,
        "period (column G)",
        "not in the return's quarter",
    ),
    ("duplicate row", _duplicate, 10, "measure_id (column A)", "appears twice (also on row 7)"),
    ("value disagrees with numerator/denominator", _set(J7=50), 7, "value (column J)", "does not agree"),
    ("fractional numerator", _set(H7=90.5), 7, "numerator (column H)", "whole number"),
    (
        "percent without a denominator",
        _set(I8=None),
        8,
        "denominator (column I)",
        "needs its numerator and denominator",
    ),
    ("denominator 0 with a numerator", _set(H9=0.0, I9=0, J9=None), None, None, None),  # 0 of 0 is allowed
]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rejected(base: Path, tmp_path: Path, bad: Path) -> IngestError:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(base, warehouse)
    before, raw_before = _sha(warehouse), _sha(bad)
    with pytest.raises(IngestError) as exc:
        ingest([bad], warehouse, progress=None)
    assert _sha(warehouse) == before, "the warehouse changed"
    assert _sha(bad) == raw_before, "the raw file changed"
    return exc.value


@pytest.mark.parametrize(
    "name, change, row, column, words",
    [c for c in CASES if c[2] is not None],
    ids=[c[0] for c in CASES if c[2] is not None],
)
def test_bad_return_is_rejected_naming_file_sheet_row_and_column(
    base, tmp_path, name, change, row, column, words
):
    bad = _filled(tmp_path / "probation_bad.xlsx")
    wb = load_workbook(bad)
    change(wb["Return"])
    wb.save(bad)
    error = _rejected(base, tmp_path, bad)
    texts = [str(i) for i in error.issues]
    located = [t for t in texts if t.startswith(f"probation_bad.xlsx:{row}: sheet Return: <{column}>")]
    assert located, texts
    assert any(words in t for t in located), texts


def test_zero_of_zero_is_accepted(base, tmp_path):
    good = _filled(tmp_path / "probation_zero.xlsx")
    wb = load_workbook(good)
    wb["Return"]["H9"], wb["Return"]["I9"] = 0, 0
    wb.save(good)
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(base, warehouse)
    assert [r.status for r in ingest([good], warehouse, progress=None)] == ["loaded"]


def test_macro_workbook_is_refused_unopened(base, tmp_path):
    bad = tmp_path / "probation_macro.xlsm"
    shutil.copy(_filled(tmp_path / "p.xlsx"), bad)
    error = _rejected(base, tmp_path, bad)
    assert any(
        "macro-enabled" in str(i) and str(i).startswith("probation_macro.xlsm: sheet Return: <file>")
        for i in error.issues
    )


def test_zip_bomb_workbook_is_refused_unopened(base, tmp_path):
    good = _filled(tmp_path / "p.xlsx")
    bad = tmp_path / "probation_bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (20 << 20))
    error = _rejected(base, tmp_path, bad)
    assert any("zip bomb" in str(i) for i in error.issues), [str(i) for i in error.issues]


def test_csv_return_errors_name_file_line_and_column(base, tmp_path):
    bad = tmp_path / "probation.csv"
    bad.write_text(
        "agency,measure_id,period,numerator,denominator,value,commentary\n"
        "probation,probation_sg_enquiry_pct,2026-27-Q2,90,100,,\n"
        "police,probation_risk_referral_pct,2026-27-Q2,19,20,,\n"
        "probation,probation_l3_training_pct,2026-27-Q2,abc,200,,\n",
        encoding="utf-8",
    )
    texts = [str(i) for i in _rejected(base, tmp_path, bad).issues]
    assert any(t.startswith("probation.csv:3: <agency>") for t in texts), texts
    assert any(
        t.startswith("probation.csv:4: <numerator (column H)>") and "not a number" in t for t in texts
    ), texts


def test_a_broken_measures_file_rejects_the_return_naming_the_file_and_entry(base, tmp_path, monkeypatch):
    from vocabulary import partners

    good = _filled(tmp_path / "probation_ok.xlsx")  # written while the measures file is sound
    broken = tmp_path / "partner_measures.yaml"
    broken.write_text(partners.DEFAULT_PATH.read_text().replace("agency: police\n", "agency: polce\n", 1))
    monkeypatch.setenv("SAFEGUARDING_PARTNER_MEASURES", str(broken))
    partners.declaration.cache_clear()
    try:
        error = _rejected(base, tmp_path, good)
    finally:
        partners.declaration.cache_clear()
    assert any(
        "S-PARTNER-CONFIG" in str(i) and "measure police_da_notify_24h_pct: agency 'polce'" in str(i)
        for i in error.issues
    ), [str(i) for i in error.issues]
