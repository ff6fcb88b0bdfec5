"""Benchmark: validating a CIN return of 10^6 children that share identifiers (issue 26, item 3).

`python -m bench.duplicate_validation` writes the file under bench/out/, validates it in fresh
processes and stores the result in bench/results.json under "duplicate_validation" (the rest of
the file is left as it is). Smaller files (10k-40k, the sizes that were quadratic) show the slope.
Each child is minimal (one episode); every identifier appears twice, so half the children are
duplicates. Runs in about two minutes on the reference machine.
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
RESULTS = HERE / "results.json"
CHILD = (
    "<Child><ChildIdentifiers><LAchildID>D{id:07d}</LAchildID><PersonBirthDate>2015-01-17"
    "</PersonBirthDate><Sex>M</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI"
    "</Ethnicity></ChildCharacteristics><CINdetails><CINreferralDate>2022-06-01</CINreferralDate>"
    "<ReferralNFA>false</ReferralNFA></CINdetails></Child>\n"
)
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails><Collection>CIN'
    "</Collection><Year>2023</Year><ReferenceDate>2023-03-31</ReferenceDate></CollectionDetails>"
    "<Source><LEA>201</LEA></Source></Header><Children>\n"
)


def write_return(path: Path, children: int) -> None:
    """`children` children; identifier i % (children / 2), so each appears twice."""
    half = max(children // 2, 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(children):
            fh.write(CHILD.format(id=i % half))
        fh.write("</Children></Message>\n")


def _measure(path: str, cap: str) -> dict:
    """Run in a fresh process: validate, report seconds, issues and peak RSS."""
    os.environ["SAFEGUARDING_MAX_ERRORS"] = cap
    os.environ["SAFEGUARDING_MAX_FILE_MB"] = "4096"
    from pipelines.load import validate_files

    started = time.perf_counter()
    [result] = validate_files([path])
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "children_read": result.children,
        "structural_errors": sum(1 for i in result.issues if i.severity == "structural"),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measure(path: Path, cap: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.duplicate_validation", "--measure", str(path), str(cap)],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    runs = {}
    for n in (10_000, 20_000, 40_000, 1_000_000):
        path = out / f"cin_duplicates_{n}.xml"
        write_return(path, n)
        uncapped = measure(path, 10**9)  # every duplicate found and reported
        runs[str(n)] = {"file_mb": round(path.stat().st_size / (1 << 20), 1), "all_errors": uncapped}
        if n == 1_000_000:
            runs[str(n)]["default_cap"] = measure(path, 1000)  # stops after 1,000 errors
        print(n, runs[str(n)], flush=True)
        path.unlink()
    big = runs["1000000"]["all_errors"]
    record = {
        "run_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "what": "safeguarding validate on a CIN return whose identifiers each appear twice "
        "(half the children are duplicates); all_errors lifts the error cap, default_cap stops "
        "after 1,000 structural errors",
        "runs": runs,
        "children_per_second_1e6": round(1_000_000 / big["seconds"]),
        "before_fix_seconds": {"10000": 26, "20000": 116, "40000": "> 300"},
    }
    results = json.loads(RESULTS.read_text())
    results["duplicate_validation"] = record
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(_measure(sys.argv[2], sys.argv[3])))
    else:
        main()
