"""The embedded demo LA (856): ten census years, Annex A lists, area files and CDOP extracts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipelines.demo.annex_a import ANNEX_A_MONTH_ENDS, write_annex_a_list7
from pipelines.demo.areas import (
    _ethnicity_mix,
    _read_la_population,
    _read_wards,
    write_area_lookup,
    write_ward_population,
)
from pipelines.demo.cdop import write_cdop_extracts
from pipelines.demo.cin_return import _child_ids, _write_return
from pipelines.demo.draws import _cum
from pipelines.demo.history import _Config, _History
from pipelines.demo.params import (
    _ETHNICITY_LEICESTER,
    _REPEAT_SHARE_BEFORE,
    DEMO_FIRST_YEAR,
    DEMO_LA,
    DEMO_LAST_YEAR,
    DEMO_SEED,
)


def generate_demo(out_dir: Path, *, seed: int = DEMO_SEED) -> list[Path]:
    """The embedded demo LA: LA code '856', 10 census years with reference dates 2017-03-31 ..
    2026-03-31.

    Writes out_dir/cin_census_856_2017.xml ... cin_census_856_2026.xml, out_dir/area_lookup_856.csv,
    out_dir/ward_population_856.csv, the Annex A lists and two CDOP extracts
    (write_cdop_extracts). Returns the written paths (sorted)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    geo_rng = np.random.default_rng([seed, 1])
    la, years = DEMO_LA, range(DEMO_FIRST_YEAR, DEMO_LAST_YEAR + 1)
    ons = _read_la_population(la)
    pop_by_year = {y: ons[min(y, max(ons))] for y in range(min(ons), DEMO_LAST_YEAR + 2)}

    wards = _read_wards()
    n = len(wards)
    size = np.exp(0.32 * geo_rng.standard_normal(n))
    size = np.clip(size / np.median(size), 0.55, 1.7)  # largest ward about 3x the smallest
    cin_rate = np.clip(np.exp(0.45 * geo_rng.standard_normal(n)), 0.4, 2.6)  # deprivation
    drift = 0.012 * geo_rng.standard_normal(n)
    ethnicity_cum = _ethnicity_mix(_ETHNICITY_LEICESTER, size * cin_rate, geo_rng, 0.6)
    cfg = _Config(
        la=la,
        id_prefix="DEMO",
        pop_by_year=pop_by_year,
        first_year=years[0],
        last_year=years[-1],
        signals=True,
        repeat_share=_REPEAT_SHARE_BEFORE,
        ward_cum=_cum(size * cin_rate),
        ethnicity_cum=ethnicity_cum,
        sim_end=ANNEX_A_MONTH_ENDS[-1],
    )
    hist = _History(cfg, rng).run()
    ids = _child_ids(hist)

    paths: list[Path] = []
    seen: set[int] = set()
    for year in years:
        path = out_dir / f"cin_census_{la}_{year}.xml"
        seen |= _write_return(path, hist, year, ids)
        paths.append(path)

    for as_at in ANNEX_A_MONTH_ENDS:
        path = out_dir / f"annex_a_{la}_{as_at.isoformat()}.xlsx"
        seen |= write_annex_a_list7(path, hist, as_at, ids)
        paths.append(path)

    lookup = out_dir / f"area_lookup_{la}.csv"
    write_area_lookup(lookup, ids, wards, hist.ward, seen)
    ward_pop = out_dir / f"ward_population_{la}.csv"
    write_ward_population(ward_pop, la, wards, years, pop_by_year, size, drift)
    paths += write_cdop_extracts(
        out_dir,
        la=la,
        pop_by_year=pop_by_year,
        ward_codes=[code for code, _ in wards],
        ward_weights=size,
        seed=seed,
    )
    return sorted(paths + [lookup, ward_pop])
