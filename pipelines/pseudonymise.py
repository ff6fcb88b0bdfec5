"""Keyed-hash (HMAC-SHA256) pseudonymisation of child identifiers, with a local secret key."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

DEFAULT_KEY_FILE = Path("data/secrets/pseudonymisation.key")
KEY_ENV = "SAFEGUARDING_KEY_FILE"


def key_path() -> Path:
    """Where the key lives: $SAFEGUARDING_KEY_FILE, else data/secrets/pseudonymisation.key."""
    return Path(os.environ.get(KEY_ENV, DEFAULT_KEY_FILE))


def load_or_create_key(path: Path | None = None) -> bytes:
    """Read the secret key, creating a new random one (mode 0600) on first run."""
    path = path or key_path()
    if path.exists():
        key = bytes.fromhex(path.read_text().strip())
        if len(key) < 32:
            raise ValueError(f"{path}: pseudonymisation key is shorter than 32 bytes")
        return key
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
        return self._digest(f"child\x1f{la_code}\x1f{la_child_id.strip()}")

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
