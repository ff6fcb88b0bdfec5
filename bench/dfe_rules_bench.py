"""Benchmark: DfE rule validation time against parse time on one large census return.

Parse = our streaming reader alone (what a load does per child, minus the database). Validation
= the extra cost of collecting the raw fields the DfE rules read (parse with the collector, and
its conversion to Arrow tables, minus parse without it) plus running the year's rules in DuckDB.
Times are CPU seconds of this process (DuckDB's threads included), which a busy shared machine
disturbs far less than wall-clock time; wall-clock seconds are recorded too. Parses with and
without the collector alternate, ROUNDS of each, and the cheapest of each counts: the first parse
of a process is the slowest, and the same noise must not land on one side only.

    .venv/bin/python -m bench.dfe_rules_bench 200000   # writes the "dfe_validation" key
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUNDS = 3


def _parse(path: Path, collector=None) -> tuple[float, object]:
    from pipelines.cin_census import CensusReader
    from pipelines.pseudonymise import Pseudonymiser
    from pipelines.rows import RowSink

    sink = RowSink(flush=lambda table, batch: None)
    started, wall = time.process_time(), time.perf_counter()
    if hasattr(collector, "tables"):  # handed the fields the reader reads (pipelines/dfe/collect.py)
        reader = CensusReader(path, Pseudonymiser(b"k" * 32), sink, raw=collector)
    else:  # none, or a collector of an older revision that walks each <Child> element again
        reader = CensusReader(
            path, Pseudonymiser(b"k" * 32), sink, on_child=getattr(collector, "child", None)
        )
    result = reader.read()
    sink.flush()
    return (time.process_time() - started, time.perf_counter() - wall), result


def run(children: int, reference_year: int = 2025) -> dict:
    from pipelines.demo.benchmark import generate_single_file
    from pipelines.dfe.collect import RawCollector
    from pipelines.dfe.engine import rules_for, run_rules

    out = HERE / "out"
    out.mkdir(exist_ok=True)
    path = out / f"cin_census_dfe_{children}_{reference_year}_v2.xml"  # v2: valid UPN check letters
    if not path.exists():
        generate_single_file(path, n_children=children, reference_year=reference_year)
    plain, collected, rules_runs = [], [], []
    for _ in range(ROUNDS):
        seconds, parsed = _parse(path)
        plain.append(seconds)
        collector = RawCollector()
        started = time.process_time()
        _parse(path, collector)
        tables = collector.tables()
        collected.append(time.process_time() - started)  # the parse with the collector, and its tables
        year = parsed.header.collection_year
        started, wall = time.process_time(), time.perf_counter()
        issues = run_rules(tables, parsed.header.reference_date, year, path.name)
        rules_runs.append((time.process_time() - started, time.perf_counter() - wall))
    parse = min(cpu for cpu, _ in plain)
    collect = max(min(collected) - parse, 0.0)
    rules_seconds, rules_wall = min(rules_runs)
    validation = collect + rules_seconds
    return {
        "file": path.name,
        "size_mb": round(path.stat().st_size / 2**20, 1),
        "children": parsed.children,
        "collection_year": year,
        "rules": len(rules_for(year)),
        "issues_found": len(issues),
        "parse_cpu_seconds": round(parse, 2),
        "parse_cpu_seconds_runs": [round(cpu, 2) for cpu, _ in plain],
        "parse_wall_seconds_runs": [round(wall, 2) for _, wall in plain],
        "parse_with_collector_and_tables_cpu_seconds_runs": [round(x, 2) for x in collected],
        "rules_cpu_seconds_runs": [round(cpu, 2) for cpu, _ in rules_runs],
        "collect_cpu_seconds": round(collect, 2),
        "rules_cpu_seconds": round(rules_seconds, 2),
        "rules_wall_seconds": round(rules_wall, 2),
        "validation_cpu_seconds": round(validation, 2),
        "validation_to_parse_ratio": round(validation / parse, 3),
        "rules_only_to_parse_ratio": round(rules_seconds / parse, 3),
        "command": f".venv/bin/python -m bench.dfe_rules_bench {children}",
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    result = run(n)
    results_file = HERE / "results.json"
    results = json.loads(results_file.read_text())
    # The side-by-side runs (bench.dfe_side_by_side, recorded by hand) stay with the new figures.
    if "side_by_side" in results.get("dfe_validation", {}):
        result["side_by_side"] = results["dfe_validation"]["side_by_side"]
    results["dfe_validation"] = result
    results_file.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(json.dumps(result, indent=1))
