"""The accessibility statement, following GOV.UK's model statement for public sector websites."""

from __future__ import annotations

from dash import html

PREPARED = "December 2026"
AXE_VERSION = "4.10"  # the axe-core the browser tests inject (Makefile: axe-core@4.10)
EASS = "https://www.equalityadvisoryservice.com/"
# Known non-compliances: (what is not accessible, the WCAG 2.2 criteria it fails, what to use instead).
NON_COMPLIANCES = [
    (
        "A chart's values on hover, and its zoom and pan tools, need a mouse or touch screen: a keyboard "
        "cannot move from point to point.",
        "2.1.1 (Keyboard)",
        "The figures are in the table or sentence that goes with every chart.",
    ),
    (
        "Charts, maps and the scorecard's small trend lines are pictures with no text alternative of their "
        "own, so a screen reader reads only the words drawn in them (titles, axis labels and keys).",
        "1.1.1 (Non-text content)",
        "Each chart's figures are in a table or sentence on the same page.",
    ),
    (
        "On the map of England and the area map, the lighter blues and the grey for areas with no value "
        "have less than 3:1 contrast with white and with each other.",
        "1.4.11 (Non-text contrast)",
        "The table with each map gives every area's value (and, for England, its quartile band).",
    ),
    (
        "The one-page guide for board members is a PDF without tags, so a screen reader cannot tell its "
        "headings and lists from its other text.",
        "1.3.1 (Info and relationships)",
        "The same text is in the 'How to read this page' panel on this page and on every indicator page.",
    ),
]


def _h(text: str) -> html.H3:
    return html.H3(text, className="h5 mt-4")


def _sub(text: str) -> html.H4:
    return html.H4(text, className="h6 mt-3")


def statement() -> list:
    return [
        html.H2("Accessibility statement", className="h4 mt-4", id="accessibility"),
        html.P(
            "This accessibility statement applies to this child protection performance dashboard, run by "
            "your safeguarding partnership. We want as many people as possible to be able to use it. For "
            "example, that means you should be able to:"
        ),
        html.Ul(
            [
                html.Li("change colours, contrast levels and fonts using browser or device settings"),
                html.Li(
                    "move around every page and use its choices, links and buttons with a keyboard alone"
                ),
                html.Li(
                    "read the figures of nearly every chart in a table or a sentence, for a screen reader"
                ),
                html.Li(
                    "tell every status apart without colour: RAG and SPC are always written in words too"
                ),
            ]
        ),
        html.P(
            "Chart colours come from the Government Analysis Function's colour-blind-safe palettes. The "
            "colours of chart lines and points have at least 3:1 contrast with the white background (the "
            "maps' lighter colours do not: see below)."
        ),
        _h("How accessible this website is"),
        html.P("We know some parts of this website are not fully accessible:"),
        html.Ul([html.Li(what) for what, _, _ in NON_COMPLIANCES]),
        _h("Feedback and contact information"),
        html.P(
            "If you need information on this website in a different format, such as large print, easy read "
            "or a spreadsheet, contact the business unit of the safeguarding partnership that runs this "
            "dashboard. Tell them the web address of the page and the format you need. They will reply "
            "within 5 working days."
        ),
        _h("Reporting accessibility problems with this website"),
        html.P(
            "We are always looking to improve the accessibility of this website. If you find a problem not "
            "listed on this page, or think we are not meeting accessibility requirements, contact the "
            "partnership's business unit. They will pass problems in the software to its maintainers."
        ),
        _h("Enforcement procedure"),
        html.P(
            [
                "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
                "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 "
                "(the 'accessibility regulations'). If you are not happy with how we respond to your "
                "complaint, contact the ",
                html.A("Equality Advisory and Support Service (EASS)", href=EASS),
                ".",
            ]
        ),
        _h("Technical information about this website's accessibility"),
        html.P(
            "The safeguarding partnership is committed to making its website accessible, in accordance with "
            "the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations "
            "2018."
        ),
        _sub("Compliance status"),
        html.P(
            "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 "
            "AA standard, due to the non-compliances listed below.",
            id="accessibility-compliance",
        ),
        _h("Non-accessible content"),
        html.P("The content listed below is non-accessible for the following reasons."),
        _sub("Non-compliance with the accessibility regulations"),
        html.Ul(
            [
                html.Li(f"{what} This fails WCAG 2.2 success criterion {criteria}. {instead}")
                for what, criteria, instead in NON_COMPLIANCES
            ],
            id="accessibility-non-compliances",
        ),
        _sub("Disproportionate burden"),
        html.P(
            "We are not claiming that fixing any of the problems above would be a disproportionate burden."
        ),
        _h("What we're doing to improve accessibility"),
        html.P(
            "Every change to the dashboard is tested in a real browser before it is accepted, and a change "
            "that adds a serious or critical accessibility finding is not accepted. We plan to tag the "
            "board members' guide PDF, give each chart a text "
            "alternative that says what it shows, and test with screen readers, speech recognition and at "
            "400% zoom."
        ),
        _h("Preparation of this accessibility statement"),
        html.P(
            f"This statement was prepared in {PREPARED}. It was last reviewed in {PREPARED}. The website was "
            f"last tested in {PREPARED} against the WCAG 2.2 AA standard, by the software's maintainers, "
            "with automated tests that run on every change:"
        ),
        html.Ul(
            [
                html.Li(
                    f"axe-core {AXE_VERSION} on every page, in headless Chromium at 1,366 by 900 pixels: no "
                    "serious or critical finding is allowed (moderate and minor findings are not yet checked)"
                ),
                html.Li(
                    "the scorecard's choices of agency and theme, reached and used with the keyboard alone"
                ),
                html.Li(
                    "charts and their data: the headline sentence and the trend chart's table give the same "
                    "latest value, and the map of England comes with a table of every local authority"
                ),
                html.Li(
                    "chart colours: lines and points at least 3:1 against white, and the colours drawn "
                    "together still apart for people with colour-blindness (simulated)"
                ),
            ]
        ),
        html.P(
            "It has not yet been tested with screen readers or speech recognition software, at 400% zoom, "
            "or by disabled users."
        ),
    ]
