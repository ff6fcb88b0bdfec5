"""The indicator mart: every indicator's values persisted in the warehouse at load, read back by query.

`build` runs inside a load (the `after_curate` hook of `pipelines.load.ingest`, passed by the CLI), on the
private copy of the warehouse that the load swaps in atomically. It calls the same engine as a read
(`engine.indicator_values`), so the mart and the unit-level SQL cannot disagree: the mart is that
computation done once, for every indicator, frequency, loaded LA, the pooled partnership and every
breakdown. Targets and RAG (configuration), SPC, suppression and benchmarks stay at read time.

A load that adds census, Annex A or CDOP files of some LAs recomputes only those LAs' rows (and the
partnership's, if one is a member), unless the periods on offer changed. Anything else, or a mart built
by other code or configuration (its fingerprint), is rebuilt in full. A mart whose fingerprint is not
the running code's is never read: `lookup` answers None and the API computes as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from indicators import engine, store
from indicators.access import PUBLIC_TABLES
from indicators.budget_cache import budget_cache
from indicators.coverage import Coverage, coverage, covered_periods
from indicators.periods import PERIOD_KINDS
from indicators.registry import Indicator, registry
from vocabulary.partnership import PARTNERSHIP, partnership

MART_SQL = resources.files("indicators") / "sql" / "mart"
# Census returns, Annex A lists and CDOP extracts are one LA's data: loading one changes that LA's
# rows only. Populations, area files and anything else may change every LA's.
LA_SOURCES = frozenset({"cin_census", "annex_a", "cdop"})
ALL, POOLED = "all", "partnership"
BATCH_ROWS = 200_000  # rows of one scope held before they are inserted: few inserts, bounded memory


@cache
def _sql(name: str) -> str:
    return (MART_SQL / name).read_text()


def fingerprint() -> str:
    """A hash of what computes the values: the indicators and vocabulary code, the registry and the
    unit SQL, and the partnership's member LAs. Targets, annotations and labels are not in it: they
    are applied at read time."""
    config = partnership()
    return hashlib.sha256((_code_hash() + repr((config.name, tuple(config.la_codes)))).encode()).hexdigest()


@cache
def _code_hash() -> str:
    digest = hashlib.sha256()
    for package in ("indicators", "vocabulary"):
        root = resources.files(package)
        for path in sorted(_files(root), key=str):
            digest.update(str(path)[len(str(root)) :].encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files(root):
    """The .py, .sql and registry files under a package folder (not targets or annotations)."""
    for item in root.iterdir():
        if item.is_dir() and item.name != "__pycache__":
            yield from _files(item)
        elif item.name.endswith((".py", ".sql")) or item.name == "registry.yaml":
            yield item


@dataclass
class MartBuild:
    """What one build did: the rows written, and which (indicator, scope) pairs were rebuilt in full
    or updated for the changed LAs only."""

    rows: int = 0
    full: list[tuple[str, str]] = field(default_factory=list)
    partial: list[tuple[str, str]] = field(default_factory=list)


def build(con: duckdb.DuckDBPyConnection, changed_las: set[str] | None = None) -> MartBuild:
    """Write the mart into the warehouse behind `con` (a load's private copy). `changed_las`: the LAs
    whose census, Annex A or CDOP data this load changed; None rebuilds everything."""
    con.register("working_days", store.working_day_calendar())
    stamp = fingerprint()
    built = _builds(con)
    if changed_las is None or not built or any(b[2] != stamp for b in built.values()):
        con.execute("drop table if exists indicator_mart")
        con.execute("drop table if exists indicator_mart_builds")
        built, changed_las = {}, None
    con.execute(_sql("indicator_mart.sql"))
    members = set(partnership().la_codes)
    stats = MartBuild()
    # What to compute: every LA at once (None), or one scope's LAs (an LA, or the partnership), each
    # with the indicators and periods it needs.
    every_la: list[tuple[Indicator, list]] = []
    scoped: dict[str, list[tuple[Indicator, list]]] = {}
    records = []
    covs: dict[tuple[str, ...], Coverage] = {}  # indicators share their sources: read each once
    for indicator in registry().values():
        if indicator.sources not in covs:
            covs[indicator.sources] = coverage(con, indicator.sources)
        cov = covs[indicator.sources]
        for scope, la in ((ALL, None), (POOLED, PARTNERSHIP)):
            # Every frequency in one computation: a monthly roll-up is summed once into all of them.
            periods = [p for kind in PERIOD_KINDS for p in covered_periods(cov, kind, la)]
            labels = [p.label for p in periods]
            key = (indicator.id, scope)
            if changed_las is not None and key in built and built[key][0] == labels:
                if la is None:
                    targets = sorted(changed_las & set(cov.las))
                else:
                    targets = [la] if changed_las & members else []
                for code in targets:
                    scoped.setdefault(code, []).append((indicator, periods))
                stats.partial.append(key)
            elif la is None:
                every_la.append((indicator, periods))
                stats.full.append(key)
            else:
                scoped.setdefault(la, []).append((indicator, periods))
                stats.full.append(key)
            records.append((*key, labels, ([la] if la else cov.las) if periods else [], stamp))
    for indicator, periods in every_la:
        _delete(con, [indicator.id], None)
        stats.rows += _insert(con, [_values(con, indicator, periods, None)])
    for la, work in scoped.items():
        _delete(con, [indicator.id for indicator, _ in work], la)
        batch: list[pd.DataFrame] = []
        with _scope(con, la) as cur:  # only this LA's (or the members') rows in the LA tables
            for indicator, periods in work:
                batch.append(_values(cur, indicator, periods, la))
                if sum(len(f) for f in batch if f is not None) >= BATCH_ROWS:
                    stats.rows += _insert(con, batch)
                    batch = []
        stats.rows += _insert(con, batch)
    _record(con, records)
    if every_la:
        _sort(con)  # appended rows for a few LAs sit in narrow row groups already: no re-sort then
    return stats


def _values(
    con: duckdb.DuckDBPyConnection, indicator: Indicator, periods: list, la: str | None
) -> pd.DataFrame | None:
    """One indicator's rows for one LA, the partnership, or every LA (None); None without periods."""
    if not periods:
        return None
    return engine.indicator_values(con, indicator, periods, None, la)


def _delete(con: duckdb.DuckDBPyConnection, indicator_ids: list[str], la: str | None) -> None:
    """Remove these indicators' rows of one LA, the partnership, or every LA (None): one statement."""
    params = {"indicator_ids": indicator_ids, "la": la, "partnership": PARTNERSHIP}
    con.execute(_sql("delete_rows.sql"), params)


def _insert(con: duckdb.DuckDBPyConnection, frames: list[pd.DataFrame | None]) -> int:
    """Append computed rows to the mart in one statement."""
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return 0
    batch = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    batch = batch.astype({"value": "float64"})  # noqa: F841  (read by DuckDB below)
    con.execute("insert into indicator_mart by name select * from batch")
    return len(batch)


@contextmanager
def _scope(con: duckdb.DuckDBPyConnection, la: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the warehouse whose LA tables hold only one LA's rows (or the partnership members'):
    temporary tables of the same names shadow them. An LA's values are computed from its own rows alone
    (child, plan and episode keys are per LA; the same rule as a user limited to LAs, indicators/access.py),
    so the values are the same, while each indicator's query reads that LA's rows, not every LA's."""
    las = list(partnership().la_codes) if la == PARTNERSHIP else [la]
    cur = con.cursor()
    try:
        cur.register("working_days", store.working_day_calendar())
        database = cur.execute("select current_database()").fetchone()[0]
        tables = cur.execute(_sql("la_tables.sql"), {"public": sorted(PUBLIC_TABLES)}).fetchall()
        for (table,) in tables:
            name = _quoted(table)
            source = f"{_quoted(database)}.main.{name}"
            cur.execute(_sql("scope_table.sql").format(table=name, source=source), {"las": las})
        yield cur
    finally:
        cur.close()


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _record(con: duckdb.DuckDBPyConnection, records: list[tuple]) -> None:
    """What each (indicator, scope) now holds, its labels, LAs and fingerprint: one statement."""
    names = ["indicator_id", "scope", "labels", "las", "fingerprint"]
    text, texts = pa.string(), pa.list_(pa.string())
    types = [text, text, texts, texts, text]
    builds = pa.table([pa.array([r[i] for r in records], type=t) for i, t in enumerate(types)], names=names)
    con.register("builds", builds)
    try:
        con.execute(_sql("record_builds.sql"))
    finally:
        con.unregister("builds")


def _sort(con: duckdb.DuckDBPyConnection) -> None:
    """Store the rows in lookup order, so a lookup's filters skip all but a few row groups."""
    con.execute(
        "create or replace table indicator_mart as select * from indicator_mart "
        'order by indicator_id, la_code, breakdown, frequency, period_end, "group"'
    )
    con.execute(_sql("indicator_mart.sql"))  # the comments, as the table is new


def _builds(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[list[str], list[str], str]]:
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'indicator_mart_builds' "
        "and database_name = current_database() and schema_name = 'main'"
    ).fetchone()[0]
    if not exists:
        return {}
    rows = con.execute(
        "select indicator_id, scope, labels, las, fingerprint from indicator_mart_builds"
    ).fetchall()
    return {(i, s): (list(labels), list(las), fp) for i, s, labels, las, fp in rows}


def changed_las(loaded: list[tuple[str | None, str | None]]) -> set[str] | None:
    """The LAs a load's new files change, from (source type, LA code) pairs; None when a file may
    change every LA's values (a population, area or other reference file)."""
    out: set[str] = set()
    for source_type, la in loaded:
        if source_type not in LA_SOURCES or not la:
            return None
        out.add(la)
    return out


def refresh(con: duckdb.DuckDBPyConnection, loaded: list[tuple[str | None, str | None]]) -> MartBuild:
    """The load's hook (pipelines.load.AfterCurate): bring the mart up to date with the files added."""
    return build(con, changed_las(loaded))


class MartReader:
    """What one warehouse's mart holds: whether this code built it, and each indicator's LAs and labels."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        built = _builds(con)
        stamp = fingerprint()
        self.current = bool(built) and all(b[2] == stamp for b in built.values())
        # (indicator, LA) -> every label built for it, of every frequency (labels differ by frequency)
        self.labels: dict[tuple[str, str], set[str]] = {}
        for (indicator_id, _scope), (labels, las, _fp) in built.items():
            for la in las:
                self.labels.setdefault((indicator_id, la), set()).update(labels)

    def holds(self, indicator_id: str, labels: tuple[str, ...], la: str | None) -> bool:
        """Whether the mart holds this LA's rows (or every LA's) at every one of these labels."""
        if not self.current:
            return False
        if la is None:  # every LA: each must hold every label
            held = [
                built for (i, _la), built in self.labels.items() if i == indicator_id and _la != PARTNERSHIP
            ]
            return bool(held) and all(set(labels) <= built for built in held)
        return set(labels) <= self.labels.get((indicator_id, la), set())


def rows(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    labels: tuple[str, ...] | None,
    la: str | None,
    breakdown: str | None,
) -> pd.DataFrame:
    """The mart's rows (None: every label, or every breakdown), typed as `engine.indicator_values`
    returns them."""
    params = {
        "indicator_id": indicator_id,
        "breakdown": breakdown,
        "labels": None if labels is None else list(labels),
        "la": la,
        "partnership": PARTNERSHIP,
    }
    df = con.execute(_sql("mart_rows.sql"), params).df()
    for col in ("period_start", "period_end"):
        df[col] = pd.to_datetime(df[col]).dt.date
    for col in ("numerator", "denominator"):
        df[col] = df[col].astype("Int64")
    if not (df["unit"] == "count").all():  # the engine's counts are floats; rates are objects (None)
        df["value"] = df["value"].astype("object").where(df["value"].notna(), None)
    return df[engine.VALUE_COLUMNS]


@lru_cache(maxsize=16)
def reader(version: tuple, warehouse: str | None) -> MartReader:
    """The mart of one warehouse file (and access limit): `store.warehouse_version` is the key."""
    con = store.cursor(warehouse)
    try:
        return MartReader(con)
    finally:
        con.close()


def is_current(warehouse: str | Path | None = None) -> bool:
    """Whether the warehouse holds a mart built by this code and configuration (else values are computed)."""
    return reader(store.warehouse_version(warehouse), str(warehouse) if warehouse else None).current


# Work done once on one breakdown of an (indicator, LA) read rather than on every request's share of
# it: the analyst API adds targets and RAG (indicators/api.py). Called with the rows and the indicator.
Finish = Callable[[pd.DataFrame, str], pd.DataFrame]


# The rows read for each (indicator, LA, breakdown) viewed, least recently used dropped first once they
# hold ROWS_CACHE_BYTES, so a server viewing every LA of England stays within it.
ROWS_CACHE_BYTES = 128 * 2**20


@budget_cache(ROWS_CACHE_BYTES)
def la_rows(
    version: tuple, indicator_id: str, la: str, warehouse: str | None, breakdown: str, finish: Finish | None
) -> pd.DataFrame | None:
    """Every mart row of one indicator for one LA (or the partnership) and one breakdown, with `finish`
    applied (None when there are none): one indexed query, after which a page's choice of periods is a
    filter in memory. A scorecard reads the totals only, never the breakdowns' many rows."""
    con = store.cursor(warehouse)
    try:
        df = rows(con, indicator_id, None, la, breakdown)
    finally:
        con.close()
    if df.empty:
        return None
    return df if finish is None else finish(df, indicator_id)


def lookup(
    version: tuple,
    indicator_id: str,
    labels: tuple[str, ...],
    la: str | None,
    warehouse: str | None,
    breakdown: str,
    finish: Finish | None = None,
) -> pd.DataFrame | None:
    """The mart's rows for a request, in the labels' order, with `finish` applied; None when the mart
    does not hold them (no mart, a mart built by other code or configuration, or a label or LA it was
    not built for)."""
    if not reader(version, warehouse).holds(indicator_id, labels, la):
        return None
    if la is None:  # every LA: rare, and too big to keep
        con = store.cursor(warehouse)
        try:
            df = rows(con, indicator_id, labels, None, breakdown)
        finally:
            con.close()
        df = df if finish is None else finish(df, indicator_id)
    else:
        part = la_rows(version, indicator_id, la, warehouse, breakdown, finish)
        if part is None:
            empty = pd.DataFrame(columns=engine.VALUE_COLUMNS)
            return empty if finish is None else finish(empty, indicator_id)
        df = part[part["period"].isin(labels)]
    return engine.in_label_order(df, labels).reset_index(drop=True)
