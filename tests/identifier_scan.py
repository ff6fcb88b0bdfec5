"""Find identifier-like tokens (snake_case names, file-type names) in text the board sees."""

from __future__ import annotations

import re

SNAKE = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/-])")
FILE_TYPE = re.compile(
    r"(?<![\w-])(?:[\w-]+\.)?(?:csv|parquet|json|geojson|yaml|yml|duckdb|sql|py|xlsx|xlsm|xml)(?![\w-])"
)
# Plain words that look like identifiers but are what the board should read. Each entry says why.
ALLOWED = {
    "NumberOfPreviousCPP",  # not snake_case, listed for the reader: the census field's own name
}
# Cells of these tidy-CSV columns hold stable keys for analysis (as EES's `new_la_code`): the indicator
# downloads' indicator_id, the agency matrix's agency_id and measure_id, each beside its name in words.
# The headers themselves are the EES-style machine column names (dashboard.downloads.COLUMNS,
# dashboard.agency_views.MATRIX_COLUMNS).
KEY_COLUMNS = {"indicator_id", "agency_id", "measure_id"}


def identifier_tokens(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """Every snake_case or file-type token in `text` that is not allowed, in order of appearance."""
    found = [m.group(0) for m in SNAKE.finditer(text)] + [m.group(0) for m in FILE_TYPE.finditer(text)]
    return [t for t in dict.fromkeys(found) if t not in ALLOWED | set(allowed)]


def component_text(node) -> str:
    """The text a Dash component tree shows: children, labels, options, table cells, figure titles,
    trace names and axis titles (what a screen or a screen reader gives the reader)."""
    out: list[str] = []

    def walk(n) -> None:
        if n is None or isinstance(n, bool | int | float):
            return
        if isinstance(n, str):
            out.append(n)
            return
        if isinstance(n, list | tuple):
            for c in n:
                walk(c)
            return
        if isinstance(n, dict):
            for key in ("label", "text", "name", "title"):
                if key in n:
                    walk(n[key])
            return
        props = n.to_plotly_json().get("props", {}) if hasattr(n, "to_plotly_json") else {}
        for key in ("children", "label", "placeholder", "title", "aria-label", "options"):
            walk(props.get(key))
        figure = props.get("figure")
        if figure is not None:
            fig = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure
            layout = fig.get("layout", {})
            walk(layout.get("title"))
            for axis in ("xaxis", "yaxis"):
                walk((layout.get(axis) or {}).get("title"))
            for a in layout.get("annotations") or []:
                walk(a.get("text"))
            for t in fig.get("data", []):
                walk(t.get("name"))
                walk(t.get("text") if isinstance(t.get("text"), list | str) else None)

    walk(node)
    return "\n".join(out)
