"""The demo's exception report has the assurance sections (reports/assurance.py): overdue actions
longest overdue first with their owners, the weakest s.11 standards, and the audit question most
graded below good in the latest domestic abuse round (pipelines/demo/assurance.py). Read from the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.demo_warehouse import ROOT, SAFEGUARDING, build_demo_warehouse

QUARTER = "2026-27-Q2"


@pytest.fixture(scope="module")
def section(tmp_path_factory) -> str:
    base = tmp_path_factory.mktemp("assurance-report")
    warehouse, env = build_demo_warehouse(base)
    out = base / "report"
    done = subprocess.run(
        [*SAFEGUARDING, "report", "--quarter", QUARTER, "--la", "856", "--role", "board"]
        + ["--warehouse", str(warehouse), "--out", str(out)],
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
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    start = flat.index("Assurance: are we doing what we said we would?", flat.index("Contents") + 10)
    return flat[start : flat.index("Data quality", start)]


def _between(text: str, first: str, last: str) -> str:
    return text[text.index(first) : text.index(last)]


def test_overdue_actions_are_listed_longest_overdue_first_with_owners(section):
    overdue = _between(section, "Overdue actions", "Section 11 standards rated below good")
    # Past due and not complete whatever day the test runs: due 30 Sep 2025, 31 Dec 2025, 31 Jan 2026.
    positions = [overdue.index(a) for a in ("LCSPR1-1:", "LCSPR1-2:", "RR-24-2:")]
    assert positions == sorted(positions)
    first_row = overdue[positions[0] : positions[1]]
    assert "Children's social care (council)" in first_row and "Director of Children's Services" in first_row
    assert "Designated Nurse for Safeguarding Children" in overdue  # RR-24-2 is health's
    for done in ("LCSPR1-3:", "LCSPR1-4:", "RR-24-1:"):  # complete: never overdue
        assert done not in overdue


def test_weakest_s11_standards_are_ranked_worst_first(section):
    s11 = _between(section, "Section 11 standards rated below good", "Audit questions where most grades")
    assert re.search(r"1 Effective information sharing between agencies Probation Service .* Inadequate", s11)
    assert s11.count("Requires improvement") == 4  # the four planted requires-improvement ratings
    assert s11.index("Inadequate") < s11.index("Requires improvement")


def test_weak_audit_question_is_named(section):
    audit = section[section.index("Audit questions where most grades") :]
    assert re.search(
        r"1 da_2026_06 \(Domestic abuse\) Did the plan make the child safer\? \d+% \(\d+ of 40", audit
    )
