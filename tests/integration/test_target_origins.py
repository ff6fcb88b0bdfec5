"""Targets say where they come from: the indicator page's chart legend marks an illustrative target as
illustrative, and its definition panel (a GOV.UK summary card) gives every target's origin in words.

Pages are rendered for the board on the demo warehouse (built through the real pipeline), so the trend
figure is the one the page's own builder draws (trend_figure, then mark_illustrative) from the shipped
targets (indicators/targets.yaml): cpp_repeat_pct's targets have been illustrative since April 2015,
icpc_15wd_pct's is a real local target."""

from __future__ import annotations

import pytest

from dashboard import ids
from dashboard.target_notes import ORIGIN_WORDS
from tests.identifier_scan import component_text

ROLE = "board"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.demo_warehouse import build_demo_warehouse

    base = tmp_path_factory.mktemp("target-origins")
    warehouse, env = build_demo_warehouse(base)
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))  # the pages read the default warehouse
    mp.setenv("SAFEGUARDING_KEY_FILE", env["SAFEGUARDING_KEY_FILE"])
    yield warehouse
    mp.undo()


def page(indicator_id: str):
    from dashboard.pages import indicator as indicator_page

    return indicator_page.layout(indicator_id, ROLE, "")


def target_legend(layout) -> list[str]:
    """The trend chart's legend entries for its target (line or band), as the page draws them."""
    figure = layout[ids.IND_TREND].figure
    return [t.name for t in figure.data if (t.name or "").startswith("Target") and t.showlegend is not False]


def definition_rows(layout) -> dict[str, str]:
    """The definition panel's summary list as {key: value text}, read from its dt/dd pairs."""
    card = layout[ids.IND_DEFINITION]
    assert "govuk-summary-card" in card.className.split()
    title_wrapper, content = card.children
    assert title_wrapper.children.children == "Definition"
    listing = content.children
    assert listing.className == "govuk-summary-list"
    rows = {}
    for row in listing.children:
        assert row.className == "govuk-summary-list__row"
        key, value = row.children
        assert (type(key).__name__, key.className) == ("Dt", "govuk-summary-list__key")
        assert (type(value).__name__, value.className) == ("Dd", "govuk-summary-list__value")
        rows[key.children] = " ".join(component_text(value).split())
    return rows


def test_the_legend_marks_an_illustrative_target_as_illustrative(demo):
    legend = target_legend(page("cpp_repeat_pct"))
    assert legend, "the trend chart draws no target"
    assert all("(illustrative" in name for name in legend), legend


def test_without_the_mark_the_same_legend_would_look_real(demo, monkeypatch):
    """The word comes from mark_illustrative, not from the figure builder: unmarked, it is missing."""
    from dashboard.pages import indicator as indicator_page

    monkeypatch.setattr(indicator_page, "mark_illustrative", lambda fig, frame: fig)
    legend = target_legend(page("cpp_repeat_pct"))
    assert legend and not any("llustrative" in name for name in legend)


def test_the_legend_does_not_call_a_real_target_illustrative(demo):
    legend = target_legend(page("icpc_15wd_pct"))
    assert legend == ["Target"]


def test_the_definition_panel_is_a_summary_card_with_the_target_and_its_origin(demo):
    rows = definition_rows(page("cpp_repeat_pct"))
    assert list(rows)[:5] == [
        "What it measures",
        "Which way is better",
        "Unit",
        "Target and where it comes from",
        "Source",
    ]
    assert rows["Unit"] == "Percentage, shown to 1 decimal place"
    target = rows["Target and where it comes from"]
    assert ORIGIN_WORDS["national"] in target  # the 10-15% band from 2010
    assert target.count(ORIGIN_WORDS["illustrative"]) == 2  # the 2015 and 2020 entries
    assert "12–18% from 1 April 2015: Illustrative target" in target  # GOV.UK dates: no leading zero


def test_the_definition_panel_names_a_local_target_as_local(demo):
    target = definition_rows(page("icpc_15wd_pct"))["Target and where it comes from"]
    assert ORIGIN_WORDS["local"] in target
    assert "llustrative" not in target
