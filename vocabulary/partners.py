"""Partnership vocabulary: agencies, OBA questions, themes and partner measures, validated on load.

The declaration lives in ``indicators/partner_measures.yaml`` (the environment variable
``SAFEGUARDING_PARTNER_MEASURES`` points to another file). Every partnership edits it to fit its own
framework; docs/partner-measures.md explains the fields. A bad file raises PartnerConfigError naming
the file and the entry.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vocabulary import settings
from vocabulary.partnership import partnership
from vocabulary.settings import la_config_file

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "indicators" / "partner_measures.yaml"
OBA_QUESTIONS = {
    "how_much": "How much did we do?",
    "how_well": "How well did we do it?",
    "better_off": "Is anyone better off?",
}
Unit = Literal["count", "percent", "rate_per_10k", "days"]
ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class PartnerConfigError(ValueError):
    """The partner measures file is invalid; the message names the file and the entry."""


class Agency(BaseModel):
    """One member agency of the partnership."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    lead: str = Field(min_length=1)
    due_days: int | None = Field(default=None, ge=0, le=366)


class Measure(BaseModel):
    """One measure an agency returns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    agency: str
    title: str = Field(min_length=1)
    short_title: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    unit: Unit
    polarity: Literal["higher_better", "lower_better", "context"]
    frequency: Literal["quarterly", "monthly"] = "quarterly"
    at_period_end: bool = False  # taken on the last day: a year takes its last quarter, not the sum
    numerator: str = Field(min_length=1)
    denominator: str | None = None
    oba: Literal["how_much", "how_well", "better_off"]
    theme: str
    weight: int = Field(default=1, ge=1, le=3)
    mandatory: bool = True

    @field_validator("denominator")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return v.strip() or None if v is not None else None

    @property
    def needs_denominator(self) -> bool:
        """Percentages and averages are a numerator over a denominator given in the return."""
        return self.unit in ("percent", "days")


class Partnership(BaseModel):
    """The agencies' side of the partnership: the LA their returns are held against, the due-date rule
    and the board's priority themes. Its name is the one partnership.yaml declares
    (vocabulary.partnership), so the pages, returns and reports name one partnership."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Optional, for files written before the name moved to partnership.yaml: it must then be the same.
    declared_name: str | None = Field(default=None, alias="name", min_length=1)
    la_code: str = Field(pattern=r"^\d{3}$")
    due_days: int = Field(default=30, ge=0, le=366)
    priority_themes: tuple[str, ...] = ()

    @field_validator("la_code", mode="before")
    @classmethod
    def _as_text(cls, v: object) -> object:
        return f"{v:03d}" if isinstance(v, int) and not isinstance(v, bool) else v

    @property
    def name(self) -> str:
        """The partnership's name, as partnership.yaml declares it (the partnership in use)."""
        return partnership().name


class Declaration(BaseModel):
    """The whole file: partnership, themes, agencies and measures, cross-checked."""

    model_config = ConfigDict(frozen=True)

    partnership: Partnership
    themes: dict[str, str]
    theme_indicators: dict[str, tuple[str, ...]] = {}
    agencies: tuple[Agency, ...]
    measures: tuple[Measure, ...]
    source: str = "<memory>"

    def agency(self, agency_id: str) -> Agency:
        for a in self.agencies:
            if a.id == agency_id:
                return a
        raise KeyError(f"unknown agency {agency_id!r}; known: {', '.join(a.id for a in self.agencies)}")

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(f"unknown partner measure {measure_id!r}")

    def measures_of(self, agency_id: str) -> list[Measure]:
        return [m for m in self.measures if m.agency == agency_id]

    def due_date(self, agency_id: str, quarter_end: date) -> date:
        """The day a return for the quarter ending `quarter_end` is due (the agency's own rule, else
        the partnership's): `due_days` days after the quarter ends."""
        days = self.agency(agency_id).due_days
        return quarter_end + timedelta(days=self.partnership.due_days if days is None else days)


def _entry_error(source: str, what: str, name: str, exc: ValidationError) -> PartnerConfigError:
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
    return PartnerConfigError(f"{source}: {what} {name}: {problems}")


def _name(entry: object, n: int) -> str:
    return str(entry.get("id", f"entry {n}")) if isinstance(entry, dict) else f"entry {n}"


def parse_declaration(data: object, source: str = "<memory>") -> Declaration:
    """Validate loaded YAML into a Declaration; PartnerConfigError names the file and the entry."""
    if not isinstance(data, dict):
        raise PartnerConfigError(f"{source}: expected a mapping with partnership, themes, agencies, measures")
    missing = [k for k in ("partnership", "themes", "agencies", "measures") if k not in data]
    if missing:
        raise PartnerConfigError(f"{source}: missing section(s): {', '.join(missing)}")
    try:
        agencies_side = Partnership.model_validate(data["partnership"])
    except ValidationError as exc:
        raise _entry_error(source, "section", "partnership", exc) from None
    themes = data["themes"]
    if not isinstance(themes, dict) or not all(isinstance(v, str) for v in themes.values()):
        raise PartnerConfigError(f"{source}: themes must map a theme id to its name")
    for lst in ("agencies", "measures"):
        if not isinstance(data[lst], list) or not data[lst]:
            raise PartnerConfigError(f"{source}: {lst} must be a non-empty list")
    agencies: dict[str, Agency] = {}
    for n, entry in enumerate(data["agencies"], start=1):
        try:
            agency = Agency.model_validate(entry)
        except ValidationError as exc:
            raise _entry_error(source, "agency", _name(entry, n), exc) from None
        if agency.id in agencies:
            raise PartnerConfigError(f"{source}: agency {agency.id} is defined twice")
        agencies[agency.id] = agency
    measures: dict[str, Measure] = {}
    for n, entry in enumerate(data["measures"], start=1):
        name = _name(entry, n)
        try:
            measure = Measure.model_validate(entry)
        except ValidationError as exc:
            raise _entry_error(source, "measure", name, exc) from None
        where = f"{source}: measure {name}"
        if measure.id in measures:
            raise PartnerConfigError(f"{where} is defined twice")
        if measure.agency not in agencies:
            raise PartnerConfigError(f"{where}: agency {measure.agency!r} is not one of the agencies")
        if measure.theme not in themes:
            raise PartnerConfigError(f"{where}: theme {measure.theme!r} is not one of the themes")
        if measure.needs_denominator and not measure.denominator:
            raise PartnerConfigError(f"{where}: a {measure.unit} measure needs a denominator label")
        if not measure.needs_denominator and measure.denominator:
            raise PartnerConfigError(f"{where}: a {measure.unit} measure has no denominator in the return")
        measures[measure.id] = measure
    unknown = [t for t in agencies_side.priority_themes if t not in themes]
    if unknown:
        raise PartnerConfigError(
            f"{source}: partnership.priority_themes: unknown theme(s) {', '.join(unknown)}"
        )
    declared = agencies_side.declared_name
    if declared is not None and declared.strip() != agencies_side.name:
        raise PartnerConfigError(
            f"{source}: partnership.name: {declared!r} is not the partnership's name in "
            f"{partnership().source} ({agencies_side.name!r}); leave it out (the name is taken from there)"
        )
    linked = data.get("theme_indicators") or {}
    if not isinstance(linked, dict) or not all(isinstance(v, list) for v in linked.values()):
        raise PartnerConfigError(f"{source}: theme_indicators must map a theme id to a list of indicator ids")
    for theme in linked:
        if theme not in themes:
            raise PartnerConfigError(f"{source}: theme_indicators: {theme!r} is not one of the themes")
    return Declaration(
        partnership=agencies_side,
        themes=themes,
        theme_indicators={t: tuple(v) for t, v in linked.items()},
        agencies=tuple(agencies.values()),
        measures=tuple(measures.values()),
        source=source,
    )


def load_declaration(path: str | Path | None = None) -> Declaration:
    """Read and validate a partner measures file (default: paths.partner_measures, else the config
    directory's partner_measures.yaml, else the shipped indicators/partner_measures.yaml)."""
    p = Path(
        path or settings.get("paths.partner_measures") or la_config_file(DEFAULT_PATH.name, DEFAULT_PATH)
    )
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PartnerConfigError(f"{p}: not valid YAML: {exc}") from None
    except OSError as exc:
        raise PartnerConfigError(f"{p}: cannot be read: {exc}") from None
    return parse_declaration(data, str(p))


@cache
def declaration() -> Declaration:
    """The partnership's declaration, read once per process."""
    return load_declaration()
