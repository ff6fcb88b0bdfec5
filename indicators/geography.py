"""Boundaries for maps: ward polygons where the product ships them (offline GeoJSON, OGL)."""

from __future__ import annotations

import json
from functools import cache

from vocabulary.reference import reference_file

# The synthetic demo LA borrows Trafford's 21 wards (May 2023); real LAs add their own file to
# vocabulary/reference/boundaries.
WARD_FILES = {
    "856": (
        "trafford_wards_2023.geojson",
        "area_code",
        "area_name",
        "Borrowed geography: Trafford's wards (May 2023) stand in for the synthetic demo LA's areas.",
    )
}
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence "
    "v.3.0. Contains OS data © Crown copyright and database right 2023."
)


@cache
def ward_boundaries(la_code: str) -> tuple[dict, str, str, str] | None:
    """(GeoJSON, code property, name property, caption) for an LA's areas, or None if not shipped."""
    entry = WARD_FILES.get(la_code)
    if entry is None:
        return None
    try:
        geojson = json.loads(reference_file(f"boundaries/{entry[0]}").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return geojson, entry[1], entry[2], entry[3]
