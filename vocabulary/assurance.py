"""Qualitative assurance vocabulary: s.11 standards, grade scales and audit questions, validated on load.

The declaration lives in ``indicators/assurance.yaml`` (``SAFEGUARDING_ASSURANCE`` points to another
file). A bad file raises AssuranceConfigError naming the file and the entry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vocabulary import settings
from vocabulary.partners import ID_PATTERN
from vocabulary.settings import la_config_file

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "indicators" / "assurance.yaml"
# Action statuses a return may give. "overdue" is never typed: it is worked out from the due date.
ACTION_STATUSES = (
    "not_started",
    "on_track",
    "at_risk",
    "complete",
    "complete_with_impact",
)
DONE_STATUSES = ("complete", "complete_with_impact")


class AssuranceConfigError(ValueError):
    """The assurance file is invalid; the message names the file and the entry."""


class Scale(BaseModel):
    """A grade scale, best first; the first `good_or_better` levels are good or better."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    levels: tuple[str, ...] = Field(min_length=2)
    good_or_better: int = Field(ge=1)

    @model_validator(mode="after")
    def _check(self) -> Scale:
        if len(set(self.levels)) != len(self.levels):
            raise ValueError("a level appears twice")
        if self.good_or_better >= len(self.levels):
            raise ValueError("good_or_better must leave at least one level below good")
        return self

    def rank(self, level: str) -> int:
        """1 for the best level."""
        return self.levels.index(level) + 1

    def below_good(self, level: str) -> bool:
        return self.rank(level) > self.good_or_better

    @staticmethod
    def label(level: str) -> str:
        return level.replace("_", " ").capitalize()


class Standard(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)


class Assurance(BaseModel):
    """The whole file, cross-checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    section11_scale: Scale
    section11_standards: tuple[Standard, ...] = Field(min_length=1)
    audit_scale: Scale
    audit_questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Assurance:
        for what, items in (("standard", self.section11_standards), ("question", self.audit_questions)):
            ids = [i.id for i in items]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"{what} {', '.join(twice)} is defined twice")
        return self

    def standard_title(self, standard_id: str) -> str:
        return next(s.title for s in self.section11_standards if s.id == standard_id)

    def question_text(self, question_id: str) -> str:
        return next(q.text for q in self.audit_questions if q.id == question_id)


def parse_assurance(data: object, source: str = "<memory>") -> Assurance:
    """Validate loaded YAML; AssuranceConfigError names the file and the entry."""
    if not isinstance(data, dict):
        raise AssuranceConfigError(
            f"{source}: expected a mapping of section11_scale, section11_standards, ..."
        )
    try:
        return Assurance.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())
        raise AssuranceConfigError(f"{source}: {problems}") from None


def load_assurance(path: str | Path | None = None) -> Assurance:
    p = Path(path or settings.get("paths.assurance") or la_config_file(DEFAULT_PATH.name, DEFAULT_PATH))
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError) as exc:
        raise AssuranceConfigError(f"{p}: cannot be read as YAML: {exc}") from None
    return parse_assurance(data, str(p))


@cache
def assurance() -> Assurance:
    """The partnership's assurance declaration, read once per process."""
    return load_assurance()
