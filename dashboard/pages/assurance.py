"""Qualitative assurance pages: board overview, s.11 matrix, case-file audits and the action tracker."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import dcc, html

import indicators
from dashboard import assurance_views as v
from dashboard.pages.overview import RAG_CLASS
from dashboard.tables import data_table
from indicators import assurance as a
from vocabulary.assurance import Scale, assurance
from vocabulary.partners import declaration

PATH = "/assurance"
TITLE = "Assurance"
S11_PATH, AUDITS_PATH, ACTIONS_PATH = f"{PATH}/section11", f"{PATH}/audits", f"{PATH}/actions"
HOW_TO_LOAD = (
    "An analyst writes a blank return workbook with the safeguarding template command and loads the "
    "completed one with the ingest command (docs/assurance.md gives the steps)."
)


def _indicator_name(indicator_id: str) -> str:
    """An action's linked indicator by its short title (partner measures too), never its id."""
    from indicators.registry import partner_registry

    found = indicators.registry().get(indicator_id) or partner_registry().get(indicator_id)
    return found.short_title if found else "Indicator no longer defined"


def _query(search: str | None) -> dict[str, str]:
    return {k: val[0] for k, val in parse_qs((search or "").lstrip("?")).items()}


def _nav(active: str) -> html.Nav:
    links = [
        (PATH, "Overview"),
        (S11_PATH, "Section 11"),
        (AUDITS_PATH, "Case-file audits"),
        (ACTIONS_PATH, "Actions"),
    ]
    return html.Nav(
        html.Ul(
            [
                html.Li(
                    dcc.Link(label, href=href, className="nav-link" + (" active" if href == active else "")),
                    className="nav-item",
                    **({"aria-current": "page"} if href == active else {}),
                )
                for href, label in links
            ],
            className="nav nav-pills mb-3",
        ),
        **{"aria-label": "Assurance pages"},
    )


def _badge(text: str, rag: str) -> html.Td:
    return html.Td(html.Span(text, className=f"text-wrap {RAG_CLASS.get(rag, RAG_CLASS['none'])}"))


def _page(active: str, title: str, lead: str, body: list) -> html.Div:
    name = declaration().partnership.name
    return html.Div(
        [html.H1(f"{title}: {name}", className="h2"), _nav(active), html.P(lead, className="lead"), *body]
    )


def layout(role: str = "board", search: str | None = None) -> html.Div:
    """The board's overview: per agency, measures, s.11, audits and overdue actions side by side."""
    rows = v.overview_rows(role)
    cycle, _ = a.s11_matrix()
    return _page(
        PATH,
        TITLE,
        "How well are we doing, and are we doing what we said we would? Each agency's partner measures "
        "against target, its latest section 11 self-assessment, its case-file audit grades and its "
        "overdue actions, side by side.",
        [
            data_table(
                f"Assurance by agency (s.11 cycle {cycle or 'none loaded'}; "
                "audit grades from the latest round)",
                [
                    "Agency",
                    "Partner measures against target (latest quarter)",
                    "Section 11 (agreed at challenge)",
                    "Case-file audit grades",
                    "Overdue actions",
                ],
                rows,
                "assurance-overview",
            ),
            html.P(
                [
                    "Details: ",
                    dcc.Link("section 11 matrix", href=S11_PATH),
                    ", ",
                    dcc.Link("case-file audits", href=AUDITS_PATH),
                    ", ",
                    dcc.Link("action tracker", href=ACTIONS_PATH),
                    ". " + HOW_TO_LOAD,
                ],
                className="text-muted small",
            ),
        ],
    )


def s11_layout(role: str = "board", search: str | None = None) -> html.Div:
    cycle, agencies, rows = v.s11_matrix_rows()
    if cycle is None:
        return _page(S11_PATH, "Section 11", "No section 11 returns are loaded. " + HOW_TO_LOAD, [])
    scale = assurance().section11_scale
    matrix = html.Div(
        html.Table(
            [
                html.Caption(
                    f"Ratings agreed at the challenge event, {cycle}, and the change since the last cycle "
                    f"(scale: {', '.join(Scale.label(s).lower() for s in scale.levels)}; "
                    "colour repeats the words)",
                    className="caption-top",
                ),
                html.Thead(
                    html.Tr([html.Th("Standard", scope="col")] + [html.Th(n, scope="col") for n in agencies])
                ),
                html.Tbody(
                    [
                        html.Tr([html.Th(r[0][0], scope="row")] + [_badge(t, g) for t, g in r[1:]])
                        for r in rows
                    ]
                ),
            ],
            className="table table-sm align-middle",
            id="s11-matrix",
        ),
        className="table-responsive",
        tabIndex=0,
        role="region",
        **{"aria-label": "Section 11 matrix"},
    )
    weak = v.below_good_rows()
    return _page(
        S11_PATH,
        "Section 11",
        f"Every agency rates itself against the Children Act 2004 section 11 standards; the rating shown is "
        f"the one agreed at the challenge event. Cycle {cycle}.",
        [
            matrix,
            html.H2("Standards rated below good", className="h4 mt-4"),
            data_table(
                "Standards rated below good by any agency, worst first",
                ["Rank", "Standard", "Agency", "Agreed rating", "Self-rating", "Change since last cycle"],
                weak,
                "s11-below-good",
            )
            if weak
            else html.P("No standard is rated below good.", id="s11-below-good"),
        ],
    )


def audits_layout(role: str = "board", search: str | None = None) -> html.Div:
    rounds = a.audit_rounds()
    if rounds.empty:
        return _page(AUDITS_PATH, "Case-file audits", "No case-file audits are loaded. " + HOW_TO_LOAD, [])
    query = _query(search)
    ids = rounds["round_id"].tolist()
    rid = query.get("round") if query.get("round") in ids else ids[-1]
    this = rounds.set_index("round_id").loc[rid]
    levels = [Scale.label(g) for g in assurance().audit_scale.levels]
    rounds_on_theme, comparison = v.comparison_rows(this["theme"], role)
    dated = dict(zip(rounds["round_id"], rounds["audit_date"], strict=True))
    learning = v.learning_rows(rid)
    small = (
        " Counts of 1 to 5 are shown as c, with other cells withheld where needed." if role == "board" else ""
    )
    return _page(
        AUDITS_PATH,
        "Case-file audits",
        f"Round {rid}: {this['theme']}, {this['audit_date']:%d %B %Y}, {int(this['cases'])} cases across "
        f"{int(this['agencies'])} agencies. Each agency's involvement in each case is graded on each "
        "question.",
        [
            html.P(
                ["Rounds: "] + [x for r in ids for x in (dcc.Link(r, href=f"{AUDITS_PATH}?round={r}"), " ")],
                className="d-print-none",
            ),
            html.H2("Grades by agency", className="h4 mt-4"),
            data_table(
                f"Grades given in round {rid}, by agency (cases x questions).{small}",
                ["Agency", *levels, "Total"],
                v.distribution_rows(rid, "agency", role),
                "audit-by-agency",
            ),
            html.H2("Grades by question", className="h4 mt-4"),
            data_table(
                f"Grades given in round {rid}, by question (cases x agencies).{small}",
                ["Question", *levels, "Total"],
                v.distribution_rows(rid, "question_id", role),
                "audit-by-question",
            ),
            html.H2(f"Rounds compared: {this['theme']}", className="h4 mt-4"),
            data_table(
                f"Share of grades good or better, by question, in each {this['theme'].lower()} round",
                ["Question", *[f"{r} ({dated[r]:%b %Y})" for r in rounds_on_theme]],
                comparison,
                "audit-comparison",
            ),
            html.H2("Learning points", className="h4 mt-4"),
            data_table(
                f"Learning points recorded in round {rid}",
                ["Agency", "Question", "Learning point"],
                learning,
                "audit-learning",
            )
            if learning
            else html.P("No learning points were recorded in this round.", id="audit-learning"),
        ],
    )


def actions_layout(role: str = "board", search: str | None = None) -> html.Div:
    query = _query(search)
    decl = declaration()
    agency = query.get("agency") if query.get("agency") in {ag.id for ag in decl.agencies} else None
    rows = v.action_rows(agency=agency)
    if not rows and agency is None:
        return _page(ACTIONS_PATH, "Actions", "No action plans are loaded. " + HOW_TO_LOAD, [])
    statuses, by_agency = v.status_by_agency()
    filters = html.P(
        ["Owner: ", dcc.Link("All agencies", href=ACTIONS_PATH, className="me-3")]
        + [
            dcc.Link(ag.name, href=f"{ACTIONS_PATH}?agency={ag.id}", className="me-3") for ag in decl.agencies
        ],
        className="d-print-none",
    )
    body = [
        html.Tr(
            [
                html.Th(r["id"], scope="row"),
                html.Td(r["source"]),
                html.Td(
                    [html.Span(r["action"]), html.Br(), html.Small(r["objective"], className="text-muted")]
                ),
                html.Td(r["owner"]),
                html.Td(r["due"]),
                _badge(r["status"], "red" if r["overdue"] else "none"),
                html.Td(r["updated"]),
                html.Td(
                    [
                        dcc.Link(_indicator_name(x), href=f"/indicator/{x}", className="me-2")
                        for x in r["linked"]
                    ]
                ),
            ]
        )
        for r in rows
    ]
    table = html.Div(
        html.Table(
            [
                html.Caption(
                    "Actions, overdue first (overdue: past the due date and not complete)",
                    className="caption-top",
                ),
                html.Thead(
                    html.Tr(
                        [
                            html.Th(h, scope="col")
                            for h in (
                                "Action",
                                "Source",
                                "What we will do",
                                "Owner",
                                "Due",
                                "Status",
                                "Last update",
                                "Impact shown by",
                            )
                        ]
                    )
                ),
                html.Tbody(body),
            ],
            className="table table-sm align-middle",
            id="actions-table",
        ),
        className="table-responsive",
        tabIndex=0,
        role="region",
        **{"aria-label": "Actions"},
    )
    return _page(
        ACTIONS_PATH,
        "Actions",
        "Actions from learning reviews and the business plan. Overdue is worked out from the due date and "
        "the status; an action linked to an indicator is marked on that indicator's trend.",
        [
            data_table(
                "Actions by owner and status",
                ["Agency", *[a.status_label(s) for s in statuses], "Total"],
                by_agency,
                "actions-by-agency",
            ),
            filters,
            table,
        ],
    )


SUBPAGES = {
    S11_PATH: ("Section 11", s11_layout),
    AUDITS_PATH: ("Case-file audits", audits_layout),
    ACTIONS_PATH: ("Actions", actions_layout),
}
