"""Which indicators the scorecard and `safeguarding indicators` show by agency and priority theme, checked
against the shipped partner measures file by hand, and the choice's round trip through the address."""

from __future__ import annotations

import pytest

import indicators
from dashboard.scorecard_filter import agency_options, theme_options
from indicators.selection import ALL, agency_name, check, known, select_indicators
from viewmodels.state import ViewState, parse_query, to_query

POLICE = [  # indicators/partner_measures.yaml, the police entries in file order
    "police_da_notify_24h_pct",
    "police_da_incidents_rate",
    "police_missing_episodes",
    "police_strategy_attend_pct",
    "police_l3_training_pct",
]
# Domestic abuse: the LA's two repeat-plan indicators (theme_indicators), then each agency's measures
# with theme domestic_abuse, in agency order (council has none; education's Encompass; probation's two).
DOMESTIC_ABUSE = [
    "cpp_repeat_pct",
    "cpp_repeat_2y_pct",
    "police_da_notify_24h_pct",
    "police_da_incidents_rate",
    "health_da_enquiry_pct",
    "edu_encompass_pct",
    "probation_sg_enquiry_pct",
    "probation_risk_referral_pct",
]


def _ids(agency, theme):
    return [i.id for i in select_indicators(agency, theme)]


def test_no_choice_is_the_las_own_indicators_as_before():
    assert _ids(None, None) == list(indicators.registry())


def test_one_agency_and_all_agencies():
    assert _ids("police", None) == POLICE
    every = _ids(ALL, None)
    assert every[: len(indicators.registry())] == list(indicators.registry())
    assert len(every) == len(indicators.registry()) + 25  # the 25 shipped partner measures
    assert all(agency_name(indicators.get(i)) == "Police" for i in POLICE)
    assert agency_name(indicators.get("cpp_repeat_pct")) is None


def test_a_theme_is_the_whole_partnership_picture():
    assert _ids(None, "domestic_abuse") == DOMESTIC_ABUSE  # a theme alone: every agency's
    assert _ids(ALL, "domestic_abuse") == DOMESTIC_ABUSE
    assert _ids("police", "domestic_abuse") == POLICE[:2]
    assert _ids("council", "domestic_abuse") == []
    # exploitation and missing has no LA indicator in theme_indicators
    assert _ids(None, "exploitation_missing") == [
        "csc_rhi_72h_pct",
        "police_missing_episodes",
        "edu_cme_referrals",
    ]


def test_unknown_choices_fall_back_on_pages_and_are_errors_on_the_command_line():
    assert known("polce", "nope") == (None, None)
    assert known(None, "neglect") == (ALL, "neglect")
    with pytest.raises(ValueError, match=r"unknown agency 'polce'.*police"):
        check("polce", None)
    with pytest.raises(ValueError, match=r"unknown theme 'abuse'.*domestic_abuse"):
        check(None, "abuse")
    check("police", "domestic_abuse")  # no error


def test_controls_offer_every_agency_and_theme_priority_themes_first():
    values = [v for v, _ in agency_options()]
    assert values == ["", ALL, "council", "police", "health", "education", "probation"]
    themes = theme_options()
    assert [v for v, _ in themes][:3] == ["", "domestic_abuse", "exploitation_missing"]
    assert themes[1][1] == "Domestic abuse (board priority)"
    assert len(themes) == 1 + 5


def test_choice_round_trips_through_the_address_and_rejects_junk():
    state = parse_query("?la=856&freq=year&agency=police&theme=domestic_abuse")
    assert (state.agency, state.theme) == ("police", "domestic_abuse")
    assert parse_query(to_query(state)) == state
    junk = parse_query("?agency=%3Cscript%3E&theme=Robert%27);")
    assert (junk.agency, junk.theme) == (None, None)
    assert "agency" not in to_query(ViewState(la="856"))
