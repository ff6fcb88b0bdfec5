"""Two versions of the DfE raw collector (and its pivot) timed side by side on one file, in one process.

    .venv/bin/python -m bench.dfe_side_by_side FILE.xml [REVISION]

REVISION (default ed210ca~1, the collector before its Arrow struct conversion) is read with
`git show REVISION:pipelines/dfe/collect.py`. Each round parses once without a collector, then with
each collector, and runs the year's rules; the cheapest of two rounds counts (CPU seconds).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.dfe_rules_bench import _parse
from pipelines.dfe import collect as current
from pipelines.dfe import engine

ROOT = Path(__file__).resolve().parents[1]


def _old_collector(revision: str):
    text = subprocess.run(
        ["git", "show", f"{revision}:pipelines/dfe/collect.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(text)
    spec = importlib.util.spec_from_file_location("old_collect", fh.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compare(path: Path, revision: str, rounds: int = 2) -> list[str]:
    versions = {"old": _old_collector(revision), "new": current}
    parses, runs = [], {name: [] for name in versions}
    for _ in range(rounds):
        seconds, parsed = _parse(path)
        parses.append(seconds[0])
        for name, module in versions.items():
            collector = module.RawCollector()
            with_collector, _ = _parse(path, collector)
            started = time.process_time()
            engine.pivot_sql = module.pivot_sql  # the engine pivots with the matching collector's SQL
            issues = engine.run_rules(
                collector.table(), parsed.header.reference_date, parsed.header.collection_year, path.name
            )
            runs[name].append((with_collector[0], time.process_time() - started, len(issues)))
    engine.pivot_sql = current.pivot_sql
    parse = min(parses)
    lines = []
    for name, measured in runs.items():
        collect = min(m[0] for m in measured) - parse
        rules = min(m[1] for m in measured)
        lines.append(
            f"{name}: parse {parse:.2f}  collect {collect:.2f}  rules {rules:.2f}  "
            f"validation/parse {(collect + rules) / parse:.3f}  issues {measured[0][2]}"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(compare(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "ed210ca~1")))
