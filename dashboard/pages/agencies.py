"""Partner agency pages: the all-agencies matrix, returns tracker, ranked gaps and one page per agency."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import agency_views, ids
from dashboard.downloads import csv_bytes
from dashboard.pages.overview import RAG_CLASS
from dashboard.tables import data_table
from viewmodels.cells import RAG_WORDS
from vocabulary.partners import OBA_QUESTIONS, declaration

PATH = "/agencies"
TITLE = "Partner agencies"
AGENCY_PREFIX = "/agency/"
TOP_GAPS = 10


def _query(search: str | None) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def _choice(search: str | None) -> tuple[str | None, str | None]:
    """The matrix filter in the address: (agency id, theme id), each None unless the file knows it."""
    query, decl = _query(search), declaration()
    theme = query.get("theme") if query.get("theme") in decl.themes else None
    agency = query.get("agency") if query.get("agency") in {a.id for a in decl.agencies} else None
    return agency, theme


def _no_returns() -> html.Div:
    return html.Div(
        [
            html.H1(TITLE, className="h2"),
            html.P(
                "No partner agency returns are loaded yet. An analyst writes a blank return workbook "
                "for each agency with the safeguarding template command and loads the completed one "
                "with the ingest command (docs/partner-measures.md gives the steps).",
                id="agencies-empty",
            ),
        ]
    )


def _cell(text: str, rag: str) -> html.Td:
    return html.Td(html.Span(text, className=f"text-wrap {RAG_CLASS.get(rag, RAG_CLASS['none'])}"))


def _filters(query: dict[str, str]) -> html.Nav:
    decl = declaration()
    themes = [dcc.Link("All themes", href=PATH, className="me-3")] + [
        dcc.Link(name, href=f"{PATH}?theme={tid}", className="me-3") for tid, name in decl.themes.items()
    ]
    agencies = [dcc.Link("All agencies", href=PATH, className="me-3")] + [
        dcc.Link(a.name, href=f"{PATH}?agency={a.id}", className="me-3") for a in decl.agencies
    ]
    return html.Nav(
        [html.P(["Filter by theme: ", *themes], className="mb-1"), html.P(["Filter by agency: ", *agencies])],
        **{"aria-label": "Filter the matrix"},
        className="d-print-none",
    )


def _gaps_table(quarter: str, role: str, agency: str | None = None) -> html.Div:
    gaps = [g for g in agency_views.gaps(quarter, role) if agency is None or g.agency == agency]
    if not gaps:
        return html.P(f"No agency gaps in assurance in {quarter}.", id="agency-gaps")
    rows = [
        [str(n), g.agency_name, g.title, g.why, g.value, g.target, f"{g.score:.2f}", g.commentary]
        for n, g in enumerate(gaps[:TOP_GAPS] if agency is None else gaps, start=1)
    ]
    return data_table(
        f"Agency gaps in assurance, {quarter}, highest priority first (score: severity x persistence x "
        "weight x board priority theme)",
        ["Rank", "Agency", "Measure or return", "Why", "Value", "Target", "Priority score", "Commentary"],
        rows,
        "agency-gaps",
    )


def _matrix(quarter: str, role: str, query: dict[str, str]) -> html.Div:
    labels, rows = agency_views.matrix(quarter, role, agency=query.get("agency"), theme=query.get("theme"))
    if not rows:
        return html.P("No partner measures match this filter.", id="agency-matrix")
    body = [
        html.Tr(
            [html.Td(agency_name), html.Th(dcc.Link(title, href=f"/indicator/{mid}"), scope="row")]
            + [_cell(text, rag) for text, rag in cells]
        )
        for agency_name, mid, title, cells in rows
    ]
    return html.Div(
        html.Table(
            [
                html.Caption(
                    "Every partner measure by quarter: value and how it stands against its target "
                    "(colour repeats the words)",
                    className="caption-top",
                ),
                html.Thead(
                    html.Tr(
                        [html.Th("Agency", scope="col"), html.Th("Measure", scope="col")]
                        + [html.Th(q, scope="col") for q in labels]
                    )
                ),
                html.Tbody(body),
            ],
            className="table table-sm align-middle",
            id="agency-matrix",
        ),
        className="table-responsive",
        tabIndex=0,
        role="region",
        **{"aria-label": "All-agencies matrix"},
    )


def _tracker(quarter: str) -> html.Div:
    labels, rows = agency_views.tracker_rows(quarter)
    return html.Div(
        html.Table(
            [
                html.Caption(
                    f"Returns received on time, late or missing (due {declaration().partnership.due_days} "
                    "days after the quarter ends unless the partnership sets another rule for an agency)",
                    className="caption-top",
                ),
                html.Thead(
                    html.Tr([html.Th("Agency", scope="col")] + [html.Th(q, scope="col") for q in labels])
                ),
                html.Tbody(
                    [html.Tr([html.Th(r[0][0], scope="row")] + [_cell(t, c) for t, c in r[1:]]) for r in rows]
                ),
            ],
            className="table table-sm align-middle",
            id="returns-tracker",
        ),
        className="table-responsive",
        tabIndex=0,
        role="region",
        **{"aria-label": "Returns tracker"},
    )


def returns_section() -> list:
    """The returns tracker for the data-quality page (nothing when no partner returns are loaded)."""
    quarter = agency_views.quarter_or_latest()
    if quarter is None:
        return []
    return [
        html.H2("Partner agency returns", className="h4 mt-4"),
        html.P(
            [
                "Each agency's quarterly return: on time, late or missing against its due date. ",
                dcc.Link("Partner agencies", href=PATH),
                " has the figures.",
            ]
        ),
        _tracker(quarter),
    ]


def _theme(theme: str, quarter: str, role: str) -> list:
    decl = declaration()
    rows = agency_views.theme_rows(theme, quarter, role)
    return [
        html.H2(f"{decl.themes[theme]}: the whole picture", className="h4 mt-4"),
        data_table(
            f"{decl.themes[theme]}: the LA's indicators beside the partner measures, {quarter}",
            ["Measure", "From", "Value", "Target", "Against target"],
            [[dcc.Link(r[1], href=f"/indicator/{r[5]}"), r[0], r[2], r[3], r[4]] for r in rows],
            "theme-table",
        ),
    ]


def layout(role: str = "board", search: str | None = None) -> html.Div:
    quarter = agency_views.quarter_or_latest()
    if quarter is None:
        return _no_returns()
    decl = declaration()
    agency, theme = _choice(search)
    query = {k: v for k, v in (("theme", theme), ("agency", agency)) if v}
    return html.Div(
        [
            html.H1(f"{TITLE}: {decl.partnership.name}", className="h2"),
            html.P(
                f"Latest quarter returned: {quarter}. Each agency returns its figures every quarter; "
                "the board's priority themes are "
                + ", ".join(decl.themes[t] for t in decl.partnership.priority_themes)
                + ".",
                className="lead",
            ),
            html.P(
                [
                    "Agency pages: ",
                    *[
                        dcc.Link(a.name, href=f"{AGENCY_PREFIX}{a.id}", className="me-3")
                        for a in decl.agencies
                    ],
                ]
            ),
            html.H2("Top agency gaps in assurance", className="h4 mt-4"),
            _gaps_table(quarter, role),
            html.H2("Returns tracker", className="h4 mt-4"),
            _tracker(quarter),
            html.H2("All-agencies matrix", className="h4 mt-4"),
            _filters(query),
            _matrix(quarter, role, query),
            html.Button(
                "Download the matrix (CSV)",
                id=ids.AGENCY_MATRIX_DOWNLOAD,
                className="btn btn-outline-primary btn-sm mt-2 mb-3 d-print-none",
            ),
            *(_theme(theme, quarter, role) if theme else []),
        ]
    )


def agency_layout(agency_id: str, role: str = "board", search: str | None = None) -> html.Div:
    decl = declaration()
    agency = decl.agency(agency_id)
    quarter = agency_views.quarter_or_latest()
    if quarter is None:
        return _no_returns()
    cards = agency_views.scorecards(quarter, role)[agency.id]
    rows = [
        html.Tr(
            [
                html.Th(dcc.Link(c.title, href=f"/indicator/{c.measure_id}"), scope="row"),
                html.Td(c.oba),
                html.Td(c.theme),
                html.Td(c.value, className="fw-bold"),
                html.Td(c.target),
                _cell(RAG_WORDS[c.rag].capitalize(), c.rag),
                html.Td(c.spc),
                html.Td(c.commentary),
            ]
        )
        for c in cards
    ]
    labels, tracker = agency_views.tracker_rows(quarter)
    mine = next(r for r in tracker if r[0][0] == agency.name)
    return html.Div(
        [
            html.H1(agency.name, className="h2"),
            html.P(f"Scorecard for {quarter}. Return signed by the {agency.lead}.", className="lead"),
            html.P(dcc.Link("All agencies", href=PATH)),
            html.Div(
                html.Table(
                    [
                        html.Caption(f"{agency.name} scorecard, {quarter}", className="caption-top"),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col")
                                    for h in (
                                        "Measure",
                                        "Question (OBA)",
                                        "Theme",
                                        "Value",
                                        "Target",
                                        "Against target",
                                        "SPC",
                                        "Commentary",
                                    )
                                ]
                            )
                        ),
                        html.Tbody(rows),
                    ],
                    className="table table-sm align-middle",
                    id="agency-scorecard",
                ),
                className="table-responsive",
                tabIndex=0,
                role="region",
                **{"aria-label": f"{agency.name} scorecard"},
            ),
            html.P(
                "Question (OBA): the Outcomes-Based Accountability question the measure answers: "
                + ", ".join(OBA_QUESTIONS.values()),
                className="text-muted small",
            ),
            html.H2("Gaps in assurance", className="h4 mt-4"),
            _gaps_table(quarter, role, agency.id),
            html.H2("Returns", className="h4 mt-4"),
            data_table(
                f"{agency.name} returns by quarter",
                ["Quarter", "Status"],
                [[q, t] for q, (t, _) in zip(labels, mine[1:], strict=True)],
                "agency-returns",
            ),
        ]
    )


def matrix_download(search: str | None, role: str) -> dict | None:
    """What the matrix's download button sends: the tidy matrix for the page's filters and the role."""
    quarter = agency_views.quarter_or_latest()
    if quarter is None:
        return None
    agency, theme = _choice(search)
    frame = agency_views.matrix_frame(quarter, role, agency=agency, theme=theme)
    return dcc.send_bytes(csv_bytes(frame), agency_views.matrix_file_name(quarter, agency, theme))


@callback(
    Output(ids.DOWNLOAD, "data", allow_duplicate=True),
    Input(ids.AGENCY_MATRIX_DOWNLOAD, "n_clicks"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def _download_matrix(clicks, search):
    from dashboard.session import session_role

    if not clicks:
        return no_update
    return matrix_download(search, session_role()) or no_update
