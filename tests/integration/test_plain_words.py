"""Plain words: no internal name (snake_case id, file-type name) on any page, download or report.

Every page is rendered for the board on the demo warehouse (built through the real pipeline) and its
text is collected from the Dash component tree (tests.identifier_scan.component_text): headings, table
cells, labels, options, chart titles and trace names. The downloads are read back as the board gets
them, and the exception report's HTML is rendered. The browser tests scan the same pages as drawn."""

from __future__ import annotations

import io

import lxml.html
import pandas as pd
import pytest

import indicators
from indicators.registry import partner_registry
from tests.demo_warehouse import build_demo_warehouse
from tests.identifier_scan import KEY_COLUMNS, component_text, identifier_tokens

ROLE = "board"
QUARTER = "2022-23-Q4"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("plain-words")
    warehouse, env = build_demo_warehouse(base)
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))  # the pages read the default warehouse
    mp.setenv("SAFEGUARDING_KEY_FILE", env["SAFEGUARDING_KEY_FILE"])
    yield {"warehouse": warehouse}
    mp.undo()


def board_pages():
    """(address, rendered layout) for every page the board can open, every indicator breakdown too."""
    from dashboard import app as shell
    from dashboard.pages import agencies, assurance
    from dashboard.pages import indicator as indicator_page
    from viewmodels.state import ViewState, to_query
    from vocabulary.partners import declaration

    for path, (_, layout) in shell.PAGES.items():
        yield path, layout(ROLE, "")
    for path, (_, layout) in assurance.SUBPAGES.items():
        yield path, layout(ROLE, "")
    for a in declaration().agencies:
        yield f"{agencies.AGENCY_PREFIX}{a.id}", agencies.agency_layout(a.id, ROLE, "")
    for ind in indicators.registry().values():
        yield f"/indicator/{ind.id}", indicator_page.layout(ind.id, ROLE, "")  # the default (quarterly) view
        for by in (None, *ind.breakdowns):
            query = to_query(ViewState(la="856", freq="year", by=by))
            yield f"/indicator/{ind.id}{query}", indicator_page.layout(ind.id, ROLE, query)
    for partner_id in partner_registry():
        yield f"/indicator/{partner_id}", indicator_page.layout(partner_id, ROLE, "")


def users_names(warehouse=None) -> set[str]:
    """Names the partnership chose, shown as data: its loaded files' names (the loads table) and its
    case-file audit rounds' ids. Allowed because they are the users' own words, not ours."""
    from indicators import assurance, quality

    files = set(quality.loads(warehouse)["file_name"])
    stems = {f.rsplit(".", 1)[0] for f in files}
    return files | stems | set(assurance.audit_rounds(warehouse)["round_id"])


def page_findings() -> dict[str, list[str]]:
    found, allowed = {}, users_names()
    for where, layout in board_pages():
        tokens = identifier_tokens(component_text(layout), allowed)
        if tokens:
            found[where] = tokens
    return found


def test_every_page_shows_the_board_plain_words(demo):
    assert page_findings() == {}


def test_the_scan_fails_on_a_planted_internal_name(demo, monkeypatch):
    """A page that shows a source's internal name (as the data-quality page once did) is caught."""
    from dashboard.pages import data_quality

    monkeypatch.setattr(data_quality, "source_name", lambda kind: kind)
    found = page_findings()
    assert "cin_census" in found.get("/data-quality", [])
    assert set(found) == {"/data-quality"}


def test_spc_rule_ids_are_caught_and_shown_in_words(demo, monkeypatch):
    """The SPC notes column once said "Special cause (concerning): outside_limits, shift". The demo's
    repeat plans have special causes by quarter (tests/integration/test_report.py)."""
    from dashboard.pages import indicator as indicator_page
    from viewmodels import indicator as views

    def text() -> str:
        return "\n".join(
            component_text(indicator_page.layout(i, ROLE, "?la=856&freq=quarter"))
            for i in ("cpp_repeat_pct", "cpp_repeat_local_pct")
        )

    shown = text()
    assert "a point beyond the process limits" in shown
    assert identifier_tokens(shown) == []
    monkeypatch.setattr(views, "spc_rules_words", lambda rules: rules)
    assert "outside_limits" in identifier_tokens(text())


def _tidy_csv_findings(frame: bytes, where: str, columns: list[str] | None = None) -> list[str]:
    """Internal names in a tidy CSV as sent: a header that is not one of its machine `columns`
    (default: the indicator downloads'), or a token in a cell outside the key columns."""
    from dashboard.downloads import COLUMNS

    back = pd.read_csv(io.BytesIO(frame), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return _sheet_findings(back, where, columns or COLUMNS)


def _sheet_findings(sheet: pd.DataFrame, where: str, columns: list[str], allowed=frozenset()) -> list[str]:
    out = [f"{where}: column {c!r}" for c in sheet.columns if c not in columns]
    for col in sheet.columns:
        if col in KEY_COLUMNS:
            continue
        out += [f"{where}: {col}: {t}" for t in identifier_tokens(" \n".join(sheet[col]), allowed)]
    return out


def _xlsx_findings(data: bytes, where: str) -> list[str]:
    """Both sheets of an XLSX download as sent: 'data' (the tidy table) and 'about'. The about sheet
    names the data sheet's columns it explains (value_status c, ...), so those headers are allowed
    there, and nothing else."""
    from dashboard.downloads import COLUMNS

    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["data", "about"], where
    return _sheet_findings(sheets["data"], f"{where} data", COLUMNS) + _sheet_findings(
        sheets["about"], f"{where} about", ["item", "meaning"], allowed=set(COLUMNS)
    )


def test_every_download_and_the_report_use_plain_words(demo):
    from dashboard.downloads import csv_bytes, tidy_frame
    from dashboard.pages import cdop
    from dashboard.pages.data_quality import issues_download
    from reports.build import build_report
    from reports.render import render_html
    from viewmodels.indicator import indicator_view
    from viewmodels.state import ViewState

    found: list[str] = []
    for ind in indicators.registry().values():
        for by in (None, *ind.breakdowns):
            view = indicator_view(ind.id, ViewState(la="856", freq="year", by=by), ROLE)
            for which in ("trend", "breakdown") if by else ("trend",):
                found += _tidy_csv_findings(csv_bytes(tidy_frame(view, which, ROLE)), f"{ind.id} {which}")
    frame, _ = issues_download(ROLE)
    found += [f"issues CSV: {t}" for t in identifier_tokens(frame.to_csv(index=False))]
    view = cdop.cdop_view("856", ROLE)
    for name in view.tables:
        text = cdop.export_table(view, name).to_csv(index=False)
        found += [f"CDOP {name} CSV: {t}" for t in identifier_tokens(text)]
    report = build_report(QUARTER, "856", ROLE, demo["warehouse"])
    text = lxml.html.fromstring(render_html(report)).text_content()
    found += [f"report: {t}" for t in identifier_tokens(text)]
    assert found == [], found


def export_findings(only: set[str] | None = None) -> list[str]:
    """The agency matrix CSV (whole, and filtered by each agency and each theme, as the page offers it)
    and the XLSX downloads: every LA indicator's and partner measure's period table (or those in
    `only`), and one breakdown of each kind; the partner measures' CSVs too."""
    from dashboard import agency_views
    from dashboard.downloads import csv_bytes, tidy_frame, xlsx_bytes
    from viewmodels.indicator import indicator_view
    from viewmodels.state import ViewState
    from vocabulary.partners import declaration

    found: list[str] = []
    decl = declaration()
    quarter = agency_views.quarter_or_latest()
    assert quarter is not None
    for agency, theme in [
        (None, None),
        *((a.id, None) for a in decl.agencies),
        *((None, t) for t in decl.themes),
    ]:
        frame = agency_views.matrix_frame(quarter, ROLE, agency=agency, theme=theme)
        assert len(frame), (agency, theme)
        where = f"agency matrix {agency or theme or 'all'}"
        found += _tidy_csv_findings(csv_bytes(frame), where, agency_views.MATRIX_COLUMNS)
    kinds_done: set[str] = set()
    for ind in [*indicators.registry().values(), *partner_registry().values()]:
        if only is not None and ind.id not in only:
            continue
        view = indicator_view(ind.id, ViewState(la="856", freq="year"), ROLE)
        trend = tidy_frame(view, "trend", ROLE)
        found += _xlsx_findings(xlsx_bytes(trend), f"{ind.id} trend XLSX")
        if ind.id in partner_registry():
            found += _tidy_csv_findings(csv_bytes(trend), f"{ind.id} trend")
        for by in (b for b in ind.breakdowns if b not in kinds_done):
            kinds_done.add(by)
            view = indicator_view(ind.id, ViewState(la="856", freq="year", by=by), ROLE)
            found += _xlsx_findings(xlsx_bytes(tidy_frame(view, "breakdown", ROLE)), f"{ind.id} by {by} XLSX")
    return found


def test_the_agency_matrix_and_the_xlsx_downloads_use_plain_words(demo):
    assert export_findings() == []


def test_the_export_scan_fails_on_a_planted_internal_name(demo, monkeypatch):
    """A matrix that shows a theme's id instead of its name, and an XLSX 'about' sheet that names a
    source by its internal kind, are both caught."""
    from dashboard import agency_views, downloads

    real_xlsx = downloads.xlsx_bytes

    def planted_xlsx(frame):
        return real_xlsx(frame.assign(definition="Read from the lait_parquet file"))

    monkeypatch.setattr(agency_views, "safe_cell", lambda text: "exploitation_missing")
    monkeypatch.setattr(downloads, "xlsx_bytes", planted_xlsx)
    found = export_findings(only={"cpp_at_end"})
    assert "agency matrix all: agency: exploitation_missing" in found
    assert "cpp_at_end trend XLSX about: meaning: lait_parquet" in found
