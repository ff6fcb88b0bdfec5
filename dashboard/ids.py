"""Every Dash component id in one place, so layouts and callbacks cannot drift apart."""

URL = "url"
PAGE = "page-content"
DEMO_BANNER = "demo-banner"
OVERVIEW_FREQ = "overview-frequency"
OVERVIEW_TREND = "overview-trend"
OVERVIEW_TABLE = "overview-table"
OVERVIEW_SUMMARY = "overview-summary"
