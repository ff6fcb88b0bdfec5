"""Ofsted Annex A List 7 workbooks as at month ends, from a simulated history."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime
from pathlib import Path

from pipelines.demo.draws import _as_date, _day
from pipelines.demo.files import _fix_zip_times
from pipelines.demo.history import _History
from pipelines.demo.params import _CATEGORY_CODES

# In-year Annex A List 7 extracts after the last census return (month ends, April-October 2026).
ANNEX_A_MONTH_ENDS = tuple(date(2026, m, monthrange(2026, m)[1]) for m in range(4, 11))


ANNEX_A_LIST7_HEADERS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age",
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
)
_ANNEX_A_CATEGORY = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
}
_ANNEX_A_GENDER = {1: "a) Male", 2: "b) Female"}


def write_annex_a_list7(path: Path, hist: _History, as_at: date, ids: list[str]) -> set[int]:
    """Ofsted Annex A List 7 as at a date: children on a plan then, or at any time in the six
    months before. Worker names are made up ("Worker 12"); returns the children listed."""
    from openpyxl import Workbook

    ref = _day(as_at)
    year, month = (as_at.year, as_at.month - 6) if as_at.month > 6 else (as_at.year - 1, as_at.month + 6)
    window_start = _day(date(year, month, min(as_at.day, monthrange(year, month)[1])))
    wb = Workbook(write_only=True)
    for n in range(1, 12):  # Annex A has lists 1-11; only List 7 carries data here
        ws = wb.create_sheet(f"List {n}")
        if n == 7:
            ws.append(list(ANNEX_A_LIST7_HEADERS))
            sheet7 = ws
    listed: set[int] = set()
    eth_codes = hist.codes_eth
    for ep in hist.episodes:
        child = ep[0]
        for start, end, initial, latest, change, nprev, reviews in ep[11]:
            if start > ref or end <= window_start:
                continue
            listed.add(child)
            birth = hist.birth[child]
            shown_reviews = [r for r in reviews if r <= ref]
            code = eth_codes[hist.ethnicity[child]]
            sheet7.append(
                [
                    ids[child],
                    _ANNEX_A_GENDER.get(hist.sex[child], "c) Not stated")
                    if birth <= ref
                    else "c) Not stated",
                    f"{chr(97 + sorted(eth_codes).index(code))}) {code}",
                    _as_date(birth) if birth <= ref else None,
                    round((ref - birth) / 365.25, 2) if birth <= ref else None,
                    "a) Yes" if "NONE" not in hist.disability[child] else "b) No",
                    _as_date(start),
                    _ANNEX_A_CATEGORY[_CATEGORY_CODES[initial]],
                    _ANNEX_A_CATEGORY[_CATEGORY_CODES[latest if change <= ref else initial]],
                    _as_date(max(start, ref - 1 - (child % 20))),
                    "a) Yes" if child % 3 else "b) No",
                    _as_date(shown_reviews[-1]) if shown_reviews else None,
                    _as_date(end) if end <= ref else None,
                    "b) No",
                    nprev,
                    f"Locality {1 + hist.ward[child] % 4}",
                    f"Worker {1 + child % 40}",
                ]
            )
    wb.properties.created = wb.properties.modified = datetime(2026, 1, 1)
    wb.save(path)
    _fix_zip_times(path)
    return listed
