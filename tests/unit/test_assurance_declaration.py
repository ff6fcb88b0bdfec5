"""The assurance declaration (indicators/assurance.yaml) is validated on load: the default has 10
standards drawn from the s.11 duties, and a bad file names the file and the entry."""

from __future__ import annotations

import copy

import pytest
import yaml

from pipelines.assurance_cells import identifier_in
from vocabulary.assurance import DEFAULT_PATH, AssuranceConfigError, load_assurance, parse_assurance

GOOD = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_default_declaration():
    spec = load_assurance(DEFAULT_PATH)
    assert 8 <= len(spec.section11_standards) <= 12
    assert spec.audit_scale.levels == ("outstanding", "good", "requires_improvement", "inadequate")
    assert [spec.audit_scale.below_good(g) for g in spec.audit_scale.levels] == [False, False, True, True]


def _broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d["section11_standards"].append(dict(d["section11_standards"][0])), "defined twice"),
        (lambda d: d["audit_scale"].update(good_or_better=4), "good_or_better"),
        (lambda d: d["audit_scale"].update(levels=["good", "good", "poor"]), "appears twice"),
        (lambda d: d["audit_questions"][0].update(id="Bad Id"), "audit_questions.0.id"),
        (lambda d: d.pop("section11_standards"), "section11_standards"),
        (lambda d: d["section11_standards"][1].update(colour="red"), "colour"),
    ],
)
def test_bad_declaration_names_the_file_and_entry(change, words):
    with pytest.raises(AssuranceConfigError) as exc:
        parse_assurance(_broken(change), "my_assurance.yaml")
    assert str(exc.value).startswith("my_assurance.yaml: ") and words in str(exc.value)


@pytest.mark.parametrize(
    "text, found",
    [
        ("Seen with A123456789012 at school", "UPN"),
        ("DOB: 3/4/2015", "date of birth"),
        ("born on 12 May", "date of birth"),  # a day and month is enough to identify
        ("born into a large family", None),  # no date after it
        ("born 12/05/2015", "date of birth"),
        ("Plan ended 12/05/2024", None),  # dates allowed in action text
        ("Strategy meeting held late", None),
    ],
)
def test_identifier_scan(text, found):
    why = identifier_in(text, dates_allowed=True)
    assert (why is None) if found is None else (found in why)


def test_case_learning_points_may_not_carry_any_date():
    assert "must not carry dates" in identifier_in("Plan ended 12/05/2024", dates_allowed=False)
