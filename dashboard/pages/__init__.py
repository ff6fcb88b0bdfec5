"""Dashboard pages: each module has a `layout()` and thin callbacks over pure functions."""
