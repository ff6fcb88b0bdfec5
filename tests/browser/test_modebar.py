"""No chart offers a button that sends its data off the machine: every interactive chart's modebar
holds only the local tools (download PNG, zoom, pan, reset axes), on every page."""

from __future__ import annotations

import pytest

import indicators
from tests.browser.test_pages import _settled

# The titles plotly.js gives its local tools (toImage, zoom2d, pan2d, resetScale2d).
LOCAL_TOOLS = {"Download plot as a PNG", "Zoom", "Pan", "Reset axes"}
PAGES = ["/", "/data-quality", "/about", "/cdop"] + [f"/indicator/{i}" for i in indicators.registry()]
# A breakdown by area draws the bar chart, the funnel plot and the map as well.
PAGES.append("/indicator/cpp_starts?freq=year&by=area")


def _modebars(page) -> list[list[str]]:
    """The button titles of each chart's modebar (every drawn plot, whether or not hovered)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot =>
            Array.from(plot.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title')))"""
    )


@pytest.mark.parametrize("path", PAGES)
def test_every_modebar_holds_only_local_tools(page, demo_server, console_errors, path):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(demo_server + path)
    _settled(page)
    bars = [bar for bar in _modebars(page) if bar]  # the scorecard's sparklines are static: no bar
    if path.startswith(("/indicator/", "/cdop")):
        assert bars, f"{path}: no chart with a modebar was drawn, so nothing was checked"
    for bar in bars:
        assert set(bar) <= LOCAL_TOOLS, f"{path}: modebar offers {sorted(set(bar) - LOCAL_TOOLS)}"
        assert "Download plot as a PNG" in bar
    # Nothing on the page points at Plotly's cloud either.
    assert "cloud.plotly.com" not in page.content()
    assert console_errors == []
