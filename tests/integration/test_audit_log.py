"""The audit log's keyed chain, rotation and cap (issue 26 item 7), on files in a temporary folder."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest

from dashboard.audit import AuditLog


def _chain(tmp_path, **kw) -> AuditLog:
    (tmp_path / "secrets").mkdir(exist_ok=True)
    return AuditLog(tmp_path / "logs" / "audit.jsonl", tmp_path / "secrets" / "audit.key", **kw)


def test_audit_log_is_append_only_and_tamper_evident(tmp_path):
    log = _chain(tmp_path)
    for i in range(5):
        log.write("login", user=f"u{i}")
    first = log.path.read_bytes()
    log.write("download", user="u0", file="x.csv")
    assert log.path.read_bytes().startswith(first)  # earlier lines are never rewritten
    assert log.verify() and stat.S_IMODE(log.key_file.stat().st_mode) == 0o600
    whole = log.path.read_text()
    lines = whole.splitlines()
    log.path.write_text("\n".join(lines[:2] + lines[3:]) + "\n")  # remove one line
    assert not log.verify()
    log.path.write_text("\n".join(lines[:-3]) + "\n")  # remove the last three (issue 26 item 7)
    assert any("removed at the end" in p for p in log.problems())
    # edit a line and recompute the chain as the unkeyed sha256 chain allowed: still caught
    records = [json.loads(line) for line in lines]
    records[1]["user"] = "someone else"
    prev = records[0]["mac"]
    for record in records[1:]:
        record["prev"] = prev
        body = {k: v for k, v in record.items() if k != "mac"}
        record["mac"] = prev = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    log.path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records))
    assert not log.verify()
    log.path.write_text(whole)
    assert log.verify()
    with pytest.raises(ValueError, match="beside"):
        AuditLog(tmp_path / "logs" / "audit.jsonl", tmp_path / "logs" / "audit.key")


def test_audit_log_is_rotated_and_capped(tmp_path):
    log = _chain(tmp_path, max_bytes=2000, backups=3)
    for i in range(200):
        log.write("download", user=f"u{i}", file="x" * 50)
    files = log.files()
    assert len(files) == 4 and all(p.stat().st_size <= 2000 + 400 for p in files)
    assert log.verify()  # the chain holds across the rotated files, from the dropped file's last line
    assert log.events()[-1]["user"] == "u199" and log.events()[0]["seq"] > 1
    files[0].unlink()  # losing a kept file is seen
    assert not log.verify()
