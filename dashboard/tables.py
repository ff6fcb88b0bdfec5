"""Accessible HTML data tables that sit under every chart (the chart's text equivalent)."""

from __future__ import annotations

from dash import html


def data_table(caption: str, headers: list[str], rows: list[list[str]], table_id: str | None = None):
    """A captioned table with column headers marked up as such (WCAG 1.3.1)."""
    props = {"id": table_id} if table_id else {}
    return html.Div(
        html.Table(
            [
                html.Caption(caption, className="caption-top"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                html.Tbody(
                    [html.Tr([html.Th(r[0], scope="row")] + [html.Td(c) for c in r[1:]]) for r in rows]
                ),
            ],
            className="table table-sm table-striped align-middle",
            **props,
        ),
        className="table-responsive",
        tabIndex=0,
        role="region",
        **{"aria-label": caption},
    )
