"""Where the benchmarks write their outputs, and the demo warehouse several sections time."""

from __future__ import annotations

from pathlib import Path

from bench.national import safeguarding_cli

OUT = Path(__file__).resolve().parent / "out"


def la_codes(warehouse: Path) -> list[str]:
    """The LAs with child-protection plans in a warehouse, in code order."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [c for (c,) in con.execute("select distinct la_code from cp_plans order by 1").fetchall()]
    finally:
        con.close()


def demo_warehouse() -> Path:
    target = OUT / "demo.duckdb"
    if not target.exists():
        safeguarding_cli("demo", "--warehouse", target, "--out", OUT / "demo-raw", key_file=OUT / "bench.key")
    return target
