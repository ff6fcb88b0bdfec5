"""Child Death Overview Panel extracts for the demo LA: a CSV and, a year later, an XLSX."""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from pipelines.demo.draws import _codes_cum, _cum
from pipelines.demo.files import _csv_row, _fix_zip_times, _write_text
from pipelines.demo.params import _ETHNICITY_LEICESTER, DEMO_LA, DEMO_SEED

# Two extracts from the demo LA's Child Death Overview Panel (format: docs/cdop-extract-format.md):
# a CSV a year before the last and an XLSX at the end. Deaths arrive at about 30 per 100,000
# children a year (England 2023-24: 29.8), with NCMD's age mix (most in the first year of life);
# reviews are completed at monthly panel meetings, mostly 6-15 months after the death, some much
# later (inquests), so recent deaths form a backlog awaiting review. The second extract corrects
# the category of one death that the first extract already showed as reviewed.
CDOP_EXTRACT_DATES = (date(2025, 9, 30), date(2026, 9, 30))
_CDOP_FIRST_DEATH = date(2016, 1, 1)
_CDOP_RATE_PER_100K = 30.0
# Age at death: (share, youngest and oldest age in days).
_CDOP_AGES = (
    (0.42, 0, 27),
    (0.21, 28, 364),
    (0.10, 365, 1826),
    (0.06, 1827, 3652),
    (0.09, 3653, 5478),
    (0.12, 5479, 6574),
)
# Category of death by age band (same order as _CDOP_AGES).
_CDOP_CATEGORIES = (
    {"PER": 60, "CGC": 30, "INF": 4, "SUD": 2, "ACU": 2, "CHR": 1, "TRA": 1},
    {"CGC": 30, "SUD": 22, "INF": 13, "ACU": 12, "PER": 10, "CHR": 5, "TRA": 5, "DII": 3},
    {"CGC": 20, "MAL": 15, "INF": 15, "ACU": 15, "TRA": 12, "CHR": 10, "SUD": 8, "DII": 5},
    {"MAL": 30, "TRA": 15, "CHR": 15, "CGC": 15, "ACU": 12, "INF": 8, "DII": 5},
    {"MAL": 25, "SUI": 15, "TRA": 15, "CHR": 15, "ACU": 10, "CGC": 10, "INF": 5, "DII": 5},
    {"SUI": 30, "TRA": 30, "MAL": 12, "CHR": 8, "ACU": 8, "CGC": 5, "DII": 5, "INF": 2},
)
_CDOP_UNEXPECTED_P = {
    "DII": 1.0,
    "SUI": 1.0,
    "TRA": 1.0,
    "SUD": 1.0,
    "INF": 0.45,
    "ACU": 0.4,
    "PER": 0.12,
    "CHR": 0.2,
    "CGC": 0.08,
    "MAL": 0.03,
}
_CDOP_MODIFIABLE_P = {
    "DII": 0.9,
    "SUI": 0.7,
    "TRA": 0.7,
    "SUD": 0.6,
    "PER": 0.35,
    "INF": 0.3,
    "ACU": 0.3,
    "CHR": 0.2,
    "CGC": 0.15,
    "MAL": 0.1,
}
_CDOP_HEADERS = (
    "death_id",
    "la_code",
    "date_of_death",
    "age_at_death_days",
    "sex",
    "ethnicity",
    "area_code",
    "notification_date",
    "review_completed_date",
    "place_of_death",
    "expected",
    "sudi",
    "category_of_death",
    "modifiable_factors",
    "stillbirth",
    "panel_notes",
)


def _panel_meeting_on_or_after(d: date) -> date:
    """The panel meets on the second Tuesday of each month."""
    year, month = d.year, d.month
    while True:
        first = date(year, month, 1)
        meeting = first.replace(day=1 + (1 - first.weekday()) % 7 + 7)
        if meeting >= d:
            return meeting
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _cdop_deaths(
    la: str,
    pop_by_year: dict[int, int],
    ward_codes: list[str],
    ward_weights,
    rng: np.random.Generator,
    until: date,
) -> list[dict]:
    eth_codes, eth_cum = _codes_cum(_ETHNICITY_LEICESTER)
    ward_cum = _cum(ward_weights)
    age_cum = _cum(a[0] for a in _CDOP_AGES)
    deaths: list[dict] = []
    month = _CDOP_FIRST_DEATH
    while month <= until:
        days_in = monthrange(month.year, month.month)[1]
        pop = pop_by_year.get(month.year, pop_by_year[max(pop_by_year)])
        for _ in range(int(rng.poisson(_CDOP_RATE_PER_100K * pop / 100_000 / 12))):
            died = month + timedelta(days=int(rng.integers(0, days_in)))
            band = min(bisect_right(age_cum, rng.random() * age_cum[-1]), len(_CDOP_AGES) - 1)
            _, lo, hi = _CDOP_AGES[band]
            codes_, cum = _codes_cum(_CDOP_CATEGORIES[band])
            category = codes_[min(bisect_right(cum, rng.random() * cum[-1]), len(codes_) - 1)]
            unexpected = rng.random() < _CDOP_UNEXPECTED_P[category]
            lag = float(np.exp(np.log(290) + 0.4 * rng.standard_normal()))
            if rng.random() < 0.1:  # awaiting an inquest or a criminal investigation
                lag += float(rng.integers(200, 600))
            place = (
                ("HOSP" if rng.random() < 0.93 else "HOME")
                if band == 0
                else ["HOSP", "HOME", "HOSPICE", "PUBLIC", "ABROAD"][
                    min(bisect_right(_cum([60, 20, 8, 10, 2]), rng.random() * 100), 4)
                ]
            )
            modifiable_draw = rng.random()
            deaths.append(
                {
                    "death_id": f"{la}-CD-{len(deaths) + 1:05d}",
                    "died": died,
                    "age_days": int(rng.integers(lo, hi + 1)),
                    "sex": "M" if rng.random() < 0.56 else "F",
                    "ethnicity": ""
                    if rng.random() < 0.05
                    else eth_codes[
                        min(bisect_right(eth_cum, rng.random() * eth_cum[-1]), len(eth_codes) - 1)
                    ],
                    "area": ""
                    if rng.random() < 0.03
                    else ward_codes[
                        min(bisect_right(ward_cum, rng.random() * ward_cum[-1]), len(ward_codes) - 1)
                    ],
                    "notified": died + timedelta(days=int(rng.geometric(0.55)) - 1),
                    "reviewed": _panel_meeting_on_or_after(died + timedelta(days=int(lag))),
                    "place": place,
                    "expected": "N" if unexpected else "Y",
                    "sudi": "Y" if unexpected and band <= 1 else "N",
                    "category": category,
                    "modifiable": "U"
                    if modifiable_draw < 0.03
                    else ("Y" if modifiable_draw < 0.03 + _CDOP_MODIFIABLE_P[category] else "N"),
                    "stillbirth": "",
                }
            )
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    for n, when in enumerate((date(2018, 7, 3), date(2022, 2, 14))):  # notified in error
        deaths.append(
            {
                "death_id": f"{la}-SB-{n + 1:05d}",
                "died": when,
                "age_days": 0,
                "sex": "F",
                "ethnicity": "",
                "area": "",
                "notified": when,
                "reviewed": None,
                "place": "HOSP",
                "expected": "",
                "sudi": "",
                "category": "",
                "modifiable": "",
                "stillbirth": "Y",
            }
        )
    deaths.sort(key=lambda d: (d["notified"], d["death_id"]))
    return deaths


def _cdop_row(d: dict, la: str, as_at: date, category_override: str | None = None, note: str = "") -> list:
    reviewed = d["reviewed"] is not None and d["reviewed"] <= as_at
    return [
        d["death_id"],
        la,
        d["died"],
        d["age_days"],
        d["sex"],
        d["ethnicity"],
        d["area"],
        d["notified"],
        d["reviewed"] if reviewed else None,
        d["place"],
        d["expected"],
        d["sudi"],
        (category_override or d["category"]) if reviewed else "",
        d["modifiable"] if reviewed else "",
        d["stillbirth"],
        note,
    ]


def write_cdop_extracts(
    out_dir: Path,
    *,
    la: str = DEMO_LA,
    pop_by_year: dict[int, int],
    ward_codes: list[str],
    ward_weights,
    seed: int = DEMO_SEED,
) -> list[Path]:
    """Write cdop_<la>_<date>.csv (first extract) and cdop_<la>_<date>.xlsx (second); returns both.

    The second extract holds every death notified by its date, with reviews completed by then,
    and corrects the category of the death last reviewed before the first extract."""
    from openpyxl import Workbook

    from vocabulary.cdop_codes import CATEGORY_OF_DEATH

    rng = np.random.default_rng([seed, 3])  # its own stream: the census output does not change
    first, second = CDOP_EXTRACT_DATES
    deaths = _cdop_deaths(la, pop_by_year, ward_codes, ward_weights, rng, second)
    reviewed_by_first = [d for d in deaths if d["reviewed"] and d["reviewed"] <= first]
    corrected = max(reviewed_by_first, key=lambda d: (d["reviewed"], d["death_id"]))
    wrong = "ACU" if corrected["category"] != "ACU" else "INF"

    csv_path = out_dir / f"cdop_{la}_{first.isoformat()}.csv"
    lines = [",".join(_CDOP_HEADERS) + "\n"]
    for d in deaths:
        if d["notified"] <= first:
            row = _cdop_row(d, la, first, wrong if d is corrected else None)
            lines.append(
                _csv_row(
                    *("" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in row)
                )
            )
    _write_text(csv_path, lines)

    xlsx_path = out_dir / f"cdop_{la}_{second.isoformat()}.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Child deaths")
    ws.append(list(_CDOP_HEADERS))
    for d in deaths:
        if d["notified"] <= second:
            row = _cdop_row(
                d, la, second, None, "Category corrected after the inquest" if d is corrected else ""
            )
            row[12] = CATEGORY_OF_DEATH.get(row[12], row[12])  # full names: either form is accepted
            ws.append(
                [
                    datetime(v.year, v.month, v.day) if isinstance(v, date) else (v if v != "" else None)
                    for v in row
                ]
            )
    wb.properties.created = wb.properties.modified = datetime(2026, 1, 1)
    wb.save(xlsx_path)
    _fix_zip_times(xlsx_path)
    return [csv_path, xlsx_path]
