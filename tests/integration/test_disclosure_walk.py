"""Disclosure walk: every page, breakdown, download and the exception report, as the board role sees them.

The demo warehouse is built through the real pipeline (`safeguarding demo`). The walk then:

* renders every page's layout for the board role: every page in `dashboard.app.PAGES` for every LA and
  frequency, and every indicator page for every frequency and every allowed breakdown (and none), and
  walks the Dash component tree collecting every `html.Table`, so a table nobody listed is checked too;
* checks every breakdown of every indicator at EVERY period of every frequency (a user can pick any end
  period), through `viewmodels.indicator.suppressed_breakdown`, the function `indicator_view` uses for its one
  period, called here for all periods at once, and `breakdown_rows`, which makes the cells shown;
* checks every download: the CSV and XLSX that the indicator page's download callback sends for every
  rendered view (same `export_frame`, same `dcc.send_data_frame` calls, read back), every CDOP CSV, and
  `export_frame` of every breakdown at every period;
* runs `safeguarding report --role board` and checks the HTML tables and the PDF text.

Rule 1, no count of 1-5. A table cell is a count unless its column is a label (the first column, periods,
targets, RAG, SPC words, facts about files) or a ratio (a header with %, rate, interval, ratio or median). A
column headed with an indicator's name ("Children on a plan", "Value", "Latest value", "Ours") holds that
indicator's values: a count when its unit is `count`. So numerators, denominators, CDOP counts and
data-quality counts are counts, and so is any new column nobody thought of; percentages and rates are not.

Rule 2, no withheld cell can be recovered by subtraction. This is what `indicators.disclosure.suppress`
promises for one table at a time (its primary and secondary suppression); the walk checks it across
everything the board can see. For each breakdown table (one indicator, frequency, breakdown and period;
ethnicity codes also within each ethnic group, whose margin is that group's row in the ethnic_group
breakdown) let C be the cells the board cannot see anywhere:

* if the margin (the total, or the ethnic group's row) is shown anywhere, in any trend table or any
  breakdown view, then |C| != 1, and if |C| >= 2 their values are not pinned: their true sum is more than
  the least they could add up to (1 for each withheld count, rate numerator or percentage denominator,
  since a group is listed only when it has one and zeros are shown; 0 for a percentage numerator, which
  may be withheld for its small denominator);
* if the margin is withheld everywhere, |C| >= 1 (else the margin is the sum of the cells shown).

A breakdown with no rows for a period (withheld whole, see `suppressed_breakdown`) shows nothing to check.
Indicators that share a count (plans starting is the denominator of both repeat-plan percentages;
children on a plan is the numerator of the rate and the denominator of D5) would let a cell withheld in
one table be read from another, so shared counts are found from the data (identical true values in every
period and group of a breakdown), must be declared in `viewmodels.indicator.SHARED_COUNTS`, and are checked as
one: a cell is unseen only if every table that shows it withholds it. The Child deaths page's own pooled
breakdowns and backlog rows get the |C| != 1 check too (a pooled total also counts as shown when every
pooled year is shown on the page).

Not checked here: figures (hover text, built from the same suppressed frames), statistics derived from
withheld counts other than those listed above, and inference that chains several tables or periods
together (e.g. a pooled three-year cell against its three yearly cells on the indicator page).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import numpy as np
import pandas as pd
import pytest
from dash import dcc, html

import indicators
from indicators.board import is_flow
from indicators.disclosure import NESTED, SUPPRESSED
from indicators.labels import unit_name
from tests.demo_warehouse import ROOT, SAFEGUARDING, build_demo_warehouse
from tests.integration.period_audit import PeriodAudit
from viewmodels.indicator import SHARED_COUNTS
from viewmodels.state import BREAKDOWN_LABELS, FREQUENCIES, ViewState, to_query

ROLE = "board"
QUARTER = "2022-23-Q4"  # the report's quarter (as in test_report.py)
SMALL = re.compile(r"[1-5]")  # a whole cell of 1 to 5 (fullmatch)
RULE_ROW = re.compile(r"\d{3,4}Q?|R-[A-Z0-9-]+")  # a DfE or project rule code opening a rule-issue row
# Columns that are labels or ratios, never counts (matched against the whole header, lower case).
LABEL_HEADERS = {
    "period",
    "period end",
    "target",
    "rag",
    "spc and notes",
    "comparator",
    "significant?",
    "indicator",
    "status against target",
    "variation (spc)",
    "assurance (spc)",
    "assurance",
    "exception",
    "last 12 periods",
    "year",
    "as at",
    "area",
    "kind of file",
    "la",
    "latest data date",
    "files in use",
    "last loaded",
    "file",
    "kind",
    "covers",
    "loaded at",
    "status",
    "sha-256",
    "rule",
    "field",
    "files",
    "example",
    "verdict",
    "most likely reason",
    "change",  # a difference of two numerators, shown only when neither is withheld
}
RATIO = re.compile(r"%|\brate\b|interval|ratio|median")
# Columns holding an indicator's own values (a count when the indicator's unit is count).
VALUE_HEADERS = re.compile(
    r"^(value|latest value|ours|dfe published|england \(published\)|region|statistical neighbours)"
)


@dataclass
class Walk:
    """What was checked, and every problem found."""

    pages: int = 0
    breakdown_tables: int = 0
    nested_tables: int = 0
    cdop_breakdowns: int = 0
    pdf_lines: int = 0
    withheld_whole: int = 0
    linked_quantities: int = 0
    audit: PeriodAudit = field(default_factory=PeriodAudit)  # rule 3: across periods
    downloads: int = 0
    xlsx_files: int = 0
    breakdown_download_frames: int = 0
    problems: list[str] = field(default_factory=list)
    counted: Counter = field(default_factory=Counter)
    totals: dict = field(default_factory=dict)

    def fail(self, message: str) -> None:
        self.problems.append(message)


def _short_titles() -> dict[str, str]:
    """Indicator short title -> unit, longest first (so a title that starts another is not mistaken)."""
    titles = {ind.short_title: ind.unit for ind in indicators.registry().values()}
    return dict(sorted(titles.items(), key=lambda kv: -len(kv[0])))


def _unit_named(text: str, titles: dict[str, str]) -> str | None:
    for title, unit in titles.items():
        if text.startswith(title):
            return unit
    return None


def count_columns(headers: list[str], first_cells: list[str], page_unit: str | None) -> list[list[int]]:
    """For each row, the positions of its count cells (deny by default: see the module docstring)."""
    titles = _short_titles()
    kinds = []
    for i, h in enumerate(headers):
        low = h.strip().lower()
        if i == 0 or low in LABEL_HEADERS or low in {v.lower() for v in BREAKDOWN_LABELS.values()}:
            kinds.append("label")
        elif VALUE_HEADERS.match(low):
            kinds.append("value-row")  # the row says which indicator
        elif _unit_named(h, titles) is not None:
            kinds.append("value-" + _unit_named(h, titles))
        elif RATIO.search(low):
            kinds.append("label")
        else:
            kinds.append("count")
    out = []
    for first in first_cells:
        row_unit = _unit_named(first, titles) or page_unit
        cols = []
        for i, kind in enumerate(kinds):
            if (
                kind == "count"
                or kind == "value-count"
                or (kind == "value-row" and row_unit in (None, "count"))
            ):
                cols.append(i)
        out.append(cols)
    return out


def check_table(
    walk: Walk, where: str, headers: list[str], rows: list[list[str]], unit: str | None, kind: str = "page"
) -> None:
    """Rule 1 on one table as shown on a page, in a download (kind "download") or in the report."""
    walk.counted[f"{kind} tables"] += 1
    columns = count_columns(headers, [r[0] if r else "" for r in rows], unit)
    for row, cols in zip(rows, columns, strict=True):
        walk.counted[f"{kind} cells"] += len(row)
        walk.counted["withheld cells"] += sum(c == SUPPRESSED for c in row)
        for i in cols:
            if i >= len(row):
                continue
            walk.counted[f"{kind} count cells"] += 1
            if SMALL.fullmatch(row[i].replace(",", "").strip()):
                walk.fail(f"{where}: count {row[i]!r} in column {headers[i]!r}, row {row}")


# ---------------------------------------------------------------------------------------------- Dash tree


def _text(node) -> str:
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(_text(n) for n in node)
    if isinstance(node, dcc.Graph):
        return ""
    return _text(getattr(node, "children", None))


def dash_tables(node) -> list[tuple[list[str], list[list[str]]]]:
    """Every html.Table under a Dash component: (header texts, body rows of cell texts)."""
    found = []

    def visit(n):
        if isinstance(n, list | tuple):
            for x in n:
                visit(x)
        elif isinstance(n, html.Table):
            headers, rows = [], []
            for part in n.children if isinstance(n.children, list) else [n.children]:
                trs = part.children if isinstance(part, html.Thead | html.Tbody) else []
                trs = trs if isinstance(trs, list) else [trs]
                for tr in trs:
                    cells = tr.children if isinstance(tr.children, list) else [tr.children]
                    texts = [_text(c) for c in cells]
                    if isinstance(part, html.Thead):
                        headers = texts
                    else:
                        rows.append(texts)
            found.append((headers, rows))
        elif n is not None and not isinstance(n, str | int | float | bool):
            visit(getattr(n, "children", None))

    visit(node)
    return found


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("disclosure-walk")
    warehouse, env = build_demo_warehouse(base)
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFEGUARDING_WAREHOUSE", str(warehouse))  # the pages read the default warehouse
    mp.setenv("SAFEGUARDING_KEY_FILE", env["SAFEGUARDING_KEY_FILE"])
    yield {"base": base, "env": env, "warehouse": warehouse}
    mp.undo()


def start_report(demo: dict, quarter: str = QUARTER) -> tuple[subprocess.Popen, Path]:
    """The board's exception report, run in the background while the pages are walked."""
    out = demo["base"] / "report"
    proc = subprocess.Popen(
        [
            *SAFEGUARDING,
            "report",
            "--quarter",
            quarter,
            "--la",
            "856",
            "--role",
            ROLE,
            "--warehouse",
            str(demo["warehouse"]),
            "--out",
            str(out),
        ],
        env=demo["env"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, out


# ------------------------------------------------------------------------------------------------ pages


def walk_pages(walk: Walk, monkeypatch) -> tuple[list, list]:
    """Render every page for the board; return the indicator views and CDOP views the pages showed."""
    from dashboard import app as shell
    from dashboard.pages import cdop
    from dashboard.pages import indicator as indicator_page

    views, cdop_views = [], []
    real_view, real_cdop = indicator_page.indicator_view, cdop.cdop_view

    def capture(*args, **kwargs):
        views.append(real_view(*args, **kwargs))
        return views[-1]

    def capture_cdop(*args, **kwargs):
        cdop_views.append(real_cdop(*args, **kwargs))
        return cdop_views[-1]

    monkeypatch.setattr(indicator_page, "indicator_view", capture)
    monkeypatch.setattr(cdop, "cdop_view", capture_cdop)
    las = list(indicators.api.local_authorities())
    for path, (_, layout) in shell.PAGES.items():
        for la in las:
            for freq in FREQUENCIES:
                query = to_query(ViewState(la=la, freq=freq))
                walk.pages += 1
                for headers, rows in dash_tables(layout(ROLE, query)):
                    check_table(walk, f"{path}{query}", headers, rows, None)
    for ind in indicators.registry().values():
        for la in las:
            for freq in FREQUENCIES:
                for by in (None, *ind.breakdowns):
                    query = to_query(ViewState(la=la, freq=freq, by=by))
                    walk.pages += 1
                    for headers, rows in dash_tables(indicator_page.layout(ind.id, ROLE, query)):
                        check_table(walk, f"/indicator/{ind.id}{query}", headers, rows, ind.unit)
    return views, cdop_views


# -------------------------------------------------------------------------------------------- downloads


def _xlsx_cells(content: bytes) -> list[list[str]]:
    """The cells of the only sheet of an .xlsx written by pandas (openpyxl writes strings inline)."""
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    rows = []
    for row in re.findall(r"<row [^>]*>(.*?)</row>", sheet, re.S):
        cells = re.findall(r"<c [^>]*?(?:/>|>(.*?)</c>)", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c) for c in cells])
    return rows


def check_download(walk: Walk, where: str, frame: pd.DataFrame, unit: str | None, xlsx: bool) -> None:
    """The CSV (and the XLSX) the download callback would send, read back and checked like a table."""
    sent = dcc.send_data_frame(frame.to_csv, "x.csv", index=False)
    back = pd.read_csv(io.StringIO(sent["content"]), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(frame.columns) and back.to_numpy().tolist() == frame.to_numpy().tolist()
    walk.downloads += 1
    check_table(walk, f"{where} (CSV)", list(back.columns), back.to_numpy().tolist(), unit, "download")
    if xlsx:
        sent = dcc.send_data_frame(frame.to_excel, "x.xlsx", index=False, sheet_name="data")
        cells = _xlsx_cells(base64.b64decode(sent["content"]))
        walk.xlsx_files += 1
        check_table(walk, f"{where} (XLSX)", cells[0], cells[1:], unit, "download")


def walk_downloads(walk: Walk, views: list, cdop_views: list) -> None:
    from dashboard.pages.cdop import export_table
    from viewmodels.cells import breakdown_headers, export_frame, trend_headers

    written: set = set()
    for view in views:
        ind, state = view.indicator, view.state
        tables = [("trend", trend_headers(ind), view.trend_rows)]
        if view.breakdown is not None:
            tables.append(("breakdown", breakdown_headers(ind, state.by), view.breakdown_rows))
        for which, headers, rows in tables:
            frame = export_frame(headers, rows)
            key = (tuple(headers), tuple(map(tuple, rows)))
            # The .xlsx of an identical frame is the same file: write each distinct one once.
            check_download(walk, f"{ind.id} {which} {to_query(state)}", frame, ind.unit, key not in written)
            written.add(key)
    for view in cdop_views:
        for name in view.tables:
            check_download(walk, f"/cdop?la={view.la} {name}", export_table(view, name), None, True)


# ------------------------------------------------------------------------- every breakdown, every period


DIMS = {  # unit -> (dimension, least value of a withheld cell)
    "count": [("numerator", 1)],
    "rate_per_10k": [("numerator", 1)],
    "rate_per_100k": [("numerator", 1)],
    "percent": [("numerator", 0), ("denominator", 1)],
    "days": [("numerator", 0), ("denominator", 1)],
}


def _numbers(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").fillna(0).to_numpy(dtype=float)


def breakdown_cells(walk: Walk, ind, freq: str, la: str, by: str, periods: list[str]):
    """One breakdown at every period, as the board sees it (rule 1 on the cells and the totals), with
    the true values beside it. Returns (cells, totals): long frames for rule 2."""
    from viewmodels.cells import breakdown_headers, export_frame
    from viewmodels.indicator import breakdown_rows, sort_groups, suppressed_breakdown

    board = suppressed_breakdown(ind.id, periods, la, by, ROLE)
    key = (ind.id, freq, la)  # the totals, as the analyst sees them (the same for every breakdown)
    if key not in walk.totals:
        walk.totals[key] = indicators.values(ind.id, periods, la, None)
    true_totals = walk.totals[key]
    shown = sort_groups(board.cells)
    rows = breakdown_rows(ind, shown)
    headers = breakdown_headers(ind, by)
    where = f"{ind.id} {freq} by {by}"
    walk.breakdown_tables += len(periods)
    walk.withheld_whole += len(set(board.raw["period"]) - set(shown["period"]))
    walk.counted["breakdown cells"] += len(rows) * len(headers)
    counts = [2, 3] + ([1] if ind.unit == "count" else [])  # numerator, denominator (and a count value)
    small = {"1", "2", "3", "4", "5"}
    for row in rows:
        if any(row[i] in small for i in counts):
            walk.fail(f"{where}: a count of 1-5 in {row}")
    walk.counted["breakdown count cells"] += len(rows) * len(counts)
    hidden = np.array([row[1] == SUPPRESSED for row in rows], dtype=bool)
    walk.counted["withheld cells"] += int(hidden.sum())
    if any((row[2] == SUPPRESSED) != h for row, h in zip(rows, hidden, strict=True)):
        walk.fail(f"{where}: a row withholds its value but not its numerator, or the other way")
    # What the download of each period's breakdown would hold (the same export_frame, all periods at once).
    exported = export_frame(headers, rows).to_numpy()
    walk.breakdown_download_frames += len(periods)
    if any(row[i] in small for row in exported for i in counts):
        walk.fail(f"{where}: a count of 1-5 in a breakdown download")
    for t in board.total.itertuples():  # the total, as the trend's last row shows it in this view
        numbers = [t.numerator, t.denominator] + ([t.value] if ind.unit == "count" else [])
        if not t.suppressed and any(pd.notna(x) and 1 <= float(x) <= 5 for x in numbers):
            walk.fail(f"{where}: total {t.period} shows a count of 1-5: {numbers}")
    true = board.raw.set_index(["period", "group"])
    key = pd.MultiIndex.from_arrays([shown["period"], shown["group"]])
    cells = pd.DataFrame(
        {
            "ind": ind.id,
            "period": shown["period"].to_numpy(),
            "group": shown["group"].to_numpy(),
            "hidden": hidden,
            "numerator": _numbers(true["numerator"].reindex(key)),
            "denominator": _numbers(true["denominator"].reindex(key)),
        }
    )
    assert board.total["period"].tolist() == true_totals["period"].tolist()
    totals = pd.DataFrame(
        {
            "ind": ind.id,
            "period": board.total["period"].to_numpy(),
            "hidden": board.total["suppressed"].to_numpy(dtype=bool),
            "numerator": _numbers(true_totals["numerator"]),
            "denominator": _numbers(true_totals["denominator"]),
        }
    )
    truth = pd.DataFrame(
        {
            "ind": ind.id,
            "period": board.raw["period"].to_numpy(),
            "group": board.raw["group"].to_numpy(),
            "numerator": _numbers(board.raw["numerator"]),
            "denominator": _numbers(board.raw["denominator"]),
        }
    )
    truth = truth.merge(cells[["period", "group", "hidden"]], how="left", on=["period", "group"])
    truth["seen"] = truth["hidden"].eq(False)  # listed and not withheld
    walk.audit.add("dashboard breakdown", board.cells, board.raw, ind.unit, is_flow(ind))
    return cells, totals, truth


def _quantities(cells: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """Long frame: one row per indicator, dimension (numerator/denominator), period and group."""
    parts = []
    for dim, floor in {(d, f) for u in set(units.values()) for d, f in DIMS[u]}:
        inds = [i for i, u in units.items() if (dim, floor) in DIMS[u]]
        part = cells[cells["ind"].isin(inds)]
        parts.append(
            pd.DataFrame(
                {
                    "qty": part["ind"] + "." + dim,
                    "period": part["period"],
                    "group": part["group"],
                    "hidden": part["hidden"],
                    "true": part[dim],
                    "floor": floor,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _link(q: pd.DataFrame) -> dict[str, str]:
    """Quantity -> the name of its class: quantities with identical true values everywhere are one."""
    classes: dict[tuple, str] = {}
    out = {}
    for name, part in q.sort_values(["qty", "period", "group"]).groupby("qty", sort=True):
        sig = (tuple(part["period"]), tuple(part["group"]), part["true"].to_numpy(dtype=float).tobytes())
        out[name] = classes.setdefault(sig, name)
    return out


def recoverable(q: pd.DataFrame, margins: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rule 2 on tables keyed by `keys` (class, period[, parent]): the tables where a withheld cell can be
    read by subtraction. `q`: one row per class, table key and group with `unseen` (withheld in every table
    that shows it), `true` and `floor`. `margins`: per table key, `margin_seen` and `margin_true`."""
    # A listed count is not zero (zeros are shown, or not listed at all), so a withheld one is >= 1.
    q = q.assign(
        slack=np.where(q["unseen"], q["true"] - q["floor"], 0.0), floored=q["unseen"] & (q["floor"] > 0)
    )
    t = q.groupby(keys).agg(k=("unseen", "sum"), slack=("slack", "sum"), floored=("floored", "any"))
    t = t.join(margins.set_index(keys), how="left")
    t["margin_seen"] = t["margin_seen"].fillna(False).astype(bool)
    bad = (
        (t["margin_seen"] & (t["k"] == 1))
        | (t["margin_seen"] & (t["k"] >= 2) & (t["slack"] < 1) & t["floored"])
        | (~t["margin_seen"] & (t["k"] == 0) & (t["margin_true"].fillna(0) != 0))
    )
    return t[bad]


def walk_breakdowns(walk: Walk, views: list) -> None:
    """Rule 1 and 2 for every indicator x frequency x breakdown x period."""
    seen_totals: dict[tuple, bool] = {}  # (la, freq, indicator, period) -> shown somewhere
    for view in views:  # the trend tables the pages rendered (every period of the default range)
        for row in view.trend_rows:
            key = (view.state.la, view.state.freq, view.indicator.id, row[0])
            seen_totals[key] = seen_totals.get(key, False) or row[2] != SUPPRESSED
    units = {ind.id: ind.unit for ind in indicators.registry().values()}
    for la in indicators.api.local_authorities():
        for freq in FREQUENCIES:
            per_by: dict[str, tuple[pd.DataFrame, ...]] = {}
            for by in dict.fromkeys(b for ind in indicators.registry().values() for b in ind.breakdowns):
                parts = []
                for ind in indicators.registry().values():
                    periods = [p.label for p in indicators.available_periods(freq, la, None, ind.id)]
                    if by in ind.breakdowns and periods:
                        parts.append(breakdown_cells(walk, ind, freq, la, by, periods))
                if parts:
                    per_by[by] = tuple(
                        pd.concat(frames, ignore_index=True) for frames in zip(*parts, strict=True)
                    )
                    for t in per_by[by][1].itertuples():
                        key = (la, freq, t.ind, t.period)
                        seen_totals[key] = seen_totals.get(key, False) or not t.hidden
            for by, (cells, totals, truth) in per_by.items():
                _rule_two(walk, la, freq, by, cells, totals, truth, per_by, seen_totals, units)


def _rule_two(walk, la, freq, by, cells, totals, truth, per_by, seen_totals, units) -> None:
    # Shared counts are found from the true values of every row, listed or not.
    link = _link(_quantities(truth.assign(hidden=False), units))
    q = _quantities(cells, units)
    q["cls"] = q["qty"].map(link)
    members = pd.Series(list(link), index=list(link)).groupby(list(link.values())).agg(list)
    walk.linked_quantities += sum(len(m) > 1 for m in members)
    declared = [{f"{i}.{d}" for i, d in family} for family in SHARED_COUNTS.values()]
    for names in members:
        if len(names) > 1 and not any(set(names) <= family for family in declared):
            walk.fail(f"{la} {freq} by {by}: {names} show the same count but are not in views.SHARED_COUNTS")
    cell = q.groupby(["cls", "period", "group"], sort=False).agg(
        unseen=("hidden", "all"), true=("true", "first"), floor=("floor", "max")
    )
    cell = cell.reset_index()
    # Margins: a class's total is seen if any member's total is shown anywhere.
    tq = _quantities(totals.assign(group="All"), units)
    tq["cls"] = tq["qty"].map(link)
    tq["seen"] = [
        seen_totals.get((la, freq, qty.split(".")[0], p), False)
        for qty, p in zip(tq["qty"], tq["period"], strict=True)
    ]
    margins = tq.groupby(["cls", "period"]).agg(margin_seen=("seen", "any"), margin_true=("true", "first"))
    bad = recoverable(cell, margins.reset_index(), ["cls", "period"])
    for (cls, period), r in bad.head(20).iterrows():
        walk.fail(f"{la} {freq} by {by} {period} {'/'.join(members[cls])}: {dict(r)}")
    if by in NESTED and NESTED[by][0] in per_by:  # ethnicity within each ethnic group
        outer, parent_of = NESTED[by]
        outer_truth = per_by[outer][2]
        oq = _quantities(outer_truth.assign(hidden=~outer_truth["seen"]), units)
        oq = oq.assign(seen=~oq["hidden"])
        cell["parent"] = cell["group"].map(parent_of).fillna("Not known")
        rows = []
        for cls, names in members.items():
            part = oq[oq["qty"].isin(names)]
            g = part.groupby(["period", "group"]).agg(
                margin_seen=("seen", "any"), margin_true=("true", "first")
            )
            rows.append(g.reset_index().rename(columns={"group": "parent"}).assign(cls=cls))
        walk.nested_tables += cell.groupby(["cls", "period", "parent"]).ngroups
        bad = recoverable(cell, pd.concat(rows, ignore_index=True), ["cls", "period", "parent"])
        for key, r in bad.head(20).iterrows():
            walk.fail(f"{la} {freq} by {by} within ethnic group {key}: {dict(r)}")


def walk_cdop_tables(walk: Walk, cdop_views: list) -> None:
    """Rule 2 on the Child deaths page's own breakdowns (pooled years, with an "All ..." row) and on
    each backlog date (bands and their total). A pooled total also counts as shown when every pooled
    year's value is shown in the yearly tables of the same page."""
    for view in cdop_views:
        years = dict.fromkeys(view.years[-3:])
        yearly = {
            name: [r[1] for r in view.tables[table].rows if r[0] in years]
            for name, table in (("Deaths notified", "trend"), ("Reviews completed", "timeliness"))
        }
        for name in ("age", "expected", "category"):
            t = view.tables[name]
            if not t.rows or not t.rows[-1][0].startswith("All "):
                walk.fail(f"/cdop {name}: no total row in {t.rows}")
                continue
            for i, header in enumerate(t.headers[1:3], start=1):
                if RATIO.search(header.lower()):
                    continue
                from_years = yearly.get(header, [])
                margin_seen = t.rows[-1][i] != SUPPRESSED or (
                    len(from_years) == len(years) and SUPPRESSED not in from_years
                )
                k = sum(r[i] == SUPPRESSED for r in t.rows[:-1])
                walk.cdop_breakdowns += 1
                if (margin_seen and k == 1) or (not margin_seen and k == 0):
                    walk.fail(f"/cdop?la={view.la} {name} {header}: {k} withheld, total shown: {margin_seen}")
        for row in view.tables["backlog"].rows:
            k = sum(c == SUPPRESSED for c in row[1:-1])
            walk.cdop_breakdowns += 1
            if (row[-1] != SUPPRESSED and k == 1) or (row[-1] == SUPPRESSED and k == 0):
                walk.fail(f"/cdop?la={view.la} backlog: {row}")


# ------------------------------------------------------------------------------------------ across periods


def walk_periods(walk: Walk, views: list, by_periods: int = 2) -> None:
    """Rule 3 (tests/integration/period_audit.py): the trend tables the pages rendered (every period of
    every frequency; the downloads and the report's trend tables are built from the same rows), the
    CLI's board rows (`indicator_rows` and `render`, the code `safeguarding indicators --role board`
    runs) at every period of every frequency, and by every breakdown at every year and the last
    `by_periods` quarters and months. The breakdown tables at every period were added by
    breakdown_cells."""
    from indicators.cli_output import indicator_rows, render

    inds = indicators.registry()
    done = set()
    for view in views:
        ind, state = view.indicator, view.state
        if (ind.id, state.freq, state.la) in done:
            continue
        done.add((ind.id, state.freq, state.la))
        periods = view.trend["period"].tolist()
        truth = indicators.values(ind.id, periods, state.la, None)
        walk.audit.add("dashboard trend", view.trend, truth, ind.unit, is_flow(ind))
    for la in indicators.api.local_authorities():
        for freq in FREQUENCIES:
            labels = [p.label for p in indicators.available_periods(freq, la)]
            asks = [(p, None) for p in labels]
            last = labels if freq == "year" else labels[-by_periods:]
            asks += [(p, by) for p in last for by in BREAKDOWN_LABELS if by != "la"]
            for period, by in asks:
                try:
                    text = render(indicator_rows(period, la, by, ROLE, None), "json")
                except ValueError:  # no indicator has this breakdown
                    continue
                shown = pd.DataFrame(json.loads(text))
                truth = indicator_rows(period, la, by, "analyst", None)
                walk.counted["cli outputs"] += 1
                for ind_id, part in truth.groupby("indicator_id", sort=False):
                    mine = shown[shown["indicator_id"] == ind_id] if len(shown) else shown
                    walk.audit.add("cli", mine, part, inds[ind_id].unit, is_flow(inds[ind_id]))
    found, stats = walk.audit.recoverable()
    walk.counted.update({f"period {k}": v for k, v in stats.items()})
    for f in found[:40]:
        walk.fail(f"across periods: {f}")
    walk.counted["period recoverable"] = len(found)


# ----------------------------------------------------------------------------------------------- report


def walk_report(walk: Walk, proc: subprocess.Popen, out: Path, quarter: str = QUARTER) -> None:
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    stem = f"exception-report-856-{quarter}"
    doc = lxml.html.parse(str(out / f"{stem}.html")).getroot()
    for table in doc.iter("table"):
        headers = [th.text_content().strip() for th in table.xpath(".//thead//th")]
        rows = [
            [c.text_content().strip() for c in tr.xpath("./th|./td")] for tr in table.xpath(".//tbody/tr")
        ]
        if not headers:  # a comparator table: label, published value
            headers = ["Comparator", "Value"][: max(map(len, rows), default=0)]
        check_table(walk, "report (HTML)", headers, rows, None, "report")
        for i, h in enumerate(headers):  # a breakdown (its totals are published): no lone withheld cell
            if h.startswith("Numerator ") and sum(r[i] == SUPPRESSED for r in rows) == 1:
                walk.fail(f"report: a single withheld cell in {h!r}: {rows}")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext not found: install poppler-utils (see .ci/run)")
    text = subprocess.run(
        [pdftotext, "-layout", "-enc", "UTF-8", str(out / f"{stem}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line for line in text.splitlines() if not ("Page " in line and " of " in line)]
    for line in lines:  # table-like lines: columns separated by two or more spaces
        parts = [p.strip() for p in re.split(r"\s{2,}", line.strip()) if p.strip()]
        if len(parts) < 2:
            continue
        walk.pdf_lines += 1
        if RULE_ROW.fullmatch(parts[0]) and len(parts) > 3:  # rule, field, issues, files, message:
            parts = parts[:3] + parts[4:]  # the number of files is no count of children (HTML: "files")
        if any(SMALL.fullmatch(p) for p in parts[1:]):
            walk.fail(f"report (PDF): {line.strip()!r}")
    walk.pages += 1


# ------------------------------------------------------------------------------------------------ tests


def test_checker_sees_small_counts_and_lone_cells():
    """The two rules can fail: a count of 1-5 and a lone withheld cell are both reported."""
    walk = Walk()
    check_table(
        walk,
        "t",
        ["Sex", "Children on a plan", "Numerator", "Denominator"],
        [["Male", "3", "3", ""]],
        "count",
    )
    check_table(walk, "t", ["Year", "Deaths notified", "Rate per 100,000"], [["2023-24", "4", "1.0"]], None)
    check_table(walk, "t", ["Year", "Something new"], [["2023-24", "2"]], None)
    check_table(walk, "t", ["Year", "Rate per 100,000", "Median days"], [["2023-24", "4", "3"]], None)
    assert len(walk.problems) == 4, walk.problems  # value and numerator, deaths, the new column
    q = pd.DataFrame(
        {
            "cls": "a",
            "period": "p",
            "group": ["x", "y", "z"],
            "unseen": [True, False, False],
            "true": [3.0, 10.0, 12.0],
            "floor": 1,
        }
    )
    margin = pd.DataFrame({"cls": ["a"], "period": ["p"], "margin_seen": [True], "margin_true": [25.0]})
    assert len(recoverable(q, margin, ["cls", "period"])) == 1  # a lone withheld cell
    assert len(recoverable(q.assign(unseen=[True, True, False]), margin, ["cls", "period"])) == 0
    pinned = q.assign(unseen=[True, True, False], true=[1.0, 1.0, 23.0])
    assert len(recoverable(pinned, margin, ["cls", "period"])) == 1  # two withheld cells that must be 1 and 1
    assert len(recoverable(pinned.assign(floor=0), margin, ["cls", "period"])) == 0  # may be 0 and 2
    hidden_margin = margin.assign(margin_seen=False)
    assert len(recoverable(q.assign(unseen=False), hidden_margin, ["cls", "period"])) == 1  # margin = sum
    assert len(recoverable(q, hidden_margin, ["cls", "period"])) == 0
    everything = q.assign(unseen=True, true=[1.0, 1.0, 1.0])  # three listed, all withheld, total 3
    assert len(recoverable(everything, margin.assign(margin_true=3.0), ["cls", "period"])) == 1


def test_a_breakdown_that_would_pin_a_published_total_is_withheld_whole():
    """Six deaths in six areas: withholding every area still pins each to 1 while the trend publishes
    the 6, so the board gets no area rows for that period, and the total as the trend shows it."""
    from viewmodels.indicator import _suppress_keeping_totals

    rows = [("total", "All", 6)] + [("area", f"Area {i}", 1) for i in range(6)]
    rows += [("total", "All", 40), ("area", "Area 0", 30), ("area", "Area 1", 7), ("area", "Area 2", 3)]
    frame = pd.DataFrame(
        {
            "indicator_id": "x",
            "period": ["p1"] * 7 + ["p2"] * 4,
            "la_code": "856",
            "breakdown": [r[0] for r in rows],
            "group": [r[1] for r in rows],
            "numerator": [r[2] for r in rows],
            "denominator": None,
            "value": [float(r[2]) for r in rows],
            "unit": "count",
        }
    )
    shown, whole = _suppress_keeping_totals(frame, ROLE, frozenset(), frozenset())
    assert whole == {("p1", "856")}
    assert shown.loc[shown["breakdown"] == "total", "numerator"].tolist() == [6, 40]
    assert not shown.loc[shown["breakdown"] == "total", "suppressed"].any()
    p2 = shown[(shown["period"] == "p2") & (shown["breakdown"] == "area")]
    assert (shown["period"] == "p1").sum() == 1 and p2["suppressed"].tolist() == [False, True, True]


def test_board_sees_no_count_of_1_to_5_and_no_recoverable_cell(demo, monkeypatch):
    started = time.monotonic()
    report, report_dir = start_report(demo)
    try:
        walk = Walk()
        indicators.api.warm_cache(frequencies=tuple(FREQUENCIES))
        views, cdop_views = walk_pages(walk, monkeypatch)
        walk_downloads(walk, views, cdop_views)
        walk_cdop_tables(walk, cdop_views)
        walk_breakdowns(walk, views)
        walk_periods(walk, views)
        walk_report(walk, report, report_dir)
    finally:
        if report.poll() is None:
            report.kill()
    took = time.monotonic() - started
    c = walk.counted
    print(
        f"\nDisclosure walk for the board ({took:.0f} s): {walk.pages} pages rendered (the report "
        f"counted as one), {c['page tables']} tables on them ({c['page cells']} cells, "
        f"{c['page count cells']} of them counts); {walk.breakdown_tables} breakdown tables "
        f"(indicator x frequency x breakdown x period; {c['breakdown cells']} cells, "
        f"{c['breakdown count cells']} counts; {walk.withheld_whole} withheld whole), "
        f"{walk.nested_tables} ethnicity-within-ethnic-group tables, {walk.cdop_breakdowns} Child deaths "
        f"page breakdowns, {walk.linked_quantities} shared counts found; {walk.downloads} downloads "
        f"(CSV, and {walk.xlsx_files} distinct XLSX, written and read back: {c['download cells']} cells) "
        f"and {walk.breakdown_download_frames} per-period breakdown export frames; report: "
        f"{c['report tables']} HTML tables ({c['report count cells']} counts), {walk.pdf_lines} PDF table "
        f"lines; {c['withheld cells']} cells withheld (c) in all; across periods: {c['period series']} "
        f"series, {c['cli outputs']} CLI outputs, {c['period withheld']} withheld cells "
        f"({c['period withheld_small']} of 1-5), {c['period linear_programmes']} linear programmes, "
        f"{c['period recoverable']} recoverable; {len(walk.problems)} problems"
    )
    assert not walk.problems, "\n".join(walk.problems[:60])
    # Not vacuous: the walk saw what it should have.
    registry = indicators.registry().values()
    las = indicators.api.local_authorities()
    from dashboard import app as shell

    expected_pages = (
        len(las) * len(FREQUENCIES) * (len(shell.PAGES) + sum(1 + len(i.breakdowns) for i in registry))
    )
    assert walk.pages == expected_pages + 1  # + the report
    expected_breakdowns = sum(
        len(indicators.available_periods(f, la, None, i.id)) * len(i.breakdowns)
        for i in registry
        for f in FREQUENCIES
        for la in las
    )
    assert walk.breakdown_tables == expected_breakdowns > 10_000
    assert walk.downloads >= len(views) > 400
    assert (
        c["withheld cells"] > 1000 and c["page count cells"] > 10_000 and c["breakdown count cells"] > 100_000
    )
    assert c["report tables"] >= 5 and c["report count cells"] > 0 and walk.pdf_lines > 0
    assert walk.nested_tables > 1000 and walk.linked_quantities > 0
    assert walk.cdop_breakdowns >= 3 * len(cdop_views)


def _clear_indicator_caches() -> None:
    """Every memoised function of the indicators package (values, periods, statuses, withheld cells)."""
    import sys

    for name, module in list(sys.modules.items()):
        if name == "indicators" or name.startswith("indicators."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.fixture
def old_board_caches():
    """The indicators' caches are keyed by warehouse, not by `is_flow`: a test that patches `is_flow`
    must not leave its results behind for the tests after it (nor find earlier ones)."""
    _clear_indicator_caches()
    yield
    _clear_indicator_caches()


def test_period_audit_catches_the_old_per_period_suppression(demo, monkeypatch, old_board_caches):
    """Rule 3 can fail: with the old behaviour (every period suppressed on its own, and breakdowns of
    period counts at every frequency) the audit finds withheld counts of 1-5 that other periods of the
    same count give away, e.g. a year less three published quarters."""
    import indicators.board as board

    monkeypatch.setattr(board, "is_flow", lambda ind: False)  # the code before the period rule
    indicators.api.warm_cache(frequencies=tuple(FREQUENCIES))
    audit = PeriodAudit()
    la = "856"
    for ind_id in ("cpp_starts", "cpp_repeat_pct", "cpp_ended_2y_pct"):
        ind = indicators.get(ind_id)
        for freq in FREQUENCIES:
            periods = [p.label for p in indicators.available_periods(freq, la, None, ind_id)]
            shown = board.trend(ind_id, periods, la, ROLE)
            audit.add("trend", shown, indicators.values(ind_id, periods, la, None), ind.unit, True)
            for by in ("area", "ethnic_group", "sex", "category"):
                part = board.suppressed_breakdown(ind_id, periods, la, by, ROLE)
                audit.add("breakdown", part.cells, part.raw, ind.unit, True)
    found, stats = audit.recoverable()
    by_kind = Counter(f.split("'")[5] for f in found)  # the breakdown of each recovered cell
    print(f"\nOld behaviour, 3 indicators: {len(found)} counts of 1-5 recovered {dict(by_kind)}; {stats}")
    assert len(found) > 0
    assert any("cpp_starts" in f and "'area'" in f for f in found)


def test_cli_board_breakdowns_keep_shared_counts_withheld(demo):
    """`safeguarding indicators --role board --by X` at every year and every breakdown: within one
    output, a count that several indicators show (SHARED_COUNTS) counts as seen for a group if any of
    them shows it; with the total published, the groups seen nowhere must not be exactly one, nor
    pinned to 1 each. The issue's example (2016-17 by ethnic group: Unknown = 4 from cpp_at_end against
    cpp_open_2y_pct's denominator) is one of these outputs, run through the real command."""
    from indicators.board import trend
    from indicators.cli_output import indicator_rows

    run = subprocess.run(
        [*SAFEGUARDING, "indicators", "--period", "2016-17", "--by", "ethnic_group", "--role", ROLE]
        + ["--format", "json", "--warehouse", str(demo["warehouse"])],
        env=demo["env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    example = pd.DataFrame(json.loads(run.stdout))
    la, checked, problems = "856", 0, []
    for period in [p.label for p in indicators.available_periods("year", la)]:
        for by in (b for b in BREAKDOWN_LABELS if b != "la"):
            try:
                shown = indicator_rows(period, la, by, ROLE, None)
            except ValueError:
                continue
            if period == "2016-17" and by == "ethnic_group":
                # the same cells withheld (row order follows how the values were read: cached or not)
                def withheld(rows: pd.DataFrame) -> list[tuple]:
                    keys = rows.loc[rows["suppressed"].astype(bool), ["indicator_id", "breakdown", "group"]]
                    return sorted(keys.astype(str).itertuples(index=False, name=None))

                assert len(shown) == len(example) and withheld(shown) == withheld(example)
            for name, members in SHARED_COUNTS.items():
                parts, total = [], None
                for ind_id, dim in members:
                    if by not in indicators.get(ind_id).breakdowns:
                        continue
                    raw = indicators.values(ind_id, [period], la, by)
                    mine = shown[shown["indicator_id"] == ind_id].set_index("group")["suppressed"]
                    parts.append(raw.assign(seen=raw["group"].map(mine).eq(False), true=raw[dim]))
                    t = trend(ind_id, [period], la, ROLE)
                    if not t["suppressed"].iloc[0]:
                        total = float(indicators.values(ind_id, [period], la, None)[dim].iloc[0])
                if not parts or total is None:
                    continue
                cells = pd.concat(parts).groupby("group").agg(seen=("seen", "any"), true=("true", "first"))
                unseen = cells[~cells["seen"]]
                checked += 1
                if len(unseen) == 1 or (len(unseen) > 1 and unseen["true"].sum() - len(unseen) < 1):
                    problems.append(f"{period} by {by}, {name}: {unseen['true'].to_dict()}")
    print(f"\nCLI board breakdowns: {checked} shared-count tables checked, {len(problems)} problems")
    assert checked > 50 and not problems, problems


# ------------------------------------------------------------------------------- partner agency measures

PARTNER_QUARTER = "2026-27-Q2"  # the demo's latest quarter of partner returns (pipelines/demo/partners.py)


def _words_off(rows: list[list[str]]) -> list[list[str]]:
    """Matrix and tracker cells read "<value> (<words>)": check the value part as a cell of its own."""
    return [[re.sub(r" \(.*\)$", "", c) for c in row] for row in rows]


def test_partner_pages_downloads_and_report_show_the_board_no_count_of_1_to_5(demo, monkeypatch):
    """The partner agency pages (all-agencies matrix, each filter, each agency page), the scorecard
    filtered by each agency and theme, every partner measure's indicator page at every frequency, their
    CSV and XLSX downloads, the matrix download for each filter, and the exception report of the latest
    partner quarter, as the board sees them: no count of 1 to 5."""
    from dashboard import agency_views
    from dashboard.downloads import csv_bytes
    from dashboard.pages import agencies, overview
    from dashboard.pages import indicator as indicator_page
    from indicators.registry import partner_registry
    from vocabulary.partners import declaration

    report, report_dir = start_report(demo, PARTNER_QUARTER)
    try:
        walk = Walk()
        decl = declaration()
        layouts = {agencies.PATH: agencies.layout(ROLE, "")}
        layouts |= {f"{agencies.PATH}?theme={t}": agencies.layout(ROLE, f"?theme={t}") for t in decl.themes}
        layouts |= {
            f"{agencies.PATH}?agency={a.id}": agencies.layout(ROLE, f"?agency={a.id}") for a in decl.agencies
        }
        layouts |= {
            f"{agencies.AGENCY_PREFIX}{a.id}": agencies.agency_layout(a.id, ROLE, "") for a in decl.agencies
        }
        choices = [f"agency={a}" for a in ("all", *(a.id for a in decl.agencies))]
        choices += [f"theme={t}" for t in decl.themes]
        scorecards = {f"/?la=856&{c}": overview.layout(ROLE, f"?la=856&{c}") for c in choices}
        for path, layout in (layouts | scorecards).items():
            walk.pages += 1
            for headers, rows in dash_tables(layout):
                check_table(walk, path, headers, _words_off(rows), None)
        for query in ["", *(f"?{c}" for c in choices if c != "agency=all")]:  # the matrix's filters
            frame = agency_views.matrix_frame(PARTNER_QUARTER, ROLE, None, *agencies._choice(query))
            sent = pd.read_csv(io.BytesIO(csv_bytes(frame)), dtype=str, keep_default_na=False)  # the file
            check_download(walk, f"agency matrix {query}", sent, None, False)
            is_count = frame["unit"] == unit_name("count")
            counts = pd.to_numeric(frame.loc[is_count, "value"], errors="coerce")
            if counts.between(1, 5).any():  # a float column: "3.0" is a count of 3 too
                walk.fail(f"agency matrix {query}: a count of 1-5 in the value column")
        views = []
        real_view = indicator_page.indicator_view

        def capture(*args, **kwargs):
            views.append(real_view(*args, **kwargs))
            return views[-1]

        monkeypatch.setattr(indicator_page, "indicator_view", capture)
        for ind in partner_registry().values():
            for freq in FREQUENCIES:
                for by in (None, *ind.breakdowns):
                    query = to_query(ViewState(la="856", freq=freq, by=by))
                    walk.pages += 1
                    for headers, rows in dash_tables(indicator_page.layout(ind.id, ROLE, query)):
                        check_table(walk, f"/indicator/{ind.id}{query}", headers, rows, ind.unit)
        walk_downloads(walk, views, [])
        walk_report(walk, report, report_dir, PARTNER_QUARTER)
    finally:
        if report.poll() is None:
            report.kill()
    c = walk.counted
    print(
        f"\nPartner disclosure walk: {walk.pages} pages (the report counted as one), "
        f"{c['page tables']} tables "
        f"({c['page count cells']} count cells), {walk.downloads} downloads ({walk.xlsx_files} XLSX), "
        f"{c['report tables']} report tables, {walk.pdf_lines} PDF lines; {c['withheld cells']} cells "
        f"withheld (c); {len(walk.problems)} problems"
    )
    assert not walk.problems, "\n".join(walk.problems[:60])
    # Not vacuous: every page was drawn, small counts were there to withhold, and the report has the section.
    assert walk.pages == len(layouts) + len(scorecards) + len(partner_registry()) * len(FREQUENCIES) * 2 + 1
    assert c["withheld cells"] > 0 and c["page count cells"] > 1000 and walk.downloads >= 100
    assert c["report tables"] >= 5 and walk.pdf_lines > 0
    assert (
        "Agency gaps in assurance"
        in (report_dir / f"exception-report-856-{PARTNER_QUARTER}.html").read_text()
    )
    probe = Walk()  # the same check on the analyst's matrix finds the small counts the board does not see
    for headers, rows in dash_tables(agencies.layout("analyst", "")):
        check_table(probe, "analyst", headers, _words_off(rows), None)
    assert any("Children missing education referrals" in p for p in probe.problems), probe.problems[:5]
