"""Reader for the DfE statistical neighbours model CSV: each LA's ten closest LAs, with closeness."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from pipelines.issues import Issue, Severity, missing_columns

SN_BASE_COLUMNS = ("old_la_code", "la_name", "region_name")
SN_NEIGHBOURS = 10


def is_statistical_neighbours(columns: set[str]) -> bool:
    return {"old_la_code", "la_name", "sn_1", "sn_1p", f"sn_{SN_NEIGHBOURS}"} <= columns


def read_statistical_neighbours(path: Path) -> tuple[pa.Table | None, list[Issue]]:
    """DfE statistical neighbours (wide: SN_1..SN_10 with closeness SN_1P..SN_10P), one row per
    LA and neighbour rank."""
    issues: list[Issue] = []
    cols: dict[str, list] = {
        k: []
        for k in (
            "la_code",
            "la_name",
            "region_name",
            "neighbour_rank",
            "neighbour_la_code",
            "closeness",
            "source_row",
        )
    }
    seen: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = {f.strip().lower(): f for f in reader.fieldnames or []}
        needed = [*SN_BASE_COLUMNS] + [f"sn_{k}" for k in range(1, SN_NEIGHBOURS + 1)]
        missing = [c for c in needed if c not in fields]
        if missing:
            return None, [missing_columns(path.name, missing)]
        for n, row in enumerate(reader, start=2):
            la = (row[fields["old_la_code"]] or "").strip()
            if not (la.isdigit() and len(la) == 3):
                issues.append(
                    Issue(
                        path.name,
                        n,
                        None,
                        "old_la_code",
                        la,
                        "S-CODE",
                        Severity.STRUCTURAL,
                        "is not a 3-digit DfE LA number",
                    )
                )
                continue
            if la in seen:
                issues.append(
                    Issue(
                        path.name,
                        n,
                        None,
                        "old_la_code",
                        la,
                        "S-DUPLICATE",
                        Severity.STRUCTURAL,
                        "the LA appears twice",
                    )
                )
                continue
            seen.add(la)
            for k in range(1, SN_NEIGHBOURS + 1):
                neighbour = (row[fields[f"sn_{k}"]] or "").strip()
                if not (neighbour.isdigit() and len(neighbour) == 3) or neighbour == la:
                    issues.append(
                        Issue(
                            path.name,
                            n,
                            None,
                            f"SN_{k}",
                            neighbour,
                            "S-CODE",
                            Severity.STRUCTURAL,
                            "is not another LA's 3-digit DfE number",
                        )
                    )
                    continue
                closeness_col = fields.get(f"sn_{k}p")
                closeness = (row[closeness_col] or "").strip() or None if closeness_col else None
                for key, v in (
                    ("la_code", la),
                    ("la_name", (row[fields["la_name"]] or "").strip()),
                    ("region_name", (row[fields["region_name"]] or "").strip() or None),
                    ("neighbour_rank", k),
                    ("neighbour_la_code", neighbour),
                    ("closeness", closeness),
                    ("source_row", n),
                ):
                    cols[key].append(v)
    if issues:
        return None, issues
    if not seen:
        return None, [
            Issue(path.name, None, None, "file", None, "S-EMPTY", Severity.STRUCTURAL, "the file has no LAs")
        ]
    return pa.table(
        cols,
        schema=pa.schema(
            [
                ("la_code", pa.string()),
                ("la_name", pa.string()),
                ("region_name", pa.string()),
                ("neighbour_rank", pa.int32()),
                ("neighbour_la_code", pa.string()),
                ("closeness", pa.string()),
                ("source_row", pa.int32()),
            ]
        ),
    ), issues
