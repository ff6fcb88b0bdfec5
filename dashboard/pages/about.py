"""About page: what the tool is, every indicator's definition (from the registry), accessibility."""

from __future__ import annotations

from dash import dcc, html

import indicators
from dashboard.accessibility import statement
from dashboard.help_panel import help_panel
from dashboard.views import POLARITY_WORDS


def layout(role: str = "board", search: str | None = None) -> html.Div:
    definitions = []
    for ind in indicators.registry().values():
        definitions += [
            html.Dt(dcc.Link(ind.title, href=f"/indicator/{ind.id}")),
            html.Dd(
                [
                    html.P(ind.definition, className="mb-1"),
                    html.P(
                        f"Source: {ind.dfe_source}. {POLARITY_WORDS[ind.polarity]}",
                        className="text-muted small",
                    ),
                ]
            ),
        ]
    return html.Div(
        [
            html.H1("About and definitions", className="h2"),
            html.P(
                "This dashboard shows how well agencies protect children, for the safeguarding "
                "partnership's effectiveness group. Indicators follow the Department for "
                "Education's definitions in 'Characteristics of children in need'.",
                className="lead",
            ),
            html.H2("How to read it", className="h4 mt-4"),
            html.Ul(
                [
                    html.Li(
                        "Each indicator has a trend against its target, breakdowns and a data table "
                        "under every chart."
                    ),
                    html.Li(
                        "RAG: green on target, amber close to target, red off target. A measure "
                        "marked 'context' has no better or worse direction."
                    ),
                    html.Li(
                        "Small numbers: counts from 1 to 5, and any rate or percentage built on them, "
                        "show as c. Where one value in a breakdown is withheld, the next smallest is "
                        "withheld too, so totals cannot reveal it."
                    ),
                    html.Li(
                        "A period is shown only when the loaded data covers all of it; otherwise it "
                        "says so rather than showing a misleading zero."
                    ),
                ]
            ),
            help_panel("about-help"),
            html.H2("Definitions", className="h4 mt-4"),
            html.Dl(definitions, id="definitions"),
            *statement(),
        ]
    )
