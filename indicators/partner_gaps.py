"""Agency gaps in assurance, ranked by one documented priority score (shared by the pages and the report).

A gap is a partner measure, at the latest quarter, that is off target, shows special-cause variation,
has failed its target for 3 or more quarters in a row, or whose agency's return is missing or late.

Priority score (:func:`priority_score`, pure):

    score = severity x persistence factor x weight x theme factor

- severity, summed over the gap's reasons: missing return 4, late return 2, red (off target) 3,
  amber (close to target) 1.5, concerning special cause 2, improving (or neither) special cause 0.5,
  so a change for the better is still listed for the board to see; no reasons means no gap.
- persistence factor = 1 + 0.5 x (min(quarters failing in a row, 4) - 1), so 1 for a first failure,
  2.5 for 4 or more quarters; for a return, the late or missing returns in the last four quarters.
- weight: the measure's weight in the partner measures file (1 context .. 3 critical); a return gap
  takes 3 (every measure of the agency is unseen or late).
- theme factor: 1.5 if the measure's theme is one of the board's priority themes, else 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITY = {
    "missing return": 4.0,
    "late return": 2.0,
    "off target": 3.0,
    "close to target": 1.5,
    "special cause (concerning)": 2.0,
    "special cause (improving)": 0.5,
    "special cause (neither improving nor concerning)": 0.5,
}
PRIORITY_THEME_FACTOR = 1.5
RETURN_WEIGHT = 3


def priority_score(reasons: list[str], persistence: int, weight: int, priority_theme: bool) -> float:
    """The documented score (module docstring); 0 when there are no reasons."""
    severity = sum(SEVERITY[r] for r in reasons)
    if severity == 0:
        return 0.0
    factor = 1 + 0.5 * (min(max(persistence, 1), 4) - 1)
    return round(severity * factor * weight * (PRIORITY_THEME_FACTOR if priority_theme else 1.0), 2)


def failing_run(rags: list[str]) -> int:
    """Quarters failing their target (red or amber) in a row, ending at the latest."""
    n = 0
    for r in reversed(rags):
        if r not in ("red", "amber"):
            break
        n += 1
    return n


@dataclass
class Gap:
    agency: str
    agency_name: str
    measure_id: str | None  # None for a return gap
    title: str
    quarter: str
    reasons: list[str]
    persistence: int
    weight: int
    priority_theme: bool
    value: str = ""
    target: str = ""
    commentary: str = ""
    score: float = field(init=False)

    def __post_init__(self) -> None:
        self.score = priority_score(self.reasons, self.persistence, self.weight, self.priority_theme)

    @property
    def why(self) -> str:
        text = "; ".join(self.reasons)
        if self.measure_id and self.persistence >= 3:
            text += f"; failing for {self.persistence} quarters in a row"
        return text


def measure_gap(
    measure, decl, quarter: str, rags: list[str], variation_icon: str | None, **shown
) -> Gap | None:
    """The gap for one measure at `quarter` from its quarterly RAGs (oldest first, latest last) and
    its SPC variation icon; None if it is not a gap."""
    reasons = []
    latest = rags[-1] if rags else "none"
    if latest == "red":
        reasons.append("off target")
    elif latest == "amber":
        reasons.append("close to target")
    if variation_icon and variation_icon.startswith("special_cause_concerning"):
        reasons.append("special cause (concerning)")
    elif variation_icon and variation_icon.startswith("special_cause_improving"):
        reasons.append("special cause (improving)")
    elif variation_icon and variation_icon.startswith("special_cause"):
        reasons.append("special cause (neither improving nor concerning)")
    run = failing_run(rags)
    if not reasons:
        return None
    agency = decl.agency(measure.agency)
    return Gap(
        agency.id,
        agency.name,
        measure.id,
        measure.short_title,
        quarter,
        reasons,
        run,
        measure.weight,
        measure.theme in decl.partnership.priority_themes,
        **shown,
    )


def return_gaps(statuses, decl, quarter: str) -> list[Gap]:
    """A gap for each agency whose return for `quarter` is missing or late; persistence counts its
    late or missing returns over the last four quarters up to `quarter`."""
    out = []
    for agency in decl.agencies:
        mine = [s for s in statuses if s.agency == agency.id and s.quarter <= quarter]
        if not mine or mine[-1].quarter != quarter or mine[-1].status not in ("late", "missing"):
            continue
        last = mine[-1]
        recent = sum(s.status in ("late", "missing") for s in mine[-4:])
        detail = (
            f"received {last.received_on:%d %b %Y}, {last.days_late} days after"
            if last.received_on
            else "not received by"
        )
        out.append(
            Gap(
                agency.id,
                agency.name,
                None,
                f"{agency.name} quarterly return",
                quarter,
                [f"{last.status} return"],
                recent,
                RETURN_WEIGHT,
                False,
                value=f"{detail} the due date {last.due_on:%d %b %Y}",
                target=f"due {last.due_on:%d %b %Y}",
                commentary=f"{recent} of the last {len(mine[-4:])} returns were late or missing.",
            )
        )
    return out


def rank(gaps: list[Gap]) -> list[Gap]:
    """Highest score first; ties by agency and title."""
    return sorted(gaps, key=lambda g: (-g.score, g.agency, g.title))
