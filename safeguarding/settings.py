"""Where things live: the warehouse and the pseudonymisation key (shared by every layer)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_WAREHOUSE = Path("data/curated/warehouse.duckdb")
WAREHOUSE_ENV = "SAFEGUARDING_WAREHOUSE"


def resolve_warehouse(path: str | Path | None = None) -> Path:
    """--warehouse, else $SAFEGUARDING_WAREHOUSE, else data/curated/warehouse.duckdb."""
    if path:
        return Path(path)
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)
