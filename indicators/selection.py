"""Which indicators to show for an agency and a priority theme: the scorecard and the CLI both read it.

- No agency: the LA's own indicators (CIN census, Annex A, CDOP), as before partner measures.
- "all": the LA's indicators and every partner agency's measures.
- A partner agency id (indicators/partner_measures.yaml): that agency's measures.
- A theme keeps the LA's indicators the file lists for it (theme_indicators) and the partner measures
  of that theme, so the board sees, for example, domestic abuse as one picture: with a theme and no
  agency, every agency's measures are shown (a theme is the whole partnership's picture).
"""

from __future__ import annotations

from indicators.registry import Indicator, partner_registry, registry
from vocabulary.partners import declaration

ALL = "all"


def known(agency: str | None, theme: str | None) -> tuple[str | None, str | None]:
    """The choices the partner measures file knows (anything else falls back to no choice); a theme
    without an agency is every agency's."""
    decl = declaration()
    agency = agency if agency == ALL or agency in {a.id for a in decl.agencies} else None
    theme = theme if theme in decl.themes else None
    return (ALL if theme and agency is None else agency), theme


def check(agency: str | None, theme: str | None) -> None:
    """Raise ValueError naming the choices when an agency or theme is not in the partner measures file."""
    decl = declaration()
    if agency is not None and known(agency, None)[0] != agency:
        ids = ", ".join([ALL, *(a.id for a in decl.agencies)])
        raise ValueError(f"unknown agency {agency!r} in {decl.source}; choose one of {ids}")
    if theme is not None and known(None, theme)[1] != theme:
        raise ValueError(f"unknown theme {theme!r} in {decl.source}; choose one of {', '.join(decl.themes)}")


def select_indicators(agency: str | None, theme: str | None) -> list[Indicator]:
    """The indicators in order: the LA's first, then partner measures agency by agency (file order)."""
    decl = declaration()
    agency, theme = known(agency, theme)
    out: list[Indicator] = []
    if agency in (None, ALL):
        wanted = set(decl.theme_indicators.get(theme, ())) if theme else None
        out += [i for i in registry().values() if wanted is None or i.id in wanted]
    if agency is not None:
        for a in decl.agencies:
            if agency in (ALL, a.id):
                out += [partner_registry()[m.id] for m in decl.measures_of(a.id) if theme in (None, m.theme)]
    return out


def agency_name(ind: Indicator) -> str | None:
    """The partner agency a measure comes from (None for the LA's own indicators)."""
    if ind.partner_measure is None:
        return None
    decl = declaration()
    return decl.agency(decl.measure(ind.partner_measure).agency).name
