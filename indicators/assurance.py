"""Qualitative assurance read from the warehouse: the s.11 matrix and its change, audit grade
distributions (board-suppressed), round comparisons, learning points, and actions with overdue worked
out from the due date and status on the day asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from indicators.disclosure import suppress
from indicators.store import sql
from vocabulary.assurance import DONE_STATUSES, assurance
from vocabulary.partners import declaration


def _frame(query: str, params: list | None, warehouse) -> pd.DataFrame:
    try:
        return sql(query, params or [], warehouse=warehouse)
    except duckdb.CatalogException:  # a warehouse built before assurance returns existed
        return pd.DataFrame()


# --- section 11 --------------------------------------------------------------------------------------


def s11_cycles(warehouse=None) -> list[str]:
    df = _frame("select distinct cycle from s11_ratings order by cycle", None, warehouse)
    return df["cycle"].tolist() if not df.empty else []


def s11_ratings(warehouse=None) -> pd.DataFrame:
    return _frame(
        "select agency, cycle, standard_id, self_rating, agreed_rating, evidence, challenge_date "
        "from s11_ratings",
        None,
        warehouse,
    )


@dataclass(frozen=True)
class S11Cell:
    agency: str
    standard_id: str
    agreed: str
    self_rating: str
    previous: str | None  # the agreed rating in the cycle before, if rated then
    change: str  # better | worse | same | new

    @property
    def below_good(self) -> bool:
        return assurance().section11_scale.below_good(self.agreed)


def s11_matrix(cycle: str | None = None, warehouse=None) -> tuple[str | None, list[S11Cell]]:
    """(cycle, one cell per agency and standard rated in it) for the latest cycle unless given."""
    df = s11_ratings(warehouse)
    if df.empty:
        return None, []
    cycles = sorted(df["cycle"].unique())
    cycle = cycle or cycles[-1]
    earlier = [c for c in cycles if c < cycle]
    scale = assurance().section11_scale
    before = {}
    if earlier:
        prev = df[df["cycle"] == earlier[-1]]
        before = {(r.agency, r.standard_id): r.agreed_rating for r in prev.itertuples()}
    cells = []
    for r in df[df["cycle"] == cycle].itertuples():
        was = before.get((r.agency, r.standard_id))
        if was is None:
            change = "new"
        else:
            d = scale.rank(was) - scale.rank(r.agreed_rating)
            change = "better" if d > 0 else "worse" if d < 0 else "same"
        cells.append(S11Cell(r.agency, r.standard_id, r.agreed_rating, r.self_rating, was, change))
    return cycle, cells


def s11_below_good(cycle: str | None = None, warehouse=None) -> list[S11Cell]:
    """Standards rated below good at the challenge event, worst first (rating, then worsened, then
    how many agencies share the weakness), as the exception report ranks them."""
    _, cells = s11_matrix(cycle, warehouse)
    scale = assurance().section11_scale
    weak = [c for c in cells if c.below_good]
    shared = {s: sum(1 for c in weak if c.standard_id == s) for s in {c.standard_id for c in weak}}
    order = [a.id for a in declaration().agencies]
    return sorted(
        weak,
        key=lambda c: (
            -scale.rank(c.agreed),
            c.change != "worse",
            -shared[c.standard_id],
            c.standard_id,
            order.index(c.agency) if c.agency in order else 99,
        ),
    )


# --- case-file audits --------------------------------------------------------------------------------


def audit_rounds(warehouse=None) -> pd.DataFrame:
    return _frame(
        "select round_id, theme, audit_date, cases, agencies, grades from audit_rounds order by audit_date",
        None,
        warehouse,
    )


def audit_grades(warehouse=None) -> pd.DataFrame:
    return _frame(
        "select round_id, theme, audit_date, case_key, agency, question_id, grade, learning_point "
        "from audit_grades",
        None,
        warehouse,
    )


def grade_distribution(round_id: str, by: str, role: str, warehouse=None) -> pd.DataFrame:
    """Grades in one round counted by `by` ('agency' or 'question_id') and grade, with a total row per
    group; for the board, counts of 1-5 are withheld ('suppressed') with secondary suppression so a
    withheld cell cannot be worked out from its group's total."""
    df = audit_grades(warehouse)
    levels = assurance().audit_scale.levels
    if df.empty:
        return pd.DataFrame(columns=[by, "grade", "count", "suppressed"])
    df = df[df["round_id"] == round_id]
    rows = []
    for key, part in df.groupby(by, sort=False):
        counts = part["grade"].value_counts()
        for level in levels:
            rows.append((key, "grade", level, int(counts.get(level, 0))))
        rows.append((key, "total", "total", len(part)))
    frame = pd.DataFrame(rows, columns=[by, "breakdown", "group", "numerator"])
    frame["indicator_id"], frame["period"], frame["la_code"] = frame[by], round_id, ""
    frame["denominator"], frame["value"], frame["unit"] = None, frame["numerator"], "count"
    shown = suppress(frame, role)
    out = shown.rename(columns={"group": "grade", "value": "count"})
    return out[[by, "grade", "count", "suppressed"]].reset_index(drop=True)


def round_comparison(theme: str, warehouse=None) -> pd.DataFrame:
    """Per round on the theme and question: grades given, how many good or better, and the share (%)."""
    df = audit_grades(warehouse)
    if df.empty:
        return pd.DataFrame(columns=["round_id", "audit_date", "question_id", "grades", "good_pct"])
    scale = assurance().audit_scale
    df = df[df["theme"] == theme].copy()
    df["good"] = ~df["grade"].map(scale.below_good)
    out = (
        df.groupby(["round_id", "audit_date", "question_id"], as_index=False)
        .agg(grades=("grade", "size"), good=("good", "sum"))
        .sort_values(["audit_date", "question_id"])
    )
    out["good_pct"] = out["good"] / out["grades"] * 100
    return out.reset_index(drop=True)


def learning_points(round_id: str | None = None, warehouse=None) -> pd.DataFrame:
    """Learning points as written (round, agency, question), without case keys."""
    df = audit_grades(warehouse)
    if df.empty:
        return pd.DataFrame(columns=["round_id", "agency", "question_id", "learning_point"])
    df = df[df["learning_point"].notna() & (df["learning_point"] != "")]
    if round_id:
        df = df[df["round_id"] == round_id]
    cols = ["round_id", "audit_date", "agency", "question_id", "learning_point"]
    return df[cols].sort_values(["audit_date", "agency", "question_id"]).reset_index(drop=True)


@dataclass(frozen=True)
class WeakQuestion:
    round_id: str
    theme: str
    question_id: str
    graded: int  # grades given (cases x agencies)
    below: int  # graded requires improvement or worse
    agencies: tuple[str, ...]  # agencies with most of their grades below good

    @property
    def share(self) -> float:
        return self.below / self.graded * 100


def weak_questions(warehouse=None) -> list[WeakQuestion]:
    """In the latest round of each theme, the questions where most grades were below good, worst first."""
    df = audit_grades(warehouse)
    if df.empty:
        return []
    scale = assurance().audit_scale
    df = df.copy()
    df["below"] = df["grade"].map(scale.below_good)
    latest = df.groupby("theme")["audit_date"].transform("max")
    df = df[df["audit_date"] == latest]
    out = []
    for (rid, theme, qid), part in df.groupby(["round_id", "theme", "question_id"]):
        below = int(part["below"].sum())
        if below * 2 > len(part):
            by = part.groupby("agency")["below"].mean()
            out.append(WeakQuestion(rid, theme, qid, len(part), below, tuple(sorted(by[by > 0.5].index))))
    return sorted(out, key=lambda w: (-w.share, w.question_id))


# --- actions -----------------------------------------------------------------------------------------


def actions(as_at: date | None = None, warehouse=None) -> pd.DataFrame:
    """Every action with `overdue` (due before `as_at` and not complete), `shown_status` (overdue, or
    the status given) and `days_overdue`; overdue first (longest overdue first), then by due date."""
    df = _frame(
        "select action_id, source, priority, objective, action, due_date, owner, measure, status, "
        "last_update, linked_ids from actions",
        None,
        warehouse,
    )
    if df.empty:
        return df
    as_at = as_at or date.today()
    due = pd.to_datetime(df["due_date"]).dt.date
    df["overdue"] = (due < as_at) & ~df["status"].isin(DONE_STATUSES)
    df["days_overdue"] = [(as_at - d).days if o else 0 for d, o in zip(due, df["overdue"], strict=True)]
    df["shown_status"] = df["status"].where(~df["overdue"], "overdue")
    df = df.sort_values(
        ["overdue", "days_overdue", "due_date", "action_id"], ascending=[False, False, True, True]
    )
    return df.reset_index(drop=True)


def status_label(status: str) -> str:
    return {"complete_with_impact": "Complete, with evidence of impact"}.get(
        status, status.replace("_", " ").capitalize()
    )


def action_notes(indicator_id: str, warehouse=None) -> list[tuple[date, str]]:
    """(due date, text) for each action linked to the indicator: marked on its trend as annotations."""
    try:
        df = actions(None, warehouse)
    except (duckdb.Error, OSError):  # no warehouse: no actions to mark
        return []
    if df.empty:
        return []
    notes = []
    for r in df.itertuples():
        if indicator_id in str(r.linked_ids or "").split(";"):
            notes.append(
                (
                    pd.Timestamp(r.due_date).date(),
                    f"Action {r.action_id} ({r.owner}, {status_label(r.status).lower()}): {r.action}",
                )
            )
    return notes
