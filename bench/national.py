"""The national-scale benchmark dataset: 152 English LAs x 10 census years of CIN XML, cached."""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipelines.demo.areas import ONS_POPULATION_CSV
from pipelines.demo.benchmark import generate_las

ROOT = Path(__file__).resolve().parent.parent

FIRST_YEAR, LAST_YEAR = 2017, 2026
SEED = 11
# The Isles of Scilly (420) has about 400 children and its CSC is run with Cornwall: leaving it
# out gives the 152 LAs of the DfE's 2017-2022 tables.
EXCLUDED = {"420"}
MANIFEST = "manifest.json"


def national_populations(year: int = 2024) -> dict[str, float]:
    """ONS mid-year 0-17 population of every English LA in `year` (2024: today's 153 LAs, codes
    as the census uses them; earlier years hold "x" for LAs that did not exist yet)."""
    out: dict[str, float] = {}
    with ONS_POPULATION_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["geographic_level"] == "Local authority" and row["time_period"] == str(year):
                if row["old_la_code"] not in EXCLUDED:
                    out[row["old_la_code"]] = float(row["population_estimate"])
    return out


def _generate_chunk(out_dir: str, codes: list[str], populations: dict[str, float]) -> list[str]:
    paths = generate_las(
        Path(out_dir),
        la_codes=codes,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        seed=SEED,
        populations=populations,
    )
    return [str(p) for p in paths]


def national_dataset(out_dir: Path, workers: int = 2, la_limit: int | None = None) -> dict:
    """Generate (or reuse) the national files; returns the manifest (files, sizes, timing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    populations = national_populations()
    codes = sorted(populations)[:la_limit] if la_limit else sorted(populations)
    params = {"seed": SEED, "first_year": FIRST_YEAR, "last_year": LAST_YEAR, "las": codes}
    manifest_path = out_dir.with_name(out_dir.name + "-" + MANIFEST)  # beside, not in, the data folder
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest["params"] == params and all((out_dir / f).exists() for f in manifest["files"]):
            return manifest
    started = time.perf_counter()
    # Big LAs first, dealt round-robin, so both workers finish at about the same time.
    by_size = sorted(codes, key=lambda c: -populations[c])
    chunks = [by_size[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        done = pool.map(_generate_chunk, [str(out_dir)] * workers, chunks, [populations] * workers)
        files = sorted(Path(p).name for chunk in done for p in chunk)
    manifest = {
        "params": params,
        "files": files,
        "bytes": sum((out_dir / f).stat().st_size for f in files),
        "children_0_17": round(sum(populations[c] for c in codes)),
        "generate_seconds": round(time.perf_counter() - started, 1),
    }
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def safeguarding_cli(*args, key_file: Path, extra_env: dict | None = None, log=None) -> None:
    """Run `safeguarding ARGS...` as a user would, with the bench's own pseudonymisation key;
    output goes to `log` (an open file) or nowhere; a failure raises."""
    env = {**os.environ, "SAFEGUARDING_KEY_FILE": str(key_file), **(extra_env or {})}
    sink = log if log is not None else subprocess.DEVNULL
    subprocess.run(
        [sys.executable, "-m", "safeguarding.cli", *map(str, args)],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=sink,
        stderr=sink,
    )


def national_warehouse(out: Path) -> tuple[Path, dict]:
    """Load the national files (and ONS populations, for rates) into bench/out/national.duckdb
    with `safeguarding ingest`, once; returns the warehouse and how the load went (the record
    of the run that built it, when it is reused)."""
    manifest = national_dataset(out / "national")
    target = out / "national.duckdb"
    record = out / "national-load.json"
    if target.exists() and record.exists():
        loaded = json.loads(record.read_text())
        if loaded["params"] == manifest["params"]:
            return target, loaded | {"reused_from_earlier_run": True}
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    with open(out / "national-load.log", "w") as log:
        safeguarding_cli(
            "ingest",
            "--warehouse",
            target,
            out / "national",
            ONS_POPULATION_CSV,
            key_file=out / "bench.key",
            log=log,
        )
    seconds = time.perf_counter() - started
    import duckdb

    con = duckdb.connect(str(target), read_only=True)
    try:
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("children", "cin_episodes", "cp_plans", "cp_reviews", "section47", "assessments")
        }
    finally:
        con.close()
    loaded = {
        "params": manifest["params"],
        "files": len(manifest["files"]),
        "gb": round(manifest["bytes"] / 1e9, 2),
        "generate_seconds": manifest["generate_seconds"],
        "load_seconds": round(seconds, 1),
        "mb_per_s": round(manifest["bytes"] / 1e6 / seconds, 1),
        "peak_rss_mb_largest_process": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "warehouse_gb": round(target.stat().st_size / 1e9, 2),
        "rows": counts,
    }
    record.write_text(json.dumps(loaded, indent=1) + "\n")
    return target, loaded


if __name__ == "__main__":
    print(json.dumps(national_warehouse(Path(__file__).parent / "out")[1], indent=1))
