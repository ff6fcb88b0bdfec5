"""Partner measures declaration (validated on load, errors name file and entry), the returns tracker
and the agency gap priority score, with hand-worked values."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest
import yaml

from indicators.partner_gaps import Gap, failing_run, measure_gap, priority_score, rank, return_gaps
from indicators.partners import quarters_between, track_returns
from indicators.registry import partner_registry
from vocabulary.partners import DEFAULT_PATH, PartnerConfigError, load_declaration, parse_declaration

RAW = yaml.safe_load(DEFAULT_PATH.read_text())


def test_shipped_declaration_has_25_measures_over_5_agencies_and_all_are_indicators():
    decl = load_declaration()
    assert len(decl.measures) == 25
    assert [a.id for a in decl.agencies] == ["council", "police", "health", "education", "probation"]
    assert all(len(decl.measures_of(a.id)) >= 3 for a in decl.agencies)
    reg = partner_registry()
    assert set(reg) == {m.id for m in decl.measures}
    assert reg["police_da_notify_24h_pct"].sources == ("partner:police_da_notify_24h_pct",)
    assert reg["police_l3_training_pct"].partner_at_end and not reg["police_da_notify_24h_pct"].partner_at_end


def _broken(path: str, value):
    data = copy.deepcopy(RAW)
    node = data
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if k.isdigit() else node[k]
    last = keys[-1]
    if value is KeyError:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    "path, value, message",
    [
        ("measures.0.unit", "furlongs", "measure csc_contact_decision_24h_pct: unit"),
        (
            "measures.0.agency",
            "fire",
            "measure csc_contact_decision_24h_pct: agency 'fire' is not one of the agencies",
        ),
        ("measures.0.theme", "weather", "theme 'weather' is not one of the themes"),
        ("measures.0.oba", "how_often", "measure csc_contact_decision_24h_pct: oba"),
        ("measures.0.denominator", KeyError, "needs a denominator label"),
        (
            "measures.3.denominator",
            "Referrals",
            "measure csc_lado_referrals: a count measure has no denominator",
        ),
        ("measures.1.id", "csc_contact_decision_24h_pct", "is defined twice"),
        ("measures.0.id", "Bad-Id", "measure Bad-Id: id"),
        ("measures.0.weight", 7, "weight"),
        ("agencies.1.id", "council", "agency council is defined twice"),
        ("partnership.la_code", "85", "section partnership: la_code"),
        ("partnership.priority_themes", ["weather"], "unknown theme(s) weather"),
        (
            "partnership.name",
            "Another partnership",
            "partnership.name: 'Another partnership' is not the partnership's name in",
        ),
        ("theme_indicators.weather", [], "'weather' is not one of the themes"),
        ("agencies", KeyError, "missing section(s): agencies"),
    ],
)
def test_bad_declarations_name_the_file_and_entry(path, value, message):
    with pytest.raises(PartnerConfigError, match=re.escape(message)) as exc:
        parse_declaration(_broken(path, value), "partners.yaml")
    assert str(exc.value).startswith("partners.yaml:")


def test_the_agencies_side_names_the_one_partnership_and_holds_returns_against_a_member_la(
    tmp_path, monkeypatch
):
    from vocabulary.partnership import DEFAULT_PATH as PARTNERSHIP_FILE
    from vocabulary.partnership import load_partnership

    shipped = load_partnership(PARTNERSHIP_FILE)
    assert "name" not in RAW["partnership"]  # declared once, in partnership.yaml
    decl = parse_declaration(RAW, "partners.yaml")
    assert decl.partnership.name == shipped.name
    assert decl.partnership.la_code in shipped.la_codes  # the agencies' returns are one member LA's
    # An older file that still names the partnership is accepted when the names agree.
    named = _broken("partnership.name", shipped.name)
    assert parse_declaration(named, "partners.yaml").partnership.name == shipped.name
    # Another partnership file renames it everywhere the agencies' side is named.
    other = tmp_path / "partnership.yaml"
    other.write_text(
        "name: Test partnership\nmembers:\n  - {la_code: '856', name: A}\n  - {la_code: '855', name: B}\n"
    )
    monkeypatch.setenv("SAFEGUARDING_PARTNERSHIP", str(other))
    assert decl.partnership.name == "Test partnership"


def test_tracker_on_time_late_missing_and_not_yet_due():
    decl = load_declaration()
    quarters = quarters_between("2026-27-Q1", "2026-27-Q2")
    # Q1 ends 30 Jun 2026, due 30 Jul; Q2 ends 30 Sep, due 30 Oct.
    received = {
        ("police", "2026-27-Q1"): date(2026, 7, 30),
        ("police", "2026-27-Q2"): date(2026, 10, 31),
        ("health", "2026-27-Q1"): date(2026, 7, 1),
    }
    out = {
        (s.agency, s.quarter): s for s in track_returns(received, decl, quarters, as_of=date(2026, 10, 15))
    }
    assert out[("police", "2026-27-Q1")].status == "on time"  # on the due date itself
    assert out[("police", "2026-27-Q2")].status == "late" and out[("police", "2026-27-Q2")].days_late == 1
    assert out[("health", "2026-27-Q2")].status == "not yet due"  # 15 Oct is before 30 Oct
    assert out[("council", "2026-27-Q1")].status == "missing"
    assert out[("council", "2026-27-Q1")].due_on == date(2026, 7, 30)


def test_priority_score_by_hand():
    # off target (3) + concerning special cause (2) = 5; 5 quarters failing -> factor 1 + 0.5 x 3 = 2.5;
    # weight 3; priority theme 1.5: 5 x 2.5 x 3 x 1.5 = 56.25
    assert priority_score(["off target", "special cause (concerning)"], 5, 3, True) == 56.25
    # late return 2, persistence 2 -> 1.5, weight 3, no theme: 9
    assert priority_score(["late return"], 2, 3, False) == 9.0
    # close to target 1.5, first failure, weight 1: 1.5
    assert priority_score(["close to target"], 1, 1, False) == 1.5
    assert priority_score([], 4, 3, True) == 0.0


def test_failing_run_and_measure_gap():
    decl = load_declaration()
    assert failing_run(["green", "red", "amber", "red"]) == 3
    assert failing_run(["red", "green"]) == 0
    m = decl.measure("police_da_notify_24h_pct")
    gap = measure_gap(m, decl, "2026-27-Q2", ["green", "red", "red", "red"], "special_cause_concerning_low")
    assert gap.reasons == ["off target", "special cause (concerning)"] and gap.persistence == 3
    assert gap.score == 5 * 2.0 * 3 * 1.5
    assert "failing for 3 quarters in a row" in gap.why
    assert measure_gap(m, decl, "2026-27-Q2", ["red", "green"], "common_cause") is None


def test_return_gaps_and_ranking():
    decl = load_declaration()
    quarters = quarters_between("2026-27-Q1", "2026-27-Q2")
    received = {(a.id, q.label): decl.due_date(a.id, q.end) for a in decl.agencies for q in quarters}
    received[("probation", "2026-27-Q2")] = date(2026, 11, 14)
    statuses = track_returns(received, decl, quarters, as_of=date(2026, 12, 2))
    gaps = return_gaps(statuses, decl, "2026-27-Q2")
    assert [(g.agency, g.reasons, g.persistence, g.score) for g in gaps] == [
        ("probation", ["late return"], 1, 6.0)
    ]
    other = Gap("police", "Police", "x", "X", "2026-27-Q2", ["close to target"], 1, 1, False)
    assert [g.agency for g in rank([other, *gaps])] == ["probation", "police"]
