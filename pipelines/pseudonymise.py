"""Keyed-hash (HMAC-SHA256) pseudonymisation of child identifiers, with a local secret key."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from pathlib import Path

from vocabulary.settings import resolve_key_file

FINGERPRINT_MESSAGE = b"safeguarding pseudonymisation key fingerprint v1"


def key_path() -> Path:
    """Where the key lives: $SAFEGUARDING_KEY_FILE, else data/secrets/pseudonymisation.key in the
    project folder (not the working directory)."""
    return resolve_key_file()


def key_fingerprint(key: bytes) -> str:
    """An HMAC of a constant under the key: equal for equal keys, and says nothing about the key."""
    return hmac.new(key, FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()


def normalise_child_id(text: str) -> str:
    """LAchildID as compared and hashed: Unicode NFC, surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def load_or_create_key(path: Path | None = None, *, create: bool = True) -> bytes:
    """Read the secret key, creating a new random one (mode 0600) on first run if `create`."""
    path = path or key_path()
    if path.exists():
        try:
            key = bytes.fromhex(path.read_text().strip())
        except ValueError as exc:
            raise ValueError(f"{path}: the pseudonymisation key file is not hexadecimal text") from exc
        if len(key) < 32:
            raise ValueError(f"{path}: pseudonymisation key is shorter than 32 bytes")
        return key
    if not create:
        raise FileNotFoundError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex() + "\n")
    return key


class Pseudonymiser:
    """Turns (LA, identifier) pairs into stable, non-reversible keys."""

    def __init__(self, key: bytes):
        self._key = key

    def child_key(self, la_code: str, la_child_id: str) -> str:
        """LAchildID is unique only within an LA, so the LA is part of what is hashed."""
        return self._digest(f"child\x1f{la_code}\x1f{normalise_child_id(la_child_id)}")

    def death_key(self, death_id: str) -> str:
        """A CDOP death id (NCMD case number or panel reference) is a case id: hashed on its own,
        not with the LA, so a later extract that corrects the LA still updates the same death."""
        return self._digest(f"death\x1f{death_id.strip()}")

    def upn_key(self, upn: str) -> str:
        return self._digest(f"upn\x1f{upn.strip().upper()}")

    def _digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def derived_key(*parts: str) -> str:
    """A short stable key for rows derived from already-pseudonymised keys (plans, episodes)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
