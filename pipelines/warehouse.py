"""How a load rewrites the warehouse atomically: build a private copy, then os.replace it."""

from __future__ import annotations

import fcntl
import glob
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb

from pipelines.issues import IngestError
from pipelines.warehouse_state import damaged_message, is_damage
from vocabulary import settings

_MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def load_memory_limit() -> str:
    """DuckDB's memory limit for a load: `limits.load_memory` (e.g. "4GB"), else half the machine's RAM,
    so a load beside a running dashboard and the parse workers spills to disk instead of running the
    machine out of memory (DuckDB's own default is 80%)."""
    raw = settings.get("limits.load_memory")
    if raw is None:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        return f"{total // 2 // 2**20}MiB"
    if not _MEMORY.fullmatch(raw.strip()):
        raise IngestError(
            f"limits.load_memory ({settings.SETTINGS['limits.load_memory'].env}) is {raw!r}: "
            "give a size such as 4GB or 512MB"
        )
    return raw.strip().replace(" ", "")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """One writer at a time per warehouse; readers are never blocked."""
    lock_path = path.with_name(path.name + ".lock")
    with os.fdopen(os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def spool_path(path: Path) -> Path:
    """The folder where worker processes spool parsed batches for a build of `path` (swept like
    any other leftover build file if the load is killed)."""
    return path.parent / f".{path.name}.{os.getpid()}.building.spool"


def sweep_leftovers(path: Path) -> int:
    """Remove build copies and spool folders left by killed loads, if no load is running now
    (the writer lock is free). Returns how many were removed."""
    lock_path = path.with_name(path.name + ".lock")
    if not path.parent.is_dir() or not lock_path.exists():
        return 0
    with open(lock_path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0  # a load is running: its build copy is not a leftover
        try:
            return _sweep(path)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _sweep(path: Path) -> int:
    removed = 0
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.building*"):
        if stale.is_dir():  # a spool folder of parsed batches (pipelines/parallel.py)
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        removed += 1
    return removed


@contextmanager
def rebuild(path: Path, *, locked: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy of the warehouse; swap it in only on success.

    A crash, kill or exception at any point leaves the previous warehouse file untouched:
    the copy is written, checkpointed and fsynced before one atomic os.replace. The copy (and so
    the warehouse) is readable by its owner only. `locked`: the caller already holds writer_lock.
    """
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IngestError(f"cannot create the warehouse folder {directory}: {exc}") from exc
    if not os.access(directory, os.W_OK):
        raise IngestError(f"the warehouse folder {directory} is not writable; nothing was loaded")
    with nullcontext() if locked else writer_lock(path):
        # We hold the only writer lock, so any other build file is left over from a writer
        # that was killed: remove it rather than let copies of the warehouse pile up.
        _sweep(path)
        tmp = directory / f".{path.name}.{os.getpid()}.building"
        tmp.unlink(missing_ok=True)
        con = None
        old_umask = os.umask(0o077)  # the copy and its write-ahead log: owner only
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            if path.exists():
                shutil.copyfile(path, tmp)
            else:
                tmp.unlink()  # DuckDB makes a new database file itself (under the umask above)
            con = duckdb.connect(str(tmp))
            con.execute(f"SET memory_limit = '{load_memory_limit()}'")  # checked: digits and a unit
            yield con
            con.execute("CHECKPOINT")
            con.close()
            con = None
            os.chmod(tmp, 0o600)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            _fsync_dir(directory)
        except duckdb.Error as exc:
            if is_damage(exc):
                raise IngestError(damaged_message(path, exc)) from None
            if not isinstance(exc, _WRITE_FAULTS):
                raise
            raise IngestError(_write_fault(path, exc)) from None
        # A full disk or quota shows up as OSError (copy), IOException (write),
        # TransactionException (commit of the write-ahead log) or FatalException (DuckDB gives up
        # on the database after a failed write); memory can run out too.
        except OSError as exc:
            raise IngestError(_write_fault(path, exc)) from None
        finally:
            os.umask(old_umask)
            if con is not None:
                try:
                    con.close()
                except duckdb.Error:
                    pass  # a database DuckDB has invalidated (full disk) cannot close cleanly
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)


_WRITE_FAULTS = (
    duckdb.IOException,
    duckdb.TransactionException,
    duckdb.OutOfMemoryException,
    duckdb.FatalException,
)


def _write_fault(path: Path, exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"could not write the warehouse {path} ({detail}); the previous warehouse is unchanged and "
        f"nothing was loaded. Check there is free disk space (and memory) for a full copy of the "
        f"warehouse in {path.parent}, then run the same command again"
    )
