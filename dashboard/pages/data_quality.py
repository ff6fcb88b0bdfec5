"""Data-quality page: loads and lineage, validation issues, completeness and the latest data dates."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, callback, dcc, html, no_update

from dashboard import ids
from dashboard.downloads import csv_bytes
from dashboard.pages.agencies import returns_section
from dashboard.session import is_demo, session_role
from dashboard.tables import data_table
from indicators import quality
from indicators.labels import load_status_name, source_name
from viewmodels.cells import export_frame


def _count(n, role: str) -> str:
    """Counts about children follow the same rule as everywhere: 1-5 is 'c' for the board."""
    if n is None or pd.isna(n):
        return ""
    n = int(n)
    return "c" if role == "board" and 1 <= n <= 5 else f"{n:,}"


SEVERITY_NAMES = {"error": "DfE error", "query": "DfE query", "rule": "Project check"}
ISSUE_HEADERS = ["Rule", "Severity", "Field", "Issues", "Files", "Example"]


def issue_rows(by_rule: pd.DataFrame, role: str) -> list[list[str]]:
    """Validation issues by rule code (DfE's code, or the project's for checks DfE lacks)."""
    return [
        [
            r.rule_id,
            SEVERITY_NAMES.get(r.severity, r.severity),
            r.field,
            _count(r.issues, role),
            f"{r.files:,}",
            r.example_message,
        ]
        for r in by_rule.itertuples()
    ]


def issues_download(role: str, warehouse=None) -> tuple[pd.DataFrame, str]:
    """What the download button gives: analysts get every issue by file and line (no child
    identifier is stored); the board gets the table on screen, with counts of 1-5 as 'c'."""
    if role == "board":
        frame = export_frame(ISSUE_HEADERS, issue_rows(quality.validation_by_rule(warehouse), role))
        return frame, "validation-issues-by-rule.csv"
    frame = quality.validation_issues(warehouse)
    frame["severity"] = frame["severity"].map(lambda s: SEVERITY_NAMES.get(s, s))
    return frame, "validation-issues.csv"


def issues_file(role: str, warehouse=None) -> tuple[bytes, str]:
    """The download's bytes and name: `issues_download` through the formula guard (file names and
    values come from LA files), as every other download (dashboard.downloads.csv_bytes)."""
    frame, name = issues_download(role, warehouse)
    return csv_bytes(frame), name


def _date(d) -> str:
    return "" if d is None or pd.isna(d) else f"{pd.Timestamp(d):%d %b %Y}"


def _parity_section(latest: pd.DataFrame, role: str) -> list:
    """Our values from the loaded returns against DfE's published values, latest census year."""
    import indicators
    from indicators import parity

    census = latest[latest["source_type"] == "cin_census"]
    out = [html.H2("Parity with DfE published figures", className="h4 mt-4")]
    rows = []
    for r in census.itertuples():
        end = pd.Timestamp(r.latest_data_date).date()
        table = pd.DataFrame()
        # DfE publishes a census year months after it ends: compare the latest year it has published.
        for year in range(end.year, end.year - 4, -1):
            try:
                table = parity.parity_table(r.la_code, year)
            except Exception:  # published tables not loaded
                table = pd.DataFrame()
            if not table.empty:
                break
        for p in table.itertuples():
            ind = indicators.get(p.indicator_id)

            def show(v, ind=ind):
                return "" if v is None or pd.isna(v) else f"{v:,.{ind.decimals}f}"

            verdict = "" if p.matches is None else ("matches" if p.matches else "differs")
            rows.append(
                [
                    f"{ind.short_title} ({r.la_code}, {p.period})",
                    show(p.local_value),
                    show(p.published_value),
                    verdict,
                    p.likely_reason,
                ]
            )
    if not rows:
        out.append(
            html.P(
                "No published DfE figures are loaded for the loaded LAs, so there is nothing to compare.",
                id="dq-parity",
            )
        )
        return out
    out += [
        html.P(
            "Our value computed from the loaded returns beside DfE's published value."
            + (
                " The demo's returns (every LA in it) are synthetic, so they are not expected to match."
                if is_demo()
                else ""
            ),
            id="dq-parity-note",
        ),
        data_table(
            "Local against published values, latest census year",
            ["Indicator", "Ours", "DfE published", "Verdict", "Most likely reason"],
            rows,
            "dq-parity",
        ),
    ]
    return out


def layout(role: str = "board", search: str | None = None) -> html.Div:
    latest = quality.latest_by_source()
    loads = quality.loads()
    issues = quality.validation_by_rule()
    comp = quality.completeness()
    sections = [
        html.H1("Data quality", className="h2"),
        html.P(
            "What has been loaded, what the checks found, and how complete the fields the "
            "indicators rely on are.",
            className="lead",
        ),
        html.H2("Latest data", className="h4 mt-4"),
        data_table(
            "Newest data date for each kind of file",
            ["Kind of file", "LA", "Latest data date", "Files in use", "Last loaded"],
            [
                [
                    source_name(r.source_type),
                    r.la_code or "all",
                    _date(r.latest_data_date),
                    f"{r.files:,}",
                    _date(r.last_loaded_at),
                ]
                for r in latest.itertuples()
            ],
            "dq-latest",
        ),
        html.H2("Unknown ethnicity and other gaps", className="h4 mt-4"),
        html.P(
            "NOBT (information not yet obtained) and REFU (refused) are kept visible: a high "
            "share weakens every comparison by ethnicity."
        ),
        data_table(
            "Completeness of child-level fields",
            [
                "LA",
                "Children",
                "Ethnicity not obtained (NOBT)",
                "Ethnicity refused (REFU)",
                "Unknown ethnicity %",
                "Sex not known",
                "No birth date",
                "Plans",
                "Plans without NumberOfPreviousCPP",
            ],
            [
                [
                    r.la_code,
                    _count(r.children, role),
                    _count(r.ethnicity_not_obtained, role),
                    _count(r.ethnicity_refused, role),
                    f"{r.ethnicity_unknown_pct:.1f}%",
                    _count(r.sex_not_known, role),
                    _count(r.no_birth_date, role),
                    _count(r.plans, role),
                    _count(r.previous_plans_missing, role),
                ]
                for r in comp.itertuples()
            ],
            "dq-completeness",
        ),
        html.H2("Validation issues by rule", className="h4 mt-4"),
        html.P(
            "Files with structural errors are rejected whole and never loaded; these are the "
            "rule failures in files that did load. Census returns for 2023-24 to 2025-26 are "
            "checked against DfE's CIN census validation rules, under DfE's rule codes: an "
            "error must be fixed before submission, a query needs a fix or a reason."
        ),
        html.Div(
            [
                data_table(
                    "Rule failures recorded at load, by DfE rule code (or the project's code "
                    "for checks DfE does not have)",
                    ISSUE_HEADERS,
                    issue_rows(issues, role),
                    "dq-issues",
                ),
                html.Button(
                    "Download CSV",
                    id=ids.DQ_ISSUES_DOWNLOAD,
                    className="govuk-button govuk-button--secondary mb-3",
                ),
            ]
        )
        if not issues.empty
        else html.P("No rule failures in the loaded files.", id="dq-issues"),
        *_parity_section(latest, role),
        *returns_section(),  # partner agency returns: on time, late or missing (pages/agencies.py)
        html.H2("Loads and lineage", className="h4 mt-4"),
        data_table(
            "Every file loaded, newest first (raw files are never changed)",
            ["File", "Kind", "LA", "Covers", "Loaded at", "Status", "Rule issues", "SHA-256"],
            [
                [
                    r.file_name,
                    source_name(r.source_type),
                    "" if pd.isna(r.la_code) else r.la_code,
                    "" if pd.isna(r.covers) else r.covers,
                    f"{pd.Timestamp(r.loaded_at):%d %b %Y %H:%M}",
                    load_status_name(r.status),
                    _count(r.rule_issues, role),
                    r.file_sha256[:12],
                ]
                for r in loads.itertuples()
            ],
            "dq-loads",
        ),
    ]
    return html.Div(sections)


@callback(
    Output(ids.DOWNLOAD, "data", allow_duplicate=True),
    Input(ids.DQ_ISSUES_DOWNLOAD, "n_clicks"),
    prevent_initial_call=True,
)
def _download_issues(clicks):
    if not clicks:
        return no_update
    return dcc.send_bytes(*issues_file(session_role()))
