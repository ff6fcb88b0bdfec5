"""Run the benchmarks and write bench/results.json and bench/results.md (`make bench`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import dashboard_bench, indicator_bench, ingest_bench, stats_bench  # noqa: E402
from pipelines.demo_generator import generate_single_file  # noqa: E402

OUT = HERE / "out"


def demo_warehouse() -> Path:
    target = OUT / "demo.duckdb"
    if not target.exists():
        env = {**os.environ, "SAFEGUARDING_KEY_FILE": str(OUT / "bench.key")}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "safeguarding.cli",
                "demo",
                "--warehouse",
                str(target),
                "--out",
                str(OUT / "demo-raw"),
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
    return target


def main() -> None:
    OUT.mkdir(exist_ok=True)
    big = OUT / "cin_census_100k.xml"
    if not big.exists():
        generate_single_file(big, n_children=100_000)
    results = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count()},
        "ingest_100k": ingest_bench.run(big),
    }
    wh = demo_warehouse()
    results["indicators_demo_all"] = indicator_bench.build_all(wh)
    results["indicators_demo_api"] = indicator_bench.build_via_api(wh)
    results["spc_3000"] = stats_bench.run()
    results["dashboard_20la"] = dashboard_bench.run(OUT)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (HERE / "results.md").write_text(markdown(results))
    print(markdown(results))


def markdown(r: dict) -> str:
    ing = r["ingest_100k"]
    o, b = ing["ours"], ing["baseline"]
    a, api = r["indicators_demo_all"], r["indicators_demo_api"]
    return "\n".join(
        [
            f"# Benchmarks ({r['run_at']}, {r['machine']['cpus']} CPUs)",
            "",
            f"## CIN census parse: {ing['file']} ({ing['size_mb']} MB, {o['children']:,} children)",
            "",
            "| loader | seconds | MB/s | children/s | peak RSS MB |",
            "|---|---|---|---|---|",
            f"| ours (lxml iterparse, streaming, validated, pseudonymised) | {o['seconds']:.1f} | "
            f"{o['mb_per_s']:.1f} | {o['children_per_s']:,.0f} | {o['peak_rss_mb']:.0f} |",
            f"| baseline (ElementTree.parse + pandas, no validation) | {b['seconds']:.1f} | "
            f"{b['mb_per_s']:.1f} | {b['children_per_s']:,.0f} | {b['peak_rss_mb']:.0f} |",
            "",
            f"Speed ratio baseline/ours: {ing['speed_ratio']:.2f}x; peak RSS ratio baseline/ours: "
            f"{ing['rss_ratio']:.1f}x (same run).",
            "",
            "## Indicator build on the 10-year demo LA",
            "",
            f"- Every indicator ({a['indicators']}) x every period ({a['periods']}: years, quarters, "
            f"months, rolling 12 months) x every breakdown: {a['seconds']:.2f} s, {a['rows']:,} rows.",
            f"- The same through the analyst API (one call per indicator, frequency and breakdown, "
            f"as the dashboard asks): {api['seconds']:.2f} s, {api['rows']:,} rows.",
            "",
            "## SPC",
            "",
            f"```\n{json.dumps(r['spc_3000'], indent=2)}\n```",
            "",
            "## Dashboard callbacks, 20 LAs x 10 years (after the start-up warm-up)",
            "",
            "| page | calls | p50 ms | p95 ms |",
            "|---|---|---|---|",
            *[
                f"| {page} | {v['calls']} | {v['p50_ms']:.0f} | {v['p95_ms']:.0f} |"
                for page, v in r["dashboard_20la"].items()
                if isinstance(v, dict)
            ],
            f"\nWarm-up (every indicator x frequency x LA, and every scorecard): "
            f"{r['dashboard_20la']['warm_cache_s']:.1f} s, in a background thread at server start.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
