"""What the loaded files cover, per LA: the census and Annex A loads, CDOP extracts and partner returns.

A period is shown only where the loads of an indicator's sources cover all of it; elsewhere the
engine says 'not covered by loaded data' rather than show a misleading zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from indicators import cdop_source
from indicators.periods import Period, PeriodKind, periods_between
from indicators.pooled import pooled_coverage
from indicators.registry import partner_registry
from vocabulary.partners import declaration
from vocabulary.partnership import PARTNERSHIP

# Partner measures: the periods a measure is offered by, from how often it is returned.
KINDS = {
    "quarterly": frozenset({"quarter", "year"}),
    "monthly": frozenset({"month", "quarter", "year", "rolling12"}),
}


@dataclass(frozen=True)
class Coverage:
    """What the loaded files cover for each LA: merged [start, end] spans of days, plus snapshot
    dates (Annex A extract dates) for measures that exist only on those days."""

    spans: dict[str, list[tuple[date, date]]]
    snapshots: dict[str, set[date]] = field(default_factory=dict)
    kinds: frozenset[str] | None = None  # partner measures: periods no finer than their returns

    def covers(self, la_code: str, period: Period) -> bool:
        if self.kinds is not None and period.kind not in self.kinds:
            return False
        if period.end in self.snapshots.get(la_code, ()):
            return True
        return any(s <= period.start and period.end <= e for s, e in self.spans.get(la_code, []))

    @property
    def las(self) -> list[str]:
        """The LAs loaded (the pooled `partnership` is not one of them)."""
        return sorted((set(self.spans) | set(self.snapshots)) - {PARTNERSHIP})

    def bounds(self, la_code: str | None = None) -> tuple[date, date] | None:
        las = [la_code] if la_code else self.las
        days = [d for la in las for span in self.spans.get(la, []) for d in span]
        days += [x for la in las for d in self.snapshots.get(la, ()) for x in (d.replace(day=1), d)]
        return (min(days), max(days)) if days else None


def covered_periods(cov: Coverage, frequency: PeriodKind, la: str | None = None) -> tuple[Period, ...]:
    """Complete periods of `frequency` that `la` (None: any loaded LA) has loaded data for."""
    bounds = cov.bounds(la)
    if bounds is None:
        return ()
    las = [la] if la else cov.las
    return tuple(
        p
        for p in periods_between(bounds[0], bounds[1], frequency)
        if any(cov.covers(code, p) for code in las)
    )


def coverage(con: duckdb.DuckDBPyConnection, sources: tuple[str, ...] = ("cin_census",)) -> Coverage:
    """Coverage from the current loads of the given sources ('cin_census', 'annex_a' for the six
    months before each extract, 'annex_a_snapshot' for the extract dates alone)."""
    if any(s.startswith("partner:") for s in sources):  # partner measures
        return partner_coverage(con, sources)
    spans: dict[str, list[tuple[date, date]]] = {}
    snapshots: dict[str, set[date]] = {}
    span_sources = [s for s in sources if s in ("cin_census", "annex_a")]
    if span_sources:
        rows = con.execute(
            "select la_code, period_start, reference_date from loads "
            "where list_contains(?, source_type) and status = 'loaded' "
            "order by la_code, period_start",
            [span_sources],
        ).fetchall()
        for la, start, end in rows:
            merged = spans.setdefault(la, [])
            if merged and start <= date.fromordinal(merged[-1][1].toordinal() + 1):
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
    if "annex_a_snapshot" in sources:
        for la, as_at in con.execute(
            "select la_code, reference_date from loads where source_type = 'annex_a' and status = 'loaded'"
        ).fetchall():
            snapshots.setdefault(la, set()).add(as_at)
    if cdop_source.SOURCE in sources:
        cdop_source.add_coverage(con, spans)
    return _with_partnership(Coverage(spans, snapshots))


def _with_partnership(cov: Coverage) -> Coverage:
    """Coverage with the pooled `partnership` added (indicators/pooled.py)."""
    spans, snapshots = pooled_coverage(cov.spans, cov.snapshots)
    return Coverage(spans, snapshots, cov.kinds)


def partner_coverage(con: duckdb.DuckDBPyConnection, sources: tuple[str, ...]):
    """Coverage of partner measures: merged spans of the periods their current returns hold."""
    measures = [s.removeprefix("partner:") for s in sources if s.startswith("partner:")]
    try:
        rows = con.execute(
            "select la_code, period_start, period_end from partner_values "
            "where list_contains(?, measure_id) order by la_code, period_start",
            [measures],
        ).fetchall()
    except duckdb.CatalogException:  # a warehouse built before partner returns
        rows = []
    spans: dict[str, list[tuple[date, date]]] = {}
    for la, start, end in rows:
        merged = spans.setdefault(la, [])
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    decl = declaration()
    kinds = frozenset().union(
        *(KINDS[decl.measure(m).frequency] for m in measures if m in partner_registry())
    )
    return Coverage(spans, kinds=kinds or KINDS["quarterly"])
