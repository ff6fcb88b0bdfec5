"""Download file names and groups in words: no internal ids in what a board member saves."""

from __future__ import annotations

from types import SimpleNamespace

from dashboard.downloads import _group_name, plain_file_name
from tests.identifier_scan import identifier_tokens


def test_plain_file_name_keeps_words_and_period_labels():
    assert plain_file_name("Repeat plans (NI65)", "by Ethnic group", "Leicester", "2025-26", ext="csv") == (
        "Repeat-plans-NI65-by-Ethnic-group-Leicester-2025-26.csv"
    )
    assert plain_file_name("Agency matrix", "", "Police", "2026-27-Q2", ext="csv") == (
        "Agency-matrix-Police-2026-27-Q2.csv"
    )
    # Characters a file system or a shell would trip on become hyphens; the name is capped.
    assert plain_file_name("a/b\\c: d*e?", ext="xlsx") == "a-b-c-d-e.xlsx"
    assert len(plain_file_name("word " * 100, ext="csv")) <= 154
    # No snake_case id survives: the stem reads as words to the identifier scan.
    stem = plain_file_name("Children in need per 10k", "Rutland", ext="csv").removesuffix(".csv")
    assert stem == "Children-in-need-per-10k-Rutland"
    assert identifier_tokens(stem.replace("-", " "), set()) == []


def test_compare_las_download_names_each_member():
    view = SimpleNamespace(state=SimpleNamespace(by="la"), las={"856": "Leicester", "857": "Rutland"})
    assert _group_name(view, "breakdown", "857") == "Rutland (857)"
    assert _group_name(view, "trend", "857") == "857"  # the trend's group is "All", never an LA
    other = SimpleNamespace(state=SimpleNamespace(by="sex"), las=view.las)
    assert _group_name(other, "breakdown", "Female") == "Female"
