"""Page heights at 1366x900 in headless Chromium: `python bench/page_heights.py http://127.0.0.1:8050`.

Prints per page: the document's scroll height in CSS pixels once Dash has drawn it (folded tables
closed), whether the page scrolls sideways, and how many table rows have a key cell (first two cells)
on two or more lines with every table unfolded. For the issue's before/after numbers (run against a
server of each version)."""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PAGES = [
    "/",
    "/data-quality",
    "/about",
    "/indicator/cpp_at_end?freq=quarter",
    "/indicator/cpp_at_end?freq=quarter&by=area",
    "/indicator/cpp_repeat_pct?freq=quarter&by=ethnic_group",
    "/indicator/cin_rate?freq=year",
]
SETTLED = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
# Height as the page opens (folded tables closed); then every "Show the data table" is opened and
# the key cells (the row's first two cells: period and period end, or the row label) that wrap onto
# a second line are counted.
MEASURE = """() => {
  const height = document.documentElement.scrollHeight;
  const sideways = document.documentElement.scrollWidth > window.innerWidth;
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const wrapped = [...document.querySelectorAll('tbody tr')].filter(tr =>
    [...tr.querySelectorAll('th, td')].slice(0, 2).some(c => {
      const r = document.createRange(); r.selectNodeContents(c);
      return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1;  // 2+ lines
    })).length;
  return {height, sideways, wrapped_key_rows: wrapped,
          rows: document.querySelectorAll('tbody tr').length};
}"""


def measure(base: str, pages: list[str] = PAGES) -> dict[str, dict]:
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for path in pages:
            page.goto(base + path)
            page.wait_for_selector("#main h1", timeout=180_000)
            page.wait_for_function(SETTLED, timeout=180_000)
            page.wait_for_load_state("networkidle")
            out[path] = page.evaluate(MEASURE)
        browser.close()
    return out


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2:] or PAGES), indent=1))
