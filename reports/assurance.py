"""The exception report's assurance sections: overdue actions, s.11 standards rated below good and
case-file audit questions mostly graded below good; each ranked, owners named (indicators/assurance.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from indicators import assurance as a
from vocabulary.assurance import Scale, assurance
from vocabulary.partners import declaration


@dataclass
class AssuranceSection:
    as_at: date
    cycle: str | None
    overdue: list[list[str]] = field(default_factory=list)  # rank, action, source, owner, lead, due, days
    below_good: list[list[str]] = field(default_factory=list)  # rank, standard, agency, lead, rating, change
    weak_questions: list[list[str]] = field(default_factory=list)  # rank, round, question, share, agencies
    actions_total: int = 0


def _owner(agency_id: str) -> tuple[str, str]:
    try:
        ag = declaration().agency(agency_id)
    except KeyError:
        return agency_id, ""
    return ag.name, ag.lead


def _first_dated(acts: pd.DataFrame, rounds: pd.DataFrame, warehouse) -> date | None:
    """The earliest date in the assurance data: an action's last update (else due date), an audit
    round or an s.11 challenge event."""
    found = []
    if not acts.empty:
        found += list(pd.to_datetime(acts["last_update"].fillna(acts["due_date"])))
    if not rounds.empty:
        found += list(pd.to_datetime(rounds["audit_date"]))
    s11 = a.s11_ratings(warehouse)
    if not s11.empty:
        found += list(pd.to_datetime(s11["challenge_date"].dropna()))
    return min(found).date() if found else None


def build_assurance_section(
    role: str, warehouse: str | Path | None = None, today: date | None = None, quarter_end: date | None = None
) -> AssuranceSection | None:
    """The sections as at `today` (overdue is judged on that day). None when nothing is loaded, or for a
    report whose quarter ended before the first assurance record (the assurance data began later)."""
    as_at = today or date.today()
    acts = a.actions(as_at, warehouse)
    cycle, cells = a.s11_matrix(None, warehouse)
    rounds = a.audit_rounds(warehouse)
    first = _first_dated(acts, rounds, warehouse)
    if first is None or (quarter_end is not None and quarter_end < first):
        return None
    spec = assurance()
    section = AssuranceSection(as_at=as_at, cycle=cycle, actions_total=len(acts))
    if not acts.empty:
        late = acts[acts["overdue"]]  # already ranked: longest overdue first
        for n, r in enumerate(late.itertuples(), start=1):
            name, lead = _owner(r.owner)
            section.overdue.append(
                [
                    str(n),
                    f"{r.action_id}: {r.action}",
                    r.source,
                    name,
                    lead,
                    f"{pd.Timestamp(r.due_date):%d %b %Y}",
                    f"{r.days_overdue} days",
                    a.status_label(r.status),
                ]
            )
    for n, c in enumerate(a.s11_below_good(cycle, warehouse), start=1):
        name, lead = _owner(c.agency)
        change = "new" if c.previous is None else f"{c.change} (was {Scale.label(c.previous).lower()})"
        section.below_good.append(
            [str(n), spec.standard_title(c.standard_id), name, lead, Scale.label(c.agreed), change]
        )
    for n, w in enumerate(a.weak_questions(warehouse), start=1):
        share = (
            "c"
            if role == "board" and any(1 <= x <= 5 for x in (w.below, w.graded - w.below))
            else (f"{w.share:.0f}% ({w.below} of {w.graded} grades)")
        )
        section.weak_questions.append(
            [
                str(n),
                f"{w.round_id} ({w.theme})",
                spec.question_text(w.question_id),
                share,
                ", ".join(_owner(ag)[0] for ag in w.agencies) or "none on its own",
            ]
        )
    return section
