"""The indicator registry: registry.yaml validated into typed, read-only definitions."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from vocabulary.partners import Declaration, declaration

Polarity = Literal["higher_better", "lower_better", "lower_better_not_zero", "context"]
Unit = Literal["count", "percent", "rate_per_10k", "rate_per_100k", "days"]
Breakdown = Literal[
    "la",
    "area",
    "ethnicity",
    "ethnic_group",
    "sex",
    "age_band",
    "category",
    "latest_category",
    "cdop_age_band",
    "expected",
    "death_category",  # CDOP (indicators/cdop_source.py)
    "factor_domestic_abuse",  # factors at the assessment before a plan (indicators/plan_factors.py)
    "factor_mental_health",
    "factor_substance_misuse",
    "assessment_factor",  # each DfE factor code at assessment, a share of all (enrich.MULTI_VALUED)
]
SQL_DIR = resources.files("indicators") / "sql"
THEMES = {
    "child_protection": "Child protection",
    "front_door": "The front door: referrals, assessments, section 47 enquiries and children in need",
    "child_deaths": "Child deaths",
    "partner_agencies": "Partner agencies' measures",
}


class Indicator(BaseModel):
    """One indicator as the registry defines it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    short_title: str
    definition: str
    dfe_source: str  # in plain words (the board reads it)
    dfe_fields: str = ""  # DfE's own table and field names, for analysts (docs/indicators.md)
    unit: Unit
    polarity: Polarity
    sql: str
    breakdowns: tuple[Breakdown, ...]
    decimals: int = 1
    denominator_source: Literal["population_0_17"] | None = None
    default_breakdown: Breakdown | None = None
    caveats: str | None = None
    # Which loaded files can supply it: census returns, in-year Annex A lists (covering the six
    # months before each extract), or Annex A only on its extract dates (a snapshot measure).
    # 'cdop': CDOP extracts, from the month of their first notification to their extract date.
    # 'partner:<measure id>': a partner agency measure (indicators/coverage.py), covered where its
    # agency's returns hold a value for it.
    sources: tuple[str, ...] = ("cin_census",)
    # ratio: sum(numerator) / sum(denominator) x per; median: the median of the unit numerators
    # (numerator and denominator are still summed, e.g. total days and number of reviews).
    statistic: Literal["ratio", "median"] = "ratio"
    # measured_at: period_end when the unit rows depend only on the period's last day (a snapshot,
    # e.g. children on a plan at the end): periods ending on the same day (a month, its quarter,
    # its year, the rolling 12 months to it) share one computation. event_month when units are
    # events dated in the period with numerators that do not depend on it (plans starting): longer
    # periods are then summed from their months (indicators/rollup.py).
    measured_at: Literal["period", "period_end", "event_month"] = "period"
    # Partner measures (indicators/partners.py): the measure id its SQL selects, and whether a longer
    # period takes the value at its end (training in date) instead of summing its quarters.
    partner_measure: str | None = None
    partner_at_end: bool = False
    # The scorecard groups indicators by theme, one printed page each (THEMES gives the headings).
    theme: Literal["child_protection", "front_door", "child_deaths", "partner_agencies"] = "child_protection"
    # Front-door measures (docs/indicators.md): the working-day limit a timeliness SQL tests
    # ($within_days; none = the numerator is the working days), and the DfE assessment factor codes
    # a factor share counts ($codes, vocabulary/assessment_factors.py).
    within_working_days: int | None = None
    factor_codes: tuple[str, ...] | None = None

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        known = ("cin_census", "annex_a", "annex_a_snapshot", "cdop")
        for s in v:
            if s not in known and not s.startswith("partner:"):
                raise ValueError(
                    f"unknown source {s!r}; expected one of {', '.join(known)} or partner:<measure>"
                )
        return v

    # A rate of events per year (e.g. deaths per 100,000 a year): values for months and quarters are
    # scaled to a year (x12, x4) so they compare with annual and national figures.
    annualised: bool = False
    # Days of earlier data a period's numerator needs (e.g. a previous plan ended within 2 years):
    # periods without that much loaded data before them are 'not yet measurable', not a false 0%.
    lookback_days: int | None = None

    @field_validator("id")
    @classmethod
    def _id_is_snake_case(cls, v: str) -> str:
        if not v.replace("_", "").isalnum() or v.lower() != v:
            raise ValueError(f"indicator id {v!r} must be lower_snake_case")
        return v

    @field_validator("sql")
    @classmethod
    def _sql_exists(cls, v: str) -> str:
        if not (SQL_DIR / v).is_file():
            raise ValueError(f"SQL file indicators/sql/{v} does not exist")
        return v

    @field_validator("factor_codes")
    @classmethod
    def _known_factor_codes(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        from vocabulary.assessment_factors import FACTOR_LABELS

        unknown = [c for c in v or () if c not in FACTOR_LABELS]
        if unknown:
            raise ValueError(f"unknown DfE assessment factor codes {unknown}")
        return v

    @model_validator(mode="after")
    def _rates_have_a_denominator(self) -> Indicator:
        if self.unit.startswith("rate") and self.denominator_source is None:
            raise ValueError(f"{self.id}: a rate needs denominator_source")
        if "$codes" in self.sql_text() and not self.factor_codes:
            raise ValueError(f"{self.id}: {self.sql} counts factor codes: give factor_codes")
        if self.default_breakdown and self.default_breakdown not in self.breakdowns:
            raise ValueError(f"{self.id}: default_breakdown must be one of its breakdowns")
        if "assessment_factor" in self.breakdowns and (
            self.statistic != "ratio" or self.unit != "percent" or "factor_groups" not in self.sql_text()
        ):
            raise ValueError(
                f"{self.id}: the assessment_factor breakdown needs a percentage (a ratio) whose SQL "
                "lists each unit's factor_groups"
            )
        return self

    @property
    def per(self) -> int:
        return {"rate_per_10k": 10_000, "rate_per_100k": 100_000, "percent": 100}.get(self.unit, 1)

    def sql_text(self) -> str:
        return (SQL_DIR / self.sql).read_text()

    def sql_params(self) -> dict[str, object]:
        """Values the SQL file takes as parameters besides $la (a partner measure's id, a
        working-day limit, factor codes)."""
        params: dict[str, object] = {}
        if self.partner_measure is not None:
            params |= {"measure": self.partner_measure, "at_end": self.partner_at_end}
        text = self.sql_text()
        if "$within_days" in text:
            params["within_days"] = self.within_working_days
        if "$codes" in text:
            params["codes"] = list(self.factor_codes or ())
        return params


class RegistryError(ValueError):
    """The registry file is invalid; the message names the entry and the field."""


def parse_registry(text: str, source: str = "registry.yaml") -> dict[str, Indicator]:
    entries = yaml.safe_load(text)
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: expected a list of indicator entries")
    out: dict[str, Indicator] = {}
    for n, entry in enumerate(entries, start=1):
        name = entry.get("id", f"entry {n}") if isinstance(entry, dict) else f"entry {n}"
        try:
            ind = Indicator.model_validate(entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise RegistryError(f"{source}: indicator {name}: {problems}") from None
        if ind.id in out:
            raise RegistryError(f"{source}: indicator {ind.id} is defined twice")
        out[ind.id] = ind
    for ind in out.values():
        for b in ind.breakdowns:
            share = out.get(f"{b}_pct") if b.startswith("factor_") else None
            if b.startswith("factor_") and (share is None or not share.factor_codes):
                raise RegistryError(
                    f"{source}: indicator {ind.id}: breakdowns: {b} needs the factor share {b}_pct "
                    "with factor_codes in the same registry (its codes are the ones tested)"
                )
    return out


@cache
def registry() -> dict[str, Indicator]:
    """Every indicator, keyed by id, in registry order."""
    path = resources.files("indicators") / "registry.yaml"
    return parse_registry(path.read_text(), str(path))


# Partner agency measures (indicators/partner_measures.yaml, vocabulary/partners.py) as indicators.
def as_indicator(measure, decl: Declaration) -> Indicator:
    """The registry entry of one partner measure."""
    agency = decl.agency(measure.agency)
    return Indicator(
        id=measure.id,
        title=measure.title,
        short_title=measure.short_title,
        definition=measure.definition,
        dfe_source=f"Partner return: {agency.name} (numerator: {measure.numerator}"
        + (f"; denominator: {measure.denominator})" if measure.denominator else ")"),
        unit=measure.unit,
        polarity=measure.polarity,
        sql="partner_value.sql",
        breakdowns=("la",),
        decimals=0 if measure.unit == "count" else 1,
        denominator_source="population_0_17" if measure.unit == "rate_per_10k" else None,
        sources=(f"partner:{measure.id}",),
        partner_measure=measure.id,
        partner_at_end=measure.at_period_end,
        theme="partner_agencies",
    )


@cache
def partner_registry() -> dict[str, Indicator]:
    """Every partner measure as an indicator, keyed by id, in file order."""
    decl = declaration()
    clash = [m.id for m in decl.measures if m.id in registry()]
    if clash:
        raise ValueError(f"{decl.source}: measure id(s) {', '.join(clash)} are LA indicator ids")
    unknown = [i for ids in decl.theme_indicators.values() for i in ids if i not in registry()]
    if unknown:
        raise ValueError(f"{decl.source}: theme_indicators: unknown LA indicator(s) {', '.join(unknown)}")
    return {m.id: as_indicator(m, decl) for m in decl.measures}


def get(indicator_id: str) -> Indicator:
    """An indicator from the registry, or a partner measure (`partner_registry`)."""
    if indicator_id in registry():
        return registry()[indicator_id]
    if indicator_id in partner_registry():
        return partner_registry()[indicator_id]
    known = ", ".join(registry())
    raise KeyError(f"unknown indicator {indicator_id!r}; known: {known}")
