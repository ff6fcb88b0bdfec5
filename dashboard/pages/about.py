"""About page: what the tool is, every indicator's definition (from the registry), accessibility."""

from __future__ import annotations

from dash import dcc, html

import indicators
from dashboard.accessibility import statement
from dashboard.help_panel import help_panel
from indicators.registry import partner_registry
from viewmodels.cells import POLARITY_WORDS
from vocabulary.partners import OBA_QUESTIONS, declaration


def _entry(ind, extra: str = "") -> list:
    return [
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


def partner_definitions() -> list:
    """Every partner measure's definition, agency by agency, from the partner measures file."""
    decl = declaration()
    out = []
    for a in decl.agencies:
        items = []
        for m in decl.measures_of(a.id):
            theme, oba = decl.themes[m.theme], OBA_QUESTIONS[m.oba]
            words = f" Theme: {theme}. OBA question: {oba} Returned {m.frequency}."
            items += _entry(partner_registry()[m.id], words)
        out += [html.H3(a.name, className="h5 mt-3"), html.Dl(items)]
    return out


def layout(role: str = "board", search: str | None = None) -> html.Div:
    definitions = []
    for ind in indicators.registry().values():
        definitions += _entry(ind)
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
            html.H2("Partner agency measures", className="h4 mt-4"),
            html.P(
                [
                    "Each partner agency returns these figures every quarter. The partnership chooses "
                    "them in its partner measures file (docs/partner-measures.md); see ",
                    dcc.Link("Partner agencies", href="/agencies"),
                    " for the matrix and each agency's scorecard.",
                ]
            ),
            html.Div(partner_definitions(), id="partner-definitions"),
            *statement(),
        ]
    )
