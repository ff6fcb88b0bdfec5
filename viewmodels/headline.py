"""The indicator page's opening sentence: value, target, RAG, SPC verdict and comparison, in words."""

from __future__ import annotations

import pandas as pd

from indicators.disclosure import display
from indicators.spc import variation_text

VARIATION_SHORT = {
    "common_cause": "no significant change (common cause variation)",
    "special_cause_improving_high": "a significant improvement, higher (special cause)",
    "special_cause_improving_low": "a significant improvement, lower (special cause)",
    "special_cause_concerning_high": "a significant change for the worse, higher (special cause)",
    "special_cause_concerning_low": "a significant change for the worse, lower (special cause)",
    "special_cause_neither_high": "a significant rise (special cause)",
    "special_cause_neither_low": "a significant fall (special cause)",
}


def compared(value: float | None, other: float | None, decimals: int, unit: str) -> str:
    """'higher than', 'lower than' or 'the same as', judged at the shown rounding."""
    if value is None or other is None or pd.isna(value) or pd.isna(other):
        return ""
    a, b = display(value, decimals, False, unit), display(other, decimals, False, unit)
    if a == b:
        return "the same as"
    return "higher than" if value > other else "lower than"


def comparison_words(b, decimals: int | None) -> str:
    """The published figure against England and the statistical neighbours, in one sentence."""
    d = decimals or 0
    if b.value is None or pd.isna(b.value):
        return ""
    show = lambda v: display(v, d, False, b.unit)  # noqa: E731
    parts = []
    if (w := compared(b.value, b.england, d, b.unit)) != "":
        parts.append(f"{w} England ({show(b.england)})")
    if (w := compared(b.value, b.neighbour_average, d, b.unit)) != "":
        parts.append(f"{w} the statistical neighbours' {b.average} ({show(b.neighbour_average)})")
    if not parts:
        return f"In DfE's published figures for {b.period}, {b.la_name or b.la_code} had {show(b.value)}."
    return (
        f"In DfE's published figures for {b.period}, {b.la_name or b.la_code} had {show(b.value)}: "
        + " and ".join(parts)
        + "."
    )


def spc_words(view) -> str:
    """The SPC verdict in words, or why there is none."""
    if view.variation_icon:
        return (
            f"Statistical process control shows {VARIATION_SHORT.get(view.variation_icon, '')}".rstrip() + "."
        )
    reason = view.spc_text or variation_text(None)
    return reason if reason.endswith(".") else reason + "."


def headline_sentence(view, comparison: str) -> str:
    """Opening words of the indicator page: the active title, then the SPC verdict and the comparison."""
    return " ".join(w for w in (view.headline + ".", spc_words(view), comparison) if w and w != ".")
