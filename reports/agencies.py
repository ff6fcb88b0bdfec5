"""The exception report's agency section: ranked agency gaps in assurance, the returns tracker and
each agency's scorecard (indicators/partner_scorecard.py; the score is indicators/partner_gaps.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from indicators.partner_gaps import SEVERITY, Gap
from indicators.partner_scorecard import MeasureCard, agency_gaps, agency_scorecard
from indicators.partners import returns_frame, tracker
from vocabulary.partners import declaration

TOP_GAPS = 10
RAG_TEXT = {
    "green": "on target",
    "amber": "close to target",
    "red": "off target",
    "none": "no target",
    "withheld": "withheld (small numbers)",
}


@dataclass
class AgencyPart:
    name: str
    lead: str
    cards: list[MeasureCard]
    gaps: list[Gap]
    returns: list[tuple[str, str]]  # (quarter, status words)


@dataclass
class AgencySection:
    partnership: str
    quarter: str
    gaps: list[Gap]
    agencies: list[AgencyPart] = field(default_factory=list)
    priority_themes: list[str] = field(default_factory=list)
    due_days: int = 30
    severity: dict[str, float] = field(default_factory=lambda: dict(SEVERITY))

    @property
    def top(self) -> list[Gap]:
        return self.gaps[:TOP_GAPS]

    def rag_text(self, rag: str) -> str:
        return RAG_TEXT.get(rag, rag)


def build_agency_section(
    quarter: str, role: str, warehouse: str | Path | None = None, today: date | None = None
) -> AgencySection | None:
    """The agency section for `quarter`, or None when no partner return is loaded for it or before it
    (a report for a quarter before the partnership's returns began has no agency section)."""
    loaded = returns_frame(warehouse)
    if loaded.empty or quarter < min(loaded["quarter"]):
        return None
    decl = declaration()
    statuses = tracker(warehouse, quarter, today)
    gaps = agency_gaps(quarter, role, warehouse, today)
    parts = []
    for a in decl.agencies:
        mine = [s for s in statuses if s.agency == a.id][-4:]
        returns = [
            (
                s.quarter,
                s.status
                + (
                    f" ({s.days_late} days after the due date {s.due_on:%d %b %Y})"
                    if s.status == "late"
                    else ""
                ),
            )
            for s in mine
        ]
        parts.append(
            AgencyPart(
                a.name,
                a.lead,
                agency_scorecard(a.id, quarter, role, warehouse),
                [g for g in gaps if g.agency == a.id],
                returns,
            )
        )
    return AgencySection(
        decl.partnership.name,
        quarter,
        gaps,
        parts,
        [decl.themes[t] for t in decl.partnership.priority_themes],
        decl.partnership.due_days,
    )
