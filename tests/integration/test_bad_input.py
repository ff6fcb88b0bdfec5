"""The bad-input corpus (issue 8, part 1): hostile, damaged and awkward files of every input type.

Each case is generated at test time into tmp_path (tests/fixtures/bad/README.md says why: no large
or hostile files are committed). For each case that must be refused, the test asserts that
  * ingest fails (IngestError from the Python API; exit code 1 from `safeguarding ingest` for the
    cases marked `cli`),
  * the message names the file, and the record and the field where the format has them,
  * every table of the warehouse has the same content hash before and after,
  * the raw file is untouched (sha256 and mtime).
Cases that are legitimately accepted (a UTF-8 BOM, reordered columns, a renamed sheet ...) are
asserted to load correctly instead. Attack cases also run in a subprocess that must finish in
under 1 s of parse time and under 100 MB of extra peak memory (ru_maxrss).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipelines.issues import IngestError
from pipelines.load import ingest
from tests.integration.cin_builders import (
    census,
    child,
    episode,
    plan,
    query,
    run_cli,
    sha256,
    table_hashes,
)

GIB = 1 << 30

# -- good content that the cases start from ----------------------------------------------------
GOOD_CIN = census([child("C001", episode("2022-06-01", plans=[plan("2022-06-10")]))], la="201")


def cin(*children: str, la: str = "201") -> str:
    return census(children, la=la)


CDOP_HEADER = (
    "death_id,la_code,date_of_death,age_at_death_days,sex,ethnicity,area_code,"
    "notification_date,review_completed_date,place_of_death,expected,sudi,"
    "category_of_death,modifiable_factors"
)
CDOP_ROW = "D1,302,2023-05-15,100,F,WBRI,E05000001,2023-05-16,2024-02-20,HOSP,N,Y,SUD,Y"
POP_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,age_group,population_estimate"
)
POP_ROW = (
    "2023,Reporting year,Local authority,E92000001,England,E12000009,South West,302,"
    "E06999998,Deathshire,Children aged 0 to 17 years,40000"
)
EES_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,Category,CPP_start,CPP_end,CPP_anypoint,"
    "CPP_At31,CPP_At31_rate"
)
EES_ROW = (
    "2022,Reporting year,Local authority,E92000001,England,E12000009,South West,302,"
    "E06999998,Deathshire,Child Protection Plans,120,110,300,190,42.1"
)
AREA_HEADER = "LAchildID,area_code,area_name"
ANNEX_HEADER = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Child Protection Plan End Date",
    "Number of Previous Child Protection Plans",
]
ANNEX_ROW = ["A1", "a) Male", "WBRI", "2015-01-01", "2026-01-10", "Neglect", "Neglect", None, 0]
ANNEX_NAME = "annex_a_856_2026-06-30.xlsx"


def text(body: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda p: p.write_bytes(body.encode(encoding))


def raw(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def workbook(rows: list[list], title: str = "List 7", extra_first: bool = False) -> Callable[[Path], None]:
    def make(p: Path) -> None:
        wb = Workbook()
        ws = wb.active
        if extra_first:  # a cover sheet first, the list on a renamed sheet after it
            ws.title = "Cover"
            ws.append(["Annex A extract"])
            ws = wb.create_sheet(title)
        else:
            ws.title = title
        for row in rows:
            ws.append(row)
        wb.save(p)

    return make


def truncated_workbook(p: Path) -> None:
    workbook([ANNEX_HEADER, ANNEX_ROW])(p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def sparse(prefix: bytes, size: int = GIB) -> Callable[[Path], None]:
    """A 1 GB file that takes no disk space: a prefix, then a hole of NUL bytes."""

    def make(p: Path) -> None:
        with open(p, "wb") as fh:
            fh.write(prefix)
            fh.truncate(size)

    return make


def one_gib_line(p: Path) -> None:
    """A real (streamed, not sparse) 1 GB CSV whose second line never ends."""
    with open(p, "wb") as fh:
        fh.write((POP_HEADER + "\n").encode())
        block = b"9" * (1 << 20)
        for _ in range(1024):
            fh.write(block)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Message [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
""" + GOOD_CIN.split("\n", 1)[1].replace("<LAchildID>C001", "<LAchildID>&lol9;C001")
XXE = """<?xml version="1.0"?>
<!DOCTYPE Message [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
""" + GOOD_CIN.split("\n", 1)[1].replace("<LAchildID>C001", "<LAchildID>&xxe;C001")
XXE_PARAM = """<?xml version="1.0"?>
<!DOCTYPE Message [ <!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext; ]>
""" + GOOD_CIN.split("\n", 1)[1]
XXE_NETWORK = """<?xml version="1.0"?>
<!DOCTYPE Message SYSTEM "http://127.0.0.1:9/evil.dtd">
""" + GOOD_CIN.split("\n", 1)[1]


@dataclass(frozen=True)
class Case:
    id: str
    group: str  # the issue's category, for docs/reliability.md
    name: str  # file name (type detection is by content; some formats take the LA from the name)
    make: Callable[[Path], None]
    needles: tuple[str, ...] = ()  # must all appear in the report (record and field)
    accept: Callable[[Path], None] | None = None  # accepted case: check what loaded instead
    strict: bool = False
    cli: bool = False  # also run through `safeguarding ingest` in a subprocess
    attack: bool = False  # also measured: < 1 s and < 100 MB extra peak memory


def rows_in(table: str, expected: int, where: str = "true") -> Callable[[Path], None]:
    def check(warehouse: Path) -> None:
        (n,) = query(warehouse, f"select count(*) from {table} where {where}")[0]
        assert n == expected, f"{table} where {where}: {n} rows, expected {expected}"

    return check


CASES: list[Case] = [
    # ---- CIN census XML ------------------------------------------------------------------
    Case("cin-empty", "damaged", "cin_empty.xml", raw(b""), ("file", "empty"), cli=True),
    Case(
        "cin-truncated",
        "damaged",
        "cin_trunc.xml",
        text(GOOD_CIN[: len(GOOD_CIN) * 2 // 3]),
        ("S-XML", "not well-formed"),
    ),
    Case("cin-binary", "damaged", "cin_binary.xml", raw(bytes(range(256)) * 64), ("file", "not recognised")),
    Case(
        "cin-utf16",
        "encoding",
        "cin_utf16.xml",
        text(GOOD_CIN.replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf-16"),
        ("file", "UTF-16"),
    ),
    Case(
        "cin-latin1-mislabelled",
        "encoding",
        "cin_latin1.xml",
        text(
            cin(child("C001", episode("2022-06-01"))).replace(
                "<Sex>M</Sex>", "<Sex>M</Sex><!-- Zoë Brontë -->"
            ),
            "latin-1",
        ),
        ("S-XML",),
    ),
    Case(
        "cin-latin1-declared",
        "encoding",
        "cin_latin1_ok.xml",
        text(
            # The ë is in a comment: an LAchildID may only hold A-Z, a-z and 0-9 (DfE rule 1580).
            cin(child("Zoe01", episode("2022-06-01")))
            .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
            .replace("<Sex>M</Sex>", "<Sex>M</Sex><!-- Zoë Brontë -->"),
            "latin-1",
        ),
        accept=rows_in("staging.children", 2),
    ),
    Case(
        "cin-bom",
        "encoding",
        "cin_bom.xml",
        text("\ufeff" + cin(child("B001", episode("2022-06-01")))),
        accept=rows_in("staging.children", 2),
    ),
    Case(
        "cin-billion-laughs",
        "attack",
        "cin_laughs.xml",
        text(BILLION_LAUGHS),
        ("DOCTYPE",),
        cli=True,
        attack=True,
    ),
    Case("cin-xxe-file", "attack", "cin_xxe.xml", text(XXE), ("DOCTYPE",), cli=True, attack=True),
    Case("cin-xxe-parameter", "attack", "cin_xxe_param.xml", text(XXE_PARAM), ("DOCTYPE",), attack=True),
    Case("cin-xxe-network-dtd", "attack", "cin_xxe_net.xml", text(XXE_NETWORK), ("DOCTYPE",), attack=True),
    Case(
        "cin-1gb-sparse",
        "size",
        "cin_1gb.xml",
        sparse(GOOD_CIN.split("<Children>")[0].encode() + b"<Children>\n"),
        ("cin_1gb.xml",),
        cli=True,
        attack=True,
    ),
    Case(
        "cin-not-census",
        "damaged",
        "cin_other.xml",
        text('<?xml version="1.0"?><Other/>'),
        ("file", "not recognised"),
    ),
    Case(
        "cin-no-header",
        "missing",
        "cin_noheader.xml",
        text("<Message><Children>" + child("C9", episode("2022-06-01")) + "</Children></Message>"),
        ("Header",),
    ),
    Case(
        "cin-missing-lachildid",
        "missing",
        "cin_noid.xml",
        text(cin(child("", episode("2022-06-01")))),
        ("LAchildID", "is missing"),
    ),
    Case(
        "cin-missing-ethnicity",
        "missing",
        "cin_noeth.xml",
        text(cin(child("C002", episode("2022-06-01"))).replace("<Ethnicity>WBRI</Ethnicity>", "")),
        ("C002", "Ethnicity"),
    ),
    Case(
        "cin-missing-cppstart",
        "missing",
        "cin_nocppstart.xml",
        text(
            cin(child("C003", episode("2022-06-01", plans=[plan("2022-07-01")]))).replace(
                "<CPPstartDate>2022-07-01</CPPstartDate>", ""
            )
        ),
        ("C003", "CPPstartDate"),
    ),
    Case(
        "cin-duplicate-child",
        "conflict",
        "cin_dup.xml",
        text(cin(child("C004", episode("2022-06-01")), child("C004", episode("2022-08-01"), sex="F"))),
        ("C004", "LAchildID", "already appeared"),
        cli=True,
    ),
    Case(
        "cin-feb-30",
        "dates",
        "cin_feb30.xml",
        text(cin(child("C005", episode("2023-02-30")))),
        ("C005", "CINreferralDate", "2023-02-30"),
    ),
    Case(
        "cin-birth-feb-30",
        "dates",
        "cin_birth30.xml",
        text(cin(child("C006", episode("2022-06-01"), birth="2015-02-30"))),
        ("C006", "PersonBirthDate"),
    ),
    Case(
        "cin-plan-ends-before-start",
        "dates",
        "cin_plan_backwards.xml",
        text(cin(child("C007", episode("2022-06-01", plans=[plan("2022-07-01", "2022-06-15")])))),
        ("C007", "CPPendDate", "--strict"),
        strict=True,
    ),
    Case(
        "cin-closure-before-referral",
        "dates",
        "cin_closure_backwards.xml",
        text(cin(child("C008", episode("2022-06-01", "2022-05-01")))),
        ("C008", "CINclosureDate"),
        strict=True,
    ),
    Case(
        "cin-unknown-sex",
        "codes",
        "cin_sex.xml",
        text(cin(child("C009", episode("2022-06-01"), sex="Q"))),
        ("C009", "Sex", "'Q'"),
    ),
    Case(
        "cin-unknown-ethnicity",
        "codes",
        "cin_eth.xml",
        text(cin(child("C010", episode("2022-06-01"), ethnicity="XXXX"))),
        ("C010", "Ethnicity"),
    ),
    Case(
        "cin-unknown-category",
        "codes",
        "cin_cat.xml",
        text(cin(child("C011", episode("2022-06-01", plans=[plan("2022-07-01", category="BAD")])))),
        ("C011", "InitialCategoryOfAbuse"),
    ),
    Case(
        "cin-bad-lea",
        "codes",
        "cin_lea.xml",
        text(cin(child("C012", episode("2022-06-01")), la="AB1")),
        ("LEA", "AB1"),
    ),
    Case(
        "cin-formula-in-code",
        "formula",
        "cin_formula.xml",
        text(cin(child("C013", episode("2022-06-01"), ethnicity='=HYPERLINK("http://x.test","hi")'))),
        ("C013", "Ethnicity", "HYPERLINK"),
    ),
    # ---- Annex A workbooks --------------------------------------------------------------------
    Case(
        "annex-renamed-sheet",
        "layout",
        ANNEX_NAME,
        workbook([ANNEX_HEADER, ANNEX_ROW], "CP list", extra_first=True),
        accept=rows_in("staging.annex_a_plans", 1),
    ),
    Case("annex-truncated", "damaged", ANNEX_NAME, truncated_workbook, ("file", "not recognised")),
    Case(
        "annex-binary-xlsx",
        "damaged",
        ANNEX_NAME,
        raw(b"PK\x03\x04" + os.urandom(4000)),
        ("file", "not recognised"),
    ),
    Case(
        "annex-no-name-date",
        "missing",
        "annex_a.xlsx",
        workbook([ANNEX_HEADER, ANNEX_ROW]),
        ("file name", "extract date"),
    ),
    Case(
        "annex-missing-child-id",
        "missing",
        ANNEX_NAME,
        workbook([ANNEX_HEADER, [None, *ANNEX_ROW[1:]]]),
        (":2", "Child Unique ID"),
    ),
    Case(
        "annex-feb-30",
        "dates",
        ANNEX_NAME,
        workbook(
            [ANNEX_HEADER, ["A2", "Male", "WBRI", "2015-01-01", "2023-02-30", "Neglect", None, None, 0]]
        ),
        ("A2", "Child Protection Plan Start Date", "2023-02-30"),
        cli=True,
    ),
    Case(
        "annex-ends-before-start",
        "dates",
        ANNEX_NAME,
        workbook(
            [
                ANNEX_HEADER,
                ["A3", "Male", "WBRI", "2015-01-01", "2026-01-10", "Neglect", None, "2025-12-01", 0],
            ]
        ),
        ("A3", "Child Protection Plan End Date"),
    ),
    Case(
        "annex-unknown-category",
        "codes",
        ANNEX_NAME,
        workbook(
            [ANNEX_HEADER, ["A4", "Male", "WBRI", "2015-01-01", "2026-01-10", "Bullying", None, None, 0]]
        ),
        ("A4", "Initial Category of Abuse", "Bullying"),
    ),
    Case(
        "annex-unknown-ethnicity",
        "codes",
        ANNEX_NAME,
        workbook(
            [ANNEX_HEADER, ["A5", "Male", "ZZZZ", "2015-01-01", "2026-01-10", "Neglect", None, None, 0]]
        ),
        ("A5", "Ethnicity"),
    ),
    Case(
        "annex-duplicate-plan",
        "conflict",
        ANNEX_NAME,
        workbook(
            [
                ANNEX_HEADER,
                ["A6", "Male", "WBRI", "2015-01-01", "2026-01-10", "Neglect", None, None, 0],
                ["A6", "Female", "WBRI", "2016-01-01", "2026-01-10", "Physical abuse", None, None, 1],
            ]
        ),
        ("A6", "Child Unique ID"),
    ),
    Case(
        "annex-formula-injection",
        "formula",
        ANNEX_NAME,
        workbook(
            [
                ANNEX_HEADER,
                [
                    "A7",
                    "Male",
                    '=HYPERLINK("http://x.test","click")',
                    "2015-01-01",
                    "2026-01-10",
                    "Neglect",
                    None,
                    None,
                    0,
                ],
            ]
        ),
        # accepted: a formula cell is read for its cached value only (none), never as text
        accept=rows_in("staging.annex_a_plans", 1, "ethnicity is null"),
    ),
    Case(
        "annex-formula-as-text",
        "formula",
        ANNEX_NAME,
        workbook(
            [
                ANNEX_HEADER,
                ["A9", "Male", "'=HYPERLINK(1)", "2015-01-01", "2026-01-10", "Neglect", None, None, 0],
            ]
        ),
        ("A9", "Ethnicity"),
    ),
    Case(
        "annex-start-after-extract",
        "dates",
        ANNEX_NAME,
        workbook(
            [ANNEX_HEADER, ["A8", "Male", "WBRI", "2015-01-01", "2026-09-10", "Neglect", None, None, 0]]
        ),
        ("A8", "Child Protection Plan Start Date"),
    ),
    # ---- CDOP extracts ------------------------------------------------------------------------
    Case(
        "cdop-bom",
        "encoding",
        "cdop_302_2024-03-31.csv",
        text(f"\ufeff{CDOP_HEADER}\n{CDOP_ROW}\n"),
        accept=rows_in("staging.cdop_deaths", 1),
    ),
    Case(
        "cdop-reordered",
        "layout",
        "cdop_302_2024-03-31.csv",
        text(
            ",".join(reversed(CDOP_HEADER.split(","))) + "\n" + ",".join(reversed(CDOP_ROW.split(","))) + "\n"
        ),
        accept=rows_in("staging.cdop_deaths", 1, "area_code = 'E05000001' and category_of_death = 'SUD'"),
    ),
    Case(
        "cdop-extra-column",
        "layout",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER},case_summary\n{CDOP_ROW},free text never read\n"),
        accept=rows_in("staging.cdop_deaths", 1),
    ),
    Case(
        "cdop-renamed-sheet",
        "layout",
        "cdop_302_2024-03-31.xlsx",
        workbook([CDOP_HEADER.split(","), CDOP_ROW.split(",")], "Deaths export"),
        accept=rows_in("staging.cdop_deaths", 1),
    ),
    Case(
        "cdop-missing-notification-column",
        "missing",
        "cdop_302_2024-03-31.csv",
        text(
            CDOP_HEADER.replace(",notification_date", "")
            + "\n"
            + CDOP_ROW.replace(",2023-05-16", "", 1)
            + "\n"
        ),
        ("notification_date", "missing"),
    ),
    Case(
        "cdop-truncated-row",
        "damaged",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\n{CDOP_ROW}\nD2,302,2023-06-01,4"),
        ("D2", "notification_date"),
    ),
    Case(
        "cdop-duplicate-death",
        "conflict",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\n{CDOP_ROW}\n{CDOP_ROW.replace('HOSP,N', 'HOME,Y')}\n"),
        ("D1", "death_id", "appears twice"),
        cli=True,
    ),
    Case(
        "cdop-feb-30",
        "dates",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\n{CDOP_ROW.replace('2023-05-16', '2023-02-30')}\n"),
        ("D1", "notification_date", "2023-02-30"),
    ),
    Case(
        "cdop-unknown-category",
        "codes",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\n{CDOP_ROW.replace(',SUD,', ',ZZZ,')}\n"),
        ("D1", "category_of_death"),
    ),
    Case(
        "cdop-unknown-sex",
        "codes",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\n{CDOP_ROW.replace(',F,', ',Q,')}\n"),
        ("D1", "sex"),
    ),
    Case(
        "cdop-formula-area",
        "formula",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\n{CDOP_ROW.replace('E05000001', '=HYPERLINK(1)')}\n"),
        ("D1", "area_code"),
    ),
    Case(
        "cdop-latin1",
        "encoding",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER},note\n{CDOP_ROW},Zoë Brontë\n", "latin-1"),
        ("UTF-8",),
    ),
    Case(
        "cdop-utf16",
        "encoding",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\n{CDOP_ROW}\n", "utf-16"),
        ("file", "UTF-16"),
    ),
    Case(
        "cdop-huge-field",
        "size",
        "cdop_302_2024-03-31.csv",
        text(f"{CDOP_HEADER}\nD1,302,{'9' * 200_000}\n"),
        ("cdop_302_2024-03-31.csv",),
        attack=True,
    ),
    # ---- EES CSV ------------------------------------------------------------------------------
    Case(
        "ees-reordered",
        "layout",
        "d1_bad.csv",
        text(
            ",".join(reversed(EES_HEADER.split(","))) + "\n" + ",".join(reversed(EES_ROW.split(","))) + "\n"
        ),
        accept=rows_in("staging.published_values", 1, "source_measure = 'CPP_At31' and value = 190"),
    ),
    Case(
        "ees-bom",
        "encoding",
        "d1_bom.csv",
        text(f"\ufeff{EES_HEADER}\n{EES_ROW}\n"),
        accept=rows_in("staging.published_values", 5),
    ),
    Case(
        "ees-extra-text-column",
        "layout",
        "d1_extra.csv",
        text(f"{EES_HEADER},notes\n{EES_ROW},see note\n"),
        (":2", "notes", "see note"),
    ),
    Case(
        "ees-missing-measure-column",
        "missing",
        "d1_missing.csv",
        text(EES_HEADER.replace(",CPP_At31_rate", "") + "\n" + EES_ROW.rsplit(",", 1)[0] + "\n"),
        ("file", "not recognised"),
    ),
    Case(
        "ees-not-a-number",
        "codes",
        "d1_nan.csv",
        text(f"{EES_HEADER}\n{EES_ROW.replace(',120,', ',lots,')}\n"),
        (":2", "CPP_start", "lots"),
    ),
    Case(
        "ees-formula-injection",
        "formula",
        "d1_formula.csv",
        text(f"{EES_HEADER}\n{EES_ROW.replace(',190,', ',=HYPERLINK(1),')}\n"),
        (":2", "CPP_At31", "HYPERLINK"),
    ),
    Case(
        "ees-bad-year",
        "dates",
        "d1_year.csv",
        text(f"{EES_HEADER}\n{EES_ROW.replace('2022,', '20x2,', 1)}\n"),
        (":2", "time_period"),
    ),
    Case(
        "ees-unknown-level",
        "codes",
        "d1_level.csv",
        text(f"{EES_HEADER}\n{EES_ROW.replace('Local authority', 'Ward')}\n"),
        (":2", "geographic_level"),
    ),
    Case("ees-header-only", "damaged", "d1_empty.csv", text(f"{EES_HEADER}\n"), ("file", "no rows")),
    Case(
        "ees-truncated-row",
        "damaged",
        "d1_trunc.csv",
        text(f"{EES_HEADER}\n{EES_ROW}\n{EES_ROW[:60]}"),
        (":3", "fields"),
    ),
    # ---- ONS population CSV -------------------------------------------------------------------
    Case(
        "pop-bom",
        "encoding",
        "pop_bom.csv",
        text(f"\ufeff{POP_HEADER}\n{POP_ROW}\n"),
        accept=rows_in("staging.population", 1, "population = 40000"),
    ),
    Case(
        "pop-reordered",
        "layout",
        "pop_reordered.csv",
        text(
            ",".join(reversed(POP_HEADER.split(","))) + "\n" + ",".join(reversed(POP_ROW.split(","))) + "\n"
        ),
        accept=rows_in("staging.population", 1, "population = 40000 and old_la_code = '302'"),
    ),
    Case(
        "pop-missing-column",
        "missing",
        "pop_missing.csv",
        text(POP_HEADER.replace(",la_name", "") + "\n" + POP_ROW.replace(",Deathshire", "") + "\n"),
        ("la_name", "missing"),
    ),
    Case(
        "pop-not-a-number",
        "codes",
        "pop_nan.csv",
        text(f"{POP_HEADER}\n{POP_ROW.replace('40000', '4O000')}\n"),
        (":2", "population_estimate", "4O000"),
    ),
    Case(
        "pop-bad-year",
        "dates",
        "pop_year.csv",
        text(f"{POP_HEADER}\n{POP_ROW.replace('2023,', 'FY23,', 1)}\n"),
        (":2", "time_period"),
    ),
    Case(
        "pop-latin1",
        "encoding",
        "pop_latin1.csv",
        text(f"{POP_HEADER}\n{POP_ROW.replace('Deathshire', 'Ynys Môn')}\n", "latin-1"),
        ("UTF-8",),
    ),
    Case(
        "pop-truncated-row",
        "damaged",
        "pop_trunc.csv",
        text(f"{POP_HEADER}\n{POP_ROW}\n{POP_ROW[:50]}"),
        (":3", "fields"),
    ),
    Case("pop-1gb-line", "size", "pop_1gb.csv", one_gib_line, ("pop_1gb.csv",), attack=True),
    # ---- area lookup CSV ----------------------------------------------------------------------
    Case(
        "area-ok-bom",
        "encoding",
        "area_lookup_201.csv",
        text(f"\ufeff{AREA_HEADER}\nC001,E05000001,North\n"),
        accept=rows_in("staging.area_lookup", 1),
    ),
    Case(
        "area-empty-id",
        "missing",
        "area_lookup_201.csv",
        text(f"{AREA_HEADER}\n,E05000001,North\n"),
        (":2", "LAchildID"),
    ),
    Case(
        "area-no-la",
        "missing",
        "area_lookup.csv",
        text(f"{AREA_HEADER}\nC001,E05000001,North\n"),
        ("C001", "la_code"),
    ),
    Case(
        "area-duplicate-conflict",
        "conflict",
        "area_lookup_201.csv",
        text(f"{AREA_HEADER}\nC001,E05000001,North\nC001,E05000002,South\n"),
        ("C001", "LAchildID", ":3"),
    ),
    Case(
        "area-formula-name",
        "formula",
        "area_lookup_201.csv",
        text(f'{AREA_HEADER}\nC001,E05000001,"=HYPERLINK(""http://x.test"",""x"")"\n'),
        # accepted as data; every export quotes it (test_formula_text_is_neutralised_in_exports)
        accept=rows_in("staging.area_lookup", 1, "area_name like '=HYPERLINK%'"),
    ),
    Case(
        "area-latin1",
        "encoding",
        "area_lookup_201.csv",
        text(f"{AREA_HEADER}\nC001,E05000001,Ynys Môn\n", "latin-1"),
        ("UTF-8",),
    ),
    Case(
        "area-population-negative",
        "codes",
        "area_population_201.csv",
        text("area_code,area_name,year,population_0_17\nE05000001,North,2023,-5\n"),
        (":2", "population_0_17"),
    ),
    Case(
        "area-population-empty",
        "damaged",
        "area_population_201.csv",
        text("area_code,area_name,year,population_0_17\n"),
        ("file", "no rows"),
    ),
]

IDS = [c.id for c in CASES]
assert len(set(IDS)) == len(IDS)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A warehouse holding one good CIN return; each case works on its own copy."""
    folder = tmp_path_factory.mktemp("bad_base")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(folder / "unused.duckdb"))
    good = folder / "good.xml"
    good.write_text(census([child("G001", episode("2022-06-01", plans=[plan("2022-06-10")]))], la="202"))
    warehouse = folder / "warehouse.duckdb"
    ingest([good], warehouse, progress=None)
    yield warehouse
    mp.undo()


def _state(path: Path) -> tuple[str, int]:
    return sha256(path), path.stat().st_mtime_ns


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_input(case: Case, base: Path, tmp_path: Path) -> None:
    check_case(case, base, tmp_path)


def check_case(case: Case, base: Path, tmp_path: Path) -> None:
    """Run one case against a copy of `base` (also used by test_bad_input_round2.py)."""
    warehouse = tmp_path / "curated" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(base, warehouse)
    folder = tmp_path / "raw"
    folder.mkdir()
    path = folder / case.name
    case.make(path)
    before_file = (
        path.stat().st_size,
        _state(path) if path.stat().st_size < GIB else None,
        path.stat().st_mtime_ns,
    )
    before = table_hashes(warehouse)
    try:
        if case.accept is not None:
            results = ingest([path], warehouse, progress=None, strict=case.strict)
            assert [r.status for r in results] == ["loaded"]
            case.accept(warehouse)
            return
        with pytest.raises(IngestError) as caught:
            ingest([path], warehouse, progress=None, strict=case.strict)
        report = caught.value.report()
        assert case.name in report, report
        for needle in case.needles:
            assert needle in report, f"{needle!r} not in:\n{report}"
        assert "Traceback" not in report
        assert table_hashes(warehouse) == before
        if case.cli:
            args = ["ingest", path, "--warehouse", warehouse] + (["--strict"] if case.strict else [])
            done = run_cli(*args)
            assert done.returncode == 1, done.stderr
            assert case.name in done.stderr and "Traceback" not in done.stderr
            for needle in case.needles:
                assert needle in done.stderr
            assert table_hashes(warehouse) == before
        # no build copy or lock debris beside the warehouse
        assert not [p for p in warehouse.parent.iterdir() if ".building" in p.name]
    finally:
        after_file = (
            path.stat().st_size,
            _state(path) if path.stat().st_size < GIB else None,
            path.stat().st_mtime_ns,
        )
        assert after_file == before_file, "the raw file was changed"
        path.unlink()


ATTACKS = [c for c in CASES if c.attack]

PROBE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from pipelines.issues import IngestError
    from pipelines.load import ingest, validate_files
    import pipelines.annex_a, pipelines.cdop, openpyxl, lxml.etree  # warm imports
    import pipelines.published.ees, pipelines.published.lait, pipelines.published.neighbours
    import pyarrow; pyarrow.array([1])  # pyarrow imports pandas on its first list conversion (~1 s)
    validate_files([])
    path, warehouse = Path(sys.argv[1]), Path(sys.argv[2])
    def status(field):
        return int(next(l for l in open("/proc/self/status") if l.startswith(field)).split()[1])
    # Reset the peak (VmHWM) left by the imports, so the peak below is the ingest's own.
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    base = status("VmRSS")
    def cpu():  # this process and any worker it waited for
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + kids.ru_utime + kids.ru_stime
    started, cpu_started = time.perf_counter(), cpu()
    try:
        ingest([path], warehouse, progress=None)
        outcome = "loaded"
    except IngestError as exc:
        outcome = exc.report()
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    peak = status("VmHWM")
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "extra_mb": (peak - base) / 1024,
                      "outcome": outcome}))
""")


@pytest.mark.parametrize("case", ATTACKS, ids=[c.id for c in ATTACKS])
def test_attack_is_fast_and_small(case: Case, base: Path, tmp_path: Path) -> None:
    measure_attack(case, base, tmp_path)


def measure_attack(case: Case, base: Path, tmp_path: Path) -> None:
    """Measured in a fresh process: imports are warmed first, the peak-RSS mark (VmHWM) is reset
    through /proc/self/clear_refs, and extra = peak during the ingest - resident memory before."""
    import json

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(base, warehouse)
    path = tmp_path / case.name
    case.make(path)
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(path), str(warehouse)],
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(os.environ),
            cwd=Path(__file__).resolve().parents[2],
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"\nATTACK {case.id}: {result['seconds']:.3f} s, {result['extra_mb']:.1f} MB extra")
        assert result["outcome"] != "loaded"
        assert "root:" not in result["outcome"]  # nothing of /etc/passwd was read into a message
        # CPU time, which a busy machine does not inflate (wall time rose to 1.6 s under CI load); the
        # wall-time bound only catches a hang. An amplification attack costs many CPU seconds.
        assert result["cpu_seconds"] < 1.0, result
        assert result["seconds"] < 10.0, result
        assert result["extra_mb"] < 100, result
    finally:
        path.unlink()


def test_corpus_size() -> None:
    assert len(CASES) >= 50
    kinds = {c.id.split("-")[0] for c in CASES}
    assert kinds >= {"cin", "annex", "cdop", "ees", "pop", "area"}


def test_formula_text_is_neutralised_in_exports() -> None:
    """What the formula cases load is exported with a leading quote (viewmodels.cells.export_frame;
    tests/integration/test_cdop_indicators.py does the same end to end through a real warehouse)."""
    from viewmodels.cells import export_frame

    cells = ['=HYPERLINK("http://x.test","x")', "+1", "-1+2", "@SUM(A1)", "North"]
    frame = export_frame(["Area"], [[c] for c in cells])
    assert list(frame["Area"]) == ["'" + c for c in cells[:4]] + ["North"]
