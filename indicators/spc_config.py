"""Declared SPC annotations and rebase points (annotations.yaml in the LA's config directory, else the
shipped indicators/annotations.yaml), validated on load."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from vocabulary.settings import la_config_file


class SpcNote(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator_id: str
    date: date
    text: str
    rebase: bool = False
    la_code: str | None = None


@cache
def spc_notes() -> tuple[SpcNote, ...]:
    shipped = Path(str(resources.files("indicators") / "annotations.yaml"))
    path = la_config_file("annotations.yaml", shipped)
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
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
