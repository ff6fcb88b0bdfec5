"""Parse CIN census files in worker processes, spooling their staged rows to Arrow IPC files.

Parsing is pure Python per element, so one process uses one core. A load of many returns (a
regional partnership, or every LA) parses files side by side in worker processes; each worker
streams its batches to Arrow IPC files in a spool folder beside the warehouse build, and the
loading process inserts them into staging in file order, so load ids, supersession and the
result are exactly those of a one-process load. Workers are spawned (not forked): the loading
process holds an open DuckDB connection, whose threads must not be copied into a child.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa

from pipelines.file_result import FileResult
from pipelines.pseudonymise import Pseudonymiser
from vocabulary import settings

# (path, source type, pseudonymiser, stage(table, batch, la_code), progress) -> the file's result
ReadFile = Callable[[Path, str, Pseudonymiser, Callable[[str, pa.Table, str | None], None], None], FileResult]

WORKERS_ENV = "SAFEGUARDING_INGEST_WORKERS"
# Below this many bytes of census XML, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 48 << 20


def ingest_workers(paths: list[Path]) -> int:
    """How many parsing processes to use for these census files (1 = parse in this process)."""
    configured = settings.get("limits.workers")
    if configured:
        return max(1, min(int(configured), len(paths)))
    if len(paths) < 2 or sum(p.stat().st_size for p in paths) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, len(paths)))


def _parse_to_spool(read_file: ReadFile, path: str, key: bytes, spool: str, index: int):
    """Worker: parse one census file with `read_file`; staged rows go to <spool>/<index>-<table>.arrow."""
    writers: dict[str, pa.ipc.RecordBatchStreamWriter] = {}
    files: dict[str, str] = {}

    def stage(table: str, batch: pa.Table, la_code: str | None) -> None:
        if table not in writers:
            files[table] = str(Path(spool) / f"{index}-{table}.arrow")
            writers[table] = pa.ipc.new_stream(files[table], batch.schema)
        writers[table].write_table(batch)

    try:
        result = read_file(Path(path), "cin_census", Pseudonymiser(key), stage, None)
    finally:
        for writer in writers.values():
            writer.close()
    return result, files


class SpooledParser:
    """Parses census files ahead in worker processes; `replay(path, stage)` hands back one file's
    result after feeding its spooled batches to `stage`, in the order they were written. `read_file`
    (pipelines/load.py's reader, passed in so this module does not import the loader) must be a
    module-level function: it is sent to the spawned workers by name."""

    def __init__(self, paths: list[Path], key: bytes, spool: Path, workers: int, read_file: ReadFile):
        spool.mkdir(parents=True, exist_ok=True)
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self._futures: dict[Path, Future] = {
            p: self._pool.submit(_parse_to_spool, read_file, str(p), key, str(spool), i)
            for i, p in enumerate(paths)
        }

    def __contains__(self, path: Path) -> bool:
        return path in self._futures

    def replay(self, path: Path, stage: Callable[[str, pa.Table, str | None], None]):
        result, files = self._futures.pop(path).result()
        la_code = result.header.la_code if result.header else None
        for table, file in files.items():
            for batch in _batches(file):
                stage(table, pa.Table.from_batches([batch]), la_code)
            os.unlink(file)
        return result

    def close(self) -> None:
        for future in self._futures.values():
            future.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _batches(file: str) -> Iterator[pa.RecordBatch]:
    with pa.OSFile(file, "rb") as source, pa.ipc.open_stream(source) as reader:
        yield from reader
