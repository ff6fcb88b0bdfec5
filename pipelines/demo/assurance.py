"""Demo assurance returns for `safeguarding demo`: two s.11 cycles for the 5 demo agencies, two
case-file audit rounds on domestic abuse, and a business plan of 20 actions (CSV, seeded).

The planted stories: probation and education rate themselves below good on information sharing and
inter-agency working; health's grades on sharing information improve between the audit rounds; and
five actions on repeat child protection plans are linked to cpp_repeat_pct, two of them overdue.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from pipelines.assurance_cells import LAYOUTS
from vocabulary.assurance import assurance
from vocabulary.partners import declaration

SEED = 20261203
# (agency, standard) -> agreed rating this cycle (others are good or outstanding at random).
WEAK = {
    ("probation", "s11_information_sharing"): "inadequate",
    ("probation", "s11_inter_agency"): "requires_improvement",
    ("education", "s11_information_sharing"): "requires_improvement",
    ("health", "s11_supervision"): "requires_improvement",
    ("police", "s11_child_voice"): "requires_improvement",
}
ROUNDS = (("da_2025_10", date(2025, 10, 14), 8), ("da_2026_06", date(2026, 6, 16), 8))
LEARNING = (
    "Police notifications of incidents reached school the next working day: good practice.",
    "Health visitor was not invited to the strategy discussion.",
    "Risk assessment was not updated after the second incident.",
    "The child's wishes were recorded in the child's own words.",
    "Escalation used well when the plan drifted.",
    "Perpetrator work was not considered by the core group.",
)
ACTIONS = [  # (id, source, priority, objective, action, due, owner, status, linked)
    (
        "LCSPR1-1",
        "LCSPR Child F",
        "",
        "Repeat plans are stepped down safely",
        "Audit all plans ended in the last 6 months for step-down quality",
        date(2025, 9, 30),
        "council",
        "on_track",
        "cpp_repeat_pct",
    ),
    (
        "LCSPR1-2",
        "LCSPR Child F",
        "",
        "Partners hear when a plan ends",
        "Notify police, school and GP when a plan ends, with the step-down plan",
        date(2025, 12, 31),
        "council",
        "at_risk",
        "cpp_repeat_pct;cpp_repeat_2y_pct",
    ),
    (
        "LCSPR1-3",
        "LCSPR Child F",
        "",
        "Domestic abuse is seen at step-down",
        "Add domestic abuse risk to the step-down checklist",
        date(2026, 3, 31),
        "police",
        "complete",
        "cpp_repeat_pct",
    ),
    (
        "LCSPR1-4",
        "LCSPR Child F",
        "",
        "Schools know the step-down plan",
        "Designated safeguarding leads attend the final core group",
        date(2026, 7, 31),
        "education",
        "complete_with_impact",
        "cpp_repeat_pct",
    ),
    (
        "RR-24-1",
        "Rapid review Child G",
        "",
        "Health reports reach conference",
        "Named nurse checks every ICPC has a health report",
        date(2025, 6, 30),
        "health",
        "complete_with_impact",
        "health_icpc_report_pct",
    ),
    (
        "RR-24-2",
        "Rapid review Child G",
        "",
        "Information is shared at strategy discussions",
        "Health represented at every strategy discussion",
        date(2026, 1, 31),
        "health",
        "at_risk",
        "",
    ),
    (
        "RR-24-3",
        "Rapid review Child G",
        "",
        "Escalation is used",
        "Refresh and relaunch the escalation policy",
        date(2025, 11, 30),
        "council",
        "complete",
        "",
    ),
    (
        "BP-1-1",
        "Business plan",
        "Domestic abuse",
        "Children living with domestic abuse are safer",
        "Roll out Operation Encompass to all schools",
        date(2026, 4, 30),
        "police",
        "complete",
        "police_da_notify_24h_pct",
    ),
    (
        "BP-1-2",
        "Business plan",
        "Domestic abuse",
        "Fewer children return to a plan",
        "Perpetrator programme places for fathers on plans",
        date(2026, 9, 30),
        "probation",
        "not_started",
        "cpp_repeat_pct",
    ),
    (
        "BP-1-3",
        "Business plan",
        "Domestic abuse",
        "Practitioners recognise coercive control",
        "Multi-agency coercive control training for 300 staff",
        date(2027, 3, 31),
        "council",
        "on_track",
        "",
    ),
    (
        "BP-2-1",
        "Business plan",
        "Neglect",
        "Neglect is recognised early",
        "Launch the graded care profile in health visiting",
        date(2026, 6, 30),
        "health",
        "on_track",
        "",
    ),
    (
        "BP-2-2",
        "Business plan",
        "Neglect",
        "Plans do not drift",
        "Review every plan open 18 months at the 15-month review",
        date(2027, 1, 31),
        "council",
        "on_track",
        "cpp_open_2y_pct",
    ),
    (
        "BP-2-3",
        "Business plan",
        "Neglect",
        "Schools spot neglect",
        "Neglect toolkit briefing for designated safeguarding leads",
        date(2026, 10, 31),
        "education",
        "at_risk",
        "",
    ),
    (
        "BP-3-1",
        "Business plan",
        "Exploitation and missing",
        "Missing children are found and heard",
        "Return home interviews within 72 hours",
        date(2026, 8, 31),
        "council",
        "not_started",
        "",
    ),
    (
        "BP-3-2",
        "Business plan",
        "Exploitation and missing",
        "Exploitation is disrupted",
        "Joint disruption panel with police and community safety",
        date(2027, 2, 28),
        "police",
        "on_track",
        "",
    ),
    (
        "BP-4-1",
        "Business plan",
        "A safer workforce",
        "Staff are trained",
        "Level 3 training for all probation practitioners",
        date(2026, 3, 31),
        "probation",
        "on_track",
        "probation_l3_training_pct",
    ),
    (
        "BP-4-2",
        "Business plan",
        "A safer workforce",
        "Allegations are handled well",
        "LADO awareness sessions for sports clubs",
        date(2027, 3, 31),
        "council",
        "not_started",
        "",
    ),
    (
        "BP-4-3",
        "Business plan",
        "A safer workforce",
        "Supervision is regular",
        "Safeguarding supervision audit in the acute trust",
        date(2026, 11, 30),
        "health",
        "complete",
        "",
    ),
    (
        "BP-5-1",
        "Business plan",
        "The front door",
        "Decisions are timely",
        "Daily front-door triage with police and health",
        date(2026, 5, 31),
        "council",
        "complete_with_impact",
        "csc_contact_decision_24h_pct",
    ),
    (
        "BP-5-2",
        "Business plan",
        "The front door",
        "Schools' referrals are good quality",
        "Referral quality feedback to schools each term",
        date(2027, 1, 31),
        "education",
        "on_track",
        "",
    ),
]


def _write(path: Path, columns: tuple[str, ...], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        w.writerows(rows)
    return path


def write_assurance_returns(out_dir: Path, seed: int = SEED) -> list[Path]:
    """assurance_s11.csv, assurance_audit.csv and assurance_actions.csv in out_dir."""
    decl, spec = declaration(), assurance()
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    good = list(spec.section11_scale.levels[: spec.section11_scale.good_or_better])
    s11 = []
    for cycle, challenge in (("2025-26", date(2025, 11, 20)), ("2026-27", date(2026, 11, 19))):
        for agency in decl.agencies:
            for std in spec.section11_standards:
                agreed = str(rng.choice(good, p=[0.3, 0.7]))
                if cycle == "2026-27":
                    agreed = WEAK.get((agency.id, std.id), agreed)
                elif (agency.id, std.id) in WEAK:
                    agreed = "good" if std.id != "s11_information_sharing" else "requires_improvement"
                self_rating = "good" if agreed in ("requires_improvement", "inadequate") else agreed
                note = f"{agency.name}: {std.title.lower()} - evidence from the {cycle} self-assessment."
                s11.append([agency.id, cycle, std.id, self_rating, note, agreed, challenge.isoformat()])
    levels = spec.audit_scale.levels
    audit = []
    for n, (rid, when, cases) in enumerate(ROUNDS):
        for case in range(1, cases + 1):
            for agency in decl.agencies:
                for q in spec.audit_questions:
                    # Round 1: health and probation share information poorly; round 2 (after the
                    # rapid review actions) they do better, but plans still do not make children safer.
                    weak = (n == 0 and q.id == "q_info_shared" and agency.id in ("health", "probation")) or (
                        n == 1 and q.id == "q_plan_outcome"
                    )
                    p = [0.05, 0.3, 0.5, 0.15] if weak else [0.15, 0.55, 0.25, 0.05]
                    grade = str(rng.choice(levels, p=p))
                    point = str(rng.choice(LEARNING)) if rng.random() < 0.1 else ""
                    audit.append(
                        [
                            rid,
                            "Domestic abuse",
                            when.isoformat(),
                            f"C{case:02d}",
                            agency.id,
                            q.id,
                            grade,
                            point,
                        ]
                    )
    actions = []
    for aid, source, prio, objective, action, due, owner, status, linked in ACTIONS:
        update = min(due, date(2026, 11, 1)) - timedelta(days=14)
        actions.append(
            [
                aid,
                source,
                prio,
                "",
                objective,
                action,
                due.isoformat(),
                owner,
                "Tracked in the quarterly performance report",
                status,
                update.isoformat(),
                linked,
            ]
        )
    return [
        _write(out_dir / "assurance_s11.csv", LAYOUTS["s11_return"][1], s11),
        _write(out_dir / "assurance_audit.csv", LAYOUTS["case_audit"][1], audit),
        _write(out_dir / "assurance_actions.csv", LAYOUTS["action_plan"][1], actions),
    ]
