"""Disclosure on the assurance pages and report section, as the board sees them: every table on the four
assurance pages (every audit round, every action filter) and the exception report (HTML and PDF) is
checked by the disclosure walk's own rule (no count of 1 to 5), and the audit tables do withhold. The one
table left out counts the business plan's actions by owner and status: actions are not children."""

from __future__ import annotations

import pytest

from dashboard.pages import assurance as pages
from tests.demo_warehouse import build_demo_warehouse
from tests.integration.test_disclosure_walk import Walk, check_table, dash_tables, start_report, walk_report

QUARTER = "2026-27-Q2"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("assurance-disclosure")
    warehouse, env = build_demo_warehouse(base)
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))  # the pages read the default warehouse
    mp.setenv("SAFEGUARDING_KEY_FILE", env["SAFEGUARDING_KEY_FILE"])
    yield {"base": base, "env": env, "warehouse": warehouse}
    mp.undo()


def _layouts(role: str) -> dict:
    from indicators.assurance import audit_rounds
    from vocabulary.partners import declaration

    out = {pages.PATH: pages.layout(role, ""), pages.S11_PATH: pages.s11_layout(role, "")}
    out |= {
        f"{pages.AUDITS_PATH}?round={r}": pages.audits_layout(role, f"?round={r}")
        for r in audit_rounds()["round_id"]
    }
    out |= {pages.ACTIONS_PATH: pages.actions_layout(role, "")}
    out |= {
        f"{pages.ACTIONS_PATH}?agency={a.id}": pages.actions_layout(role, f"?agency={a.id}")
        for a in declaration().agencies
    }
    return out


def test_board_sees_no_count_of_1_to_5_on_assurance_pages_or_report(demo):
    report, report_dir = start_report(demo, QUARTER)
    try:
        walk = Walk()
        tables = 0
        for where, layout in _layouts("board").items():
            for headers, rows in dash_tables(layout):
                tables += 1
                if where.startswith(pages.ACTIONS_PATH) and headers[0] == "Agency":
                    continue  # actions by owner and status: counts of the plan's actions, not of children
                check_table(walk, where, headers, rows, None)
        walk_report(walk, report, report_dir, QUARTER)
    finally:
        if report.poll() is None:
            report.kill()
    assert not walk.problems, "\n".join(walk.problems[:40])
    # Not vacuous: all the tables were read, the audit tables withheld cells, the report had the section.
    assert tables == 1 + 2 + 2 * 4 + 6 * 2  # overview; s.11 matrix and list; 4 per round; 2 per actions view
    assert walk.counted["withheld cells"] > 10
    assert 'id="assurance-overdue"' in (report_dir / f"exception-report-856-{QUARTER}.html").read_text()


def test_analyst_sees_every_audit_count(demo):
    withheld = [
        c
        for where, layout in _layouts("analyst").items()
        if where.startswith(pages.AUDITS_PATH)
        for _, rows in dash_tables(layout)
        for row in rows
        for c in row
        if c == "c"
    ]
    assert withheld == []
