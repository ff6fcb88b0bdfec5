"""Run the benchmarks and write bench/results.json, bench/results.md and docs/performance.md (`make bench`).

Every section runs in a fresh Python process (its own caches and peak RSS), one after another,
and every speed is reported against a baseline measured in the same run. Generated inputs (the
national dataset, its warehouse, big single files) are cached in bench/out/ between runs; the
national warehouse's load time is the one measured when it was built.

    .venv/bin/python bench/run.py                 # everything
    .venv/bin/python bench/run.py --only ingest   # one section (prints its JSON)
    .venv/bin/python bench/run.py --only mart --merge   # one section, merged into results.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.national import safeguarding_cli  # noqa: E402
from bench.warehouses import OUT, la_codes  # noqa: E402

NATIONAL_YEAR_CHILDREN = 650_000  # children in need at any point in 2023-24, England: about 650k
PARALLEL_SAMPLE_LAS = 12  # files for the one-process vs parallel ingest comparison: 12 LAs x 10 years
REPORT_QUARTER = "2025-26-Q4"


def national() -> tuple[Path, dict]:
    from bench.national import national_warehouse

    return national_warehouse(OUT)


# -- sections (each runs in its own process) -------------------------------------------------------
def section_national() -> dict:
    return national()[1]


def section_ingest() -> dict:
    """One national-year file: our whole load and our parser against ElementTree + pandas."""
    from bench import ingest_bench
    from pipelines.demo.benchmark import generate_single_file

    big = OUT / f"cin_census_national_year_{NATIONAL_YEAR_CHILDREN}.xml"
    if not big.exists():
        generate_single_file(big, n_children=NATIONAL_YEAR_CHILDREN)
    return {
        "load": ingest_bench.run(big, ("ingest", "baseline_load")),
        "parse": ingest_bench.run(big, ("ours", "baseline")),
        # speed_ratio here: iterparse seconds / ours, i.e. our whole load's speed as a share of the
        # bare parser's (the goal: at least 0.4)
        "against_iterparse": ingest_bench.run(big, ("ingest", "iterparse")),
    }


def section_parallel_ingest() -> dict:
    """The profile-led fix: many returns parsed in one process (before) and in worker processes
    (after), side by side on the same files."""
    from bench.national import national_dataset

    manifest = national_dataset(OUT / "national")
    chosen = manifest["params"]["las"][:PARALLEL_SAMPLE_LAS]
    files = [OUT / "national" / f for f in manifest["files"] if f.split("_")[2] in chosen]
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    out = {"files": len(files), "size_mb": round(size_mb)}
    for label, workers in (("one_process", "1"), ("parallel", str(os.cpu_count()))):
        target = OUT / f"parallel-{label}.duckdb"
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        safeguarding_cli(
            "ingest",
            "--warehouse",
            target,
            *files,
            key_file=OUT / "bench.key",
            extra_env={"SAFEGUARDING_INGEST_WORKERS": workers},
        )
        seconds = time.perf_counter() - started
        out[label] = {
            "workers": int(workers),
            "seconds": round(seconds, 1),
            "mb_per_s": round(size_mb / seconds, 1),
        }
        target.unlink(missing_ok=True)
    out["speed_ratio"] = round(out["one_process"]["seconds"] / out["parallel"]["seconds"], 2)
    return out


def section_indicators() -> dict:
    """Every indicator x period x breakdown on the national warehouse; and the census indicators
    against the pandas baseline on the same sample of periods, checked equal."""
    from datetime import date

    from bench import indicator_bench, pandas_indicators
    from indicators.periods import periods_between

    warehouse, _ = national()
    full = indicator_bench.build_all(warehouse)
    # pandas takes ~2.5 s per indicator and period here, so all 279 periods would take about two
    # hours: both run on the same sample of every kind of period in 2025-26.
    year = date(2025, 4, 1), date(2026, 3, 31)
    periods = [
        *periods_between(*year, "year"),
        *periods_between(*year, "quarter"),
        *periods_between(*year, "month")[-2:],
        *periods_between(*year, "rolling12")[-2:],
    ]
    engine_frames, engine = pandas_indicators.run_engine(warehouse, periods)
    base_frames, base = pandas_indicators.run_baseline(warehouse, periods)
    return {
        "full_build": full,
        "comparison": {
            "periods": [p.label for p in periods],
            "indicators": list(pandas_indicators.BREAKDOWNS),
            "engine": engine,
            "pandas": base,
            "speed_ratio": round(base["seconds"] / engine["seconds"], 1),
            **pandas_indicators.compare(engine_frames, base_frames),
        },
    }


def section_spc() -> dict:
    from bench import stats_bench

    return stats_bench.run()


def section_dashboard() -> dict:
    from bench import dashboard_bench

    warehouse, _ = national()
    result = dashboard_bench.run(warehouse, la_codes(warehouse))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def section_web() -> dict:
    from bench import web_bench

    warehouse, _ = national()
    return web_bench.run(warehouse, OUT / "bench.key", la_codes(warehouse))


def section_report() -> dict:
    from bench import report_bench

    warehouse, _ = national()
    la = la_codes(warehouse)[0]
    return report_bench.run_once(warehouse, REPORT_QUARTER, la)


def section_mart() -> dict:
    from bench import mart_bench

    return mart_bench.run()


def section_mart_national() -> dict:
    from bench import mart_national

    return mart_national.run()


SECTIONS = {
    "national": section_national,
    "ingest": section_ingest,
    "parallel_ingest": section_parallel_ingest,
    "indicators": section_indicators,
    "spc": section_spc,
    "dashboard": section_dashboard,
    "web": section_web,
    "report": section_report,
    "mart": section_mart,
    "mart_national": section_mart_national,
}


def run_section(name: str) -> dict:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--only", name], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench section {name} failed:\n{out.stderr[-4000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{name}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return result


def write_outputs(results: dict) -> str:
    """bench/results.json, bench/results.md and the results part of docs/performance.md."""
    from bench.report_md import goals, markdown

    results["goals"] = goals(results)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = markdown(results)
    (HERE / "results.md").write_text(text)
    docs = ROOT / "docs" / "performance.md"
    intro = docs.read_text().split("<!-- results -->")[0] if docs.exists() else ""
    docs.write_text(intro + "<!-- results -->\n\n" + text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(SECTIONS))
    parser.add_argument(
        "--merge",
        action="store_true",
        help="with --only: put the section's result into bench/results.json (stamped with its own run "
        "time) and rewrite the reports, keeping the other sections from the last full run",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.only and args.merge:
        results = json.loads((HERE / "results.json").read_text())
        results[args.only] = {
            **run_section(args.only),
            "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(write_outputs(results))
        return
    if args.only:
        print(json.dumps(SECTIONS[args.only](), default=str))
        return
    started = time.perf_counter()
    results = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30),
        },
    }
    for name in SECTIONS:
        results[name] = run_section(name)
    results["bench_seconds"] = round(time.perf_counter() - started)
    print(write_outputs(results))


if __name__ == "__main__":
    main()
