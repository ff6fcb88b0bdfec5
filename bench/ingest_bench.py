"""Benchmark: CIN census parse throughput (MB/s, children/s) and peak RSS, against an ElementTree baseline.

Each measurement runs in a fresh subprocess so peak RSS (ru_maxrss) belongs to that run alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _measure(kind: str, path: str) -> dict:
    from pipelines.pseudonymise import Pseudonymiser

    started = time.perf_counter()
    if kind == "ours":
        from pipelines.cin_census import CensusReader
        from pipelines.rows import RowSink

        rows = {"n": 0}

        def flush(table, batch):  # what a load does with each batch, minus the database
            rows["n"] += batch.num_rows

        sink = RowSink(flush=flush)
        result = CensusReader(Path(path), Pseudonymiser(b"k" * 32), sink).read()
        sink.flush()
        children = result.children
    else:  # baseline: the obvious ElementTree + pandas loader
        import xml.etree.ElementTree as ET

        import pandas as pd

        pseudo = Pseudonymiser(b"k" * 32)
        root = ET.parse(path).getroot()
        la = root.findtext("Header/Source/LEA")
        kids, plans = [], []
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
            for p in child.iter("ChildProtectionPlans"):
                plans.append(
                    {
                        "child_key": key,
                        "start": p.findtext("CPPstartDate"),
                        "end": p.findtext("CPPendDate"),
                        "reviews": [r.text for r in p.iter("CPPreviewDate")],
                    }
                )
        kids_df = pd.DataFrame(kids)
        plans_df = pd.DataFrame(plans)
        for df, col in ((kids_df, "birth"), (plans_df, "start"), (plans_df, "end")):
            if col in df:
                df[col] = pd.to_datetime(df[col])
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


def run(path: Path) -> dict:
    size_mb = path.stat().st_size / 1e6
    result = {"file": path.name, "size_mb": round(size_mb, 1)}
    for kind in ("ours", "baseline"):
        m = measure_in_subprocess(kind, path)
        result[kind] = {
            **m,
            "mb_per_s": size_mb / m["seconds"],
            "children_per_s": m["children"] / m["seconds"],
        }
    result["speed_ratio"] = result["baseline"]["seconds"] / result["ours"]["seconds"]
    result["rss_ratio"] = result["baseline"]["peak_rss_mb"] / result["ours"]["peak_rss_mb"]
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    print(json.dumps(_measure(sys.argv[1], sys.argv[2])))
