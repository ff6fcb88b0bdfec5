"""Ingest orchestration: detect, validate, stage and curate a batch of files, all or nothing."""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.annex_a import read_annex_a
from pipelines.area_files import read_area_lookup, read_area_population
from pipelines.assurance_load import record_assurance_load
from pipelines.assurance_returns import read_assurance_return
from pipelines.cdop import read_cdop
from pipelines.cdop import record_load as record_cdop_load
from pipelines.census_ethnicity import read_census_ethnicity
from pipelines.cin_census import SENSITIVE_FIELDS, CensusReader
from pipelines.curate import rebuild_curated, sql_file
from pipelines.detect import detect_type
from pipelines.dfe.collect import RawCollector
from pipelines.dfe.engine import COLLECTION_YEARS, merge_issues, run_rules
from pipelines.file_result import FileResult
from pipelines.issues import IngestError, Issue, Severity
from pipelines.parallel import SpooledParser, ingest_workers
from pipelines.partner_load import record_partner_load, supersede_partner
from pipelines.partner_returns import read_partner_return
from pipelines.plausibility import implausible_drop
from pipelines.population import read_population
from pipelines.pseudonymise import Pseudonymiser
from pipelines.published.ees import read_ees_csv
from pipelines.published.lait import read_lait_parquet
from pipelines.published.neighbours import read_statistical_neighbours
from pipelines.rows import STAGING_SCHEMAS, RowSink
from pipelines.warehouse import rebuild, spool_path, writer_lock
from pipelines.warehouse_state import ingest_key, read_state, record_fingerprint
from pipelines.zip_limits import is_zip, zip_problem
from vocabulary import settings
from vocabulary.logs import event
from vocabulary.settings import resolve_warehouse

_LOG = logging.getLogger("safeguarding.load")

Progress = Callable[[str], None]
# Called inside the load, after the curated tables are rebuilt and before the swap, with the load's
# connection and (source type, LA code) of each file it added: the CLI passes indicators.mart.refresh,
# so that the indicator mart is written into the same atomically swapped file.
AfterCurate = Callable[[duckdb.DuckDBPyConnection, list[tuple[str | None, str | None]]], None]
STAGED_CENSUS_TABLES = tuple(STAGING_SCHEMAS)
STAGING_TABLE_OF = {
    "ons_population": "population",
    "census_ethnicity": "ethnic_population",
    "annex_a": "annex_a_plans",
}
# Published DfE benchmark files (pipelines/published/).
STAGING_TABLE_OF |= {
    "ees_csv": "published_values",
    "lait_parquet": "published_values",
    "statistical_neighbours": "statistical_neighbours",
}
STAGING_TABLE_OF |= {"cdop": "cdop_deaths"}  # CDOP extracts (pipelines/cdop.py)
# Partner agency returns (pipelines/partner_returns.py).
STAGING_TABLE_OF |= {"partner_return": "partner_values"}
# Qualitative assurance returns (pipelines/assurance_returns.py).
ASSURANCE_KINDS = ("s11_return", "case_audit", "action_plan")
STAGING_TABLE_OF |= {"s11_return": "s11_ratings", "case_audit": "audit_grades", "action_plan": "actions"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a directory stands for the files directly inside it, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
        else:
            out.append(p)
    return out


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def max_file_bytes() -> int:
    """Largest input accepted (default 512 MB; SAFEGUARDING_MAX_FILE_MB overrides). The biggest
    real CIN census return is well under 100 MB; anything far larger is refused before it is read."""
    return int(float(settings.get("limits.max_file_mb") or "512") * (1 << 20))


def _too_big(path: Path) -> FileResult | None:
    size = path.stat().st_size
    if size <= max_file_bytes():
        return None
    result = FileResult(path, None, status="rejected")
    result.issues.append(
        Issue(
            path.name,
            None,
            None,
            "file",
            None,
            "S-SIZE",
            Severity.STRUCTURAL,
            f"the file is {size / (1 << 20):,.0f} MB, over the "
            f"{max_file_bytes() / (1 << 20):,.0f} MB limit "
            "(set SAFEGUARDING_MAX_FILE_MB to raise it); it was not read",
        )
    )
    return result


def _zip_rejected(path: Path) -> FileResult | None:
    """A workbook over the limits of pipelines/zip_limits.py, refused before any parser opens it."""
    problem = zip_problem(path) if is_zip(path) else None
    if problem is None:
        return None
    result = FileResult(path, None, status="rejected")
    result.issues.append(Issue(path.name, None, None, "file", None, "S-ZIP", Severity.STRUCTURAL, problem))
    return result


def _encoding_problem(path: Path) -> str | None:
    """Why the start of a text file is not UTF-8, or None."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "the file is UTF-16 text: save it as UTF-8 (in Excel, 'CSV UTF-8')"
    if head.startswith((b"PK\x03\x04", b"PAR1")) or b"\0" in head[:1024]:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) < 65536 or exc.start < len(head) - 4:  # not a character cut at 64 KB
            line = head[: exc.start].count(b"\n") + 1
            return (
                f"the file is not UTF-8 text (byte 0x{head[exc.start]:02x} on line {line}; "
                "Latin-1 or Windows-1252?): save it as UTF-8 (in Excel, 'CSV UTF-8')"
            )
    return None


def _unknown_file(path: Path) -> FileResult:
    result = FileResult(path, None, status="rejected")
    if not path.exists():
        message = "the file does not exist"
    elif path.stat().st_size == 0:
        message = "the file is empty"
    elif encoding := _encoding_problem(path):
        message = encoding
    else:
        message = (
            "the file type is not recognised (expected CIN census XML, an Annex A workbook "
            "with List 7, an area lookup CSV, an area population CSV, an ONS population CSV, a DfE "
            "EES table D1/D3/D5/D6/D7/C4, the LAIT parquet, a statistical neighbours CSV, a "
            "CDOP extract, a partner agency return or an assurance return)"
        )
    result.issues.append(Issue(path.name, None, None, "file", None, "S-TYPE", Severity.STRUCTURAL, message))
    return result


def validate_files(
    paths: Iterable[str | Path], progress: Progress | None = None, rules: str | None = None
) -> list[FileResult]:
    """Run every check without loading anything. A throwaway key is used for hashing. `rules`
    picks the DfE rule set's collection year (default: each return's own year)."""
    pseudo = Pseudonymiser(b"\0" * 32)
    results = []
    for path in expand_paths(paths):
        if path.is_file() and (big := _too_big(path) or _zip_rejected(path)) is not None:
            results.append(big)
            continue
        kind = detect_type(path) if path.is_file() else None
        if kind is None:
            results.append(_unknown_file(path))
            continue
        result = _read_file(path, kind, pseudo, None, progress, rules)
        result.status = "rejected" if result.structural else "valid"
        results.append(result)
    return results


def _read_file(
    path: Path,
    kind: str,
    pseudo: Pseudonymiser,
    stage: Callable[[str, pa.Table, str | None], None] | None,
    progress: Progress | None,
    rules: str | None = None,
) -> FileResult:
    """Parse one file; rows go to `stage(table, arrow_table, la_code)` (None: discard them).
    A census return is also checked against the DfE rules of `rules` (a collection year; by
    default the return's own year, where DfE rules are implemented for it)."""
    started = time.perf_counter()
    result = FileResult(path, kind)
    if kind == "cin_census":
        reader: CensusReader | None = None

        def flush(table: str, batch: pa.Table) -> None:
            # Children are only read after the header, so the LA is known here.
            if stage is not None and reader is not None and reader.result.header is not None:
                stage(table, batch, reader.result.header.la_code)

        sink = RowSink(flush=flush)

        def tick(n: int) -> None:
            if progress:
                rate = n / max(time.perf_counter() - started, 1e-9)
                progress(f"  {path.name}: {n:,} children ({rate:,.0f}/s)")

        collector = RawCollector()
        reader = CensusReader(path, pseudo, sink, progress=tick, raw=collector)
        parsed = reader.read()
        sink.flush()
        result.header, result.children, result.issues = parsed.header, parsed.children, parsed.issues
        result.rows = dict(sink.counts)
        year = rules or (parsed.header.collection_year if parsed.header else None)
        if parsed.header is not None and year in COLLECTION_YEARS:
            dfe = run_rules(collector.tables(), parsed.header.reference_date, year, reader.name)
            result.issues = merge_issues(parsed.issues, dfe, year)
            result.dfe_rules = year
    else:
        try:
            table, issues = _read_tabular(path, kind, pseudo, result)
        except UnicodeDecodeError as exc:
            table, issues = (
                None,
                [
                    Issue(
                        path.name,
                        None,
                        None,
                        "file",
                        None,
                        "S-ENCODING",
                        Severity.STRUCTURAL,
                        f"the file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                        "in it; Latin-1 or Windows-1252?): save it as UTF-8 "
                        "(in Excel, 'CSV UTF-8')",
                    )
                ],
            )
        except csv.Error as exc:
            table, issues = (
                None,
                [
                    Issue(
                        path.name,
                        None,
                        None,
                        "file",
                        None,
                        "S-CSV",
                        Severity.STRUCTURAL,
                        f"the CSV cannot be read: {exc}",
                    )
                ],
            )
        result.issues = issues
        if table is not None:
            result.rows = {kind: table.num_rows}
            if stage is not None:
                stage(STAGING_TABLE_OF.get(kind, kind), table, None)
    result.seconds = time.perf_counter() - started
    return result


def _read_tabular(
    path: Path, kind: str, pseudo: Pseudonymiser, result: FileResult
) -> tuple[pa.Table | None, list[Issue]]:
    """The readers for everything but CIN census XML (Annex A and CDOP also set result.meta)."""
    if kind == "annex_a":
        table, issues, result.meta = read_annex_a(path, pseudo)
    elif kind == "area_lookup":
        table, issues = read_area_lookup(path, pseudo)
    elif kind == "ons_population":
        table, issues = read_population(path)
    elif kind == "ees_csv":
        table, issues = read_ees_csv(path)
    elif kind == "lait_parquet":
        table, issues = read_lait_parquet(path)
    elif kind == "statistical_neighbours":
        table, issues = read_statistical_neighbours(path)
    elif kind == "cdop":
        table, issues, result.meta = read_cdop(path, pseudo)
    elif kind == "census_ethnicity":
        table, issues = read_census_ethnicity(path)
    elif kind == "partner_return":
        table, issues, result.meta = read_partner_return(path)
    elif kind in ASSURANCE_KINDS:
        table, issues, result.meta = read_assurance_return(path, kind, pseudo)
    else:
        table, issues = read_area_population(path)
    return table, issues


def ingest(
    paths: Iterable[str | Path],
    warehouse: str | Path | None = None,
    *,
    strict: bool = False,
    progress: Progress | None = _stderr,
    force: bool = False,
    after_curate: AfterCurate | None = None,
) -> list[FileResult]:
    """Load files into the warehouse. Raises IngestError (and changes nothing) if any is rejected.
    `force` lets a census return replace one with far more children (pipelines/plausibility.py).
    Logs one structured line per file (event=load), or one for the refused batch (event=load_rejected)."""
    target = resolve_warehouse(warehouse)
    started = time.perf_counter()
    try:
        results = _ingest(paths, target, strict, progress, force, after_curate)
    except IngestError as exc:
        event(_LOG, "load_rejected", warehouse=target, reason=str(exc).splitlines()[0])  # the CLI says why
        raise
    for r in results:
        rows = r.children if r.source_type == "cin_census" else sum(r.rows.values())
        event(
            _LOG, "load", warehouse=target, file=r.path.name, type=r.source_type, status=r.status, rows=rows
        )
    event(
        _LOG,
        "load_done",
        warehouse=target,
        files=len(results),
        seconds=f"{time.perf_counter() - started:.1f}",
    )
    return results


def _ingest(
    paths: Iterable[str | Path],
    target: Path,
    strict: bool,
    progress: Progress | None,
    force: bool,
    after_curate: AfterCurate | None = None,
) -> list[FileResult]:
    files = expand_paths(paths)
    if not files:
        raise IngestError("no input files were given")
    hashes = {}
    results: list[FileResult] = []
    for path in files:
        if not path.is_file():
            results.append(_unknown_file(path))
            continue
        if (big := _too_big(path) or _zip_rejected(path)) is not None:  # refused before it is parsed
            results.append(big)
            continue
        hashes[path] = sha256_of(path)
    kinds = {path: detect_type(path) for path in hashes}
    # An unrecognised file rejects the batch: say so before parsing anything (a national load
    # parses for many minutes), not after.
    results += [_unknown_file(path) for path, kind in kinds.items() if kind is None]
    _reject_if_any(results)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IngestError(f"cannot create the warehouse folder {target.parent}: {exc}") from exc
    if not os.access(target.parent, os.W_OK):
        raise IngestError(f"the warehouse folder {target.parent} is not writable; nothing was loaded")
    # Everything from "already loaded?" to the swap runs under the one writer lock, so two
    # concurrent runs cannot both decide a file is new, or both build on the same old copy.
    with writer_lock(target):
        return _ingest_locked(target, files, hashes, kinds, results, strict, force, progress, after_curate)


def _ingest_locked(
    target: Path,
    files: list[Path],
    hashes: dict[Path, str],
    kinds: dict[Path, str | None],
    results: list[FileResult],
    strict: bool,
    force: bool,
    progress: Progress | None,
    after_curate: AfterCurate | None = None,
) -> list[FileResult]:
    state = read_state(target)
    already = state.hashes
    # The first occurrence of new bytes is loaded; repeats (the same path given twice, or a
    # copy under another name) and bytes loaded before are "unchanged".
    todo: list[Path] = []
    seen_in_batch: set[str] = set()
    for path in files:
        if hashes[path] in already or hashes[path] in seen_in_batch:
            results.append(FileResult(path, kinds[path], status="unchanged"))
        else:
            todo.append(path)
        seen_in_batch.add(hashes[path])
    if not todo:
        return results  # nothing new: the warehouse file is not touched at all
    key = ingest_key(state)  # refuses a key that differs from the warehouse's, or a missing one
    pseudo = Pseudonymiser(key)

    census = [path for path in todo if kinds[path] == "cin_census"]
    workers = ingest_workers(census)
    with rebuild(target, locked=True) as con:
        con.execute(sql_file("schema.sql"))
        record_fingerprint(con, key)
        parser = None
        if workers > 1:
            if progress:
                progress(f"parsing {len(census)} census files in {workers} processes ...")
            parser = SpooledParser(census, key, spool_path(target), workers, _read_file)
        try:
            for path in todo:
                kind = kinds[path]
                results.append(
                    _load_one(con, path, kind, hashes[path], pseudo, strict, progress, parser, force)
                )
        finally:
            if parser is not None:
                parser.close()
                shutil.rmtree(spool_path(target), ignore_errors=True)
        _reject_if_any(results)
        if progress:
            progress("rebuilding curated tables ...")
        rebuild_curated(con)
        if after_curate is not None:
            if progress:
                progress("building the indicator mart ...")
            added = [r for r in results if r.path in todo and r.status in ("loaded", "superseded")]
            after_curate(con, [(r.source_type, r.la_code) for r in added])
    return results


def _reject_if_any(results: list[FileResult]) -> None:
    rejected = [r for r in results if r.status == "rejected"]
    if rejected:
        issues = [
            i
            for r in rejected
            for i in r.issues
            if i.severity is Severity.STRUCTURAL or r.status == "rejected"
        ]
        names = ", ".join(r.path.name for r in rejected)
        raise IngestError(
            f"{len(rejected)} file(s) rejected ({names}); nothing was loaded and the warehouse is unchanged",
            issues,
        )


def _load_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    sha: str,
    pseudo: Pseudonymiser,
    strict: bool,
    progress: Progress | None,
    parser: SpooledParser | None = None,
    force: bool = False,
) -> FileResult:
    load_id = con.execute("select nextval('load_id_seq')").fetchone()[0]

    def stage(table: str, batch: pa.Table, la_code: str | None) -> None:
        # `batch` is an Arrow table that DuckDB reads by its Python variable name.
        if la_code is None:
            con.execute(f"insert into staging.{table} by name select ? as load_id, * from batch", [load_id])
        else:
            con.execute(
                f"insert into staging.{table} by name select ? as load_id, ? as la_code, * from batch",
                [load_id, la_code],
            )

    if parser is not None and path in parser:
        result = parser.replay(path, stage)  # parsed ahead in a worker process
        if progress:
            progress(f"  {path.name}: {result.children:,} children ({result.seconds:.1f}s in a worker)")
    else:
        result = _read_file(path, kind, pseudo, stage, progress)
    if result.structural or (strict and result.rules):
        result.status = "rejected"
        if strict:
            result.issues = [
                Issue(
                    i.file,
                    i.line,
                    i.record,
                    i.field,
                    i.value,
                    i.rule_id,
                    Severity.STRUCTURAL,
                    i.message + " (--strict)",
                    i.record_label,
                )
                if i.severity is not Severity.STRUCTURAL
                else i
                for i in result.issues
            ]
        return result
    _record_load(con, load_id, path, kind, sha, result, pseudo)
    result.status = _supersede(con, load_id, result, force)
    return result


def _record_load(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    path: Path,
    kind: str,
    sha: str,
    result: FileResult,
    pseudo: Pseudonymiser,
) -> None:
    h = result.header
    if kind == "cdop":  # extract date and first notification month; issues keyed by death
        record_cdop_load(con, load_id, path, sha, result.rows, result.rules, result.meta, pseudo)
        return
    if kind == "partner_return":  # agency, quarter and submission date (pipelines/partner_load.py)
        record_partner_load(con, load_id, path, sha, result.rows, result.rules, result.meta)
        return
    if kind in ASSURANCE_KINDS:  # s.11, case-file audit or action plan (pipelines/assurance_load.py)
        record_assurance_load(con, load_id, path, sha, result.rows, result.meta)
        return
    if result.meta:  # Annex A: the extract date stands as the reference date
        as_at = result.meta["as_at"]
        con.execute(
            "insert into loads (load_id, file_name, file_sha256, file_bytes, source_type, la_code, "
            "reference_date, period_start, loaded_at, status, rows_loaded, rule_issues) values "
            "(?, ?, ?, ?, ?, ?, ?, (?::date - interval 6 month + interval 1 day)::date, ?, 'loaded', ?, ?)",
            [
                load_id,
                path.name,
                sha,
                path.stat().st_size,
                kind,
                result.meta["la_code"],
                as_at,
                as_at,
                datetime.now(UTC).replace(tzinfo=None),
                dict(result.rows),
                len(result.rules),
            ],
        )
        return
    con.execute(
        "insert into loads (load_id, file_name, file_sha256, file_bytes, source_type, spec_year, "
        "collection_year, la_code, reference_date, period_start, generated_at, loaded_at, status, "
        "rows_loaded, rule_issues) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?)",
        [
            load_id,
            path.name,
            sha,
            path.stat().st_size,
            kind,
            h.spec_year if h else None,
            h.collection_year if h else None,
            h.la_code if h else None,
            h.reference_date if h else None,
            h.period_start if h else None,
            h.generated_at if h else None,
            datetime.now(UTC).replace(tzinfo=None),
            {k: v for k, v in result.rows.items()},
            len(result.rules),
        ],
    )
    if not result.rules:
        return
    la = h.la_code if h else None
    rows = [
        (
            load_id,
            i.file,
            i.line,
            pseudo.child_key(la, i.record) if (la and i.record) else None,
            i.field,
            None if i.field in SENSITIVE_FIELDS else i.value,
            i.rule_id,
            str(i.severity),
            i.message,
        )
        for i in result.rules
    ]
    con.executemany("insert into validation_issues values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _supersede(con: duckdb.DuckDBPyConnection, load_id: int, result: FileResult, force: bool = False) -> str:
    """A newer file for the same LA and period replaces the older one: census returns by LA and
    collection year (newest generation time, then load order), Annex A by LA and extract date
    (load order). The loser stays in `loads` as superseded; its staged rows go."""
    if result.source_type == "cdop":  # CDOP extracts update death by death (cdop_deaths.sql)
        return "loaded"
    if result.source_type == "partner_return":  # by agency and quarter, history kept
        return supersede_partner(con, load_id, result.meta)
    if result.source_type in ASSURANCE_KINDS:  # the latest load wins row by row in the curated SQL
        return "loaded"
    h = result.header
    if h is not None:
        rivals = con.execute(
            "select load_id, generated_at from loads where source_type = 'cin_census' "
            "and status = 'loaded' and la_code = ? and spec_year = ? and load_id <> ?",
            [h.la_code, h.spec_year, load_id],
        ).fetchall()
        generated, tables = h.generated_at, STAGED_CENSUS_TABLES
    elif result.meta:
        rivals = con.execute(
            "select load_id, null from loads where source_type = 'annex_a' and status = 'loaded' "
            "and la_code = ? and reference_date = ? and load_id <> ?",
            [result.meta["la_code"], result.meta["as_at"], load_id],
        ).fetchall()
        generated, tables = None, ("annex_a_plans",)
    else:
        return "loaded"
    status = "loaded"
    for rival_id, rival_generated in rivals:
        incoming_is_older = (
            generated is not None and rival_generated is not None and generated < rival_generated
        )
        loser, winner = (load_id, rival_id) if incoming_is_older else (rival_id, load_id)
        if loser == load_id:
            status = "superseded"
        elif h is not None and not force and (drop := implausible_drop(con, rival_id, result)):
            result.issues.append(drop)
            return "rejected"
        con.execute(
            "update loads set status = 'superseded', superseded_by = ? where load_id = ?", [winner, loser]
        )
        for table in tables:
            con.execute(f"delete from staging.{table} where load_id = ?", [loser])
        # Its rule failures no longer describe data in use (the loads row keeps the count).
        con.execute("delete from validation_issues where load_id = ?", [loser])
    return status
