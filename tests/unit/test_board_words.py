"""Plain words, headline comparisons, target origins and the board guide (pure functions, no warehouse)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from indicators import guide
from indicators.labels import SOURCE_NAMES, source_name, spc_rules_words
from indicators.spc import RULES
from indicators.targets import parse_targets
from tests.identifier_scan import identifier_tokens
from viewmodels.headline import compared

ROOT = Path(__file__).resolve().parents[2]


def test_scanner_finds_snake_case_and_file_types_but_not_plain_words():
    text = "Sources: ees_csv and lait_parquet; file data.parquet; Download CSV; 2024-25 c; NI64 (D7)"
    assert identifier_tokens(text) == ["ees_csv", "lait_parquet", "data.parquet"]
    assert identifier_tokens("cin_census_2024.xml", {"cin_census_2024.xml", "cin_census_2024"}) == []


def test_every_spc_rule_and_source_kind_has_plain_words():
    assert spc_rules_words("outside_limits, two_of_three") == (
        "a point beyond the process limits; 2 of 3 points close to a process limit"
    )
    assert all(identifier_tokens(spc_rules_words([r])) == [] for r in RULES)
    assert all(identifier_tokens(source_name(k)) == [] for k in SOURCE_NAMES)
    assert source_name("some_new_kind") == "Other file"  # never the id itself


@pytest.mark.parametrize(
    ("value", "other", "words"),
    [(40.76, 40.66, "higher than"), (40.74, 40.66, "the same as"), (12.0, 40.6, "lower than"), (1, None, "")],
)
def test_comparison_is_judged_at_the_shown_rounding(value, other, words):
    assert compared(value, other, 1, "rate_per_10k") == words


def test_target_origin_defaults_and_illustrative_entries():
    book = parse_targets(
        {
            "targets": [
                {"indicator_id": "cpp_repeat_pct", "band": [10, 15], "effective_from": "2010-04-01"},
                {
                    "indicator_id": "cpp_repeat_pct",
                    "band": [12, 18],
                    "effective_from": "2015-04-01",
                    "source": "illustrative",
                },
                {
                    "indicator_id": "cpp_repeat_pct",
                    "la_code": 856,
                    "value": 12,
                    "effective_from": "2020-04-01",
                },
            ]
        }
    )
    assert book.target_for("cpp_repeat_pct", None, date(2012, 1, 1)).origin == "national"
    assert book.target_for("cpp_repeat_pct", None, date(2016, 1, 1)).origin == "illustrative"
    assert book.target_for("cpp_repeat_pct", "856", date(2021, 1, 1)).origin == "local"


def test_shipped_targets_mark_every_illustrative_note():
    from indicators.targets import load_targets

    for t in load_targets().targets:
        assert ("illustrative" in (t.note or "").lower()) == (t.origin == "illustrative"), t


def test_board_guide_pdf_is_one_page_of_the_help_panel_text():
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext not found: install poppler-utils")
    pdf = ROOT / "dashboard" / "assets" / "board-guide.pdf"
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("\f") == 1  # one page
    flat = " ".join(text.split())
    for term, words in guide.ITEMS:  # regenerate with `python -m reports.board_guide <pdf>` if this fails
        assert term in flat and " ".join(words.split()) in flat, term
