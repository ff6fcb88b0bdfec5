"""A view's state (LA, frequency, breakdown, period range) and its URL query string, both ways."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from vocabulary.partnership import PARTNERSHIP

FREQUENCIES = {
    "quarter": "Quarterly",
    "year": "Yearly (April to March)",
    "month": "Monthly",
    "rolling12": "Rolling 12 months",
}
BREAKDOWN_LABELS = {
    "la": "Local authority",
    "area": "Area (ward or locality)",
    "ethnicity": "Ethnicity (20 codes)",
    "ethnic_group": "Ethnic group",
    "sex": "Sex",
    "age_band": "Age band",
    "category": "Initial category of abuse",
    "latest_category": "Latest category of abuse",
}
# CDOP indicators (indicators/cdop.py)
BREAKDOWN_LABELS |= {
    "cdop_age_band": "Age at death",
    "expected": "Expected or unexpected death",
    "death_category": "Category of death",
}
# Plans by the factors found at the child's latest assessment before the plan (indicators/plan_factors.py)
BREAKDOWN_LABELS |= {
    "factor_domestic_abuse": "Domestic abuse at the assessment before the plan",
    "factor_mental_health": "Mental health at the assessment before the plan",
    "factor_substance_misuse": "Alcohol or drug misuse at the assessment before the plan",
}
# Each DfE factor code identified at the end of assessment (indicators/enrich.py, MULTI_VALUED)
BREAKDOWN_LABELS["assessment_factor"] = "Factor identified at the end of assessment"

# The partnership's `la` breakdown is the "compare LAs" view (dashboard/compare_las.py): each member LA
# beside the partnership, so the breakdown list names it so when the partnership is chosen.
COMPARE_LAS = "Compare LAs"


def breakdown_choice(by: str, la: str | None) -> str:
    """How the "Break down by" list names a breakdown for the LA chosen: "Compare LAs" for the
    partnership's `la` breakdown, else its BREAKDOWN_LABELS name."""
    return COMPARE_LAS if by == "la" and la == PARTNERSHIP else BREAKDOWN_LABELS[by]


NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")  # an agency or theme id (checked against the file later)


@dataclass(frozen=True)
class ViewState:
    la: str | None = None
    freq: str = "quarter"
    by: str | None = None
    start: str | None = None  # first period label shown
    end: str | None = None  # last period label shown
    agency: str | None = None  # scorecard: "all" or a partner agency id (None: the LA's indicators)
    theme: str | None = None  # scorecard: a priority theme id from the partner measures file

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


def parse_query(search: str | None) -> ViewState:
    """Read a state from '?la=856&freq=year&by=sex&from=2019-20&to=2023-24' (la may also be
    'partnership', the pooled member LAs); bad values fall back."""
    q = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items() if v and v[-1]}
    freq = q.get("freq", "quarter")
    if freq not in FREQUENCIES:
        freq = "quarter"
    by = q.get("by")
    if by not in BREAKDOWN_LABELS:
        by = None
    la = q.get("la")
    if la is not None and not (la.isdigit() and len(la) == 3) and la != PARTNERSHIP:
        la = None
    agency, theme = (v if v and NAME.match(v) else None for v in (q.get("agency"), q.get("theme")))
    return ViewState(
        la=la, freq=freq, by=by, start=q.get("from"), end=q.get("to"), agency=agency, theme=theme
    )


def to_query(state: ViewState) -> str:
    pairs = {"la": state.la, "freq": state.freq, "by": state.by, "from": state.start, "to": state.end}
    pairs |= {"agency": state.agency, "theme": state.theme}
    return "?" + urlencode({k: v for k, v in pairs.items() if v})


DEMO_LA = "856"  # the embedded demo LA borrows Leicester's code (and its real published figures)


def la_label(code: str | None, names: dict[str, str]) -> str:
    """How an LA is named on every page: 'Leicester (856)', as in the controls and the report."""
    return f"{names.get(code) or 'Local authority'} ({code})"
