"""The scorecard's agency and priority-theme controls (the choice itself: indicators/selection.py)."""

from __future__ import annotations

from indicators.selection import ALL
from vocabulary.partners import declaration

LA_WORDS = "The LA's indicators (census, Annex A, CDOP)"
ALL_WORDS = "All agencies (the LA and its partners)"
ALL_THEMES = "All themes"


def agency_options() -> list[tuple[str, str]]:
    """(value, label) for the agency control; "" is the LA's own indicators."""
    return [("", LA_WORDS), (ALL, ALL_WORDS)] + [(a.id, a.name) for a in declaration().agencies]


def theme_options() -> list[tuple[str, str]]:
    """(value, label) for the theme control, the board's priority themes first."""
    decl = declaration()
    first = [t for t in decl.partnership.priority_themes if t in decl.themes]
    rest = [t for t in decl.themes if t not in first]
    return (
        [("", ALL_THEMES)]
        + [(t, f"{decl.themes[t]} (board priority)") for t in first]
        + [(t, decl.themes[t]) for t in rest]
    )
