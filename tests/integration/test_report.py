"""The quarterly exception report, end to end: `safeguarding report` on the demo warehouse, checked through
the PDF's text (pdftotext), its images (pdfimages) and page renders (pdftoppm, kept in test-results/report/).

Quarter 2022-23-Q4 of the demo LA (856) has planted exceptions: repeat plans stepped up after the October 2021
practice change (red against the 10-15% band, special cause concerning) and the run of late reviews from
October 2022 (NI67 red, special cause concerning, consistently failing, a significant fall since last
quarter).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from indicators.registry import registry
from tests.demo_warehouse import build_demo_warehouse

ROOT = Path(__file__).resolve().parents[2]
SAFEGUARDING = [sys.executable, "-m", "safeguarding.cli"]
QUARTER = "2022-23-Q4"
LA = "856"
ARTEFACTS = ROOT / "test-results" / "report"
STEM = f"exception-report-{LA}-{QUARTER}"

# id -> what the reason must say (regex on the PDF text with whitespace collapsed)
EXPECTED_ANALYST = {
    "cpp_repeat_pct": [
        r"Repeat plans \(NI65\) \d+\.\d% against a target of 10–15% \(red, off target\)",
        r"\d+ quarters in a row above the mean",
        r"\(special cause, concerning\)",
    ],
    # The local reading of NI65 counts the same plans as the DfE reading in the demo (its returns
    # record every previous plan); it has no target, so only its SPC makes it an exception.
    "cpp_repeat_local_pct": [
        r"Repeat plans, local reading \d+\.\d%: the latest quarter is above the upper process limit; "
        r"\d+ quarters in a row above the mean",
    ],
    "cpp_repeat_2y_pct": [
        r"Repeat plans within 2 years \d+\.\d%: \d+ quarters in a row above the mean "
        r"\(special cause, concerning\)"
    ],
    "cpp_reviewed_in_time_pct": [
        r"Reviews in timescale \(NI67\) \d+\.\d% against a target of 100% \(amber within "
        r"5\) \(red, off target\)",
        r"below the lower process limit",
        r"\(assurance: consistently failing\)",
        r"down from \d+\.\d% in 2022-23-Q3, a significant change since last quarter",
    ],
    "icpc_15wd_pct": [
        r"ICPCs within 15 working days \d+\.\d% against a target of 85% or higher \(red, off target\)"
    ],
    "cdop_review_12m_pct": [
        r"Reviews within 12 months \d+\.\d% against a target of 100% \(amber within 20\) "
        r"\(red, off target\)"
    ],
}
# The board is told of every exception the analyst sees (withheld values or not). Reviews within 12 months
# are few in a quarter: the board sees the quarter as c (a year is the sum of its quarters, so none is shown
# when one is small: indicators.board.trend), so its reason is withheld, not left out.
EXPECTED_BOARD = {
    **EXPECTED_ANALYST,
    "cdop_review_12m_pct": [r"Reviews within 12 months c: exception \(value withheld\)"],
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install poppler-utils (see .ci/run)")
    return path


def pdf_text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    args = [_tool("pdftotext"), "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def page_count(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("report-demo")
    warehouse, env = build_demo_warehouse(base)
    return {"base": base, "env": env, "warehouse": warehouse}


def run_report(demo: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            *SAFEGUARDING,
            "report",
            "--quarter",
            QUARTER,
            "--la",
            LA,
            "--warehouse",
            str(demo["warehouse"]),
            *args,
        ],
        env=demo["env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


COMMENTARY = {
    "la": LA,
    "quarter": QUARTER,
    "indicators": {
        "cpp_repeat_pct": {
            "owner": "Head of Service, Child Protection",
            "commentary": "The rise follows the practice change; a deep dive is under way.",
            "actions": ["Audit 20 repeat plans by the end of May."],
        },
        "cpp_at_end": {"commentary": "Numbers on a plan are rising with demand."},
    },
}


@pytest.fixture(scope="module")
def analyst(demo) -> dict:
    out = demo["base"] / "analyst"
    commentary = demo["base"] / "commentary.yaml"
    commentary.write_text(yaml.safe_dump(COMMENTARY, allow_unicode=True))
    done = run_report(demo, "--role", "analyst", "--out", str(out), "--commentary", str(commentary))
    assert done.returncode == 0, done.stderr
    return {"pdf": out / f"{STEM}.pdf", "html": out / f"{STEM}.html", "stdout": done.stdout}


@pytest.fixture(scope="module")
def board(demo) -> dict:
    out = demo["base"] / "board"
    done = run_report(
        demo,
        "--role",
        "board",
        "--out",
        str(out),
        "--commentary",
        str(demo["base"] / "no-such-commentary.yaml"),
    )
    assert done.returncode == 0, done.stderr
    pdf = out / f"{STEM}.pdf"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob("board-page-*.png"):
        old.unlink()
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "3",
            str(pdf),
            str(ARTEFACTS / "board-page"),
        ],
        check=True,
    )
    return {"pdf": pdf, "html": out / f"{STEM}.html"}


def _exception_titles(text: str) -> set[str]:
    titles = {ind.short_title: i for i, ind in registry().items()}
    return {titles[t] for t in titles if f"Exception: {t}" in text}


@pytest.mark.parametrize("role", ["analyst", "board"])
def test_each_expected_exception_with_its_reason_and_no_other(role, request):
    report = request.getfixturevalue(role)
    expected = EXPECTED_ANALYST if role == "analyst" else EXPECTED_BOARD
    text = flat(pdf_text(report["pdf"]))
    assert _exception_titles(text) == set(expected)
    for indicator_id, patterns in expected.items():
        for pattern in patterns:
            assert re.search(pattern, text), f"{indicator_id}: no {pattern!r} in the PDF"
    assert f"Role: {role}" in text
    assert "Synthetic demo data" in text
    assert "Leicester (LA 856)" in text


def test_pdf_pages_contents_and_charts(board):
    pdf = board["pdf"]
    pages = page_count(pdf)
    contents = pdf_text(pdf, page=2, layout=True)
    entries = re.findall(r"^\s*\d+\.\s+(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M)
    assert len(entries) == 1 + len(EXPECTED_BOARD) + 3  # summary, exceptions, CDOP, quality, method
    starts = [int(p) for _, p in entries]
    assert starts == sorted(starts) and starts[0] == 3
    for title, start in entries:  # each section starts on the page the contents list gives
        assert flat(title) in flat(pdf_text(pdf, page=start)), (title, start)
    assert "End of report." in pdf_text(pdf, page=pages)  # nothing after the last section
    assert pages == starts[-1]  # the method notes share the data-quality page and end the report
    # every chart is embedded: a trend chart per exception plus a breakdown chart where one explains it
    html = board["html"].read_text()
    uris = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert len(uris) >= len(EXPECTED_BOARD) and all(len(u) > 1000 for u in uris)
    listing = subprocess.run(
        [_tool("pdfimages"), "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert sum(line.split()[2] == "image" for line in listing) == len(uris)
    renders = sorted(ARTEFACTS.glob("board-page-*.png"))
    assert len(renders) == 3 and all(p.stat().st_size > 2000 for p in renders)


def test_html_is_self_contained(board):
    html = board["html"].read_text()
    assert not re.search(r"""(src|href)=["']https?:""", html)
    assert "<script" not in html  # static images, so no plotly.js at all
    assert html.count("Exception: Repeat plans (NI65)") >= 2  # contents and the section


SMALL = re.compile(r"^[1-5]$")


def _table_cells(text: str) -> list[str]:
    """Cells of table-like lines (columns separated by two or more spaces) in `pdftotext -layout` text."""
    cells = []
    for line in text.splitlines():
        if "Page " in line and " of " in line:
            continue
        parts = [p.strip() for p in re.split(r"\s{2,}", line.strip()) if p.strip()]
        if len(parts) >= 2:
            cells += parts
    return cells


def test_board_pdf_withholds_counts_of_one_to_five(board, analyst):
    board_text = pdf_text(board["pdf"], layout=True)
    analyst_text = pdf_text(analyst["pdf"], layout=True)
    assert any(SMALL.match(c) for c in _table_cells(analyst_text))  # the check can see small counts
    assert not [c for c in _table_cells(board_text) if SMALL.match(c)]
    assert re.search(r"\s c\s", board_text)  # withheld cells are shown as c


def test_commentary_is_merged_and_missing_commentary_is_said(analyst, board):
    text = flat(pdf_text(analyst["pdf"]))
    assert "The rise follows the practice change; a deep dive is under way." in text
    assert "Audit 20 repeat plans by the end of May." in text
    assert "Owner: Head of Service, Child Protection" in text
    assert "Numbers on a plan are rising with demand." in text  # a non-exception, under other commentary
    assert text.count("No commentary provided") == len(EXPECTED_ANALYST) - 1
    assert flat(pdf_text(board["pdf"])).count("No commentary provided") == len(EXPECTED_BOARD)


def test_draft_commentary_lists_the_exceptions_and_never_overwrites(demo):
    path = demo["base"] / "draft" / "856.yaml"
    done = run_report(demo, "--role", "analyst", "--draft-commentary", "--commentary", str(path))
    assert done.returncode == 0, done.stderr
    draft = yaml.safe_load(path.read_text())
    assert set(draft["indicators"]) == set(EXPECTED_ANALYST)
    assert "against a target of 10–15%" in draft["indicators"]["cpp_repeat_pct"]["exception"]
    assert draft["indicators"]["cpp_repeat_pct"]["commentary"] == ""
    path.write_text(path.read_text() + "# edited by the owner\n")
    again = run_report(demo, "--role", "analyst", "--draft-commentary", "--commentary", str(path))
    assert again.returncode == 1 and "not overwritten" in again.stderr
    assert path.read_text().endswith("# edited by the owner\n")


def test_bad_quarter_is_a_clear_error(demo):
    bad = subprocess.run(
        [
            *SAFEGUARDING,
            "report",
            "--quarter",
            "2022-23",
            "--warehouse",
            str(demo["warehouse"]),
            "--out",
            str(demo["base"] / "bad"),
        ],
        env=demo["env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "error:" in bad.stderr
