"""How a load rewrites the warehouse atomically: build a private copy, then os.replace it."""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.issues import IngestError


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
    with open(lock_path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def spool_path(path: Path) -> Path:
    """The folder where worker processes spool parsed batches for a build of `path` (swept like
    any other leftover build file if the load is killed)."""
    return path.parent / f".{path.name}.{os.getpid()}.building.spool"


@contextmanager
def rebuild(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy of the warehouse; swap it in only on success.

    A crash, kill or exception at any point leaves the previous warehouse file untouched:
    the copy is written, checkpointed and fsynced before one atomic os.replace.
    """
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IngestError(f"cannot create the warehouse folder {directory}: {exc}") from exc
    if not os.access(directory, os.W_OK):
        raise IngestError(f"the warehouse folder {directory} is not writable; nothing was loaded")
    with writer_lock(path):
        # We hold the only writer lock, so any other build file is left over from a writer
        # that was killed: remove it rather than let copies of the warehouse pile up.
        for stale in directory.glob(f".{glob.escape(path.name)}.*.building*"):
            if stale.is_dir():  # a spool folder of parsed batches (pipelines/parallel.py)
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        tmp = directory / f".{path.name}.{os.getpid()}.building"
        tmp.unlink(missing_ok=True)
        con = None
        try:
            if path.exists():
                shutil.copyfile(path, tmp)
            con = duckdb.connect(str(tmp))
            yield con
            con.execute("CHECKPOINT")
            con.close()
            con = None
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            _fsync_dir(directory)
        # A full disk or quota shows up as OSError (copy), IOException (write) or
        # TransactionException (commit of the write-ahead log); memory can run out too.
        except (OSError, duckdb.IOException, duckdb.TransactionException, duckdb.OutOfMemoryException) as exc:
            raise IngestError(
                f"could not write the warehouse {path}: {exc}; the previous warehouse is unchanged"
            ) from exc
        finally:
            if con is not None:
                con.close()
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
