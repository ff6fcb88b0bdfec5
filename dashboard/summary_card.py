"""GOV.UK Frontend's summary card and summary list as Dash components: a titled card over dt/dd rows."""

from __future__ import annotations

from dash import html


def summary_list(rows: list[tuple[str, object]]) -> html.Dl:
    """GOV.UK summary list: one row (a div holding a dt and its dd) per (key, value)."""
    return html.Dl(
        [
            html.Div(
                [
                    html.Dt(key, className="govuk-summary-list__key"),
                    html.Dd(value, className="govuk-summary-list__value"),
                ],
                className="govuk-summary-list__row",
            )
            for key, value in rows
        ],
        className="govuk-summary-list",
    )


def summary_card(title: str, rows: list[tuple[str, object]], card_id: str, extra_class: str = "") -> html.Div:
    """GOV.UK summary card; its title is a level-2 heading, so it is in the page's heading outline."""
    return html.Div(
        [
            html.Div(
                html.H2(title, id=f"{card_id}-title", className="govuk-summary-card__title"),
                className="govuk-summary-card__title-wrapper",
            ),
            html.Div(summary_list(rows), className="govuk-summary-card__content"),
        ],
        id=card_id,
        className=f"govuk-summary-card {extra_class}".strip(),
    )
