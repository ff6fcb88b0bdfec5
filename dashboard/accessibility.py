"""The accessibility statement, following GOV.UK's model statement for public sector websites."""

from __future__ import annotations

from dash import html

PREPARED = "December 2026"


def _h(text: str) -> html.H3:
    return html.H3(text, className="h5 mt-3")


def statement() -> list:
    return [
        html.H2("Accessibility statement", className="h4 mt-4", id="accessibility"),
        html.P(
            "This statement applies to the safeguarding partnership's child protection performance "
            "dashboard. The partnership wants as many people as possible to be able to use it. You should "
            "be able to change colours, contrast and fonts with your browser settings, zoom in up to 400% "
            "without the text spilling off the screen, move around it with a keyboard alone, and use it "
            "with a screen reader: every chart has a data table or a sentence giving the same information."
        ),
        _h("How accessible this dashboard is"),
        html.P("We know some parts are not fully accessible:"),
        html.Ul(
            [
                html.Li(
                    "the interactive charts' own toolbars are not fully described to screen readers "
                    "(use the data tables instead)"
                ),
                html.Li(
                    "the map of England is a picture for screen readers: its data table gives every value"
                ),
            ]
        ),
        _h("Feedback and contact information"),
        html.P(
            "If you need information in a different format, or find a problem not listed here, contact "
            "your partnership's business unit. They will reply within 5 working days."
        ),
        _h("Enforcement procedure"),
        html.P(
            "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
            "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If "
            "you are not happy with how we respond to your complaint, contact the Equality Advisory and "
            "Support Service (EASS)."
        ),
        _h("Technical information about this dashboard's accessibility"),
        html.P(
            "This dashboard is partially compliant with the Web Content Accessibility Guidelines version "
            "2.2 AA standard, because of the non-compliances listed above."
        ),
        _h("What we are doing to improve accessibility"),
        html.P(
            "Every page is checked automatically with axe-core in a real browser on every change, and a "
            "change that adds a serious or critical finding is not accepted. Chart colours come from the "
            "Analysis Function's colour-blind-safe palettes, and status is always written in words too."
        ),
        _h("Preparation of this accessibility statement"),
        html.P(
            f"This statement was prepared in {PREPARED}. It is based on automated tests (axe-core, "
            "every page, in headless Chromium at 1366 by 900 pixels) and a manual check of keyboard use."
        ),
    ]
