"""The exception report for the demo's latest quarter (2026-27-Q2) opens with the ranked agency gaps,
and its ranked summary lists the three planted partner signals (pipelines/demo/partners.py): the police
24-hour notifications falling for five quarters, the health reports at ICPC stepping up after the named
practice change, and probation's second late return. Read from the PDF with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.demo_warehouse import ROOT, SAFEGUARDING, build_demo_warehouse

QUARTER = "2026-27-Q2"


@pytest.fixture(scope="module")
def report_text(tmp_path_factory) -> tuple[str, str]:
    base = tmp_path_factory.mktemp("agency-report")
    warehouse, env = build_demo_warehouse(base)
    out = base / "report"
    done = subprocess.run(
        [
            *SAFEGUARDING,
            "report",
            "--quarter",
            QUARTER,
            "--la",
            "856",
            "--role",
            "board",
            "--warehouse",
            str(warehouse),
            "--out",
            str(out),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext not found: install poppler-utils")
    pdf = out / f"exception-report-856-{QUARTER}.pdf"
    # Reading order (no -layout): each table cell's text stays together.
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text, (out / f"exception-report-856-{QUARTER}.html").read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_ranked_summary_opens_the_report_and_lists_the_three_planted_signals(report_text):
    text, _ = report_text
    pages = text.split("\f")
    # Page 1 is the cover; page 2 is the one-page agency summary, before the contents.
    assert "Agency gaps in assurance: summary" in pages[1] and "Contents" not in pages[1]
    summary = _flat(pages[1])
    police = summary.index("DA notifications shared in 24 hours")
    health = summary.index("Health reports at ICPC")
    probation = summary.index("Probation Service quarterly return")
    assert police < health and police < probation  # the police fall ranks first
    assert re.search(
        r"1 Police DA notifications shared in 24 hours off target; special cause \(concerning\); "
        r"failing for 5 quarters in a row \d+\.\d% 95% or higher \(amber within 3\) 56\.25",
        summary,
    ), summary
    assert re.search(r"Health reports at ICPC off target; special cause \(improving\)", summary), summary
    assert re.search(
        r"Probation Service quarterly return late return received 14 Nov 2026, "
        r"15 days after the due date 30 Oct 2026",
        summary,
    ), summary


def test_agency_section_carries_commentary_and_the_named_practice_change(report_text):
    text, html = report_text
    flat = _flat(text)
    assert "Partner agencies" in flat and "How agency gaps are ranked" in flat
    assert "named nurse covers conferences" in flat  # health's commentary on its gap
    assert "new crime recording system" in flat  # police's commentary on its gap
    assert "2025-26-Q3 late" in _flat(html) and "2026-27-Q2 late" in _flat(html)  # late twice
