"""The "How to read this page" panel (GOV.UK details pattern), from indicators.guide like the PDF guide."""

from __future__ import annotations

from dash import html

from indicators import guide


def help_panel(panel_id: str = "help-panel") -> html.Details:
    items = []
    for term, words in guide.ITEMS:
        items += [html.Dt(term), html.Dd(words)]
    return html.Details(
        [
            html.Summary(
                html.Span(guide.TITLE, className="govuk-details__summary-text"),
                className="govuk-details__summary",
            ),
            html.Div(
                [
                    html.P(guide.INTRO),
                    html.Dl(items, className="board-help"),
                    html.P(
                        html.A(
                            "Download the one-page guide for board members (PDF, 1 page)",
                            href=guide.PDF_PATH,
                            download="board-guide.pdf",
                        )
                    ),
                ],
                className="govuk-details__text",
            ),
        ],
        id=panel_id,
        className="govuk-details",
    )
