"""The goals of issue [J] checked against bench results, and the markdown table of a run."""

from __future__ import annotations


def goals(r: dict) -> list[dict]:
    """Each goal: what, the measured value, the limit, met or not."""
    load = r["ingest"]["load"]["ours"]
    full = r["indicators"]["full_build"]
    cmp_ = r["indicators"]["comparison"]
    dash = r["dashboard"]
    web = r["web"]
    worst_render = max(v["worst_s"] for v in web["first_render"].values())
    rows = [
        ("National-year ingest peak RSS (MB)", load["peak_rss_mb"], 1536, "<"),
        ("Full indicator build (s)", full["seconds"], 30, "<"),
        ("Indicator build vs pandas baseline (x faster)", cmp_["speed_ratio"], 10, ">="),
        ("Indicator page callback p95 (ms)", dash["indicator"]["p95_ms"], 100, "<"),
        ("Scorecard callback p95 (ms)", dash["scorecard"]["p95_ms"], 100, "<"),
        ("First render, worst page (s)", worst_render, 2, "<"),
        ("25 users p95 (ms)", web["load"]["p95_ms"], 300, "<"),
        ("25 users errors", web["load"]["errors"], 0, "=="),
    ]
    if "against_iterparse" in r["ingest"]:
        rows.append(
            (
                "Whole load as a share of a bare lxml iterparse pass",
                r["ingest"]["against_iterparse"]["speed_ratio"],
                0.4,
                ">=",
            )
        )
    if "mart" in r:  # the indicator mart, on the demo partnership (bench/mart_bench.py)
        builds, cold = r["mart"]["builds"], r["mart"]["cold_start"]
        rows += [
            (
                "Mart: incremental rebuild, one LA-year outside the partnership (s)",
                builds["incremental_other_la_year_s"],
                2,
                "<",
            ),
            ("Mart: first indicator view from a cold process (s)", cold["mart"]["first_view_s"], 1, "<"),
        ]
        if "server_side" in r["mart"]:
            p95 = r["mart"]["server_side"]["mart"]["indicator_p95_ms"]
            rows.append(("Mart: indicator page callback p95, reading the mart (ms)", p95, 100, "<"))
    rows += _national_goals(r)
    ops = {"<": float.__lt__, ">=": float.__ge__, "==": float.__eq__}
    return [
        {
            "goal": name,
            "measured": round(float(v), 2),
            "limit": f"{op} {limit}",
            "met": ops[op](float(v), float(limit)),
        }
        for name, v, limit, op in rows
    ]


def _national_goals(r: dict) -> list[tuple]:
    """Issue N's goals at national scale: the whole load against the ElementTree + pandas baseline,
    the 1,520-file load, and the mart on the national warehouse (bench/mart_national.py)."""
    rows: list[tuple] = [
        (
            "Whole load vs ElementTree + pandas baseline (x as fast)",
            r["ingest"]["load"]["speed_ratio"],
            1.5,
            ">=",
        ),
        ("National 1,520-file load with 2 workers (s)", r["national"]["load_seconds"], 600, "<"),
    ]
    if "mart_national" in r:
        m = r["mart_national"]
        rows += [
            ("National: full mart build (s)", m["full_build"]["seconds"], 20, "<"),
            ("National: mart refresh for one new LA-year (s)", m["new_la_year"]["mart_refresh_s"], 2, "<"),
            (
                "National: first indicator view from a cold process (s)",
                m["cold_start"]["first_view_s"],
                1,
                "<",
            ),
            (
                "National: indicator callback p95 reading the mart (ms)",
                m["server_side"]["indicator_p95_ms"],
                100,
                "<",
            ),
            ("National: dashboard process peak RSS (MB)", m["server_side"]["peak_rss_mb"], 1024, "<"),
        ]
    return rows


def _row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown(r: dict) -> str:
    nat, ing, par = r["national"], r["ingest"], r["parallel_ingest"]
    ind, dash, web, rep = r["indicators"], r["dashboard"], r["web"], r["report"]
    load, parse = ing["load"], ing["parse"]
    full, cmp_ = ind["full_build"], ind["comparison"]
    lines = [
        f"# Benchmarks: run of {r['run_at']} ({r['machine']['cpus']} CPUs, {r['machine']['memory_gb']} GB)",
        "",
        f"`make bench` took {r['bench_seconds'] / 60:.0f} min. Ratios compare runs made side by side in this one run.",
        "",
        "## Goals",
        "",
        _row("goal", "measured", "limit", "met"),
        _row("---", "---", "---", "---"),
        *[_row(g["goal"], g["measured"], g["limit"], "yes" if g["met"] else "**no**") for g in r["goals"]],
        "",
        "## National dataset (152 LAs x 10 census years)",
        "",
        f"{nat['files']:,} CIN census files, {nat['gb']} GB of XML, generated in {nat['generate_seconds']:.0f} s; "
        f"loaded by `safeguarding ingest` in {nat['load_seconds']:.0f} s ({nat['mb_per_s']} MB/s, "
        f"largest process {nat['peak_rss_mb_largest_process']:,} MB) into a {nat['warehouse_gb']} GB warehouse"
        + (
            " (load measured when the warehouse was built, in an earlier run)."
            if nat.get("reused_from_earlier_run")
            else "."
        ),
        "",
        _row("table", "rows"),
        _row("---", "---"),
        *[_row(t, f"{n:,}") for t, n in nat["rows"].items()],
        "",
        f"## Ingest: one national-year file ({load['file']}, {load['size_mb']:,} MB, {load['ours']['children']:,} children)",
        "",
        _row("loader", "seconds", "MB/s", "children/s", "peak RSS MB"),
        _row("---", "---", "---", "---", "---"),
        *[
            _row(
                name,
                f"{m['seconds']:.1f}",
                f"{m['mb_per_s']:.1f}",
                f"{m['children_per_s']:,.0f}",
                f"{m['peak_rss_mb']:,.0f}",
            )
            for name, m in (
                (
                    "ours: `safeguarding ingest` (parse, validate, pseudonymise, stage, curate, swap)",
                    load["ours"],
                ),
                ("baseline: ElementTree.parse + pandas, saved to DuckDB (no validation)", load["baseline"]),
                ("ours, parse only (lxml iterparse, validated, pseudonymised)", parse["ours"]),
                ("baseline, parse only (ElementTree.parse + pandas)", parse["baseline"]),
            )
        ],
        "",
        f"Whole load: baseline/ours time {load['speed_ratio']:.2f}x, peak RSS baseline/ours {load['rss_ratio']:.1f}x. "
        f"Parse only: time {parse['speed_ratio']:.2f}x, RSS {parse['rss_ratio']:.1f}x.",
        "",
        *_iterparse_lines(ing),
        f"Many returns at once ({par['files']} files, {par['size_mb']:,} MB): one process {par['one_process']['seconds']} s "
        f"({par['one_process']['mb_per_s']} MB/s), {par['parallel']['workers']} worker processes {par['parallel']['seconds']} s "
        f"({par['parallel']['mb_per_s']} MB/s): **{par['speed_ratio']}x**.",
        "",
        "## Indicator build on the national warehouse",
        "",
        f"- Every indicator ({full['indicators']}) x every period ({full['periods']}: years, quarters, months, rolling 12 "
        f"months) x every breakdown: **{full['seconds']:.1f} s**, {full['rows']:,} rows.",
        f"- Against the pandas baseline ({len(cmp_['indicators'])} census indicators x {len(cmp_['periods'])} periods "
        f"({', '.join(cmp_['periods'])}) x every breakdown): engine {cmp_['engine']['seconds']:.1f} s, "
        f"pandas {cmp_['pandas']['seconds']:.1f} s (of which reading the tables {cmp_['pandas']['load_seconds']:.1f} s): "
        f"**{cmp_['speed_ratio']}x**; {cmp_['cells_compared']:,} numerators/denominators compared, "
        f"{cmp_['mismatches']} differ.",
        "",
        "## Dashboard callbacks (server side, 152-LA warehouse, after the start-up warm-up)",
        "",
        _row("page", "calls", "p50 ms", "p95 ms", "slowest ms"),
        _row("---", "---", "---", "---", "---"),
        *[
            _row(page, v["calls"], f"{v['p50_ms']:.0f}", f"{v['p95_ms']:.0f}", f"{v['first_call_ms']:.0f}")
            for page, v in dash.items()
            if isinstance(v, dict)
        ],
        "",
        f"Start-up warm-up (every indicator x frequency for every LA, every scorecard): {dash['warm_cache_s']:.0f} s "
        f"in a background thread; process peak RSS {dash['peak_rss_mb']:,} MB.",
        "",
        "## In the browser and under load (`safeguarding serve --demo`, 152-LA warehouse)",
        "",
        f"Server answers /health {web['server_ready_s']} s after start; its warm-up finishes "
        f"{web['seconds_until_warm']} s later.",
        "",
        _row("page", "first render s (first / best / worst of 3)", "during warm-up s"),
        _row("---", "---", "---"),
        *[
            _row(
                p,
                f"{v['first_s']} / {v['best_s']} / {v['worst_s']}",
                web["first_render_at_start_up"].get(p, {}).get("first_s", ""),
            )
            for p, v in web["first_render"].items()
        ],
        "",
        f"25 simulated users for {web['load']['seconds']} s (each: the page, then 3 recorded Dash callbacks for a random "
        f"LA and frequency, ~1 s think time): {web['load']['requests']:,} requests ({web['load']['requests_per_s']}/s), "
        f"p50 {web['load']['p50_ms']} ms, **p95 {web['load']['p95_ms']} ms**, max {web['load']['max_ms']} ms, "
        f"{web['load']['errors']} errors.",
        "",
        f"## Exception report ({rep['la']}, {rep['quarter']}, {rep['role']}, national warehouse)",
        "",
        f"First run {rep['first']['seconds']} s ({rep['first']['exceptions']} exceptions, {rep['first']['charts']} charts), "
        f"second {rep['second']['seconds']} s.",
        "",
        "## SPC",
        "",
        f"{r['spc']['series']:,} series x {r['spc']['points']} points in {r['spc']['seconds']:.3f} s; pandas baseline "
        f"{r['spc']['speed_ratio']:.0f}x slower with the same flags ({r['spc']['same_flags_as_baseline']}).",
        "",
    ]
    if "mart" in r:
        lines += mart_lines(r["mart"])
    if "mart_national" in r:
        lines += mart_national_lines(r["mart_national"])
    return "\n".join(lines)


def mart_national_lines(m: dict) -> list[str]:
    """The indicator mart on the national warehouse (bench/mart_national.py)."""
    full, new, cold, server = m["full_build"], m["new_la_year"], m["cold_start"], m["server_side"]
    return [
        f"## Indicator mart at national scale ({m['warehouse']})",
        "",
        f"The warehouse ({m['warehouse_gb']} GB, {m['mart_rows']:,} mart rows) was loaded with its mart in "
        f"{m['load_seconds_with_mart']:.0f} s.",
        "",
        _row("what", "seconds", "rows"),
        _row("---", "---", "---"),
        _row(
            f"full mart build (`mart.build`, {full.get('where', 'on a copy')})",
            full["seconds"],
            f"{full['rows']:,}",
        ),
        _row(
            f"mart refresh when one new LA-year is loaded ({new['la']}'s second year, {new['file_mb']} MB; "
            f"{new['scopes_rebuilt_in_full']} indicator-scopes in full, {new['scopes_updated']} updated)",
            new["mart_refresh_s"],
            f"{new['rows_written']:,}",
        ),
        _row("... that whole load (copy, parse, curate, mart, swap)", new["whole_load_s"], ""),
        "",
        f"The LA's {new['rows_of_the_la']:,} mart rows against the unit-level computation for it on the whole "
        f"warehouse: {new.get('rows_differing_from_unit_level', new.get('rows_differing_from_full_build'))} differ.",
        "",
        f"Cold process: first indicator view {cold['first_view_s']} s, first page {cold['first_page_s']} s, "
        f"peak RSS {cold['peak_rss_mb']} MB.",
        "",
        f"Dashboard callbacks, server side (start {server['start_up_s']} s, then 200 random views per page, every LA): "
        f"indicator p50 {server['indicator_p50_ms']} ms, **p95 {server['indicator_p95_ms']} ms**; scorecard p95 "
        f"{server['scorecard_p95_ms']} ms; process peak RSS **{server['peak_rss_mb']:,} MB**.",
        "",
    ]


def _iterparse_lines(ing: dict) -> list[str]:
    """Our whole load against a bare lxml iterparse pass over the same file (older runs lack it)."""
    if "against_iterparse" not in ing:
        return []
    it = ing["against_iterparse"]
    return [
        f"Against a bare lxml iterparse pass over the same file (every element seen, nothing kept): "
        f"iterparse {it['baseline']['seconds']:.1f} s ({it['baseline']['mb_per_s']:.1f} MB/s), our whole load "
        f"{it['ours']['seconds']:.1f} s: **{it['speed_ratio']:.2f}** of the parser's speed.",
        "",
    ]


def mart_lines(m: dict) -> list[str]:
    """The indicator mart section (bench/mart_bench.py)."""
    b, cold = m["builds"], m["cold_start"]
    return [
        f"## Indicator mart ({m['warehouse']})",
        "",
        *(
            [
                f"Measured {m['run_at']}, in a run of this section alone (`bench/run.py --only mart --merge`)"
                + (
                    f", 1-minute load average {m['load_average'][0]} at the start and {m['load_average'][1]} "
                    "at the end (a shared 2-core machine)."
                    if "load_average" in m
                    else "."
                ),
                "",
            ]
            if "run_at" in m
            else []
        ),
        f"`safeguarding demo --partnership` with the mart: {m['demo_load_with_mart_s']} s. The mart: {b['mart_rows']:,} rows.",
        "",
        _row("build", "seconds", "rows written", "vs full build"),
        _row("---", "---", "---", "---"),
        _row("full", b["full_build_s"], f"{b['mart_rows']:,}", "1x"),
        _row(
            f"one LA-year of a member LA (857; the partnership too: {b['incremental_pairs_rebuilt_in_full']} "
            "indicator-scopes whose periods changed in full)",
            b["incremental_one_la_year_s"],
            f"{b['incremental_rows']:,}",
            f"{b['speed_ratio']}x faster",
        ),
        _row(
            "one LA-year of an LA outside the partnership",
            b["incremental_other_la_year_s"],
            f"{b['incremental_other_la_rows']:,}",
            f"{b['other_speed_ratio']}x faster",
        ),
        "",
        _row("cold process", "first view s", "first page s", "peak RSS MB"),
        _row("---", "---", "---", "---"),
        *[
            _row(name, v["first_view_s"], v["first_page_s"], v["peak_rss_mb"])
            for name, v in (("reads the mart", cold["mart"]), ("computes (mart removed)", cold["computed"]))
        ],
        "",
        *_server_side_lines(m.get("server_side")),
    ]


def _server_side_lines(server: dict | None) -> list[str]:
    if not server:
        return []
    return [
        "Dashboard callbacks, server side (start-up warm-up, then 100 random views per page):",
        "",
        _row("server", "warm-up s", "indicator p95 ms", "scorecard p95 ms", "peak RSS MB"),
        _row("---", "---", "---", "---", "---"),
        *[
            _row(
                name,
                v["warm_up_s"],
                f"{v['indicator_p95_ms']:.0f}",
                f"{v['scorecard_p95_ms']:.0f}",
                v["peak_rss_mb"],
            )
            for name, v in (
                ("reads the mart", server["mart"]),
                ("computes (mart removed)", server["computed"]),
            )
        ],
        "",
    ]
