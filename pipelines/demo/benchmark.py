"""Benchmark LAs without planted signals: many LAs x years, or one return with an exact child count."""

from __future__ import annotations

import dataclasses
import zlib
from datetime import date
from pathlib import Path

import numpy as np

from pipelines.demo.areas import _ethnicity_mix
from pipelines.demo.cin_return import _child_ids, _write_return
from pipelines.demo.draws import _day
from pipelines.demo.history import _Config, _History
from pipelines.demo.params import _ETHNICITY_ENGLAND


def _benchmark_config(
    la: str,
    rng: np.random.Generator,
    first_year: int,
    last_year: int,
    base_population: float,
    burn_in_years: int = 4,
) -> _Config:
    growth = 0.005 + 0.006 * rng.standard_normal()
    pop_by_year = {
        y: int(round(base_population * (1 + growth) ** (y - first_year)))
        for y in range(first_year - burn_in_years - 1, last_year + 1)
    }
    eth = _ethnicity_mix(_ETHNICITY_ENGLAND, np.ones(1), rng, 0.5, fit=False)
    return _Config(
        la=la,
        id_prefix=f"{la}C",
        pop_by_year=pop_by_year,
        first_year=first_year,
        last_year=last_year,
        signals=False,
        repeat_share=float(rng.uniform(0.15, 0.26)),
        rate_mult=float(np.exp(0.25 * rng.standard_normal())),
        ethnicity_cum=eth,
        burn_in_years=burn_in_years,
    )


def generate_las(
    out_dir: Path,
    *,
    la_codes: list[str],
    first_year: int,
    last_year: int,
    seed: int = 1,
    scale: float = 1.0,
    populations: dict[str, float] | None = None,
    signals: dict[str, dict[str, date]] | None = None,
) -> list[Path]:
    """N LAs x Y years for benchmarks: one file per LA per year named cin_census_<la>_<year>.xml.

    Realistic skew between LAs: the child population of an LA is `populations[la]` when given
    (e.g. ONS 0-17 estimates), otherwise drawn from a lognormal around 75k children; either way
    times `scale`. Each LA's output depends only on (seed, LA code, years, scale, population, signals).
    No area files. No planted signals unless `signals[la]` names some: `_Config` fields such as
    `late_icpc_from` (the demo partnership's members, pipelines/demo_members.py)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for la in la_codes:
        rng = np.random.default_rng([seed, zlib.crc32(la.encode("utf-8"))])
        drawn = 75_000 * float(np.exp(0.55 * rng.standard_normal() - 0.15))
        population = (populations[la] if populations and la in populations else drawn) * scale
        population = max(population, 200.0)
        cfg = _benchmark_config(la, rng, first_year, last_year, population)
        cfg = dataclasses.replace(cfg, **(signals or {}).get(la, {}))
        hist = _History(cfg, rng).run()
        ids = _child_ids(hist)
        for year in range(first_year, last_year + 1):
            path = out_dir / f"cin_census_{la}_{year}.xml"
            _write_return(path, hist, year, ids)
            paths.append(path)
    return sorted(paths)


def generate_single_file(
    path: Path, *, n_children: int, la_code: str = "999", reference_year: int = 2025, seed: int = 7
) -> Path:
    """One census return with exactly n_children <Child> elements (for parse benchmarks)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if n_children < 0:
        raise ValueError("n_children must be 0 or more")
    rng = np.random.default_rng([seed, zlib.crc32(la_code.encode("utf-8"))])
    population = max(2000.0, n_children / 0.075 * 1.08)
    while True:
        cfg = _benchmark_config(la_code, rng, reference_year, reference_year, population, burn_in_years=2)
        hist = _History(cfg, rng).run()
        ref = _day(date(reference_year, 3, 31))
        start = _day(date(reference_year - 1, 4, 1))
        in_return = sorted({e[0] for e in hist.episodes if e[1] <= ref and e[4] >= start})
        if len(in_return) >= n_children:
            break
        population *= 1.2 * n_children / max(len(in_return), 1)
    chosen = rng.choice(len(in_return), size=n_children, replace=False)
    only = {in_return[i] for i in chosen.tolist()}
    _write_return(path, hist, reference_year, _child_ids(hist), only=only)
    return path
