"""Browser tests: every chart, control and download works under a CSP with no inline script or eval.

The policy allows scripts from this origin and Dash's own inline bootstrap by its hash, nothing else."""

from __future__ import annotations

import urllib.request

from tests.browser.test_pages import _settled

# Pages that between them draw every kind of figure: sparklines, trend with SPC and target, published
# benchmarks, breakdown bars, funnel plot and map (area), disproportionality (ethnicity), CDOP error
# bars and stacked bars.
PAGES = [
    "/",
    "/indicator/cpp_repeat_pct?freq=quarter&by=area",
    "/indicator/cpp_rate_per_10k?freq=year&by=area",  # the area map
    "/indicator/cpp_at_end?freq=year&by=ethnicity",
    "/indicator/cdop_deaths?freq=year",
    "/cdop",
    "/data-quality",
    "/about",
]
# Records every CSP violation (the event fires for report-only and enforced policies alike).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample}));
"""


def test_script_policy_has_no_unsafe_keywords(demo_server):
    with urllib.request.urlopen(demo_server + "/") as response:
        policy = response.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src ")).split()[1:]
    assert script_src[0] == "'self'"
    assert all(s.startswith("'sha256-") for s in script_src[1:]) and len(script_src) >= 2
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_every_chart_control_and_download_runs_under_the_policy(page, demo_server, console_errors):
    page.add_init_script(LISTEN)
    violations = []
    for path in PAGES:
        page.goto(demo_server + path)
        _settled(page)
        assert "Something went wrong" not in page.inner_text("body"), path
        graphs = page.locator(".js-plotly-plot")
        for i in range(min(graphs.count(), 6)):  # hover labels run Plotly's templating
            graphs.nth(i).scroll_into_view_if_needed()
            box = graphs.nth(i).bounding_box()
            if box:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        violations += [dict(v, page=path) for v in page.evaluate("window.__csp")]
    # A callback round trip (a control changes the chart) and a download, under the same policy.
    page.goto(demo_server + "/indicator/cpp_starts?freq=quarter&by=sex")
    _settled(page)
    page.get_by_label("Break down by").select_option("age_band")
    _settled(page)
    assert "Age band" in page.inner_text("#main")
    with page.expect_download() as download:
        page.locator("button", has_text="Download CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    violations += [dict(v, page="controls") for v in page.evaluate("window.__csp")]
    # The area map is drawn on plain axes, so nothing is fetched from outside (no cdn.plot.ly).
    assert violations == []
    assert console_errors == []
    assert page.context.pages[0].url.startswith(demo_server)
