"""Which days the pooled `partnership` covers: the days every member LA's loaded data covers."""

from __future__ import annotations

from datetime import date

from vocabulary.partnership import PARTNERSHIP, partnership

Spans = dict[str, list[tuple[date, date]]]


def _intersect(a: list[tuple[date, date]], b: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Days in both lists of [start, end] spans."""
    out = [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b]
    return sorted((s, e) for s, e in out if s <= e)


def pooled_coverage(spans: Spans, snapshots: dict[str, set[date]]) -> tuple[Spans, dict[str, set[date]]]:
    """The spans and snapshot dates with `partnership` added: the days (and snapshot dates) every
    member LA covers. Without every member loaded the partnership covers nothing."""
    members = partnership().la_codes
    pooled = spans.get(members[0], [])
    for la in members[1:]:
        pooled = _intersect(pooled, spans.get(la, []))
    dates = set.intersection(*(set(snapshots.get(la, set())) for la in members))
    new_spans = {**spans, PARTNERSHIP: pooled} if pooled else dict(spans)
    new_snapshots = {**snapshots, PARTNERSHIP: dates} if dates else dict(snapshots)
    return new_spans, new_snapshots
