"""Assurance pages in real Chromium: the board overview, the s.11 matrix, the case-file audits and the
action tracker show the demo's assurance returns (pipelines/demo/assurance.py) as computed by hand from
the raw CSVs, with no console errors and no serious or critical axe findings; an action linked to
cpp_repeat_pct is marked on that indicator's trend."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_pages import _settled

DONE = {"complete", "complete_with_impact"}


def _rows(raw, name: str) -> list[dict]:
    with open(raw / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _overdue(raw) -> list[dict]:
    today = date.today().isoformat()
    late = [
        r for r in _rows(raw, "assurance_actions.csv") if r["due_date"] < today and r["status"] not in DONE
    ]
    return sorted(late, key=lambda r: r["due_date"])


def _clean(page, console_errors) -> None:
    assert console_errors == []
    assert axe_violations(page) == []


def test_assurance_overview(page, demo_server, demo_warehouse, console_errors):
    raw = demo_warehouse.parent / "raw"
    late = [r["action_id"] for r in _overdue(raw) if r["owner"] == "probation"]
    weak = [
        r
        for r in _rows(raw, "assurance_s11.csv")
        if r["agency"] == "probation"
        and r["cycle"] == "2026-27"
        and r["agreed_rating"] in ("requires_improvement", "inadequate")
    ]
    page.goto(demo_server + "/assurance")
    _settled(page)
    row = page.locator("#assurance-overview tbody tr").filter(has_text="Probation Service")
    cells = row.locator("td")
    assert cells.nth(1).inner_text().startswith(f"{10 - len(weak)} of 10 good or better; below good:")
    assert "Effective information sharing between agencies (inadequate)" in cells.nth(1).inner_text()
    assert cells.nth(3).inner_text() == f"{len(late)} ({', '.join(late)})"
    assert "green" in cells.nth(0).inner_text()
    _clean(page, console_errors)


def test_s11_matrix_and_below_good(page, demo_server, demo_warehouse, console_errors):
    raw = demo_warehouse.parent / "raw"
    rated = {
        (r["cycle"], r["agency"], r["standard_id"]): r["agreed_rating"]
        for r in _rows(raw, "assurance_s11.csv")
    }
    now = rated[("2026-27", "probation", "s11_information_sharing")].replace("_", " ").capitalize()
    was = rated[("2025-26", "probation", "s11_information_sharing")].replace("_", " ")
    page.goto(demo_server + "/assurance/section11")
    _settled(page)
    matrix = page.locator("#s11-matrix")
    assert matrix.locator("tbody tr").count() == 10
    row = matrix.locator("tbody tr").filter(has_text="Effective information sharing between agencies")
    assert row.locator("td").last.inner_text() == f"{now} (down from {was})"
    below = sum(
        1 for (c, _, _), g in rated.items() if c == "2026-27" and g in ("requires_improvement", "inadequate")
    )
    weak = page.locator("#s11-below-good tbody tr")
    assert weak.count() == below
    expect(weak.first).to_contain_text("Probation Service")
    expect(weak.first).to_contain_text("Inadequate")
    _clean(page, console_errors)


def test_audit_distribution_comparison_and_learning(page, demo_server, demo_warehouse, console_errors):
    raw = demo_warehouse.parent / "raw"
    grades = [r for r in _rows(raw, "assurance_audit.csv") if r["round_id"] == "da_2026_06"]
    health = Counter(r["grade"] for r in grades if r["agency"] == "health")
    page.goto(demo_server + "/assurance/audits")
    _settled(page)
    row = page.locator("#audit-by-agency tbody tr").filter(has_text="Health (ICB and provider trusts)")
    cells = row.locator("td").all_inner_texts()
    expected = [health[g] for g in ("outstanding", "good", "requires_improvement", "inadequate")]
    assert cells[-1] == str(sum(expected))
    for shown, n in zip(cells[:4], expected, strict=True):
        assert shown in (str(n), "c"), (cells, expected)  # "c": withheld for the board
    assert cells[1] == str(health["good"])  # well above 5: shown in every role
    comparison = page.locator("#audit-comparison")
    expect(comparison.locator("thead")).to_contain_text("da_2025_10 (Oct 2025)")
    safer = [r for r in grades if r["question_id"] == "q_plan_outcome"]
    good = sum(r["grade"] in ("outstanding", "good") for r in safer)
    q = comparison.locator("tbody tr").filter(has_text="Did the plan make the child safer?")
    assert q.locator("td").last.inner_text() == f"{good / len(safer) * 100:.0f}% of {len(safer)}"
    points = [r for r in grades if r["learning_point"]]
    assert page.locator("#audit-learning tbody tr").count() == len(points)
    _clean(page, console_errors)


def test_action_tracker_overdue_first(page, demo_server, demo_warehouse, console_errors):
    late = _overdue(demo_warehouse.parent / "raw")
    page.goto(demo_server + "/assurance/actions")
    _settled(page)
    rows = page.locator("#actions-table tbody tr")
    assert rows.count() == 20
    first = rows.first
    days = (date.today() - date.fromisoformat(late[0]["due_date"])).days
    expect(first.locator("th")).to_have_text(late[0]["action_id"])
    expect(first).to_contain_text(f"Overdue ({days} days)")
    overdue_cells = page.locator("#actions-by-agency tbody td:nth-of-type(1)").all_inner_texts()
    assert sum(int(x) for x in overdue_cells) == len(late)
    expect(first.get_by_role("link", name="Repeat plans (NI65)")).to_have_attribute(
        "href", "/indicator/cpp_repeat_pct"
    )
    _clean(page, console_errors)


def test_linked_action_is_an_annotation_on_the_indicator_trend(page, demo_server, console_errors):
    page.goto(demo_server + "/indicator/cpp_repeat_pct?freq=quarter")
    _settled(page)
    page.wait_for_selector(".js-plotly-plot .annotation-text", timeout=30_000)
    notes = " ".join(
        page.locator(".js-plotly-plot .annotation-text").evaluate_all("e => e.map(n => n.textContent)")
    )
    assert "Action LCSPR1-1 (council" in notes
    assert console_errors == []
