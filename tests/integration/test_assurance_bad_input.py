"""Bad assurance returns (s.11, case-file audit, action plan) are rejected whole: each case names the
file, the sheet, the row and the column, and the warehouse and the raw file are unchanged."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.assurance_template import write_assurance_template
from pipelines.demo.assurance import write_assurance_returns
from pipelines.issues import IngestError
from pipelines.load import ingest

SHEET = {"section11": "Section 11", "audit": "Case audit", "actions": "Actions"}
AUDIT_ROWS = [
    ["r1", "Neglect", "2026-05-01", f"C{c}", agency, q, grade, ""]
    for c in (1, 2)
    for agency in ("police", "health")
    for q, grade in (("q_risk_identified", "good"), ("q_info_shared", "requires_improvement"))
]
ACTION_ROWS = [
    [
        "X1",
        "Business plan",
        "Neglect",
        "",
        "Plans do not drift",
        "Review plans",
        "2026-06-30",
        "council",
        "Audit",
        "on_track",
        "2026-05-01",
        "cpp_open_2y_pct",
    ],
    [
        "X2",
        "LCSPR Child F",
        "",
        "",
        "Safer step-down",
        "Notify partners",
        "2026-03-31",
        "police",
        "Audit",
        "complete",
        "",
        "cpp_repeat_pct",
    ],
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A warehouse holding the demo's assurance returns; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("assurance_base")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    warehouse = folder / "warehouse.duckdb"
    ingest(write_assurance_returns(folder / "raw"), warehouse, progress=None)
    yield warehouse
    mp.undo()


def _good(path: Path, kind: str) -> Path:
    write_assurance_template(kind, path, agency="probation" if kind == "section11" else None, cycle="2027-28")
    wb = load_workbook(path)
    ws = wb[SHEET[kind]]
    if kind == "section11":
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=4, value="good")
            ws.cell(row=r, column=6, value="requires_improvement")
    else:
        for r, row in enumerate(AUDIT_ROWS if kind == "audit" else ACTION_ROWS, start=2):
            for c, v in enumerate(row, start=1):
                ws.cell(row=r, column=c, value=v)
    wb.save(path)
    return path


def _copy_row(src: int, dst: int):
    def change(ws):
        for c in range(1, ws.max_column + 1):
            ws.cell(row=dst, column=c, value=ws.cell(row=src, column=c).value)

    return change


def _set(**cells):
    def change(ws):
        for ref, value in cells.items():
            ws[ref] = value

    return change


# (name, kind, change, row, column named, words in the message)
CASES = [
    (
        "s11 unknown agency",
        "section11",
        _set(A2="fire_service"),
        2,
        "agency (column A)",
        "not one of the partnership's agencies",
    ),
    (
        "s11 rating not on the scale",
        "section11",
        _set(D3="excellent"),
        3,
        "self_rating (column D)",
        "not on the scale",
    ),
    ("s11 agreed rating blank", "section11", _set(F4=None), 4, "agreed_rating (column F)", "is blank"),
    (
        "s11 unknown standard",
        "section11",
        _set(C5="s11_made_up"),
        5,
        "standard_id (column C)",
        "not a standard",
    ),
    ("s11 cycle not a year", "section11", _set(B2="2027"), 2, "cycle (column B)", "not a financial year"),
    (
        "s11 challenge date not a date",
        "section11",
        _set(G2="next week"),
        2,
        "challenge_date (column G)",
        "is not a date",
    ),
    (
        "s11 standard twice",
        "section11",
        _copy_row(2, 12),
        12,
        "standard_id (column C)",
        "appears twice (also on row 2)",
    ),
    (
        "s11 UPN in evidence",
        "section11",
        _set(E6="see file of A123456789012"),
        6,
        "evidence (column E)",
        "UPN",
    ),
    ("s11 formula in a rating", "section11", _set(D7="=B7"), 7, "self_rating (column D)", "is a formula"),
    (
        "audit grade not on the scale",
        "audit",
        _set(G2="satisfactory"),
        2,
        "grade (column G)",
        "not on the scale",
    ),
    (
        "audit unknown question",
        "audit",
        _set(F3="q_made_up"),
        3,
        "question_id (column F)",
        "not an audit question",
    ),
    (
        "audit DOB in learning point",
        "audit",
        _set(H4="DOB 3/4/2015, seen twice"),
        4,
        "learning_point (column H)",
        "date of birth",
    ),
    (
        "audit date in learning point",
        "audit",
        _set(H5="seen on 12/05/2024"),
        5,
        "learning_point (column H)",
        "must not carry dates",
    ),
    (
        "audit case id is a UPN",
        "audit",
        _set(D2="A123456789012"),
        2,
        "case_id (column D)",
        "looks like a UPN",
    ),
    ("audit name column", "audit", _set(I1="child_name"), 1, "child_name (column I)", "must not hold names"),
    ("audit date not a date", "audit", _set(C6="May 2026"), 6, "audit_date (column C)", "is not a date"),
    ("audit round with two themes", "audit", _set(B3="Exploitation"), 3, "theme (column B)", "earlier row"),
    (
        "audit unknown agency",
        "audit",
        _set(E4="fire_service"),
        4,
        "agency (column E)",
        "not one of the partnership's agencies",
    ),
    ("audit grade twice", "audit", _copy_row(2, 10), 10, "question_id (column F)", "graded twice"),
    (
        "action due date not a date",
        "actions",
        _set(G2="end of March"),
        2,
        "due_date (column G)",
        "is not a date",
    ),
    (
        "action id twice",
        "actions",
        _copy_row(2, 4),
        4,
        "action_id (column A)",
        "appears twice (also on row 2)",
    ),
    (
        "action status typed as overdue",
        "actions",
        _set(J3="overdue"),
        3,
        "status (column J)",
        "worked out from the due date",
    ),
    ("action status unknown", "actions", _set(J2="done-ish"), 2, "status (column J)", "is not a status"),
    (
        "action owner unknown",
        "actions",
        _set(H3="fire_service"),
        3,
        "owner (column H)",
        "not one of the partnership's agencies",
    ),
    (
        "action linked id unknown",
        "actions",
        _set(L2="cpp_made_up"),
        2,
        "linked_ids (column L)",
        "not an indicator or partner measure",
    ),
    (
        "action last update not a date",
        "actions",
        _set(K2="yesterday"),
        2,
        "last_update (column K)",
        "is not a date",
    ),
    (
        "action DOB in objective",
        "actions",
        _set(E2="child born 01/02/2019"),
        2,
        "objective (column E)",
        "date of birth",
    ),
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


@pytest.mark.parametrize("name, kind, change, row, column, words", CASES, ids=[c[0] for c in CASES])
def test_bad_assurance_return_is_rejected_naming_file_sheet_row_and_column(
    base, tmp_path, name, kind, change, row, column, words
):
    bad = _good(tmp_path / f"{kind}_bad.xlsx", kind)
    wb = load_workbook(bad)
    change(wb[SHEET[kind]])
    wb.save(bad)
    error = _rejected(base, tmp_path, bad)
    texts = [str(i) for i in error.issues]
    located = [t for t in texts if t.startswith(f"{kind}_bad.xlsx:{row}: sheet {SHEET[kind]}: <{column}>")]
    assert located, texts
    assert any(words in t for t in located), texts


def test_csv_action_plan_with_a_bad_due_date_names_the_line_and_column(base, tmp_path):
    bad = tmp_path / "plan.csv"
    bad.write_text(
        "action_id,source,What are we going to do?,When is it going to be done by?,"
        "Who is responsible?,status\n"
        "P1,Business plan,Train staff,2026-03-31,council,on_track\n"
        "P2,Business plan,Audit plans,31st March,police,on_track\n",
        encoding="utf-8",
    )
    texts = [str(i) for i in _rejected(base, tmp_path, bad).issues]
    assert any(t.startswith("plan.csv:3:") and "<due_date>" in t and "is not a date" in t for t in texts), (
        texts
    )


@pytest.mark.parametrize("kind", ["section11", "audit", "actions"])
def test_good_workbooks_load_and_reload_changes_nothing(base, tmp_path, kind):
    good = _good(tmp_path / f"{kind}.xlsx", kind)
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(base, warehouse)
    assert [r.status for r in ingest([good], warehouse, progress=None)] == ["loaded"]
    after = _sha(warehouse)
    assert [r.status for r in ingest([good], warehouse, progress=None)] == ["unchanged"]
    assert _sha(warehouse) == after


@pytest.mark.parametrize(
    "kind, sheet", [("section11", "Section 11"), ("audit", "Case audit"), ("actions", "Actions")]
)
def test_template_command_writes_each_kind(tmp_path, kind, sheet):
    import subprocess
    import sys

    out = tmp_path / f"{kind}.xlsx"
    args = [sys.executable, "-m", "safeguarding.cli", "template", "--kind", kind, "--out", str(out)]
    args += ["--agency", "police"] if kind == "section11" else []
    done = subprocess.run(args, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    ws = load_workbook(out)[sheet]
    header = [c.value for c in ws[1]]
    assert header[0] == {"section11": "agency", "audit": "round_id", "actions": "action_id"}[kind]
    if kind == "section11":
        assert ws.max_row == 11 and ws["A2"].value == "police"  # one row per standard
    if kind == "actions":
        assert "What are we going to do" in header and "Who is responsible" in header


def test_template_command_refuses_an_unknown_kind_or_agency(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    base = [sys.executable, "-m", "safeguarding.cli", "template", "--out", str(tmp_path / "x.xlsx")]
    bad_kind = subprocess.run([*base, "--kind", "survey"], capture_output=True, text=True, cwd=root)
    assert bad_kind.returncode == 2 and "unknown template kind 'survey'" in bad_kind.stderr
    bad_agency = subprocess.run(
        [*base, "--kind", "section11", "--agency", "fire"], capture_output=True, text=True, cwd=root
    )
    assert bad_agency.returncode == 2 and "unknown agency 'fire'" in bad_agency.stderr
    assert not (tmp_path / "x.xlsx").exists()
