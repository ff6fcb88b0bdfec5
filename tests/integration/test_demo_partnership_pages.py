"""The demo partnership's pages: the data-quality page lists the front-door indicators of each member LA
(855, 856, 857) beside DfE's published values and says the demo's own values are synthetic, and so does
the compare-LAs view's table of published figures; the breakdown list calls the partnership's `la`
breakdown "Compare LAs"."""

from __future__ import annotations

import re

import pytest
from dash import html

import indicators
from dashboard import ids
from dashboard.session import is_demo, set_demo
from vocabulary.partnership import PARTNERSHIP

MEMBERS = ("855", "856", "857")
ROW = re.compile(r"^(?P<title>.+) \((?P<la>\d{3}), (?P<period>\d{4}-\d{2})\)$")


@pytest.fixture(scope="module")
def demo_pages(partnership_demo):
    """The pages as `safeguarding serve --demo` renders them over the demo partnership's warehouse."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(partnership_demo["warehouse"]))
    mp.setenv("SAFEGUARDING_KEY_FILE", partnership_demo["env"]["SAFEGUARDING_KEY_FILE"])
    was = is_demo()
    set_demo(True)
    yield
    set_demo(was)
    mp.undo()


def _find(node, wanted_id: str):
    """The component with this id under a Dash layout (None if there is none)."""
    if isinstance(node, list | tuple):
        return next((hit for n in node if (hit := _find(n, wanted_id)) is not None), None)
    if node is None or isinstance(node, str | int | float | bool):
        return None
    if getattr(node, "id", None) == wanted_id:
        return node
    return _find(getattr(node, "children", None), wanted_id)


def _text(node) -> str:
    if isinstance(node, list | tuple):
        return "".join(_text(n) for n in node)
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    return _text(getattr(node, "children", None))


def _table(table: html.Table) -> tuple[str, list[list[str]]]:
    """(caption, body rows as cell texts) of a data_table."""
    caption = next(c for c in table.children if isinstance(c, html.Caption))
    body = next(c for c in table.children if isinstance(c, html.Tbody))
    return _text(caption), [[_text(cell) for cell in tr.children] for tr in body.children]


def test_data_quality_lists_front_door_parity_for_every_member_and_says_the_demo_is_synthetic(demo_pages):
    from dashboard.pages import data_quality

    layout = data_quality.layout("board")
    note = _find(layout, "dq-parity-note")
    assert note is not None and "synthetic" in _text(note), _text(note)
    _caption, rows = _table(_find(layout, "dq-parity"))
    front_door = {
        i.short_title: i.id
        for i in indicators.registry().values()
        if i.theme == "front_door" and i.id in ("referrals", "rereferral_12m_pct", "cin_at_end")
    }
    seen: dict[str, set[str]] = {la: set() for la in MEMBERS}
    for row in rows:
        m = ROW.match(row[0])
        assert m, row
        if m["title"] in front_door and m["la"] in seen:
            seen[m["la"]].add(front_door[m["title"]])
            assert row[2], row  # DfE's published value is shown beside ours
    # C1 (referrals, re-referrals) and B1 (children in need) of the 2025 release, for each member.
    assert seen == {la: {"referrals", "rereferral_12m_pct", "cin_at_end"} for la in MEMBERS}


def test_data_quality_says_nothing_of_synthetic_data_outside_the_demo(demo_pages):
    from dashboard.pages import data_quality

    set_demo(False)
    try:
        note = _find(data_quality.layout("board"), "dq-parity-note")
    finally:
        set_demo(True)
    assert note is not None and "synthetic" not in _text(note)


def test_compare_las_published_table_says_the_demo_figures_are_synthetic(demo_pages):
    from dashboard.pages import indicator

    layout = indicator.layout("rereferral_12m_pct", "board", f"?la={PARTNERSHIP}&freq=year&by=la")
    caption, rows = _table(_find(layout, ids.IND_COMPARE_PUBLISHED))
    assert "the demo's own figures are synthetic, so they differ" in caption, caption
    assert {r[0] for r in rows} == {"Leicester (856)", "Leicestershire (855)", "Rutland (857)"}


def test_the_breakdown_list_calls_the_partnerships_la_breakdown_compare_las(demo_pages):
    from dashboard.pages import indicator

    def choices(la: str) -> dict[str, str]:
        layout = indicator.layout("referrals", "board", f"?la={la}&freq=year")
        select = _find(layout, {"type": ids.IND_CONTROL, "name": "by"})
        return {o["value"]: o["label"] for o in select.options}

    assert choices(PARTNERSHIP)["la"] == "Compare LAs"
    assert choices("856")["la"] == "Local authority"
    assert choices(PARTNERSHIP)["sex"] == choices("856")["sex"] == "Sex"
