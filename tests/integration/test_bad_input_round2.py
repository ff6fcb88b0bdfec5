"""Bad-input corpus, round 2 (issue 26, items 2-4): look-alike and oversized LAchildIDs, a flood
of duplicate children, and zip-bomb workbooks. Each case runs through the same checks as
tests/integration/test_bad_input.py (refused with the file, record and field named, warehouse
and raw file unchanged; attacks measured in a fresh process at < 1 s and < 100 MB extra)."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.load import validate_files
from tests.integration.test_bad_input import (  # noqa: F401 - `base` is the shared fixture
    ANNEX_HEADER,
    ANNEX_ROW,
    CASES,
    Case,
    base,
    check_case,
    child,
    cin,
    episode,
    measure_attack,
    rows_in,
    text,
    workbook,
)

MB = 1 << 20


def twin(second_id: str) -> Callable[[Path], None]:
    """One child as C001, then the same child again under a look-alike identifier."""
    return text(cin(child("C001", episode("2022-06-01")), child(second_id, episode("2022-06-01"))))


def _good_annex(tmp: Path) -> dict[str, bytes]:
    workbook([ANNEX_HEADER, ANNEX_ROW])(tmp)
    with zipfile.ZipFile(tmp) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rezipped(change: Callable[[dict[str, bytes], zipfile.ZipFile], None]) -> Callable[[Path], None]:
    """A real Annex A workbook, rewritten with `change` applied (which may also stream big parts)."""

    def make(p: Path) -> None:
        parts = _good_annex(p)
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            change(parts, zf)
            for name, data in parts.items():
                zf.writestr(name, data)

    return make


def _huge_shared_strings(parts: dict[str, bytes], zf: zipfile.ZipFile) -> None:
    parts.pop("xl/sharedStrings.xml", None)
    with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
        fh.write(
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        block = b"<si><t>" + b"A" * (MB - 20) + b"</t></si>"
        for _ in range(300):  # 300 MB unpacked, about 0.3 MB packed
            fh.write(block)
        fh.write(b"</sst>")


def _laughs_shared_strings(parts: dict[str, bytes], zf: zipfile.ZipFile) -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "lol">{entities}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&l9;</t></si></sst>"
    ).encode()


def _many_parts(parts: dict[str, bytes], zf: zipfile.ZipFile) -> None:
    for i in range(5000):
        zf.writestr(f"xl/media/pad{i}.bin", b"")


def _row_flood(parts: dict[str, bytes], zf: zipfile.ZipFile) -> None:
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts.pop(sheet)
    with zf.open(sheet, "w") as fh:
        fh.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        row = b'<row r="9"><c r="A9" t="inlineStr"><is><t>A9</t></is></c></row>'
        fh.write(row * 300_000)  # 300,000 rows in about 20 MB unpacked
        fh.write(b"</sheetData></worksheet>")


ANNEX = "annex_a_856_2026-06-30.xlsx"
ROUND2: list[Case] = [
    # ---- LAchildID: DfE rules 1570 (at most 20 characters) and 1580 (letters and digits) ----
    Case(
        "cin-id-zero-width",
        "identifier",
        "cin_zwsp.xml",
        twin("C0\u200b01"),
        ("S-LACHILDID", "U+200B", "1580"),
    ),
    Case("cin-id-rtl-override", "identifier", "cin_rlo.xml", twin("\u202eC001"), ("U+202E", "RIGHT-TO-LEFT")),
    Case("cin-id-bom", "identifier", "cin_id_bom.xml", twin("\ufeffC001"), ("U+FEFF", "LAchildID")),
    Case(
        "cin-id-fullwidth", "identifier", "cin_fullwidth.xml", twin("C\uff10\uff10\uff11"), ("U+FF10", "1580")
    ),
    Case(
        "cin-id-decomposed",
        "identifier",
        "cin_nfd.xml",
        # é written precomposed and decomposed: one identifier after NFC, so also a duplicate.
        text(cin(child("Ren\u00e9", episode("2022-06-01")), child("Rene\u0301", episode("2022-06-01")))),
        ("U+00E9", "S-DUPLICATE-CHILD"),
    ),
    Case(
        "cin-id-100k-characters",
        "identifier",
        "cin_longid.xml",
        text(cin(child("C" * 100_000, episode("2022-06-01")))),
        ("100,000 characters", "rule 1570", "LAchildID"),
        attack=True,
    ),
    Case("cin-id-punctuation", "identifier", "cin_hyphen.xml", twin("C-001"), ("U+002D", "HYPHEN-MINUS")),
    Case(
        "cin-id-padded-accepted",
        "identifier",
        "cin_padded.xml",
        text(cin(child("  P001 ", episode("2022-06-01")))),
        accept=rows_in("staging.children", 2),
    ),
    # ---- a flood of duplicate children: stops after 1,000 structural errors ------------------
    Case(
        "cin-duplicate-flood",
        "volume",
        "cin_dupes.xml",
        text(cin(*[child("C001", episode("2022-06-01"))] * 5000)),
        ("S-DUPLICATE-CHILD", "S-TOO-MANY-ERRORS", "stopped after 1,000 structural errors"),
        attack=True,
    ),
    # ---- zip bombs and oversized workbooks, refused before parsing --------------------------
    Case(
        "annex-zip-bomb-shared-strings",
        "attack",
        ANNEX,
        rezipped(_huge_shared_strings),
        ("S-ZIP", "xl/sharedStrings.xml", "300 MB", "MB limit"),
        cli=True,
        attack=True,
    ),
    Case(
        "annex-billion-laughs-shared-strings",
        "attack",
        ANNEX,
        rezipped(_laughs_shared_strings),
        ("S-ZIP", "xl/sharedStrings.xml", "DOCTYPE"),
        attack=True,
    ),
    Case("annex-many-parts", "attack", ANNEX, rezipped(_many_parts), ("S-ZIP", "parts"), attack=True),
    Case(
        "annex-row-flood",
        "attack",
        ANNEX,
        rezipped(_row_flood),
        ("S-ZIP", "more than 200,000 rows", "xl/worksheets/"),
        attack=True,
    ),
    Case(
        "cdop-zip-bomb",
        "attack",
        "cdop_302.xlsx",
        rezipped(_huge_shared_strings),
        ("S-ZIP", "xl/sharedStrings.xml"),
        attack=True,
    ),
]
ROUND2_ATTACKS = [c for c in ROUND2 if c.attack]
assert not {c.id for c in ROUND2} & {c.id for c in CASES}


@pytest.mark.parametrize("case", ROUND2, ids=[c.id for c in ROUND2])
def test_bad_input_round2(case: Case, base: Path, tmp_path: Path) -> None:  # noqa: F811
    check_case(case, base, tmp_path)


@pytest.mark.parametrize("case", ROUND2_ATTACKS, ids=[c.id for c in ROUND2_ATTACKS])
def test_round2_attack_is_fast_and_small(case: Case, base: Path, tmp_path: Path) -> None:  # noqa: F811
    measure_attack(case, base, tmp_path)


def test_corpus_size_after_round2() -> None:
    """80 cases before issue 26; 94 after."""
    assert len(CASES) + len(ROUND2) >= 94


def test_validating_many_duplicate_children_is_linear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20,000 children with one LAchildID took 116 s when the issue count was rebuilt per child;
    with the cap lifted, every duplicate is still reported, in a few seconds."""
    monkeypatch.setenv("SAFEGUARDING_MAX_ERRORS", str(10**7))
    path = tmp_path / "cin_dupes.xml"
    path.write_text(cin(*[child("C001", episode("2022-06-01"))] * 20_000))
    started = time.perf_counter()
    [result] = validate_files([path])
    seconds = time.perf_counter() - started
    assert result.status == "rejected"
    assert result.children == 20_000
    assert sum(i.rule_id == "S-DUPLICATE-CHILD" for i in result.issues) == 19_999
    assert seconds < 15, seconds


def test_the_error_cap_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUARDING_MAX_ERRORS", "10")
    path = tmp_path / "cin_dupes.xml"
    path.write_text(cin(*[child("C001", episode("2022-06-01"))] * 100))
    [result] = validate_files([path])
    assert [i.rule_id for i in result.structural] == ["S-DUPLICATE-CHILD"] * 10 + ["S-TOO-MANY-ERRORS"]
    assert result.children == 11  # the first child, then ten duplicates


def test_zip_limits_leave_a_real_workbook_alone(tmp_path: Path) -> None:
    from pipelines.zip_limits import zip_problem

    path = tmp_path / ANNEX
    workbook([ANNEX_HEADER, ANNEX_ROW])(path)
    assert zip_problem(path) is None
    assert zip_problem(io.BytesIO(b"not a zip")) is None  # type: ignore[arg-type]
