"""Two versions of the DfE raw collector and rule engine timed side by side on one file, in one process.

    .venv/bin/python -m bench.dfe_side_by_side FILE.xml [REVISION] [ROUNDS]

REVISION (default 0150c80, the narrow-row collector that walked each <Child> again and the engine
that pivoted its rows) is read with `git show REVISION:pipelines/dfe/collect.py` and `.../engine.py`;
its engine runs that revision's rule files and prelude (`git archive`), so a change to the rule SQL
is measured too. Each round parses once without a collector, then with each version's collector, and
runs the year's rules with that version's engine; the cheapest of the rounds counts (CPU seconds).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
import time
import types
from pathlib import Path

from bench.dfe_rules_bench import _parse
from pipelines.dfe import collect, engine

ROOT = Path(__file__).resolve().parents[1]


def _module(
    revision: str, path: str, name: str, collector: types.ModuleType | None = None
) -> types.ModuleType:
    text = subprocess.run(
        ["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(name)
    lines = []
    for line in text.splitlines():
        # The old engine imports from the old collector (pivot_sql, raw_sql): the one read from git.
        if collector is not None and line.startswith(_FROM_COLLECT):
            names = line.removeprefix(_FROM_COLLECT).split(",")
            module.__dict__.update({n.strip(): getattr(collector, n.strip()) for n in names})
        else:
            lines.append(line)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile("\n".join(lines), f"{revision}:{path}", "exec"), module.__dict__)
    return module


_FROM_COLLECT = "from pipelines.dfe.collect import "


def _versions(revision: str, sql_dir: Path) -> dict[str, tuple[types.ModuleType, types.ModuleType]]:
    old_collect = _module(revision, "pipelines/dfe/collect.py", "old_collect")
    old_engine = _module(revision, "pipelines/dfe/engine.py", "old_engine", collector=old_collect)
    archive = subprocess.run(
        ["git", "archive", revision, "pipelines/dfe/rules", "pipelines/dfe/prelude.sql"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(sql_dir, filter="data")
    old_engine.RULES_DIR = sql_dir / "pipelines/dfe/rules"
    old_engine.PRELUDE = sql_dir / "pipelines/dfe/prelude.sql"
    return {"old": (old_collect, old_engine), "new": (collect, engine)}


def compare(path: Path, revision: str, rounds: int = 2) -> list[str]:
    with tempfile.TemporaryDirectory() as sql_dir:
        return _compare(path, _versions(revision, Path(sql_dir)), rounds)


def _compare(path: Path, versions: dict, rounds: int) -> list[str]:
    parses, runs, found = [], {name: [] for name in versions}, {}
    for _ in range(rounds):
        seconds, parsed = _parse(path)
        parses.append(seconds[0])
        for name, (col, eng) in versions.items():
            collector = col.RawCollector()
            with_collector, _ = _parse(path, collector)
            started = time.process_time()
            staged = collector.tables() if hasattr(collector, "tables") else collector.table()
            issues = eng.run_rules(
                staged, parsed.header.reference_date, parsed.header.collection_year, path.name
            )
            runs[name].append((with_collector[0], time.process_time() - started, len(issues)))
            found[name] = [
                (i.line, i.record, i.field, i.value, i.rule_id, i.severity, i.message) for i in issues
            ]
        print(f"round: parse {seconds[0]:.2f}", {n: [round(x, 2) for x in m[-1]] for n, m in runs.items()})
    parse = min(parses)
    lines = []
    for name, measured in runs.items():
        collect_s = min(m[0] for m in measured) - parse
        rules = min(m[1] for m in measured)
        lines.append(
            f"{name}: parse {parse:.2f}  collect {collect_s:.2f}  rules {rules:.2f}  "
            f"validation/parse {(collect_s + rules) / parse:.3f}  issues {measured[0][2]}"
        )
    same = all(issues == found["old"] for issues in found.values())
    lines.append(f"issue lists (file, line, child, field, value, code, severity, message) identical: {same}")
    return lines


if __name__ == "__main__":
    revision = sys.argv[2] if len(sys.argv) > 2 else "0150c80"
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    print("\n".join(compare(Path(sys.argv[1]), revision, rounds)))
