"""Where the benchmarks write their outputs, and the demo warehouse several sections time."""

from __future__ import annotations

from pathlib import Path

from bench.national import safeguarding_cli

OUT = Path(__file__).resolve().parent / "out"


def demo_warehouse() -> Path:
    target = OUT / "demo.duckdb"
    if not target.exists():
        safeguarding_cli("demo", "--warehouse", target, "--out", OUT / "demo-raw", key_file=OUT / "bench.key")
    return target
