"""Pure DataFrame -> plotly figure builders and the colour palette, shared by the dashboard, the report and
the notebooks; imports only `indicators` (never the UI)."""
