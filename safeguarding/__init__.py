"""The `safeguarding` command: one thin entry point composing pipelines, indicators and dashboard."""
