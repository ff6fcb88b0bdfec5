"""Page heights at 1366x900 in headless Chromium: `python bench/page_heights.py http://127.0.0.1:8050`.

Prints per page: the document's scroll height in CSS pixels once Dash has drawn it (folded tables
closed), whether the page scrolls sideways, its h1 (so a page the server does not have shows as "Page
not found"), and, with every "Show the data table" opened, how many key cells wrap onto a second line
and which tables are wider than their container. The pages are taken from the registries
(`default_pages`), so every id is a real one; pass paths after the address to measure others. For the
issue's before/after numbers, run it against a server of each version (docs/user-guide.md).

TABLE_FIT and KEY_COLUMNS are shared with the browser tests (tests/browser/test_pages.py)."""

from __future__ import annotations

import json
import sys

CHROMIUM = "/usr/bin/chromium"
SETTLED = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
# The cells of a row that must stay on one line, by table id: the period table's period, period end
# and value; a breakdown's group and value; the first column (the row's label) of any other table.
KEY_COLUMNS = {"indicator-trend-table": [0, 1, 2], "indicator-breakdown-table": [0, 1]}
# Every table drawn on the page (a table in a closed <details> is not drawn): its width against the
# width of its container (the scrolling .table-responsive box), and the text of each key cell whose
# text takes more than one line (line boxes more than half a line-height apart).
TABLE_FIT = """(keyColumns) => {
  const lines = cell => {
    const tops = [];
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const r = document.createRange(); r.selectNodeContents(n);
      for (const box of r.getClientRects()) if (box.width > 0) tops.push(box.top);
    }
    const style = getComputedStyle(cell);
    const lineHeight = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    tops.sort((a, b) => a - b);
    return tops.filter((t, i) => i === 0 || t - tops[i - 1] > lineHeight / 2).length;
  };
  return [...document.querySelectorAll('table')].filter(t => t.getClientRects().length).map(t => {
    const box = t.closest('.table-responsive') || t.parentElement;
    const caption = t.querySelector('caption');
    const wrapped = [];
    for (const tr of t.querySelectorAll('tbody tr'))
      for (const i of keyColumns[t.id] || [0]) {
        const cell = tr.children[i];
        if (cell && lines(cell) > 1) wrapped.push(cell.innerText);
      }
    return {table: t.id || (caption ? caption.innerText : t.className), width: t.scrollWidth,
            room: box.clientWidth, wrapped};
  });
}"""


def default_pages() -> list[str]:
    """The scorecard, data quality, about and agencies pages; the first indicator of each theme (its
    default, quarterly view); the first indicator by area, quarterly (the issue's long page); the first
    indicator with a target and an ethnic-group breakdown, yearly; the first partner measure; and the
    first agency's page. Ids come from the registries, the targets file and the partnership's file."""
    import indicators
    from indicators.registry import partner_registry
    from indicators.targets import load_targets
    from vocabulary.partners import declaration

    la = list(indicators.registry().values())
    first_of_theme: dict[str, str] = {}
    for ind in la:
        first_of_theme.setdefault(ind.theme, ind.id)
    by_area = next(i.id for i in la if "area" in i.breakdowns)
    targeted = {t.indicator_id for t in load_targets().targets}
    by_ethnic = next(i.id for i in la if i.id in targeted and "ethnic_group" in i.breakdowns)
    return [
        "/",
        "/data-quality",
        "/about",
        "/agencies",
        *(f"/indicator/{i}" for i in first_of_theme.values()),
        f"/indicator/{by_area}?freq=quarter&by=area",
        f"/indicator/{by_ethnic}?freq=year&by=ethnic_group",
        f"/indicator/{next(iter(partner_registry()))}",
        f"/agency/{declaration().agencies[0].id}",
    ]


def measure(base: str, pages: list[str] | None = None) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for path in pages or default_pages():
            page.goto(base + path)
            page.wait_for_selector("#main h1", timeout=180_000)
            page.wait_for_function(SETTLED, timeout=180_000)
            page.wait_for_load_state("networkidle")
            height, sideways, h1 = page.evaluate(
                """() => [document.documentElement.scrollHeight,
                          document.documentElement.scrollWidth > window.innerWidth,
                          document.querySelector('#main h1').innerText]"""
            )
            page.evaluate(OPEN_DETAILS)
            tables = page.evaluate(TABLE_FIT, KEY_COLUMNS)
            out[path] = {
                "h1": h1,
                "height": height,
                "sideways": sideways,
                "wrapped_key_cells": sum(len(t["wrapped"]) for t in tables),
                "too_wide_tables": [t["table"] for t in tables if t["width"] > t["room"]],
                "rows": page.evaluate("() => document.querySelectorAll('tbody tr').length"),
            }
        browser.close()
    return out


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2:] or None), indent=1))
