"""About page: what the tool is, every indicator's definition (from the registry), accessibility."""

from __future__ import annotations

from dash import dcc, html

import indicators
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
            html.H2("Definitions", className="h4 mt-4"),
            html.Dl(definitions, id="definitions"),
            html.H2("Accessibility statement", className="h4 mt-4", id="accessibility"),
            html.P("We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA."),
            html.Ul(
                [
                    html.Li("Every chart has a data table or a sentence giving the same information."),
                    html.Li(
                        "All controls are standard form controls that work with a keyboard alone; a "
                        "'skip to main content' link comes first."
                    ),
                    html.Li(
                        "Chart colours come from the Okabe-Ito palette, which stays distinct for the "
                        "common kinds of colour blindness; status is always written in words too."
                    ),
                    html.Li("Every page is checked automatically with axe-core in a real browser."),
                ]
            ),
            html.P(
                "Known limits: the interactive charts' own toolbars are not fully described to "
                "screen readers; use the data tables instead. Report a problem to your "
                "partnership's business unit."
            ),
        ]
    )
