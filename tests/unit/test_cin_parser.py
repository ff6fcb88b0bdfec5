"""CIN census XML reader: one test per structural error and per rule, with hand-computed lines.

Fixture layout (see `census()` and CHILD below) - line numbers in the assertions come from it:
  lines 1-14   the XML declaration, <Message>, the 11-line <Header> block (line 3 is <Header>,
               line 7 <ReferenceDate>, line 10 <LEA>) and <Children>;
  line 15      the first <Child>; every child is exactly 33 lines (offsets 0-32 in CHILD), so
               child k (0-based) starts on line 15 + 33 * k;
  the footer   </Children></Message>.
Leaving an element out replaces its line by an empty line, so no other line number moves.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from pipelines.cin_census import CensusReader
from pipelines.cin_types import ParseResult
from pipelines.issues import Issue, Severity
from pipelines.pseudonymise import Pseudonymiser
from pipelines.rows import RowSink

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cin"
FIRST_CHILD = 15
CHILD_LINES = 33

# (overridable element or None, line); offsets are the index in this list.
CHILD: list[tuple[str | None, str]] = [
    (None, "    <Child>"),  # 0
    (None, "      <ChildIdentifiers>"),  # 1
    ("LAchildID", "        <LAchildID>{}</LAchildID>"),  # 2
    ("UPN", "        <UPN>{}</UPN>"),  # 3
    ("PersonBirthDate", "        <PersonBirthDate>{}</PersonBirthDate>"),  # 4
    ("Sex", "        <Sex>{}</Sex>"),  # 5
    (None, "      </ChildIdentifiers>"),  # 6
    (None, "      <ChildCharacteristics>"),  # 7
    ("Ethnicity", "        <Ethnicity>{}</Ethnicity>"),  # 8
    (None, "      </ChildCharacteristics>"),  # 9
    (None, "      <CINdetails>"),  # 10
    ("CINreferralDate", "        <CINreferralDate>{}</CINreferralDate>"),  # 11
    ("ReferralSource", "        <ReferralSource>{}</ReferralSource>"),  # 12
    ("PrimaryNeedCode", "        <PrimaryNeedCode>{}</PrimaryNeedCode>"),  # 13
    (None, "        <Assessments>"),  # 14
    (
        "AssessmentActualStartDate",
        "          <AssessmentActualStartDate>{}</AssessmentActualStartDate>",
    ),  # 15
    (
        "AssessmentAuthorisationDate",
        "          <AssessmentAuthorisationDate>{}</AssessmentAuthorisationDate>",
    ),  # 16
    (None, "        </Assessments>"),  # 17
    (None, "        <Section47>"),  # 18
    ("S47ActualStartDate", "          <S47ActualStartDate>{}</S47ActualStartDate>"),  # 19
    ("DateOfInitialCPC", "          <DateOfInitialCPC>{}</DateOfInitialCPC>"),  # 20
    (None, "        </Section47>"),  # 21
    (None, "        <ChildProtectionPlans>"),  # 22
    ("CPPstartDate", "          <CPPstartDate>{}</CPPstartDate>"),  # 23
    ("CPPendDate", "          <CPPendDate>{}</CPPendDate>"),  # 24
    ("InitialCategoryOfAbuse", "          <InitialCategoryOfAbuse>{}</InitialCategoryOfAbuse>"),  # 25
    ("NumberOfPreviousCPP", "          <NumberOfPreviousCPP>{}</NumberOfPreviousCPP>"),  # 26
    (None, "          <Reviews>"),  # 27
    ("CPPreviewDate", "            <CPPreviewDate>{}</CPPreviewDate>"),  # 28
    (None, "          </Reviews>"),  # 29
    (None, "        </ChildProtectionPlans>"),  # 30
    (None, "      </CINdetails>"),  # 31
    (None, "    </Child>"),  # 32
]
# A valid child on the 2023-03-31 census: aged 8, one episode, an open plan with one review.
DEFAULTS: dict[str, str | None] = {
    "LAchildID": "CHILD001",
    "UPN": "A123456789012",
    "PersonBirthDate": "2015-01-17",
    "Sex": "M",
    "Ethnicity": "WBRI",
    "CINreferralDate": "2022-06-01",
    "ReferralSource": "1A",
    "PrimaryNeedCode": "N1",
    "AssessmentActualStartDate": "2022-06-02",
    "AssessmentAuthorisationDate": "2022-06-20",
    "S47ActualStartDate": "2022-06-03",
    "DateOfInitialCPC": "2022-06-20",
    "CPPstartDate": "2022-06-20",
    "CPPendDate": None,
    "InitialCategoryOfAbuse": "NEG",
    "NumberOfPreviousCPP": "0",
    "CPPreviewDate": "2022-09-01",
}
assert len(CHILD) == CHILD_LINES


def child(raw: dict[int, str] | None = None, **values: str | None) -> str:
    """One 33-line child; `values` override element text (None leaves the element out) and
    `raw` replaces whole lines by offset."""
    unknown = set(values) - set(DEFAULTS)
    assert not unknown, unknown
    merged = {**DEFAULTS, **values}
    lines = []
    for offset, (name, template) in enumerate(CHILD):
        if raw and offset in raw:
            lines.append(raw[offset])
        elif name is None:
            lines.append(template)
        else:
            lines.append("" if merged[name] is None else template.format(merged[name]))
    return "\n".join(lines) + "\n"


def census(
    *children: str,
    ref: str | None = "2023-03-31",
    la: str | None = "201",
    header: bool = True,
    prolog: str = '<?xml version="1.0" encoding="UTF-8"?>',
) -> str:
    head = [
        prolog,  # 1
        "<Message>",  # 2
        "  <Header>",  # 3
        "    <CollectionDetails>",  # 4
        "      <Collection>CIN</Collection>",  # 5
        "      <Year>2023</Year>",  # 6
        f"      <ReferenceDate>{ref}</ReferenceDate>" if ref is not None else "",  # 7
        "    </CollectionDetails>",  # 8
        "    <Source>",  # 9
        f"      <LEA>{la}</LEA>" if la is not None else "",  # 10
        "      <DateTime>2023-05-01T09:00:00</DateTime>",  # 11
        "    </Source>",  # 12
        "  </Header>",  # 13
        "  <Children>",  # 14
    ]
    if not header:
        head[2:13] = [""] * 11
    return "\n".join(head) + "\n" + "".join(children) + "  </Children>\n</Message>\n"


KEY = b"\x01" * 32


def parse(path: Path) -> tuple[ParseResult, dict[str, list[dict]]]:
    """Read a file; return the result and every emitted row, per staging table."""
    rows: dict[str, list[dict]] = {}

    def capture(table: str, batch: pa.Table) -> None:
        rows.setdefault(table, []).extend(batch.to_pylist())

    sink = RowSink(flush=capture)
    result = CensusReader(path, Pseudonymiser(KEY), sink).read()
    sink.flush()
    return result, rows


def write(tmp_path: Path, text: str, name: str = "return_201.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one(result: ParseResult, rule_id: str) -> Issue:
    found = [i for i in result.issues if i.rule_id == rule_id]
    assert len(found) == 1, result.issues
    return found[0]


def check(
    issue: Issue,
    path: Path,
    *,
    rule_id: str,
    severity: Severity,
    field: str,
    line: int | None,
    record: str | None,
    value: str | None = None,
) -> None:
    assert issue.rule_id == rule_id
    assert issue.severity is severity
    assert issue.field == field
    assert issue.line == line
    assert issue.record == record
    if value is not None:
        assert issue.value == value
    text = str(issue)
    assert text.startswith(path.name + (f":{line}" if line else ""))
    assert f"<{field}>" in text and rule_id in text
    if record:
        assert f"LAchildID {record}" in text


# -- the fixture itself ---------------------------------------------------------------------
def test_baseline_fixture_is_valid_and_lines_are_where_the_comments_say(tmp_path):
    path = write(tmp_path, census(child(), child(LAchildID="CHILD002")))
    lines = path.read_text().splitlines()
    assert lines[7 - 1].strip() == "<ReferenceDate>2023-03-31</ReferenceDate>"
    assert lines[15 - 1].strip() == "<Child>"
    assert lines[15 + 23 - 1].strip() == "<CPPstartDate>2022-06-20</CPPstartDate>"
    assert lines[15 + 33 - 1].strip() == "<Child>"  # second child
    assert lines[48 + 2 - 1].strip() == "<LAchildID>CHILD002</LAchildID>"
    result, rows = parse(path)
    assert result.issues == []
    assert result.children == 2
    assert result.header is not None and result.header.la_code == "201"
    assert result.header.spec_year == 2023 and result.header.collection_year == "2022-23"
    assert {t: len(r) for t, r in rows.items()} == {
        "children": 2,
        "cin_episodes": 2,
        "assessments": 2,
        "section47": 2,
        "cp_plans": 2,
        "cp_reviews": 2,
    }


# -- structural errors: one test each ------------------------------------------------------
def test_truncated_file_is_not_well_formed(tmp_path):
    full = census(child()).splitlines(keepends=True)
    # Keep lines 1-22 (up to "<Ethnicity>WBRI</Ethnicity>" on line 15 + 8 = 23, exclusive) and
    # cut line 23 in the middle of its start tag: the parser stops at end of file, line 23.
    text = "".join(full[:22]) + "        <Ethni"
    path = write(tmp_path, text)
    result, rows = parse(path)
    assert [i.rule_id for i in result.structural] == ["S-XML"]
    check(
        one(result, "S-XML"),
        path,
        rule_id="S-XML",
        severity=Severity.STRUCTURAL,
        field="XML",
        line=23,
        record=None,
    )
    assert "not well-formed" in one(result, "S-XML").message
    assert "children" not in rows  # nothing emitted for a half-read child


def test_missing_header(tmp_path):
    path = write(tmp_path, census(child(), header=False))
    result, rows = parse(path)
    # The Header lines are blanked; the first <Child> is still on line 15.
    assert [i.rule_id for i in result.structural] == ["S-HEADER"]
    check(
        one(result, "S-HEADER"),
        path,
        rule_id="S-HEADER",
        severity=Severity.STRUCTURAL,
        field="Header",
        line=15,
        record=None,
    )
    assert result.header is None and rows == {}


def test_missing_lea(tmp_path):
    path = write(tmp_path, census(child(), la=None))
    result, rows = parse(path)
    # Reported against <Header> (line 3); only this one error, not a second "no Header" one.
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-REQUIRED", "LEA")]
    check(
        result.structural[0],
        path,
        rule_id="S-REQUIRED",
        severity=Severity.STRUCTURAL,
        field="LEA",
        line=3,
        record=None,
    )
    assert rows == {}


def test_missing_reference_date(tmp_path):
    path = write(tmp_path, census(child(), ref=None))
    result, rows = parse(path)
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-REQUIRED", "ReferenceDate")]
    check(
        result.structural[0],
        path,
        rule_id="S-REQUIRED",
        severity=Severity.STRUCTURAL,
        field="ReferenceDate",
        line=3,
        record=None,
    )
    assert rows == {}


def test_missing_la_child_id(tmp_path):
    path = write(tmp_path, census(child(LAchildID=None)))
    result, rows = parse(path)
    # Reported on the <Child> start tag, line 15; there is no id to name.
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-REQUIRED", "LAchildID")]
    check(
        result.structural[0],
        path,
        rule_id="S-REQUIRED",
        severity=Severity.STRUCTURAL,
        field="LAchildID",
        line=15,
        record=None,
    )
    assert "children" not in rows


def test_missing_cpp_start_date(tmp_path):
    path = write(tmp_path, census(child(CPPstartDate=None)))
    result, rows = parse(path)
    # Reported on <ChildProtectionPlans>: 15 + 22 = 37.
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-REQUIRED", "CPPstartDate")]
    check(
        result.structural[0],
        path,
        rule_id="S-REQUIRED",
        severity=Severity.STRUCTURAL,
        field="CPPstartDate",
        line=37,
        record="CHILD001",
    )
    assert "children" not in rows  # a child with a structural error emits nothing


@pytest.mark.parametrize(
    ("element", "text", "line"),
    [
        ("CPPstartDate", "2023-02-30", 15 + 23),  # 30 February does not exist
        ("CINreferralDate", "31/03/2023", 15 + 11),  # DD/MM/YYYY is not the XML date form
        ("CPPreviewDate", "2022-9-1", 15 + 28),  # no zero padding
    ],
)
def test_unparseable_date(tmp_path, element, text, line):
    path = write(tmp_path, census(child(**{element: text})))
    result, _ = parse(path)
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-DATE", element)]
    check(
        result.structural[0],
        path,
        rule_id="S-DATE",
        severity=Severity.STRUCTURAL,
        field=element,
        line=line,
        record="CHILD001",
        value=text,
    )


def test_unknown_ethnicity(tmp_path):
    path = write(tmp_path, census(child(Ethnicity="WXYZ")))
    result, _ = parse(path)
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-CODE", "Ethnicity")]
    check(
        result.structural[0],
        path,
        rule_id="S-CODE",
        severity=Severity.STRUCTURAL,
        field="Ethnicity",
        line=15 + 8,
        record="CHILD001",
        value="WXYZ",
    )


def test_unknown_initial_category_of_abuse(tmp_path):
    path = write(tmp_path, census(child(InitialCategoryOfAbuse="ABC")))
    result, _ = parse(path)
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-CODE", "InitialCategoryOfAbuse")]
    check(
        result.structural[0],
        path,
        rule_id="S-CODE",
        severity=Severity.STRUCTURAL,
        field="InitialCategoryOfAbuse",
        line=15 + 25,
        record="CHILD001",
        value="ABC",
    )


def test_unknown_sex_code(tmp_path):
    path = write(tmp_path, census(child(Sex="1")))  # 1 is a GenderCurrent code, not a Sex code
    result, _ = parse(path)
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-CODE", "Sex")]
    check(
        result.structural[0],
        path,
        rule_id="S-CODE",
        severity=Severity.STRUCTURAL,
        field="Sex",
        line=15 + 5,
        record="CHILD001",
        value="1",
    )


def test_unknown_gender_current_code(tmp_path):
    path = write(tmp_path, census(child(raw={5: "        <GenderCurrent>3</GenderCurrent>"})))
    result, _ = parse(path)
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-CODE", "GenderCurrent")]
    check(
        result.structural[0],
        path,
        rule_id="S-CODE",
        severity=Severity.STRUCTURAL,
        field="GenderCurrent",
        line=15 + 5,
        record="CHILD001",
        value="3",
    )


def test_duplicate_la_child_id(tmp_path):
    path = write(tmp_path, census(child(), child()))
    result, _ = parse(path)
    # The second <Child> starts on 15 + 33 = 48 and points back at line 15.
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-DUPLICATE-CHILD", "LAchildID")]
    issue = result.structural[0]
    check(
        issue,
        path,
        rule_id="S-DUPLICATE-CHILD",
        severity=Severity.STRUCTURAL,
        field="LAchildID",
        line=48,
        record="CHILD001",
    )
    assert "line 15" in issue.message


@pytest.mark.parametrize(
    ("ref", "spec_year"),
    [
        ("2010-03-31", 2010),  # the 2009-10 collection: before the 2011 spec
        ("2027-03-31", 2027),  # the 2026-27 collection: after the 2026 spec
    ],
)
def test_spec_year_out_of_range(tmp_path, ref, spec_year):
    path = write(tmp_path, census(child(), ref=ref))
    result, _ = parse(path)
    assert [(i.rule_id, i.field) for i in result.structural] == [("S-SPEC-YEAR", "ReferenceDate")]
    issue = result.structural[0]
    check(
        issue,
        path,
        rule_id="S-SPEC-YEAR",
        severity=Severity.STRUCTURAL,
        field="ReferenceDate",
        line=7,
        record=None,
        value=ref,
    )
    assert f"spec year {spec_year}" in issue.message


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
]>"""


def test_doctype_billion_laughs_is_rejected_fast(tmp_path):
    # 10^9 "lol"s if expanded; the child's LAchildID is &lol9;.
    path = write(tmp_path, census(child(LAchildID="&lol9;"), prolog=BILLION_LAUGHS))
    started = time.perf_counter()
    result, rows = parse(path)
    assert time.perf_counter() - started < 2.0
    # The Header (read before the child that uses the entity) reports the DOCTYPE on line 1;
    # whatever else the parser says about the entity is structural too.
    check(
        one(result, "S-DOCTYPE"),
        path,
        rule_id="S-DOCTYPE",
        severity=Severity.STRUCTURAL,
        field="DOCTYPE",
        line=1,
        record=None,
    )
    assert {i.rule_id for i in result.structural} <= {"S-DOCTYPE", "S-XML", "S-ENTITY", "S-REQUIRED"}
    assert all(i.severity is Severity.STRUCTURAL for i in result.issues)
    text = " ".join(str(i) for i in result.issues)
    assert "lollol" not in text and "lollol" not in repr(rows)


def test_internal_entity_is_not_expanded(tmp_path):
    # A small, legal-looking entity: the DOCTYPE alone rejects the file, and the entity's
    # text never reaches an issue or a row.
    prolog = '<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY who "SECRETNAME">]>'
    path = write(tmp_path, census(child(LAchildID="&who;"), prolog=prolog))
    result, rows = parse(path)
    doctype = one(result, "S-DOCTYPE")
    check(
        doctype, path, rule_id="S-DOCTYPE", severity=Severity.STRUCTURAL, field="DOCTYPE", line=1, record=None
    )
    assert "SECRETNAME" not in " ".join(str(i) for i in result.issues)
    assert "SECRETNAME" not in repr(rows)


# -- rules (the file still loads; the issue is recorded) ------------------------------------
def _only_rule(result: ParseResult, rule_id: str) -> Issue:
    assert result.structural == []
    assert [i.rule_id for i in result.rules] == [rule_id], result.rules
    return result.rules[0]


def test_review_outside_its_plan(tmp_path):
    path = write(tmp_path, census(child(CPPreviewDate="2022-05-01")))  # before the 2022-06-20 start
    result, rows = parse(path)
    check(
        _only_rule(result, "R-REVIEW-OUTSIDE-PLAN"),
        path,
        rule_id="R-REVIEW-OUTSIDE-PLAN",
        severity=Severity.RULE,
        field="CPPreviewDate",
        line=15 + 28,
        record="CHILD001",
        value="2022-05-01",
    )
    assert len(rows["cp_reviews"]) == 1  # a rule failure still loads


def test_plan_end_before_start(tmp_path):
    path = write(tmp_path, census(child(CPPendDate="2022-06-01", CPPreviewDate=None)))
    result, _ = parse(path)
    check(
        _only_rule(result, "R-END-BEFORE-START"),
        path,
        rule_id="R-END-BEFORE-START",
        severity=Severity.RULE,
        field="CPPendDate",
        line=15 + 24,
        record="CHILD001",
        value="2022-06-01",
    )


def test_assessment_after_reference_date(tmp_path):
    path = write(
        tmp_path, census(child(AssessmentActualStartDate="2023-04-10", AssessmentAuthorisationDate=None))
    )
    result, _ = parse(path)
    check(
        _only_rule(result, "R-AFTER-REF"),
        path,
        rule_id="R-AFTER-REF",
        severity=Severity.RULE,
        field="AssessmentActualStartDate",
        line=15 + 15,
        record="CHILD001",
        value="2023-04-10",
    )


def test_child_aged_18_on_a_plan(tmp_path):
    # Born 2004-06-01: 18 on the plan start 2022-06-20.
    path = write(tmp_path, census(child(PersonBirthDate="2004-06-01")))
    result, _ = parse(path)
    check(
        _only_rule(result, "R-AGE-18"),
        path,
        rule_id="R-AGE-18",
        severity=Severity.RULE,
        field="CPPstartDate",
        line=15 + 23,
        record="CHILD001",
    )


def test_impossible_number_of_previous_plans(tmp_path):
    # Born 2015-01-17, aged 7 at the 2022-06-20 start: at most 7 + 1 = 8 earlier plans.
    path = write(tmp_path, census(child(NumberOfPreviousCPP="9")))
    result, _ = parse(path)
    issue = _only_rule(result, "R-PREVIOUS-CPP")
    check(
        issue,
        path,
        rule_id="R-PREVIOUS-CPP",
        severity=Severity.RULE,
        field="NumberOfPreviousCPP",
        line=15 + 26,
        record="CHILD001",
        value="9",
    )
    assert "at most 8" in issue.message
    ok, _ = parse(write(tmp_path, census(child(NumberOfPreviousCPP="8")), "ok.xml"))
    assert ok.issues == []


def test_reference_date_not_31_march(tmp_path):
    path = write(tmp_path, census(child(), ref="2023-03-30"))
    result, _ = parse(path)
    check(
        _only_rule(result, "R-REFDATE"),
        path,
        rule_id="R-REFDATE",
        severity=Severity.RULE,
        field="ReferenceDate",
        line=7,
        record=None,
        value="2023-03-30",
    )


def test_stray_text_between_elements(tmp_path):
    path = write(tmp_path, census(child(raw={3: "        <UPN>A123456789012</UPN>oops"})))
    result, _ = parse(path)
    # The text is the tail of <UPN> (line 15 + 3 = 18), inside <ChildIdentifiers>.
    check(
        _only_rule(result, "R-STRAY-TEXT"),
        path,
        rule_id="R-STRAY-TEXT",
        severity=Severity.RULE,
        field="ChildIdentifiers",
        line=18,
        record="CHILD001",
        value="oops",
    )


# -- what the rows contain ---------------------------------------------------------------------
@pytest.mark.parametrize(("code", "sex"), [("1", "M"), ("2", "F"), ("0", "U"), ("9", "U")])
def test_gender_current_maps_to_sex(tmp_path, code, sex):
    path = write(tmp_path, census(child(raw={5: f"        <GenderCurrent>{code}</GenderCurrent>"})))
    result, rows = parse(path)
    assert result.issues == []
    assert rows["children"][0]["sex"] == sex


@pytest.mark.parametrize("code", ["M", "F", "U"])
def test_sex_codes_read(tmp_path, code):
    result, rows = parse(write(tmp_path, census(child(Sex=code))))
    assert result.issues == []
    assert rows["children"][0]["sex"] == code


def test_several_episodes_plans_and_reviews_are_all_emitted():
    path = FIXTURES / "multi_episode.xml"
    result, rows = parse(path)
    assert result.issues == []
    assert result.children == 2
    # By hand from the fixture: MULTI01 has 3 CINdetails, the second with 2 plans (2 + 3
    # reviews), 2 assessments, 1 CIN plan and 1 S47; MULTI02 has 1 episode, 1 plan, 1 review.
    assert {t: len(r) for t, r in rows.items()} == {
        "children": 2,
        "cin_episodes": 4,
        "assessments": 2,
        "cin_plans": 1,
        "section47": 1,
        "cp_plans": 3,
        "cp_reviews": 6,
    }
    episodes = rows["cin_episodes"]
    assert [e["referral_date"] for e in episodes] == [
        date(2020, 1, 10),
        date(2021, 5, 1),
        date(2022, 11, 1),
        date(2022, 12, 1),
    ]
    assert len({e["episode_key"] for e in episodes}) == 4
    plans = {p["start_date"]: p for p in rows["cp_plans"]}
    assert set(plans) == {date(2021, 5, 20), date(2022, 2, 1), date(2023, 1, 5)}
    first, second = plans[date(2021, 5, 20)], plans[date(2022, 2, 1)]
    assert first["episode_key"] == second["episode_key"] == episodes[1]["episode_key"]
    assert (first["end_date"], first["initial_category"], first["latest_category"]) == (
        date(2021, 11, 20),
        "PHY",
        "PHY",
    )
    assert (
        second["end_date"],
        second["initial_category"],
        second["latest_category"],
        second["number_of_previous_cpp"],
    ) == (None, "EMO", "MUL", 1)
    # LatestCategoryOfAbuse missing: the initial category stands in.
    assert plans[date(2023, 1, 5)]["latest_category"] == "NEG"
    reviews_by_plan: dict[str, list[date]] = {}
    for r in rows["cp_reviews"]:
        reviews_by_plan.setdefault(r["plan_key"], []).append(r["review_date"])
    assert reviews_by_plan[first["plan_key"]] == [date(2021, 8, 15), date(2021, 11, 10)]
    assert reviews_by_plan[second["plan_key"]] == [date(2022, 5, 1), date(2022, 10, 1), date(2023, 3, 1)]
    kids = rows["children"]
    assert [(c["sex"], c["ethnicity"], c["disabilities"]) for c in kids] == [
        ("F", "BAFR", "HEAR,VIS"),
        ("M", "AIND", None),
    ]


def test_unborn_child_has_no_age(tmp_path):
    # Only ExpectedPersonBirthDate (after the reference date); no PersonBirthDate.
    raw = {4: "        <ExpectedPersonBirthDate>2023-05-10</ExpectedPersonBirthDate>"}
    path = write(tmp_path, census(child(raw=raw)))
    result, rows = parse(path)
    assert result.issues == []
    kid = rows["children"][0]
    assert kid["unborn_at_reference"] is True
    assert kid["age_at_reference"] is None
    assert kid["birth_month"] is None
    assert kid["expected_birth_month"] == date(2023, 5, 1)


def test_only_birth_month_kept_and_no_raw_identifiers_emitted(tmp_path):
    path = write(
        tmp_path,
        census(
            child(LAchildID="RAWID12345", UPN="Z987654321098", PersonBirthDate="2015-01-17"),
            child(LAchildID="RAWID67890", UPN="Y123123123123", PersonBirthDate="2010-11-30"),
        ),
    )
    result, rows = parse(path)
    assert result.issues == []
    kids = rows["children"]
    # 2015-01-17 -> 2015-01-01, aged 8 on 2023-03-31; 2010-11-30 -> 2010-11-01, aged 12.
    assert [(c["birth_month"], c["age_at_reference"], c["unborn_at_reference"]) for c in kids] == [
        (date(2015, 1, 1), 8, False),
        (date(2010, 11, 1), 12, False),
    ]
    assert all(len(c["child_key"]) == 32 and len(c["upn_key"]) == 32 for c in kids)
    assert kids[0]["child_key"] == Pseudonymiser(KEY).child_key("201", "RAWID12345")
    emitted = repr(rows)
    for secret in (
        "RAWID12345",
        "RAWID67890",
        "Z987654321098",
        "Y123123123123",
        "2015-01-17",
        "2010-11-30",
        "datetime.date(2015, 1, 17)",
        "datetime.date(2010, 11, 30)",
    ):
        assert secret not in emitted
