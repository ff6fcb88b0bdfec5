"""Indicator targets from ``targets.yaml`` (values or bands, dated, per-LA overrides) and RAG ratings.

A target is a single ``value`` or a ``band: [low, high]``, in the indicator's own units, with an
``effective_from`` date, an optional ``la_code`` (an override for that LA; without it, the national default),
an optional ``tolerance`` (the amber margin, default 0) and an optional ``note``. Entries are never edited
in place when a target changes: a new entry with a later ``effective_from`` is added, so the history is kept.

Which entry applies (:meth:`TargetBook.target_for`): an LA's own entries beat the national ones; among those,
the entry in force on a date is the one with the latest ``effective_from`` on or before it.

RAG (:func:`rag`), with ``t`` the target value, ``tol`` the tolerance and ``[low, high]`` the band:

=========================  ======================  ==========================  ===================
polarity / target          green                   amber                       red
=========================  ======================  ==========================  ===================
any, target is a band      low <= v <= high        v outside the band by at     further outside
                                                   most ``tol`` (either side)
higher_better, value       v >= t                  t - tol <= v < t            v < t - tol
lower_better, value        v <= t                  t < v <= t + tol            v > t + tol
lower_better_not_zero,     v <= t                  t < v <= t + tol            v > t + tol
value (as lower_better)
context                    "none"                  "none"                      "none"
=========================  ======================  ==========================  ===================

The value rated is the value as displayed: with ``decimals`` (the indicator's), it is first rounded the way
it is shown (:func:`as_displayed`), so a value shown as 15.0% is never red against a 10-15% band, and 95.0%
against 100% with an amber margin of 5 is amber, not red.

No target, or no value (None or NaN, e.g. suppressed), gives "none" whatever the polarity. A band means "in
range is good" regardless of polarity: NI65 repeat plans that are too *low* can mean plans end too early,
which is why that indicator is ``lower_better_not_zero`` and has a band target. With tolerance 0 a value
target is only ever green or red. Comparisons allow 1e-9 of floating-point slack, so a percentage computed as
``100 * 17 / 20`` that lands a hair off 85 still counts as exactly 85.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from vocabulary.settings import la_config_file

Polarity = Literal["higher_better", "lower_better", "context", "lower_better_not_zero"]
POLARITIES: tuple[Polarity, ...] = get_args(Polarity)
Rag = Literal["green", "amber", "red", "none"]

DEFAULT_PATH = Path(__file__).with_name("targets.yaml")
EPSILON = 1e-9

_UNIT_SUFFIX = {
    "percent": "%",
    "rate_per_10k": " per 10,000",
    "rate_per_100k": " per 100,000",
    "days": " days",
    "count": "",
}


class TargetConfigError(ValueError):
    """The targets file is invalid; the message names the file and the entry."""


def _number(x: float) -> str:
    """``10.0`` -> ``'10'``, ``12.5`` -> ``'12.5'``."""
    return f"{x:g}"


class Target(BaseModel):
    """One target entry: a value or a band, in force from ``effective_from`` (for one LA, or nationally)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator_id: str = Field(pattern=r"^[a-z0-9_]+$")
    value: float | None = None
    band: tuple[float, float] | None = None
    effective_from: date
    la_code: str | None = None
    tolerance: float = Field(default=0.0, ge=0)
    note: str | None = None
    source: Literal["national", "local", "illustrative"] | None = None  # default: local with la_code

    @property
    def origin(self) -> str:
        """Where the target comes from: national, local or illustrative (not a real target)."""
        return self.source or ("local" if self.la_code else "national")

    @field_validator("la_code", mode="before")
    @classmethod
    def _la_code_as_text(cls, v: object) -> object:
        """YAML reads ``la_code: 856`` as an int; LA codes are text."""
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @model_validator(mode="after")
    def _value_or_band(self) -> Target:
        """Exactly one of ``value`` and ``band``; a band's low end is not above its high end."""
        if (self.value is None) == (self.band is None):
            raise ValueError("give exactly one of 'value' and 'band'")
        if self.band is not None and self.band[0] > self.band[1]:
            raise ValueError(f"band low {_number(self.band[0])} is above band high {_number(self.band[1])}")
        return self

    def describe(self, polarity: Polarity | None = None, unit: str | None = None) -> str:
        """Plain words: "10–15%", "3% or lower", "85% or higher", "100% (amber within 5)".

        ``polarity`` and ``unit`` (registry units: percent, rate_per_10k, ...) default to the indicator's
        registry entry; an indicator not in the registry gets no direction, and "%" if its id ends ``_pct``.
        "or higher" is left off a 100% target, since nothing is higher.
        """
        if polarity is None or unit is None:
            known_polarity, known_unit = _registry_polarity_unit(self.indicator_id)
            polarity, unit = polarity or known_polarity, unit or known_unit
        suffix = _UNIT_SUFFIX.get(unit, f" {unit}")
        if self.band is not None:
            text = f"{_number(self.band[0])}–{_number(self.band[1])}{suffix}"
        else:
            assert self.value is not None
            text = f"{_number(self.value)}{suffix}"
            if polarity in ("lower_better", "lower_better_not_zero"):
                text += " or lower"
            elif polarity == "higher_better" and not (unit == "percent" and self.value >= 100):
                text += " or higher"
        if self.tolerance:
            text += f" (amber within {_number(self.tolerance)})"
        return text


def _registry_polarity_unit(indicator_id: str) -> tuple[Polarity | None, str]:
    """The indicator's polarity and unit from the registry, or (None, a guess from the id) if not there."""
    try:
        from indicators.registry import get

        indicator = get(indicator_id)
        return indicator.polarity, indicator.unit
    except (KeyError, ImportError):
        return None, "percent" if indicator_id.endswith("_pct") else "count"


@dataclass(frozen=True)
class TargetBook:
    """Every target entry from one file, with look-ups by indicator, LA and date."""

    targets: tuple[Target, ...]
    source: str = "<memory>"

    def __post_init__(self) -> None:
        """Reject two entries for the same indicator, LA and effective date (which would be in force?)."""
        seen: dict[tuple[str, str | None, date], Target] = {}
        for t in self.targets:
            key = (t.indicator_id, t.la_code, t.effective_from)
            if key in seen:
                where = f"LA {t.la_code}" if t.la_code else "national"
                raise TargetConfigError(
                    f"{self.source}: {t.indicator_id} ({where}) has two entries "
                    f"effective from {t.effective_from.isoformat()}"
                )
            seen[key] = t

    def _entries(self, indicator_id: str, la_code: str | None) -> list[Target]:
        """Entries for this indicator and exactly this scope (an LA, or national if None), oldest first."""
        return sorted(
            (t for t in self.targets if t.indicator_id == indicator_id and t.la_code == la_code),
            key=lambda t: t.effective_from,
        )

    def target_for(self, indicator_id: str, la_code: str | None, on: date) -> Target | None:
        """The target in force on ``on``: the LA's latest entry effective by then, else the national one."""
        scopes = ([str(la_code)] if la_code is not None else []) + [None]
        for scope in scopes:
            in_force = [t for t in self._entries(indicator_id, scope) if t.effective_from <= on]
            if in_force:
                return in_force[-1]
        return None

    def history(self, indicator_id: str, la_code: str | None = None) -> list[Target]:
        """Every entry ever in force for this LA (or nationally if None), in the order they took effect.

        National entries superseded by an LA override before they took effect are left out, since they never
        applied to that LA.
        """
        scopes = [None] if la_code is None else [None, str(la_code)]
        candidates = sorted(
            (t for s in scopes for t in self._entries(indicator_id, s)),
            key=lambda t: (t.effective_from, t.la_code is not None),
        )
        return [t for t in candidates if self.target_for(indicator_id, la_code, t.effective_from) == t]


def parse_targets(data: object, source: str = "<memory>") -> TargetBook:
    """Validate already-loaded YAML (``{"targets": [entry, ...]}``) into a :class:`TargetBook`."""
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise TargetConfigError(f"{source}: expected a mapping with a 'targets' list of entries")
    targets = []
    for n, entry in enumerate(data["targets"], start=1):
        name = entry.get("indicator_id", "?") if isinstance(entry, dict) else "?"
        try:
            targets.append(Target.model_validate(entry))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise TargetConfigError(f"{source}: entry {n} ({name}): {problems}") from None
    return TargetBook(tuple(targets), source)


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that keeps dates as text, so pydantic checks them and errors name the entry."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_targets(path: str | Path | None = None) -> TargetBook:
    """Load and validate a targets file (default: the config directory's ``targets.yaml``, else the
    shipped ``indicators/targets.yaml``); TargetConfigError if bad."""
    p = Path(path) if path is not None else la_config_file(DEFAULT_PATH.name, DEFAULT_PATH)
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        raise TargetConfigError(f"{p}: not valid YAML: {exc}") from None
    return parse_targets(data, str(p))


def as_displayed(value: float, decimals: int) -> float:
    """``value`` rounded exactly as the pages, downloads and report print it (``f"{value:.{decimals}f}"``)."""
    return float(f"{value:.{decimals}f}")


def rag(value: float | None, target: Target | None, polarity: Polarity, decimals: int | None = None) -> Rag:
    """Red/amber/green for ``value`` against ``target`` (see the table in the module docstring); with
    ``decimals``, for the value as displayed at that many decimals."""
    if polarity not in POLARITIES:
        raise ValueError(f"Unknown polarity {polarity!r}: expected one of {', '.join(POLARITIES)}")
    if polarity == "context" or target is None or value is None or math.isnan(value):
        return "none"
    if decimals is not None:
        value = as_displayed(value, decimals)
    if target.band is not None:
        low, high = target.band
        distance = max(low - value, value - high, 0.0)
    else:
        assert target.value is not None
        shortfall = target.value - value if polarity == "higher_better" else value - target.value
        distance = max(shortfall, 0.0)
    if distance <= EPSILON:
        return "green"
    return "amber" if distance <= target.tolerance + EPSILON else "red"
