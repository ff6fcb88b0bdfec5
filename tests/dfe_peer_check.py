"""Development check (not in CI): run DfE/D2I's csc-validator-be-cin on the mutation corpus and
compare the rules it fires with ours. The peer pins pandas < 2, so it runs in its own virtualenv:

    python3 -m venv /tmp/peer-venv
    /tmp/peer-venv/bin/pip install csc-validator-be-cin "numpy<2"
    .venv/bin/python tests/dfe_peer_check.py /tmp/peer-venv/bin/python /tmp/dfe-corpus

It prints the agreement table (markdown) that docs/validation.md records.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Run by the peer's interpreter: only the standard library and cin_validator are importable there.
PEER_SIDE = r"""
import importlib, json, sys, warnings
import xml.etree.ElementTree as ET
from pathlib import Path
warnings.simplefilter("ignore")
from cin_validator import cin_validator as cv
out = {}
for folder in sorted(Path(sys.argv[1]).iterdir()):
    year = folder.name
    registry = importlib.import_module(f"cin_validator.rules.cin{year[:4]}_{year[5:]}").registry
    for path in sorted(folder.glob("*.xml")):
        try:
            data = cv.process_data(cv.convert_data(ET.parse(path).getroot()))
            v = cv.CinValidator(data, registry)
            codes = set(v.full_issue_df["rule_code"].astype(str))
            la = v.la_rule_issues
            if la is not None and len(la):
                codes |= set(la["rule_code"].astype(str))
            out[f"{year}/{path.stem}"] = sorted(codes)
        except Exception as exc:  # a crash is recorded, not hidden
            out[f"{year}/{path.stem}"] = ["CRASH: " + type(exc).__name__ + ": " + str(exc)[:80]]
print(json.dumps(out))
"""


def ours(corpus: Path) -> dict[str, list[str]]:
    from pipelines.issues import Severity
    from pipelines.load import validate_files

    out = {}
    for folder in sorted(corpus.iterdir()):
        for path in sorted(folder.glob("*.xml")):
            [result] = validate_files([path], rules=folder.name)
            codes = {i.rule_id for i in result.issues if i.severity in (Severity.ERROR, Severity.QUERY)}
            out[f"{folder.name}/{path.stem}"] = sorted(codes)
    return out


def compare(peer_python: str, corpus: Path) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.dfe_mutations import MUTATIONS, write_corpus

    write_corpus(corpus)
    run = subprocess.run(
        [peer_python, "-c", PEER_SIDE, str(corpus)], capture_output=True, text=True, check=True
    )
    peer = json.loads(run.stdout.strip().splitlines()[-1])
    mine = ours(corpus)
    lines = ["| year | rule | ours | peer | agree |", "|---|---|---|---|---|"]
    totals: dict[str, list[int]] = {}
    for key in sorted(mine, key=lambda k: (k.split("/")[0], k.split("/")[1])):
        year, name = key.split("/")
        if name == "clean":
            lines.append(
                f"| {year} | clean return | {', '.join(mine[key]) or 'none'} | "
                f"{', '.join(peer.get(key, ['missing'])) or 'none'} | "
                f"{'yes' if mine[key] == peer.get(key) else 'no'} |"
            )
            continue
        code = MUTATIONS[name].code
        # Agreement: the peer fires the broken rule on the mutation, and not on the clean return.
        agrees = code in peer.get(key, []) and code not in peer.get(f"{year}/clean", [])
        totals.setdefault(year, [0, 0])
        totals[year][0] += agrees
        totals[year][1] += 1
        extra = sorted(set(peer.get(key, [])) - set(mine[key]))
        also = f" (peer also: {', '.join(extra)})" if extra and agrees else ""
        lines.append(
            f"| {year} | {name} | {', '.join(mine[key])} | {', '.join(peer.get(key, ['missing']))} | "
            f"{'yes' if agrees else 'no'}{also} |"
        )
    summary = [f"- {year}: {n} of {m} rules agree" for year, (n, m) in sorted(totals.items())]
    return "\n".join(summary + ["", *lines])


if __name__ == "__main__":
    print(compare(sys.argv[1], Path(sys.argv[2])))
