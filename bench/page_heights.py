"""Page heights at 1366x900 in headless Chromium: `python bench/page_heights.py http://127.0.0.1:8050`.

Prints one line per page: the document's scroll height in CSS pixels once Dash has drawn it, and
whether any table on the page is wider than its box (columns squeezed to wrap) or the page scrolls
sideways. Used for the issue's before/after numbers (run against a server of each version)."""

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
MEASURE = """() => ({
  height: document.documentElement.scrollHeight,
  sideways: document.documentElement.scrollWidth > window.innerWidth,
  wrapped_rows: [...document.querySelectorAll('tbody tr')].filter(tr => {
    const first = tr.querySelector('th, td');
    return first && first.getClientRects().length && first.getClientRects()[0].height > 40;
  }).length,
})"""


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
