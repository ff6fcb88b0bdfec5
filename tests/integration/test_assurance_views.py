"""Assurance views through the real pipeline, against hand-computed values: the s.11 matrix and its
change, the below-good ranking, audit grade distributions with board suppression, round comparison,
weak questions, actions with overdue worked out, action annotations and pseudonymised case ids."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from indicators import assurance as a
from pipelines.load import ingest
from pipelines.pseudonymise import Pseudonymiser, load_or_create_key

S11 = """agency,cycle,standard_id,self_rating,evidence,agreed_rating,challenge_date
police,2025-26,s11_training,good,,good,2025-11-20
police,2025-26,s11_policies,good,,good,2025-11-20
health,2025-26,s11_training,inadequate,,inadequate,2025-11-20
police,2026-27,s11_training,good,Training records,requires_improvement,2026-11-19
police,2026-27,s11_policies,outstanding,,outstanding,2026-11-19
health,2026-27,s11_training,good,,requires_improvement,2026-11-19
health,2026-27,s11_policies,requires_improvement,,inadequate,2026-11-19
"""
# police: q_risk_identified good x6, requires_improvement x1; q_info_shared good x2, RI x4, inadequate x1
# health: q_risk_identified good x7
POLICE_RISK = ["good"] * 6 + ["requires_improvement"]
POLICE_INFO = ["good"] * 2 + ["requires_improvement"] * 4 + ["inadequate"]
HEALTH_RISK = ["good"] * 7
ACTIONS = """action_id,source,action,due_date,owner,status,linked_ids
A1,Business plan,Step-down audit,2026-05-01,council,on_track,cpp_repeat_pct
A2,LCSPR Child F,Relaunch escalation,2026-04-01,council,complete,
A3,Rapid review,Health at strategy meetings,2026-03-02,health,at_risk,
A4,Business plan,Perpetrator places,2026-07-01,probation,not_started,cpp_repeat_pct;police_da_notify_24h_pct
A5,Business plan,Encompass,2026-06-01,police,on_track,
"""


def _audit_csv() -> str:
    lines = ["round_id,theme,audit_date,case_id,agency,question_id,grade,learning_point"]
    for agency, q, grades in (
        ("police", "q_risk_identified", POLICE_RISK),
        ("police", "q_info_shared", POLICE_INFO),
        ("health", "q_risk_identified", HEALTH_RISK),
    ):
        for case, grade in enumerate(grades, start=1):
            point = (
                "Strategy discussion held without health"
                if (agency, q, case) == ("police", "q_info_shared", 3)
                else ""
            )
            lines.append(f"r1,Neglect,2026-05-12,C{case},{agency},{q},{grade},{point}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("assurance_views")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_KEY_FILE", str(folder / "key"))
    files = []
    for name, text in (("s11.csv", S11), ("audit.csv", _audit_csv()), ("actions.csv", ACTIONS)):
        (folder / name).write_text(text, encoding="utf-8")
        files.append(folder / name)
    warehouse = folder / "warehouse.duckdb"
    ingest(files, warehouse, progress=None)
    yield warehouse
    mp.undo()


def test_s11_matrix_compares_with_the_previous_cycle(wh):
    cycle, cells = a.s11_matrix(None, wh)
    got = {(c.agency, c.standard_id): (c.agreed, c.previous, c.change) for c in cells}
    assert cycle == "2026-27"
    assert got == {
        ("police", "s11_training"): ("requires_improvement", "good", "worse"),
        ("police", "s11_policies"): ("outstanding", "good", "better"),
        ("health", "s11_training"): ("requires_improvement", "inadequate", "better"),
        ("health", "s11_policies"): ("inadequate", None, "new"),
    }


def test_below_good_is_ranked_worst_first(wh):
    ranked = [(c.agency, c.standard_id) for c in a.s11_below_good(None, wh)]
    assert ranked == [("health", "s11_policies"), ("police", "s11_training"), ("health", "s11_training")]


def _dist(frame, key):
    return {(r[key], r.grade): ("c" if r.suppressed else r["count"]) for _, r in frame.iterrows()}


def test_grade_distribution_by_agency_for_analyst_and_board(wh):
    analyst = _dist(a.grade_distribution("r1", "agency", "analyst", wh), "agency")
    assert [
        analyst[("police", g)] for g in ("outstanding", "good", "requires_improvement", "inadequate", "total")
    ] == [0, 8, 5, 1, 14]
    board = _dist(a.grade_distribution("r1", "agency", "board", wh), "agency")
    assert [
        board[("police", g)] for g in ("outstanding", "good", "requires_improvement", "inadequate", "total")
    ] == [0, 8, "c", "c", 14]
    assert [
        board[("health", g)] for g in ("outstanding", "good", "requires_improvement", "inadequate", "total")
    ] == [0, 7, 0, 0, 7]


def test_grade_distribution_by_question_has_secondary_suppression(wh):
    board = _dist(a.grade_distribution("r1", "question_id", "board", wh), "question_id")
    # 13 good and 1 requires improvement of 14: the 1 is withheld, so the 13 must be too.
    assert [board[("q_risk_identified", g)] for g in ("good", "requires_improvement", "total")] == [
        "c",
        "c",
        14,
    ]


def test_round_comparison_and_weak_questions(wh):
    comp = a.round_comparison("Neglect", wh).set_index("question_id")
    assert comp.loc["q_info_shared", "good_pct"] == pytest.approx(2 / 7 * 100)
    assert comp.loc["q_risk_identified", "good_pct"] == pytest.approx(13 / 14 * 100)
    weak = a.weak_questions(wh)
    assert [(w.question_id, w.graded, w.below, w.agencies) for w in weak] == [
        ("q_info_shared", 7, 5, ("police",))
    ]


def test_actions_overdue_is_worked_out_from_due_date_and_status(wh):
    df = a.actions(date(2026, 6, 1), wh)
    assert df["action_id"].tolist() == ["A3", "A1", "A2", "A5", "A4"]
    assert df.set_index("action_id")["days_overdue"].to_dict() == {
        "A3": 91,
        "A1": 31,
        "A2": 0,
        "A5": 0,
        "A4": 0,
    }
    assert df.set_index("action_id")["shown_status"].to_dict() == {
        "A3": "overdue",
        "A1": "overdue",
        "A2": "complete",
        "A5": "on_track",
        "A4": "not_started",
    }


def test_linked_actions_become_annotations_of_the_indicator(wh):
    notes = sorted(a.action_notes("cpp_repeat_pct", wh))
    assert [d for d, _ in notes] == [date(2026, 5, 1), date(2026, 7, 1)]
    assert notes[0][1].startswith("Action A1 (council, on track)")
    assert a.action_notes("cpp_starts", wh) == []


def test_case_ids_are_stored_only_as_keyed_hashes(wh):
    key = load_or_create_key(wh.parent / "key", create=False)
    con = duckdb.connect(str(wh), read_only=True)
    keys = {k for (k,) in con.execute("select distinct case_key from audit_grades").fetchall()}
    con.close()
    assert len(keys) == 7
    assert Pseudonymiser(key).child_key("856", "audit:r1:C1") in keys
    assert not any(k.startswith("C") and len(k) < 4 for k in keys)


def test_report_section_ranks_with_owners_and_is_left_out_before_the_data_began(wh):
    from reports.assurance import build_assurance_section

    # The first dated record is the 2025-26 challenge event, 20 November 2025.
    assert build_assurance_section("board", wh, date(2026, 6, 1), date(2025, 11, 19)) is None
    board = build_assurance_section("board", wh, date(2026, 6, 1), date(2025, 11, 20))
    assert [r[1].split(":")[0] for r in board.overdue] == ["A3", "A1"]
    assert board.overdue[0][3:7] == [
        "Health (ICB and provider trusts)",
        "Designated Nurse for Safeguarding Children",
        "02 Mar 2026",
        "91 days",
    ]
    assert [(r[1], r[2], r[4]) for r in board.below_good][0] == (
        "Safeguarding policies and procedures that are known, used and reviewed",
        "Health (ICB and provider trusts)",
        "Inadequate",
    )
    assert board.weak_questions[0][3] == "c"  # 5 of 7 below good: counts of 1-5 withheld for the board
    analyst = build_assurance_section("analyst", wh, date(2026, 6, 1), date(2026, 3, 31))
    assert analyst.weak_questions[0][2:] == [
        "Was information shared with partners promptly?",
        "71% (5 of 7 grades)",
        "Police",
    ]
