"""DfE CIN census rules: the mutation corpus fires exactly the broken rule, a clean return none."""

from __future__ import annotations

import pytest

from pipelines.dfe.engine import COLLECTION_YEARS, catalogue, rules_for
from pipelines.issues import Severity
from pipelines.load import validate_files
from tests.dfe_mutations import MUTATIONS, YEARS, clean, mutated

DFE = (Severity.ERROR, Severity.QUERY)
CASES = [(name, year) for name, m in MUTATIONS.items() for year in m.years]


def _validate(r, tmp_path, year):
    [result] = validate_files([r.write(tmp_path / "return.xml")], rules=year)
    return result


@pytest.mark.parametrize("year", YEARS)
def test_clean_return_has_no_issue_of_any_kind(tmp_path, year):
    result = _validate(clean(year), tmp_path, year)
    assert result.status == "valid"
    assert result.dfe_rules == year
    assert result.issues == []


@pytest.mark.parametrize(("name", "year"), CASES, ids=[f"{n}-{y}" for n, y in CASES])
def test_mutation_fires_exactly_its_rule(tmp_path, name, year):
    m = MUTATIONS[name]
    result = _validate(mutated(name, year), tmp_path, year)
    fired = {i.rule_id for i in result.issues if i.severity in DFE}
    assert fired == m.expected, [str(i) for i in result.issues]
    issue = next(i for i in result.issues if i.rule_id == m.code)
    assert issue.severity is (Severity.QUERY if m.code.endswith("Q") else Severity.ERROR)
    rule = next(r for r in rules_for(year) if r.code == m.code)
    assert issue.message == rule.message and issue.field == rule.field


@pytest.mark.parametrize("year", YEARS)
def test_every_rule_of_the_year_has_a_mutation(year):
    implemented = {r.code for r in rules_for(year)}
    mutated_codes = {m.code for m in MUTATIONS.values() if year in m.years}
    assert implemented == mutated_codes


def test_issue_carries_line_child_field_and_value(tmp_path):
    result = _validate(mutated("8866", "2024-25"), tmp_path, "2024-25")
    [issue] = [i for i in result.issues if i.rule_id == "8866"]
    lines = (tmp_path / "return.xml").read_text().splitlines()
    assert "<ReferralSource>ZZ</ReferralSource>" in lines[issue.line - 1]
    assert (issue.record, issue.field, issue.value) == ("C1001", "ReferralSource", "ZZ")
    assert issue.message == "Source of Referral is missing or an invalid code"


def test_year_changes_the_rule_set():
    # Sex replaces GenderCurrent in 2024-25; 1570, 1580, 8945Q and 8950Q are new that year.
    fields = {y: {r.code: r.field for r in rules_for(y)} for y in COLLECTION_YEARS}
    assert fields["2023-24"]["4180"] == "GenderCurrent"
    assert fields["2024-25"]["4180"] == fields["2025-26"]["4180"] == "Sex"
    new = {"1570", "1580", "8945Q", "8950Q"}
    assert not new & set(fields["2023-24"]) and new <= set(fields["2024-25"])
    assert set(fields["2024-25"]) == set(fields["2025-26"])
    assert all(r.years for r in catalogue())


def test_project_check_covered_by_dfe_is_reported_once_under_dfe_code(tmp_path):
    # CPPendDate before CPPstartDate: the project's R-END-BEFORE-START gives way to DfE 8925.
    result = _validate(mutated("8925", "2024-25"), tmp_path, "2024-25")
    codes = [i.rule_id for i in result.issues if i.field == "CPPendDate"]
    assert codes == ["8925"]


def test_year_without_dfe_rules_keeps_project_checks(tmp_path):
    r = mutated("8925", "2024-25")
    header = r.root.find("Header/CollectionDetails/ReferenceDate")
    header.text = "2023-03-31"  # a 2022-23 return: no DfE rule set is implemented for it
    [result] = validate_files([r.write(tmp_path / "old.xml")])
    assert result.dfe_rules is None
    assert not [i for i in result.issues if i.severity in DFE]
    assert "R-END-BEFORE-START" in {i.rule_id for i in result.issues}


def test_unknown_rule_year_is_refused():
    with pytest.raises(ValueError, match="no DfE rule set for '2019-20'"):
        rules_for("2019-20")
