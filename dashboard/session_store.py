"""Sign-in state shared by every server process, in one SQLite file beside the users file.

It holds sessions, login attempts and refusal counts.

The browser's cookie carries only an opaque session id; this file holds its sha256 (so a copy of
the file gives no usable cookie), the user, and when the session began and was last used. Every
request looks the id up here, so a logout, a removed user or a changed password ends the session
at once, in every process. Writes take SQLite's write lock (``BEGIN IMMEDIATE``), which is what
makes the login limiter count each attempt exactly once across processes and threads.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY, user TEXT NOT NULL, created REAL NOT NULL, last_seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_key ON attempts (key, at);
CREATE TABLE IF NOT EXISTS refusals (key TEXT PRIMARY KEY, logged_at REAL NOT NULL, pending INTEGER NOT NULL);
"""


def store_file(users_path: Path) -> Path:
    """The store lives beside the users file: `users remove` and the server find the same one."""
    return users_path.parent / "sessions.sqlite3"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    """Sessions, login attempts and refusal counts (see the module docstring)."""

    def __init__(self, path: Path, clock=time.time):
        self.path, self.clock = path, clock
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self):
        """One transaction holding the database's write lock from its start."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # Sessions ---------------------------------------------------------------------------------

    def create(self, user: str, idle: float, lifetime: float) -> str:
        """Start a session for `user`; returns the token for the cookie. Expired rows are swept."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._write() as db:
            db.execute(
                "DELETE FROM sessions WHERE last_seen < ? OR created < ?", (now - idle, now - lifetime)
            )
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (_digest(token), user, now, now))
        return token

    def check(self, token: str, idle: float, lifetime: float) -> tuple[str | None, str | None]:
        """(user, None) for a live session, which is marked as used now; else (None, why):
        "idle" past the idle timeout, "expired" past the absolute lifetime, "ended" if unknown
        (signed out, user removed or password changed). A dead session is deleted."""
        key, now = _digest(token), self.clock()
        with self._connect() as db:
            row = db.execute(
                "SELECT user, created, last_seen FROM sessions WHERE id_hash = ?", (key,)
            ).fetchone()
        if row is None:
            return None, "ended"
        user, created, last_seen = row
        reason = "expired" if now - created > lifetime else "idle" if now - last_seen > idle else None
        if reason:
            self.end(token)
            return None, reason
        if now - last_seen > min(5.0, idle / 10):  # one write per few seconds, not per callback
            with self._write() as db:
                db.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, key))
        return user, None

    def end(self, token: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM sessions WHERE id_hash = ?", (_digest(token),))

    def end_user(self, user: str) -> int:
        """End every session of `user` (removed, or password changed); returns how many."""
        with self._write() as db:
            return db.execute("DELETE FROM sessions WHERE user = ?", (user,)).rowcount

    def count(self, user: str) -> int:
        with self._connect() as db:
            return db.execute("SELECT count(*) FROM sessions WHERE user = ?", (user,)).fetchone()[0]

    # Login attempts ---------------------------------------------------------------------------

    def attempt(self, limits: list[tuple[str, int]], window: float) -> float:
        """Record one attempt under each key, unless a key already holds its limit of attempts in
        the last `window` seconds: then record nothing and return the seconds to wait (0 = go)."""
        now = self.clock()
        with self._write() as db:
            db.execute("DELETE FROM attempts WHERE at < ?", (now - window,))
            wait = 0.0
            for key, limit in limits:
                n, oldest = db.execute(
                    "SELECT count(*), min(at) FROM attempts WHERE key = ?", (key,)
                ).fetchone()
                if n >= limit:
                    wait = max(wait, window - (now - oldest))
            if wait:
                return max(wait, 1.0)
            db.executemany("INSERT INTO attempts VALUES (?, ?)", [(key, now) for key, _ in limits])
        return 0.0

    def forgive(self, clear: str, one_of: str) -> None:
        """After a successful sign-in: drop every attempt under `clear` and the latest under `one_of`."""
        with self._write() as db:
            db.execute("DELETE FROM attempts WHERE key = ?", (clear,))
            db.execute(
                "DELETE FROM attempts WHERE rowid = (SELECT max(rowid) FROM attempts WHERE key = ?)",
                (one_of,),
            )

    def clear_attempts(self) -> None:
        with self._write() as db:
            db.execute("DELETE FROM attempts")
            db.execute("DELETE FROM refusals")

    # Refusals, aggregated for the audit log ---------------------------------------------------

    def refused(self, key: str, every: float) -> int:
        """Count a refusal under `key`. Returns how many refusals (this one included) to report in
        one audit line now, or 0 when a line for `key` was written less than `every` s ago."""
        now = self.clock()
        with self._write() as db:
            row = db.execute("SELECT logged_at, pending FROM refusals WHERE key = ?", (key,)).fetchone()
            if row and now - row[0] < every:
                db.execute("UPDATE refusals SET pending = pending + 1 WHERE key = ?", (key,))
                return 0
            pending = row[1] if row else 0
            db.execute("INSERT OR REPLACE INTO refusals VALUES (?, ?, 0)", (key, now))
            return pending + 1


def secret_bytes(path: Path, size: int = 32) -> bytes:
    """The key in `path` (hex), created 0600 on first use. Several server processes may start at
    once: the key is written to a private temporary file and linked into place, so exactly one is
    kept and nobody reads a half-written file."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_bytes(size).hex())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won the race: use its key
        finally:
            tmp.unlink()
    return bytes.fromhex(path.read_text().strip())
