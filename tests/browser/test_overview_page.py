"""Browser tests: the overview page shows real numbers from the demo warehouse."""

from __future__ import annotations

import re

from playwright.sync_api import expect

SUMMARY = re.compile(r"^([\d,]+) children were on a child protection plan at the end of (\S+)")


def test_overview_shows_children_on_a_plan(page, demo_server, console_errors):
    page.goto(demo_server + "/")
    summary = page.locator("#overview-summary")
    expect(summary).to_have_text(SUMMARY, timeout=20_000)
    count = int(SUMMARY.match(summary.inner_text()).group(1).replace(",", ""))
    # The demo LA is built to have roughly 300-450 children on a plan at any time.
    assert 150 < count < 700
    expect(page.locator(".js-plotly-plot .scatterlayer .trace")).to_have_count(1)
    rows = page.locator("#overview-table tbody tr")
    assert rows.count() >= 36  # 10 years of quarterly periods, less any not fully covered
    last_row = rows.nth(rows.count() - 1).locator("td").last.inner_text()
    assert int(last_row.replace(",", "")) == count  # the table is the chart's data
    expect(page.get_by_role("status")).to_contain_text("Demo mode")
    assert console_errors == []


def test_frequency_changes_by_keyboard(page, demo_server, console_errors):
    page.goto(demo_server + "/")
    expect(page.locator("#overview-summary")).to_have_text(SUMMARY, timeout=20_000)
    quarterly = page.get_by_label("Quarterly")
    quarterly.focus()
    page.keyboard.press("ArrowRight")  # radio groups move with the arrow keys
    expect(page.locator("#overview-summary")).to_have_text(
        re.compile(r"at the end of \d{4}-\d{2} \("), timeout=10_000)
    assert page.locator("#overview-table tbody tr").count() == 10  # ten census years
    assert console_errors == []


def test_unknown_page_says_not_found(page, demo_server, console_errors):
    page.goto(demo_server + "/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible(timeout=20_000)
    assert console_errors == []
