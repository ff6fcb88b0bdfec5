"""The accessibility statement on the About page follows GOV.UK's model statement, section by section."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.accessibility import AXE_VERSION, NON_COMPLIANCES, statement
from tests.identifier_scan import component_text

ROOT = Path(__file__).resolve().parents[2]
# GOV.UK's model accessibility statement: its sections, in its order.
MODEL_SECTIONS = [
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def headings(components) -> list[tuple[str, str]]:
    """(tag, text) of every heading in the statement, in order."""
    return [(type(c).__name__, c.children) for c in components if re.fullmatch(r"H[1-6]", type(c).__name__)]


def test_the_statement_has_every_section_of_the_model_in_order():
    titles = [text for _, text in headings(statement())]
    assert titles[0] == "Accessibility statement"
    assert [t for t in titles if t in MODEL_SECTIONS] == MODEL_SECTIONS


def test_sections_nest_under_the_statement_heading():
    assert headings(statement())[0] == ("H2", "Accessibility statement")  # the About page's h1 is above it
    by_title = {text: tag for tag, text in headings(statement())}
    assert by_title["Compliance status"] == "H4"  # under "Technical information ..."
    assert (
        by_title["Non-compliance with the accessibility regulations"] == "H4"
    )  # under "Non-accessible content"
    assert {by_title[t] for t in MODEL_SECTIONS} == {"H3", "H4"}


def test_the_compliance_status_and_each_non_compliance_say_what_and_which_criterion():
    text = " ".join(component_text(statement()).split())
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "The Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert NON_COMPLIANCES
    for what, criteria, instead in NON_COMPLIANCES:
        assert re.fullmatch(r"\d\.\d+\.\d+ \([A-Z][\w -]+\)( and \d\.\d+\.\d+ \([A-Z][\w -]+\))?", criteria)
        assert f"{what} This fails WCAG 2.2 success criterion {criteria}. {instead}" in text


def test_the_statement_names_the_axe_core_the_browser_tests_use():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"axe-core@{AXE_VERSION}" in makefile
    assert f"axe-core {AXE_VERSION} on every page" in component_text(statement())


def test_the_about_page_shows_the_statement():
    from dashboard.pages import about

    page = about.layout("board", "")
    assert [text for _, text in headings(page.children) if text in MODEL_SECTIONS] == MODEL_SECTIONS
