"""Small helpers for reading leaf fields from lxml elements and for birth-date arithmetic."""

from __future__ import annotations

from datetime import date

from lxml import etree

Fields = dict[str, tuple[str, int]]


def local_name(tag: object) -> str:
    """Element name without any namespace; comments and entities have no name."""
    if tag.__class__ is not str:
        return ""
    return tag if tag[0] != "{" else tag.rpartition("}")[2]


def leaf_fields(el: etree._Element) -> Fields:
    """Leaf children of an element as name -> (stripped text, line); repeated names keep the first."""
    out: Fields = {}
    for sub in el:
        if len(sub):
            continue
        name = sub.tag
        if name.__class__ is not str:
            continue
        if name[0] == "{":
            name = name.rpartition("}")[2]
        if name not in out:
            out[name] = ((sub.text or "").strip(), sub.sourceline or 0)
    return out


def children_named(el: etree._Element, name: str) -> list[etree._Element]:
    return [sub for sub in el if local_name(sub.tag) == name]


def month_start(d: date | None) -> date | None:
    """Keep only the month of a date (the first day stands for the month)."""
    return None if d is None else d.replace(day=1)


def age_in_years(birth: date, on: date) -> int:
    """Completed years of age on a day (a 29 February birthday counts from 1 March)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
