"""Pure view-models shared by the dashboard and the report: indicator values shaped for charts, tables and
downloads, and the view state a URL carries; import `indicators` only (never the UI)."""
