"""Where things live: the warehouse and the pseudonymisation key (shared by every layer)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_WAREHOUSE = Path("data/curated/warehouse.duckdb")
WAREHOUSE_ENV = "SAFEGUARDING_WAREHOUSE"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The key's default home is fixed relative to the project, never the working directory: a run
# started from another folder must find the same key, not quietly make a new one there.
DEFAULT_KEY_FILE = PROJECT_ROOT / "data" / "secrets" / "pseudonymisation.key"
KEY_ENV = "SAFEGUARDING_KEY_FILE"


def resolve_warehouse(path: str | Path | None = None) -> Path:
    """--warehouse, else $SAFEGUARDING_WAREHOUSE, else data/curated/warehouse.duckdb."""
    if path:
        return Path(path)
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)


def resolve_key_file() -> Path:
    """$SAFEGUARDING_KEY_FILE, else data/secrets/pseudonymisation.key under the project folder."""
    configured = os.environ.get(KEY_ENV)
    return Path(configured) if configured else DEFAULT_KEY_FILE
