"""The audit log: append-only JSON lines, HMAC-chained, rotated and capped, safe across processes.

The chain's key is kept apart from the log.

Each line carries `seq`, `prev` (the previous line's `mac`) and its own `mac`, the HMAC-SHA256 of the
rest of the line under a key stored with the other secrets (not in the logs folder). The latest
`seq` and `mac` are kept in a head file beside the key, so deleting lines at the end is seen too,
and editing a line and recomputing the chain needs the key. When the live file passes `max_bytes` it
becomes `audit.jsonl.1` (older ones shift up); past `backups` files the oldest is dropped and its
last `mac` becomes the head's `base`, where verification starts. A lock file serialises writers
(threads and processes).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import logging
import os
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from dashboard.session_store import secret_bytes
from vocabulary.logs import event as log_event

_LOG = logging.getLogger("safeguarding.audit")

ZERO = "0" * 64


class AuditLog:
    def __init__(self, path: Path, key_file: Path, max_bytes: int = 5 * 2**20, backups: int = 5):
        if key_file.resolve().parent == path.resolve().parent:
            raise ValueError("the audit key must not be kept beside the audit log")
        self.path, self.key_file = path, key_file
        self.head_file = key_file.with_name(key_file.stem + ".head")
        self.max_bytes, self.backups = max_bytes, backups
        self._key: bytes | None = None

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = secret_bytes(self.key_file)
        return self._key

    def _mac(self, record: dict) -> str:
        body = json.dumps(record, sort_keys=True, default=str).encode()
        return hmac.new(self.key, body, hashlib.sha256).hexdigest()

    @contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def head(self) -> dict:
        if not self.head_file.exists():
            return {"seq": 0, "mac": ZERO, "base": ZERO, "base_seq": 0}
        return json.loads(self.head_file.read_text())

    def _write_head(self, head: dict) -> None:
        tmp = self.head_file.with_name(self.head_file.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(head, fh)
        os.replace(tmp, self.head_file)

    def files(self) -> list[Path]:
        """Oldest first: audit.jsonl.N … audit.jsonl.1, audit.jsonl."""
        older = [self.path.with_name(f"{self.path.name}.{i}") for i in range(self.backups, 0, -1)]
        return [p for p in older if p.exists()] + ([self.path] if self.path.exists() else [])

    def write(self, event: str, **fields: object) -> None:
        _ = self.key  # read or create the key before taking the lock
        with self._locked():
            head = self.head()
            record = {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "event": event,
                **fields,
                "seq": head["seq"] + 1,
                "prev": head["mac"],
            }
            record["mac"] = self._mac(record)
            line = (json.dumps(record, sort_keys=True, default=str) + "\n").encode()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                size = os.fstat(fd).st_size
            finally:
                os.close(fd)
            head.update(seq=record["seq"], mac=record["mac"])
            if size > self.max_bytes:
                self._rotate(head)
            self._write_head(head)
        # The same event as a log line (sign-ins, failures, sign-outs, downloads) for the LA's log tools.
        level = logging.WARNING if event in {"login_failed", "login_rate_limited"} else logging.INFO
        log_event(_LOG, event, level, **fields)

    def _rotate(self, head: dict) -> None:
        oldest = self.path.with_name(f"{self.path.name}.{self.backups}")
        if oldest.exists():
            last = json.loads(oldest.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1])
            head.update(base=last["mac"], base_seq=last["seq"])
            oldest.unlink()
        for i in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{i}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{i + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))

    def events(self) -> list[dict]:
        return [json.loads(line) for path in self.files() for line in path.read_bytes().splitlines() if line]

    def problems(self) -> list[str]:
        """What is wrong with the chain (empty when every line is present, in order and unedited)."""
        head = self.head()
        prev, seq, found = head["base"], head["base_seq"], []
        for record in self.events():
            mac = record.pop("mac", None)
            if record.get("prev") != prev or record.get("seq") != seq + 1:
                found.append(f"line {record.get('seq')}: does not follow line {seq} (removed or reordered)")
            if mac != self._mac(record):
                found.append(f"line {record.get('seq')}: edited (its HMAC does not match)")
            prev, seq = mac, record.get("seq", seq + 1)
        if (seq, prev) != (head["seq"], head["mac"]):
            found.append(f"the log ends at line {seq}, the head says {head['seq']}: lines removed at the end")
        return found

    def verify(self) -> bool:
        return not self.problems()
