"""Declared SPC annotations and rebase points (indicators/annotations.yaml), validated on load."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError


class SpcNote(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator_id: str
    date: date
    text: str
    rebase: bool = False
    la_code: str | None = None


@cache
def spc_notes() -> tuple[SpcNote, ...]:
    path = resources.files("indicators") / "annotations.yaml"
    entries = yaml.safe_load(path.read_text()) or []
    notes = []
    for n, entry in enumerate(entries, start=1):
        try:
            notes.append(SpcNote.model_validate(entry))
        except ValidationError as exc:
            raise ValueError(f"{path}: entry {n}: {exc.errors()[0]['msg']}") from None
    return tuple(notes)


def notes_for(indicator_id: str, la_code: str | None) -> tuple[list, list]:
    """(annotations, rebase_dates) for one indicator and LA, as spc() takes them."""
    mine = [
        n
        for n in spc_notes()
        if n.indicator_id == indicator_id and (n.la_code is None or n.la_code == la_code)
    ]
    return ([(n.date, n.text) for n in mine], [(n.date, n.text) for n in mine if n.rebase])
