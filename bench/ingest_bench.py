"""Benchmark: CIN census parse throughput (MB/s, children/s) and peak RSS, against an ElementTree baseline.

Each measurement runs in a fresh subprocess so peak RSS (ru_maxrss) belongs to that run alone.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _measure(kind: str, path: str) -> dict:
    """kind: "ours" (parse only), "ingest" (our whole load), "baseline" (ElementTree + pandas),
    "baseline_load" (the same, then written to a DuckDB file) or "iterparse" (a bare lxml pass)."""
    load_to_duckdb = kind == "baseline_load"
    from pipelines.pseudonymise import Pseudonymiser

    started = time.perf_counter()
    if kind == "ingest":  # the whole load: parse, validate, pseudonymise, stage, curate, swap in
        import tempfile

        from pipelines.load import ingest

        os.environ["SAFEGUARDING_MAX_FILE_MB"] = "4096"
        with tempfile.TemporaryDirectory(dir=HERE / "out") as tmp:
            os.environ["SAFEGUARDING_KEY_FILE"] = str(Path(tmp) / "key")
            results = ingest([path], warehouse=Path(tmp) / "w.duckdb", progress=None)
            children = results[0].children
    elif kind == "iterparse":  # the parser's own limit: a bare lxml pass, every element seen, none kept
        from lxml import etree

        children = 0
        for _event, elem in etree.iterparse(path, events=("end",), resolve_entities=False, no_network=True):
            if elem.tag == "Child":
                children += 1
                elem.clear()
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
    elif kind == "ours":
        from pipelines.cin_census import CensusReader
        from pipelines.rows import RowSink

        rows = {"n": 0}

        def flush(table, batch):  # what a load does with each batch, minus the database
            rows["n"] += batch.num_rows

        sink = RowSink(flush=flush)
        result = CensusReader(Path(path), Pseudonymiser(b"k" * 32), sink).read()
        sink.flush()
        children = result.children
    else:  # baseline: the obvious ElementTree + pandas loader (optionally saved to DuckDB)
        import xml.etree.ElementTree as ET

        import pandas as pd

        pseudo = Pseudonymiser(b"k" * 32)
        root = ET.parse(path).getroot()
        la = root.findtext("Header/Source/LEA")
        kids, episodes, plans = [], [], []
        for child in root.iter("Child"):
            cid = child.findtext("ChildIdentifiers/LAchildID")
            key = pseudo.child_key(la, cid)
            kids.append(
                {
                    "child_key": key,
                    "birth": child.findtext("ChildIdentifiers/PersonBirthDate"),
                    "ethnicity": child.findtext("ChildCharacteristics/Ethnicity"),
                }
            )
            for e in child.iter("CINdetails"):
                episodes.append(
                    {
                        "child_key": key,
                        "referral": e.findtext("CINreferralDate"),
                        "closure": e.findtext("CINclosureDate"),
                    }
                )
            for p in child.iter("ChildProtectionPlans"):
                plans.append(
                    {
                        "child_key": key,
                        "start": p.findtext("CPPstartDate"),
                        "end": p.findtext("CPPendDate"),
                        "reviews": [r.text for r in p.iter("CPPreviewDate")],
                    }
                )
        del root
        kids_df = pd.DataFrame(kids)
        episodes_df = pd.DataFrame(episodes)
        plans_df = pd.DataFrame(plans)
        for df, col in (
            (kids_df, "birth"),
            (episodes_df, "referral"),
            (episodes_df, "closure"),
            (plans_df, "start"),
            (plans_df, "end"),
        ):
            if col in df:
                df[col] = pd.to_datetime(df[col])
        if load_to_duckdb:
            import tempfile

            import duckdb

            plans_df["reviews"] = plans_df["reviews"].map(lambda r: ",".join(x or "" for x in r))
            with tempfile.TemporaryDirectory(dir=HERE / "out") as tmp:
                con = duckdb.connect(str(Path(tmp) / "baseline.duckdb"))
                for name, df in (("children", kids_df), ("episodes", episodes_df), ("plans", plans_df)):
                    con.register("frame", df)
                    con.execute(f"create table {name} as select * from frame")
                    con.unregister("frame")
                con.close()
        children = len(kids_df)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "children": children, "peak_rss_mb": peak_mb}


def measure_in_subprocess(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    return json.loads(out.stdout)


def run(path: Path, kinds: tuple[str, str] = ("ours", "baseline")) -> dict:
    """Ours against the baseline on one file, each in a fresh process (same run, side by side)."""
    size_mb = path.stat().st_size / 1e6
    result = {"file": path.name, "size_mb": round(size_mb, 1), "kinds": list(kinds)}
    for kind in kinds:
        m = measure_in_subprocess(kind, path)
        result[kind] = {
            **m,
            "mb_per_s": size_mb / m["seconds"],
            "children_per_s": m["children"] / m["seconds"],
        }
    ours, baseline = (result.pop(k) for k in kinds)
    result["ours"], result["baseline"] = ours, baseline
    result["speed_ratio"] = baseline["seconds"] / ours["seconds"]
    result["rss_ratio"] = baseline["peak_rss_mb"] / ours["peak_rss_mb"]
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    print(json.dumps(_measure(sys.argv[1], sys.argv[2])))
