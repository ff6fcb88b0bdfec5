"""Geography for the demo LA: borrowed wards, ONS populations, ethnicity mixes, area lookup and ward files."""

from __future__ import annotations

import csv
import json
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np

from pipelines.demo.files import _csv_row, _write_text
from vocabulary import codes
from vocabulary.reference import reference_file

WARD_GEOJSON = reference_file("boundaries/trafford_wards_2023.geojson")
ONS_POPULATION_CSV = reference_file("ons_mid-year_population_estimates_2012_to_2024.csv")


def _ethnicity_mix(
    target: dict[str, float], weights: np.ndarray, rng: np.random.Generator, spread: float, fit: bool = True
) -> list[list[float]]:
    """Per-area cumulative code mixes that vary by area; with `fit`, their weighted average is
    `target`."""
    code_list = list(target)
    base = np.array([target[c] for c in code_list], dtype=float)
    base /= base.sum()
    group_of = [codes.ETHNIC_GROUP_OF[c] for c in code_list]
    groups = list(codes.ETHNICITY_GROUPS)
    n = len(weights)
    mult = np.exp(spread * rng.standard_normal((n, len(groups))))
    mult[:, groups.index("Unknown")] = 1.0
    gidx = np.array([groups.index(g) for g in group_of])
    mix = base[None, :] * mult[:, gidx]
    w = weights / weights.sum()
    for _ in range(20 if fit else 0):  # iterative proportional fitting: rows sum to 1, weighted mean = base
        mix /= mix.sum(axis=1, keepdims=True)
        mix *= base / (w @ mix)
    mix /= mix.sum(axis=1, keepdims=True)
    return [np.cumsum(row).tolist() for row in mix]


# -- reference data ----------------------------------------------------------------------------
def _read_wards(path: Path | Traversable = WARD_GEOJSON) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    wards = {(f["properties"]["area_code"], f["properties"]["area_name"]) for f in features}
    return sorted(wards)


def _read_la_population(la_code: str, path: Path | Traversable = ONS_POPULATION_CSV) -> dict[int, int]:
    out: dict[int, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["geographic_level"] == "Local authority" and row["old_la_code"] == la_code:
                out[int(row["time_period"])] = int(row["population_estimate"])
    if not out:
        raise ValueError(f"no ONS 0-17 population for LA {la_code} in {path}")
    return out


def _allocate(total: int, shares: np.ndarray) -> list[int]:
    """Integers proportional to `shares` summing exactly to `total` (largest remainder)."""
    raw = shares / shares.sum() * total
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return base.tolist()


def write_area_lookup(
    path: Path, ids: list[str], wards: list[tuple[str, str]], ward_of: list[int], children: set[int]
) -> None:
    """area_lookup_<la>.csv: the ward of every child written to a return or an Annex A list."""
    rows = [_csv_row(ids[c], *wards[ward_of[c]]) for c in sorted(children)]
    _write_text(path, ["LAchildID,area_code,area_name\n"] + rows)


def write_ward_population(
    path: Path,
    la: str,
    wards: list[tuple[str, str]],
    years: range,
    pop_by_year: dict[int, int],
    size: np.ndarray,
    drift: np.ndarray,
) -> None:
    """ward_population_<la>.csv: the LA's 0-17 population shared out over its wards, drifting by year."""
    rows = ["la_code,area_code,area_name,year,population_0_17\n"]
    for year in years:
        shares = size * np.exp(drift * (year - years[0]))
        for (code, name), value in zip(wards, _allocate(pop_by_year[year], shares), strict=True):
            rows.append(_csv_row(la, code, name, str(year), str(value)))
    _write_text(path, rows)
