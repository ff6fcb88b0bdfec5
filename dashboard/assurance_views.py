"""Display rows for the assurance pages (pure functions over indicators/assurance.py; every cell is text)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd

from dashboard import agency_views
from indicators import assurance as a
from vocabulary.assurance import Scale, assurance
from vocabulary.partners import declaration

CHANGE_WORDS = {"better": "up from", "worse": "down from", "same": "same as", "new": "not rated last cycle"}


def agency_name(agency_id: str) -> str:
    try:
        return declaration().agency(agency_id).name
    except KeyError:
        return agency_id


def rating_rag(level: str, scale: Scale) -> str:
    """green for the best level, amber for other good levels, red below good (for badge colours)."""
    if scale.below_good(level):
        return "red"
    return "green" if scale.rank(level) == 1 else "amber" if scale.good_or_better > 2 else "green"


def overview_rows(role: str, warehouse=None, as_at: date | None = None) -> list[list[str]]:
    """Per agency: partner measures' RAG counts (latest quarter), s.11 (latest cycle) good-or-better
    and below-good standards, latest audit round's share of grades good or better, overdue actions."""
    decl, spec = declaration(), assurance()
    quarter = agency_views.quarter_or_latest(warehouse)
    cards = agency_views.scorecards(quarter, role, warehouse) if quarter else {}
    cycle, cells = a.s11_matrix(None, warehouse)
    grades = a.audit_grades(warehouse)
    latest = None
    if not grades.empty:
        latest = grades[grades["audit_date"] == grades["audit_date"].max()]
    acts = a.actions(as_at, warehouse)
    rows = []
    for agency in decl.agencies:
        rag = Counter(c.rag for c in cards.get(agency.id, []))
        measures = (
            ", ".join(f"{rag[k]} {w}" for k, w in (("green", "green"), ("amber", "amber"), ("red", "red")))
            + (f", {rag['withheld']} withheld" if rag["withheld"] else "")
            if quarter
            else "no returns"
        )
        mine = [c for c in cells if c.agency == agency.id]
        weak = [c for c in mine if c.below_good]
        s11 = (
            f"{len(mine) - len(weak)} of {len(mine)} good or better"
            + (
                "; below good: "
                + ", ".join(
                    f"{spec.standard_title(c.standard_id)} ({Scale.label(c.agreed).lower()})" for c in weak
                )
                if weak
                else ""
            )
            if mine
            else "no s.11 return"
        )
        audit = "not audited"
        if latest is not None and (part := latest[latest["agency"] == agency.id]).size:
            good = int((~part["grade"].map(spec.audit_scale.below_good)).sum())
            counts = (good, len(part) - good, len(part))
            if role == "board" and any(1 <= n <= 5 for n in counts):  # small numbers withheld
                audit = "c"
            else:
                share = f"{good / len(part) * 100:.0f}% good or better"
                audit = f"{share} ({good} of {len(part)} grades, {part['round_id'].iloc[0]})"
        overdue = acts[(acts["owner"] == agency.id) & acts["overdue"]] if not acts.empty else acts
        late = ", ".join(overdue["action_id"]) if len(overdue) else ""
        rows.append([agency.name, measures, s11, audit, f"{len(overdue)}" + (f" ({late})" if late else "")])
    return rows


def s11_matrix_rows(warehouse=None) -> tuple[str | None, list[str], list[list[tuple[str, str]]]]:
    """(cycle, agency names, one row per standard: [(title, '')] + [(text, rag) per agency])."""
    spec = assurance()
    cycle, cells = a.s11_matrix(None, warehouse)
    agencies = [ag for ag in declaration().agencies if any(c.agency == ag.id for c in cells)]
    by = {(c.agency, c.standard_id): c for c in cells}
    rows = []
    for std in spec.section11_standards:
        row = [(std.title, "")]
        for ag in agencies:
            c = by.get((ag.id, std.id))
            if c is None:
                row.append(("not rated", "none"))
                continue
            text = Scale.label(c.agreed)
            if c.previous is not None:
                text += f" ({CHANGE_WORDS[c.change]} {Scale.label(c.previous).lower()})"
            else:
                text += f" ({CHANGE_WORDS['new']})"
            row.append((text, rating_rag(c.agreed, spec.section11_scale)))
        rows.append(row)
    return cycle, [ag.name for ag in agencies], rows


def below_good_rows(warehouse=None) -> list[list[str]]:
    spec = assurance()
    return [
        [
            str(n),
            spec.standard_title(c.standard_id),
            agency_name(c.agency),
            Scale.label(c.agreed),
            Scale.label(c.self_rating),
            "new" if c.previous is None else f"{c.change} (was {Scale.label(c.previous).lower()})",
        ]
        for n, c in enumerate(a.s11_below_good(None, warehouse), start=1)
    ]


def distribution_rows(round_id: str, by: str, role: str, warehouse=None) -> list[list[str]]:
    """One row per agency (or question): the count at each grade and the total ('c' when withheld)."""
    spec = assurance()
    df = a.grade_distribution(round_id, by, role, warehouse)
    rows = []
    for key, part in df.groupby(by, sort=False):
        cells = {r.grade: ("c" if r.suppressed else f"{int(r.count)}") for r in part.itertuples()}
        label = agency_name(key) if by == "agency" else spec.question_text(key)
        rows.append([label, *[cells.get(level, "0") for level in spec.audit_scale.levels], cells["total"]])
    return rows


def _share(row, role: str) -> str:
    good, n = int(row["good"]), int(row["grades"])
    if role == "board" and any(1 <= x <= 5 for x in (good, n - good, n)):  # a share built on small counts
        return "c"
    return f"{row['good_pct']:.0f}% of {n}"


def comparison_rows(theme: str, role: str, warehouse=None) -> tuple[list[str], list[list[str]]]:
    """(round ids, one row per question: good-or-better share in each round, 'c' on small counts)."""
    spec = assurance()
    df = a.round_comparison(theme, warehouse)
    rounds = list(dict.fromkeys(df["round_id"]))
    rows = []
    for q in spec.audit_questions:
        part = df[df["question_id"] == q.id].set_index("round_id")
        if part.empty:
            continue
        rows.append([q.text] + [_share(part.loc[r], role) if r in part.index else "-" for r in rounds])
    return rounds, rows


def learning_rows(round_id: str, warehouse=None) -> list[list[str]]:
    spec = assurance()
    df = a.learning_points(round_id, warehouse)
    return [
        [agency_name(r.agency), spec.question_text(r.question_id), r.learning_point] for r in df.itertuples()
    ]


def action_rows(
    as_at: date | None = None, warehouse=None, agency: str | None = None, status: str | None = None
) -> list[dict]:
    df = a.actions(as_at, warehouse)
    if df.empty:
        return []
    if agency:
        df = df[df["owner"] == agency]
    if status:
        df = df[df["shown_status"] == status]
    out = []
    for r in df.itertuples():
        out.append(
            {
                "id": r.action_id,
                "source": r.source,
                "action": r.action,
                "objective": r.objective or "",
                "owner": agency_name(r.owner),
                "due": f"{pd.Timestamp(r.due_date):%d %b %Y}",
                "status": a.status_label(r.shown_status) + (f" ({r.days_overdue} days)" if r.overdue else ""),
                "overdue": bool(r.overdue),
                "updated": "" if pd.isna(r.last_update) else f"{pd.Timestamp(r.last_update):%d %b %Y}",
                "linked": [x for x in str(r.linked_ids or "").split(";") if x],
            }
        )
    return out


def status_by_agency(as_at: date | None = None, warehouse=None) -> tuple[list[str], list[list[str]]]:
    """(statuses, one row per agency: count of actions at each shown status)."""
    df = a.actions(as_at, warehouse)
    statuses = ["overdue", "not_started", "on_track", "at_risk", "complete", "complete_with_impact"]
    if df.empty:
        return statuses, []
    rows = []
    for ag in declaration().agencies:
        part = df[df["owner"] == ag.id]["shown_status"].value_counts()
        rows.append([ag.name, *[str(int(part.get(s, 0))) for s in statuses], str(int(part.sum()))])
    return statuses, rows
