"""Demo partner returns: 12 quarters of tidy CSV returns for the 5 agencies, with three planted signals.

Signals for the board to find (docs/partner-measures.md, "The demo"):
1. Probation's return is late twice: 2025-26-Q3 and 2026-27-Q2 (the latest quarter).
2. Police domestic abuse notifications shared within 24 hours fall month on month for the last five
   quarters (2025-26-Q2 to 2026-27-Q2), from about 97% to about 75%.
3. Health reports at initial child protection conferences step up from about 60% to about 80% from
   April 2025, after a named practice change (a named nurse for conferences and one health report
   template; indicators/annotations.yaml) - better, but still short of the 90% target.
Every other measure sits comfortably on its target, with binomial noise.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from indicators.periods import Period, parse_period
from pipelines.partner_template import template_rows
from vocabulary.partners import Declaration, declaration

FIRST_QUARTER = "2023-24-Q3"
QUARTERS = 12
LATE = {("probation", "2025-26-Q3"): 12, ("probation", "2026-27-Q2"): 15}  # days after the due date
POLICE_FALL_FROM = date(2025, 7, 1)  # 2025-26-Q2: the first of the last five quarters
HEALTH_CHANGE = date(2025, 4, 1)
# measure -> (rate of success, typical denominator) for percent and days measures; counts -> mean
TYPICAL: dict[str, tuple[float, int]] = {
    "csc_contact_decision_24h_pct": (0.96, 900),
    "csc_strategy_police_health_pct": (0.96, 160),
    "csc_rhi_72h_pct": (0.92, 120),
    "csc_lado_decision_1wd_pct": (0.995, 40),
    "csc_lado_days_to_outcome": (22.0, 12),
    "csc_training_places_used_pct": (0.88, 400),
    "csc_training_impact_pct": (0.83, 150),
    "police_da_notify_24h_pct": (0.975, 450),
    "police_strategy_attend_pct": (0.99, 150),
    "police_l3_training_pct": (0.96, 600),
    "health_icpc_report_pct": (0.60, 90),
    "health_strategy_attend_pct": (0.96, 150),
    "health_da_enquiry_pct": (0.92, 700),
    "health_new_birth_14d_pct": (0.96, 900),
    "health_l3_training_pct": (0.96, 1500),
    "edu_s175_audit_pct": (0.995, 140),
    "edu_encompass_pct": (0.995, 300),
    "edu_cp_persistent_absence_pct": (0.22, 250),
    "probation_sg_enquiry_pct": (0.995, 120),
    "probation_risk_referral_pct": (0.998, 40),
    "probation_l3_training_pct": (0.97, 200),
}
COUNTS = {
    "csc_lado_referrals": 35,
    "police_da_incidents_rate": 450,
    "police_missing_episodes": 260,
    "edu_cme_referrals": 6,
}
COMMENTARY = {
    "police_da_notify_24h_pct": "Notifications have slowed since the move to the new crime recording system; "
    "a backlog of incidents waits for a supervisor's review before they are shared.",
    "health_icpc_report_pct": "Since April 2025 a named nurse covers conferences and every team uses one "
    "health "
    "report template; reports are now provided far more often.",
    "edu_cme_referrals": "Small numbers: read several quarters together.",
}


def _rate(measure_id: str, start: date, months_in: float) -> float:
    p = TYPICAL[measure_id][0]
    if measure_id == "police_da_notify_24h_pct" and start >= POLICE_FALL_FROM:
        months = (start.year - POLICE_FALL_FROM.year) * 12 + start.month - POLICE_FALL_FROM.month
        p = 0.965 - 0.015 * (months + 1)
    if measure_id == "health_icpc_report_pct" and start >= HEALTH_CHANGE:
        p = 0.80
    return p


def _figures(measure, period: Period, rng: np.random.Generator) -> tuple[int, int | None, str]:
    scale = 1 / 3 if measure.frequency == "monthly" else 1.0
    if measure.id in COUNTS:
        return int(rng.poisson(COUNTS[measure.id])), None, COMMENTARY.get(measure.id, "")
    p, typical = TYPICAL[measure.id]
    den = max(1, int(rng.poisson(typical * scale if measure.frequency == "monthly" else typical)))
    if measure.unit == "days":
        num = int(sum(max(1, round(rng.normal(p, 6))) for _ in range(den)))
        return num, den, ""
    num = int(rng.binomial(den, _rate(measure.id, period.start, scale)))
    comment = COMMENTARY.get(measure.id, "") if period.start >= date(2025, 4, 1) else ""
    return num, den, comment


def _submitted(decl: Declaration, agency: str, quarter: Period, rng: np.random.Generator) -> date:
    due = decl.due_date(agency, quarter.end)
    late = LATE.get((agency, quarter.label))
    return due + timedelta(days=late) if late else due - timedelta(days=int(rng.integers(1, 10)))


def write_partner_returns(out_dir: Path, seed: int = 20261202, decl: Declaration | None = None) -> list[Path]:
    """partner_return_<agency>_<quarter>.csv for 12 quarters x 5 agencies; returns the paths."""
    decl = decl or declaration()
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    quarter = parse_period(FIRST_QUARTER, "quarter")
    paths = []
    for _ in range(QUARTERS):
        for agency in decl.agencies:
            submitted = _submitted(decl, agency.id, quarter, rng)
            path = out_dir / f"partner_return_{agency.id}_{quarter.label}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(
                    [
                        "agency",
                        "measure_id",
                        "period",
                        "numerator",
                        "denominator",
                        "value",
                        "commentary",
                        "submitted_on",
                        "la_code",
                    ]
                )
                for row in template_rows(decl, agency.id, quarter.label):
                    measure = decl.measure(row[0])
                    period = parse_period(row[6])
                    num, den, comment = _figures(measure, period, rng)
                    w.writerow(
                        [
                            agency.id,
                            measure.id,
                            period.label,
                            num,
                            "" if den is None else den,
                            "",
                            comment,
                            submitted.isoformat(),
                            decl.partnership.la_code,
                        ]
                    )
            paths.append(path)
        quarter = quarter.next()
    return paths
