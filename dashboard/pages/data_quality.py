"""Data-quality page: loads and lineage, validation issues, completeness and the latest data dates."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.pages.agencies import returns_section
from dashboard.tables import data_table
from indicators import quality

SOURCE_NAMES = {
    "cin_census": "CIN census return",
    "annex_a": "Annex A List 7",
    "area_lookup": "Area lookup",
    "area_population": "Area populations",
    "ons_population": "ONS population (0-17)",
    "partner_return": "Partner agency return",
}


def _count(n, role: str) -> str:
    """Counts about children follow the same rule as everywhere: 1-5 is 'c' for the board."""
    if n is None or pd.isna(n):
        return ""
    n = int(n)
    return "c" if role == "board" and 1 <= n <= 5 else f"{n:,}"


def _date(d) -> str:
    return "" if d is None or pd.isna(d) else f"{pd.Timestamp(d):%d %b %Y}"


def _parity_section(latest: pd.DataFrame, role: str) -> list:
    """Our values from the loaded returns against DfE's published values, latest census year."""
    import indicators
    from indicators import benchmarks

    census = latest[latest["source_type"] == "cin_census"]
    out = [html.H2("Parity with DfE published figures", className="h4 mt-4")]
    rows = []
    for r in census.itertuples():
        end = pd.Timestamp(r.latest_data_date).date()
        table = pd.DataFrame()
        # DfE publishes a census year months after it ends: compare the latest year it has published.
        for year in range(end.year, end.year - 4, -1):
            try:
                table = benchmarks.parity_table(r.la_code, year)
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
            "Our value computed from the loaded returns beside DfE's published value. The "
            "demo LA's returns are synthetic, so they are not expected to match."
            if "856" in set(census["la_code"])
            else "Our value computed from the loaded returns beside DfE's published value."
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
                    SOURCE_NAMES.get(r.source_type, r.source_type),
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
            "rule failures in files that did load."
        ),
        data_table(
            "Rule failures recorded at load",
            ["Rule", "Field", "Issues", "Files", "Example"],
            [
                [r.rule_id, r.field, _count(r.issues, role), f"{r.files:,}", r.example_message]
                for r in issues.itertuples()
            ],
            "dq-issues",
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
                    SOURCE_NAMES.get(r.source_type, r.source_type),
                    "" if pd.isna(r.la_code) else r.la_code,
                    "" if pd.isna(r.covers) else r.covers,
                    f"{pd.Timestamp(r.loaded_at):%d %b %Y %H:%M}",
                    r.status,
                    f"{r.rule_issues:,}",
                    r.file_sha256[:12],
                ]
                for r in loads.itertuples()
            ],
            "dq-loads",
        ),
    ]
    return html.Div(sections)
